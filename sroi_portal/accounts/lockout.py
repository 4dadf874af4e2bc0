"""Lock-out after repeated failed logins (django-axes): the user name axes counts, and the Dutch page.

Axes counts failures per combination of the typed e-mail address (lower-cased, so changing the
case does not give new tries) and the client's IP address (``AXES_LOCKOUT_PARAMETERS``). After
``AXES_FAILURE_LIMIT`` failures that combination is locked for ``AXES_COOLOFF_TIME``; the
functional administrator lifts it in the admin (Axes > Toegangspogingen, or the action on a user)
or with ``manage.py axes_reset_username <e-mailadres>``.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.shortcuts import render

from axes.helpers import get_cool_off


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
    }
    return render(request, "registration/lockout.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
