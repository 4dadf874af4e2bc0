"""Account forms: log in with e-mail, set a password through an invitation."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


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
    }


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
