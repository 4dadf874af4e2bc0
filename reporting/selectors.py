"""The council's figures, defined ONCE: ``council_figures(gemeente=, jaar=)``.

The dashboard, the PDF council report, the API (``/api/v1/raadsrapportages/{code}/{jaar}``), the
open-data export and the council pages (/raad/ and the raadslid's start page, through
``council_figures_many``: the same code for many municipalities at once) all call this function,
so they always show the same numbers. It reads only the stored figures (``reporting.models``;
kept up to date by ``reporting.figures``), so it runs a fixed number of queries whatever the size
of the municipality, and ``council_figures_many`` whatever the number of municipalities. Access
is the caller's job (``sroi_portal.access.may_see_aggregates``).

The parameters (SROI-RULES.md §6):

1. contracts with an obligation that ran in the year, and their value;
2. obligation against value realised (EUR and %) by 31 December (today for this year: the part of
   the approved registrations on or before that date, SROI-RULES.md §2), with the committed value
   beside it and what was expected by that date;
3. the share of those contracts fulfilled / on schedule / behind (status on 31 December);
4. people placed per target group (counts below 5 suppressed);
5. sustainable outcomes: permanent contracts and still employed 12 months later (of the people
   whose placement started in the year);
6. banenafspraak: the municipality's own jobs against its target, plus jobs through social return;
7. the SR-team's budget against the value realised in the year;
and the trend over the last five years, and the approved anonymised stories.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contracts.models import STATUS_LABELS
from sroi_portal import clock
from sroi_portal.money import as_fraction, percentage, round_money

from .models import ContractJaarCijfers, PlaatsingCijfers, Teambudget, Verhaal, VerhaalStatus
from .suppression import Aantal, suppress, suppress_group

ZERO = Decimal("0.00")
TREND_YEARS = 5
# Order in which statuses are shown (the council's three first: fulfilled, on schedule, behind).
STATUS_ORDER = ("voldaan", "op_schema", "achter", "voldaan_via_sebo", "vrijgesteld")
# Contracts that need no bouwblokken (SROI-RULES.md §6): they are outside the realisation percentage
# and its amounts; SEBO counts as fulfilled in the shares of contracts, an exemption has its own line.
NO_BOUWBLOKKEN = ("voldaan_via_sebo", "vrijgesteld")
# The shares of contracts (over the contracts to fulfil: with bouwblokken or through SEBO).
SHARE_STATUSES = ("voldaan", "op_schema", "achter")

DOELGROEP_LABELS = {
    "zonder_uitkering": "Werkzoekenden zonder uitkering",
    "jongere_zonder_startkwalificatie": "Jongeren zonder startkwalificatie",
    "stagiair_mbo_hbo": "Stagiairs MBO/HBO",
    "stagiair_vso_pro": "Stagiairs VSO/Praktijkonderwijs",
    "bbl": "Leerwerkbanen (BBL)",
    "ww": "WW-uitkering",
    "wia": "WIA-uitkering",
    "participatiewet": "Participatiewet (bijstand)",
    "banenafspraak": "Banenafspraak (doelgroepregister)",
}


def doelgroep_label(code: str) -> str:
    return _(DOELGROEP_LABELS.get(code, code.replace("_", " ").capitalize() or "Overig"))


@dataclass(frozen=True)
class StatusAandeel:
    status: str
    label: str
    aantal: int
    aandeel: Decimal | None  # % of the contracts to fulfil (with bouwblokken or through SEBO)
    waarvan_sebo: int = 0  # of ``aantal`` ("voldaan"): fulfilled through SEBO


@dataclass(frozen=True)
class Deelgroep:
    """Contracts that need no bouwblokken (fulfilled through SEBO, or exempted) and their obligation."""

    aantal: int = 0
    verplichting: Decimal = ZERO


@dataclass(frozen=True)
class DoelgroepAantal:
    doelgroep: str
    label: str
    personen: Aantal


@dataclass(frozen=True)
class Duurzaam:
    """Of the people whose approved placement started in the year (suppressed counts)."""

    gestart: Aantal
    vast_contract: Aantal
    na_12_maanden: Aantal
    uitkomst_bekend: Aantal


@dataclass(frozen=True)
class BanenafspraakJaar:
    jaar: int
    doel: Decimal | None
    banen_totaal: Decimal | None
    percentage: Decimal | None
    banen_via_social_return: Decimal | None


@dataclass(frozen=True)
class Banenafspraak:
    beschikbaar: bool
    werkgever: str | None = None
    doel: Decimal | None = None
    banen_dienstverband: Decimal | None = None
    banen_inleen: Decimal | None = None
    banen_totaal: Decimal | None = None
    percentage: Decimal | None = None
    tekort: Decimal | None = None
    banen_via_social_return: Decimal | None = None
    jaren: tuple[BanenafspraakJaar, ...] = ()
    # Where the year's jobs come from and how complete that is (banenafspraak.selectors.CouncilFigures):
    # "telling" / "kwartaaltellingen" (measured totals, by ``meetbronnen`` e.g. "uwv"; quarters: how many
    # of the 4 were measured), "dienstverbanden" (the municipality's own registration), "gemengd", "geen".
    bron: str = "geen"
    meetbronnen: tuple[str, ...] = ()
    kwartalen_gemeten: int = 0

    @property
    def meetbron_labels(self) -> tuple[str, ...]:
        from banenafspraak.models import Bron

        labels = dict(Bron.choices)
        return tuple(str(labels.get(code, code)) for code in self.meetbronnen)


@dataclass(frozen=True)
class Budget:
    bedrag: Decimal | None  # None: no budget recorded for the year
    gerealiseerd_in_jaar: Decimal
    opbrengst_per_euro: Decimal | None  # value realised per euro of budget


@dataclass(frozen=True)
class Jaartrend:
    jaar: int
    contracten: int
    verplichting: Decimal
    gerealiseerd: Decimal
    gerealiseerd_in_jaar: Decimal
    percentage: Decimal | None
    personen: Aantal
    toegezegd: Decimal = ZERO


@dataclass(frozen=True)
class VerhaalKort:
    titel: str
    tekst: str


@dataclass(frozen=True)
class CouncilFigures:
    gemeente_code: str
    gemeente_naam: str
    jaar: int
    peildatum: date  # 31 December of the year, or today for the current year
    contracten: int  # contracts with an obligation that ran in the year
    contractwaarde: Decimal  # their current aanneemsom
    verplichting: Decimal
    verwacht: Decimal
    gerealiseerd: Decimal  # realised by the reference date (31 December, or today), up to and including the year
    gerealiseerd_in_jaar: Decimal  # of which realised in the year itself
    in_behandeling: Decimal
    realisatie_percentage: Decimal | None
    statussen: tuple[StatusAandeel, ...]
    personen: Aantal  # all target groups together
    doelgroepen: tuple[DoelgroepAantal, ...]
    duurzaam: Duurzaam
    banenafspraak: Banenafspraak
    budget: Budget
    trend: tuple[Jaartrend, ...]
    verhalen: tuple[VerhaalKort, ...]
    berekend_op: datetime | None = field(default=None, compare=False)
    gegevensversie: str = ""
    toegezegd: Decimal = ZERO  # committed: the full approved value up to and including the year
    toegezegd_in_jaar: Decimal = ZERO
    # SROI-RULES.md §6: ``verplichting`` .. ``realisatie_percentage`` and ``verwacht`` cover the
    # contracts to fill with bouwblokken only; ``contracten``/``contractwaarde`` all of them.
    contracten_met_bouwblokken: int = 0
    contracten_te_voldoen: int = 0  # with bouwblokken or through SEBO: the base of the shares
    sebo: Deelgroep = field(default_factory=Deelgroep)
    vrijgesteld: Deelgroep = field(default_factory=Deelgroep)
    realisatie_toelichting: str = field(default="", compare=False)  # what the percentage covers, or why none

    def status(self, code) -> StatusAandeel | None:
        return next((s for s in self.statussen if s.status == code), None)


def _peildatum(jaar: int, today: date) -> date:
    return min(date(jaar, 12, 31), today)


def available_years(*, gemeente, today: date | None = None) -> list[int]:
    """Years with stored figures for the municipality, newest first (for the year picker)."""
    today = today or clock.today()
    years = set(
        ContractJaarCijfers.objects.filter(gemeente=gemeente, jaar__lte=today.year)
        .values_list("jaar", flat=True).distinct().order_by()
    )
    return sorted(years, reverse=True)


def default_year(today: date | None = None) -> int:
    """The council reports on the last complete year."""
    return (today or clock.today()).year - 1


def _banenafspraak_many(gemeenten, jaar) -> dict[int, Banenafspraak]:
    """The banenafspraak part of each municipality's figures (by id), in a fixed number of queries."""
    try:
        from banenafspraak.selectors import council_figures_many as banen_figures_many
    except ImportError:  # the banenafspraak module is not installed
        return {gemeente.pk: Banenafspraak(beschikbaar=False) for gemeente in gemeenten}
    return {
        gemeente.pk: _banenafspraak(figures)
        for gemeente, figures in zip(gemeenten, banen_figures_many(gemeenten=gemeenten, jaar=jaar))
    }


def _banenafspraak(figures) -> Banenafspraak:
    if not figures.beschikbaar:
        return Banenafspraak(beschikbaar=False)
    jaren = tuple(
        BanenafspraakJaar(jaar=y.jaar, doel=y.doel, banen_totaal=y.banen_totaal, percentage=y.percentage,
                          banen_via_social_return=y.banen_via_social_return)
        for y in figures.jaren
    )
    return Banenafspraak(
        beschikbaar=True, werkgever=figures.werkgever, doel=figures.doel,
        banen_dienstverband=figures.banen_dienstverband, banen_inleen=figures.banen_inleen,
        banen_totaal=figures.banen_totaal, percentage=figures.percentage, tekort=figures.tekort,
        banen_via_social_return=figures.banen_via_social_return, jaren=jaren,
        bron=figures.bron, meetbronnen=tuple(figures.meetbronnen), kwartalen_gemeten=figures.kwartalen_gemeten,
    )


def council_figures(*, gemeente, jaar: int, today: date | None = None) -> CouncilFigures:
    """Every council figure of ``gemeente`` for ``jaar``, from the stored figures.

    The same code as :func:`council_figures_many` (which it calls), so the two cannot differ."""
    return council_figures_many(gemeenten=[gemeente], jaar=jaar, today=today)[0]


def council_figures_many(*, gemeenten, jaar: int, today: date | None = None) -> list[CouncilFigures]:
    """:func:`council_figures` of each of ``gemeenten`` (in that order) for ``jaar``.

    A fixed number of queries whatever the number of municipalities (and of contracts, placements
    or stories): each source is read once for all of them and split per municipality in Python. For
    the overviews of a raadslid, SR-team member or administrator who covers many municipalities."""
    gemeenten = list(gemeenten)
    if not gemeenten:
        return []
    today = today or clock.today()
    first_year = jaar - TREND_YEARS + 1
    ids = [gemeente.pk for gemeente in gemeenten]

    # 1. contracts per municipality, year and status (the year itself and the trend) — one grouped query.
    contract_rows: dict[int, list[dict]] = defaultdict(list)
    for row in (
        ContractJaarCijfers.objects.filter(gemeente_id__in=ids, jaar__gte=first_year, jaar__lte=jaar, van_toepassing=True)
        .values("gemeente_id", "jaar", "status")
        .annotate(
            aantal=Count("pk"), waarde=Sum("aanneemsom"), verplichting=Sum("verplichting"), verwacht=Sum("verwacht"),
            goedgekeurd=Sum("goedgekeurd"), in_jaar=Sum("goedgekeurd_in_jaar"), in_behandeling=Sum("in_behandeling"),
            gerealiseerd=Sum("gerealiseerd"), gerealiseerd_in_jaar=Sum("gerealiseerd_in_jaar"),
            berekend_op=Max("berekend_op"),
        )
        .order_by("gemeente_id", "jaar", "status")
    ):
        contract_rows[row["gemeente_id"]].append(row)

    # 2. people placed — one query over the stored placement counts.
    placements: dict[int, dict[tuple[int, str], PlaatsingCijfers]] = defaultdict(dict)
    for p in PlaatsingCijfers.objects.filter(gemeente_id__in=ids, jaar__gte=first_year, jaar__lte=jaar):
        placements[p.gemeente_id][(p.jaar, p.doelgroep)] = p

    # 3. the SR-team budgets — one query (one budget per municipality and year).
    budgets = dict(Teambudget.objects.filter(gemeente_id__in=ids, jaar=jaar).values_list("gemeente_id", "bedrag"))

    # 4. approved stories with consent — one query.
    verhalen: dict[int, list[VerhaalKort]] = defaultdict(list)
    for gemeente_id, titel, tekst in Verhaal.objects.filter(
        gemeente_id__in=ids, jaar=jaar, status=VerhaalStatus.GOEDGEKEURD, toestemming=True
    ).order_by("ingediend_op", "pk").values_list("gemeente_id", "titel", "tekst"):
        verhalen[gemeente_id].append(VerhaalKort(titel=titel, tekst=tekst))

    # 5. the banenafspraak — a fixed number of queries for all municipalities together.
    banenafspraak = _banenafspraak_many(gemeenten, jaar)

    return [
        _figures_of(
            gemeente, jaar=jaar, today=today, rows=contract_rows.get(gemeente.pk, []),
            placements=placements.get(gemeente.pk, {}), budget_bedrag=budgets.get(gemeente.pk),
            verhalen=tuple(verhalen.get(gemeente.pk, ())), banenafspraak=banenafspraak[gemeente.pk],
        )
        for gemeente in gemeenten
    ]


def _figures_of(gemeente, *, jaar: int, today: date, rows: list[dict], placements: dict, budget_bedrag: Decimal | None,
                verhalen: tuple[VerhaalKort, ...], banenafspraak: Banenafspraak) -> CouncilFigures:
    """One municipality's figures from its share of the rows read by :func:`council_figures_many` (no query)."""
    first_year = jaar - TREND_YEARS + 1
    per_year: dict[int, dict] = {}
    status_counts: dict[str, int] = {}
    berekend_op = None
    apart: dict[tuple[int, str], Deelgroep] = {}  # (year, status) of the contracts without bouwblokken
    for row in rows:
        totals = per_year.setdefault(row["jaar"], {k: ZERO for k in (
            "waarde", "verplichting", "verwacht", "goedgekeurd", "in_jaar", "in_behandeling", "gerealiseerd",
            "gerealiseerd_in_jaar")} | {"aantal": 0, "met_bouwblokken": 0})
        totals["aantal"] += row["aantal"]
        totals["waarde"] += round_money(row["waarde"] or ZERO)
        if row["status"] in NO_BOUWBLOKKEN:
            part = apart.get((row["jaar"], row["status"]), Deelgroep())
            apart[(row["jaar"], row["status"])] = Deelgroep(
                aantal=part.aantal + row["aantal"], verplichting=part.verplichting + round_money(row["verplichting"] or ZERO))
        else:
            totals["met_bouwblokken"] += row["aantal"]
            for key in ("verplichting", "verwacht", "goedgekeurd", "in_jaar", "in_behandeling", "gerealiseerd",
                        "gerealiseerd_in_jaar"):
                # Sums of 2-decimal amounts; SQLite hands them back with float noise, so round once.
                totals[key] += round_money(row[key] or ZERO)
        if row["jaar"] == jaar:
            status_counts[row["status"]] = status_counts.get(row["status"], 0) + row["aantal"]
        if row["berekend_op"] and (berekend_op is None or row["berekend_op"] > berekend_op):
            berekend_op = row["berekend_op"]
    this_year = per_year.get(jaar) or {k: ZERO for k in (
        "waarde", "verplichting", "verwacht", "goedgekeurd", "in_jaar", "in_behandeling", "gerealiseerd",
        "gerealiseerd_in_jaar")} | {"aantal": 0, "met_bouwblokken": 0}
    sebo = apart.get((jaar, "voldaan_via_sebo"), Deelgroep())
    vrijgesteld = apart.get((jaar, "vrijgesteld"), Deelgroep())
    te_voldoen = this_year["met_bouwblokken"] + sebo.aantal

    def share_count(code):
        return status_counts.get(code, 0) + (sebo.aantal if code == "voldaan" else 0)

    statussen = tuple(
        StatusAandeel(status=code, label=str(STATUS_LABELS.get(code, code)), aantal=share_count(code),
                      aandeel=percentage(share_count(code), te_voldoen),
                      waarvan_sebo=sebo.aantal if code == "voldaan" else 0)
        for code in SHARE_STATUSES
    )

    groups = sorted(
        ((doelgroep, p.personen) for (y, doelgroep), p in placements.items() if y == jaar and doelgroep),
        key=lambda item: (-item[1], doelgroep_label(item[0])),
    )
    suppressed = suppress_group([count for _code, count in groups])
    doelgroepen = tuple(
        DoelgroepAantal(doelgroep=code, label=doelgroep_label(code), personen=aantal)
        for (code, _count), aantal in zip(groups, suppressed)
    )
    total = placements.get((jaar, ""))
    duurzaam = Duurzaam(
        gestart=suppress(total.gestart if total else 0),
        vast_contract=suppress(total.vast_contract if total else 0),
        na_12_maanden=suppress(total.na_12_maanden if total else 0),
        uitkomst_bekend=suppress(total.vervolg_bekend if total else 0),
    )

    budget = Budget(
        bedrag=budget_bedrag,
        gerealiseerd_in_jaar=this_year["gerealiseerd_in_jaar"],
        opbrengst_per_euro=(
            round_money(as_fraction(this_year["gerealiseerd_in_jaar"]) / as_fraction(budget_bedrag))
            if budget_bedrag else None
        ),
    )

    trend = tuple(
        Jaartrend(
            jaar=y,
            contracten=per_year.get(y, {}).get("met_bouwblokken", 0),  # the contracts with bouwblokken
            verplichting=per_year.get(y, {}).get("verplichting", ZERO),
            gerealiseerd=per_year.get(y, {}).get("gerealiseerd", ZERO),
            gerealiseerd_in_jaar=per_year.get(y, {}).get("gerealiseerd_in_jaar", ZERO),
            percentage=percentage(per_year[y]["gerealiseerd"], per_year[y]["verplichting"]) if y in per_year else None,
            personen=suppress(placements[(y, "")].personen if (y, "") in placements else 0),
            toegezegd=per_year.get(y, {}).get("goedgekeurd", ZERO),
        )
        for y in range(first_year, jaar + 1)
        if y in per_year or (y, "") in placements
    )

    figures = CouncilFigures(
        gemeente_code=gemeente.code,
        gemeente_naam=gemeente.naam,
        jaar=jaar,
        peildatum=_peildatum(jaar, today),
        contracten=this_year["aantal"],
        contractwaarde=this_year["waarde"],
        verplichting=this_year["verplichting"],
        verwacht=this_year["verwacht"],
        gerealiseerd=this_year["gerealiseerd"],
        gerealiseerd_in_jaar=this_year["gerealiseerd_in_jaar"],
        in_behandeling=this_year["in_behandeling"],
        realisatie_percentage=percentage(this_year["gerealiseerd"], this_year["verplichting"]),
        toegezegd=this_year["goedgekeurd"],
        toegezegd_in_jaar=this_year["in_jaar"],
        statussen=statussen,
        contracten_met_bouwblokken=this_year["met_bouwblokken"],
        contracten_te_voldoen=te_voldoen,
        sebo=sebo,
        vrijgesteld=vrijgesteld,
        realisatie_toelichting=_realisatie_toelichting(
            jaar=jaar, contracten=this_year["aantal"], met_bouwblokken=this_year["met_bouwblokken"],
            verplichting=this_year["verplichting"], sebo=sebo, vrijgesteld=vrijgesteld),
        personen=suppress(total.personen if total else 0),
        doelgroepen=doelgroepen,
        duurzaam=duurzaam,
        banenafspraak=banenafspraak,
        budget=budget,
        trend=trend,
        verhalen=verhalen,
        berekend_op=berekend_op,
    )
    return _with_version(figures)


def _realisatie_toelichting(*, jaar: int, contracten: int, met_bouwblokken: int, verplichting: Decimal,
                            sebo: Deelgroep, vrijgesteld: Deelgroep) -> str:
    """What the realisation percentage covers, or why there is none (SROI-RULES.md §6)."""
    apart = []
    if sebo.aantal:
        apart.append(ngettext("%(n)s contract voldaan via SEBO", "%(n)s contracten voldaan via SEBO",
                              sebo.aantal) % {"n": sebo.aantal})
    if vrijgesteld.aantal:
        apart.append(ngettext("%(n)s contract vrijgesteld", "%(n)s contracten vrijgesteld",
                              vrijgesteld.aantal) % {"n": vrijgesteld.aantal})
    apart_text = " " + _("(%(apart)s)") % {"apart": _(" en ").join(apart)} if apart else ""
    if not contracten:
        return _("Niet van toepassing: in %(jaar)s liep geen contract met een verplichting.") % {"jaar": jaar}
    if not met_bouwblokken:
        return _("Niet van toepassing: geen van de contracten die in %(jaar)s liepen hoeft met bouwblokken te "
                 "worden ingevuld%(apart)s.") % {"jaar": jaar, "apart": apart_text}
    if not verplichting:
        return _("Niet van toepassing: de contracten die met bouwblokken worden ingevuld hebben samen een "
                 "verplichting van € 0.")
    return ngettext(
        "Gerealiseerd als deel van de verplichting van het %(n)s contract dat met bouwblokken wordt ingevuld"
        "%(apart)s.",
        "Gerealiseerd als deel van de verplichting van de %(n)s contracten die met bouwblokken worden ingevuld"
        "%(apart)s.", met_bouwblokken,
    ) % {"n": met_bouwblokken, "apart": apart_text.replace("(", "(zonder ", 1) if apart else ""}


def _plain(value):
    """Values as JSON-able text (for the fingerprint): Decimals as strings, dataclasses as dicts."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Aantal):
        return value.weergave
    if hasattr(value, "__dataclass_fields__"):
        return {name: _plain(getattr(value, name)) for name in value.__dataclass_fields__}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _with_version(figures: CouncilFigures) -> CouncilFigures:
    """Stamp the figures with their fingerprint: the same data always gives the same version."""
    from dataclasses import replace

    content = _plain(figures)
    content.pop("berekend_op", None)
    content.pop("gegevensversie", None)
    content.pop("realisatie_toelichting", None)  # words (language-dependent), made from the counts
    digest = hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()[:12]
    return replace(figures, gegevensversie=digest)
