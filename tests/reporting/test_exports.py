"""Exports: the SR-team's contract list as .xlsx and .csv (filters as on screen, own scope only).
The public open data is tested in test_open_data.py."""

import csv
import io
from datetime import date
from decimal import Decimal

from django.urls import reverse
from openpyxl import load_workbook

from reporting.figures import recompute_contract_figures, recompute_placement_figures
from tests.factories import make_contract

from .conftest import place


def _setup(zoetermeer, lansingerland, leverancier_a, leverancier_b):
    ours = make_contract(gemeente=zoetermeer, leverancier=leverancier_a, kenmerk="ZM-EXPORT-1")
    place(ours, start=date(2025, 1, 1), end=date(2025, 12, 31))
    other = make_contract(gemeente=zoetermeer, leverancier=leverancier_b, kenmerk="ZM-EXPORT-2")
    lansing = make_contract(gemeente=lansingerland, leverancier=leverancier_a, kenmerk="LS-EXPORT-1")
    recompute_contract_figures(today=date(2026, 11, 22))
    recompute_placement_figures()
    return ours, other, lansing


def _csv(response):
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_csv_export_follows_the_filters(client, team, zoetermeer, lansingerland, leverancier_a, leverancier_b):
    _setup(zoetermeer, lansingerland, leverancier_a, leverancier_b)
    client.force_login(team["srteam"])
    rows = _csv(client.get(reverse("reporting:export_csv")))
    assert {r["Kenmerk"] for r in rows} == {"ZM-EXPORT-1", "ZM-EXPORT-2", "LS-EXPORT-1"}
    rows = _csv(client.get(reverse("reporting:export_csv"), {"gemeente": "GM0637", "leverancier": "12345678"}))
    assert [r["Kenmerk"] for r in rows] == ["ZM-EXPORT-1"]
    row = rows[0]
    # The placement of 2025 has ended: all of it is realised, and committed (approved) is the same.
    assert (row["Verplichting"], row["Gerealiseerd"], row["Toegezegd (goedgekeurd)"], row["Status"]) == (
        "50000.00", "40000.00", "40000.00", "achter")
    assert row["Status (tekst)"] == "Achter op schema"
    assert [r["Kenmerk"] for r in _csv(client.get(reverse("reporting:export_csv"), {"status": "voldaan"}))] == []


def test_a_year_exports_the_contracts_of_that_year(client, team, zoetermeer, lansingerland, leverancier_a, leverancier_b):
    _setup(zoetermeer, lansingerland, leverancier_a, leverancier_b)
    client.force_login(team["srteam"])
    rows = _csv(client.get(reverse("reporting:export_csv"), {"jaar": "2025", "gemeente": "GM0637"}))
    ours = next(r for r in rows if r["Kenmerk"] == "ZM-EXPORT-1")
    assert ours["Jaar"] == "2025" and ours["Gerealiseerd in het jaar"] == "40000.00"


def test_inkoop_exports_only_its_own_municipality(client, team, zoetermeer, lansingerland, leverancier_a, leverancier_b):
    _setup(zoetermeer, lansingerland, leverancier_a, leverancier_b)
    client.force_login(team["inkoop"])  # Zoetermeer only
    refused = client.get(reverse("reporting:export_csv"), {"gemeente": "GM1621"})
    assert refused.status_code == 400  # Lansingerland is not a choice for inkoop
    rows = _csv(client.get(reverse("reporting:export_csv")))
    assert {r["Gemeentecode"] for r in rows} == {"GM0637"}


def test_the_spreadsheet_has_numbers_as_numbers(client, team, zoetermeer, lansingerland, leverancier_a, leverancier_b):
    _setup(zoetermeer, lansingerland, leverancier_a, leverancier_b)
    client.force_login(team["srteam"])
    response = client.get(reverse("reporting:export_xlsx"), {"gemeente": "GM0637"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="contracten-GM0637-' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, [c.value for c in row])) for row in sheet.iter_rows(min_row=2)]
    ours = next(r for r in rows if r["Kenmerk"] == "ZM-EXPORT-1")
    assert ours["Verplichting"] == Decimal("50000.00") or ours["Verplichting"] == 50000
    assert ours["Gunningsdatum"].date() == date(2024, 2, 1)


def test_suppliers_and_council_members_cannot_export(client, team):
    for role in ("leverancier_a", "raadslid"):
        client.force_login(team[role])
        assert client.get(reverse("reporting:export_csv")).status_code == 403
