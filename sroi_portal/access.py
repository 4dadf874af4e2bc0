"""The access helpers: the one place that decides what a user may see and change.

Every page and API endpoint takes its querysets from here (``*_for(user)``) and asks
``may_*`` before a write. Rules (role + municipality + supplier organisation):

- functional administrator (and superuser): everything;
- inkoop: contracts of its municipalities, read and write; no registrations (personal data);
- SR-team: contracts of its municipalities and their registrations, read and decide;
- supplier user: its own organisation's contracts, read; their registrations, read and write;
- raadslid: aggregates only, never individual contracts or registrations.

Objects outside a user's scope are simply not in the queryset, so asking for them gives a 404,
which tells nothing about whether they exist.
"""

from django.db.models import QuerySet

from sroi_portal.models import Role


def _role(user):
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser:
        return Role.BEHEERDER
    return user.role or None


def is_beheerder(user) -> bool:
    return _role(user) == Role.BEHEERDER


def may_see_signals(user) -> bool:
    """The flags on registrations (the same candidate counted twice, a reference with other data) are
    for the SR-team (and the functional administrator) only: a supplier learns nothing from them about
    another supplier's candidates (issue #11, item 8)."""
    return _role(user) in (Role.SR_TEAM, Role.BEHEERDER)


def gemeenten_for(user) -> QuerySet:
    """Municipalities a user works for (all for the administrator; none for suppliers)."""
    from contracts.models import Gemeente

    role = _role(user)
    if role == Role.BEHEERDER:
        return Gemeente.objects.all()
    if role in (Role.INKOOP, Role.SR_TEAM, Role.RAADSLID):
        return Gemeente.objects.filter(medewerkers=user)
    return Gemeente.objects.none()


def contracts_for(user, *, write: bool = False) -> QuerySet:
    from contracts.models import Contract

    role = _role(user)
    qs = Contract.objects.all()
    if role == Role.BEHEERDER:
        return qs
    if role in (Role.INKOOP, Role.SR_TEAM):
        return qs.filter(gemeente__in=gemeenten_for(user).values("pk"))
    if role == Role.LEVERANCIER and not write:
        return qs.filter(leverancier_id=user.leverancier_id)
    return qs.none()


def registraties_for(user, *, write: bool = False) -> QuerySet:
    """Registrations a user may see; with ``write=True`` those it may edit (suppliers only)."""
    from bouwblokken.models import Registratie

    role = _role(user)
    qs = Registratie.objects.all()
    if role == Role.BEHEERDER:
        return qs
    if role == Role.SR_TEAM and not write:
        return qs.filter(contract__gemeente__in=gemeenten_for(user).values("pk"))
    if role == Role.LEVERANCIER:
        return qs.filter(contract__leverancier_id=user.leverancier_id)
    return qs.none()


def leveranciers_for(user) -> QuerySet:
    from contracts.models import Leverancier

    role = _role(user)
    if role in (Role.BEHEERDER, Role.INKOOP, Role.SR_TEAM):
        return Leverancier.objects.all()
    if role == Role.LEVERANCIER:
        return Leverancier.objects.filter(pk=user.leverancier_id)
    return Leverancier.objects.none()


def may_create_contract(user, gemeente) -> bool:
    role = _role(user)
    if role == Role.BEHEERDER:
        return True
    return role in (Role.INKOOP, Role.SR_TEAM) and gemeenten_for(user).filter(pk=gemeente.pk).exists()


def may_create_leverancier(user) -> bool:
    return _role(user) in (Role.BEHEERDER, Role.INKOOP, Role.SR_TEAM)


def may_register(user, contract) -> bool:
    """May ``user`` add registrations to ``contract``? Suppliers on their own contracts only."""
    role = _role(user)
    if role == Role.BEHEERDER:
        return True
    return role == Role.LEVERANCIER and contract.leverancier_id == user.leverancier_id


def may_decide(user, registratie) -> bool:
    """May ``user`` approve or reject ``registratie``? The SR-team of the contract's municipality."""
    role = _role(user)
    if role == Role.BEHEERDER:
        return True
    return role == Role.SR_TEAM and gemeenten_for(user).filter(pk=registratie.contract.gemeente_id).exists()


def may_manage_contract(user, contract) -> bool:
    """Intake, exemption, value changes, settlement: the SR-team (and inkoop for value data)."""
    role = _role(user)
    if role == Role.BEHEERDER:
        return True
    return role in (Role.INKOOP, Role.SR_TEAM) and contracts_for(user).filter(pk=contract.pk).exists()


def may_see_aggregates(user, gemeente) -> bool:
    """Council figures: raadsleden, SR-team and inkoop of the municipality, and the administrator."""
    role = _role(user)
    if role == Role.BEHEERDER:
        return True
    return role in (Role.RAADSLID, Role.SR_TEAM, Role.INKOOP) and gemeenten_for(user).filter(pk=gemeente.pk).exists()
