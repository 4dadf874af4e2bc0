"""Authentication backends: e-mail and password, and (optionally) an eHerkenning/OIDC broker."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q


class EmailBackend(ModelBackend):
    """Log in with the e-mail address (case-insensitive) and password.

    The username is accepted as well, so that the Django admin's login keeps working. Unknown
    addresses cost the same time as wrong passwords (the password hasher runs either way).
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
            return user
        return None


try:  # mozilla-django-oidc is a dependency; the backend is only active when OIDC is configured.
    from mozilla_django_oidc.auth import OIDCAuthenticationBackend as _OIDCBase
except ImportError:  # pragma: no cover
    _OIDCBase = object


class OIDCBackend(_OIDCBase):
    """Sign-in through an eHerkenning/OIDC broker, for users who already have an account.

    The e-mail claim must match exactly one active user; no accounts are created here (suppliers
    get one through an SR-team invitation). With ``OIDC_KVK_CLAIM`` set, a supplier user's KvK
    number must equal that claim, so an eHerkenning login of another company is refused.
    """

    def filter_users_by_claims(self, claims):
        email = (claims.get("email") or "").strip()
        if not email:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email, is_active=True).select_related("leverancier")

    def verify_claims(self, claims):
        if not claims.get("email"):
            return False
        kvk_claim = getattr(settings, "OIDC_KVK_CLAIM", "")
        if kvk_claim and claims.get(kvk_claim) is None:
            return False
        return True

    def update_user(self, user, claims):
        kvk_claim = getattr(settings, "OIDC_KVK_CLAIM", "")
        if kvk_claim and user.leverancier_id and str(claims.get(kvk_claim)) != user.leverancier.kvk_nummer:
            return None
        return user

    def create_user(self, claims):
        return None
