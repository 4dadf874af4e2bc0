"""Access rules for the supplier's pages (/registraties/): only the supplier of the contract (and the
functional administrator) registers; the SR-team of the contract may read a registration and its evidence."""

from tests.access.rules import Rule

SUPPLIER_PAGES = frozenset({"leverancier_a", "leverancier_b", "beheerder"})
SUPPLIER_A = frozenset({"leverancier_a", "beheerder"})
REGISTRATIE_A_READERS = frozenset({"leverancier_a", "srteam_x", "beheerder"})


def _contract_a(w):
    return {"pk": w.contract_a.pk}


def _registratie_a(w):
    return {"pk": w.registratie_a.pk}


ENTRIES = {
    "bouwblokken:overzicht": Rule(read=SUPPLIER_PAGES, note="each supplier sees only its own contracts"),
    "bouwblokken:contract": Rule(kwargs=_contract_a, read=SUPPLIER_A),
    "bouwblokken:kies_bouwblok": Rule(kwargs=_contract_a, read=SUPPLIER_A),
    "bouwblokken:nieuw": Rule(
        kwargs=lambda w: {"pk": w.contract_a.pk, "code": "participatiewet"},
        read=SUPPLIER_A, write=SUPPLIER_A, methods=("get", "post"),
        data=lambda w: {
            "actie": "opslaan", "referentie": "MATRIX-1", "initialen": "M.", "geboortejaar": "1980",
            "startdatum": "2024-06-01", "uren_per_week": "36",
        },
    ),
    "bouwblokken:jaar_indienen": Rule(
        kwargs=lambda w: {"pk": w.contract_a.pk, "jaar": 2024},
        read=SUPPLIER_A, write=SUPPLIER_A, methods=("get", "post"),
    ),
    "bouwblokken:registratie": Rule(kwargs=_registratie_a, read=REGISTRATIE_A_READERS),
    "bouwblokken:wijzigen": Rule(
        kwargs=_registratie_a, read=SUPPLIER_A, write=SUPPLIER_A, methods=("get", "post"),
        data=lambda w: {
            "actie": "opslaan", "versie": str(w.registratie_a.versie), "referentie": "WSP-A-001", "initialen": "A.B.",
            "geboortejaar": "1990", "startdatum": "2024-05-01", "uren_per_week": "20",
        },
    ),
    "bouwblokken:indienen": Rule(kwargs=_registratie_a, read=SUPPLIER_A, write=SUPPLIER_A, methods=("get", "post")),
    "bouwblokken:bewijs_toevoegen": Rule(
        kwargs=_registratie_a, read=SUPPLIER_A, write=SUPPLIER_A, methods=("get", "post"),
    ),
    "bouwblokken:bewijs": Rule(
        kwargs=lambda w: {"pk": w.bewijs_a.pk}, read=REGISTRATIE_A_READERS,
        note="evidence only through this permission-checked view",
    ),
}
