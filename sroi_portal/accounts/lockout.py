"""Lock-out after repeated failed logins (django-axes): the user name axes counts, and the Dutch page.

Axes counts failures per account, from whatever address (the typed e-mail address, lower-cased, so
changing the case does not give new tries), and per client IP address, over whatever accounts
(``AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]``): an attacker who rotates addresses is
locked out of the account, one address that tries many accounts is locked out of all of them.
After ``AXES_FAILURE_LIMIT`` failures the account, or the address, is locked for
``AXES_COOLOFF_TIME``; the functional administrator lifts it in the admin (Axes >
Toegangspogingen, or the action on a user) or with ``manage.py axes_reset_username <e-mailadres>``
(``axes_reset_ip <adres>`` for an address).

A successful login clears only that account's failures from that address (``LockoutHandler``):
axes' own reset would clear everything matching either parameter, so logging in to one's own
account would wipe an address's failures on other accounts.

The client's IP address (``client_ip_address``, axes' ``AXES_CLIENT_IP_CALLABLE``) is
``REMOTE_ADDR`` unless the operator says reverse proxies are in front (``SROI_TRUSTED_PROXY_COUNT``).
"""

import ipaddress

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q
from django.shortcuts import render

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler, with a narrower reset on a successful login (``AXES_RESET_ON_SUCCESS``)."""

    def reset_user_attempts(self, request, credentials=None) -> int:
        """Clear the failures of this account from this address only: knowing one account's password
        says nothing about the other accounts tried from the address, nor about other addresses
        trying this account."""
        username = get_client_username(request, credentials)
        deleted, _ = AccessAttempt.objects.filter(username=username, ip_address=request.axes_ip_address).delete()
        return deleted


def _locked_by(request, credentials):
    """Which lock holds: ``"account"`` (failures on this e-mail address from any address) or
    ``"address"`` (failures from this IP address on any account)."""
    username = get_client_username(request, credentials)
    recent = AccessAttempt.objects.all()
    if settings.AXES_COOLOFF_TIME is not None:
        recent = recent.filter(attempt_time__gte=get_cool_off_threshold(request))
    if username:
        failures = sum(recent.filter(username=username).values_list("failures_since_start", flat=True))
        if failures >= settings.AXES_FAILURE_LIMIT:
            return "account"
    return "address"


def username_from_request(request, credentials):
    """The identifier axes records: the account's e-mail address (lower-cased) when the typed value
    names an account (by e-mail address in any case, or by user name, as the login accepts), else
    the typed value lower-cased. So the admin login with a user name, the portal login with the
    e-mail address and a successful login (which axes reports by user name) count as one."""
    value = ""
    if credentials:
        value = credentials.get(settings.AXES_USERNAME_FORM_FIELD) or credentials.get("email") or ""
    if not value and request is not None:
        data = getattr(request, "POST", None) or {}
        value = data.get(settings.AXES_USERNAME_FORM_FIELD, "")
    value = (value or "").strip()
    if not value:
        return None
    user = (
        get_user_model()._default_manager.filter(Q(email__iexact=value) | Q(username=value))
        .order_by("pk").only("email").first()
    )
    if user is not None and user.email:
        return user.email.lower()
    return value.lower()


def lockout_response(request, original_response=None, credentials=None):
    """The Dutch lock-out page (status 429): how long, and whom to ask."""
    cool_off = get_cool_off(request)
    minutes = int(cool_off.total_seconds() // 60) if cool_off else None
    context = {
        "minutes": minutes,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "locked_by": _locked_by(request, credentials),
    }
    return render(request, "registration/lockout.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)


def _trusted_networks():
    networks = []
    for value in getattr(settings, "SROI_TRUSTED_PROXY_IPS", ()) or ():
        try:
            networks.append(ipaddress.ip_network(str(value).strip(), strict=False))
        except ValueError as error:
            raise ImproperlyConfigured(f"SROI_TRUSTED_PROXY_IPS: {value!r} is geen IP-adres of netwerk") from error
    return networks


def _ip(value):
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def client_ip_address(request):
    """The client's IP address as axes records it.

    ``SROI_TRUSTED_PROXY_COUNT`` = 0 (the default): ``REMOTE_ADDR``; ``X-Forwarded-For`` is ignored,
    because any client can send that header. With N > 0 proxies in front, each of which appends the
    address it received the request from, the client is the N-th address from the right of
    ``X-Forwarded-For`` (whatever a client wrote further left is ignored). ``REMOTE_ADDR`` is used
    when the header has fewer than N addresses (the request did not pass all proxies), when that
    entry is no IP address, or when ``SROI_TRUSTED_PROXY_IPS`` is set and ``REMOTE_ADDR`` is not in it.
    """
    remote = request.META.get("REMOTE_ADDR")
    count = int(getattr(settings, "SROI_TRUSTED_PROXY_COUNT", 0) or 0)
    if count <= 0:
        return remote
    networks = _trusted_networks()
    if networks:
        remote_ip = _ip(remote)
        if remote_ip is None or not any(ipaddress.ip_address(remote_ip) in net for net in networks):
            return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < count:
        return remote
    return _ip(forwarded[-count]) or remote
