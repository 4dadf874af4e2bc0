"""Template context for every page: what the navigation shows for the signed-in user's role.

Decided from the role alone (no queries); the pages themselves check access on every request.
"""

from django.conf import settings

from sroi_portal import access_pages
from sroi_portal.models import Role


def portal(request):
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    role = None
    if signed_in:
        role = Role.BEHEERDER if user.is_superuser else (user.role or None)
    return {
        "nav": {
            "signed_in": signed_in,
            "role": role,
            "role_label": Role(role).label if role in Role.values else "",
            "supplier": signed_in and access_pages.may_use_supplier_pages(user),
            "council": signed_in and access_pages.may_see_council_pages(user),
            "staff": role in (Role.INKOOP, Role.SR_TEAM, Role.BEHEERDER),
        },
        "oidc_enabled": getattr(settings, "OIDC_ENABLED", False),
    }
