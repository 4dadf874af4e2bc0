"""Access rules for the reporting pages (/rapportage/) and the council figures API.

- Council dashboard, PDF reports and the API: who may see the municipality's aggregates
  (raadslid, SR-team and inkoop of Zoetermeer, the administrator); ``srteam_other`` works for
  Utrecht and gets a 404 for Zoetermeer.
- Exports: staff with contracts (SR-team, inkoop, administrator), each within their own scope.
- Open data: public on purpose (stored versions of aggregates, small counts suppressed); publishing a
  version or a correction: the administrator only.
- Stories: suppliers (their own contracts) and the SR-team (its municipalities) submit; the
  SR-team of the municipality (and the administrator) reviews.
- Follow-ups of placements: the supplier of the placement (``registraties_for(write=True)``).
- SR-team budget: SR-team and administrator.
"""

from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from tests.access.rules import ALL_SIGNED_IN, Rule

COUNCIL_X = frozenset({"inkoop_x", "srteam_x", "raadslid_x", "beheerder"})
COUNCIL_ANY = frozenset({"inkoop_x", "srteam_x", "srteam_other", "raadslid_x", "beheerder"})
EXPORTERS = frozenset({"inkoop_x", "srteam_x", "srteam_other", "beheerder"})
STORY_USERS = frozenset({"leverancier_a", "leverancier_b", "srteam_x", "srteam_other", "beheerder"})
SUPPLIER_PAGES = frozenset({"leverancier_a", "leverancier_b", "beheerder"})
SUPPLIER_A = frozenset({"leverancier_a", "beheerder"})
TEAM = frozenset({"srteam_x", "srteam_other", "beheerder"})
TEAM_X = frozenset({"srteam_x", "beheerder"})

YEAR = 2025


def _zoetermeer_year(w):
    return {"gemeentecode": w.zoetermeer.code, "jaar": YEAR}


def _published_year(w):
    """Zoetermeer's open data for 2025, version 1 published (as on 1 March 2026)."""
    from reporting.opendata import publish_version

    publish_version(gemeente=w.zoetermeer, jaar=YEAR, today=date(2026, 3, 1), only_first=True)
    return _zoetermeer_year(w)


def _report(w):
    """A finished council report for Zoetermeer (a tiny PDF in the world's private storage)."""
    from reporting.models import Raadsrapportage, RapportStatus

    report = Raadsrapportage.objects.filter(gemeente=w.zoetermeer, jaar=YEAR).first()
    if report is None:
        report = Raadsrapportage(gemeente=w.zoetermeer, jaar=YEAR, status=RapportStatus.KLAAR,
                                 gereed_op=timezone.now(), gegevensversie="matrix")
        report.bestand.save("matrix.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
        report.save()
    return {"pk": report.pk}


def _story(w):
    """A submitted story of leverancier_a on contract_a (Zoetermeer)."""
    from reporting.models import Verhaal

    story = Verhaal.objects.filter(contract=w.contract_a).first()
    if story is None:
        story = Verhaal.objects.create(
            gemeente=w.zoetermeer, contract=w.contract_a, jaar=YEAR, titel="Matrixverhaal", tekst="Anoniem verhaal.",
            toestemming=True, toestemming_op=date(YEAR, 6, 1), ingediend_door=w.users["leverancier_a"],
        )
    return {"pk": story.pk}


def _approved_placement(w):
    """An approved placement of leverancier_a (the follow-up belongs to it)."""
    from bouwblokken import services
    from bouwblokken.models import Registratie

    placement = Registratie.objects.filter(contract=w.contract_a, status="goedgekeurd", bouwblok__soort="plaatsing").first()
    if placement is None:
        placement = services.register(
            contract=w.contract_a, bouwblok_code="ww", user=w.users["leverancier_a"],
            kandidaat={"referentie": "WSP-A-VERVOLG", "initialen": "V.", "geboortejaar": 1988},
            startdatum=date(2024, 6, 1), einddatum=date(2025, 5, 31), uren_per_week=Decimal("36"),
        )
        services.submit(registratie=placement)
        placement = services.decide(registratie=placement, besluit="goedgekeurd", user=w.users["srteam_x"],
                                    reden_zonder_bewijs="Bewijs buiten het portaal gezien.")
    return {"registratie_id": placement.pk}


ENTRIES = {
    "reporting:index": Rule(read=COUNCIL_ANY, ok_status=302,
                            note="without a choice: to the council's index (/raad/); with one: to its page"),
    "reporting:dashboard": Rule(kwargs=_zoetermeer_year, read=COUNCIL_X),
    "reporting:rapport_aanvragen": Rule(kwargs=_zoetermeer_year, write=COUNCIL_X, methods=("post",)),
    "reporting:rapport": Rule(kwargs=_report, read=COUNCIL_X),
    "reporting:rapport_download": Rule(kwargs=_report, read=COUNCIL_X, note="private storage, permission-checked"),
    "reporting:export": Rule(read=EXPORTERS),
    "reporting:export_csv": Rule(read=EXPORTERS, query="jaar=2025"),
    "reporting:export_xlsx": Rule(read=EXPORTERS),
    "reporting:open_data": Rule(read=ALL_SIGNED_IN, public=True, note="open data: public on purpose"),
    "reporting:open_data_csv": Rule(kwargs=_published_year, read=ALL_SIGNED_IN, public=True,
                                    note="the latest stored version; path kept for outside clients"),
    "reporting:open_data_json": Rule(kwargs=_published_year, read=ALL_SIGNED_IN, public=True),
    "reporting:open_data_versies": Rule(kwargs=_published_year, read=ALL_SIGNED_IN, public=True,
                                        note="versions of a year; the publish form only for the administrator"),
    "reporting:open_data_versie_csv": Rule(kwargs=lambda w: {**_published_year(w), "versie": 1},
                                           read=ALL_SIGNED_IN, public=True),
    "reporting:open_data_versie_json": Rule(kwargs=lambda w: {**_published_year(w), "versie": 1},
                                            read=ALL_SIGNED_IN, public=True),
    "reporting:open_data_publiceren": Rule(kwargs=_published_year, write=frozenset({"beheerder"}), methods=("post",),
                                           data=lambda w: {"toelichting": "Correctie"},
                                           note="a new version (the administrator only)"),
    "reporting:verhalen": Rule(read=STORY_USERS),
    "reporting:verhaal_nieuw": Rule(
        read=STORY_USERS, write=STORY_USERS, methods=("get", "post"),
        data=lambda w: {"contract": w.contract_a.pk, "gemeente": w.zoetermeer.pk, "jaar": YEAR, "titel": "Poging",
                        "tekst": "Tekst", "toestemming": "on", "toestemming_op": "2025-06-01"},
    ),
    "reporting:verhaal": Rule(
        kwargs=_story, read=frozenset({"leverancier_a"}) | TEAM_X, write=TEAM_X, methods=("get", "post"),
        data=lambda w: {"besluit": "goedgekeurd", "toelichting": ""},
        note="the supplier reads its own story; only the SR-team of the municipality decides",
    ),
    "reporting:vervolg_lijst": Rule(read=SUPPLIER_PAGES),
    "reporting:vervolg": Rule(
        kwargs=_approved_placement, read=SUPPLIER_A, write=SUPPLIER_A, methods=("get", "post"),
        data=lambda w: {"vast_contract": "ja", "in_dienst_na_12_maanden": "ja"},
    ),
    "reporting:teambudget": Rule(
        read=TEAM, write=TEAM, methods=("get", "post"),
        data=lambda w: {"gemeente": w.zoetermeer.pk, "jaar": YEAR, "bedrag": "1000", "toelichting": ""},
    ),
    "api:raadsrapportage-list": Rule(kwargs=lambda w: {"gemeentecode": w.zoetermeer.code}, read=COUNCIL_X),
    "api:raadsrapportage-detail": Rule(kwargs=_zoetermeer_year, read=COUNCIL_X),
}
