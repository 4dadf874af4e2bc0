"""Access rules for API v1 (anonymous gets 401; objects outside a user's scope are 404)."""

from tests.access.rules import ALL_SIGNED_IN, Rule

CONTRACT_A_READERS = frozenset({"leverancier_a", "inkoop_x", "srteam_x", "beheerder"})
REGISTRATIE_A_READERS = frozenset({"leverancier_a", "srteam_x", "beheerder"})

ENTRIES = {
    "api:openapi": Rule(read=ALL_SIGNED_IN, public=True),
    "api:gemeente-list": Rule(read=ALL_SIGNED_IN),
    "api:gemeente-detail": Rule(kwargs=lambda w: {"code": w.contract_a.gemeente.code}, read=ALL_SIGNED_IN),
    "api:leverancier-list": Rule(
        read=ALL_SIGNED_IN,
        methods=("get", "post"),
        write=frozenset({"inkoop_x", "srteam_x", "srteam_other", "beheerder"}),
        data=lambda w: {"kvkNummer": "99887766", "naam": "Matrix B.V."},
    ),
    "api:leverancier-detail": Rule(
        kwargs=lambda w: {"kvkNummer": w.contract_a.leverancier.kvk_nummer},
        read=frozenset({"leverancier_a", "inkoop_x", "srteam_x", "srteam_other", "beheerder"}),
    ),
    "api:bouwblok-list": Rule(read=ALL_SIGNED_IN),
    "api:bouwblok-detail": Rule(kwargs=lambda w: {"pk": w.registratie_a.bouwblok_id}, read=ALL_SIGNED_IN),
    "api:contract-list": Rule(
        read=ALL_SIGNED_IN,
        methods=("get", "post"),
        write=frozenset({"inkoop_x", "srteam_x", "beheerder"}),
        data=lambda w: {
            "gemeente": w.contract_a.gemeente.code, "leverancier": w.contract_a.leverancier.kvk_nummer,
            "kenmerk": "MATRIX-1", "omschrijving": "Matrix", "categorie": "werken", "procedure": "europees",
            "gunningsdatum": "2024-01-15", "startdatum": "2024-02-01", "einddatum": "2025-01-31",
            "aanneemsom": "500000.00", "loonsom": "200000.00",
        },
    ),
    "api:contract-detail": Rule(
        kwargs=lambda w: {"pk": w.contract_a.pk},
        read=CONTRACT_A_READERS,
        methods=("get", "patch"),
        write=frozenset({"inkoop_x", "srteam_x", "beheerder"}),
        data=lambda w: {"omschrijving": "Gewijzigd door de matrix"},
    ),
    "api:registratie-list": Rule(
        read=ALL_SIGNED_IN,
        methods=("get", "post"),
        write=frozenset({"leverancier_a", "beheerder"}),
        data=lambda w: {"contract": w.contract_a.pk, "bouwblok": "sociaal_inkopen",
                        "startdatum": w.contract_a.startdatum.isoformat(), "bedrag": "100.00"},
    ),
    "api:registratie-detail": Rule(
        kwargs=lambda w: {"pk": w.registratie_a.pk},
        read=REGISTRATIE_A_READERS,
        methods=("get", "patch"),
        write=frozenset({"leverancier_a", "beheerder"}),
        data=lambda w: {"omschrijving": "Gewijzigd door de matrix"},
    ),
    "api:registratie-indiening": Rule(
        kwargs=lambda w: {"pk": w.registratie_a.pk},
        methods=("post",),
        write=frozenset({"leverancier_a", "beheerder"}),
    ),
    "api:registratie-beoordeling": Rule(
        kwargs=lambda w: {"pk": w.registratie_a.pk},
        methods=("post",),
        write=frozenset({"srteam_x", "beheerder"}),
        data=lambda w: {"besluit": "goedgekeurd"},
    ),
}
