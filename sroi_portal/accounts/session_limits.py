"""Sessions end after an idle time as well as after a fixed time since signing in.

``SessionLimitsMiddleware`` (in ``MIDDLEWARE`` after the message middleware and before
django-otp's) logs out a session that has been idle for more than ``SROI_SESSION_IDLE_MINUTES``
(default 30) or that was signed in more than ``SESSION_COOKIE_AGE`` seconds ago (default 8 hours),
whatever way it signed in; ``stamp_sign_in`` (connected to ``user_logged_in`` in
``sroi_portal.apps``) notes the moment of signing in.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.utils.translation import gettext as _

IDLE_SESSION_KEY = "sroi_last_activity"
START_SESSION_KEY = "sroi_signed_in_at"
# The last-activity time is written at most once a minute (a session save per request otherwise).
ACTIVITY_RESOLUTION_SECONDS = 60


def stamp_sign_in(sender, request, user, **kwargs):
    """``user_logged_in``: the session starts its clocks now (the login form, the admin, OIDC, and
    the test client's login/force_login alike). A new sign-in in the same browser restarts them."""
    session = getattr(request, "session", None)
    if session is not None:
        now = time.time()
        session[START_SESSION_KEY] = now
        session[IDLE_SESSION_KEY] = now


class SessionLimitsMiddleware:
    """A signed-in session ends after ``SROI_SESSION_IDLE_MINUTES`` without requests (default 30) and,
    whatever the activity, ``SESSION_COOKIE_AGE`` seconds after signing in (default 8 hours).

    The times are kept in the session (Unix seconds). The absolute limit is checked here too: the
    session store's own expiry date moves forward whenever the session is saved, which the activity
    time does every minute. An ended session is logged out (the session flushed): pages then send
    the user to the login page with ``next`` back, the API answers 401/403 problem+json. Placed
    after the message middleware (the login page says why) and before ``MFARequiredMiddleware``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        now = time.time()
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            reason = self._ended(request.session, now)
            if reason:
                logout(request)
                messages.info(request, reason)
        response = self.get_response(request)
        user = getattr(request, "user", None)  # the view may have logged someone in or out
        session = getattr(request, "session", None)
        # Only a session that holds the signed-in user: a token request (DRF puts its user on the
        # request) must not get a session row of its own on every call.
        if user is not None and user.is_authenticated and session is not None and SESSION_KEY in session:
            if START_SESSION_KEY not in session:  # a session from before these limits
                session[START_SESSION_KEY] = now
            last = session.get(IDLE_SESSION_KEY)
            if last is None or now - last >= ACTIVITY_RESOLUTION_SECONDS:
                session[IDLE_SESSION_KEY] = now
        return response

    @staticmethod
    def _ended(session, now) -> str:
        """Why the session has ended (a Dutch sentence for the login page), or "" when it has not."""
        last = session.get(IDLE_SESSION_KEY)
        if last is not None and now - last > settings.SROI_SESSION_IDLE_MINUTES * 60:
            return _("U bent uitgelogd omdat u %(minutes)d minuten niets in het portaal heeft gedaan. "
                     "Log opnieuw in.") % {"minutes": settings.SROI_SESSION_IDLE_MINUTES}
        started = session.get(START_SESSION_KEY)
        if started is not None and now - started > settings.SESSION_COOKIE_AGE:
            return _("U bent uitgelogd omdat u langer dan %(hours)d uur was ingelogd. Log opnieuw in.") % {
                "hours": settings.SESSION_COOKIE_AGE // 3600}
        return ""
