"""Reporting: stored fulfilment figures, follow-ups, stories, SR-team budgets, reminders and the
council reports (issue #4; SROI-RULES.md §6).

The figures (``ContractCijfers``, ``ContractJaarCijfers``, ``PlaatsingCijfers``) are a cache:
written only by ``reporting.services.recompute_*`` (after every change and nightly), read by the
dashboard, the PDF, the API and the exports, so no page recomputes a municipality per request.
The arithmetic itself lives in ``contracts.calculation`` and ``contracts.selectors``.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from contracts.models import MONEY
from sroi_portal.validation import refuse_citizen_service_numbers

PERCENTAGE = {"max_digits": 9, "decimal_places": 2}


class FigureFields(models.Model):
    """What both figure tables hold: a contract's fulfilment at a reference date."""

    gemeente = models.ForeignKey("contracts.Gemeente", on_delete=models.CASCADE, related_name="+")
    van_toepassing = models.BooleanField(_("verplichting van toepassing"), default=False)
    aanneemsom = models.DecimalField(_("actuele aanneemsom"), **MONEY)
    verplichting = models.DecimalField(_("verplichting"), **MONEY)
    goedgekeurd = models.DecimalField(
        _("toegezegd (goedgekeurd)"), help_text=_("De volle waarde van de goedgekeurde registraties."), **MONEY
    )
    gerealiseerd = models.DecimalField(
        _("gerealiseerd"), default=0,
        help_text=_("Het deel van de goedgekeurde waarde op of vóór de peildatum (SROI-RULES §2)."), **MONEY
    )
    in_behandeling = models.DecimalField(_("in behandeling"), **MONEY)
    verwacht = models.DecimalField(_("verwacht"), **MONEY)
    status = models.CharField(_("status"), max_length=30)
    berekend_op = models.DateTimeField(_("berekend op"))
    gegevensversie = models.CharField(
        _("gegevensversie"),
        max_length=16,
        help_text=_("Vingerafdruk van de berekende waarden: gelijk zolang de cijfers gelijk zijn."),
    )

    class Meta:
        abstract = True


class ContractCijfers(FigureFields):
    """A contract's fulfilment at its reference date (today while it runs, its end date once ended or
    settled): the totals the contract pages show (``fulfilment_of``). ``percentage`` and ``status``
    follow ``gerealiseerd``; ``goedgekeurd`` is the committed value."""

    contract = models.OneToOneField(
        "contracts.Contract", primary_key=True, on_delete=models.CASCADE, related_name="cijfers"
    )
    percentage = models.DecimalField(_("realisatie (%)"), null=True, blank=True, **PERCENTAGE)

    class Meta:
        verbose_name = _("contractcijfers")
        verbose_name_plural = _("contractcijfers")
        indexes = [models.Index(fields=["gemeente", "status"])]


class ContractJaarCijfers(FigureFields):
    """A contract's fulfilment at the end of one calendar year it ran in (today for this year).

    ``goedgekeurd`` (committed) and ``in_behandeling`` count the value of the years up to and
    including ``jaar``; ``gerealiseerd`` what of it was realised by 31 December of ``jaar`` (or today,
    for the current year); ``goedgekeurd_in_jaar`` and ``gerealiseerd_in_jaar`` only that year's part;
    ``verwacht`` and ``status`` (on ``gerealiseerd``) are measured on the same date.
    """

    contract = models.ForeignKey("contracts.Contract", on_delete=models.CASCADE, related_name="jaarcijfers")
    jaar = models.PositiveSmallIntegerField(_("jaar"))
    goedgekeurd_in_jaar = models.DecimalField(_("toegezegd in het jaar"), **MONEY)
    gerealiseerd_in_jaar = models.DecimalField(_("gerealiseerd in het jaar"), default=0, **MONEY)

    class Meta:
        verbose_name = _("contractcijfers per jaar")
        verbose_name_plural = _("contractcijfers per jaar")
        indexes = [models.Index(fields=["gemeente", "jaar"])]
        constraints = [
            models.UniqueConstraint(fields=["contract", "jaar"], name="contractjaarcijfers_unique"),
        ]


class PlaatsingCijfers(models.Model):
    """People placed per municipality, year and target group (``doelgroep`` "" = all together).

    ``personen``: distinct candidates with an approved placement that counts in ``jaar``.
    ``gestart``: distinct candidates whose approved placement started in ``jaar`` (the cohort), of
    whom ``vast_contract`` got a permanent contract and ``na_12_maanden`` were still employed 12
    months later; ``vervolg_bekend`` is how many of them have that 12-month outcome recorded.
    These are raw counts: pages and exports suppress small ones (``reporting.suppression``).
    """

    gemeente = models.ForeignKey("contracts.Gemeente", on_delete=models.CASCADE, related_name="+")
    jaar = models.PositiveSmallIntegerField(_("jaar"))
    doelgroep = models.CharField(_("doelgroep"), max_length=40, blank=True)
    personen = models.PositiveIntegerField(_("geplaatste personen"), default=0)
    gestart = models.PositiveIntegerField(_("gestart in het jaar"), default=0)
    vast_contract = models.PositiveIntegerField(_("vast contract"), default=0)
    na_12_maanden = models.PositiveIntegerField(_("na 12 maanden nog in dienst"), default=0)
    vervolg_bekend = models.PositiveIntegerField(_("uitkomst na 12 maanden bekend"), default=0)
    berekend_op = models.DateTimeField(_("berekend op"))

    class Meta:
        verbose_name = _("plaatsingscijfers")
        verbose_name_plural = _("plaatsingscijfers")
        constraints = [
            models.UniqueConstraint(fields=["gemeente", "jaar", "doelgroep"], name="plaatsingcijfers_unique"),
        ]


class Vervolg(models.Model):
    """What became of a placement: a permanent contract, and still employed 12 months later?

    Recorded by the supplier (rules §6: sustainable outcomes). ``None`` means "not known (yet)".
    """

    registratie = models.OneToOneField(
        "bouwblokken.Registratie", verbose_name=_("plaatsing"), on_delete=models.CASCADE, related_name="vervolg"
    )
    vast_contract = models.BooleanField(_("vast contract"), null=True, blank=True)
    in_dienst_na_12_maanden = models.BooleanField(_("na 12 maanden nog in dienst"), null=True, blank=True)
    vastgelegd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    vastgelegd_op = models.DateTimeField(_("vastgelegd op"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("vervolg van een plaatsing")
        verbose_name_plural = _("vervolg van plaatsingen")


class VerhaalStatus(models.TextChoices):
    INGEDIEND = "ingediend", _("Wacht op beoordeling")
    GOEDGEKEURD = "goedgekeurd", _("Goedgekeurd")
    AFGEWEZEN = "afgewezen", _("Afgewezen")


class Verhaal(models.Model):
    """An anonymised story of a person behind the numbers, for the council report.

    Only with the person's recorded consent; shown only after the SR-team approved it (which
    includes checking that it names nobody).
    """

    gemeente = models.ForeignKey("contracts.Gemeente", verbose_name=_("gemeente"), on_delete=models.PROTECT, related_name="+")
    contract = models.ForeignKey(
        "contracts.Contract", verbose_name=_("contract"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    jaar = models.PositiveSmallIntegerField(_("jaar"))
    titel = models.CharField(_("titel"), max_length=120)
    tekst = models.TextField(_("verhaal"), max_length=2000)
    toestemming = models.BooleanField(_("toestemming vastgelegd"))
    toestemming_op = models.DateField(_("datum van de toestemming"))
    status = models.CharField(_("status"), max_length=20, choices=VerhaalStatus.choices, default=VerhaalStatus.INGEDIEND)
    ingediend_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ingediend_op = models.DateTimeField(_("ingediend op"), auto_now_add=True)
    beoordeeld_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    beoordeeld_op = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)
    beoordeling_toelichting = models.TextField(_("toelichting bij het besluit"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("verhaal")
        verbose_name_plural = _("verhalen")
        ordering = ["-jaar", "-ingediend_op"]
        indexes = [models.Index(fields=["gemeente", "jaar", "status"])]
        constraints = [
            models.CheckConstraint(condition=Q(toestemming=True), name="verhaal_only_with_consent"),
            models.CheckConstraint(
                condition=Q(status="ingediend") | Q(beoordeeld_op__isnull=False), name="verhaal_decision_has_date"
            ),
            models.CheckConstraint(
                condition=~Q(status="afgewezen") | ~Q(beoordeling_toelichting=""), name="verhaal_rejection_has_reason"
            ),
        ]

    def clean(self):
        # No BSN, also not in disguise, in what people type here (also through the admin).
        super().clean()
        refuse_citizen_service_numbers(type(self), titel=self.titel, tekst=self.tekst,
                                       beoordeling_toelichting=self.beoordeling_toelichting)

    def __str__(self):
        return self.titel


class Teambudget(models.Model):
    """The SR-team's budget for one municipality and year, set against the value realised."""

    gemeente = models.ForeignKey("contracts.Gemeente", verbose_name=_("gemeente"), on_delete=models.PROTECT, related_name="+")
    jaar = models.PositiveSmallIntegerField(_("jaar"))
    bedrag = models.DecimalField(_("budget"), **MONEY)
    toelichting = models.CharField(_("toelichting"), max_length=300, blank=True)
    vastgelegd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    vastgelegd_op = models.DateTimeField(_("vastgelegd op"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budget SR-team")
        verbose_name_plural = _("budgetten SR-team")
        ordering = ["gemeente", "-jaar"]
        constraints = [
            models.UniqueConstraint(fields=["gemeente", "jaar"], name="teambudget_unique_per_year"),
            models.CheckConstraint(condition=Q(bedrag__gte=0), name="teambudget_not_negative"),
            models.CheckConstraint(condition=Q(jaar__gte=2000, jaar__lte=2100), name="teambudget_year_range"),
        ]

    def clean(self):
        # No BSN, also not in disguise, in what people type here (also through the admin).
        super().clean()
        refuse_citizen_service_numbers(type(self), toelichting=self.toelichting)

    def __str__(self):
        return f"{self.gemeente} {self.jaar}"


class HerinneringSoort(models.TextChoices):
    JAARRAPPORTAGE = "jaarrapportage", _("Jaarrapportage staat klaar")
    JAARRAPPORTAGE_TE_LAAT = "jaarrapportage_te_laat", _("Jaarrapportage te laat")
    CONTACT_LEVERANCIER = "contact_leverancier", _("Leverancier: neem contact op met het SR-team")
    CONTACT_SR_TEAM = "contact_sr_team", _("SR-team: leverancier heeft geen contact opgenomen")
    WACHTRIJ = "wachtrij", _("SR-team: registraties wachten te lang")
    BEWIJS_ONTBREEKT = "bewijs_ontbreekt", _("Bewijsstukken ontbreken")
    ACHTER_LEVERANCIER = "achter_leverancier", _("Leverancier: contract loopt achter op schema")
    ACHTER_SR_TEAM = "achter_sr_team", _("SR-team: contract loopt achter op schema")


class Herinnering(models.Model):
    """A reminder that was sent: one row per kind, recipient and occasion.

    The unique constraint is what makes a reminder go out once: the sender inserts the row and
    sends in one transaction, so a second run (even a concurrent one) finds the row and skips it.
    """

    soort = models.CharField(_("soort"), max_length=40, choices=HerinneringSoort.choices)
    ontvanger = models.EmailField(_("ontvanger"))
    aanleiding = models.CharField(_("aanleiding"), max_length=120)
    gebruiker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contract = models.ForeignKey(
        "contracts.Contract", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    onderwerp = models.CharField(_("onderwerp"), max_length=200)
    verstuurd_op = models.DateTimeField(_("verstuurd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("herinnering")
        verbose_name_plural = _("herinneringen")
        ordering = ["-verstuurd_op"]
        constraints = [
            models.UniqueConstraint(fields=["soort", "ontvanger", "aanleiding"], name="herinnering_once_per_occasion"),
        ]

    def __str__(self):
        return f"{self.get_soort_display()} → {self.ontvanger} ({self.aanleiding})"


class RapportStatus(models.TextChoices):
    WACHTRIJ = "wachtrij", _("In de wachtrij")
    BEZIG = "bezig", _("Wordt gemaakt")
    KLAAR = "klaar", _("Klaar")
    MISLUKT = "mislukt", _("Mislukt")


def report_path(instance, filename):
    return f"{settings.SROI_REPORTS_DIR}/{instance.gemeente.code}/{instance.jaar}/{instance.pk}.pdf"


class Raadsrapportage(models.Model):
    """A council report (PDF) for one municipality and year, made by a Celery task.

    ``cijfers`` keeps the figures it was made from (the same ``CouncilFigures`` the dashboard and
    the API show) and ``gegevensversie`` their fingerprint.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    gemeente = models.ForeignKey("contracts.Gemeente", verbose_name=_("gemeente"), on_delete=models.PROTECT, related_name="+")
    jaar = models.PositiveSmallIntegerField(_("jaar"))
    status = models.CharField(_("status"), max_length=20, choices=RapportStatus.choices, default=RapportStatus.WACHTRIJ)
    aangevraagd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    aangevraagd_op = models.DateTimeField(_("aangevraagd op"), auto_now_add=True)
    gestart_op = models.DateTimeField(_("gestart op"), null=True, blank=True)
    gereed_op = models.DateTimeField(_("gereed op"), null=True, blank=True)
    bestand = models.FileField(_("bestand"), upload_to=report_path, blank=True)
    gegevensversie = models.CharField(_("gegevensversie"), max_length=16, blank=True)
    cijfers = models.JSONField(_("cijfers"), default=dict, blank=True)
    foutmelding = models.TextField(_("foutmelding"), blank=True)

    class Meta:
        verbose_name = _("raadsrapportage")
        verbose_name_plural = _("raadsrapportages")
        ordering = ["-aangevraagd_op"]
        indexes = [models.Index(fields=["gemeente", "jaar"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="klaar") | (~Q(bestand="") & Q(gereed_op__isnull=False)),
                name="raadsrapportage_ready_has_file",
            ),
        ]

    def __str__(self):
        return f"Raadsrapportage {self.gemeente} {self.jaar}"

    @property
    def is_pending(self) -> bool:
        return self.status in (RapportStatus.WACHTRIJ, RapportStatus.BEZIG)

    @property
    def bestandsnaam(self) -> str:
        return f"raadsrapportage-{self.gemeente.code}-{self.jaar}.pdf"


# --- faults: the outbox and the recompute's run record ------------------------------------------

class UitgesteldSoort(models.TextChoices):
    CIJFERS_CONTRACT = "cijfers_contract", _("Cijfers van een contract herberekenen")
    CIJFERS_GEMEENTE = "cijfers_gemeente", _("Plaatsingscijfers van een gemeente herberekenen")
    RAADSRAPPORTAGE = "raadsrapportage", _("Raadsrapportage maken")


class UitgesteldeTaak(models.Model):
    """Outbox: work that could not be queued because the broker (Redis) did not answer.

    Written by ``reporting.outbox`` in place of the task message, so the user's save succeeds;
    sent on as soon as the broker answers again (the worker connecting, celery beat every minute,
    any successful enqueue, or ``manage.py flush_outbox``). ``sleutel`` is unique: the same work
    asked for twice while Redis is down is one row, and a row is deleted in the transaction that
    sent it on (the tasks themselves are safe to run twice).
    """

    soort = models.CharField(_("soort"), max_length=30, choices=UitgesteldSoort.choices)
    doel = models.CharField(_("doel"), max_length=64, help_text=_("Contract-, gemeente- of rapportage-id."))
    sleutel = models.CharField(_("sleutel"), max_length=100, unique=True)
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    pogingen = models.PositiveIntegerField(_("mislukte pogingen om te versturen"), default=0)
    laatste_poging_op = models.DateTimeField(_("laatste poging"), null=True, blank=True)
    laatste_fout = models.TextField(_("laatste fout"), blank=True)

    class Meta:
        verbose_name = _("uitgestelde taak")
        verbose_name_plural = _("uitgestelde taken")
        ordering = ["aangemaakt_op", "pk"]

    def __str__(self):
        return f"{self.get_soort_display()} ({self.doel})"


class HerberekeningStatus(models.TextChoices):
    BEZIG = "bezig", _("Bezig")
    KLAAR = "klaar", _("Klaar")


class Herberekening(models.Model):
    """Run record of a recompute of all figures (the nightly task).

    One row per Celery task id: a run that is redelivered after its worker died continues the same
    row (``pogingen`` counts the starts). ``batches`` and ``contracten`` are written in the
    transaction of each batch, so they always say exactly how far the stored figures got; a row
    still "bezig" after its task ended means the run was interrupted (its batches are whole).
    """

    taak_id = models.CharField(_("taak-id"), max_length=64, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=HerberekeningStatus.choices,
                              default=HerberekeningStatus.BEZIG)
    pogingen = models.PositiveIntegerField(_("keren gestart"), default=0)
    gestart_op = models.DateTimeField(_("gestart op"))
    laatst_gestart_op = models.DateTimeField(_("laatst gestart op"))
    klaar_op = models.DateTimeField(_("klaar op"), null=True, blank=True)
    batches = models.PositiveIntegerField(_("batches verwerkt"), default=0)
    contracten = models.PositiveIntegerField(_("contracten verwerkt"), default=0)
    gewijzigd = models.PositiveIntegerField(_("rijen bijgewerkt"), default=0)

    class Meta:
        verbose_name = _("herberekening")
        verbose_name_plural = _("herberekeningen")
        ordering = ["-gestart_op"]

    def __str__(self):
        return f"Herberekening {self.gestart_op:%Y-%m-%d %H:%M} ({self.get_status_display()})"


# --- public open data: numbered versions that never change -----------------------------------------

class OpenDataVersieQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Een gepubliceerde open-dataversie verandert nooit; publiceer een correctie.")

    def delete(self):
        raise TypeError("Een gepubliceerde open-dataversie wordt niet verwijderd; publiceer een correctie.")


class OpenDataVersie(models.Model):
    """One published version of a municipality's open data for a closed year (SROI-RULES.md §4).

    Written once by ``reporting.opendata.publish_version`` (the beat task, the management command or
    the administrator's page) and never changed: the CSV and JSON are stored as the bytes that are
    downloaded, with their SHA-256, so every web process serves the same file and two downloads of
    one version are byte-identical. A correction is a new version (``versie`` + 1) with a note.
    """

    gemeente = models.ForeignKey("contracts.Gemeente", verbose_name=_("gemeente"), on_delete=models.PROTECT,
                                 related_name="+")
    jaar = models.PositiveSmallIntegerField(_("jaar"))
    versie = models.PositiveIntegerField(_("versie"))
    gepubliceerd_op = models.DateTimeField(_("gepubliceerd op"))
    gepubliceerd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("gepubliceerd door"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    toelichting = models.TextField(_("toelichting"), blank=True)
    cellen = models.JSONField(_("cellen"), help_text=_("De gepubliceerde cellen (na onderdrukking)."))
    csv = models.BinaryField(_("CSV-bestand"))
    csv_sha256 = models.CharField(_("SHA-256 van de CSV"), max_length=64)
    json = models.BinaryField(_("JSON-bestand"))
    json_sha256 = models.CharField(_("SHA-256 van de JSON"), max_length=64)

    objects = OpenDataVersieQuerySet.as_manager()

    class Meta:
        verbose_name = _("open-dataversie")
        verbose_name_plural = _("open-dataversies")
        ordering = ["gemeente", "jaar", "versie"]
        constraints = [
            models.UniqueConstraint(fields=["gemeente", "jaar", "versie"], name="opendataversie_unique"),
            models.CheckConstraint(condition=Q(versie__gte=1), name="opendataversie_versie_vanaf_1"),
            models.CheckConstraint(condition=Q(versie=1) | ~Q(toelichting=""), name="opendataversie_correctie_toelichting"),
        ]

    def __str__(self):
        return f"Open data {self.gemeente} {self.jaar} versie {self.versie}"

    def save(self, *args, **kwargs):
        if self.pk is not None or not self._state.adding:
            raise TypeError("Een gepubliceerde open-dataversie verandert nooit; publiceer een correctie.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Een gepubliceerde open-dataversie wordt niet verwijderd; publiceer een correctie.")
