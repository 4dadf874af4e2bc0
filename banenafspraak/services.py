"""Write workflows of the banenafspraak (SROI-RULES.md §5). Access is checked by the caller (pages
and API, through ``banenafspraak.access``); these functions check the domain rules and raise
``ValidationError`` keyed by model field name with a Dutch message.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sroi_portal import clock
from sroi_portal.validation import citizen_service_number_errors, looks_like_citizen_service_number

from . import calculation, imports
from .calculation import TotalCheck, compare_totals
from .models import (
    Arbeidsmarktregio,
    Bron,
    Dienstverband,
    Doel,
    Inleenvorm,
    RegionaleDoelstelling,
    Soort,
    Telling,
    UwvKwartaal,
    UwvRegioRij,
    UwvTrendrapportage,
    Werkgever,
)

MAX_JOBS = Decimal("99999999.99")


def _check_year(errors: dict, jaar, field: str = "jaar") -> None:
    if not isinstance(jaar, int) or isinstance(jaar, bool) or not 2000 <= jaar <= 2100:
        errors[field] = _("Vul een jaar tussen 2000 en 2100 in.")


def _check_jobs(errors: dict, value, field: str) -> None:
    if value is None:
        errors[field] = _("Vul het aantal banen in.")
    elif not isinstance(value, Decimal) or not value.is_finite():
        errors[field] = _("Vul een getal in.")
    elif value < 0:
        errors[field] = _("Het aantal banen kan niet negatief zijn.")
    elif value > MAX_JOBS or value != value.quantize(Decimal("0.01")):
        errors[field] = _("Vul een aantal banen met hoogstens twee decimalen in.")


# --- employers and units -------------------------------------------------------------------------


@transaction.atomic
def create_werkgever(*, naam: str, gemeente=None, bovenliggende: Werkgever | None = None, user=None) -> Werkgever:
    """A top-level employer (a municipality's organisation) or a unit below ``bovenliggende``.

    A unit belongs to the municipality of the unit above it; a municipality has at most one
    top-level employer.
    """
    naam = (naam or "").strip()
    errors = {}
    if not naam:
        errors["naam"] = _("Vul de naam in.")
    if bovenliggende is not None:
        if gemeente is not None and gemeente.pk != bovenliggende.gemeente_id:
            errors["gemeente"] = _("Een onderdeel hoort bij dezelfde gemeente als de werkgever erboven.")
        gemeente = bovenliggende.gemeente
        if naam and bovenliggende.onderdelen.filter(naam=naam).exists():
            errors["naam"] = _("Deze werkgever heeft al een onderdeel met deze naam.")
    elif gemeente is not None and Werkgever.objects.filter(gemeente=gemeente, bovenliggende__isnull=True).exists():
        errors["gemeente"] = _(
            "Deze gemeente heeft al een werkgever; voeg afdelingen toe als onderdeel daarvan."
        )
    if errors:
        raise ValidationError(errors)
    werkgever = Werkgever(naam=naam, gemeente=gemeente, bovenliggende=bovenliggende)
    werkgever.full_clean()
    werkgever.save()
    return werkgever


@transaction.atomic
def rename_werkgever(*, werkgever: Werkgever, naam: str) -> Werkgever:
    werkgever = Werkgever.objects.select_for_update().get(pk=werkgever.pk)
    naam = (naam or "").strip()
    if not naam:
        raise ValidationError({"naam": _("Vul de naam in.")})
    siblings = Werkgever.objects.filter(bovenliggende=werkgever.bovenliggende_id, naam=naam).exclude(pk=werkgever.pk)
    if werkgever.bovenliggende_id and siblings.exists():
        raise ValidationError({"naam": _("Deze werkgever heeft al een onderdeel met deze naam.")})
    werkgever.naam = naam
    werkgever.save(update_fields=["naam"])
    return werkgever


# --- targets -------------------------------------------------------------------------------------


def _validate_doel(doel: Doel) -> None:
    errors = {}
    _check_year(errors, doel.jaar)
    _check_jobs(errors, doel.banen, "banen")
    if doel.verloonde_uren is not None and doel.verloonde_uren < 0:
        errors["verloonde_uren"] = _("Het aantal verloonde uren kan niet negatief zijn.")
    if not errors and Doel.objects.filter(werkgever=doel.werkgever_id, jaar=doel.jaar).exclude(pk=doel.pk).exists():
        errors["jaar"] = _("Deze werkgever heeft al een doel voor %(jaar)s; wijzig dat doel.") % {"jaar": doel.jaar}
    errors.update(citizen_service_number_errors(Doel, toelichting=doel.toelichting))
    if errors:
        raise ValidationError(errors)
    doel.full_clean()


@transaction.atomic
def create_doel(*, werkgever: Werkgever, jaar: int, banen: Decimal, verloonde_uren: Decimal | None = None,
                toelichting: str = "") -> Doel:
    """The target of a unit (with its sub-units) in jobs for a year."""
    doel = Doel(werkgever=werkgever, jaar=jaar, banen=banen, verloonde_uren=verloonde_uren, toelichting=toelichting or "")
    _validate_doel(doel)
    doel.save()
    return doel


@transaction.atomic
def update_doel(*, doel: Doel, **values) -> Doel:
    doel = Doel.objects.select_for_update().get(pk=doel.pk)
    unknown = set(values) - {"jaar", "banen", "verloonde_uren", "toelichting"}
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    for name, value in values.items():
        setattr(doel, name, value)
    _validate_doel(doel)
    doel.save()
    return doel


@transaction.atomic
def delete_doel(*, doel: Doel) -> None:
    Doel.objects.filter(pk=doel.pk).delete()


# --- person-level records ------------------------------------------------------------------------

DIENSTVERBAND_FIELDS = (
    "referentie", "initialen", "geboortejaar", "soort", "inleenvorm", "startdatum", "einddatum", "uren_per_week",
)


def _validate_dienstverband(dv: Dienstverband) -> None:
    errors = {}
    dv.referentie = (dv.referentie or "").strip()
    dv.initialen = (dv.initialen or "").strip()
    if not dv.referentie:
        errors["referentie"] = _("Vul een referentie in (bijvoorbeeld een personeelsnummer).")
    elif looks_like_citizen_service_number(dv.referentie):
        errors["referentie"] = _("Dit lijkt een BSN. Gebruik een pseudoniem, bijvoorbeeld een personeelsnummer.")
    if not dv.initialen:
        errors["initialen"] = _("Vul de initialen in.")
    errors.update(citizen_service_number_errors(Dienstverband, initialen=dv.initialen))
    if dv.geboortejaar is None or not 1900 <= dv.geboortejaar <= clock.today().year:
        errors["geboortejaar"] = _("Vul een geldig geboortejaar in.")
    if dv.soort not in Soort.values:
        errors["soort"] = _("Kies dienstverband of inleen.")
    elif dv.soort == Soort.DIENSTVERBAND and dv.inleenvorm:
        errors["inleenvorm"] = _("Een vorm van inleen hoort alleen bij inleen.")
    elif dv.inleenvorm and dv.inleenvorm not in Inleenvorm.values:
        errors["inleenvorm"] = _("Kies detachering, payroll of uitzendkracht.")
    if dv.startdatum is None:
        errors["startdatum"] = _("Vul de startdatum in.")
    elif dv.einddatum is not None and dv.einddatum < dv.startdatum:
        errors["einddatum"] = _("De einddatum ligt vóór de startdatum.")
    if dv.uren_per_week is None:
        errors["uren_per_week"] = _("Vul het aantal verloonde uren per week in.")
    elif dv.uren_per_week <= 0:
        errors["uren_per_week"] = _("Het aantal uren per week moet groter zijn dan 0.")
    elif dv.uren_per_week > 60:
        errors["uren_per_week"] = _("Meer dan 60 uur per week is niet mogelijk.")
    if not errors:
        end = dv.einddatum or date.max
        same_person = Dienstverband.objects.filter(
            werkgever=dv.werkgever_id, referentie=dv.referentie, startdatum__lte=end
        ).exclude(pk=dv.pk)
        for other in same_person:
            if other.einddatum is None or other.einddatum >= dv.startdatum:
                errors["startdatum"] = _(
                    "Deze persoon heeft bij dit onderdeel al een baan in (een deel van) deze periode; "
                    "pas die aan in plaats van een tweede te registreren."
                )
                break
    if errors:
        raise ValidationError(errors)
    dv.full_clean()


@transaction.atomic
def record_dienstverband(*, werkgever: Werkgever, referentie: str, initialen: str, geboortejaar: int, soort: str,
                         startdatum: date, uren_per_week: Decimal, einddatum: date | None = None,
                         inleenvorm: str = "", user=None) -> Dienstverband:
    """A job of a person from the doelgroepregister at ``werkgever`` (inleen counts where they work)."""
    dv = Dienstverband(
        werkgever=werkgever, referentie=referentie, initialen=initialen, geboortejaar=geboortejaar, soort=soort,
        inleenvorm=inleenvorm or "", startdatum=startdatum, einddatum=einddatum, uren_per_week=uren_per_week,
        aangemaakt_door=user,
    )
    _validate_dienstverband(dv)
    dv.save()
    return dv


@transaction.atomic
def update_dienstverband(*, dienstverband: Dienstverband, **values) -> Dienstverband:
    dv = Dienstverband.objects.select_for_update().get(pk=dienstverband.pk)
    unknown = set(values) - set(DIENSTVERBAND_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    for name, value in values.items():
        setattr(dv, name, "" if name == "inleenvorm" and value is None else value)
    if values.get("soort") == Soort.DIENSTVERBAND and "inleenvorm" not in values:
        dv.inleenvorm = ""
    _validate_dienstverband(dv)
    dv.save()
    return dv


@transaction.atomic
def delete_dienstverband(*, dienstverband: Dienstverband) -> None:
    Dienstverband.objects.filter(pk=dienstverband.pk).delete()


# --- measured totals -----------------------------------------------------------------------------

TELLING_FIELDS = (
    "jaar", "kwartaal", "banen_dienstverband", "banen_inleen", "verloonde_uren_dienstverband",
    "verloonde_uren_inleen", "bron", "toelichting",
)
_KINDS = (("banen_dienstverband", "verloonde_uren_dienstverband"), ("banen_inleen", "verloonde_uren_inleen"))


def _jobs_from_hours(telling: Telling, errors: dict, *, given: set[str]) -> None:
    """Per kind, jobs are entered directly or computed from paid hours (hours / 1,326 a year).

    ``given`` names the fields the caller entered: entered hours (re)compute the jobs; entered jobs
    drop the hours that were behind the old figure.
    """
    from .selectors import ParamsByYear

    for banen_field, uren_field in _KINDS:
        hours = getattr(telling, uren_field)
        if banen_field in given and uren_field in given and hours is not None \
                and getattr(telling, banen_field) is not None:
            errors[uren_field] = _("Vul banen óf verloonde uren in, niet allebei.")
            continue
        if uren_field in given and hours is not None:
            if not isinstance(hours, Decimal) or not hours.is_finite() or hours < 0:
                errors[uren_field] = _("Het aantal verloonde uren kan niet negatief zijn.")
                continue
            if "jaar" in errors or "kwartaal" in errors:
                continue
            params = ParamsByYear()(telling.jaar)
            setattr(telling, banen_field, calculation.round_jobs(
                calculation.jobs_from_paid_hours(hours, params, kwartaal=telling.kwartaal)))
        elif banen_field in given:
            setattr(telling, uren_field, None)
        if getattr(telling, banen_field) is None:
            errors[banen_field] = _("Vul het aantal banen of de verloonde uren in.")


def _validate_telling(telling: Telling, *, given: set[str]) -> None:
    errors = {}
    _check_year(errors, telling.jaar)
    if telling.kwartaal is not None and telling.kwartaal not in (1, 2, 3, 4):
        errors["kwartaal"] = _("Een kwartaal is 1, 2, 3 of 4; laat het leeg voor een heel jaar.")
    _jobs_from_hours(telling, errors, given=given)
    for field in ("banen_dienstverband", "banen_inleen"):
        if field not in errors and getattr(telling, field) is not None:
            _check_jobs(errors, getattr(telling, field), field)
    if telling.bron not in Bron.values:
        errors["bron"] = _("Kies de bron van de telling.")
    errors.update(citizen_service_number_errors(Telling, toelichting=telling.toelichting))
    if not errors:
        clash = Telling.objects.filter(werkgever=telling.werkgever_id, jaar=telling.jaar, kwartaal=telling.kwartaal)
        if telling.kwartaal is None:
            clash = Telling.objects.filter(werkgever=telling.werkgever_id, jaar=telling.jaar, kwartaal__isnull=True)
        if clash.exclude(pk=telling.pk).exists():
            errors["jaar" if telling.kwartaal is None else "kwartaal"] = _(
                "Voor deze periode is al een telling; wijzig die telling."
            )
    if errors:
        raise ValidationError(errors)
    telling.full_clean()


@transaction.atomic
def record_telling(*, werkgever: Werkgever, jaar: int, bron: str, banen_dienstverband: Decimal | None = None,
                   banen_inleen: Decimal | None = None, verloonde_uren_dienstverband: Decimal | None = None,
                   verloonde_uren_inleen: Decimal | None = None, kwartaal: int | None = None, toelichting: str = "",
                   user=None) -> Telling:
    """Measured totals of a unit for a year or a quarter; they replace the counted records there.

    Per kind (in employment, hired in) give the jobs, or the paid hours from which the jobs are
    computed with the parameter in force (hours / 1,326 for a year).
    """
    telling = Telling(
        werkgever=werkgever, jaar=jaar, kwartaal=kwartaal, banen_dienstverband=banen_dienstverband,
        banen_inleen=banen_inleen, verloonde_uren_dienstverband=verloonde_uren_dienstverband,
        verloonde_uren_inleen=verloonde_uren_inleen, bron=bron, toelichting=toelichting or "", geregistreerd_door=user,
    )
    given = {name for name in ("banen_dienstverband", "banen_inleen", "verloonde_uren_dienstverband",
                               "verloonde_uren_inleen") if getattr(telling, name) is not None}
    _validate_telling(telling, given=given)
    telling.save()
    return telling


@transaction.atomic
def update_telling(*, telling: Telling, **values) -> Telling:
    telling = Telling.objects.select_for_update().get(pk=telling.pk)
    unknown = set(values) - set(TELLING_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    for name, value in values.items():
        setattr(telling, name, value)
    given = set(values)
    if {"jaar", "kwartaal"} & given:  # the jobs behind entered hours depend on the period
        given |= {uren for _banen, uren in _KINDS if getattr(telling, uren) is not None}
    _validate_telling(telling, given=given)
    telling.save()
    return telling


@transaction.atomic
def delete_telling(*, telling: Telling) -> None:
    Telling.objects.filter(pk=telling.pk).delete()


# --- the region ----------------------------------------------------------------------------------


def _region_names() -> list[str]:
    return list(Arbeidsmarktregio.objects.order_by("naam").values_list("naam", flat=True))


@transaction.atomic
def import_uwv(*, content: bytes, bron: str, nulmeting_peildatum: date = date(2013, 1, 1), bestandsnaam: str = "",
               user=None) -> tuple[UwvTrendrapportage, list[TotalCheck]]:
    """Import a UWV trend table, all or nothing (raises :class:`imports.ImportRejected`).

    The figures are stored as published. Where the file has a total row, each column's published
    total is compared with the sum of the regions; a difference is reported (and stored with the
    import), never corrected: a national total may include jobs that no region holds.
    """
    bron = (bron or "").strip()
    if not bron:
        raise imports.ImportRejected([imports.Problem(_("Vul de bron van de tabel in (titel en datum)."), kolom="bron")])
    table = imports.parse_uwv(content, known_regions=_region_names())
    checks: list[TotalCheck] = []
    if table.totaal is not None:
        def values(row):
            return [row.nulmeting, *row.kwartalen, *([row.voortgang] if table.heeft_voortgang else [])]

        checks = compare_totals(table.kolommen, values(table.totaal), [values(row) for row in table.regios])
    rapportage = UwvTrendrapportage.objects.create(
        bron=bron, nulmeting_peildatum=nulmeting_peildatum, bestandsnaam=(bestandsnaam or "")[:255],
        geimporteerd_door=user,
        verschillen=[
            {"kolom": c.kolom, "gepubliceerd": str(c.gepubliceerd), "somRegios": str(c.som_regios),
             "verschil": str(c.verschil)}
            for c in checks
        ],
    )
    regions = {r.naam: r for r in Arbeidsmarktregio.objects.all()}
    rows = [*table.regios, *([table.totaal] if table.totaal else [])]
    for volgorde, row in enumerate(rows, start=1):
        rij = UwvRegioRij.objects.create(
            rapportage=rapportage, arbeidsmarktregio=regions[row.regio] if row.regio else None, label=row.label,
            volgorde=volgorde, nulmeting=row.nulmeting, voortgang_gepubliceerd=row.voortgang,
        )
        UwvKwartaal.objects.bulk_create(
            UwvKwartaal(rij=rij, jaar=jaar, kwartaal=kwartaal, aantal=aantal)
            for (jaar, kwartaal), aantal in zip(table.kwartalen, row.kwartalen)
        )
    return rapportage, checks


@transaction.atomic
def import_regional_targets(*, content: bytes, bron: str = "", user=None) -> int:
    """Import indicative regional targets, all or nothing; an existing year of a region is replaced."""
    rows = imports.parse_regional_targets(content, known_regions=_region_names())
    regions = {r.naam: r for r in Arbeidsmarktregio.objects.all()}
    for row in rows:
        RegionaleDoelstelling.objects.update_or_create(
            arbeidsmarktregio=regions[row.regio], jaar=row.jaar,
            defaults={"markt": row.markt, "overheid": row.overheid, "bron": (bron or "").strip()[:300]},
        )
    return len(rows)
