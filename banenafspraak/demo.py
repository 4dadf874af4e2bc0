"""Demo data of the banenafspraak (``python manage.py seed_demo``, after ``contracts.demo``). Idempotent.

Published figures only, taken exactly from the reference documents:

- Zoetermeer as employer (reference 000, tables 2 and 3): targets 27,4 / 31,1 / 34,6 and realised
  jobs 13,6 / 30,7 / 33,7 for 2018-2020, entered as measured yearly totals (source: the audit).
  The split between employment and hired-in jobs is not published: the realised jobs are entered
  as jobs in employment (footnote 18: 2018 includes two people seconded from DSW, hours unknown).
- Two departments of Zoetermeer with a few pseudonymous records from 2021 on, to show counting
  from hours (no published figures are affected: measured totals replace records per year).
- The indicative targets of Zuid-Holland Centraal 2019-2022 (reference 000, table 1).
- The UWV table of Bijlage 3 (reference 000), imported from ``banenafspraak/data``.
- The national-government sector 2021 (reference 002, table 1): one unit per ministry with its
  target and its measured jobs in employment and hired in (visible to the functional administrator).
"""

from datetime import date
from decimal import Decimal

from . import seed as reference
from . import services
from .models import Arbeidsmarktregio, Dienstverband, Doel, RegionaleDoelstelling, Telling, UwvTrendrapportage, Werkgever

D = Decimal

# Reference 000, tables 2 and 3.
ZOETERMEER_TABEL_3 = {
    2018: {"doel": D("27.4"), "gerealiseerd": D("13.6")},
    2019: {"doel": D("31.1"), "gerealiseerd": D("30.7")},
    2020: {"doel": D("34.6"), "gerealiseerd": D("33.7")},
}
ZOETERMEER_TOELICHTING = {
    2018: "Rekenkamercommissie Zoetermeer 2021, tabel 3; inclusief twee medewerkers gedetacheerd vanuit DSW.",
    2019: "Rekenkamercommissie Zoetermeer 2021, tabel 3.",
    2020: "Rekenkamercommissie Zoetermeer 2021, tabel 3; inclusief proefplaatsingen van 1 tot 3 maanden.",
}

# Reference 002, table 1: ministry, formal employment (incl. Binnenwerk), hired in, target (2021).
RIJK_TABEL_1 = [
    ("AZ", D("11"), D("0"), D("15")),
    ("BZ", D("58"), D("13"), D("109")),
    ("BZK", D("333"), D("18"), D("422")),
    ("EZK", D("250"), D("2"), D("294")),
    ("Fin", D("693"), D("167"), D("1180")),
    ("IenW", D("318"), D("0"), D("506")),
    ("JenV", D("569"), D("132"), D("1450")),
    ("LNV", D("114"), D("0"), D("119")),
    ("OCW", D("137"), D("26"), D("177")),
    ("SZW", D("159"), D("0"), D("143")),
    ("VWS", D("142"), D("24"), D("200")),
    ("HCvS", D("30"), D("7"), D("59")),
]
RIJK_NAAM = "Sector Rijk"
RIJK_BRON = "Kamerbrief banenafspraak sector Rijk 2022, tabel 1 (2021)."

DEMO_DIENSTVERBANDEN = [
    # unit, referentie, initialen, geboortejaar, soort, inleenvorm, start, end, hours
    ("Stadsbeheer", "ZM-P-0101", "A.B.", 1990, "dienstverband", "", date(2021, 1, 1), None, D("25.5")),
    ("Stadsbeheer", "ZM-P-0102", "C.D.", 1985, "dienstverband", "", date(2021, 7, 1), None, D("32")),
    ("Publiekszaken", "ZM-P-0103", "E.F.", 1998, "inleen", "detachering", date(2021, 3, 1), date(2022, 2, 28), D("20")),
]


def _gemeente(code, naam):
    from bouwblokken.seed import REGIO_CODE
    from contracts.models import Gemeente, Regio

    gemeente = Gemeente.objects.filter(code=code).first()
    if gemeente is None:
        regio, _ = Regio.objects.get_or_create(code=REGIO_CODE, defaults={"naam": "Haaglanden en Zuid-Holland Centraal"})
        gemeente = Gemeente.objects.create(code=code, naam=naam, regio=regio)
    return gemeente


def _werkgever(naam, *, gemeente=None, bovenliggende=None):
    existing = Werkgever.objects.filter(naam=naam, gemeente=gemeente, bovenliggende=bovenliggende).first()
    return existing or services.create_werkgever(naam=naam, gemeente=gemeente, bovenliggende=bovenliggende)


def _doel(werkgever, jaar, banen, toelichting=""):
    if not Doel.objects.filter(werkgever=werkgever, jaar=jaar).exists():
        services.create_doel(werkgever=werkgever, jaar=jaar, banen=banen, toelichting=toelichting)


def _telling(werkgever, jaar, dienstverband, inleen, toelichting):
    if not Telling.objects.filter(werkgever=werkgever, jaar=jaar, kwartaal__isnull=True).exists():
        services.record_telling(werkgever=werkgever, jaar=jaar, banen_dienstverband=dienstverband, banen_inleen=inleen,
                                bron="publicatie", toelichting=toelichting)


def seed_zoetermeer():
    from contracts.models import Gemeente

    from .models import Telparameters

    reference.load(Telparameters, Arbeidsmarktregio)
    zoetermeer = _gemeente("GM0637", "Zoetermeer")
    organisatie = (
        Werkgever.objects.filter(gemeente=zoetermeer, bovenliggende__isnull=True).first()
        or services.create_werkgever(naam="Gemeente Zoetermeer", gemeente=zoetermeer)
    )
    for jaar, row in ZOETERMEER_TABEL_3.items():
        _doel(organisatie, jaar, row["doel"], "Ambtelijk vastgesteld doel (Rekenkamercommissie Zoetermeer 2021, tabel 2).")
        _telling(organisatie, jaar, row["gerealiseerd"], D("0"), ZOETERMEER_TOELICHTING[jaar])
    units = {naam: _werkgever(naam, gemeente=zoetermeer, bovenliggende=organisatie)
             for naam in ("Stadsbeheer", "Publiekszaken")}
    for unit, referentie, initialen, jaar, soort, vorm, start, end, uren in DEMO_DIENSTVERBANDEN:
        if not Dienstverband.objects.filter(werkgever=units[unit], referentie=referentie).exists():
            services.record_dienstverband(
                werkgever=units[unit], referentie=referentie, initialen=initialen, geboortejaar=jaar, soort=soort,
                inleenvorm=vorm, startdatum=start, einddatum=end, uren_per_week=uren,
            )
    zhc = Arbeidsmarktregio.objects.get(naam=reference.ZUID_HOLLAND_CENTRAAL)
    zhc.gemeenten.add(*Gemeente.objects.filter(code__in=reference.ZHC_GEMEENTEN))
    return organisatie


def seed_region():
    if not RegionaleDoelstelling.objects.exists():
        services.import_regional_targets(content=reference.REGIONALE_DOELEN_ZHC_CSV.read_bytes(),
                                         bron=reference.REGIONALE_DOELEN_ZHC_BRON)
    if not UwvTrendrapportage.objects.filter(bron=reference.UWV_2020K4_BRON).exists():
        services.import_uwv(content=reference.UWV_2020K4_CSV.read_bytes(), bron=reference.UWV_2020K4_BRON,
                            bestandsnaam=reference.UWV_2020K4_CSV.name)


def seed_rijk():
    rijk = Werkgever.objects.filter(naam=RIJK_NAAM, gemeente__isnull=True, bovenliggende__isnull=True).first()
    rijk = rijk or services.create_werkgever(naam=RIJK_NAAM)
    for naam, formeel, inleen, doel in RIJK_TABEL_1:
        ministerie = _werkgever(naam, bovenliggende=rijk)
        _doel(ministerie, 2021, doel, RIJK_BRON)
        _telling(ministerie, 2021, formeel, inleen, RIJK_BRON)
    return rijk


def seed(stdout):
    seed_zoetermeer()
    seed_region()
    seed_rijk()
    stdout.write("Banenafspraak: Zoetermeer 2018-2020, regio Zuid-Holland Centraal, UWV-tabel en sector Rijk 2021.")
