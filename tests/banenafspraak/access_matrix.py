"""Access rules for the banenafspraak pages (/banenafspraak/) and API, in the format of
``tests/access/rules.py``. ``tests/access/matrix_banenafspraak.py`` only has to say
``from tests.banenafspraak.access_matrix import ENTRIES``; ``test_access_matrix.py`` in this folder
runs the same rules through the shared runner.

- Employers, units, targets and measured totals: inkoop and SR-team of the municipality and the
  administrator (``srteam_other`` works for Utrecht: it sees lists, empty, and gets 404 on
  Zoetermeer's units; it may create an employer for its own municipality only).
- Person-level records (dienstverbanden): the SR-team (of the municipality) and the administrator.
- Council view: raadslid, SR-team and inkoop of the municipality, the administrator.
- Regional figures (public statistics): every municipal role; imports: the administrator.
"""

from datetime import date
from decimal import Decimal

from tests.access.rules import Rule

STAFF_X = frozenset({"inkoop_x", "srteam_x", "beheerder"})
STAFF_ANY = frozenset({"inkoop_x", "srteam_x", "srteam_other", "beheerder"})
PEOPLE_X = frozenset({"srteam_x", "beheerder"})
PEOPLE_ANY = frozenset({"srteam_x", "srteam_other", "beheerder"})
COUNCIL_X = frozenset({"inkoop_x", "srteam_x", "raadslid_x", "beheerder"})
MUNICIPAL = frozenset({"inkoop_x", "srteam_x", "srteam_other", "raadslid_x", "beheerder"})
ADMIN = frozenset({"beheerder"})


def _organisatie(w):
    from banenafspraak.models import Werkgever

    werkgever, _ = Werkgever.objects.get_or_create(
        gemeente=w.zoetermeer, bovenliggende=None, defaults={"naam": "Gemeente Zoetermeer"}
    )
    return werkgever


def _unit(w):
    return {"pk": _organisatie(w).pk}


def _doel(w):
    from banenafspraak.models import Doel

    doel, _ = Doel.objects.get_or_create(werkgever=_organisatie(w), jaar=2024, defaults={"banen": Decimal("27.4")})
    return {"pk": doel.pk}


def _telling(w):
    from banenafspraak.models import Telling

    telling, _ = Telling.objects.get_or_create(
        werkgever=_organisatie(w), jaar=2024, kwartaal=None,
        defaults={"banen_dienstverband": Decimal("13.6"), "banen_inleen": Decimal("0"), "bron": "publicatie"},
    )
    return {"pk": telling.pk}


def _dienstverband(w):
    from banenafspraak.models import Dienstverband

    dv, _ = Dienstverband.objects.get_or_create(
        werkgever=_organisatie(w), referentie="MATRIX-P-1",
        defaults={"initialen": "M.", "geboortejaar": 1990, "soort": "dienstverband", "startdatum": date(2024, 1, 1),
                  "uren_per_week": Decimal("25.5")},
    )
    return {"pk": dv.pk}


def _regio(w):
    from banenafspraak.models import Arbeidsmarktregio

    return {"pk": Arbeidsmarktregio.objects.get(naam="Zuid-Holland Centraal").pk}


def _rapportage(w):
    from banenafspraak import seed, services
    from banenafspraak.models import UwvTrendrapportage

    rapportage = UwvTrendrapportage.objects.first()
    if rapportage is None:
        rapportage, _checks = services.import_uwv(content=seed.UWV_2020K4_CSV.read_bytes(), bron=seed.UWV_2020K4_BRON)
    return {"pk": rapportage.pk}


def _prepared(w):
    """No URL arguments, but the unit a POST body names must exist before the runner's snapshot."""
    _organisatie(w)
    return {}


def _new_unit(w):
    return {"naam": "Matrixafdeling", "bovenliggende": _organisatie(w).pk}


def _new_doel(w):
    return {"werkgever": _organisatie(w).pk, "jaar": 2030, "banen": "5"}


def _new_telling(w):
    return {"werkgever": _organisatie(w).pk, "jaar": 2030, "banenDienstverband": "1", "banenInleen": "0",
            "bron": "uwv"}


def _new_dienstverband(w):
    return {"werkgever": _organisatie(w).pk, "kandidaat": {"referentie": "MATRIX-P-2", "initialen": "N.",
            "geboortejaar": 1991}, "soort": "dienstverband", "startdatum": "2024-01-01", "urenPerWeek": "10"}


ENTRIES = {
    # --- pages ---
    "banenafspraak:overzicht": Rule(read=STAFF_ANY),
    "banenafspraak:werkgever": Rule(kwargs=_unit, read=STAFF_X),
    "banenafspraak:werkgever_nieuw": Rule(read=STAFF_ANY, write=STAFF_ANY, methods=("get", "post"),
                                          data=lambda w: {"naam": "Matrix", "gemeente": "GM0637"}),
    "banenafspraak:onderdeel_nieuw": Rule(kwargs=_unit, read=STAFF_X, write=STAFF_X, methods=("get", "post"),
                                          data=lambda w: {"naam": "Matrixafdeling"}),
    "banenafspraak:doel_nieuw": Rule(kwargs=_unit, read=STAFF_X, write=STAFF_X, methods=("get", "post"),
                                     data=lambda w: {"jaar": 2030, "banen": "5"}),
    "banenafspraak:telling_nieuw": Rule(kwargs=_unit, read=STAFF_X, write=STAFF_X, methods=("get", "post"),
                                        data=lambda w: {"jaar": 2030, "banen_dienstverband": "1", "banen_inleen": "0",
                                                        "bron": "uwv"}),
    "banenafspraak:dienstverband_nieuw": Rule(
        kwargs=_unit, read=PEOPLE_X, write=PEOPLE_X, methods=("get", "post"),
        data=lambda w: {"referentie": "MATRIX-P-3", "initialen": "O.", "geboortejaar": 1992, "soort": "dienstverband",
                        "startdatum": "2024-01-01", "uren_per_week": "10"},
    ),
    "banenafspraak:raad": Rule(read=MUNICIPAL),
    "banenafspraak:regio": Rule(read=MUNICIPAL),
    "banenafspraak:uwv_sjabloon": Rule(read=MUNICIPAL),
    "banenafspraak:doelstellingen_sjabloon": Rule(read=MUNICIPAL),
    "banenafspraak:uwv_import": Rule(read=ADMIN, write=ADMIN, methods=("get", "post"),
                                     data=lambda w: {"bron": "x", "nulmeting_peildatum": "2013-01-01"}),
    "banenafspraak:doelstellingen_import": Rule(read=ADMIN, write=ADMIN, methods=("get", "post"),
                                                data=lambda w: {"bron": "x"}),
    # --- API ---
    "api:werkgever-list": Rule(kwargs=_prepared, read=STAFF_ANY, write=STAFF_X, methods=("get", "post"), data=_new_unit),
    "api:werkgever-detail": Rule(kwargs=_unit, read=STAFF_X, write=STAFF_X, methods=("get", "patch"),
                                 data=lambda w: {"naam": "Gekaapt"}),
    "api:werkgever-banenafspraak": Rule(kwargs=_unit, read=STAFF_X, query="jaar=2024"),
    "api:banenafspraakdoel-list": Rule(kwargs=_prepared, read=STAFF_ANY, write=STAFF_X, methods=("get", "post"), data=_new_doel),
    "api:banenafspraakdoel-detail": Rule(kwargs=_doel, read=STAFF_X, write=STAFF_X, methods=("get", "patch", "delete"),
                                         data=lambda w: {"banen": "1"}),
    "api:banenafspraaktelling-list": Rule(kwargs=_prepared, read=STAFF_ANY, write=STAFF_X, methods=("get", "post"), data=_new_telling),
    "api:banenafspraaktelling-detail": Rule(kwargs=_telling, read=STAFF_X, write=STAFF_X,
                                            methods=("get", "patch", "delete"), data=lambda w: {"banenInleen": "2"}),
    "api:banenafspraakdienstverband-list": Rule(kwargs=_prepared, read=PEOPLE_ANY, write=PEOPLE_X, methods=("get", "post"),
                                                data=_new_dienstverband),
    "api:banenafspraakdienstverband-detail": Rule(kwargs=_dienstverband, read=PEOPLE_X, write=PEOPLE_X,
                                                  methods=("get", "patch", "delete"), data=lambda w: {"urenPerWeek": "1"}),
    "api:banenafspraakoverzicht-detail": Rule(kwargs=lambda w: {"gemeente": "GM0637"}, read=COUNCIL_X,
                                              query="jaar=2024"),
    "api:arbeidsmarktregio-list": Rule(read=MUNICIPAL),
    "api:arbeidsmarktregio-detail": Rule(kwargs=_regio, read=MUNICIPAL),
    "api:uwvtrendrapportage-list": Rule(read=MUNICIPAL, write=ADMIN, methods=("get", "post"),
                                        data=lambda w: {"bron": "x"}),
    "api:uwvtrendrapportage-detail": Rule(kwargs=_rapportage, read=MUNICIPAL),
}
