"""The UWV table of Bijlage 3 (reference 000) and the regional targets: CSV import, all or nothing."""

from decimal import Decimal

import pytest

from banenafspraak import imports, seed, selectors, services
from banenafspraak.models import RegionaleDoelstelling, UwvKwartaal, UwvRegioRij, UwvTrendrapportage

D = Decimal
BIJLAGE_3 = seed.UWV_2020K4_CSV.read_bytes()


def import_bijlage_3():
    return services.import_uwv(content=BIJLAGE_3, bron=seed.UWV_2020K4_BRON, bestandsnaam="bijlage3.csv")


@pytest.mark.django_db
def test_the_shipped_file_is_bijlage_3_as_published():
    lines = BIJLAGE_3.decode("utf-8").splitlines()
    assert lines[0] == ("Arbeidsmarktregio;Nulmeting;2019 4e kwartaal;2020 1e kwartaal;2020 2e kwartaal;"
                        "2020 3e kwartaal;2020 4e kwartaal;Voortgang tov nulmeting")
    assert "Zuid-Holland Centraal;3.329;3.022;3.071;3.108;3.148;3.183;-146" in lines
    assert "Groningen;15.244;12.634;12.615;12.711;12.842;12.972;-2.272" in lines
    assert lines[-1] == "Totaal*;247.739;229.806;232.909;234.578;236.456;239.008;-8.731"
    assert len(lines) == 37  # header, 35 regions, total


@pytest.mark.django_db
def test_bijlage_3_imports_as_published_and_zuid_holland_centraal_shows_minus_146():
    rapportage, _checks = import_bijlage_3()
    overview = selectors.regional_overview()
    assert overview.rapportage == rapportage
    assert overview.kwartalen == ((2019, 4), (2020, 1), (2020, 2), (2020, 3), (2020, 4))
    zhc = next(r for r in overview.rijen if r.naam == "Zuid-Holland Centraal")
    assert zhc.nulmeting == D("3329")
    assert zhc.kwartalen == (D("3022"), D("3071"), D("3108"), D("3148"), D("3183"))
    assert zhc.voortgang == D("-146")
    assert (zhc.rang, zhc.aantal) == (14, 35)
    assert overview.rijen[0].naam == "Rijnmond" and overview.rijen[0].voortgang == D("1026")
    assert overview.rijen[-1].naam == "Groningen" and overview.rijen[-1].rang == 35
    # "Tien arbeidsmarktregio's hebben eind 2020 ten opzichte van de nulmeting meer banen gecreëerd."
    assert sum(1 for r in overview.rijen if r.voortgang > 0) == 10
    # The published total row is kept as published, not replaced by the sum of the regions.
    assert overview.totaal.nulmeting == D("247739")
    assert overview.totaal.kwartalen[-1] == D("239008")
    assert overview.totaal.voortgang == D("-8731")
    total = UwvRegioRij.objects.get(rapportage=rapportage, arbeidsmarktregio__isnull=True)
    assert total.voortgang_gepubliceerd == D("-8731") and total.label == "Totaal*"
    assert UwvKwartaal.objects.filter(rij__rapportage=rapportage).count() == 36 * 5


@pytest.mark.django_db
def test_the_import_states_per_column_whether_the_total_row_equals_the_sum_of_the_regions():
    _rapportage, checks = import_bijlage_3()
    assert [(c.kolom, c.gepubliceerd, c.som_regios, c.verschil, c.gelijk) for c in checks] == [
        ("Nulmeting", D("247739"), D("247583"), D("156"), False),
        ("2019 4e kwartaal", D("229806"), D("226199"), D("3607"), False),
        ("2020 1e kwartaal", D("232909"), D("229291"), D("3618"), False),
        ("2020 2e kwartaal", D("234578"), D("231013"), D("3565"), False),
        ("2020 3e kwartaal", D("236456"), D("232870"), D("3586"), False),
        ("2020 4e kwartaal", D("239008"), D("235393"), D("3615"), False),
        ("Voortgang tov nulmeting", D("-8731"), D("-12190"), D("3459"), False),
    ]
    stored = UwvTrendrapportage.objects.get().verschillen
    assert stored[0] == {"kolom": "Nulmeting", "gepubliceerd": "247739", "somRegios": "247583", "verschil": "156"}


@pytest.mark.django_db
def test_a_total_row_equal_to_the_sum_is_reported_as_equal():
    content = "Arbeidsmarktregio;Nulmeting;2020-K4\nRijnmond;10;12\nZeeland;5;4\nTotaal;15;16\n".encode()
    _rapportage, checks = services.import_uwv(content=content, bron="test")
    assert [(c.kolom, c.gelijk, c.verschil) for c in checks] == [("Nulmeting", True, 0), ("2020-K4", True, 0)]


@pytest.mark.django_db
def test_a_file_without_total_row_has_nothing_to_compare():
    content = "Arbeidsmarktregio;Nulmeting;2020 4e kwartaal\r\nRijnmond;17.484;18.510\r\n".encode("utf-8-sig")
    rapportage, checks = services.import_uwv(content=content, bron="test")
    assert checks == [] and rapportage.verschillen == []
    assert selectors.regional_overview().rijen[0].voortgang == D("1026")


def rejected(content: str):
    with pytest.raises(imports.ImportRejected) as excinfo:
        services.import_uwv(content=content.encode("utf-8"), bron="test")
    return [str(p) for p in excinfo.value.problems]


@pytest.mark.django_db
def test_a_file_with_errors_is_not_imported_at_all_and_every_error_is_named_by_row_and_column():
    problems = rejected(
        "Arbeidsmarktregio;Nulmeting;2020 4e kwartaal;Voortgang tov nulmeting\n"
        "Rijnmond;17.484;18.510;1.026\n"
        "Atlantis;1;2;1\n"
        "Zeeland;4.395;3.69x;-705\n"
        "Twente;12.469;11.302;-1.000\n"
        "Rijnmond;1;1;0\n"
        "Drenthe;-5;1;6\n"
        "Zwolle;8.365\n"
    )
    assert problems == [
        "Rij 3, kolom ‘Arbeidsmarktregio’: Onbekende arbeidsmarktregio ‘Atlantis’.",
        "Rij 4, kolom ‘2020 4e kwartaal’: ‘3.69x’ is geen getal.",
        "Rij 5, kolom ‘Voortgang tov nulmeting’: De voortgang (-1.000) is niet het laatste kwartaal min de nulmeting (-1.167).",
        "Rij 6, kolom ‘Arbeidsmarktregio’: Deze arbeidsmarktregio staat ook op rij 2.",
        "Rij 7, kolom ‘Nulmeting’: Een aantal banen kan niet negatief zijn.",
        "Rij 8: Deze rij heeft 2 kolommen; de kopregel heeft er 4.",
    ]
    assert not UwvTrendrapportage.objects.exists()
    assert not UwvRegioRij.objects.exists()


@pytest.mark.django_db
def test_header_errors_are_named():
    assert rejected("Regio;Basis;Kwartaal 4\nRijnmond;1;2\n") == [
        "Rij 1, kolom ‘Basis’: De tweede kolom heet ‘Nulmeting’.",
        "Rij 1, kolom ‘Kwartaal 4’: Onbekende kolom; een kwartaal schrijft u als ‘2020 4e kwartaal’ of ‘2020-K4’.",
    ]
    assert rejected("Arbeidsmarktregio;Nulmeting;2020-K4;2020-K1\nRijnmond;1;2;3\n") == [
        "Rij 1, kolom ‘2020-K1’: Zet de kwartalen op volgorde, van oud naar nieuw."]


@pytest.mark.django_db
def test_a_decimal_point_is_not_dutch_notation():
    assert rejected("Arbeidsmarktregio;Nulmeting;2020-K4\nRijnmond;17484.5;18510\n") == [
        "Rij 2, kolom ‘Nulmeting’: ‘17484.5’ is geen getal in Nederlandse notatie (gebruik een komma voor decimalen)."]


@pytest.mark.django_db
def test_a_file_that_is_not_utf8_is_refused_in_dutch():
    with pytest.raises(imports.ImportRejected) as excinfo:
        services.import_uwv(content="Arbeidsmarktregio;Nulmeting;2020-K4\nFriesland;1;2\n".encode("utf-16"), bron="x")
    assert "UTF-8" in str(excinfo.value.problems[0])


@pytest.mark.django_db
def test_the_template_lists_every_region_and_imports_once_filled_in():
    names = list(seed.ARBEIDSMARKTREGIOS)
    template = imports.uwv_template(known_regions=names)
    header, *rows = template.strip().split("\r\n")
    assert header == "Arbeidsmarktregio;Nulmeting;2020 4e kwartaal;2021 1e kwartaal;Voortgang tov nulmeting"
    assert [r.split(";")[0] for r in rows] == [*names, "Totaal"]
    filled = "\r\n".join([header] + [f"{r.split(';')[0]};100;101;103;3" for r in rows[:-1]] + ["Totaal;3.500;3.535;3.605;105"])
    _rapportage, checks = services.import_uwv(content=filled.encode("utf-8"), bron="test")
    assert all(c.gelijk for c in checks)


def test_dutch_numbers():
    assert imports.parse_number("1.031") == D("1031")
    assert imports.parse_number("-1.234") == D("-1234")
    assert imports.parse_number("−146") == D("-146")
    assert imports.parse_number("27,4") == D("27.4")
    assert imports.parse_number("247.739") == D("247739")
    assert imports.format_number(D("-8731")) == "-8.731"
    assert imports.format_number(D("12.50")) == "12,5"
    for bad in ("", "1.23", "12,345", "abc", "1,2,3"):
        with pytest.raises(ValueError):
            imports.parse_number(bad)


def test_quarter_headers():
    assert imports.parse_quarter("2020 4e kwartaal") == (2020, 4)
    assert imports.parse_quarter("2020-K1") == (2020, 1)
    assert imports.parse_quarter("Q3 2021") == (2021, 3)
    assert imports.parse_quarter("2020 5e kwartaal") is None


# --- regional targets -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_regional_targets_of_table_1_import():
    count = services.import_regional_targets(content=seed.REGIONALE_DOELEN_ZHC_CSV.read_bytes(), bron="tabel 1")
    assert count == 4
    rows = RegionaleDoelstelling.objects.filter(arbeidsmarktregio__naam="Zuid-Holland Centraal").order_by("jaar")
    assert [(r.jaar, r.markt, r.overheid) for r in rows] == [
        (2019, D("600"), D("205")), (2020, D("750"), D("240")), (2021, D("884"), D("262")), (2022, D("1031"), D("295"))]


@pytest.mark.django_db
def test_regional_targets_are_all_or_nothing():
    content = "Arbeidsmarktregio;Jaar;Markt;Overheid\nZeeland;2020;10;2\nZeeland;20x0;10;2\nZeeland;2020;11;3\n"
    with pytest.raises(imports.ImportRejected) as excinfo:
        services.import_regional_targets(content=content.encode())
    assert [str(p) for p in excinfo.value.problems] == [
        "Rij 3, kolom ‘Jaar’: Vul een jaartal in, bijvoorbeeld 2020.",
        "Rij 4: Dit jaar van deze regio staat ook op rij 2.",
    ]
    assert not RegionaleDoelstelling.objects.exists()


@pytest.mark.django_db
def test_importing_a_target_again_replaces_it():
    services.import_regional_targets(content=b"Arbeidsmarktregio;Jaar;Markt;Overheid\nZeeland;2020;10;2\n")
    services.import_regional_targets(content=b"Arbeidsmarktregio;Jaar;Markt;Overheid\nZeeland;2020;12;2\n")
    assert RegionaleDoelstelling.objects.get().markt == D("12")
