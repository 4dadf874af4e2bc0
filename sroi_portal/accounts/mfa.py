"""Two-step verification (TOTP, django-otp): who needs it, enrolment, verification, backup codes.

- Staff roles (``SROI_MFA_REQUIRED_ROLES``: inkoop, SR-team, functional administrator) and anyone
  with access to the Django admin (``is_staff``/``is_superuser``) must verify a code after the
  password. Suppliers and council members may switch it on themselves (account page).
- A user's authenticator app is a confirmed ``TOTPDevice``; the ten one-time backup codes are the
  tokens of one ``StaticDevice`` named ``reservecodes``.
- A session is verified when ``django_otp.login`` stored the device in it (``request.user.is_verified()``
  through ``django_otp.middleware.OTPMiddleware``). Replay of a used code and the exponential
  back-off after wrong codes are django-otp's own (``last_t`` and ``ThrottlingMixin``).
- A staff member who signed in through the municipality's identity provider, which asserted
  multi-factor authentication (``amr``/``acr``; ``oidc.StaffBackend``), is verified for that session
  by the provider (``mark_verified_by_provider``): ``session_verified`` is true without a code here.
- Changing verification itself (switching off, replacing the app, new backup codes; views.py) needs
  fresh proof through ``verify``: a code the app shows now, or a backup code.
"""

import base64
import re
from dataclasses import dataclass

import django_otp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

BACKUP_DEVICE_NAME = "reservecodes"
TOTP_DEVICE_NAME = "authenticator-app"
BACKUP_CODE_COUNT = 10
_TOTP_RE = re.compile(r"^\d{6}$")


def mfa_required(user) -> bool:
    """Must this user verify a code after the password (role, or Django admin access)?"""
    if not getattr(user, "is_authenticated", False):
        return False
    roles = set(getattr(settings, "SROI_MFA_REQUIRED_ROLES", ()))
    return user.role in roles or user.is_staff or user.is_superuser


# The session was verified by the identity provider's own multi-factor authentication: {"user", "provider"}.
PROVIDER_MFA_SESSION_KEY = "sroi_mfa_by_provider"


def mark_verified_by_provider(request, user, *, provider: str) -> None:
    """The provider asserted multi-factor authentication for this sign-in: no second step here."""
    request.session[PROVIDER_MFA_SESSION_KEY] = {"user": user.pk, "provider": provider}


def verified_by_provider(request) -> bool:
    user = getattr(request, "user", None)
    marker = request.session.get(PROVIDER_MFA_SESSION_KEY) if hasattr(request, "session") else None
    return bool(user and user.is_authenticated and marker and marker.get("user") == user.pk)


def session_verified(request) -> bool:
    """Has this session passed the second step: a code here (django-otp), or the provider's own MFA?"""
    user = request.user
    return bool(getattr(user, "is_verified", lambda: False)()) or verified_by_provider(request)


def confirmed_totp(user):
    """The user's confirmed authenticator app (``TOTPDevice``), or None."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def has_confirmed_totp(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def mfa_applies(user) -> bool:
    """Verification is needed: the role requires it, or the user switched it on (has an app)."""
    return mfa_required(user) or (getattr(user, "is_authenticated", False) and has_confirmed_totp(user))


def pending_totp(user) -> TOTPDevice:
    """The unconfirmed device being enrolled (one per user; reloading the page keeps the secret)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def base32_secret(device: TOTPDevice) -> str:
    """The secret as authenticator apps want it typed: base32, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice, *, label: str) -> str:
    """The ``otpauth://`` URL of ``device`` as an inline SVG element (no data: URI, no style attribute)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=4)
    svg = image.to_string(encoding="unicode")
    svg = re.sub(r'\swidth="[^"]*"\sheight="[^"]*"', "", svg, count=1)
    return svg.replace("<svg ", f'<svg class="qr-code" role="img" aria-label="{escape(label)}" ', 1)


def normalise_token(token: str) -> str:
    return re.sub(r"[\s-]", "", token or "").lower()


@dataclass
class Outcome:
    device: object = None  # the device that accepted the code
    throttled_seconds: int = 0  # > 0: too many wrong codes, wait this long
    backup_codes_left: int | None = None  # set when a backup code was used


def _wait_seconds(device) -> int:
    allowed, data = device.verify_is_allowed()
    if allowed:
        return 0
    until = (data or {}).get("locked_until")
    if until is None:
        return 1
    return max(1, int((until - timezone.now()).total_seconds() + 0.999))


def verify(user, token: str) -> Outcome:
    """Check a code of the user's app (six digits) or one of the backup codes.

    Runs django-otp's own checks inside a transaction with the device row locked: a code that was
    already used (same or earlier time step) is refused, a used backup code is deleted, and after
    a wrong code the device waits 1, 2, 4, ... seconds before it accepts another try.
    """
    token = normalise_token(token)
    if not token:
        return Outcome()
    if _TOTP_RE.match(token):
        devices = TOTPDevice.objects.filter(user=user, confirmed=True)
    else:
        devices = StaticDevice.objects.filter(user=user, confirmed=True)
    waits = []
    for device in devices.order_by("pk"):
        if wait := _wait_seconds(device):
            waits.append(wait)
            continue
        accepted = django_otp.verify_token(user, device.persistent_id, token)
        if accepted is not None:
            outcome = Outcome(device=accepted)
            if isinstance(accepted, StaticDevice):
                outcome.backup_codes_left = accepted.token_set.count()
            return outcome
    return Outcome(throttled_seconds=min(waits) if waits else 0)


def confirm_enrolment(user, device: TOTPDevice, token: str, *, replace: bool = False) -> bool:
    """Confirm the pending ``device`` with the first code of the app; False for a wrong code (then
    nothing changes). With ``replace`` the user's earlier app is deleted in the same transaction:
    its codes stop working, and sessions verified with it must verify again (the new app)."""
    token = normalise_token(token)
    if not _TOTP_RE.match(token):
        return False
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
        if not device.verify_token(token):
            return False
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        others = TOTPDevice.objects.filter(user=user).exclude(pk=device.pk)
        if not replace:
            others = others.filter(confirmed=False)
        others.delete()
    return True


def new_backup_codes(user) -> list[str]:
    """Replace the user's backup codes by ten new ones; returns them (the only time they are shown)."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
        codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
        StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def remove_devices(user) -> int:
    """Delete the user's app and backup codes (switching off, or a reset by the administrator)."""
    with transaction.atomic():
        removed, _ = TOTPDevice.objects.filter(user=user).delete()
        removed_static, _ = StaticDevice.objects.filter(user=user).delete()
    return removed + removed_static


def format_backup_code(code: str) -> str:
    return f"{code[:4]} {code[4:]}"
