"""Users and their role.

A user has exactly one role. Staff roles (inkoop, SR-team, raadslid) are scoped to one or more
municipalities; supplier users belong to one supplier organisation. The functional administrator
(and a Django superuser) may see everything. What a role may see is decided in
``sroi_portal.access`` and nowhere else.
"""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    INKOOP = "inkoop", _("Inkoop")
    SR_TEAM = "sr_team", _("SR-team")
    LEVERANCIER = "leverancier", _("Leverancier")
    RAADSLID = "raadslid", _("Raadslid")
    BEHEERDER = "beheerder", _("Functioneel beheerder")


STAFF_ROLES = frozenset({Role.INKOOP, Role.SR_TEAM, Role.RAADSLID})


class User(AbstractUser):
    email = models.EmailField(_("e-mailadres"), unique=True, null=True, blank=True)
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices, blank=True)
    gemeenten = models.ManyToManyField(
        "contracts.Gemeente",
        verbose_name=_("gemeenten"),
        blank=True,
        related_name="medewerkers",
        help_text=_("Voor inkoop, SR-team en raadsleden: de gemeenten waarvoor deze gebruiker werkt."),
    )
    leverancier = models.ForeignKey(
        "contracts.Leverancier",
        verbose_name=_("leverancier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="gebruikers",
        help_text=_("Voor leveranciersgebruikers: de organisatie waarvoor deze gebruiker registreert."),
    )

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        constraints = [
            # A supplier user always belongs to a supplier; nobody else does.
            models.CheckConstraint(
                condition=(Q(role="leverancier") & Q(leverancier__isnull=False))
                | (~Q(role="leverancier") & Q(leverancier__isnull=True)),
                name="user_leverancier_only_for_supplier_role",
            ),
        ]

    @property
    def is_beheerder(self) -> bool:
        return self.is_superuser or self.role == Role.BEHEERDER

    @property
    def is_sr_team(self) -> bool:
        return self.role == Role.SR_TEAM

    @property
    def is_inkoop(self) -> bool:
        return self.role == Role.INKOOP

    @property
    def is_leverancier(self) -> bool:
        return self.role == Role.LEVERANCIER

    @property
    def is_raadslid(self) -> bool:
        return self.role == Role.RAADSLID
