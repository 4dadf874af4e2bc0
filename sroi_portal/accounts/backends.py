"""Authentication backend for e-mail and password. The OpenID Connect backends (eHerkenning, the
staff provider) are in ``oidc.py``."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from . import oidc

# Set on the request when the password was right but the user's role may not use one
# (``oidc.role_may_use_password``); the login form then says so instead of "unknown combination".
SIGN_IN_BY_ROLE_REFUSED_ATTR = "sroi_password_login_disabled"


class PasswordLoginDisabled(PermissionDenied):
    """The role signs in through its provider only (``SROI_PASSWORD_LOGIN_DISABLED_ROLES``)."""


class EmailBackend(ModelBackend):
    """Log in with the e-mail address (case-insensitive) and password.

    The username is accepted as well, so that the Django admin's login keeps working. Unknown
    addresses cost the same time as wrong passwords (the password hasher runs either way). A role in
    ``SROI_PASSWORD_LOGIN_DISABLED_ROLES`` whose provider is configured is refused even with the right
    password, on every way in that authenticates with a password (login page, Django admin).
    """

    def authenticate(self, request, username=None, password=None, email=None, **kwargs):
        identifier = (email or username or "").strip()
        if not identifier or password is None:
            return None
        UserModel = get_user_model()
        user = (
            UserModel._default_manager.filter(Q(email__iexact=identifier) | Q(username=identifier))
            .order_by("pk")
            .first()
        )
        if user is None:
            UserModel().set_password(password)  # same cost as a real check
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            if not oidc.password_login_allowed(user):
                if request is not None:
                    setattr(request, SIGN_IN_BY_ROLE_REFUSED_ATTR, user.role)
                raise PasswordLoginDisabled
            return user
        return None
