"""Links between users and the identifiers OpenID Connect providers give them (``OIDCIdentity``).

Write workflows for ``sroi_portal.accounts.oidc``; the link through an invitation is
``invitations.accept_invitation_with_identity``. A refusal is a ``StateConflict`` with a Dutch message.
"""

import hashlib

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sroi_portal.errors import StateConflict
from sroi_portal.models import OIDCIdentity, Role


def find(*, provider: str, subject: str) -> OIDCIdentity | None:
    if not subject:
        return None
    return OIDCIdentity.objects.select_related("user__leverancier").filter(provider=provider, subject=subject).first()


def record_sign_in(*, provider: str, user) -> None:
    OIDCIdentity.objects.filter(provider=provider, user=user).update(last_login_at=timezone.now())


def _link(*, provider: str, subject: str, user) -> OIDCIdentity:
    if OIDCIdentity.objects.filter(provider=provider, user=user).exists():
        raise StateConflict(_(
            "Dit account is al gekoppeld aan een andere identiteit bij deze inlogdienst. Vraag de functioneel beheerder "
            "om de oude koppeling te verwijderen."
        ))
    try:
        with transaction.atomic():
            return OIDCIdentity.objects.create(provider=provider, subject=subject, user=user)
    except IntegrityError:
        raise StateConflict(_("Deze identiteit is al aan een ander account gekoppeld.")) from None


@transaction.atomic
def link_staff_user(*, provider: str, subject: str, user) -> OIDCIdentity:
    """Store the provider's ``sub`` for an existing staff user (first sign-in)."""
    if not subject:
        raise StateConflict(_("De inlogdienst gaf geen identificatie (sub) door."))
    return _link(provider=provider, subject=subject, user=user)


@transaction.atomic
def create_supplier_user(*, subject: str, kvk: str):
    """A new supplier user for the existing supplier with KvK number ``kvk``, linked to the
    eHerkenning pseudonym ``subject`` (``SROI_EHERKENNING_CREATE_USERS``). None when no supplier has
    that KvK number: organisations are never created this way. No password, no e-mail address."""
    User = get_user_model()
    Leverancier = User._meta.get_field("leverancier").related_model
    leverancier = Leverancier._default_manager.filter(kvk_nummer=kvk).first()
    if leverancier is None:
        return None
    digest = hashlib.sha256(subject.encode("utf-8")).hexdigest()[:20]
    user = User(username=f"eherkenning-{digest}", email=None, role=Role.LEVERANCIER, leverancier=leverancier)
    user.set_unusable_password()
    user.save()
    _link(provider=OIDCIdentity.Provider.EHERKENNING, subject=subject, user=user)
    return user
