"""Access rules for the account pages, the start page, the health check and the council pages (/raad/)."""

from tests.access.rules import ALL_SIGNED_IN, ROLES, Rule

EVERYONE = frozenset(ROLES)
COUNCIL_X = frozenset({"raadslid_x", "inkoop_x", "srteam_x", "beheerder"})

ENTRIES = {
    "home": Rule(read=ALL_SIGNED_IN, note="role-based start page"),
    "health": Rule(read=ALL_SIGNED_IN, public=True),
    # Account pages: public forms; a POST by anyone is a normal use (wrong credentials change nothing).
    "login": Rule(read=ALL_SIGNED_IN, public=True, methods=("get", "post"), write=EVERYONE),
    "logout": Rule(
        read=ALL_SIGNED_IN, public=True, ok_status=405, methods=("get", "post"), write=EVERYONE,
        note="log out is POST only (GET answers 405)",
    ),
    # Two-step verification (sroi_portal/accounts/mfa.py). The matrix signs in with force_login,
    # which verifies the session of whom it applies to (root conftest): the verification page then
    # sends everyone on (302); enrolment shows the QR code, or the account page when an app is set.
    "account": Rule(read=ALL_SIGNED_IN, note="own account and two-step verification status"),
    "mfa_verify": Rule(
        read=ALL_SIGNED_IN, ok_status=302, methods=("get", "post"), write=ALL_SIGNED_IN,
        note="already verified or no app: on to next; the real flow is tested in tests/accounts",
    ),
    "mfa_setup": Rule(read=ALL_SIGNED_IN, methods=("get", "post"), write=ALL_SIGNED_IN),
    "mfa_disable": Rule(
        read=ALL_SIGNED_IN, methods=("get", "post"), write=ALL_SIGNED_IN,
        note="switch off after a current code (suppliers, council); staff are told it is required",
    ),
    "mfa_replace": Rule(
        read=ALL_SIGNED_IN, methods=("get", "post"), write=ALL_SIGNED_IN,
        note="own app only: a current code, then the new app's QR code; without an app a link to enrolment",
    ),
    "mfa_new_backup_codes": Rule(
        read=ALL_SIGNED_IN, methods=("get", "post"), write=ALL_SIGNED_IN,
        note="own backup codes only, after a current code; without an app a link to enrolment",
    ),
    "password_reset": Rule(read=ALL_SIGNED_IN, public=True, methods=("get", "post"), write=EVERYONE),
    "password_reset_done": Rule(read=ALL_SIGNED_IN, public=True),
    "password_reset_confirm": Rule(
        kwargs=lambda w: {"uidb64": "MQ", "token": "ongeldig-token"},
        read=ALL_SIGNED_IN, public=True, methods=("get", "post"), write=EVERYONE,
        note="an invalid link shows the 'link no longer works' page",
    ),
    "password_reset_complete": Rule(read=ALL_SIGNED_IN, public=True),
    "password_change": Rule(read=ALL_SIGNED_IN, methods=("get", "post"), write=ALL_SIGNED_IN),
    "password_change_done": Rule(read=ALL_SIGNED_IN),
    "accept_invitation": Rule(
        kwargs=lambda w: {"token": w.invitation_token},
        read=ALL_SIGNED_IN, public=True, methods=("get", "post"), write=EVERYONE,
        note="the token is the credential; an empty POST only shows the form errors",
    ),
    # Council pages: aggregates of the user's municipalities only.
    "raad:index": Rule(read=COUNCIL_X | {"srteam_other"}),
    "raad:gemeente": Rule(kwargs=lambda w: {"code": w.zoetermeer.code}, read=COUNCIL_X, ok_status=302,
                          note="redirects to the one council page of the year (reporting:dashboard)"),
}

# Sign-in through OpenID Connect (sroi_portal/accounts/oidc.py): the routes always exist and answer
# 404 while the provider is not configured, as in this world; with a provider the start redirects
# everyone to it and the callback needs the state of the browser's own attempt (tests/oidc).
OIDC_NOTE = "no provider configured here: 404 for everyone; the flows are tested against a real provider in tests/oidc"
ENTRIES.update({
    f"oidc_{provider}_{step}": Rule(read=ALL_SIGNED_IN, public=True, ok_status=404, note=OIDC_NOTE)
    for provider in ("eherkenning", "medewerkers")
    for step in ("init", "callback")
})
