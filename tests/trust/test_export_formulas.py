"""Exports carry no live formulas (issue #11, item 6).

Text that a spreadsheet program would read as a formula (``=``, ``+``, ``-``, ``@``, a tab, a
carriage return at the start) arrives as harmless text in every CSV and .xlsx the portal writes:
the contract export (CSV and .xlsx), the processing-log export, open data and the import templates.
Numbers stay numbers. One helper decides: ``sroi_portal.spreadsheets.safe_cell``.
"""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from reporting.figures import recompute_contract_figures
from sroi_portal.models import Verwerking
from sroi_portal.spreadsheets import CsvWriter, csv_value, safe_cell, xlsx_cell
from tests.access.world import world  # noqa: F401  (fixture)
from tests.factories import LeverancierFactory, make_contract

HOSTILE = ['=HYPERLINK("http://x","klik")', "+1+1", "@SUM(A1)", "-2+3", "\tfoo", "\rfoo"]


def _harmless(value: str, original: str) -> bool:
    return value == "'" + original


# --- the helper ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text", HOSTILE)
def test_text_that_starts_like_a_formula_gets_an_apostrophe(text):
    assert safe_cell(text) == "'" + text
    assert csv_value(text) == "'" + text


def test_ordinary_text_and_numbers_are_left_alone():
    assert safe_cell("Groen & Grijs B.V.") == "Groen & Grijs B.V."
    assert safe_cell("a=b") == "a=b"
    assert safe_cell(Decimal("-2.50")) == Decimal("-2.50")  # a negative amount is a number, not text
    assert csv_value(Decimal("-2.50")) == "-2.50"
    assert csv_value(-3) == "-3" and csv_value(None) == "" and csv_value(date(2025, 1, 2)) == "2025-01-02"


def test_xlsx_cells_are_text_or_numbers_never_formulas():
    sheet = Workbook(write_only=True).create_sheet()
    formula = xlsx_cell(sheet, '=HYPERLINK("http://x","klik")')
    assert (formula.value, formula.data_type) == ('\'=HYPERLINK("http://x","klik")', "s")
    error_code = xlsx_cell(sheet, "#N/A")  # openpyxl would store this as an error value
    assert (error_code.value, error_code.data_type) == ("#N/A", "s")
    amount = xlsx_cell(sheet, Decimal("-2.50"))
    assert (amount.value, amount.data_type) == (Decimal("-2.50"), "n")


def test_the_csv_writer_streams_lines_and_writes_files():
    assert CsvWriter().writerow(["=1", Decimal("-1"), None]) == "'=1,-1,\r\n"
    buffer = io.StringIO()
    CsvWriter(buffer, delimiter=";").writerows([["+a", "b"]])
    assert buffer.getvalue() == "'+a;b\r\n"


# --- every export ---------------------------------------------------------------------------------

@pytest.fixture
def hostile_contracts(db, zoetermeer):
    """One contract per hostile text: as supplier name, description and reference."""
    contracts = []
    for n, text in enumerate(HOSTILE):
        leverancier = LeverancierFactory(kvk_nummer=f"9000000{n}", naam=text)
        contracts.append(make_contract(
            gemeente=zoetermeer, leverancier=leverancier, kenmerk=f"FORMULE-{n}", omschrijving=text,
            gunningsdatum=date(2024, 2, 1), startdatum=date(2024, 4, 1), einddatum=date(2026, 3, 31),
        ))
    recompute_contract_figures(today=date(2025, 6, 1))
    return contracts


def test_the_contract_csv_export_has_no_formulas(client, team, hostile_contracts):
    client.force_login(team["srteam"])
    response = client.get(reverse("reporting:export_csv"), {"gemeente": "GM0637"})
    text = b"".join(response.streaming_content).decode("utf-8")
    rows = {r["Kenmerk"]: r for r in csv.DictReader(io.StringIO(text, newline=""))}
    for n, original in enumerate(HOSTILE):
        row = rows[f"FORMULE-{n}"]
        assert _harmless(row["Leverancier"], original), row["Leverancier"]
        assert _harmless(row["Omschrijving"], original), row["Omschrijving"]
        assert row["Verplichting"] == "50000.00"  # numbers as written, no apostrophe


def test_the_contract_spreadsheet_has_text_cells_and_numbers(client, team, hostile_contracts):
    client.force_login(team["srteam"])
    response = client.get(reverse("reporting:export_xlsx"), {"gemeente": "GM0637"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    rows = {}
    for cells in sheet.iter_rows(min_row=2):
        row = dict(zip(header, cells))
        rows[row["Kenmerk"].value] = row
    for n, original in enumerate(HOSTILE):
        row = rows[f"FORMULE-{n}"]
        for column in ("Leverancier", "Omschrijving"):
            assert row[column].data_type == "s", (column, row[column].data_type)
            # XML reads a carriage return back as a line feed; the apostrophe is what matters
            assert _harmless(row[column].value, original.replace("\r", "\n")), (column, row[column].value)
        assert row["Verplichting"].data_type == "n" and row["Verplichting"].value == 50000


def test_the_processing_log_export_has_no_formulas(client, world):  # noqa: F811
    for n, text in enumerate(HOSTILE):
        Verwerking.objects.create(actor_label=text, activiteit="registratie-inzien", doel=text, grondslag="g",
                                  object_type="registratie", object_id=str(n), betrokkene=f"WSP-F{n}", pad=text)
    client.force_login(world.users["beheerder"])
    response = client.get(reverse("beheer:verwerkingen_csv"))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header, body = rows[0], rows[1:]
    by_subject = {row[header.index("Betrokkene")]: dict(zip(header, row)) for row in body}
    for n, original in enumerate(HOSTILE):
        row = by_subject[f"WSP-F{n}"]
        assert _harmless(row["Gebruiker"], original), row["Gebruiker"]


def test_open_data_has_no_formulas_and_keeps_numbers(client, hostile_contracts, zoetermeer):
    from contracts.models import Gemeente
    from reporting import opendata

    Gemeente.objects.filter(pk=zoetermeer.pk).update(naam='=HYPERLINK("http://x","klik")')
    zoetermeer.refresh_from_db()
    opendata.publish_version(gemeente=zoetermeer, jaar=2025, today=date(2026, 3, 1))
    response = client.get(reverse("reporting:open_data_csv", kwargs={"gemeentecode": "GM0637", "jaar": 2025}))
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode(), newline="")))
    assert rows and all(r["gemeente"] == '\'=HYPERLINK("http://x","klik")' for r in rows)
    verplichting = next(r for r in rows if r["indicator"] == "verplichting")
    assert Decimal(verplichting["waarde"]) > 0  # a figure, no apostrophe


def test_a_negative_open_data_figure_stays_a_number():
    from reporting import opendata

    cells = [{"indicator": "verschil", "categorie": "-2+3", "waarde": "-2.50", "eenheid": "euro", "onderdrukt": False}]
    meta = {"gemeentecode": "GM0637", "gemeente": "@SUM(A1)", "jaar": 2025, "versie": 1,
            "gepubliceerd_op": "2026-03-01T00:00:00+01:00", "peildatum": "2025-12-31"}
    row = next(csv.DictReader(io.StringIO(opendata.render_csv(cells, meta).decode(), newline="")))
    assert (row["waarde"], row["categorie"], row["gemeente"]) == ("-2.50", "'-2+3", "'@SUM(A1)")


def test_the_uwv_template_lists_region_names_as_text(db):
    from banenafspraak.imports import uwv_template

    lines = uwv_template(known_regions=["@SUM(A1)", "Zuid-Holland Centraal"]).splitlines()
    assert lines[1] == "'@SUM(A1);;;;" and lines[2] == "Zuid-Holland Centraal;;;;"
