"""Importing many contracts from a sheet: all rows checked, errors per row and column in Dutch, nothing
stored unless every row is right; the same obligation as entering one contract by hand."""

import io
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contracts import imports
from contracts.models import Contract, Leverancier
from tests.factories import make_contract

URL = reverse("contracts:import")
HEADER = list(imports.COLUMNS)


def row(**overrides):
    values = {
        "gemeente": "GM0637", "leverancierKvk": "12345678", "leverancierNaam": "", "kenmerk": "IMP-001",
        "omschrijving": "Groenonderhoud", "categorie": "diensten", "procedure": "europees",
        "gunningsdatum": "15-01-2024", "startdatum": "01-03-2024", "einddatum": "28-02-2026",
        "aanneemsom": "1.000.000,00", "loonsom": "400.000,00", "extraPercentage": "0", "seboKeurmerk": "nee",
    }
    values.update(overrides)
    return [values[column] for column in HEADER]


def csv_file(rows, name="contracten.csv", delimiter=";"):
    lines = [delimiter.join(HEADER)]
    for values in rows:
        lines.append(delimiter.join(f'"{v}"' if delimiter in str(v) else str(v) for v in values))
    return SimpleUploadedFile(name, ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"), content_type="text/csv")


def xlsx_file(rows, name="contracten.xlsx"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(),
                              content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def good_rows(n=3):
    return [row(kenmerk=f"IMP-{i:03d}") for i in range(1, n + 1)]


@pytest.fixture
def inkoop(team, zoetermeer, leverancier_a):
    return team["inkoop"]


@pytest.mark.parametrize("make_file", [csv_file, xlsx_file], ids=["csv", "xlsx"])
def test_a_good_sheet_creates_every_contract_with_the_obligation_of_a_hand_entered_one(
    inkoop_client, inkoop, zoetermeer, leverancier_a, make_file
):
    response = inkoop_client.post(URL, {"bestand": make_file(good_rows(3))})

    assert response.status_code == 200
    assert "3 contracten geïmporteerd." in response.content.decode()
    contracts = list(Contract.objects.order_by("kenmerk"))
    assert [c.kenmerk for c in contracts] == ["IMP-001", "IMP-002", "IMP-003"]
    by_hand = make_contract(gemeente=zoetermeer, leverancier=leverancier_a, kenmerk="HAND", categorie="diensten",
                            gunningsdatum=date(2024, 1, 15), startdatum=date(2024, 3, 1), einddatum=date(2026, 2, 28))
    for contract in contracts:
        assert contract.verplichting_bedrag == by_hand.verplichting_bedrag == Decimal("50000.00")
        assert contract.beleid_id == by_hand.beleid_id and contract.catalogus_id == by_hand.catalogus_id
        assert contract.aangemaakt_door == inkoop
        assert contract.history.count() == 1  # the audit trail records the import


@pytest.mark.parametrize("make_file", [csv_file, xlsx_file], ids=["csv", "xlsx"])
def test_one_bad_row_imports_nothing_and_names_its_row_and_column(inkoop_client, inkoop, make_file):
    rows = good_rows(3)
    rows[1] = row(kenmerk="IMP-002", loonsom="1.500.000,00")  # spreadsheet row 3

    response = inkoop_client.post(URL, {"bestand": make_file(rows)})

    assert response.status_code == 400
    assert not Contract.objects.exists()
    errors = response.context["errors"]
    assert [(e.rij, e.kolom) for e in errors] == [(3, "loonsom")]
    assert errors[0].melding == "De loonsom mag niet hoger zijn dan de aanneemsom."
    page = response.content.decode()
    assert "Er is niets opgeslagen." in page
    assert "De loonsom mag niet hoger zijn dan de aanneemsom." in page


def test_every_bad_cell_is_reported_in_dutch(inkoop_client, inkoop):
    rows = [
        row(kenmerk="A", aanneemsom="veel geld"),
        row(kenmerk="B", gunningsdatum="2024-13-45", categorie="bouw"),
        row(kenmerk="C", leverancierKvk="1234"),
        row(kenmerk="D", omschrijving="=HYPERLINK(\"http://x\")"),
        row(kenmerk="E", gemeente="GM1621"),  # a municipality inkoop does not work for
        row(kenmerk="F", leverancierKvk="99999999"),  # unknown supplier without a name
        row(kenmerk="", einddatum="01-01-2024"),
        row(kenmerk="G", aanneemsom="1.000,005"),
        row(kenmerk="H", seboKeurmerk="misschien", extraPercentage="150"),
    ]
    response = inkoop_client.post(URL, {"bestand": csv_file(rows)})

    found = {(e.rij, e.kolom): e.melding for e in response.context["errors"]}
    assert found[(2, "aanneemsom")] == "Geen geldig getal: ‘veel geld’."
    assert found[(3, "gunningsdatum")].startswith("Geen geldige datum: ‘2024-13-45’.")
    assert found[(3, "categorie")].startswith("Onbekende waarde ‘bouw’")
    assert found[(4, "leverancierKvk")] == "Een KvK-nummer bestaat uit precies 8 cijfers."
    assert found[(5, "omschrijving")] == "Formules zijn niet toegestaan; vul de waarde zelf in."
    assert found[(6, "gemeente")].startswith("Onbekende gemeente ‘GM1621’")
    assert found[(7, "leverancierNaam")] == "KvK-nummer 99999999 is nog niet bekend: vul de naam van de leverancier in."
    assert found[(8, "kenmerk")] == "Dit veld is verplicht."
    assert found[(9, "aanneemsom")] == "Een bedrag heeft hoogstens 2 decimalen."
    assert found[(10, "seboKeurmerk")] == "Vul ja of nee in."
    assert found[(10, "extraPercentage")] == "Het extra percentage ligt tussen 0 en 100."
    assert not Contract.objects.exists()


def test_formulas_in_an_xlsx_are_refused_but_negative_numbers_are_numbers(inkoop_client, inkoop):
    rows = [row(kenmerk="A", aanneemsom="=1000*1000"), row(kenmerk="B", loonsom="-400"), row(kenmerk="@SUM(A1)")]
    response = inkoop_client.post(URL, {"bestand": xlsx_file(rows)})

    found = {(e.rij, e.kolom): e.melding for e in response.context["errors"]}
    assert found[(2, "aanneemsom")] == "Formules zijn niet toegestaan; vul de waarde zelf in."
    assert found[(3, "loonsom")] == "Het bedrag mag niet negatief zijn."
    assert found[(4, "kenmerk")] == "Formules zijn niet toegestaan; vul de waarde zelf in."
    assert not Contract.objects.exists()


def test_duplicate_kenmerken_in_the_file_and_in_the_database_are_refused(inkoop_client, inkoop, zoetermeer, leverancier_a):
    make_contract(gemeente=zoetermeer, leverancier=leverancier_a, kenmerk="BESTAAT")
    rows = [row(kenmerk="NIEUW"), row(kenmerk="NIEUW"), row(kenmerk="BESTAAT")]

    response = inkoop_client.post(URL, {"bestand": csv_file(rows)})

    found = {(e.rij, e.kolom): e.melding for e in response.context["errors"]}
    assert found == {
        (3, "kenmerk"): "Dit kenmerk staat voor deze gemeente ook in rij 2.",
        (4, "kenmerk"): "Deze gemeente heeft al een contract met dit kenmerk.",
    }
    assert Contract.objects.count() == 1


def test_a_new_supplier_named_in_several_rows_is_created_once(inkoop_client, inkoop):
    rows = [row(kenmerk="A", leverancierKvk="44556677", leverancierNaam="Nieuw Groen B.V."),
            row(kenmerk="B", leverancierKvk="44556677")]

    response = inkoop_client.post(URL, {"bestand": csv_file(rows)})

    assert "1 nieuwe leverancier aangemaakt." in response.content.decode()
    supplier = Leverancier.objects.get(kvk_nummer="44556677")
    assert supplier.naam == "Nieuw Groen B.V."
    assert set(supplier.contracten.values_list("kenmerk", flat=True)) == {"A", "B"}


def test_spreadsheet_cells_as_numbers_and_dates_and_iso_notation_are_read(inkoop_client, inkoop, leverancier_a):
    rows = [row(kenmerk="NUM", leverancierKvk=12345678, gunningsdatum=datetime(2024, 1, 15), startdatum="2024-03-01",
                einddatum=date(2026, 2, 28), aanneemsom=1000000, loonsom=400000.5, extraPercentage=1.5,
                seboKeurmerk=True, procedure="Meervoudig onderhands")]

    response = inkoop_client.post(URL, {"bestand": xlsx_file(rows)})

    assert response.status_code == 200, response.context["errors"]
    contract = Contract.objects.get()
    assert contract.loonsom == Decimal("400000.50") and contract.extra_percentage == Decimal("1.50")
    assert contract.sebo_keurmerk and contract.procedure == "meervoudig_onderhands"
    assert contract.verplichting_status == "voldaan_via_sebo"


def test_a_comma_separated_csv_with_international_notation_is_read(inkoop_client, inkoop):
    response = inkoop_client.post(URL, {"bestand": csv_file([row(aanneemsom="1000000.00", loonsom="400000")], delimiter=",")})

    assert response.status_code == 200
    assert Contract.objects.get().aanneemsom == Decimal("1000000.00")


def test_a_file_over_the_size_limit_is_refused(inkoop_client, inkoop, settings):
    settings.SROI_IMPORT_MAX_BYTES = 1024
    big = csv_file(good_rows(30))
    assert big.size > 1024

    response = inkoop_client.post(URL, {"bestand": big})

    assert response.status_code == 400
    assert "Het bestand is te groot" in response.context["refused"]
    assert not Contract.objects.exists()


def test_too_many_rows_are_refused(inkoop_client, inkoop, settings):
    settings.SROI_IMPORT_MAX_ROWS = 3

    response = inkoop_client.post(URL, {"bestand": csv_file(good_rows(4))})

    assert response.context["refused"] == "Het bestand heeft meer dan 3 rijen; splits het in kleinere bestanden."
    assert not Contract.objects.exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("oud.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 100), "Het oude Excel-formaat (.xls) wordt niet ondersteund"),
        (SimpleUploadedFile("plaatje.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 50), "Lever een .xlsx- of .csv-bestand aan."),
        (SimpleUploadedFile("kapot.xlsx", b"PK\x03\x04 kapot"), "Het bestand kan niet worden gelezen als Excel-bestand"),
        (SimpleUploadedFile("kop.csv", b"gemeente;kenmerk;bedrag\r\nGM0637;A;1\r\n"), "Onbekende kolom(men) in rij 1: bedrag."),
        (SimpleUploadedFile("leeg.csv", ";".join(imports.COLUMNS).encode()), "Het bestand bevat geen contracten"),
    ],
)
def test_unreadable_files_are_refused_with_a_dutch_reason(inkoop_client, inkoop, upload, message):
    response = inkoop_client.post(URL, {"bestand": upload})

    assert response.status_code == 400
    assert message in response.context["refused"]
    assert message.split("(")[0] in response.content.decode()


def test_the_import_runs_a_fixed_number_of_queries(inkoop, django_assert_max_num_queries, zoetermeer):
    """Checking and storing 200 rows costs about as many queries as 2: lookups are loaded once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def run(n, prefix):
        rows = [row(kenmerk=f"{prefix}-{i}", leverancierKvk=f"{70000000 + i}", leverancierNaam=f"L {i}") for i in range(n)]
        with CaptureQueriesContext(connection) as queries:
            result = imports.import_contracts(upload=csv_file(rows), user=inkoop)
        assert result.ok and len(result.created) == n
        return len(queries)

    small, large = run(2, "S"), run(200, "L")
    assert large <= small + 4  # a bulk insert per 1000 rows, never a query per row


def test_the_templates_have_the_api_field_names_as_columns(inkoop_client, inkoop):
    xlsx = inkoop_client.get(reverse("contracts:import_template", args=["xlsx"]))
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert [cell.value for cell in workbook.worksheets[0][1]] == HEADER
    assert xlsx["Content-Disposition"] == 'attachment; filename="sjabloon-contracten.xlsx"'

    csv = inkoop_client.get(reverse("contracts:import_template", args=["csv"]))
    assert csv.content.decode("utf-8-sig").strip() == ";".join(HEADER)


def test_the_downloaded_template_filled_in_imports(inkoop_client, inkoop):
    workbook = openpyxl.load_workbook(io.BytesIO(inkoop_client.get(reverse("contracts:import_template", args=["xlsx"])).content))
    workbook.worksheets[0].append(row(kenmerk="SJABLOON"))
    buffer = io.BytesIO()
    workbook.save(buffer)

    response = inkoop_client.post(URL, {"bestand": SimpleUploadedFile("ingevuld.xlsx", buffer.getvalue())})

    assert response.status_code == 200
    assert Contract.objects.get().kenmerk == "SJABLOON"


@pytest.mark.parametrize(
    ("text", "amount"),
    [("1.234,56", "1234.56"), ("1234,5", "1234.50"), ("1234.56", "1234.56"), ("1.234", "1234.00"),
     ("€ 1.234.567", "1234567.00"), ("1,234.56", "1234.56"), ("0", "0.00"), (1234.5, "1234.50")],
)
def test_amounts_in_dutch_and_international_notation(text, amount):
    assert imports.parse_amount(text) == Decimal(amount)


@pytest.mark.parametrize("text", ["1.23.4", "12,34,5", "abc", "1e5", "--5", "1.234,5.6"])
def test_malformed_amounts_are_refused(text):
    with pytest.raises(imports.CellError):
        imports.parse_amount(text)
