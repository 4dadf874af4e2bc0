"""Municipalities and their versioned policy, suppliers, contracts, value changes, exemptions and
settlements (SROI-RULES.md §1 and §2 "Progress, status and settlement").

The arithmetic lives in ``contracts.calculation`` (pure); writes go through ``contracts.services``.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from . import calculation

MONEY = {"max_digits": 14, "decimal_places": 2}
PERCENT = {"max_digits": 5, "decimal_places": 2}


class Categorie(models.TextChoices):
    WERKEN = "werken", _("Werken")
    DIENSTEN = "diensten", _("Diensten")
    LEVERINGEN = "leveringen", _("Leveringen")


class Procedure(models.TextChoices):
    ENKELVOUDIG_ONDERHANDS = "enkelvoudig_onderhands", _("Enkelvoudig onderhands")
    MEERVOUDIG_ONDERHANDS = "meervoudig_onderhands", _("Meervoudig onderhands")
    NATIONAAL = "nationaal", _("Nationaal")
    EUROPEES = "europees", _("Europees")


class Grondslag(models.TextChoices):
    AANNEEMSOM = "aanneemsom", _("Aanneemsom (excl. btw)")
    LOONSOM = "loonsom", _("Loonsom")


class Regio(models.Model):
    """Municipalities that share one catalogue of bouwblokken and one SR-team."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    naam = models.CharField(_("naam"), max_length=200)

    class Meta:
        verbose_name = _("regio")
        verbose_name_plural = _("regio's")
        ordering = ["naam"]

    def __str__(self):
        return self.naam


class Gemeente(models.Model):
    code = models.CharField(
        _("CBS-code"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^GM\d{4}$", _("Een gemeentecode is GM gevolgd door vier cijfers."))],
    )
    naam = models.CharField(_("naam"), max_length=200)
    regio = models.ForeignKey(Regio, verbose_name=_("regio"), on_delete=models.PROTECT, related_name="gemeenten")

    class Meta:
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")
        ordering = ["naam"]
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^GM[0-9]{4}$"), name="gemeente_code_format"),
        ]

    def __str__(self):
        return self.naam

    def beleid_op(self, peildatum):
        """The policy version in force on ``peildatum`` (None when none is)."""
        return self.beleid.filter(geldig_vanaf__lte=peildatum).order_by("-geldig_vanaf").first()


def default_achterstand_drempels():
    """Zoetermeer default (assumption): reminders at 15%, 25% and 40% behind the expected value."""
    return [15, 25, 40]


def validate_achterstand_drempels(value):
    """A list of whole percentages between 1 and 100, ascending, each once."""
    if not isinstance(value, list) or not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        raise ValidationError(_("Vul de drempels in als een lijst van hele percentages, bijvoorbeeld [15, 25, 40]."))
    if any(not 1 <= v <= 100 for v in value):
        raise ValidationError(_("Elke drempel ligt tussen 1 en 100 procent."))
    if value != sorted(set(value)):
        raise ValidationError(_("Zet de drempels oplopend, elk één keer."))


class Beleid(models.Model):
    """One version of a municipality's social-return policy, valid from a date (rules §1 table)."""

    gemeente = models.ForeignKey(Gemeente, verbose_name=_("gemeente"), on_delete=models.PROTECT, related_name="beleid")
    geldig_vanaf = models.DateField(_("geldig vanaf"))
    hoog_percentage = models.DecimalField(_("percentage"), default=Decimal("5"), **PERCENT)
    laag_percentage = models.DecimalField(_("laag percentage"), default=Decimal("2"), **PERCENT)
    loonsom_drempel = models.DecimalField(
        _("loonsomdrempel (%)"),
        default=Decimal("30"),
        help_text=_("Is de loonsom minder dan dit percentage van de aanneemsom, dan geldt het lage percentage."),
        **PERCENT,
    )
    werken = models.BooleanField(_("geldt voor werken"), default=True)
    diensten = models.BooleanField(_("geldt voor diensten"), default=True)
    leveringen = models.BooleanField(_("geldt voor leveringen"), default=False)
    enkelvoudig_onderhands = models.BooleanField(_("geldt voor enkelvoudig onderhands"), default=False)
    meervoudig_onderhands = models.BooleanField(_("geldt voor meervoudig onderhands"), default=True)
    nationaal = models.BooleanField(_("geldt voor nationaal"), default=True)
    europees = models.BooleanField(_("geldt voor Europees"), default=True)
    minimum_waarde = models.DecimalField(_("minimale opdrachtwaarde"), null=True, blank=True, **MONEY)
    grondslag = models.CharField(_("grondslag"), max_length=20, choices=Grondslag.choices, default=Grondslag.AANNEEMSOM)
    maximum_bedrag = models.DecimalField(_("maximum per contract"), null=True, blank=True, **MONEY)
    sebo_meervoudig_onderhands = models.BooleanField(
        _("SEBO-keurmerk telt als voldaan bij meervoudig onderhands"), default=True
    )
    sanctie_factor = models.DecimalField(
        _("sanctiefactor"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        help_text=_("Sanctie = sanctiefactor × tekort bij de afrekening."),
    )
    achterstand_drempels = models.JSONField(
        _("herinneringsdrempels achterstand (%)"),
        default=default_achterstand_drempels,
        validators=[validate_achterstand_drempels],
        help_text=_(
            "Loopt een contract meer dan dit percentage achter op wat verwacht wordt, dan krijgen leverancier "
            "en SR-team één herinnering per drempel. Bijvoorbeeld [15, 25, 40]."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("beleidsversie")
        verbose_name_plural = _("beleidsversies")
        ordering = ["gemeente", "-geldig_vanaf"]
        constraints = [
            models.UniqueConstraint(fields=["gemeente", "geldig_vanaf"], name="beleid_unique_per_date"),
            models.CheckConstraint(
                condition=Q(hoog_percentage__gte=0, hoog_percentage__lte=100)
                & Q(laag_percentage__gte=0, laag_percentage__lte=100)
                & Q(loonsom_drempel__gte=0, loonsom_drempel__lte=100),
                name="beleid_percentages_in_range",
            ),
            models.CheckConstraint(condition=Q(sanctie_factor__gte=0), name="beleid_sanctie_factor_not_negative"),
            models.CheckConstraint(
                condition=Q(minimum_waarde__isnull=True) | Q(minimum_waarde__gte=0), name="beleid_minimum_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(maximum_bedrag__isnull=True) | Q(maximum_bedrag__gte=0), name="beleid_maximum_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.gemeente} vanaf {self.geldig_vanaf:%d-%m-%Y}"

    def as_params(self) -> calculation.PolicyParams:
        categorieen = {c for c in Categorie.values if getattr(self, c)}
        procedures = {p for p in Procedure.values if getattr(self, p)}
        return calculation.PolicyParams(
            hoog_percentage=self.hoog_percentage,
            laag_percentage=self.laag_percentage,
            loonsom_drempel=self.loonsom_drempel,
            categorieen=frozenset(categorieen),
            procedures=frozenset(procedures),
            minimum_waarde=self.minimum_waarde,
            grondslag=self.grondslag,
            maximum_bedrag=self.maximum_bedrag,
            sebo_procedures=frozenset({Procedure.MEERVOUDIG_ONDERHANDS.value} if self.sebo_meervoudig_onderhands else set()),
            sanctie_factor=self.sanctie_factor,
        )


kvk_validator = RegexValidator(r"^\d{8}$", _("Een KvK-nummer bestaat uit precies 8 cijfers."))


class Leverancier(models.Model):
    kvk_nummer = models.CharField(_("KvK-nummer"), max_length=8, unique=True, validators=[kvk_validator])
    naam = models.CharField(_("naam"), max_length=200)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("leverancier")
        verbose_name_plural = _("leveranciers")
        ordering = ["naam"]
        constraints = [
            models.CheckConstraint(condition=Q(kvk_nummer__regex=r"^[0-9]{8}$"), name="leverancier_kvk_8_digits"),
        ]

    def __str__(self):
        return f"{self.naam} ({self.kvk_nummer})"


class Contract(models.Model):
    """A contract awarded after a tender (aanbesteding) and the social-return obligation on it.

    ``aanneemsom``, ``loonsom`` and ``einddatum`` hold the values at award; the ``actuele_*`` fields
    hold them after the recorded value changes (``ContractWijziging``). The obligation is computed
    from the current values with the policy version in force at the award date and stored in the
    ``verplichting_*`` fields by ``contracts.services.recompute_obligation``.
    """

    gemeente = models.ForeignKey(Gemeente, verbose_name=_("gemeente"), on_delete=models.PROTECT, related_name="contracten")
    leverancier = models.ForeignKey(
        Leverancier, verbose_name=_("leverancier"), on_delete=models.PROTECT, related_name="contracten"
    )
    kenmerk = models.CharField(_("kenmerk"), max_length=60)
    omschrijving = models.CharField(_("omschrijving"), max_length=500)
    categorie = models.CharField(_("categorie"), max_length=20, choices=Categorie.choices)
    procedure = models.CharField(_("procedure"), max_length=30, choices=Procedure.choices)
    gunningsdatum = models.DateField(_("gunningsdatum"))
    startdatum = models.DateField(_("startdatum"))
    einddatum = models.DateField(_("einddatum"))
    aanneemsom = models.DecimalField(_("aanneemsom (excl. btw)"), **MONEY)
    loonsom = models.DecimalField(_("loonsom"), **MONEY)
    extra_percentage = models.DecimalField(_("extra SROI-percentage"), default=Decimal("0"), **PERCENT)
    sebo_keurmerk = models.BooleanField(_("SEBO-keurmerk"), default=False)

    beleid = models.ForeignKey(Beleid, verbose_name=_("beleidsversie"), on_delete=models.PROTECT, related_name="contracten")
    catalogus = models.ForeignKey(
        "bouwblokken.Catalogus", verbose_name=_("catalogusversie"), on_delete=models.PROTECT, related_name="contracten"
    )

    actuele_aanneemsom = models.DecimalField(_("actuele aanneemsom"), **MONEY)
    actuele_loonsom = models.DecimalField(_("actuele loonsom"), **MONEY)
    actuele_einddatum = models.DateField(_("actuele einddatum"))

    verplichting_van_toepassing = models.BooleanField(_("verplichting van toepassing"), default=False)
    verplichting_percentage = models.DecimalField(_("verplichtingspercentage"), default=Decimal("0"), **PERCENT)
    verplichting_bedrag = models.DecimalField(_("verplichting"), default=Decimal("0"), **MONEY)
    verplichting_reden = models.CharField(_("reden"), max_length=40, blank=True)
    verplichting_status = models.CharField(_("vaste status"), max_length=30, blank=True)

    contact_opgenomen_op = models.DateTimeField(
        _("contact met leverancier"),
        null=True,
        blank=True,
        help_text=_("Wanneer de leverancier en het SR-team contact hadden (binnen 5 werkdagen na gunning)."),
    )
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    aangemaakt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracten")
        ordering = ["-gunningsdatum", "kenmerk"]
        indexes = [models.Index(fields=["gemeente", "gunningsdatum"]), models.Index(fields=["leverancier"])]
        constraints = [
            models.UniqueConstraint(fields=["gemeente", "kenmerk"], name="contract_kenmerk_unique_per_gemeente"),
            models.CheckConstraint(condition=Q(einddatum__gte=F("startdatum")), name="contract_end_after_start"),
            models.CheckConstraint(
                condition=Q(actuele_einddatum__gte=F("startdatum")), name="contract_current_end_after_start"
            ),
            models.CheckConstraint(condition=Q(aanneemsom__gte=0), name="contract_aanneemsom_not_negative"),
            models.CheckConstraint(condition=Q(loonsom__gte=0), name="contract_loonsom_not_negative"),
            models.CheckConstraint(condition=Q(loonsom__lte=F("aanneemsom")), name="contract_loonsom_within_aanneemsom"),
            models.CheckConstraint(
                condition=Q(actuele_loonsom__gte=0) & Q(actuele_loonsom__lte=F("actuele_aanneemsom")),
                name="contract_current_loonsom_within_aanneemsom",
            ),
            models.CheckConstraint(
                condition=Q(extra_percentage__gte=0, extra_percentage__lte=100), name="contract_extra_percentage_range"
            ),
            models.CheckConstraint(condition=Q(verplichting_bedrag__gte=0), name="contract_obligation_not_negative"),
        ]

    def __str__(self):
        return f"{self.kenmerk} {self.omschrijving}"

    @property
    def obligation(self) -> calculation.Obligation:
        """The stored obligation as a value object (computed by the services on every change)."""
        return calculation.Obligation(
            van_toepassing=self.verplichting_van_toepassing,
            percentage=self.verplichting_percentage,
            bedrag=self.verplichting_bedrag,
            reden=self.verplichting_reden,
            status=self.verplichting_status or None,
            grondslag_bedrag=Decimal(0),
            berekend_bedrag=self.verplichting_bedrag,
        )


class WijzigingSoort(models.TextChoices):
    MEERWERK = "meerwerk", _("Meerwerk")
    MINDERWERK = "minderwerk", _("Minderwerk")
    OPTIE = "optie", _("Optie ingelost")
    VERLENGING = "verlenging", _("Verlenging")


class ContractWijziging(models.Model):
    """A dated change of the contract value or period; the obligation follows the current total."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="wijzigingen")
    soort = models.CharField(_("soort"), max_length=20, choices=WijzigingSoort.choices)
    datum = models.DateField(_("datum"))
    bedrag = models.DecimalField(_("wijziging aanneemsom"), default=Decimal("0"), **MONEY)
    loonsom_bedrag = models.DecimalField(_("wijziging loonsom"), default=Decimal("0"), **MONEY)
    nieuwe_einddatum = models.DateField(_("nieuwe einddatum"), null=True, blank=True)
    toelichting = models.TextField(_("toelichting"), blank=True)
    geregistreerd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    geregistreerd_op = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contractwijziging")
        verbose_name_plural = _("contractwijzigingen")
        ordering = ["datum", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(soort="meerwerk") | Q(bedrag__gt=0), name="wijziging_meerwerk_positive"
            ),
            models.CheckConstraint(
                condition=~Q(soort="minderwerk") | Q(bedrag__lt=0), name="wijziging_minderwerk_negative"
            ),
            models.CheckConstraint(
                condition=~Q(soort="verlenging") | Q(nieuwe_einddatum__isnull=False),
                name="wijziging_verlenging_has_end_date",
            ),
        ]


class OntheffingSoort(models.TextChoices):
    VOLLEDIG = "volledig", _("Volledig (geen verplichting)")
    GEDEELTELIJK = "gedeeltelijk", _("Gedeeltelijk (lager bedrag)")


class Ontheffing(models.Model):
    """Exemption, granted only by the gemeentesecretaris (rules §1.6)."""

    contract = models.OneToOneField(Contract, on_delete=models.CASCADE, related_name="ontheffing")
    soort = models.CharField(_("soort"), max_length=20, choices=OntheffingSoort.choices)
    bedrag = models.DecimalField(_("verlaagde verplichting"), null=True, blank=True, **MONEY)
    besluitdatum = models.DateField(_("besluitdatum"))
    besloten_door = models.CharField(_("besloten door (gemeentesecretaris)"), max_length=200)
    reden = models.TextField(_("reden"))
    geregistreerd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    geregistreerd_op = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ontheffing")
        verbose_name_plural = _("ontheffingen")
        constraints = [
            models.CheckConstraint(
                condition=(Q(soort="volledig") & Q(bedrag__isnull=True))
                | (Q(soort="gedeeltelijk") & Q(bedrag__isnull=False) & Q(bedrag__gte=0)),
                name="ontheffing_bedrag_only_partial",
            ),
            models.CheckConstraint(condition=~Q(reden=""), name="ontheffing_reden_required"),
            models.CheckConstraint(condition=~Q(besloten_door=""), name="ontheffing_decider_required"),
        ]

    def as_params(self) -> calculation.Exemption:
        return calculation.Exemption(soort=self.soort, bedrag=self.bedrag)


class Afrekening(models.Model):
    """Settlement at the end of the contract (rules §2): recorded, corrected only with a reason."""

    contract = models.OneToOneField(Contract, on_delete=models.PROTECT, related_name="afrekening")
    datum = models.DateField(_("datum"))
    verplichting = models.DecimalField(_("verplichting"), **MONEY)
    gerealiseerd = models.DecimalField(_("gerealiseerd"), **MONEY)
    tekort = models.DecimalField(_("tekort"), **MONEY)
    sanctie_factor = models.DecimalField(_("sanctiefactor"), max_digits=5, decimal_places=2)
    sanctie = models.DecimalField(_("sanctie"), **MONEY)
    besluit = models.TextField(_("besluit"))
    correctie_reden = models.TextField(_("reden van correctie"), blank=True)
    vastgesteld_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    vastgesteld_op = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("afrekening")
        verbose_name_plural = _("afrekeningen")
        constraints = [
            models.CheckConstraint(
                condition=Q(tekort__gte=0) & Q(sanctie__gte=0) & Q(sanctie_factor__gte=0),
                name="afrekening_amounts_not_negative",
            ),
        ]



OBLIGATION_REASONS = {
    "hoog_percentage": _("Het volle percentage geldt: de loonsom is minstens de drempel van de aanneemsom."),
    "laag_percentage": _("Het lage percentage geldt: de loonsom is minder dan de drempel van de aanneemsom."),
    "categorie_buiten_beleid": _("Het beleid geldt niet voor deze categorie opdrachten."),
    "procedure_buiten_beleid": _("Het beleid geldt niet voor deze aanbestedingsprocedure."),
    "onder_minimumwaarde": _("De opdrachtwaarde ligt onder de ondergrens van het beleid."),
    "maximum_bedrag": _("De verplichting is begrensd op het maximum per contract."),
    "ontheffing_volledig": _("De gemeentesecretaris heeft volledige ontheffing verleend."),
    "ontheffing_gedeeltelijk": _("De gemeentesecretaris heeft de verplichting verlaagd."),
    "sebo_keurmerk": _("De leverancier heeft een SEBO-keurmerk; daarmee is aan de verplichting voldaan."),
}

STATUS_LABELS = {
    "vrijgesteld": _("Vrijgesteld"),
    "voldaan_via_sebo": _("Voldaan via SEBO"),
    "voldaan": _("Voldaan"),
    "op_schema": _("Op schema"),
    "achter": _("Achter op schema"),
    "niet_van_toepassing": _("Niet van toepassing"),
}


class ContactSoort(models.TextChoices):
    TELEFOON = "telefoon", _("Telefoon")
    EMAIL = "email", _("E-mail")
    GESPREK = "gesprek", _("Gesprek (op locatie of online)")
    OVERIG = "overig", _("Anders")


class ContactMoment(models.Model):
    """Contact between the SR-team and the supplier after award (rules §3, step 3: within 5 working days)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="contactmomenten")
    datum = models.DateField(_("datum van het contact"))
    soort = models.CharField(_("soort contact"), max_length=20, choices=ContactSoort.choices)
    notitie = models.TextField(_("notitie"), blank=True)
    door = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("vastgelegd door"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    geregistreerd_op = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contactmoment")
        verbose_name_plural = _("contactmomenten")
        ordering = ["-datum", "-id"]

    def __str__(self):
        return f"{self.get_soort_display()} {self.datum:%d-%m-%Y}"


def plan_path(instance, filename):
    # Server-made name in private storage; the uploaded name is kept only as metadata.
    import uuid

    return f"plannen/{instance.contract_id}/{uuid.uuid4().hex}.pdf"


class PlanVanAanpak(models.Model):
    """The plan of approach agreed with the supplier (PDF in private storage, permission-checked download)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="plannen")
    bestand = models.FileField(_("bestand"), upload_to=plan_path)
    oorspronkelijke_naam = models.CharField(_("bestandsnaam"), max_length=255)
    grootte = models.PositiveIntegerField(_("grootte (bytes)"))
    omschrijving = models.CharField(_("omschrijving"), max_length=200, blank=True)
    geupload_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("geüpload door"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    geupload_op = models.DateTimeField(_("geüpload op"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plan van aanpak")
        verbose_name_plural = _("plannen van aanpak")
        ordering = ["-geupload_op", "-id"]

    def __str__(self):
        return self.oorspronkelijke_naam
