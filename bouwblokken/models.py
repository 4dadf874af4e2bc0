"""The catalogue of bouwblokken (versioned per region), candidates and registrations with their
verification (SROI-RULES.md §2).

Valuation is pure arithmetic in ``bouwblokken.calculation``; writes go through
``bouwblokken.services``. No BSN is stored anywhere: a candidate is a pseudonymous reference,
initials and a year of birth (rules §4).
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from contracts.models import MONEY, PERCENT

from . import calculation


class Catalogus(models.Model):
    """One version of a region's bouwblokken catalogue; a contract uses the version in force at award."""

    regio = models.ForeignKey("contracts.Regio", verbose_name=_("regio"), on_delete=models.PROTECT, related_name="catalogi")
    naam = models.CharField(_("naam"), max_length=200)
    geldig_vanaf = models.DateField(_("geldig voor contracten gegund vanaf"))
    norm_uren_per_week = models.DecimalField(
        _("normuren per week"), max_digits=4, decimal_places=1, default=Decimal("36")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("catalogusversie")
        verbose_name_plural = _("catalogusversies")
        ordering = ["regio", "-geldig_vanaf"]
        constraints = [
            models.UniqueConstraint(fields=["regio", "geldig_vanaf"], name="catalogus_unique_per_date"),
            models.CheckConstraint(condition=Q(norm_uren_per_week__gt=0), name="catalogus_norm_hours_positive"),
        ]

    def __str__(self):
        return self.naam

    def is_in_use(self) -> bool:
        """A contract uses this version, or a registration one of its bouwblokken."""
        return self.contracten.exists() or Registratie.objects.filter(bouwblok__catalogus=self).exists()


class Waarderingswijze(models.TextChoices):
    PER_JAAR = "per_jaar", _("Per jaar, naar rato van uren en maanden")
    EENMALIG = "eenmalig", _("Eenmalig")
    KOSTEN = "kosten", _("Gemaakte kosten")
    FACTUUR = "factuur", _("Betaalde factuur (excl. btw)")
    PER_DAG = "per_dag", _("Per dag of afgesproken waarde")
    AFGESPROKEN = "afgesproken", _("Afgesproken waarde")


class Soort(models.TextChoices):
    PLAATSING = "plaatsing", _("Plaatsing van een kandidaat")
    BONUS = "bonus", _("Bonus bij een plaatsing")
    INKOOP = "inkoop", _("Sociaal inkopen")
    ACTIVITEIT = "activiteit", _("Maatschappelijke activiteit")
    PROJECT = "project", _("Social-returnproject")


class Bewijssoort(models.Model):
    """A kind of evidence the SR-team checks (SROI-RULES.md §3 step 6: employment contract, internship
    or BBL agreement, target-group statement, invoice, proof of payment, agreed plan, attendance list).

    Which kinds a bouwblok needs is data of its catalogue version (``Bouwblok.vereist_bewijs``); an
    upload says which kind it is (``Bewijsstuk.soort``). ``overig`` is for anything else (payslips,
    letters): never required, always allowed."""

    OVERIG = "overig"

    code = models.SlugField(_("code"), max_length=40, unique=True)
    naam = models.CharField(_("naam"), max_length=200)
    volgorde = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("soort bewijsstuk")
        verbose_name_plural = _("soorten bewijsstukken")
        ordering = ["volgorde", "code"]

    def __str__(self):
        return self.naam


class Bouwblok(models.Model):
    catalogus = models.ForeignKey(Catalogus, verbose_name=_("catalogus"), on_delete=models.CASCADE, related_name="bouwblokken")
    code = models.SlugField(_("code"), max_length=60)
    naam = models.CharField(_("naam"), max_length=200)
    soort = models.CharField(_("soort"), max_length=20, choices=Soort.choices)
    waarderingswijze = models.CharField(_("waarderingswijze"), max_length=20, choices=Waarderingswijze.choices)
    waarde = models.DecimalField(
        _("waarde"),
        null=True,
        blank=True,
        help_text=_("Per jaar bij 36 uur per week, eenmalig, of per dag; leeg bij kosten, facturen en afgesproken waarden."),
        **MONEY,
    )
    max_maanden = models.PositiveSmallIntegerField(
        _("maximaal aantal maanden"), null=True, blank=True, help_text=_("Leeg: geen maximum.")
    )
    min_uren_per_week = models.DecimalField(
        _("minimaal aantal uren per week"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    factuur_aandeel = models.DecimalField(_("telt mee voor (%)"), default=Decimal("100"), **PERCENT)
    combineerbaar_met_banenafspraak = models.BooleanField(_("combineerbaar met banenafspraak"), default=True)
    hoort_bij = models.JSONField(
        _("hoort bij plaatsing met bouwblok"),
        default=list,
        blank=True,
        help_text=_("Voor bonussen: de codes van de plaatsingen waarbij de bonus mag horen (leeg: elke plaatsing)."),
    )
    min_maanden_hoofdregistratie = models.PositiveSmallIntegerField(
        _("minimale duur van de bijbehorende plaatsing (maanden)"), null=True, blank=True
    )
    min_leeftijd = models.PositiveSmallIntegerField(_("minimale leeftijd bij start"), null=True, blank=True)
    doelgroep = models.CharField(_("doelgroep"), max_length=40, blank=True)
    gevoelig = models.BooleanField(
        _("bijzonder persoonsgegeven"),
        default=False,
        help_text=_("Gezondheidsgerelateerd (doelgroepregister, arbeidsbeperking): alleen zichtbaar voor wie het nodig heeft."),
    )
    volgorde = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    vereist_bewijs = models.ManyToManyField(
        Bewijssoort,
        verbose_name=_("vereist bewijs"),
        blank=True,
        related_name="bouwblokken",
        help_text=_("Zonder deze bewijsstukken keurt het SR-team een registratie alleen goed met een reden."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bouwblok")
        verbose_name_plural = _("bouwblokken")
        ordering = ["catalogus", "volgorde", "code"]
        constraints = [
            models.UniqueConstraint(fields=["catalogus", "code"], name="bouwblok_code_unique_per_catalogus"),
            models.CheckConstraint(condition=Q(waarde__isnull=True) | Q(waarde__gte=0), name="bouwblok_value_not_negative"),
            models.CheckConstraint(
                condition=Q(factuur_aandeel__gt=0, factuur_aandeel__lte=100), name="bouwblok_invoice_share_range"
            ),
            models.CheckConstraint(
                condition=~Q(waarderingswijze__in=["per_jaar", "eenmalig"]) | Q(waarde__isnull=False),
                name="bouwblok_fixed_methods_have_value",
            ),
        ]

    def __str__(self):
        return f"{self.naam} ({self.catalogus})"

    def clean(self):
        super().clean()
        self._keep_gevoelig()

    def save(self, *args, **kwargs):
        self._keep_gevoelig()  # also for a shell, a command or a history revert, not only forms
        super().save(*args, **kwargs)

    def _keep_gevoelig(self):
        """Special-category stays special-category: ``gevoelig`` is never switched off in place (the
        registrations made under it would suddenly show); a new catalogue version carries such a change."""
        if self.pk is None or self.gevoelig:
            return
        if Bouwblok.objects.filter(pk=self.pk, gevoelig=True).exists():
            raise ValidationError({"gevoelig": _(
                "Een bouwblok met bijzondere persoonsgegevens blijft dat: dit vinkje gaat niet uit. "
                "Leg een wijziging vast in een nieuwe catalogusversie."
            )})

    @property
    def vereist_kandidaat(self) -> bool:
        return self.soort in {Soort.PLAATSING, Soort.BONUS}

    @property
    def is_plaatsing(self) -> bool:
        return self.soort == Soort.PLAATSING

    @property
    def is_bonus(self) -> bool:
        return self.soort == Soort.BONUS

    def as_params(self) -> calculation.BouwblokParams:
        return calculation.BouwblokParams(
            code=self.code,
            waarderingswijze=self.waarderingswijze,
            waarde=self.waarde,
            max_maanden=self.max_maanden,
            min_uren_per_week=self.min_uren_per_week,
            factuur_aandeel=self.factuur_aandeel,
            norm_uren=self.catalogus.norm_uren_per_week,
        )


class Kandidaat(models.Model):
    """A person placed through social return, pseudonymous: no BSN, no name (rules §4).

    One record per reference *and* initials and year of birth: a supplier that types a reference
    another supplier already used, with other data, gets a record of its own and learns nothing of
    the other; the SR-team sees a flag (``SignaalSoort.ANDERE_GEGEVENS``)."""

    regio = models.ForeignKey("contracts.Regio", on_delete=models.PROTECT, related_name="kandidaten")
    referentie = models.CharField(
        _("referentie"),
        max_length=40,
        help_text=_("Pseudoniem, bijvoorbeeld het kandidaatnummer van het WSP. Nooit een BSN."),
    )
    initialen = models.CharField(_("initialen"), max_length=10)
    geboortejaar = models.PositiveSmallIntegerField(_("geboortejaar"))

    class Meta:
        verbose_name = _("kandidaat")
        verbose_name_plural = _("kandidaten")
        constraints = [
            models.UniqueConstraint(fields=["regio", "referentie", "initialen", "geboortejaar"],
                                    name="kandidaat_unique_per_regio"),
            models.CheckConstraint(
                condition=Q(geboortejaar__gte=1900, geboortejaar__lte=2100), name="kandidaat_birth_year_range"
            ),
        ]

    def __str__(self):
        return f"{self.referentie} ({self.initialen}, {self.geboortejaar})"


class Status(models.TextChoices):
    CONCEPT = "concept", _("Concept")
    INGEDIEND = "ingediend", _("Ingediend")
    GOEDGEKEURD = "goedgekeurd", _("Goedgekeurd")
    AFGEKEURD = "afgekeurd", _("Afgekeurd")


class Besluit(models.TextChoices):
    """A decision of the SR-team on a submitted registration and its effect on the registration:
    approved (counts), rejected (does not count; the supplier corrects and resubmits), or more
    information asked (back to concept: the supplier supplements and resubmits; not a rejection)."""

    GOEDGEKEURD = "goedgekeurd", _("Goedgekeurd")
    AFGEKEURD = "afgekeurd", _("Afgekeurd")
    MEER_INFORMATIE = "meer_informatie", _("Meer informatie gevraagd")


class Registratie(models.Model):
    """One way a supplier filled a bouwblok on a contract: a placement, bonus, invoice, activity or project."""

    contract = models.ForeignKey("contracts.Contract", on_delete=models.CASCADE, related_name="registraties")
    bouwblok = models.ForeignKey(Bouwblok, on_delete=models.PROTECT, related_name="registraties")
    kandidaat = models.ForeignKey(Kandidaat, null=True, blank=True, on_delete=models.PROTECT, related_name="registraties")
    hoofdregistratie = models.ForeignKey(
        "self",
        verbose_name=_("hoort bij plaatsing"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="bonussen",
    )
    startdatum = models.DateField(_("startdatum"))
    einddatum = models.DateField(_("einddatum"), null=True, blank=True)
    uren_per_week = models.DecimalField(_("uren per week"), max_digits=4, decimal_places=1, null=True, blank=True)
    bedrag = models.DecimalField(_("bedrag"), null=True, blank=True, **MONEY)
    dagen = models.DecimalField(_("dagen"), max_digits=6, decimal_places=1, null=True, blank=True)
    loonkostensubsidie_tot = models.DateField(_("loonkostensubsidie tot"), null=True, blank=True)
    omschrijving = models.CharField(_("omschrijving"), max_length=500, blank=True)

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.CONCEPT)
    waarde = models.DecimalField(_("waarde"), default=Decimal("0"), **MONEY)
    geteld_van = models.DateField(null=True, blank=True, editable=False)
    geteld_tot = models.DateField(null=True, blank=True, editable=False)

    ingediend_op = models.DateTimeField(_("ingediend op"), null=True, blank=True)
    ingediend_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ingediend door"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    beoordeeld_op = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)
    beoordeeld_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    beoordeling_toelichting = models.TextField(_("toelichting bij het besluit"), blank=True)
    beoordeling_besluit = models.CharField(
        _("laatste besluit"), max_length=20, blank=True,
        choices=Besluit.choices,
        help_text=_("Het laatste besluit van het SR-team (leeg: nog niet beoordeeld)."),
    )
    beoordeling_reden_zonder_bewijs = models.TextField(
        _("reden goedkeuring zonder vereist bewijs"), blank=True,
        help_text=_("Bij het laatste besluit: waarom het SR-team goedkeurde terwijl vereist bewijs ontbrak."),
    )

    versie = models.PositiveIntegerField(_("versie"), default=1)
    aangemaakt_op = models.DateTimeField(auto_now_add=True)
    gewijzigd_op = models.DateTimeField(auto_now=True)
    aangemaakt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("registratie")
        verbose_name_plural = _("registraties")
        ordering = ["startdatum", "id"]
        indexes = [
            models.Index(fields=["contract", "status"]),
            # The SR-team queue: filter on status, oldest submission first (views_verification.QUEUE_ORDER).
            models.Index(fields=["status", "ingediend_op", "aangemaakt_op", "id"], name="registratie_queue_order_idx"),
            models.Index(fields=["kandidaat"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(einddatum__isnull=True) | Q(einddatum__gte=F("startdatum")),
                name="registratie_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(uren_per_week__isnull=True) | Q(uren_per_week__gt=0, uren_per_week__lte=60),
                name="registratie_hours_range",
            ),
            models.CheckConstraint(condition=Q(bedrag__isnull=True) | Q(bedrag__gte=0), name="registratie_amount_not_negative"),
            models.CheckConstraint(condition=Q(dagen__isnull=True) | Q(dagen__gt=0), name="registratie_days_positive"),
            models.CheckConstraint(condition=Q(waarde__gte=0), name="registratie_value_not_negative"),
            models.CheckConstraint(
                condition=~Q(status="afgekeurd") | ~Q(beoordeling_toelichting=""),
                name="registratie_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["concept"]) | Q(ingediend_op__isnull=False),
                name="registratie_submitted_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.bouwblok.naam} – {self.contract.kenmerk}"

    @property
    def is_editable_by_supplier(self) -> bool:
        return self.status in {Status.CONCEPT, Status.AFGEKEURD}

    @property
    def meer_informatie_gevraagd(self) -> bool:
        """The SR-team asked for more information and the supplier has not resubmitted yet."""
        return self.status == Status.CONCEPT and self.beoordeling_besluit == Besluit.MEER_INFORMATIE

    def as_input(self) -> calculation.RegistrationInput:
        return calculation.RegistrationInput(
            startdatum=self.startdatum,
            einddatum=self.einddatum,
            uren_per_week=self.uren_per_week,
            bedrag=self.bedrag,
            dagen=self.dagen,
            loonkostensubsidie_tot=self.loonkostensubsidie_tot,
        )


class RegistratieJaar(models.Model):
    """The part of a registration's value that falls in one calendar year (sums exactly to ``waarde``)."""

    registratie = models.ForeignKey(Registratie, on_delete=models.CASCADE, related_name="jaren")
    jaar = models.PositiveSmallIntegerField(_("jaar"))
    waarde = models.DecimalField(_("waarde"), **MONEY)

    class Meta:
        verbose_name = _("waarde per jaar")
        verbose_name_plural = _("waarden per jaar")
        constraints = [
            models.UniqueConstraint(fields=["registratie", "jaar"], name="registratiejaar_unique"),
            models.CheckConstraint(condition=Q(waarde__gte=0), name="registratiejaar_value_not_negative"),
        ]


class Beoordeling(models.Model):
    """Every verification decision of the SR-team (who, when, decision, reason), kept in order."""

    registratie = models.ForeignKey(Registratie, on_delete=models.CASCADE, related_name="beoordelingen")
    besluit = models.CharField(_("besluit"), max_length=20, choices=Besluit.choices)
    toelichting = models.TextField(_("toelichting"), blank=True)
    reden_zonder_bewijs = models.TextField(
        _("reden goedkeuring zonder vereist bewijs"), blank=True,
        help_text=_("Verplicht bij goedkeuren terwijl een vereist bewijsstuk ontbreekt (SROI-RULES.md §3 stap 6)."),
    )
    ontbrekend_bewijs = models.JSONField(
        _("ontbrekend bewijs bij het besluit"), default=list, blank=True,
        help_text=_("De soorten vereist bewijs (code en naam) die ontbraken toen het besluit viel."),
    )
    door = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    op = models.DateTimeField(_("op"), auto_now_add=True)

    class Meta:
        verbose_name = _("beoordeling")
        verbose_name_plural = _("beoordelingen")
        ordering = ["op", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(besluit="afgekeurd") | ~Q(toelichting=""), name="beoordeling_rejection_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(besluit="meer_informatie") | ~Q(toelichting=""),
                name="beoordeling_question_has_text",
            ),
        ]


class SignaalSoort(models.TextChoices):
    OVERLAP = "overlap", _("Dezelfde kandidaat telt al mee voor overlappende maanden")
    ANDERE_GEGEVENS = "andere_gegevens", _(
        "Dezelfde referentie is ook geregistreerd met andere initialen of een ander geboortejaar"
    )


class Signaal(models.Model):
    """A flag for the SR-team on a registration, e.g. the same candidate counted twice."""

    registratie = models.ForeignKey(Registratie, on_delete=models.CASCADE, related_name="signalen")
    soort = models.CharField(_("soort"), max_length=20, choices=SignaalSoort.choices)
    andere_registratie = models.ForeignKey(Registratie, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    aangemaakt_op = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("signaal")
        verbose_name_plural = _("signalen")
        constraints = [
            models.UniqueConstraint(fields=["registratie", "soort", "andere_registratie"], name="signaal_unique"),
        ]


def evidence_path(instance, filename):
    # Server-made name: the uploaded name is kept only as metadata.
    return f"bewijs/{instance.registratie.contract_id}/{uuid.uuid4().hex}"


class Bewijsstuk(models.Model):
    """Evidence for a registration, in private storage; served only through a permission-checked view."""

    registratie = models.ForeignKey(Registratie, on_delete=models.CASCADE, related_name="bewijsstukken")
    # Empty only for uploads from before the kinds existed; ``services.add_evidence`` requires it.
    soort = models.ForeignKey(
        Bewijssoort, verbose_name=_("soort"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    bestand = models.FileField(_("bestand"), upload_to=evidence_path)
    oorspronkelijke_naam = models.CharField(_("bestandsnaam"), max_length=255)
    content_type = models.CharField(max_length=100)
    grootte = models.PositiveIntegerField(_("grootte (bytes)"))
    omschrijving = models.CharField(_("omschrijving"), max_length=200, blank=True)
    geupload_door = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    geupload_op = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bewijsstuk")
        verbose_name_plural = _("bewijsstukken")
        ordering = ["geupload_op"]
