"""Who may see and change banenafspraak data, built on :func:`sroi_portal.access.gemeenten_for`.

- functional administrator (and superuser): everything, including employers without a
  municipality (the national-government case);
- inkoop and SR-team: the employers (units, targets, measured totals, counted figures) of their
  municipalities, read and write;
- person-level records (:class:`~banenafspraak.models.Dienstverband`: doelgroepregister =
  health-related special-category data): the functional administrator and the SR-team of the
  municipality only; inkoop sees the counted totals, not the people;
- raadslid: the council view of its municipalities (aggregates only), never a unit or a person;
- supplier users and anonymous users: nothing.

Regional figures (indicative targets, UWV trend) are public statistics: every municipal role sees
them; importing them is for the functional administrator (shared reference data).

Objects outside a user's scope are not in the queryset, so asking for them gives a 404.
"""

from django.db.models import QuerySet

from sroi_portal import access
from sroi_portal.access import _role  # the user's effective role, decided in one place
from sroi_portal.models import Role

from .models import Dienstverband, Doel, Telling, Werkgever

_STAFF = (Role.INKOOP, Role.SR_TEAM)
_MUNICIPAL = (Role.INKOOP, Role.SR_TEAM, Role.RAADSLID)


def werkgevers_for(user, *, write: bool = False) -> QuerySet:
    """Employers and units the user may see (and, for staff, change)."""
    role = _role(user)
    qs = Werkgever.objects.all()
    if role == Role.BEHEERDER:
        return qs
    if role in _STAFF:
        return qs.filter(gemeente__in=access.gemeenten_for(user).values("pk"))
    return qs.none()


def doelen_for(user) -> QuerySet:
    return Doel.objects.filter(werkgever__in=werkgevers_for(user).values("pk"))


def tellingen_for(user) -> QuerySet:
    return Telling.objects.filter(werkgever__in=werkgevers_for(user).values("pk"))


def dienstverbanden_for(user, *, write: bool = False) -> QuerySet:
    """Person-level records: the administrator and the SR-team of the municipality only."""
    role = _role(user)
    qs = Dienstverband.objects.all()
    if role == Role.BEHEERDER:
        return qs
    if role == Role.SR_TEAM:
        return qs.filter(werkgever__gemeente__in=access.gemeenten_for(user).values("pk"))
    return qs.none()


def may_use_person_records(user) -> bool:
    """May the user work with person-level records at all (of some municipality)?"""
    return _role(user) in (Role.BEHEERDER, Role.SR_TEAM)


def may_see_person_records(user, werkgever: Werkgever) -> bool:
    role = _role(user)
    if role == Role.BEHEERDER:
        return True
    return role == Role.SR_TEAM and werkgever.gemeente_id is not None and access.gemeenten_for(user).filter(
        pk=werkgever.gemeente_id
    ).exists()


def may_manage_werkgever(user, werkgever: Werkgever) -> bool:
    """Add units, targets and measured totals to ``werkgever``."""
    role = _role(user)
    if role == Role.BEHEERDER:
        return True
    return role in _STAFF and werkgever.gemeente_id is not None and access.gemeenten_for(user).filter(
        pk=werkgever.gemeente_id
    ).exists()


def may_create_werkgever(user, gemeente) -> bool:
    """A top-level employer for ``gemeente`` (None: without a municipality, administrator only)."""
    role = _role(user)
    if role == Role.BEHEERDER:
        return True
    return role in _STAFF and gemeente is not None and access.gemeenten_for(user).filter(pk=gemeente.pk).exists()


def may_see_council_figures(user, gemeente) -> bool:
    """The council view: raadsleden, SR-team and inkoop of the municipality, and the administrator."""
    return access.may_see_aggregates(user, gemeente)


def council_gemeenten_for(user) -> QuerySet:
    """Municipalities whose council view the user may see."""
    from contracts.models import Gemeente

    role = _role(user)
    if role == Role.BEHEERDER or role in _MUNICIPAL:
        return access.gemeenten_for(user)
    return Gemeente.objects.none()


def may_see_regional(user) -> bool:
    role = _role(user)
    return role == Role.BEHEERDER or role in _MUNICIPAL


def may_import_regional(user) -> bool:
    return _role(user) == Role.BEHEERDER


def may_use_staff_pages(user) -> bool:
    """The HR/project-group pages (employers and units)."""
    role = _role(user)
    return role == Role.BEHEERDER or role in _STAFF
