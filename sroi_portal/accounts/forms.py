"""Account forms: log in with e-mail, ask for a password reset, set a password through an invitation."""

import hashlib
import logging

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from .backends import SIGN_IN_BY_ROLE_REFUSED_ATTR

logger = logging.getLogger(__name__)

RESET_WINDOW_SECONDS = 3600


def reset_mail_allowed(email: str) -> bool:
    """Count a password-reset request for ``email`` and say whether a mail may go out: at most
    ``SROI_PASSWORD_RESET_MAX_PER_HOUR`` per address per hour (counted from the first request), in
    the shared cache. Counted for any address, known or not; a cache that does not answer lets
    the mail go (logged)."""
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    key = f"wachtwoord-herstel:{digest}"
    try:
        cache.add(key, 0, timeout=RESET_WINDOW_SECONDS)
        count = cache.incr(key)
    except Exception:
        logger.warning("Limiet op wachtwoordherstel niet gecontroleerd: de cache antwoordt niet", exc_info=True)
        return True
    return count <= settings.SROI_PASSWORD_RESET_MAX_PER_HOUR


class PasswordResetForm(DjangoPasswordResetForm):
    """Django's reset form with a limit per address asked for. Over the limit no mail is sent, and
    the page answers exactly as always ("if the address is known, a mail is on its way"), so it
    tells nothing about the address or the limit."""

    def save(self, *args, **kwargs):
        if not reset_mail_allowed(self.cleaned_data["email"]):
            logger.info("Wachtwoordherstel: limiet per uur bereikt, geen e-mail verstuurd")
            return None
        return super().save(*args, **kwargs)


class EmailAuthenticationForm(AuthenticationForm):
    """The login form: e-mail address and password (the backend matches the address case-insensitively)."""

    username = forms.CharField(
        label=_("E-mailadres"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Deze combinatie van e-mailadres en wachtwoord kennen we niet. Controleer beide en probeer het opnieuw."
        ),
        "inactive": _("Dit account is niet actief. Neem contact op met het SR-team."),
        "password_login_disabled_leverancier": _(
            "Met uw account logt u niet in met een wachtwoord. Kies 'Inloggen met eHerkenning'."
        ),
        "password_login_disabled": _(
            "Met uw account logt u niet in met een wachtwoord. Kies 'Inloggen via de gemeente' en gebruik het account "
            "van uw organisatie."
        ),
    }

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            role = getattr(self.request, SIGN_IN_BY_ROLE_REFUSED_ATTR, None) if self.request is not None else None
            if not role:
                raise
            code = "password_login_disabled_leverancier" if role == "leverancier" else "password_login_disabled"
            raise forms.ValidationError(self.error_messages[code], code=code) from None


class AcceptInvitationForm(forms.Form):
    """Choose a password for the account an invitation creates."""

    password1 = forms.CharField(
        label=_("Kies een wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Minstens 12 tekens; niet alleen cijfers en geen veelgebruikt wachtwoord."),
    )
    password2 = forms.CharField(
        label=_("Herhaal het wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_password2(self):
        first, second = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if first and second and first != second:
            raise forms.ValidationError(_("De twee wachtwoorden zijn niet gelijk."))
        return second


class OTPTokenForm(forms.Form):
    """The code of the authenticator app (six digits), or one of the backup codes."""

    otp_token = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("De zes cijfers die uw authenticator-app nu toont, of een van uw reservecodes."),
        error_messages={"required": _("Vul de code uit uw authenticator-app in.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "spellcheck": "false"}
        ),
    )


class EnrolmentForm(forms.Form):
    """The first code of a newly added app, to prove it was set up correctly."""

    otp_token = forms.CharField(
        label=_("Code uit de app"),
        max_length=10,
        help_text=_("Zes cijfers, zonder spaties."),
        error_messages={"required": _("Vul de code in die de app na het scannen toont.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}),
    )


class CurrentCodeForm(forms.Form):
    """Fresh proof before a change to two-step verification itself (switch off, replace the app,
    new backup codes): a code the app shows now, or one of the backup codes."""

    otp_token = forms.CharField(
        label=_("Huidige code"),
        max_length=20,
        help_text=_("De zes cijfers die uw authenticator-app nu toont, of een van uw reservecodes."),
        error_messages={"required": _("Vul de code uit uw authenticator-app of een reservecode in.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "spellcheck": "false"}
        ),
    )
