"""Access rules for the staff pages of the contracts app (/contracten/): inkoop, the SR-team and the
functional administrator; the SR-team's own pages (inbox, intake, exemption, settlement) only for the
SR-team and the administrator. Suppliers and council members are refused; a contract outside the
user's municipalities is a 404."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.access.rules import Rule

STAFF_ANY = frozenset({"inkoop_x", "srteam_x", "srteam_other", "beheerder"})  # pages without a contract
STAFF_A = frozenset({"inkoop_x", "srteam_x", "beheerder"})  # pages of contract_a (Zoetermeer)
SRTEAM_ANY = frozenset({"srteam_x", "srteam_other", "beheerder"})
SRTEAM_A = frozenset({"srteam_x", "beheerder"})

TINY_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _contract_a(w):
    return {"pk": w.contract_a.pk}


def _plan_a(w):
    """A plan of approach on contract_a, made once per world."""
    from contracts import services

    plan = getattr(w, "_plan_a", None)
    if plan is None:
        plan = services.attach_plan(
            contract=w.contract_a, upload=SimpleUploadedFile("plan.pdf", TINY_PDF, content_type="application/pdf"),
            user=w.users["srteam_x"],
        )
        w._plan_a = plan
    return {"pk": w.contract_a.pk, "plan_pk": plan.pk}


def _contract_values(w):
    return {
        "actie": "opslaan", "gemeente": str(w.zoetermeer.pk), "kenmerk": "MATRIX-NIEUW", "omschrijving": "Matrix",
        "leverancier_kvk": "11223344", "categorie": "werken", "procedure": "europees",
        "gunningsdatum": "2024-01-15", "startdatum": "2024-03-01", "einddatum": "2025-12-31",
        "aanneemsom": "100000", "loonsom": "40000", "extra_percentage": "0",
    }


ENTRIES = {
    "contracts:list": Rule(read=STAFF_ANY, note="each sees its own municipalities' contracts"),
    "contracts:create": Rule(read=STAFF_ANY, write=STAFF_ANY, methods=("get", "post"), data=_contract_values),
    "contracts:import": Rule(read=STAFF_ANY, write=STAFF_ANY, methods=("get", "post")),
    "contracts:import_template": Rule(kwargs=lambda w: {"formaat": "xlsx"}, read=STAFF_ANY),
    "contracts:inbox": Rule(read=SRTEAM_ANY),
    "contracts:detail": Rule(kwargs=_contract_a, read=STAFF_A),
    "contracts:value_change": Rule(
        kwargs=_contract_a, read=STAFF_A, write=STAFF_A, methods=("get", "post"),
        data=lambda w: {"soort": "meerwerk", "datum": "2024-06-01", "bedrag": "10000"},
    ),
    "contracts:intake": Rule(kwargs=_contract_a, read=SRTEAM_A),
    "contracts:contact": Rule(
        kwargs=_contract_a, write=SRTEAM_A, methods=("post",),
        data=lambda w: {"datum": "2024-02-05", "soort": "telefoon", "notitie": "matrix"},
    ),
    "contracts:plan_upload": Rule(
        kwargs=_contract_a, write=SRTEAM_A, methods=("post",),
        data=lambda w: {"bestand": SimpleUploadedFile("plan.pdf", TINY_PDF, content_type="application/pdf")},
    ),
    "contracts:plan_download": Rule(
        kwargs=_plan_a, read=frozenset({"inkoop_x", "srteam_x", "beheerder", "leverancier_a"}),
        note="whoever may see the contract, including its supplier",
    ),
    "contracts:invite": Rule(
        kwargs=_contract_a, write=SRTEAM_A, methods=("post",), data=lambda w: {"email": "matrix-nieuw@example.nl"},
    ),
    "contracts:exemption": Rule(
        kwargs=_contract_a, read=SRTEAM_A, write=SRTEAM_A, methods=("get", "post"),
        data=lambda w: {"soort": "volledig", "besluitdatum": "2024-03-01", "besloten_door": "Secretaris",
                        "reden": "Matrix", "bevestig": "1"},
    ),
    "contracts:settlement": Rule(
        kwargs=_contract_a, read=SRTEAM_A, write=SRTEAM_A, methods=("get", "post"),
        data=lambda w: {"besluit": "Matrix", "bevestigd": "on"},
    ),
}
