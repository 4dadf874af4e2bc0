"""Template context for every page: what the navigation shows for the signed-in user's role.

Decided from the role alone (no queries); the pages themselves check access on every request.

The main menu (``nav.menu``, rendered by partials/nav.html) is grouped by task, each group a
labelled list: "Contracten", "Controle", "Raad en cijfers", "Beheer", and the user's own "Account".
A role sees only the entries of the pages it may open; a group without entries is left out.
"""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from sroi_portal import access_pages
from sroi_portal.admin_site import may_use_admin
from sroi_portal.models import Role

STAFF = (Role.INKOOP, Role.SR_TEAM, Role.BEHEERDER)


@dataclass(frozen=True)
class MenuItem:
    label: str
    url: str
    current: bool = False


@dataclass(frozen=True)
class MenuGroup:
    key: str  # the id of its label: "menu-<key>"
    label: str  # "" for the entries above the groups (Start, the supplier's own pages)
    items: tuple


class Menu:
    """The entries for ``role`` on the page of ``request``; built when a template first asks."""

    def __init__(self, request, role, *, supplier: bool, council: bool, admin: bool):
        self.request, self.role, self.supplier, self.council, self.admin = request, role, supplier, council, admin

    def _here(self):
        match = getattr(self.request, "resolver_match", None)
        return (match.namespace, match.url_name) if match else ("", "")

    def _item(self, label, name, *, current=None):
        ns, url_name = self._here()
        view_name = f"{ns}:{url_name}" if ns else url_name
        return MenuItem(label, reverse(name), view_name == name if current is None else current)

    @cached_property
    def groups(self) -> list[MenuGroup]:
        role = self.role
        if role is None:
            return []
        ns, url_name = self._here()
        staff, srteam = role in STAFF, role in (Role.SR_TEAM, Role.BEHEERDER)
        inkoop = role in (Role.INKOOP, Role.BEHEERDER)

        top = [self._item(_("Start"), "home", current=url_name == "home" and not ns)]
        if self.supplier:
            top.append(self._item(_("Mijn contracten"), "bouwblokken:overzicht", current=ns == "bouwblokken"))
        if role == Role.LEVERANCIER:
            top.append(self._item(_("Verhalen"), "reporting:verhalen"))
            top.append(self._item(_("Duurzaam werk"), "reporting:vervolg_lijst"))

        contracten = []
        if staff:
            contracten.append(self._item(_("Contracten"), "contracts:list"))
        if inkoop:
            contracten.append(self._item(_("Contract invoeren"), "contracts:create"))
            contracten.append(self._item(_("Importeren"), "contracts:import"))
        if srteam:
            contracten.append(self._item(_("Inbox"), "contracts:inbox"))

        controle = []
        if srteam:
            controle.append(self._item(_("Controle"), "controle:queue"))
            controle.append(self._item(_("Verhalen"), "reporting:verhalen"))

        cijfers = []
        # One entry for the council's figures: /raad/ summarises them per municipality and leads to the
        # full dashboard (/rapportage/) and its PDF, so both count as this entry.
        if self.council:
            cijfers.append(self._item(_("Cijfers voor de raad"), "raad:index", current=(
                ns == "raad" or (ns == "reporting" and url_name in ("index", "dashboard"))
            )))
        if staff:
            cijfers.append(self._item(_("Banenafspraak"), "banenafspraak:overzicht"))
        elif role == Role.RAADSLID:
            cijfers.append(self._item(_("Banenafspraak"), "banenafspraak:raad"))
        if staff or role == Role.RAADSLID:
            cijfers.append(self._item(_("Banenafspraak in de regio's"), "banenafspraak:regio"))
        if staff:
            cijfers.append(self._item(_("Exporteren"), "reporting:export"))
        if srteam:
            cijfers.append(self._item(_("Budget SR-team"), "reporting:teambudget"))

        beheer = []
        if role == Role.BEHEERDER:
            beheer.append(self._item(_("Logboek dataverwerkingen"), "beheer:verwerkingen"))
        if self.admin:
            beheer.append(self._item(_("Beheeromgeving"), "admin:index", current=ns == "admin"))

        account = [
            self._item(_("Account"), "account", current=url_name == "account" and not ns),
            self._item(_("Wachtwoord wijzigen"), "password_change"),
        ]
        if role == Role.RAADSLID or not (staff or self.supplier):
            # Few entries: the council's figures sit with Start rather than in a group of their own.
            top, cijfers = top + cijfers, []
        groups = [
            MenuGroup("algemeen", "", tuple(top)),
            MenuGroup("contracten", _("Contracten"), tuple(contracten)),
            MenuGroup("controle", _("Controle"), tuple(controle)),
            MenuGroup("cijfers", _("Raad en cijfers"), tuple(cijfers)),
            MenuGroup("beheer", _("Beheer"), tuple(beheer)),
            MenuGroup("account", _("Uw account"), tuple(account)),
        ]
        return [group for group in groups if group.items]

    @property
    def entries(self) -> list[MenuItem]:
        """Every entry but the account's, in menu order (the start page's links for staff)."""
        return [item for group in self.groups if group.key not in ("algemeen", "account") for item in group.items]


def portal(request):
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    role = None
    if signed_in:
        role = Role.BEHEERDER if user.is_superuser else (user.role or None)
    supplier = signed_in and access_pages.may_use_supplier_pages(user)
    council = signed_in and access_pages.may_see_council_pages(user)
    return {
        "nav": {
            "signed_in": signed_in,
            "role": role,
            "role_label": Role(role).label if role in Role.values else "",
            "supplier": supplier,
            "council": council,
            "staff": role in STAFF,
            "menu": Menu(request, role if signed_in else None, supplier=supplier, council=council,
                         admin=signed_in and may_use_admin(user)),
        },
        "oidc_enabled": getattr(settings, "OIDC_ENABLED", False),
    }
