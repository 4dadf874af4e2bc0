"""Records whose author was removed (the user deleted: the foreign key is set to NULL) or never set
(demo data, imports) still show on the staff pages, with "–" for the author (was a 500)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from contracts.models import ContactMoment, ContractWijziging, PlanVanAanpak


@pytest.mark.django_db
def test_a_value_change_without_author_shows_on_the_contract_page(inkoop_client, contract):
    ContractWijziging.objects.create(
        contract=contract, soort="meerwerk", datum=date(2024, 6, 1), bedrag=Decimal("10000.00"),
        toelichting="Meerwerk fundering", geregistreerd_door=None,
    )
    response = inkoop_client.get(reverse("contracts:detail", args=[contract.pk]))
    assert response.status_code == 200
    assert "Meerwerk fundering" in response.content.decode()


@pytest.mark.django_db
def test_contact_and_a_plan_without_author_show_on_the_intake_page(srteam_client, contract):
    ContactMoment.objects.create(contract=contract, datum=date(2024, 2, 5), soort="telefoon", notitie="Gebeld", door=None)
    PlanVanAanpak.objects.create(
        contract=contract, bestand=ContentFile(b"%PDF-1.4\n%%EOF\n", name="plan.pdf"), oorspronkelijke_naam="plan.pdf",
        grootte=15, omschrijving="Plan 2024", geupload_door=None,
    )
    response = srteam_client.get(reverse("contracts:intake", args=[contract.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Gebeld" in page and "plan.pdf" in page
