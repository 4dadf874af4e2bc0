"""Account pages: log in with e-mail (and the two-step verification code), the account overview,
log out, password reset and change, invitation links.

The names are not namespaced: Django's auth views and ``LOGIN_URL`` refer to them as ``login``,
``password_reset_done`` and so on.
"""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import oidc, views
from .forms import PasswordResetForm

urlpatterns = [
    path("", views.account, name="account"),
    path("inloggen/", views.LoginView.as_view(), name="login"),
    path("inloggen/verificatie/", views.mfa_verify, name="mfa_verify"),
    path("tweestapsverificatie/", views.mfa_setup, name="mfa_setup"),
    path("tweestapsverificatie/uitzetten/", views.mfa_disable, name="mfa_disable"),
    path("tweestapsverificatie/app-vervangen/", views.mfa_replace, name="mfa_replace"),
    path("tweestapsverificatie/reservecodes/", views.mfa_new_backup_codes, name="mfa_new_backup_codes"),
    path("uitloggen/", views.LogoutView.as_view(), name="logout"),
    path(
        "wachtwoord-vergeten/",
        auth_views.PasswordResetView.as_view(
            form_class=PasswordResetForm,
            email_template_name="registration/password_reset_email.txt",
            subject_template_name="registration/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path("wachtwoord-vergeten/verstuurd/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "wachtwoord-instellen/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("wachtwoord-instellen/klaar/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("wachtwoord-wijzigen/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("wachtwoord-wijzigen/klaar/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("uitnodiging/<str:token>/", views.accept_invitation, name="accept_invitation"),
]

# Sign-in through OpenID Connect (oidc.py): one URL set per provider, always routed; a provider that
# is not configured answers 404 (so the URLs do not depend on the settings at import time).
for _key in oidc.PROVIDER_KEYS:
    urlpatterns += [
        path(f"oidc/{_key}/start/", oidc.AuthenticationRequestView.as_view(provider_key=_key), name=f"oidc_{_key}_init"),
        path(
            f"oidc/{_key}/callback/", oidc.AuthenticationCallbackView.as_view(provider_key=_key),
            name=f"oidc_{_key}_callback",
        ),
    ]
