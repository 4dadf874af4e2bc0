"""Invitations for a supplier's contact: a one-time link, valid for a limited time, to set a password.

The SR-team calls :func:`invite_supplier_user` (e.g. from its intake page). The e-mail holds the
only copy of the token; the database keeps its SHA-256 hash. :func:`accept_invitation` creates
(or completes) the supplier user, sets the password and marks the invitation used; a second use,
an expired link or an unknown token is refused.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sroi_portal.errors import StateConflict
from sroi_portal.models import Invitation, OIDCIdentity, Role


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _normalise(email: str) -> str:
    return (email or "").strip().lower()


def _new_username(User, invitation) -> str:
    """The user name of an account made from an invitation: its e-mail address, made unique."""
    username = invitation.email[:150]
    if User.objects.filter(username=username).exists():
        username = f"{username[:140]}-{invitation.pk}"
    return username


def _check_email_free_for(*, email: str, leverancier) -> None:
    """The address may belong to nobody, or to a user of this same supplier organisation."""
    other = get_user_model().objects.filter(email__iexact=email).first()
    if other is not None and not (other.role == Role.LEVERANCIER and other.leverancier_id == leverancier.pk):
        raise ValidationError(
            {"email": _("Dit e-mailadres hoort al bij een andere gebruiker. Gebruik een ander adres.")}
        )


def invitation_url(token: str, *, request=None) -> str:
    path = reverse("accept_invitation", kwargs={"token": token})
    if request is not None:
        return request.build_absolute_uri(path)
    return f"{settings.SROI_PORTAL_URL}{path}"


@transaction.atomic
def invite_supplier_user(*, leverancier, email: str, invited_by, contract=None, request=None) -> Invitation:
    """Invite ``email`` to become a user of ``leverancier``; sends the Dutch e-mail with the link.

    Earlier unused invitations for the same address and supplier stop working. ``request`` (optional)
    makes the link use the host the SR-team member is on; otherwise ``SROI_PORTAL_URL`` is used.
    Raises ``ValidationError`` keyed ``email`` for an invalid address or one that belongs to
    another user.
    """
    email = _normalise(email)
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Vul een geldig e-mailadres in.")}) from None
    if contract is not None and contract.leverancier_id != leverancier.pk:
        raise ValidationError({"contract": _("Dit contract hoort niet bij deze leverancier.")})
    _check_email_free_for(email=email, leverancier=leverancier)

    now = timezone.now()
    Invitation.objects.filter(email=email, leverancier=leverancier, accepted_at__isnull=True, expires_at__gt=now).update(
        expires_at=now
    )
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        email=email,
        leverancier=leverancier,
        contract=contract,
        token_hash=hash_token(token),
        invited_by=invited_by,
        created_at=now,
        expires_at=now + timedelta(days=settings.SROI_INVITATION_VALID_DAYS),
    )
    context = {
        "invitation": invitation,
        "leverancier": leverancier,
        "contract": contract,
        "url": invitation_url(token, request=request),
        "days": settings.SROI_INVITATION_VALID_DAYS,
        "invited_by": invited_by,
    }
    subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
    body = render_to_string("accounts/email/invitation.txt", context)
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
    # Sent inside the transaction: when the mail server refuses, the invitation is not stored either.
    message.send()
    return invitation


def find_invitation(token: str) -> Invitation | None:
    """The invitation for ``token`` (used, expired or not), or None for an unknown token."""
    if not token or len(token) > 100:
        return None
    return Invitation.objects.select_related("leverancier").filter(token_hash=hash_token(token)).first()


@transaction.atomic
def accept_invitation(*, token: str, password: str):
    """Use an invitation: create or complete the supplier user and set its password. Returns the user.

    Raises ``StateConflict`` for an unknown, used or expired token and ``ValidationError`` (key
    ``password``) for a password the validators refuse; nothing is stored then.
    """
    invitation = (
        Invitation.objects.select_for_update().select_related("leverancier").filter(token_hash=hash_token(token)).first()
    )
    if invitation is None:
        raise StateConflict(_("Deze uitnodiging bestaat niet. Controleer de link in de e-mail."))
    if invitation.accepted_at is not None:
        raise StateConflict(_("Deze uitnodiging is al gebruikt. Log in met uw e-mailadres en wachtwoord."))
    if invitation.expires_at <= timezone.now():
        raise StateConflict(_("Deze uitnodiging is verlopen. Vraag het SR-team om een nieuwe uitnodiging."))
    _check_email_free_for(email=invitation.email, leverancier=invitation.leverancier)

    User = get_user_model()
    user = User.objects.filter(email__iexact=invitation.email).first()
    if user is None:
        username = _new_username(User, invitation)
        user = User(
            username=username,
            email=invitation.email,
            role=Role.LEVERANCIER,
            leverancier=invitation.leverancier,
        )
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    user.set_password(password)
    user.is_active = True
    user.save()
    invitation.accepted_at = timezone.now()
    invitation.user = user
    invitation.save(update_fields=["accepted_at", "user"])
    return user


@transaction.atomic
def accept_invitation_with_identity(*, token: str, provider: str, subject: str, kvk: str):
    """Use an invitation by signing in with eHerkenning instead of choosing a password: the company
    the person acts for (``kvk``) must be the invited supplier; the pseudonym ``subject`` is linked to
    the (new or existing) supplier user, who then has no password unless one is set later. Returns the user.

    Raises ``StateConflict`` (Dutch message) for an unknown, used or expired invitation, another
    company, or an account already linked to another pseudonym; nothing is stored then.
    """
    invitation = (
        Invitation.objects.select_for_update().select_related("leverancier").filter(token_hash=hash_token(token)).first()
    )
    if invitation is None or invitation.accepted_at is not None or invitation.expires_at <= timezone.now():
        raise StateConflict(_(
            "Deze uitnodiging is al gebruikt, verlopen of bestaat niet. Vraag het SR-team om een nieuwe uitnodiging."
        ))
    leverancier = invitation.leverancier
    if leverancier.kvk_nummer != kvk:
        raise StateConflict(_(
            "Deze uitnodiging is voor %(naam)s (KvK-nummer %(invited)s), maar u logde met eHerkenning in namens KvK-nummer "
            "%(kvk)s. Log in namens %(naam)s."
        ) % {"naam": leverancier.naam, "invited": leverancier.kvk_nummer, "kvk": kvk})
    try:
        _check_email_free_for(email=invitation.email, leverancier=leverancier)
    except ValidationError:
        raise StateConflict(_("Het e-mailadres van deze uitnodiging hoort bij een andere gebruiker.")) from None
    User = get_user_model()
    user = User.objects.filter(email__iexact=invitation.email).first()
    if user is None:
        username = _new_username(User, invitation)
        user = User(username=username, email=invitation.email, role=Role.LEVERANCIER, leverancier=leverancier)
        user.set_unusable_password()
    elif OIDCIdentity.objects.filter(provider=provider, user=user).exists():
        raise StateConflict(_("Uw account is al aan een ander eHerkenningsmiddel gekoppeld. Neem contact op met het SR-team."))
    user.is_active = True
    user.save()
    OIDCIdentity.objects.create(provider=provider, subject=subject, user=user)
    invitation.accepted_at = timezone.now()
    invitation.user = user
    invitation.save(update_fields=["accepted_at", "user"])
    return user
