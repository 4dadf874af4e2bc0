"""Read queries of the banenafspraak with the figures the pages, the API and the council report need.

Every function here runs a fixed number of queries whatever the number of units, records or years:
:func:`load_tree` fetches units, targets, measured totals, records (hours and dates only, never the
pseudonymous person data), the spoor-3 registrations and the counting parameters in one query each;
the arithmetic is then done in Python by ``banenafspraak.calculation``.

Access is the caller's business (``banenafspraak.access``): pass querysets already scoped to the user.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import F, Max, QuerySet

from sroi_portal import clock

from . import calculation
from .calculation import CountingParams, Employment, Measured, Unit, UnitFigures
from .models import (
    Arbeidsmarktregio,
    Dienstverband,
    Doel,
    RegionaleDoelstelling,
    Telling,
    Telparameters,
    UwvRegioRij,
    UwvTrendrapportage,
    Werkgever,
)

SPOOR3_BOUWBLOK = "banenafspraak"


# --- counting parameters -------------------------------------------------------------------------


class ParamsByYear:
    """The counting parameters in force on 1 January of a year (one query for all years)."""

    def __init__(self, versions: list[tuple[date, CountingParams]] | None = None):
        if versions is None:
            versions = [(v.geldig_vanaf, v.as_params()) for v in Telparameters.objects.order_by("geldig_vanaf")]
        self.versions = versions

    def __call__(self, jaar: int) -> CountingParams:
        in_force = [params for vanaf, params in self.versions if vanaf <= date(jaar, 1, 1)]
        if in_force:
            return in_force[-1]
        return self.versions[0][1] if self.versions else calculation.DEFAULT_PARAMS


# --- an employer and its units -------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """The figures of one unit (with its sub-units) for a year or a quarter, rounded once."""

    werkgever_id: int
    jaar: int
    kwartaal: int | None
    doel: Decimal | None
    banen_dienstverband: Decimal
    banen_inleen: Decimal
    banen_totaal: Decimal
    percentage: Decimal | None  # 2 decimals (API)
    percentage_weergave: Decimal | None  # 1 decimal (pages)
    tekort: Decimal | None
    heffing: Decimal | None
    banen_via_social_return: Decimal | None  # top-level employers of a municipality only
    bron: str
    doel_eigen: bool = False
    kwartalen_gemeten: int = 0

    @classmethod
    def of(cls, unit: UnitFigures, *, spoor3: Decimal | None = None) -> Figures:
        r = unit.realisatie
        return cls(
            werkgever_id=unit.werkgever_id, jaar=unit.jaar, kwartaal=unit.kwartaal, doel=r.doel,
            banen_dienstverband=r.banen_dienstverband, banen_inleen=r.banen_inleen, banen_totaal=r.banen_totaal,
            percentage=r.percentage, percentage_weergave=r.percentage_weergave, tekort=r.tekort, heffing=r.heffing,
            banen_via_social_return=spoor3, bron=unit.counted.bron, doel_eigen=unit.doel_eigen,
            kwartalen_gemeten=unit.counted.kwartalen_gemeten,
        )


@dataclass
class TreeData:
    """Everything needed to count the units of one or more employers."""

    werkgevers: dict[int, Werkgever]
    units: list[Unit]
    doelen: dict[tuple[int, int], Doel]
    measured: list[Measured]
    tellingen: list[Telling]
    employments: list[Employment]
    spoor3: dict[int, list[tuple[Decimal, date, date | None]]]
    params: ParamsByYear
    peildatum: date
    children: dict[int | None, list[int]] = field(default_factory=dict)

    def __post_init__(self):
        for unit in self.units:
            self.children.setdefault(unit.bovenliggende_id, []).append(unit.id)

    def roots(self) -> list[Werkgever]:
        return [self.werkgevers[uid] for uid in self.children.get(None, [])]

    def of_gemeente(self, gemeente_id: int) -> TreeData:
        """The part of this data that :func:`load_tree` gives for ``Werkgever.objects.filter(gemeente_id=…)``,
        without a query: load the units of many municipalities once, then count each on its own."""
        werkgevers = {pk: w for pk, w in self.werkgevers.items() if w.gemeente_id == gemeente_id}
        return TreeData(
            werkgevers=werkgevers,
            units=[
                Unit(id=u.id, bovenliggende_id=u.bovenliggende_id if u.bovenliggende_id in werkgevers else None,
                     naam=u.naam)
                for u in self.units if u.id in werkgevers
            ],
            doelen={key: d for key, d in self.doelen.items() if key[0] in werkgevers},
            measured=[m for m in self.measured if m.werkgever_id in werkgevers],
            tellingen=[t for t in self.tellingen if t.werkgever_id in werkgevers],
            employments=[e for e in self.employments if e.werkgever_id in werkgevers],
            spoor3={gid: rows for gid, rows in self.spoor3.items() if gid == gemeente_id},
            params=self.params,
            peildatum=self.peildatum,
        )

    def subtree_ids(self, root_id: int) -> list[int]:
        result, stack = [], [root_id]
        while stack:
            uid = stack.pop()
            result.append(uid)
            stack.extend(reversed(self.children.get(uid, [])))
        return result

    def unit_figures(self, root_id: int, jaar: int, kwartaal: int | None = None) -> UnitFigures:
        ids = set(self.subtree_ids(root_id))
        return calculation.aggregate(
            units=[u for u in self.units if u.id in ids],
            root_id=root_id,
            jaar=jaar,
            kwartaal=kwartaal,
            employments=[e for e in self.employments if e.werkgever_id in ids],
            measured=[m for m in self.measured if m.werkgever_id in ids],
            doelen={uid: d.banen for (uid, y), d in self.doelen.items() if y == jaar and uid in ids},
            verloonde_uren={uid: d.verloonde_uren for (uid, y), d in self.doelen.items() if y == jaar and uid in ids},
            peildatum=self.peildatum,
            params=self.params(jaar),
        )

    def spoor3_jobs(self, werkgever_id: int, jaar: int, kwartaal: int | None = None) -> Decimal | None:
        """Jobs through social return for a top-level employer of a municipality; None otherwise."""
        werkgever = self.werkgevers[werkgever_id]
        if werkgever.bovenliggende_id is not None or werkgever.gemeente_id is None:
            return None
        registrations = [
            (uren, van, tot if tot is not None else self.peildatum) for uren, van, tot in self.spoor3.get(werkgever.gemeente_id, [])
        ]
        return calculation.round_jobs(
            calculation.spoor3_jobs(registrations=registrations, jaar=jaar, kwartaal=kwartaal, params=self.params(jaar))
        )

    def figures(self, werkgever_id: int, jaar: int, kwartaal: int | None = None) -> Figures:
        return Figures.of(
            self.unit_figures(werkgever_id, jaar, kwartaal), spoor3=self.spoor3_jobs(werkgever_id, jaar, kwartaal)
        )

    def years(self, root_id: int) -> list[int]:
        """Years with a target, a measured total, a record or a spoor-3 job in the subtree (up to the peildatum)."""
        ids = set(self.subtree_ids(root_id))
        years = {y for (uid, y) in self.doelen if uid in ids}
        years |= {m.jaar for m in self.measured if m.werkgever_id in ids}
        for e in self.employments:
            if e.werkgever_id in ids and e.startdatum <= self.peildatum:
                end = min(e.einddatum or self.peildatum, self.peildatum)
                years |= set(range(e.startdatum.year, end.year + 1))
        werkgever = self.werkgevers[root_id]
        if werkgever.bovenliggende_id is None and werkgever.gemeente_id is not None:
            for _uren, van, tot in self.spoor3.get(werkgever.gemeente_id, []):
                if van <= self.peildatum:
                    years |= set(range(van.year, min(tot or self.peildatum, self.peildatum).year + 1))
        return sorted(years)

    def rows(self, root_id: int, jaar: int) -> list[tuple[int, Werkgever, Figures]]:
        """(depth, unit, figures) depth-first from ``root_id``: the tree table of a page."""
        top = self.unit_figures(root_id, jaar)
        result = []

        def walk(unit: UnitFigures, depth: int):
            spoor3 = self.spoor3_jobs(unit.werkgever_id, jaar) if depth == 0 else None
            result.append((depth, self.werkgevers[unit.werkgever_id], Figures.of(unit, spoor3=spoor3)))
            for sub in sorted(unit.subunits, key=lambda s: self.werkgevers[s.werkgever_id].naam):
                walk(sub, depth + 1)

        walk(top, 0)
        return result


def load_tree(werkgevers: QuerySet, *, peildatum: date | None = None) -> TreeData:
    """Load the given units (a scoped queryset, including every unit below the roots you need)."""
    from bouwblokken.models import Registratie

    units = list(werkgevers.select_related("gemeente").order_by("naam", "id"))
    by_id = {w.pk: w for w in units}
    ids = list(by_id)
    doelen = {(d.werkgever_id, d.jaar): d for d in Doel.objects.filter(werkgever_id__in=ids)}
    tellingen = list(Telling.objects.filter(werkgever_id__in=ids).order_by("jaar", "kwartaal", "id"))
    measured = [t.as_measured() for t in tellingen]
    employments = [
        Employment(werkgever_id=row["werkgever_id"], soort=row["soort"], uren_per_week=row["uren_per_week"],
                   startdatum=row["startdatum"], einddatum=row["einddatum"])
        for row in Dienstverband.objects.filter(werkgever_id__in=ids).values(
            "werkgever_id", "soort", "uren_per_week", "startdatum", "einddatum"
        )
    ]
    gemeente_ids = {w.gemeente_id for w in units if w.gemeente_id is not None and w.bovenliggende_id is None}
    spoor3: dict[int, list] = defaultdict(list)
    if gemeente_ids:
        rows = Registratie.objects.filter(
            status="goedgekeurd", bouwblok__code=SPOOR3_BOUWBLOK, contract__gemeente_id__in=gemeente_ids,
            geteld_van__isnull=False, uren_per_week__isnull=False,
        ).values_list("contract__gemeente_id", "uren_per_week", "geteld_van", "geteld_tot")
        for gemeente_id, uren, van, tot in rows:
            spoor3[gemeente_id].append((uren, van, tot))
    # A unit whose parent is outside the loaded set is a root of what we loaded.
    tree_units = [
        Unit(id=w.pk, bovenliggende_id=w.bovenliggende_id if w.bovenliggende_id in by_id else None, naam=w.naam)
        for w in units
    ]
    return TreeData(
        werkgevers=by_id, units=tree_units, doelen=doelen, measured=measured, tellingen=tellingen, employments=employments,
        spoor3=dict(spoor3), params=ParamsByYear(), peildatum=peildatum or clock.today(),
    )


def tree_of(werkgever: Werkgever, *, peildatum: date | None = None) -> TreeData:
    """The data of the organisation ``werkgever`` belongs to (all units of its municipality)."""
    if werkgever.gemeente_id is None:
        qs = Werkgever.objects.filter(gemeente__isnull=True)
    else:
        qs = Werkgever.objects.filter(gemeente_id=werkgever.gemeente_id)
    return load_tree(qs, peildatum=peildatum)


def werkgever_figures(*, werkgever: Werkgever, jaar: int, kwartaal: int | None = None,
                      peildatum: date | None = None) -> Figures:
    """The figures of a unit including its sub-units (the API's ``/werkgevers/{id}/banenafspraak``)."""
    return tree_of(werkgever, peildatum=peildatum).figures(werkgever.pk, jaar, kwartaal)


def person_records(*, werkgever: Werkgever, tree: TreeData) -> QuerySet:
    """The person-level records of ``werkgever`` and its sub-units (call only after the access check)."""
    return Dienstverband.objects.filter(werkgever_id__in=tree.subtree_ids(werkgever.pk)).select_related(
        "werkgever"
    ).order_by("werkgever__naam", "startdatum", "id")


# --- the region ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegionRow:
    naam: str
    arbeidsmarktregio_id: int | None
    nulmeting: Decimal
    kwartalen: tuple[Decimal, ...]
    voortgang: Decimal
    rang: int | None
    aantal: int


@dataclass(frozen=True)
class RegionalOverview:
    rapportage: UwvTrendrapportage | None
    kwartalen: tuple[tuple[int, int], ...]
    rijen: tuple[RegionRow, ...]  # ranked, best progress first
    totaal: RegionRow | None
    controles: tuple[calculation.TotalCheck, ...]
    doelstellingen: dict[int, list[RegionaleDoelstelling]]

    def row_for(self, arbeidsmarktregio_id: int) -> RegionRow | None:
        return next((r for r in self.rijen if r.arbeidsmarktregio_id == arbeidsmarktregio_id), None)


def latest_uwv_report() -> UwvTrendrapportage | None:
    """The UWV table with the most recent quarter (the newest import when two reach equally far)."""
    return (
        UwvTrendrapportage.objects.annotate(
            laatste=Max(F("rijen__kwartalen__jaar") * 10 + F("rijen__kwartalen__kwartaal"))
        )
        .order_by(F("laatste").desc(nulls_last=True), "-geimporteerd_op", "-id")
        .first()
    )


def regional_overview(*, rapportage: UwvTrendrapportage | None = None) -> RegionalOverview:
    """The UWV trend per region (progress = latest quarter − baseline, ranked) and the regional targets."""
    rapportage = rapportage or latest_uwv_report()
    doelstellingen: dict[int, list[RegionaleDoelstelling]] = defaultdict(list)
    for d in RegionaleDoelstelling.objects.order_by("arbeidsmarktregio_id", "jaar"):
        doelstellingen[d.arbeidsmarktregio_id].append(d)
    if rapportage is None:
        return RegionalOverview(None, (), (), None, (), dict(doelstellingen))
    rows = list(
        UwvRegioRij.objects.filter(rapportage=rapportage).select_related("arbeidsmarktregio")
        .prefetch_related("kwartalen").order_by("volgorde")
    )
    quarters = sorted({(k.jaar, k.kwartaal) for row in rows for k in row.kwartalen.all()})

    def counts(row):
        by_quarter = {(k.jaar, k.kwartaal): k.aantal for k in row.kwartalen.all()}
        return tuple(by_quarter.get(q) for q in quarters)

    regions = [r for r in rows if not r.is_totaal]
    ranked = {
        p.naam: p
        for p in calculation.ranked_progress(
            (r.arbeidsmarktregio.naam, r.nulmeting, counts(r)[-1]) for r in regions if counts(r)[-1] is not None
        )
    }
    region_rows = []
    for r in regions:
        p = ranked.get(r.arbeidsmarktregio.naam)
        region_rows.append(RegionRow(
            naam=r.arbeidsmarktregio.naam, arbeidsmarktregio_id=r.arbeidsmarktregio_id, nulmeting=r.nulmeting,
            kwartalen=counts(r), voortgang=p.voortgang if p else None, rang=p.rang if p else None, aantal=len(ranked),
        ))
    region_rows.sort(key=lambda row: (row.rang is None, row.rang or 0, row.naam))
    total = next((r for r in rows if r.is_totaal), None)
    total_row = None
    if total is not None:
        c = counts(total)
        total_row = RegionRow(total.label, None, total.nulmeting, c, c[-1] - total.nulmeting if c[-1] is not None else None,
                              None, len(ranked))
    return RegionalOverview(
        rapportage=rapportage, kwartalen=tuple(quarters), rijen=tuple(region_rows), totaal=total_row,
        controles=tuple(
            calculation.TotalCheck(c["kolom"], Decimal(c["gepubliceerd"]), Decimal(c["somRegios"]))
            for c in rapportage.verschillen or ()
        ),
        doelstellingen=dict(doelstellingen),
    )


@dataclass(frozen=True)
class RegionSummary:
    naam: str
    nulmeting: Decimal
    laatste: Decimal
    peilkwartaal: str  # e.g. "2020 K4"
    voortgang: Decimal
    rang: int | None
    aantal_regios: int
    doel: Decimal | None  # indicative target (market + government) for the year of the latest quarter
    doel_markt: Decimal | None
    doel_overheid: Decimal | None


def region_summary(*, gemeente, overview: RegionalOverview | None = None) -> RegionSummary | None:
    """The labour-market region of ``gemeente`` in the latest UWV table, with its rank."""
    regio = Arbeidsmarktregio.objects.filter(gemeenten=gemeente).order_by("naam").first()
    if regio is None:
        return None
    overview = overview or regional_overview()
    row = overview.row_for(regio.pk)
    if row is None or not overview.kwartalen:
        return None
    jaar, kwartaal = overview.kwartalen[-1]
    target = next((d for d in overview.doelstellingen.get(regio.pk, []) if d.jaar == jaar), None)
    return RegionSummary(
        naam=regio.naam, nulmeting=row.nulmeting, laatste=row.kwartalen[-1], peilkwartaal=f"{jaar} K{kwartaal}",
        voortgang=row.voortgang, rang=row.rang, aantal_regios=row.aantal,
        doel=target.totaal if target else None, doel_markt=target.markt if target else None,
        doel_overheid=target.overheid if target else None,
    )


# --- the council view ----------------------------------------------------------------------------

_CAMEL = {
    "doel": "doel",
    "banenDienstverband": "banen_dienstverband",
    "banenInleen": "banen_inleen",
    "banenTotaal": "banen_totaal",
    "percentage": "percentage",
    "tekort": "tekort",
    "banenViaSocialReturn": "banen_via_social_return",
    "heffing": "heffing",
    "jaar": "jaar",
    "vorigeJaren": "vorige_jaren",
    "gemeente": "gemeente",
    "gemeenteNaam": "gemeente_naam",
    "werkgever": "werkgever",
    "regio": "regio",
    "beschikbaar": "beschikbaar",
    "percentageWeergave": "percentage_weergave",
    "beschikbareJaren": "beschikbare_jaren",
}


class _CamelAccess:
    """Lets the reporting code read ``figures["banenTotaal"]`` as well as ``figures.banen_totaal``."""

    def __getitem__(self, key):
        name = _CAMEL.get(key, key)
        if name not in self.__dataclass_fields__:
            raise KeyError(key)
        return getattr(self, name)

    def get(self, key, default=None):
        try:
            return self[key]
        except KeyError:
            return default


@dataclass(frozen=True)
class CouncilYear(_CamelAccess):
    jaar: int
    doel: Decimal | None
    banen_dienstverband: Decimal
    banen_inleen: Decimal
    banen_totaal: Decimal
    percentage: Decimal | None
    percentage_weergave: Decimal | None
    tekort: Decimal | None
    heffing: Decimal | None
    banen_via_social_return: Decimal | None

    @classmethod
    def of(cls, figures: Figures) -> CouncilYear:
        return cls(
            jaar=figures.jaar, doel=figures.doel, banen_dienstverband=figures.banen_dienstverband,
            banen_inleen=figures.banen_inleen, banen_totaal=figures.banen_totaal, percentage=figures.percentage,
            percentage_weergave=figures.percentage_weergave, tekort=figures.tekort, heffing=figures.heffing,
            banen_via_social_return=figures.banen_via_social_return,
        )

    def as_dict(self) -> dict:
        return {camel: getattr(self, snake) for camel, snake in _CAMEL.items() if snake in self.__dataclass_fields__}


@dataclass(frozen=True)
class CouncilFigures(_CamelAccess):
    """The council's banenafspraak figures of a municipality for a year: aggregates only.

    ``beschikbaar`` is False when the municipality has no employer in the portal (then every figure
    is None). ``vorige_jaren`` holds up to four earlier years with data, oldest first (the trend).
    """

    gemeente: str
    gemeente_naam: str
    jaar: int
    beschikbaar: bool
    werkgever: str | None
    doel: Decimal | None
    banen_dienstverband: Decimal | None
    banen_inleen: Decimal | None
    banen_totaal: Decimal | None
    percentage: Decimal | None
    percentage_weergave: Decimal | None
    tekort: Decimal | None
    heffing: Decimal | None
    banen_via_social_return: Decimal | None
    vorige_jaren: tuple[CouncilYear, ...] = ()
    regio: RegionSummary | None = None
    beschikbare_jaren: tuple[int, ...] = ()  # every year with figures (for a year picker)
    # Where this year's jobs come from (``calculation.Counted.bron``: "telling", "kwartaaltellingen",
    # "dienstverbanden", "gemengd" or "geen"), the sources of the measured totals used (``Bron`` values,
    # e.g. "uwv") and, for quarter counts, how many quarters of the year were measured.
    bron: str = "geen"
    meetbronnen: tuple[str, ...] = ()
    kwartalen_gemeten: int = 0

    @property
    def jaren(self) -> tuple[CouncilYear, ...]:
        """The trend including this year, oldest first."""
        if not self.beschikbaar:
            return self.vorige_jaren
        return (*self.vorige_jaren, CouncilYear(
            jaar=self.jaar, doel=self.doel, banen_dienstverband=self.banen_dienstverband,
            banen_inleen=self.banen_inleen, banen_totaal=self.banen_totaal, percentage=self.percentage,
            percentage_weergave=self.percentage_weergave, tekort=self.tekort, heffing=self.heffing,
            banen_via_social_return=self.banen_via_social_return,
        ))

    def as_dict(self) -> dict:
        """Plain values with the API's camelCase names (Decimals stay Decimals)."""
        result = {camel: getattr(self, snake) for camel, snake in _CAMEL.items()
                  if snake in self.__dataclass_fields__ and snake not in ("vorige_jaren", "regio")}
        result["vorigeJaren"] = [year.as_dict() for year in self.vorige_jaren]
        result["regio"] = asdict(self.regio) if self.regio else None
        return result


TREND_YEARS = 4


def council_figures(*, gemeente, jaar: int | None, peildatum: date | None = None,
                    with_region: bool = True) -> CouncilFigures:
    """The banenafspraak figures the council sees for ``gemeente`` in ``jaar`` (aggregates only).

    ``jaar=None`` takes the latest year with figures up to the peildatum (this year when none).

    The municipality's top-level employer with all its units: target, jobs in employment and hired
    in, total, realisation %, shortfall, the informational levy, the jobs through social return
    (shown beside, never added), up to four earlier years for the trend and the labour-market
    region's UWV progress and rank. A fixed number of queries. The caller checks access
    (``banenafspraak.access.may_see_council_figures``). Computed by :func:`council_figures_many`.
    """
    regio = region_summary(gemeente=gemeente) if with_region else None
    return council_figures_many(gemeenten=[gemeente], jaar=jaar, peildatum=peildatum, regio={gemeente.pk: regio})[0]


def council_figures_many(*, gemeenten, jaar: int | None, peildatum: date | None = None,
                         regio: dict[int, RegionSummary | None] | None = None) -> list[CouncilFigures]:
    """:func:`council_figures` of each of ``gemeenten`` (in that order) without the region (``regio``:
    a summary per municipality id, when the caller has one), in a fixed number of queries whatever the
    number of municipalities: the units of all of them are loaded at once and counted per municipality."""
    gemeenten = list(gemeenten)
    if not gemeenten:
        return []
    regio = regio or {}
    loaded = load_tree(Werkgever.objects.filter(gemeente_id__in=[g.pk for g in gemeenten]), peildatum=peildatum)
    return [_council_figures(gemeente, loaded.of_gemeente(gemeente.pk), jaar, regio.get(gemeente.pk))
            for gemeente in gemeenten]


def _council_figures(gemeente, tree: TreeData, jaar: int | None, regio: RegionSummary | None) -> CouncilFigures:
    root = next(iter(tree.roots()), None)
    years = tree.years(root.pk) if root is not None else []
    if jaar is None:
        past = [y for y in years if y <= tree.peildatum.year]
        jaar = past[-1] if past else tree.peildatum.year
    if root is None:
        return CouncilFigures(
            gemeente=gemeente.code, gemeente_naam=gemeente.naam, jaar=jaar, beschikbaar=False, werkgever=None,
            doel=None, banen_dienstverband=None, banen_inleen=None, banen_totaal=None, percentage=None,
            percentage_weergave=None, tekort=None, heffing=None, banen_via_social_return=None, regio=regio,
        )
    current = tree.figures(root.pk, jaar)
    earlier = [y for y in years if jaar - TREND_YEARS <= y < jaar]
    quarters = current.bron == "kwartaaltellingen"
    meetbronnen = tuple(sorted({
        t.bron for t in tree.tellingen
        if t.werkgever_id == root.pk and t.jaar == jaar and (t.kwartaal is not None) == quarters
    })) if current.bron in ("telling", "kwartaaltellingen") else ()
    return CouncilFigures(
        gemeente=gemeente.code, gemeente_naam=gemeente.naam, jaar=jaar, beschikbaar=True, werkgever=root.naam,
        doel=current.doel, banen_dienstverband=current.banen_dienstverband, banen_inleen=current.banen_inleen,
        banen_totaal=current.banen_totaal, percentage=current.percentage,
        percentage_weergave=current.percentage_weergave, tekort=current.tekort, heffing=current.heffing,
        banen_via_social_return=current.banen_via_social_return,
        vorige_jaren=tuple(CouncilYear.of(tree.figures(root.pk, y)) for y in earlier),
        regio=regio,
        beschikbare_jaren=tuple(years),
        bron=current.bron, meetbronnen=meetbronnen, kwartalen_gemeten=current.kwartalen_gemeten,
    )
