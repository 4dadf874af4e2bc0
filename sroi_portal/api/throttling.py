"""API rate limits (DRF throttles): per user (so per token: a user has one) and per client address.

``SROI_API_THROTTLE_USER`` (default ``300/minute``) limits every authenticated user, whether by token
or by browser session; ``SROI_API_THROTTLE_ANON`` (default ``30/minute``) limits anonymous requests
per client IP address, the address the lock-out uses (``sroi_portal.accounts.lockout.client_ip_address``,
so ``X-Forwarded-For`` only counts behind ``SROI_TRUSTED_PROXY_COUNT`` proxies; DRF's own
``get_ident`` would believe any client's header). Over the limit: 429 ``application/problem+json``
in Dutch with ``Retry-After`` (``sroi_portal.api.problems.exception_handler``).

The counts live in Django's default cache, which must be shared by all processes: Redis in
production (``CACHE_URL``, or the Redis broker URL; settings). The rates are read from the settings
on every request (DRF's own classes read them once, at import). A cache that does not answer
lets the request through (logged): the limit is a brake on abuse, not a reason to refuse work.
"""

import logging

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from sroi_portal.accounts.lockout import client_ip_address

logger = logging.getLogger(__name__)


class _PortalThrottle:
    rate_setting = ""

    def get_rate(self):
        return getattr(settings, self.rate_setting)

    def get_ident(self, request):
        return client_ip_address(request) or ""

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception:  # the cache (Redis) is down: do not refuse the request for it
            logger.warning("API-limiet niet gecontroleerd: de cache antwoordt niet", exc_info=True)
            return True


class UserThrottle(_PortalThrottle, UserRateThrottle):
    """Per authenticated user (token or session); anonymous requests fall back to the address."""

    rate_setting = "SROI_API_THROTTLE_USER"


class AnonThrottle(_PortalThrottle, AnonRateThrottle):
    """Per client address, for requests without a user."""

    rate_setting = "SROI_API_THROTTLE_ANON"
