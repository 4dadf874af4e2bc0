"""Account pages: log in with e-mail, log out, password reset and change, accept an invitation."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from sroi_portal.errors import StateConflict

from . import invitations
from .forms import AcceptInvitationForm, EmailAuthenticationForm


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    template_name = "registration/login.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "oidc_enabled": getattr(settings, "OIDC_ENABLED", False)}


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

    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
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
    return render(request, "accounts/accept_invitation.html", {"form": form, "invitation": invitation})
