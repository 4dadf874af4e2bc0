"""Page-level access predicates on top of ``sroi_portal.access`` (which stays the single source of scope).

``access`` decides which objects a user may see or change; these helpers answer the questions a
page asks in addition: is this a page for this role at all, and may this user see the
special-category part of a registration.
"""

from sroi_portal import access
from sroi_portal.models import Role


def is_supplier_user(user) -> bool:
    return access._role(user) == Role.LEVERANCIER


def may_use_supplier_pages(user) -> bool:
    """The supplier's own pages (overview, registering, evidence): supplier users and the administrator."""
    return access._role(user) in (Role.LEVERANCIER, Role.BEHEERDER)


def may_see_council_pages(user) -> bool:
    """The council's read-only figures: raadsleden, inkoop, SR-team (their municipalities) and the administrator."""
    return access._role(user) in (Role.RAADSLID, Role.INKOOP, Role.SR_TEAM, Role.BEHEERDER)


def is_special_category(registratie) -> bool:
    """A ``gevoelig`` bouwblok, or a bonus on a placement with one: its page names that placement's
    bouwblok (WIA, banenafspraak) next to the candidate. Needs ``bouwblok`` and, for a bonus,
    ``hoofdregistratie__bouwblok`` loaded to run without a query."""
    if registratie.bouwblok.gevoelig:
        return True
    return registratie.hoofdregistratie_id is not None and registratie.hoofdregistratie.bouwblok.gevoelig


def may_see_special_category(user, registratie) -> bool:
    """Health-related data (``bouwblok.gevoelig``: banenafspraak, WIA, work limitation) and the candidate
    behind it: only the supplier that registered it and the SR-team of the contract (rules §4).

    Not the functional administrator and not inkoop. For a non-sensitive bouwblok this is simply
    "may see the registration".
    """
    role = access._role(user)
    contract = registratie.contract
    if role == Role.LEVERANCIER:
        return contract.leverancier_id == user.leverancier_id
    if role == Role.SR_TEAM:
        return access.gemeenten_for(user).filter(pk=contract.gemeente_id).exists()
    if not is_special_category(registratie):
        return access.registraties_for(user).filter(pk=registratie.pk).exists()
    return False


def may_edit_registratie(user, registratie) -> bool:
    """Correct a concept or rejected registration: the supplier (or the administrator) while it is editable."""
    return (
        registratie.is_editable_by_supplier
        and not hasattr(registratie.contract, "afrekening")
        and access.may_register(user, registratie.contract)
    )


def may_add_evidence(user, registratie) -> bool:
    """Evidence can be added until the registration is approved (the SR-team may ask for more)."""
    return (
        registratie.status != "goedgekeurd"
        and not hasattr(registratie.contract, "afrekening")
        and access.may_register(user, registratie.contract)
    )
