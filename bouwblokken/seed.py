"""The bouwblokken catalogue of the 11 municipalities of Haaglanden and Zuid-Holland Centraal.

Two versions ship as seed data (SROI-RULES.md §2): the 2019 version (Rekenkamercommissie
Zoetermeer 2021, §3.2, figure 3) and the version for contracts awarded from 1 July 2023 (Den Haag,
"Social return bouwblokken"). Values are per year for a job of 36 hours a week, unless the
valuation method says otherwise. A functional administrator can add later versions in the admin.
"""

from datetime import date
from decimal import Decimal

REGIO_CODE = "haaglanden-zhc"
REGIO_NAAM = "Haaglanden en Zuid-Holland Centraal"

# Placements that a 55+ or work-limitation bonus may belong to.
PLAATSINGEN_2019 = [
    "zonder_uitkering", "jongere_zonder_startkwalificatie", "stage_mbo_hbo", "stage_vso_pro", "bbl",
    "ww", "wia", "participatiewet", "banenafspraak",
]
PLAATSINGEN_2023 = [
    "zonder_uitkering", "jongere_zonder_startkwalificatie", "stage_mbo_hbo", "stage_vso_pro",
    "bbl_niveau_1_2", "bbl_niveau_3_plus", "ww", "wia", "participatiewet", "banenafspraak",
]


def _plaatsing(code, naam, waarde, max_maanden, doelgroep, gevoelig=False):
    return {
        "code": code, "naam": naam, "soort": "plaatsing", "waarderingswijze": "per_jaar",
        "waarde": Decimal(waarde), "max_maanden": max_maanden, "doelgroep": doelgroep, "gevoelig": gevoelig,
    }


def _catalogus(bbl_blocks, ww, wia, participatiewet, plaatsingen):
    zonder_banenafspraak = [c for c in plaatsingen if c != "banenafspraak"]
    return [
        _plaatsing("zonder_uitkering", "Werkzoekende zonder uitkering", 5000, 12, "zonder_uitkering"),
        _plaatsing("jongere_zonder_startkwalificatie", "Jongere zonder startkwalificatie", 10000, 12,
                   "jongere_zonder_startkwalificatie"),
        _plaatsing("stage_mbo_hbo", "Stagiair MBO/HBO", 5000, 12, "stagiair_mbo_hbo"),
        _plaatsing("stage_vso_pro", "Stagiair VSO/Praktijkonderwijs", 7500, 24, "stagiair_vso_pro"),
        *bbl_blocks,
        _plaatsing("ww", "Werkzoekende met WW-uitkering", ww, 12, "ww"),
        _plaatsing("wia", "Werkzoekende met WIA-uitkering", wia, 24, "wia", gevoelig=True),
        _plaatsing("participatiewet", "Werkzoekende met Participatiewet-uitkering (bijstand)", participatiewet, 24,
                   "participatiewet"),
        _plaatsing("banenafspraak", "Banenafspraak (Wajong, Wsw, doelgroepregister)", 50000, None, "banenafspraak",
                   gevoelig=True),
        {"code": "bonus_55_plus", "naam": "Bonus: kandidaat van 55 jaar of ouder", "soort": "bonus",
         "waarderingswijze": "per_jaar", "waarde": Decimal(10000), "hoort_bij": plaatsingen, "min_leeftijd": 55},
        {"code": "bonus_opleiding", "naam": "Bonus: opleidings- en bijzondere begeleidingskosten", "soort": "bonus",
         "waarderingswijze": "kosten", "waarde": None, "hoort_bij": plaatsingen},
        {"code": "bonus_dienstverband_vso_pro",
         "naam": "Bonus: dienstverband voor VSO/PrO na een stage van minstens 6 maanden", "soort": "bonus",
         "waarderingswijze": "eenmalig", "waarde": Decimal(25000), "hoort_bij": ["stage_vso_pro"],
         "min_maanden_hoofdregistratie": 6},
        {"code": "bonus_arbeidsbeperking", "naam": "Bonus: dienstverband met een arbeidsbeperking (incl. IPS)",
         "soort": "bonus", "waarderingswijze": "eenmalig", "waarde": Decimal(10000),
         "hoort_bij": zonder_banenafspraak, "combineerbaar_met_banenafspraak": False, "gevoelig": True},
        {"code": "sr_project", "naam": "Social-returnproject in samenwerking met het WSP", "soort": "project",
         "waarderingswijze": "afgesproken", "waarde": None},
        {"code": "sociaal_inkopen", "naam": "Inkoop bij een SW-bedrijf of erkende sociale onderneming",
         "soort": "inkoop", "waarderingswijze": "factuur", "waarde": None, "factuur_aandeel": Decimal(100)},
        {"code": "maatschappelijke_activiteit", "naam": "Maatschappelijke activiteit (plan afgestemd met het WSP)",
         "soort": "activiteit", "waarderingswijze": "per_dag", "waarde": Decimal(1000)},
    ]


CATALOGI = [
    {
        "naam": "Bouwblokken Haaglanden/ZHC 2019",
        "geldig_vanaf": date(2019, 1, 1),
        "bouwblokken": _catalogus(
            [_plaatsing("bbl", "Leerwerkbaan MBO-BBL (dienstverband)", 25000, 36, "bbl")],
            ww=10000, wia=20000, participatiewet=30000, plaatsingen=PLAATSINGEN_2019,
        ),
    },
    {
        "naam": "Bouwblokken Haaglanden/ZHC vanaf 1 juli 2023",
        "geldig_vanaf": date(2023, 7, 1),
        "bouwblokken": _catalogus(
            [
                _plaatsing("bbl_niveau_1_2", "Leerwerkbaan BBL tot en met niveau 2", 25000, 24, "bbl"),
                _plaatsing("bbl_niveau_3_plus", "Leerwerkbaan BBL niveau 3 en hoger", 15000, 36, "bbl"),
            ],
            ww=20000, wia=30000, participatiewet=40000, plaatsingen=PLAATSINGEN_2023,
        ),
    },
]


def load(Regio, Catalogus, Bouwblok):
    """Create (or complete) the region and both catalogue versions. Idempotent."""
    regio, _ = Regio.objects.get_or_create(code=REGIO_CODE, defaults={"naam": REGIO_NAAM})
    for spec in CATALOGI:
        catalogus, _ = Catalogus.objects.get_or_create(
            regio=regio, geldig_vanaf=spec["geldig_vanaf"], defaults={"naam": spec["naam"]}
        )
        for volgorde, blok in enumerate(spec["bouwblokken"], start=1):
            Bouwblok.objects.get_or_create(
                catalogus=catalogus, code=blok["code"], defaults={**blok, "volgorde": volgorde}
            )
    return regio


# --- Evidence per bouwblok (SROI-RULES.md §3 step 6, revised December 2026) ----------------------
#
# "Which evidence a bouwblok needs is data of the catalogue version": a placement needs the employment
# contract, or the internship/BBL agreement, and the target-group statement from the WSP or the
# municipality; social purchasing the invoice and the proof of payment; an activity the agreed plan
# and an attendance list. A registration without them is approved only with a recorded reason.

#: (code, name, order) of every kind of evidence; ``overig`` is never required, always allowed.
BEWIJSSOORTEN = [
    ("arbeidsovereenkomst", "arbeidsovereenkomst", 10),
    ("stageovereenkomst", "stageovereenkomst", 20),
    ("bbl_overeenkomst", "BBL-overeenkomst (praktijkovereenkomst)", 30),
    ("doelgroepverklaring", "doelgroepverklaring van het WSP of de gemeente", 40),
    ("factuur", "factuur", 50),
    ("betaalbewijs", "betaalbewijs", 60),
    ("kostenbewijs", "factuur of ander bewijs van de kosten", 70),
    ("plan", "afgesproken plan (met het WSP)", 80),
    ("presentielijst", "presentielijst", 90),
    ("overig", "overig (bijvoorbeeld een loonstrook)", 1000),
]

_IN_DIENST = ["arbeidsovereenkomst", "doelgroepverklaring"]
_BBL = ["bbl_overeenkomst", "doelgroepverklaring"]

#: Required kinds per bouwblok code, the same in the 2019 version and the version from 1 July 2023.
VEREIST_BEWIJS = {
    # Placements of a candidate: the employment contract and the target-group statement.
    "zonder_uitkering": _IN_DIENST,
    "jongere_zonder_startkwalificatie": _IN_DIENST,
    "ww": _IN_DIENST,
    "wia": _IN_DIENST,
    "participatiewet": _IN_DIENST,
    "banenafspraak": _IN_DIENST,
    # A BBL job: the BBL agreement (employment with the training agreement) and the statement.
    "bbl": _BBL,
    "bbl_niveau_1_2": _BBL,
    "bbl_niveau_3_plus": _BBL,
    # An internship: the internship agreement (the school places the student; no statement).
    "stage_mbo_hbo": ["stageovereenkomst"],
    "stage_vso_pro": ["stageovereenkomst"],
    # Bonuses. The 55+ bonus rests on the placement it belongs to (its evidence) and the candidate's
    # year of birth: nothing of its own. Training costs: the invoice or proof of the costs. The one-off
    # bonuses are an employment contract.
    "bonus_55_plus": [],
    "bonus_opleiding": ["kostenbewijs"],
    "bonus_dienstverband_vso_pro": ["arbeidsovereenkomst"],
    "bonus_arbeidsbeperking": ["arbeidsovereenkomst"],
    # Project, social purchasing, activity.
    "sr_project": ["plan"],
    "sociaal_inkopen": ["factuur", "betaalbewijs"],
    "maatschappelijke_activiteit": ["plan", "presentielijst"],
}


def load_bewijs(Regio, Catalogus, Bewijssoort):
    """Create the kinds of evidence and the required kinds of both shipped catalogue versions. Idempotent;
    a version's requirements that were already set (e.g. changed by the functional administrator) stay."""
    soorten = {}
    for code, naam, volgorde in BEWIJSSOORTEN:
        soorten[code], _ = Bewijssoort.objects.get_or_create(code=code, defaults={"naam": naam, "volgorde": volgorde})
    regio = Regio.objects.filter(code=REGIO_CODE).first()
    if regio is None:
        return
    for spec in CATALOGI:
        catalogus = Catalogus.objects.filter(regio=regio, geldig_vanaf=spec["geldig_vanaf"]).first()
        if catalogus is None:
            continue
        for bouwblok in catalogus.bouwblokken.all():
            if bouwblok.vereist_bewijs.exists():
                continue
            bouwblok.vereist_bewijs.set([soorten[code] for code in VEREIST_BEWIJS.get(bouwblok.code, [])])
