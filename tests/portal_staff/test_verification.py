"""The SR-team's verification queue: oldest first, filters, evidence beside the registration, decisions
with a reason the supplier sees, asking for more information, bulk approval (all or nothing), flags."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from bouwblokken import services as registration_services
from bouwblokken.models import Beoordeling, Registratie
from tests.factories import make_contract

from .conftest import invoice, placement

QUEUE = reverse("controle:queue")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def submitted_at(registratie, days_ago):
    Registratie.objects.filter(pk=registratie.pk).update(ingediend_op=timezone.now() - timedelta(days=days_ago))
    registratie.refresh_from_db()
    return registratie


@pytest.fixture
def queue_world(team, zoetermeer, lansingerland, leverancier_a, leverancier_b):
    contract_a = make_contract(gemeente=zoetermeer, leverancier=leverancier_a, kenmerk="ZM-A")
    contract_b = make_contract(gemeente=lansingerland, leverancier=leverancier_b, kenmerk="LS-B")
    newest = submitted_at(invoice(contract_a, bedrag=Decimal("1000.00")), 1)
    oldest = submitted_at(placement(contract_b, referentie="WSP-OLD"), 10)
    middle = submitted_at(placement(contract_a, referentie="WSP-MID", code="ww"), 5)
    concept = invoice(contract_a, submit=False)
    return {"a": contract_a, "b": contract_b, "newest": newest, "oldest": oldest, "middle": middle, "concept": concept}


def test_the_queue_shows_submitted_registrations_oldest_first(srteam_client, queue_world):
    response = srteam_client.get(QUEUE)

    assert response.status_code == 200
    assert [r.pk for r in response.context["rows"]] == [
        queue_world["oldest"].pk, queue_world["middle"].pk, queue_world["newest"].pk
    ]
    page = response.content.decode()
    assert "WSP-OLD" in page and "Geen bewijsstukken" in page


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (lambda w: {"gemeente": w["a"].gemeente_id}, ["middle", "newest"]),
        (lambda w: {"leverancier": w["b"].leverancier_id}, ["oldest"]),
        (lambda w: {"bouwblok": "ww"}, ["middle"]),
        (lambda w: {"status": "concept"}, ["concept"]),
        (lambda w: {"contract": w["a"].pk, "status": ""}, ["middle", "newest", "concept"]),
    ],
)
def test_the_queue_filters(srteam_client, queue_world, params, expected):
    response = srteam_client.get(QUEUE, params(queue_world))

    assert [r.pk for r in response.context["rows"]] == [queue_world[name].pk for name in expected]


def test_the_queue_is_paginated_by_fifty(srteam_client, queue_world):
    for _i in range(50):
        invoice(queue_world["a"])
    first = srteam_client.get(QUEUE)
    second = srteam_client.get(QUEUE, {"pagina": 2})

    assert len(first.context["rows"]) == 50 and len(second.context["rows"]) == 3
    assert "Volgende pagina" in first.content.decode()


def test_the_queue_only_holds_the_teams_own_municipalities(client, team, queue_world):
    from sroi_portal.models import Role
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="sr_zm", role=Role.SR_TEAM, gemeenten=[queue_world["a"].gemeente]))
    response = client.get(QUEUE)
    assert [r.pk for r in response.context["rows"]] == [queue_world["middle"].pk, queue_world["newest"].pk]
    assert client.get(reverse("controle:registratie", args=[queue_world["oldest"].pk])).status_code == 404


def test_evidence_is_listed_beside_the_registration(srteam_client, team, queue_world):
    registratie = queue_world["middle"]
    bewijs = registration_services.add_evidence(
        registratie=registratie, user=team["leverancier_a"], soort="overig",
        bestand=SimpleUploadedFile("loonstrook-mei.pdf", PDF, content_type="application/pdf"),
    )
    queue_page = srteam_client.get(QUEUE).content.decode()
    detail = srteam_client.get(reverse("controle:registratie", args=[registratie.pk])).content.decode()

    assert "loonstrook-mei.pdf" in queue_page and "loonstrook-mei.pdf" in detail
    evidence_url = reverse("bouwblokken:bewijs", kwargs={"pk": bewijs.pk})
    assert f'href="{evidence_url}"' in detail


def test_approving_a_registration_counts_it_as_realised(srteam_client, team, queue_world):
    registratie = queue_world["middle"]
    response = srteam_client.post(reverse("controle:decide", args=[registratie.pk]),
                                  {"besluit": "goedgekeurd", "versie": registratie.versie,
                                   "reden_zonder_bewijs": "Bewijs buiten het portaal gezien."})

    assert response.status_code == 302
    registratie.refresh_from_db()
    assert registratie.status == "goedgekeurd" and registratie.beoordeeld_door == team["srteam"]
    detail = srteam_client.get(reverse("contracts:detail", args=[queue_world["a"].pk]))
    assert detail.context["figures"].goedgekeurd == registratie.waarde


def test_rejecting_needs_a_reason_which_the_supplier_sees(srteam_client, client, team, queue_world):
    registratie = queue_world["middle"]
    url = reverse("controle:decide", args=[registratie.pk])

    refused = srteam_client.post(url, {"besluit": "afgekeurd", "toelichting": " ", "versie": registratie.versie})
    assert refused.status_code == 400
    assert "Geef de reden; de leverancier ziet die." in refused.content.decode()
    registratie.refresh_from_db()
    assert registratie.status == "ingediend"

    srteam_client.post(url, {"besluit": "afgekeurd", "toelichting": "Loonstroken ontbreken", "versie": registratie.versie})
    registratie.refresh_from_db()
    assert registratie.status == "afgekeurd" and registratie.beoordeling_toelichting == "Loonstroken ontbreken"
    client.force_login(team["leverancier_a"])
    supplier_page = client.get(reverse("bouwblokken:registratie", args=[registratie.pk])).content.decode()
    assert "Loonstroken ontbreken" in supplier_page


def test_asking_for_more_information_is_a_decision_of_its_own_and_sends_it_back_to_concept(srteam_client, queue_world):
    registratie = queue_world["middle"]
    srteam_client.post(reverse("controle:decide", args=[registratie.pk]),
                       {"besluit": "meer_informatie", "toelichting": "Stuur de arbeidsovereenkomst mee.",
                        "versie": registratie.versie})

    registratie.refresh_from_db()
    assert registratie.status == "concept"  # not a rejection: the supplier supplements and resubmits
    assert registratie.meer_informatie_gevraagd
    assert registratie.beoordeling_toelichting == "Stuur de arbeidsovereenkomst mee."  # no prefix
    assert registratie.beoordelingen.get().besluit == "meer_informatie"


def test_a_decision_on_a_changed_registration_is_refused(srteam_client, queue_world):
    registratie = queue_world["middle"]
    response = srteam_client.post(reverse("controle:decide", args=[registratie.pk]),
                                  {"besluit": "goedgekeurd", "versie": registratie.versie - 1})

    assert response.status_code == 400
    assert "intussen gewijzigd" in response.content.decode()
    registratie.refresh_from_db()
    assert registratie.status == "ingediend"


def test_bulk_approval_asks_for_confirmation_then_approves_all(srteam_client, team, queue_world):
    chosen = [queue_world["oldest"], queue_world["newest"]]
    data = {"registraties": [r.pk for r in chosen], **{f"versie_{r.pk}": r.versie for r in chosen}}

    confirm = srteam_client.post(reverse("controle:bulk_approve"), data)
    assert confirm.status_code == 200
    assert "U keurt 2 registraties goed" in confirm.content.decode()
    assert Registratie.objects.filter(status="goedgekeurd").count() == 0

    done = srteam_client.post(reverse("controle:bulk_approve"),
                              {**data, "bevestig": "1", "reden_zonder_bewijs": "Bewijs buiten het portaal gezien."})
    assert done.status_code == 302
    assert set(Registratie.objects.filter(status="goedgekeurd").values_list("pk", flat=True)) == {r.pk for r in chosen}
    assert Beoordeling.objects.filter(door=team["srteam"], besluit="goedgekeurd").count() == 2


def test_bulk_approval_is_all_or_nothing(srteam_client, queue_world):
    chosen = [queue_world["oldest"], queue_world["middle"], queue_world["concept"]]
    data = {"registraties": [r.pk for r in chosen], "bevestig": "1", **{f"versie_{r.pk}": r.versie for r in chosen}}

    response = srteam_client.post(reverse("controle:bulk_approve"), data, follow=True)

    assert "Er is niets goedgekeurd" in response.content.decode()
    assert not Registratie.objects.filter(status="goedgekeurd").exists()
    assert not Beoordeling.objects.exists()


def test_bulk_approval_with_a_registration_outside_the_teams_scope_changes_nothing(client, queue_world):
    from sroi_portal.models import Role
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="sr_zm", role=Role.SR_TEAM, gemeenten=[queue_world["a"].gemeente]))
    ids = [queue_world["middle"].pk, queue_world["oldest"].pk]  # "oldest" is in Lansingerland
    response = client.post(reverse("controle:bulk_approve"), {"registraties": ids, "bevestig": "1"})

    assert response.status_code == 403
    assert not Registratie.objects.filter(status="goedgekeurd").exists()


def test_overlap_flags_are_shown_in_the_queue_and_the_confirmation(srteam_client, queue_world):
    kandidaat = {"referentie": "WSP-DUBBEL", "initialen": "D.", "geboortejaar": 1975}
    first = registration_services.submit(registratie=registration_services.register(
        contract=queue_world["a"], bouwblok_code="participatiewet", kandidaat=kandidaat,
        startdatum=date(2024, 6, 1), einddatum=date(2025, 5, 31), uren_per_week=Decimal("32")))
    second = registration_services.submit(registratie=registration_services.register(
        contract=queue_world["b"], bouwblok_code="participatiewet", kandidaat=kandidaat,
        startdatum=date(2024, 9, 1), einddatum=date(2025, 8, 31), uren_per_week=Decimal("32")))

    page = srteam_client.get(QUEUE).content.decode()
    assert page.count("Dezelfde kandidaat telt al mee voor overlappende maanden") == 2
    assert f"registratie {second.pk} bij contract LS-B" in page
    confirm = srteam_client.post(reverse("controle:bulk_approve"), {"registraties": [first.pk]})
    assert "Let op: 1 registratie heeft een signaal" in confirm.content.decode()


def test_the_registration_page_shows_its_history_and_decisions(srteam_client, team, queue_world):
    registratie = queue_world["middle"]
    registration_services.decide(registratie=registratie, besluit="afgekeurd", toelichting="Te weinig uren",
                                 user=team["srteam"])

    page = srteam_client.get(reverse("controle:registratie", args=[registratie.pk])).content.decode()

    assert "Te weinig uren" in page
    assert "Registratie gewijzigd" in page
    assert "Ingediend → Afgekeurd" in page  # the status change as a field diff
    assert "srteam" in page


def test_only_the_srteam_uses_the_queue(client, team, queue_world):
    for role in ("inkoop", "leverancier_a", "raadslid"):
        client.force_login(team[role])
        assert client.get(QUEUE).status_code == 403
        assert client.post(reverse("controle:decide", args=[queue_world["middle"].pk]),
                           {"besluit": "goedgekeurd", "versie": 99}).status_code in (403, 404)
    assert not Beoordeling.objects.exists()
