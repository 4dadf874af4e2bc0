"""The banenafspraak: a municipality (or ministry) as employer of people from the doelgroepregister
(SROI-RULES.md §5).

- :class:`Telparameters`: the counting parameters (25.5 hours a job, 1,326 hours a year, the levy),
  versioned by the date from which they apply.
- :class:`Werkgever`: an employer and its units (departments; a ministry and its services), a tree.
- :class:`Doel`: the target of a unit in jobs for a year.
- :class:`Dienstverband`: one job of a person from the doelgroepregister at a unit, pseudonymous
  (reference, initials, year of birth; never a BSN). Health-related special-category data: only
  the functional administrator and the SR-team of the municipality see these records.
- :class:`Telling`: measured totals of a unit for a year or a quarter (payroll, UWV, a publication).
- :class:`Arbeidsmarktregio`, :class:`RegionaleDoelstelling`, :class:`UwvTrendrapportage`,
  :class:`UwvRegioRij`, :class:`UwvKwartaal`: the regional picture (indicative targets, UWV trend).

Arithmetic lives in ``banenafspraak.calculation``; writes go through ``banenafspraak.services``.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sroi_portal.validation import refuse_citizen_service_numbers

from . import calculation

JOBS = {"max_digits": 10, "decimal_places": 2}
HOURS = {"max_digits": 5, "decimal_places": 2}


class Telparameters(models.Model):
    """One version of the counting parameters; a year uses the version in force on 1 January."""

    geldig_vanaf = models.DateField(_("geldig vanaf"), unique=True)
    uren_per_baan = models.DecimalField(
        _("uren per baan (per week)"), max_digits=5, decimal_places=2, default=Decimal("25.5")
    )
    uren_per_jaar = models.DecimalField(
        _("verloonde uren per baan per jaar"), max_digits=7, decimal_places=2, default=Decimal("1326")
    )
    heffing_per_baan = models.DecimalField(
        _("quotumheffing per ontbrekende baan"), max_digits=10, decimal_places=2, default=Decimal("5000")
    )
    heffing_drempel_uren = models.DecimalField(
        _("drempel quotumheffing (verloonde uren per jaar)"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("40575"),
        help_text=_("De quotumheffing geldt voor werkgevers met meer verloonde uren per jaar dan dit."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("telparameters banenafspraak")
        verbose_name_plural = _("telparameters banenafspraak")
        ordering = ["-geldig_vanaf"]
        constraints = [
            models.CheckConstraint(
                condition=Q(uren_per_baan__gt=0) & Q(uren_per_jaar__gt=0), name="telparameters_hours_positive"
            ),
            models.CheckConstraint(
                condition=Q(heffing_per_baan__gte=0) & Q(heffing_drempel_uren__gte=0),
                name="telparameters_levy_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.uren_per_baan} uur per baan, vanaf {self.geldig_vanaf:%d-%m-%Y}"

    def as_params(self) -> calculation.CountingParams:
        return calculation.CountingParams(
            uren_per_baan=self.uren_per_baan,
            uren_per_jaar=self.uren_per_jaar,
            heffing_per_baan=self.heffing_per_baan,
            heffing_drempel_uren=self.heffing_drempel_uren,
        )


class Werkgever(models.Model):
    """An employer (a municipality's organisation, a ministry) or one of its units.

    Units form a tree through ``bovenliggende``. A unit belongs to the same municipality as the
    unit above it; a municipality has at most one top-level employer (its own organisation). An
    employer without a municipality (e.g. the national-government sector) is visible to the
    functional administrator only.
    """

    naam = models.CharField(_("naam"), max_length=200)
    gemeente = models.ForeignKey(
        "contracts.Gemeente",
        verbose_name=_("gemeente"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="banenafspraak_werkgevers",
    )
    bovenliggende = models.ForeignKey(
        "self",
        verbose_name=_("onderdeel van"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="onderdelen",
    )
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("werkgever")
        verbose_name_plural = _("werkgevers")
        ordering = ["naam", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["gemeente"],
                condition=Q(bovenliggende__isnull=True, gemeente__isnull=False),
                name="werkgever_one_top_level_per_gemeente",
            ),
            models.UniqueConstraint(fields=["bovenliggende", "naam"], name="werkgever_unit_name_unique"),
            models.CheckConstraint(condition=~Q(bovenliggende=F("id")), name="werkgever_not_its_own_unit"),
            models.CheckConstraint(condition=~Q(naam=""), name="werkgever_has_name"),
        ]

    def __str__(self):
        return self.naam

    @property
    def is_hoofdwerkgever(self) -> bool:
        return self.bovenliggende_id is None


class Doel(models.Model):
    """A unit's target in jobs for a year; it is the target of the unit *with* its sub-units."""

    werkgever = models.ForeignKey(Werkgever, verbose_name=_("werkgever"), on_delete=models.PROTECT, related_name="doelen")
    jaar = models.PositiveSmallIntegerField(_("jaar"))
    banen = models.DecimalField(_("doel (banen)"), **JOBS)
    verloonde_uren = models.DecimalField(
        _("verloonde uren van de werkgever"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Alle verloonde uren van de werkgever in dat jaar; bepaalt of de quotumheffing geldt."),
    )
    toelichting = models.CharField(_("toelichting"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("doel banenafspraak")
        verbose_name_plural = _("doelen banenafspraak")
        ordering = ["werkgever", "jaar"]
        constraints = [
            models.UniqueConstraint(fields=["werkgever", "jaar"], name="doel_unique_per_year"),
            models.CheckConstraint(condition=Q(banen__gte=0), name="doel_jobs_not_negative"),
            models.CheckConstraint(condition=Q(jaar__gte=2000, jaar__lte=2100), name="doel_year_range"),
            models.CheckConstraint(
                condition=Q(verloonde_uren__isnull=True) | Q(verloonde_uren__gte=0), name="doel_paid_hours_not_negative"
            ),
        ]

    def clean(self):
        # No BSN, also not in disguise, in what people type here (also through the admin).
        super().clean()
        refuse_citizen_service_numbers(type(self), toelichting=self.toelichting)

    def __str__(self):
        return f"{self.werkgever} {self.jaar}: {self.banen}"


class Soort(models.TextChoices):
    DIENSTVERBAND = calculation.DIENSTVERBAND, _("Dienstverband (in dienst)")
    INLEEN = calculation.INLEEN, _("Inleen (detachering, payroll, uitzend)")


class Inleenvorm(models.TextChoices):
    DETACHERING = "detachering", _("Detachering")
    PAYROLL = "payroll", _("Payroll")
    UITZEND = "uitzend", _("Uitzendkracht")


class Dienstverband(models.Model):
    """One job of a person from the doelgroepregister at a unit, pseudonymous (rules §4).

    Hired-in jobs (inleen) count at the unit where the person works. Special-category data:
    visible only to the functional administrator and the SR-team of the unit's municipality.
    """

    werkgever = models.ForeignKey(
        Werkgever, verbose_name=_("werkgever"), on_delete=models.PROTECT, related_name="dienstverbanden"
    )
    referentie = models.CharField(
        _("referentie"),
        max_length=40,
        help_text=_("Pseudoniem, bijvoorbeeld een personeelsnummer of WSP-kandidaatnummer. Nooit een BSN."),
    )
    initialen = models.CharField(_("initialen"), max_length=10)
    geboortejaar = models.PositiveSmallIntegerField(_("geboortejaar"))
    soort = models.CharField(_("soort"), max_length=20, choices=Soort.choices)
    inleenvorm = models.CharField(_("vorm van inleen"), max_length=20, choices=Inleenvorm.choices, blank=True)
    startdatum = models.DateField(_("startdatum"))
    einddatum = models.DateField(_("einddatum"), null=True, blank=True)
    uren_per_week = models.DecimalField(_("verloonde uren per week"), **HOURS)
    aangemaakt_op = models.DateTimeField(auto_now_add=True)
    gewijzigd_op = models.DateTimeField(auto_now=True)
    aangemaakt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The history keeps hours and dates, not the pseudonymous person data (retention).
    history = HistoricalRecords(excluded_fields=["referentie", "initialen", "geboortejaar"])

    class Meta:
        verbose_name = _("dienstverband banenafspraak")
        verbose_name_plural = _("dienstverbanden banenafspraak")
        ordering = ["werkgever", "startdatum", "id"]
        indexes = [models.Index(fields=["werkgever", "startdatum"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(einddatum__isnull=True) | Q(einddatum__gte=F("startdatum")),
                name="dienstverband_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(uren_per_week__gt=0, uren_per_week__lte=60), name="dienstverband_hours_range"
            ),
            models.CheckConstraint(condition=Q(soort__in=calculation.SOORTEN), name="dienstverband_soort_valid"),
            models.CheckConstraint(
                condition=Q(inleenvorm="") | Q(soort=calculation.INLEEN), name="dienstverband_inleenvorm_only_inleen"
            ),
            models.CheckConstraint(
                condition=Q(geboortejaar__gte=1900, geboortejaar__lte=2100), name="dienstverband_birth_year_range"
            ),
            models.CheckConstraint(condition=~Q(referentie=""), name="dienstverband_has_reference"),
        ]

    def clean(self):
        # No BSN, also not in disguise, in what people type here (also through the admin).
        super().clean()
        refuse_citizen_service_numbers(type(self), referentie=self.referentie, initialen=self.initialen)

    def __str__(self):
        return f"{self.referentie} bij {self.werkgever}"

    def as_employment(self) -> calculation.Employment:
        return calculation.Employment(
            werkgever_id=self.werkgever_id, soort=self.soort, uren_per_week=self.uren_per_week,
            startdatum=self.startdatum, einddatum=self.einddatum,
        )


class Bron(models.TextChoices):
    SALARISADMINISTRATIE = "salarisadministratie", _("Salarisadministratie")
    UWV = "uwv", _("UWV")
    PUBLICATIE = "publicatie", _("Gepubliceerd rapport")
    EIGEN_TELLING = "eigen_telling", _("Eigen telling")


class Telling(models.Model):
    """Measured totals of a unit for a year (``kwartaal`` empty) or a quarter.

    A measured total covers the unit *with* its sub-units and replaces what the records would count
    for that unit and period (see ``calculation.aggregate``).
    """

    werkgever = models.ForeignKey(Werkgever, verbose_name=_("werkgever"), on_delete=models.PROTECT, related_name="tellingen")
    jaar = models.PositiveSmallIntegerField(_("jaar"))
    kwartaal = models.PositiveSmallIntegerField(_("kwartaal"), null=True, blank=True)
    banen_dienstverband = models.DecimalField(_("banen in dienstverband"), **JOBS)
    banen_inleen = models.DecimalField(_("banen via inleen"), **JOBS)
    verloonde_uren_dienstverband = models.DecimalField(
        _("verloonde uren in dienstverband"), max_digits=14, decimal_places=2, null=True, blank=True,
        help_text=_("Als de telling in verloonde uren is aangeleverd: de banen zijn daaruit berekend (uren / 1.326 per jaar)."),
    )
    verloonde_uren_inleen = models.DecimalField(
        _("verloonde uren via inleen"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    bron = models.CharField(_("bron"), max_length=30, choices=Bron.choices)
    toelichting = models.CharField(_("toelichting"), max_length=500, blank=True)
    geregistreerd_op = models.DateTimeField(auto_now_add=True)
    geregistreerd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("telling banenafspraak")
        verbose_name_plural = _("tellingen banenafspraak")
        ordering = ["werkgever", "jaar", "kwartaal"]
        constraints = [
            models.UniqueConstraint(
                fields=["werkgever", "jaar"], condition=Q(kwartaal__isnull=True), name="telling_one_per_year"
            ),
            models.UniqueConstraint(
                fields=["werkgever", "jaar", "kwartaal"], condition=Q(kwartaal__isnull=False),
                name="telling_one_per_quarter",
            ),
            models.CheckConstraint(
                condition=Q(kwartaal__isnull=True) | Q(kwartaal__gte=1, kwartaal__lte=4), name="telling_quarter_range"
            ),
            models.CheckConstraint(
                condition=Q(banen_dienstverband__gte=0) & Q(banen_inleen__gte=0), name="telling_jobs_not_negative"
            ),
            models.CheckConstraint(
                condition=(Q(verloonde_uren_dienstverband__isnull=True) | Q(verloonde_uren_dienstverband__gte=0))
                & (Q(verloonde_uren_inleen__isnull=True) | Q(verloonde_uren_inleen__gte=0)),
                name="telling_paid_hours_not_negative",
            ),
            models.CheckConstraint(condition=Q(jaar__gte=2000, jaar__lte=2100), name="telling_year_range"),
            models.CheckConstraint(condition=Q(bron__in=Bron.values), name="telling_bron_valid"),
        ]

    def clean(self):
        # No BSN, also not in disguise, in what people type here (also through the admin).
        super().clean()
        refuse_citizen_service_numbers(type(self), toelichting=self.toelichting)

    def __str__(self):
        periode = f"{self.jaar}" if self.kwartaal is None else f"{self.jaar} K{self.kwartaal}"
        return f"{self.werkgever} {periode}"

    def as_measured(self) -> calculation.Measured:
        return calculation.Measured(
            werkgever_id=self.werkgever_id, jaar=self.jaar, kwartaal=self.kwartaal,
            banen_dienstverband=self.banen_dienstverband, banen_inleen=self.banen_inleen, bron=self.bron,
        )


# --- the region ----------------------------------------------------------------------------------


class Arbeidsmarktregio(models.Model):
    """One of the labour-market regions (35 since 2013); the UWV reports the banenafspraak per region."""

    naam = models.CharField(_("naam"), max_length=100, unique=True)
    gemeenten = models.ManyToManyField(
        "contracts.Gemeente", verbose_name=_("gemeenten"), blank=True, related_name="arbeidsmarktregios"
    )

    class Meta:
        verbose_name = _("arbeidsmarktregio")
        verbose_name_plural = _("arbeidsmarktregio's")
        ordering = ["naam"]

    def __str__(self):
        return self.naam


class RegionaleDoelstelling(models.Model):
    """Indicative regional target in jobs relative to the baseline (Stichting van de Arbeid/VNG)."""

    arbeidsmarktregio = models.ForeignKey(
        Arbeidsmarktregio, verbose_name=_("arbeidsmarktregio"), on_delete=models.PROTECT, related_name="doelstellingen"
    )
    jaar = models.PositiveSmallIntegerField(_("jaar"))
    markt = models.DecimalField(_("marktsector (banen)"), **JOBS)
    overheid = models.DecimalField(_("overheid (banen)"), **JOBS)
    bron = models.CharField(_("bron"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("regionale doelstelling")
        verbose_name_plural = _("regionale doelstellingen")
        ordering = ["arbeidsmarktregio", "jaar"]
        constraints = [
            models.UniqueConstraint(fields=["arbeidsmarktregio", "jaar"], name="regionale_doelstelling_unique"),
            models.CheckConstraint(condition=Q(markt__gte=0) & Q(overheid__gte=0), name="regionale_doelstelling_not_negative"),
            models.CheckConstraint(condition=Q(jaar__gte=2000, jaar__lte=2100), name="regionale_doelstelling_year_range"),
        ]

    def __str__(self):
        return f"{self.arbeidsmarktregio} {self.jaar}"

    @property
    def totaal(self) -> Decimal:
        return self.markt + self.overheid


class UwvTrendrapportage(models.Model):
    """One imported UWV table: baseline and quarterly counts per region, as published."""

    bron = models.CharField(_("bron"), max_length=300)
    nulmeting_peildatum = models.DateField(_("peildatum nulmeting"), default=date(2013, 1, 1))
    bestandsnaam = models.CharField(_("bestandsnaam"), max_length=255, blank=True)
    verschillen = models.JSONField(
        _("controle totaalrij"),
        default=list,
        blank=True,
        help_text=_("Per kolom: het gepubliceerde totaal, de som van de regio's en het verschil."),
    )
    geimporteerd_op = models.DateTimeField(_("geïmporteerd op"), auto_now_add=True)
    geimporteerd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("UWV-trendrapportage")
        verbose_name_plural = _("UWV-trendrapportages")
        ordering = ["-geimporteerd_op", "-id"]

    def __str__(self):
        return self.bron


class UwvRegioRij(models.Model):
    """One row of a UWV table: a region, or (``arbeidsmarktregio`` empty) the published total row."""

    rapportage = models.ForeignKey(UwvTrendrapportage, on_delete=models.CASCADE, related_name="rijen")
    arbeidsmarktregio = models.ForeignKey(
        Arbeidsmarktregio, null=True, blank=True, on_delete=models.PROTECT, related_name="uwv_rijen"
    )
    label = models.CharField(_("naam in het bestand"), max_length=100)
    volgorde = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    nulmeting = models.DecimalField(_("nulmeting"), **JOBS)
    voortgang_gepubliceerd = models.DecimalField(_("gepubliceerde voortgang"), null=True, blank=True, **JOBS)

    class Meta:
        verbose_name = _("UWV-rij")
        verbose_name_plural = _("UWV-rijen")
        ordering = ["rapportage", "volgorde"]
        constraints = [
            models.UniqueConstraint(
                fields=["rapportage", "arbeidsmarktregio"], condition=Q(arbeidsmarktregio__isnull=False),
                name="uwv_rij_one_per_region",
            ),
            models.UniqueConstraint(
                fields=["rapportage"], condition=Q(arbeidsmarktregio__isnull=True), name="uwv_rij_one_total_row"
            ),
            models.CheckConstraint(condition=Q(nulmeting__gte=0), name="uwv_rij_baseline_not_negative"),
        ]

    @property
    def is_totaal(self) -> bool:
        return self.arbeidsmarktregio_id is None


class UwvKwartaal(models.Model):
    """The count of one quarter in a row of a UWV table."""

    rij = models.ForeignKey(UwvRegioRij, on_delete=models.CASCADE, related_name="kwartalen")
    jaar = models.PositiveSmallIntegerField(_("jaar"))
    kwartaal = models.PositiveSmallIntegerField(_("kwartaal"))
    aantal = models.DecimalField(_("aantal banen"), **JOBS)

    class Meta:
        verbose_name = _("UWV-kwartaalcijfer")
        verbose_name_plural = _("UWV-kwartaalcijfers")
        ordering = ["rij", "jaar", "kwartaal"]
        constraints = [
            models.UniqueConstraint(fields=["rij", "jaar", "kwartaal"], name="uwv_kwartaal_unique"),
            models.CheckConstraint(condition=Q(kwartaal__gte=1, kwartaal__lte=4), name="uwv_kwartaal_range"),
            models.CheckConstraint(condition=Q(aantal__gte=0), name="uwv_kwartaal_not_negative"),
        ]
