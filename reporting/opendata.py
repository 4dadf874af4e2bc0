"""Public open data that protects people (SROI-RULES.md §4, "Public open data").

A municipality's open data for a year is published once the year is closed
(``SROI_OPEN_DATA_PUBLICATION_DATE``, MM-DD of the next year, default 1 March) as a numbered
version that never changes (``reporting.models.OpenDataVersie``: the CSV and JSON bytes as
downloaded, with their SHA-256). A correction is a new version with its date and a note. The
download URLs serve a stored version, never a live recomputation, so every web process serves
the same bytes and two downloads of one version are identical.

Who publishes: the daily beat task ``reporting.tasks.publish_open_data`` (version 1 of every closed
year that has none: :func:`publish_due`), ``manage.py publiceer_open_data`` and the administrator's
button on ``/rapportage/open-data/{code}/{jaar}/``; all go through :func:`publish_version`.

What is published: the council figures (``reporting.selectors.council_figures``, read as they
are) as long-format cells, with these rules on top of the dashboard's suppression:

(a) every count of people under 5 is suppressed, 0 included (so "nobody" and "one person" look the
    same), and so are the figures derived from a suppressed count: the banenafspraak jobs through
    social return follow the count of the banenafspraak target group;
(b) every target group of the catalogue has its row every year, whether anyone was placed or not;
(c) versions: see above; in a correction a count of people that differs by 1 to 4 from its value in
    an earlier version of the year is suppressed (comparing two versions must not show one person
    coming or going), and a cell suppressed in an earlier version stays suppressed (else its value
    or that of its partner would show through);
(d) secondary suppression: where the total of the target groups and all but one of them would be
    public, the smallest remaining target group is suppressed too. Every suppressed cell says
    "onderdrukt" (never "< 5": a secondarily suppressed cell holds 5 or more).

The stories and the trend are not published; the data fingerprint of the figures
(``gegevensversie``) is not either (it is a hash over unsuppressed values and could be tested
against guesses).
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from contracts.models import Gemeente
from sroi_portal import access, clock
from sroi_portal.spreadsheets import CsvWriter

from . import selectors
from .models import ContractJaarCijfers, OpenDataVersie, PlaatsingCijfers
from .suppression import SUPPRESSED_WORD, THRESHOLD, secondary_suppression

LICENSE = "CC0-1.0"
COLUMNS = ["gemeentecode", "gemeente", "jaar", "versie", "gepubliceerd_op", "peildatum", "indicator", "categorie",
           "waarde", "eenheid", "onderdrukt"]
PERSONEN = "personen"
PLACED = "geplaatste_personen"
SPOOR3 = "banenafspraak_via_social_return"
BANENAFSPRAAK_GROUP = "banenafspraak"
STATUSES = selectors.SHARE_STATUSES  # "voldaan" includes the contracts fulfilled through SEBO (§6)


# --- when a year is closed ------------------------------------------------------------------------

def publication_date(jaar: int) -> date:
    """The day from which ``jaar`` is closed and its open data published (in the next year)."""
    month, day = (int(part) for part in getattr(settings, "SROI_OPEN_DATA_PUBLICATION_DATE", "03-01").split("-"))
    return date(jaar + 1, month, day)


def is_closed(jaar: int, today: date) -> bool:
    return today >= publication_date(jaar)


def last_closed_year(today: date) -> int:
    return today.year - 1 if is_closed(today.year - 1, today) else today.year - 2


def format_day(day: date) -> str:
    return formats.date_format(day, "j F Y")


# --- the cells ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Cell:
    indicator: str
    categorie: str
    waarde: str | None  # None: suppressed, or not available (``onderdrukt`` says which)
    eenheid: str
    onderdrukt: bool = False

    @property
    def key(self) -> tuple[str, str]:
        return (self.indicator, self.categorie)

    def as_dict(self) -> dict:
        return {"indicator": self.indicator, "categorie": self.categorie, "waarde": self.waarde,
                "eenheid": self.eenheid, "onderdrukt": self.onderdrukt}


def target_groups() -> list[str]:
    """Every target group of the catalogue (any version), plus the portal's known ones: the rows do
    not depend on whether anyone was placed."""
    from bouwblokken.models import Bouwblok

    codes = set(selectors.DOELGROEP_LABELS)
    codes |= set(Bouwblok.objects.exclude(doelgroep="").values_list("doelgroep", flat=True).distinct().order_by())
    return sorted(codes)


def _money(value) -> str | None:
    return None if value is None else str(value)


def raw_cells(figures) -> list[Cell]:
    """The cells before the open-data suppression: counts of people as the selector gives them
    (None where the dashboard already suppresses them)."""
    cells: list[Cell] = []

    def add(indicator, waarde, eenheid, categorie=""):
        cells.append(Cell(indicator, categorie, None if waarde is None else str(waarde), eenheid))

    def count(indicator, aantal, categorie=""):
        add(indicator, None if aantal is None or aantal.onderdrukt else aantal.waarde, PERSONEN, categorie)

    add("contracten_met_verplichting", figures.contracten, "aantal")
    add("contractwaarde", figures.contractwaarde, "euro")
    add("verplichting", figures.verplichting, "euro")
    add("verwacht", figures.verwacht, "euro")
    add("gerealiseerd", figures.gerealiseerd, "euro")
    add("gerealiseerd_in_jaar", figures.gerealiseerd_in_jaar, "euro")
    add("toegezegd", figures.toegezegd, "euro")
    add("in_behandeling", figures.in_behandeling, "euro")
    # Over the contracts to fill with bouwblokken; empty when not applicable (SROI-RULES.md §6).
    add("realisatie_percentage", figures.realisatie_percentage, "procent")
    add("contracten_met_bouwblokken", figures.contracten_met_bouwblokken, "aantal")
    add("contracten_voldaan_via_sebo", figures.sebo.aantal, "aantal")
    add("verplichting_voldaan_via_sebo", figures.sebo.verplichting, "euro")
    add("contracten_vrijgesteld", figures.vrijgesteld.aantal, "aantal")
    for code in STATUSES:  # every status every year
        status = figures.status(code)
        add("contracten_naar_status", status.aantal if status else 0, "aantal", code)
    count(PLACED, figures.personen)
    per_group = {d.doelgroep: d.personen for d in figures.doelgroepen}
    for code in target_groups():
        aantal = per_group.get(code)
        if aantal is None:  # nobody placed: the row is there all the same
            add(PLACED, 0, PERSONEN, code)
        else:
            count(PLACED, aantal, code)
    count("plaatsing_gestart", figures.duurzaam.gestart)
    count("vast_contract", figures.duurzaam.vast_contract)
    count("na_12_maanden_in_dienst", figures.duurzaam.na_12_maanden)
    banen = figures.banenafspraak
    available = banen.beschikbaar
    add("banenafspraak_doel", banen.doel if available else None, "banen")
    add("banenafspraak_banen_totaal", banen.banen_totaal if available else None, "banen")
    add("banenafspraak_percentage", banen.percentage if available else None, "procent")
    add(SPOOR3, banen.banen_via_social_return if available else None, "banen")
    add("budget_sr_team", _money(figures.budget.bedrag), "euro")
    return cells


def suppress_cells(cells: list[Cell], *, earlier: list[list[dict]] = ()) -> list[Cell]:
    """Apply the open-data rules (a), (c) and (d) to ``cells``; ``earlier``: the cells of the year's
    earlier versions (as stored), oldest first."""
    hidden: set[tuple[str, str]] = set()
    earlier_suppressed: set[tuple[str, str]] = set()
    earlier_values: dict[tuple[str, str], set[int]] = {}
    for version in earlier:
        for cell in version:
            key = (cell["indicator"], cell["categorie"])
            if cell["onderdrukt"]:
                earlier_suppressed.add(key)
            elif cell["eenheid"] == PERSONEN and cell["waarde"] is not None:
                earlier_values.setdefault(key, set()).add(int(cell["waarde"]))
    counts = {cell.key: (None if cell.waarde is None else int(cell.waarde)) for cell in cells if cell.eenheid == PERSONEN}

    # (a) under 5, 0 included, or already suppressed by the dashboard; (c) sticky and differences.
    for key, value in counts.items():
        if value is None or value < THRESHOLD or key in earlier_suppressed:
            hidden.add(key)
        elif any(0 < abs(value - before) < THRESHOLD for before in earlier_values.get(key, ())):
            hidden.add(key)
    # (d) the target groups against their total (when the total itself is public).
    groups = {key: value for key, value in counts.items() if key[0] == PLACED and key[1]}
    if (PLACED, "") not in hidden:
        hidden |= secondary_suppression({k: (None if k in hidden else v) for k, v in groups.items()},
                                        {k for k in groups if k in hidden})
    # (c) in a correction, one target group that goes from public to suppressed would show which
    # group changed: then another public group is suppressed with it.
    if earlier:
        hidden |= secondary_suppression({k: (None if k in hidden else v) for k, v in groups.items()},
                                        {k for k in groups if k in hidden and k not in earlier_suppressed})
    # (a) derived: the jobs through social return rest on the banenafspraak group's people.
    spoor3 = next((cell for cell in cells if cell.key == (SPOOR3, "")), None)
    if spoor3 is not None and spoor3.waarde is not None and (
        (PLACED, BANENAFSPRAAK_GROUP) in hidden or (SPOOR3, "") in earlier_suppressed
    ):
        hidden.add((SPOOR3, ""))

    return [Cell(c.indicator, c.categorie, None, c.eenheid, True) if c.key in hidden else c for c in cells]


def build_cells(figures, *, earlier: list[list[dict]] = ()) -> list[dict]:
    return [cell.as_dict() for cell in suppress_cells(raw_cells(figures), earlier=earlier)]


# --- the files ------------------------------------------------------------------------------------

def _meta(*, gemeente, jaar, versie, gepubliceerd_op) -> dict:
    return {"gemeentecode": gemeente.code, "gemeente": gemeente.naam, "jaar": jaar, "versie": versie,
            "gepubliceerd_op": timezone.localtime(gepubliceerd_op).isoformat(timespec="seconds"),
            "peildatum": date(jaar, 12, 31).isoformat()}


def _number(text):
    """A stored figure as a number again, so a negative one is written as a number (not neutralised as text)."""
    try:
        return Decimal(text) if text and text.lstrip("-").replace(".", "", 1).isdigit() else text
    except InvalidOperation:
        return text


def render_csv(cells: list[dict], meta: dict) -> bytes:
    """RFC 4180 (comma, decimal point, UTF-8, CRLF); a suppressed value says "onderdrukt"."""
    buffer = io.StringIO()
    writer = CsvWriter(buffer, lineterminator="\r\n")  # no live formulas (sroi_portal.spreadsheets)
    writer.writerow(COLUMNS)
    for cell in cells:
        waarde = SUPPRESSED_WORD if cell["onderdrukt"] else ("" if cell["waarde"] is None else cell["waarde"])
        row = {**meta, **cell, "waarde": _number(waarde), "onderdrukt": "ja" if cell["onderdrukt"] else "nee"}
        writer.writerow([row.get(column, "") for column in COLUMNS])
    return buffer.getvalue().encode("utf-8")


def render_json(cells: list[dict], meta: dict, *, toelichting: str) -> bytes:
    document = {
        "licentie": LICENSE,
        **meta,
        "toelichting": toelichting,
        "uitleg": _("Geaggregeerde social-returncijfers, één gepubliceerde versie die niet meer verandert. "
                    "Aantallen personen onder de 5 (ook 0) en aantallen die daaruit af te leiden zijn, zijn "
                    "onderdrukt: waarde null, onderdrukt true, weergave \"onderdrukt\"."),
        "cellen": [{**cell, "weergave": SUPPRESSED_WORD if cell["onderdrukt"] else cell["waarde"]} for cell in cells],
    }
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False).encode("utf-8") + b"\n"


# --- publishing -----------------------------------------------------------------------------------

def _not_closed_error(jaar: int) -> ValidationError:
    return ValidationError(
        _("%(jaar)s is nog niet afgesloten: de open data over %(jaar)s verschijnt op %(datum)s.")
        % {"jaar": jaar, "datum": format_day(publication_date(jaar))},
        code="niet_afgesloten",
    )


@transaction.atomic
def publish_version(*, gemeente, jaar: int, toelichting: str = "", door=None, today: date | None = None,
                    only_first: bool = False) -> OpenDataVersie | None:
    """Publish the next version of ``gemeente``'s open data for ``jaar`` (1, or a correction).

    ``door``: the administrator who publishes (None: the system, e.g. the beat task). A correction
    needs a ``toelichting``; one that changes no cell is refused. ``only_first``: publish version 1
    only, and return None when the year already has one (the beat task; safe to run twice).
    """
    today = today or clock.today()
    if door is not None and not access.is_beheerder(door):
        raise PermissionDenied(_("Alleen de functioneel beheerder publiceert open data."))
    if not is_closed(jaar, today):
        raise _not_closed_error(jaar)
    gemeente = Gemeente.objects.select_for_update().get(pk=gemeente.pk)  # one publisher at a time
    earlier = list(OpenDataVersie.objects.filter(gemeente=gemeente, jaar=jaar).order_by("versie"))
    if earlier and only_first:
        return None
    toelichting = (toelichting or "").strip()
    if earlier and not toelichting:
        raise ValidationError({"toelichting": _("Een correctie heeft een toelichting nodig: wat is er veranderd "
                                                "en waarom?")}, code="toelichting_ontbreekt")
    figures = selectors.council_figures(gemeente=gemeente, jaar=jaar, today=today)
    cells = build_cells(figures, earlier=[v.cellen for v in earlier])
    if earlier and cells == earlier[-1].cellen:
        raise ValidationError(
            _("Er is geen gepubliceerd cijfer veranderd sinds versie %(versie)s; een correctie is niet nodig.")
            % {"versie": earlier[-1].versie}, code="ongewijzigd",
        )
    versie = earlier[-1].versie + 1 if earlier else 1
    now = clock.now().replace(microsecond=0)
    meta = _meta(gemeente=gemeente, jaar=jaar, versie=versie, gepubliceerd_op=now)
    csv_bytes = render_csv(cells, meta)
    json_bytes = render_json(cells, meta, toelichting=toelichting)
    return OpenDataVersie.objects.create(
        gemeente=gemeente, jaar=jaar, versie=versie, gepubliceerd_op=now, gepubliceerd_door=door,
        toelichting=toelichting, cellen=cells,
        csv=csv_bytes, csv_sha256=hashlib.sha256(csv_bytes).hexdigest(),
        json=json_bytes, json_sha256=hashlib.sha256(json_bytes).hexdigest(),
    )


def due_years(*, today: date) -> list[tuple[int, int]]:
    """(gemeente id, jaar) of every closed year without a version: the last closed year of every
    municipality, and earlier years that have stored figures."""
    last = last_closed_year(today)
    wanted = {(pk, last) for pk in Gemeente.objects.values_list("pk", flat=True)}
    for model in (ContractJaarCijfers, PlaatsingCijfers):
        wanted |= set(model.objects.filter(jaar__lte=last).values_list("gemeente_id", "jaar").distinct().order_by())
    published = set(OpenDataVersie.objects.values_list("gemeente_id", "jaar").distinct().order_by())
    return sorted(wanted - published)


def publish_due(*, today: date | None = None) -> list[OpenDataVersie]:
    """Version 1 of every closed year that has none (each in its own transaction; safe to run twice
    and at the same time: a year another run published is skipped)."""
    today = today or clock.today()
    published = []
    gemeenten = Gemeente.objects.in_bulk()
    for gemeente_id, jaar in due_years(today=today):
        try:
            version = publish_version(gemeente=gemeenten[gemeente_id], jaar=jaar, today=today, only_first=True)
        except IntegrityError:  # published by a run at the same time
            continue
        if version is not None:
            published.append(version)
    return published


# --- reading --------------------------------------------------------------------------------------

def versions_of(*, gemeente, jaar: int):
    return OpenDataVersie.objects.filter(gemeente=gemeente, jaar=jaar).order_by("-versie")


def latest_version(*, gemeente, jaar: int) -> OpenDataVersie | None:
    return versions_of(gemeente=gemeente, jaar=jaar).first()


def published_years() -> dict[int, list[tuple[int, int]]]:
    """{gemeente id: [(jaar, latest versie), ...] newest year first}, one query."""
    from django.db.models import Max

    result: dict[int, list[tuple[int, int]]] = {}
    for row in (OpenDataVersie.objects.values("gemeente_id", "jaar").annotate(laatste=Max("versie"))
                .order_by("gemeente_id", "-jaar")):
        result.setdefault(row["gemeente_id"], []).append((row["jaar"], row["laatste"]))
    return result
