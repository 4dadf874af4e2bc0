"""Account pages: log in with e-mail, two-step verification, the account overview, log out,
password reset and change, accept an invitation."""

from urllib.parse import urlencode

import django_otp
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from sroi_portal.errors import StateConflict
from sroi_portal.models import Role

from . import invitations, mfa, oidc
from .forms import AcceptInvitationForm, CurrentCodeForm, EmailAuthenticationForm, EnrolmentForm, OTPTokenForm

# After a current code on the page to replace the app, the new app's QR code is shown and can be
# confirmed for this long (the proof is kept in the session, for this user only).
REPLACE_SESSION_KEY = "sroi_mfa_replace"
REPLACE_WINDOW_SECONDS = 10 * 60


class LoginView(auth_views.LoginView):
    """E-mail and password; then, for whom two-step verification applies, the code (or enrolment)."""

    form_class = EmailAuthenticationForm
    template_name = "registration/login.html"

    def get_context_data(self, **kwargs):
        providers = oidc.configured_providers()
        return {
            **super().get_context_data(**kwargs),
            "eherkenning_enabled": oidc.EHERKENNING in providers,
            "medewerkers_enabled": oidc.MEDEWERKERS in providers,
            "eherkenning_min_loa": (oidc.provider_config(oidc.EHERKENNING) or {}).get("MIN_LOA", ""),
        }

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        if not mfa.mfa_applies(user):
            return response
        target = "mfa_verify" if mfa.has_confirmed_totp(user) else "mfa_setup"
        return redirect(f"{reverse(target)}?{urlencode({'next': self.get_success_url()})}")


class LogoutView(auth_views.LogoutView):
    """Log out of the portal (POST); after a sign-in through a provider with an end-session endpoint the
    browser goes on to the provider (RP-initiated logout) and comes back to the login page."""

    def post(self, request, *args, **kwargs):
        end_session = oidc.end_session_url(request)
        response = super().post(request, *args, **kwargs)
        if end_session:
            return HttpResponseRedirect(end_session)
        return response


def _next_url(request) -> str:
    """The ``next`` parameter when it is a safe URL on this site, else the start page."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("home")


def _mark_verified(request, device):
    """The session is verified from now on: a new session key (privilege change) and the device in it."""
    request.session.cycle_key()
    django_otp.login(request, device)


@sensitive_post_parameters("otp_token")
@never_cache
@login_required
def mfa_verify(request):
    """Second step of the login: the code of the authenticator app, or a backup code."""
    user = request.user
    next_url = _next_url(request)
    if mfa.session_verified(request):
        return redirect(next_url)
    if not mfa.has_confirmed_totp(user):
        if mfa.mfa_required(user):
            return redirect(f"{reverse('mfa_setup')}?{urlencode({'next': next_url})}")
        return redirect(next_url)
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = _check_code(request, form)
        if device is not None:
            _mark_verified(request, device)
            return redirect(next_url)
    return render(request, "accounts/mfa_verify.html", {"form": form, "next": next_url})


def _check_code(request, form, *, warn_backup_codes_left=True):
    """Check the code in ``form`` (the app's current code or a backup code) for the signed-in user.

    Returns the device that accepted it, or None after adding the Dutch error to the field (wrong or
    used code, or the wait after too many wrong codes). A used backup code is gone afterwards."""
    outcome = mfa.verify(request.user, form.cleaned_data["otp_token"])
    if outcome.device is not None:
        if outcome.backup_codes_left is not None and warn_backup_codes_left:
            messages.warning(request, ngettext(
                "U heeft een reservecode gebruikt. U heeft nog %(count)d reservecode over.",
                "U heeft een reservecode gebruikt. U heeft nog %(count)d reservecodes over.",
                outcome.backup_codes_left,
            ) % {"count": outcome.backup_codes_left})
        return outcome.device
    if outcome.throttled_seconds:
        form.add_error("otp_token", ngettext(
            "Te veel onjuiste codes achter elkaar. Wacht %(seconds)d seconde en probeer het opnieuw.",
            "Te veel onjuiste codes achter elkaar. Wacht %(seconds)d seconden en probeer het opnieuw.",
            outcome.throttled_seconds,
        ) % {"seconds": outcome.throttled_seconds})
    else:
        form.add_error("otp_token", _(
            "Deze code klopt niet of is al gebruikt. Vul de code in die uw app nu toont, of een ongebruikte reservecode."
        ))
    return None


@sensitive_post_parameters("otp_token")
@never_cache
@login_required
def mfa_setup(request):
    """Switch on two-step verification: scan the QR code (or type the secret), confirm the first code,
    and see the ten backup codes once."""
    user = request.user
    next_url = _next_url(request)
    if mfa.has_confirmed_totp(user):
        if not mfa.session_verified(request):
            return redirect(f"{reverse('mfa_verify')}?{urlencode({'next': next_url})}")
        messages.info(request, _("Tweestapsverificatie staat al aan voor uw account."))
        return account(request)
    device = mfa.pending_totp(user)
    form = EnrolmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if mfa.confirm_enrolment(user, device, form.cleaned_data["otp_token"]):
            device.refresh_from_db()
            _mark_verified(request, device)
            codes = mfa.new_backup_codes(user)
            return render(request, "accounts/mfa_backup_codes.html", {
                "codes": [mfa.format_backup_code(code) for code in codes],
                "next": next_url,
            })
        form.add_error("otp_token", _(
            "Deze code klopt niet. Controleer of de tijd op uw telefoon goed staat en vul de code in die de app nu toont."
        ))
    return render(request, "accounts/mfa_setup.html", {
        "form": form,
        "next": next_url,
        "qr_svg": mfa.qr_svg(device, label=_("QR-code om uw account aan de authenticator-app toe te voegen")),
        "secret": mfa.base32_secret(device),
        "required": mfa.mfa_required(user),
    })


@never_cache
@login_required
def account(request):
    """The account overview: e-mail, role and the state of two-step verification."""
    user = request.user
    device = mfa.confirmed_totp(user)
    return render(request, "accounts/account.html", {
        "device": device,
        "required": mfa.mfa_required(user),
        "backup_codes_left": mfa.backup_codes_left(user) if device else 0,
    })


@sensitive_post_parameters("otp_token")
@never_cache
@login_required
def mfa_disable(request):
    """Switch two-step verification off (suppliers and council members only; staff must keep it),
    after a current code of the app or a backup code. A wrong code changes nothing."""
    user = request.user
    if mfa.mfa_required(user):
        if request.method == "POST":
            messages.error(request, _("Voor uw rol is tweestapsverificatie verplicht. U kunt het niet uitzetten."))
            return redirect("account")
        return render(request, "accounts/mfa_disable.html", {"required": True})
    if not mfa.has_confirmed_totp(user):
        if request.method == "POST":
            return redirect("account")
        return render(request, "accounts/mfa_disable.html", {"no_app": True})
    form = CurrentCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _check_code(request, form, warn_backup_codes_left=False):
        mfa.remove_devices(user)
        messages.success(request, _("Tweestapsverificatie staat uit. Bij het inloggen is alleen uw wachtwoord nodig."))
        return redirect("account")
    return render(request, "accounts/mfa_disable.html", {"form": form})


@sensitive_post_parameters("otp_token")
@never_cache
@login_required
def mfa_new_backup_codes(request):
    """Make a new set of ten backup codes after a current code: the old ones stop working and the new
    ones are shown once."""
    user = request.user
    if not mfa.has_confirmed_totp(user):
        return render(request, "accounts/mfa_new_backup_codes.html", {"no_app": True})
    form = CurrentCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _check_code(request, form, warn_backup_codes_left=False):
        codes = mfa.new_backup_codes(user)
        return render(request, "accounts/mfa_backup_codes.html", {
            "codes": [mfa.format_backup_code(code) for code in codes],
            "next": reverse("account"),
            "renewed": True,
        })
    return render(request, "accounts/mfa_new_backup_codes.html", {
        "form": form, "backup_codes_left": mfa.backup_codes_left(user),
    })


def _replace_allowed(request) -> bool:
    proof = request.session.get(REPLACE_SESSION_KEY) or {}
    return proof.get("user") == request.user.pk and proof.get("until", 0) > timezone.now().timestamp()


@sensitive_post_parameters("otp_token")
@never_cache
@login_required
def mfa_replace(request):
    """Replace the authenticator app (new phone): first a current code of the old app or a backup
    code, then the QR code of the new app and its first code. Until that code is confirmed the old
    app keeps working; afterwards only the new one does (backup codes stay valid)."""
    user = request.user
    if not mfa.has_confirmed_totp(user):
        return render(request, "accounts/mfa_replace.html", {"no_app": True})
    if not _replace_allowed(request):
        request.session.pop(REPLACE_SESSION_KEY, None)
        form = CurrentCodeForm(request.POST or None)
        if request.method == "POST" and form.is_valid() and _check_code(request, form):
            request.session[REPLACE_SESSION_KEY] = {
                "user": user.pk, "until": timezone.now().timestamp() + REPLACE_WINDOW_SECONDS,
            }
            return redirect("mfa_replace")
        return render(request, "accounts/mfa_replace.html", {"form": form, "step": 1})
    device = mfa.pending_totp(user)
    form = EnrolmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if mfa.confirm_enrolment(user, device, form.cleaned_data["otp_token"], replace=True):
            device.refresh_from_db()
            request.session.pop(REPLACE_SESSION_KEY, None)
            _mark_verified(request, device)
            messages.success(request, _(
                "Uw nieuwe authenticator-app is gekoppeld. Codes uit de oude app werken niet meer; uw reservecodes blijven geldig."
            ))
            return redirect("account")
        form.add_error("otp_token", _(
            "Deze code klopt niet. Controleer of de tijd op uw telefoon goed staat en vul de code in die de nieuwe app nu toont."
        ))
    return render(request, "accounts/mfa_replace.html", {
        "form": form,
        "step": 2,
        "qr_svg": mfa.qr_svg(device, label=_("QR-code om uw account aan de nieuwe authenticator-app toe te voegen")),
        "secret": mfa.base32_secret(device),
    })


@sensitive_post_parameters("password1", "password2")
@csrf_protect
@never_cache
def accept_invitation(request, token):
    """The page behind the link in an invitation: choose a password, then you are logged in."""
    invitation = invitations.find_invitation(token)
    if invitation is None:
        raise Http404
    if not invitation.is_usable():
        return render(request, "accounts/invitation_invalid.html", {"invitation": invitation}, status=410)

    eherkenning = oidc.provider_config(oidc.EHERKENNING) is not None
    password_allowed = oidc.role_may_use_password(Role.LEVERANCIER)
    if request.method == "POST" and "eherkenning" in request.POST:
        if not eherkenning:
            raise Http404
        # Accept by signing in with eHerkenning: the callback links the pseudonym (oidc.EHerkenningBackend).
        request.session[oidc.INVITATION_SESSION_KEY] = token
        return redirect("oidc_eherkenning_init")
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and not password_allowed:
        form = AcceptInvitationForm(None)
        messages.error(request, _("Leveranciers loggen in met eHerkenning. Kies 'Koppelen met eHerkenning'."))
    elif request.method == "POST" and form.is_valid():
        try:
            user = invitations.accept_invitation(token=token, password=form.cleaned_data["password1"])
        except ValidationError as error:
            for message in error.message_dict.get("password", []) + error.message_dict.get("email", []):
                form.add_error("password1", message)
        except StateConflict as conflict:
            return render(
                request, "accounts/invitation_invalid.html", {"invitation": invitation, "reason": conflict.message},
                status=410,
            )
        else:
            login(request, user, backend="sroi_portal.accounts.backends.EmailBackend")
            messages.success(request, _("Uw wachtwoord is ingesteld. Welkom in het SROI-portaal."))
            return redirect("home")
    return render(request, "accounts/accept_invitation.html", {
        "form": form, "invitation": invitation, "eherkenning": eherkenning, "password_allowed": password_allowed,
    })
