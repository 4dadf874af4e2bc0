"""Users and their role.

A user has exactly one role. Staff roles (inkoop, SR-team, raadslid) are scoped to one or more
municipalities; supplier users belong to one supplier organisation. The functional administrator
(and a Django superuser) may see everything. What a role may see is decided in
``sroi_portal.access`` and nowhere else.
"""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
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


class Invitation(models.Model):
    """A one-time link with which a supplier's contact sets a password (issue #3, accounts).

    Only a SHA-256 hash of the token is stored: the token itself exists only in the e-mail. An
    invitation is valid until ``expires_at`` and can be used once (``accepted_at``). Created by
    ``sroi_portal.accounts.invitations.invite_supplier_user``.
    """

    email = models.EmailField(_("e-mailadres"))
    leverancier = models.ForeignKey(
        "contracts.Leverancier", verbose_name=_("leverancier"), on_delete=models.CASCADE, related_name="uitnodigingen"
    )
    contract = models.ForeignKey(
        "contracts.Contract", verbose_name=_("contract"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="uitnodigingen",
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        User, verbose_name=_("uitgenodigd door"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("verstuurd op"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("geldig tot"))
    accepted_at = models.DateTimeField(_("gebruikt op"), null=True, blank=True)
    user = models.ForeignKey(
        User, verbose_name=_("gebruiker"), null=True, blank=True, on_delete=models.SET_NULL, related_name="uitnodigingen"
    )

    class Meta:
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["email"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(user__isnull=False), name="invitation_accepted_has_user"
            ),
        ]

    def __str__(self):
        return f"{self.email} ({self.leverancier})"

    def is_usable(self, now=None) -> bool:
        return self.accepted_at is None and self.expires_at > (now or timezone.now())


class Verwerking(models.Model):
    """One row of the processing log (Logboek dataverwerkingen): who saw which special-category
    record, when, in which activity and why (``sroi_portal.processing_log``).

    Append-only: the admin is read-only and on PostgreSQL a trigger refuses UPDATE and DELETE (except
    clearing ``actor`` when a user is deleted, and the log's own retention purge). The actor's label
    and role are copied, so a row still says who it was after the user is gone. ``betrokkene`` is the
    pseudonymous reference of the person (candidate or employee), never a BSN.
    """

    tijdstip = models.DateTimeField(_("tijdstip"), default=timezone.now, db_index=True, editable=False)
    actor = models.ForeignKey(
        User, verbose_name=_("gebruiker"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(_("gebruiker (zoals vastgelegd)"), max_length=254)
    actor_rol = models.CharField(_("rol"), max_length=20, blank=True)
    activiteit = models.CharField(_("verwerkingsactiviteit"), max_length=40)
    doel = models.CharField(_("doel"), max_length=300)
    grondslag = models.CharField(_("grondslag"), max_length=300)
    object_type = models.CharField(_("soort gegeven"), max_length=40)
    object_id = models.CharField(_("nummer van het gegeven"), max_length=40)
    betrokkene = models.CharField(
        _("betrokkene"), max_length=40, blank=True, db_index=True,
        help_text=_("Pseudonieme referentie van de kandidaat of werknemer. Nooit een BSN."),
    )
    trace_id = models.CharField(_("verzoek-id"), max_length=64, blank=True, db_index=True)
    pad = models.CharField(_("pagina of endpoint"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("verwerking")
        verbose_name_plural = _("logboek dataverwerkingen")
        ordering = ["-tijdstip", "-id"]
        indexes = [models.Index(fields=["activiteit", "tijdstip"]), models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.tijdstip:%Y-%m-%d %H:%M} {self.actor_label} {self.activiteit} {self.object_type} {self.object_id}"


class OIDCIdentity(models.Model):
    """The link between a user and the identifier an OpenID Connect provider gives that person
    (``sroi_portal.accounts.oidc``): for eHerkenning the acting person's pseudonym, for the
    municipality's own sign-on the ``sub``. Made on the first sign-in (through an invitation, or by
    matching an existing staff user); afterwards the identifier alone finds the user. One identity
    per provider and user, and an identifier belongs to one user only."""

    class Provider(models.TextChoices):
        EHERKENNING = "eherkenning", _("eHerkenning")
        MEDEWERKERS = "medewerkers", _("Inlogdienst van de gemeente")

    provider = models.CharField(_("inlogdienst"), max_length=20, choices=Provider.choices)
    subject = models.CharField(_("identificatie bij de inlogdienst"), max_length=255)
    user = models.ForeignKey(
        User, verbose_name=_("gebruiker"), on_delete=models.CASCADE, related_name="oidc_identities"
    )
    created_at = models.DateTimeField(_("gekoppeld op"), default=timezone.now, editable=False)
    last_login_at = models.DateTimeField(_("laatst ingelogd"), null=True, blank=True)

    class Meta:
        verbose_name = _("koppeling met inlogdienst")
        verbose_name_plural = _("koppelingen met inlogdiensten")
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="oidc_identity_unique_subject"),
            models.UniqueConstraint(fields=["provider", "user"], name="oidc_identity_one_per_user"),
        ]

    def __str__(self):
        return f"{self.get_provider_display()}: {self.user}"
