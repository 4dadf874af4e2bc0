"""Inkoop's main flow in a real browser: enter an awarded contract, see its obligation before saving,
save it; import a sheet where one bad row stops everything, then the corrected sheet."""

from playwright.sync_api import expect

from contracts.imports import COLUMNS
from contracts.models import Contract, Leverancier


def _csv(rows):
    lines = [";".join(COLUMNS)] + [";".join(row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def _row(kenmerk, **overrides):
    values = {
        "gemeente": "GM0637", "leverancierKvk": "30112233", "leverancierNaam": "", "kenmerk": kenmerk,
        "omschrijving": "Gladheidsbestrijding", "categorie": "diensten", "procedure": "nationaal",
        "gunningsdatum": "02-09-2025", "startdatum": "01-10-2025", "einddatum": "30-09-2027",
        "aanneemsom": "480.000,00", "loonsom": "300.000,00", "extraPercentage": "0", "seboKeurmerk": "nee",
    }
    values.update(overrides)
    return [values[column] for column in COLUMNS]


def test_inkoop_enters_a_contract_and_sees_the_obligation_before_saving(browser_page, live_server, demo_world, login):
    page = browser_page
    login(page, live_server, "inkoop")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Contract invoeren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contract invoeren")

    page.get_by_label("Gemeente").select_option(label="Zoetermeer")
    page.get_by_label("Kenmerk").fill("ZM-E2E-001")
    page.get_by_label("Omschrijving van de opdracht").fill("Herinrichting Stadhuisplein")
    page.get_by_label("KvK-nummer van de leverancier").fill("61230099")
    page.get_by_label("Naam van de leverancier").fill("Pleinbouw E2E B.V.")
    page.get_by_label("Categorie").select_option(label="Werken")
    page.get_by_label("Aanbestedingsprocedure").select_option(label="Europees")
    page.get_by_label("Gunningsdatum").fill("2025-06-02")
    page.get_by_label("Startdatum").fill("2025-09-01")
    page.get_by_label("Einddatum").fill("2027-08-31")
    page.get_by_label("Aanneemsom (excl. btw)").fill("2.400.000,00")
    page.get_by_label("Loonsom").fill("600.000")  # 25%: below the 30% threshold, so 2%
    page.get_by_label("Extra SROI-percentage").fill("1")

    page.get_by_role("button", name="Bereken verplichting").click()
    preview = page.get_by_role("region", name="Berekende verplichting")
    expect(preview).to_contain_text("€\u00a072.000,00")  # (2% + 1%) of € 2.400.000
    expect(preview).to_contain_text("Het lage percentage geldt")
    expect(preview).to_contain_text("Nieuw: Pleinbouw E2E B.V. wordt aangemaakt bij het opslaan.")
    assert not Contract.objects.filter(kenmerk="ZM-E2E-001").exists()
    assert not Leverancier.objects.filter(kvk_nummer="61230099").exists()

    page.get_by_role("button", name="Contract opslaan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("ZM-E2E-001")
    expect(page.get_by_role("status").first).to_contain_text("Contract ZM-E2E-001 is opgeslagen")
    contract = Contract.objects.get(kenmerk="ZM-E2E-001")
    assert str(contract.verplichting_bedrag) == "72000.00"
    assert contract.leverancier.naam == "Pleinbouw E2E B.V."
    assert contract.aangemaakt_door.username == "inkoop"


def test_inkoop_imports_a_sheet_and_a_bad_row_stops_everything(browser_page, live_server, demo_world, login, tmp_path):
    page = browser_page
    before = Contract.objects.count()
    login(page, live_server, "inkoop")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Importeren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contracten importeren")
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (.xlsx)").click()
    assert download.value.suggested_filename == "sjabloon-contracten.xlsx"

    bad = tmp_path / "contracten.csv"
    bad.write_bytes(_csv([_row("IMP-E2E-1"), _row("IMP-E2E-2", einddatum="01-09-2025"), _row("IMP-E2E-3")]))
    page.get_by_label("Bestand (.xlsx of .csv)").set_input_files(str(bad))
    page.get_by_role("button", name="Importeren").click()

    expect(page.get_by_role("alert")).to_contain_text("Er is niets opgeslagen.")
    errors = page.get_by_role("table", name="Fouten per rij en kolom")
    expect(errors.get_by_role("row")).to_have_count(2)  # header + one error
    expect(errors.get_by_role("row").nth(1)).to_contain_text("3")
    expect(errors.get_by_role("row").nth(1)).to_contain_text("einddatum")
    expect(errors.get_by_role("row").nth(1)).to_contain_text("De einddatum ligt vóór de startdatum.")
    assert Contract.objects.count() == before

    good = tmp_path / "contracten-verbeterd.csv"
    good.write_bytes(_csv([_row("IMP-E2E-1"), _row("IMP-E2E-2"), _row("IMP-E2E-3")]))
    page.get_by_label("Bestand (.xlsx of .csv)").set_input_files(str(good))
    page.get_by_role("button", name="Importeren").click()

    expect(page.get_by_role("status").first).to_contain_text("3 contracten geïmporteerd")
    expect(page.get_by_role("table", name="Geïmporteerde contracten")).to_contain_text("IMP-E2E-2")
    assert Contract.objects.count() == before + 3
