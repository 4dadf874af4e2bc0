"""The list pages run a fixed number of queries, however many rows they show."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bouwblokken import services as registration_services
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.factories import LeverancierFactory, make_contract

from .conftest import invoice, placement

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MAX_QUERIES = 14


def add_contracts(gemeenten, n, start):
    made = []
    for i in range(start, start + n):
        contract = make_contract(gemeente=gemeenten[i % len(gemeenten)], leverancier=LeverancierFactory(),
                                 kenmerk=f"Q-{i:03d}")
        registratie = placement(contract, referentie=f"WSP-Q{i}")
        registration_services.add_evidence(
            registratie=registratie, bestand=SimpleUploadedFile(f"bewijs-{i}.pdf", PDF, content_type="application/pdf"),
            soort="arbeidsovereenkomst")
        invoice(contract)
        made.append(contract)
    return made


def count(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries)


def test_list_pages_run_a_fixed_number_of_queries(srteam_client, zoetermeer, lansingerland, django_assert_max_num_queries):
    gemeenten = [zoetermeer, lansingerland]
    add_contracts(gemeenten, 2, 0)
    pages = [
        (reverse("contracts:list"), None),
        (reverse("contracts:list"), {"status": "achter"}),
        (reverse("contracts:inbox"), None),
        (reverse("controle:queue"), None),
    ]
    few = [count(srteam_client, url, params) for url, params in pages]

    add_contracts(gemeenten, 12, 2)
    many = [count(srteam_client, url, params) for url, params in pages]

    assert many == few, f"queries grow with the rows: {few} -> {many}"
    for url, params in pages:
        with django_assert_max_num_queries(MAX_QUERIES):
            srteam_client.get(url, params or {})
