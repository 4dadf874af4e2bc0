"""A spreadsheet import cannot be turned against the server (issue #11, item 11).

The bad files are built here: an .xlsx whose sheet declares entities (billion laughs), a zip whose
sheet member unpacks to far more than ``SROI_IMPORT_MAX_UNPACKED_BYTES`` (a zip bomb), and .xlsx files
with truncated XML. Each is posted through the contract import page (the only way a spreadsheet
comes in: there is no import API or command) and refused with a Dutch message and a 400; nothing
is stored. openpyxl parses through defusedxml, so entities are refused even past the pre-check.
"""

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from contracts import imports
from contracts.models import Contract, Leverancier
from sroi_portal import spreadsheets
from sroi_portal.models import Role
from tests.factories import UserFactory

URL = reverse("contracts:import")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET = "xl/worksheets/sheet1.xml"

BILLION_LAUGHS = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>
</sheetData></worksheet>"""


def _valid_xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(imports.COLUMNS))
    sheet.append(["GM0637", "12345678", "Nieuw B.V.", "VEILIG-1", "Groen", "diensten", "europees", "15-01-2024",
                  "01-03-2024", "28-02-2026", "1.000.000,00", "400.000,00", "0", "nee"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _replace(data: bytes, name: str, content: bytes | None = None, *, transform=None) -> bytes:
    """``data`` (a zip) with member ``name`` replaced by ``content`` (or ``transform(old content)``)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == name:
                body = content if transform is None else transform(body)
            target.writestr(item.filename, body)
    return out.getvalue()


def _zip_bomb(unpacked: int) -> bytes:
    """A real .xlsx whose sheet member unpacks to ``unpacked`` bytes (spaces compress ~1000:1)."""
    source = zipfile.ZipFile(io.BytesIO(_valid_xlsx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename == SHEET:
                with target.open(SHEET, "w", force_zip64=True) as member:
                    member.write(source.read(SHEET).replace(b"</worksheet>", b""))
                    block = b" " * (1024 * 1024)
                    for _ in range(unpacked // len(block)):
                        member.write(block)
                    member.write(b"</worksheet>")
            else:
                target.writestr(item.filename, source.read(item.filename))
    return out.getvalue()


def _truncated_sheet() -> bytes:
    return _replace(_valid_xlsx(), SHEET, transform=lambda body: body[: len(body) // 2])


def _truncated_workbook() -> bytes:
    return _replace(_valid_xlsx(), "xl/workbook.xml", transform=lambda body: body[: len(body) // 2])


def _entities_in_shared_strings() -> bytes:
    return _replace(_valid_xlsx(), "xl/workbook.xml", BILLION_LAUGHS.replace(b"worksheet", b"workbook"))


@pytest.fixture
def inkoop_client(client, zoetermeer):
    user = UserFactory(role=Role.INKOOP, username="inkoop-veilig", email="inkoop-veilig@example.org")
    user.gemeenten.set([zoetermeer])
    client.force_login(user)
    return client


def _post(client, data: bytes, name="contracten.xlsx"):
    return client.post(URL, {"bestand": SimpleUploadedFile(name, data, content_type=XLSX)})


def _assert_refused(response, words: str):
    assert response.status_code == 400, response.status_code
    assert words in response.context["refused"], response.context["refused"]
    assert escape(response.context["refused"]) in response.content.decode()  # shown on the page
    assert "Het bestand is niet ingelezen." in response.content.decode()
    assert not Contract.objects.exists() and not Leverancier.objects.filter(naam="Nieuw B.V.").exists()


def test_a_valid_xlsx_still_imports(inkoop_client, leverancier_a):
    response = _post(inkoop_client, _valid_xlsx())
    assert response.status_code == 200, response.context.get("refused")
    assert Contract.objects.filter(kenmerk="VEILIG-1").exists()


def test_a_billion_laughs_sheet_is_refused_before_parsing(inkoop_client):
    bomb = _replace(_valid_xlsx(), SHEET, BILLION_LAUGHS)
    _assert_refused(_post(inkoop_client, bomb), "bevat XML met een DTD of entiteiten (xl/worksheets/sheet1.xml)")


def test_entities_in_the_workbook_part_are_refused(inkoop_client):
    _assert_refused(_post(inkoop_client, _entities_in_shared_strings()), "bevat XML met een DTD of entiteiten")


def test_openpyxl_itself_parses_through_defusedxml():
    """Past the pre-check too: the library refuses to expand the entities (defusedxml is installed)."""
    from defusedxml import EntitiesForbidden

    assert openpyxl.DEFUSEDXML is True
    with pytest.raises(ValueError) as caught:  # EntitiesForbidden, or openpyxl's ValueError wrapping it
        workbook = openpyxl.load_workbook(io.BytesIO(_replace(_valid_xlsx(), SHEET, BILLION_LAUGHS)))
        list(workbook.worksheets[0].iter_rows(values_only=True))
    chain, error = [], caught.value
    while error is not None:
        chain.append(error)
        error = error.__cause__ or error.__context__
    assert any(isinstance(e, EntitiesForbidden) for e in chain), chain


def test_a_zip_bomb_is_refused_without_unpacking_it(inkoop_client, settings):
    bomb = _zip_bomb(60 * 1024 * 1024)  # 60 MB unpacked, well under the 5 MB upload limit packed
    assert len(bomb) < settings.SROI_IMPORT_MAX_BYTES
    assert settings.SROI_IMPORT_MAX_UNPACKED_BYTES == 50 * 1024 * 1024  # the default holds it back
    _assert_refused(_post(inkoop_client, bomb), "Het Excel-bestand is uitgepakt 60 MB groot; het maximum is 50 MB.")


def test_the_unpacked_limit_is_a_setting(inkoop_client, settings):
    settings.SROI_IMPORT_MAX_UNPACKED_BYTES = 2 * 1024 * 1024
    _assert_refused(_post(inkoop_client, _zip_bomb(3 * 1024 * 1024)), "het maximum is 2 MB")


@pytest.mark.parametrize("make_file", [_truncated_sheet, _truncated_workbook], ids=["sheet", "workbook"])
def test_truncated_xml_is_a_400_with_a_dutch_message(inkoop_client, make_file):
    _assert_refused(_post(inkoop_client, make_file()), "Het Excel-bestand is beschadigd of niet goed opgebouwd")


def test_a_member_whose_data_is_cut_off_is_refused(inkoop_client):
    data = bytearray(_valid_xlsx())
    start = data.find(SHEET.encode()) + len(SHEET)  # the sheet's data follows its local header
    data[start + 10: start + 40] = b"\x00" * 30  # corrupt the deflated stream (CRC no longer matches)
    _assert_refused(_post(inkoop_client, bytes(data)), "Het Excel-bestand is beschadigd")


def test_check_xlsx_refuses_a_file_that_is_no_zip():
    with pytest.raises(spreadsheets.UnreadableSpreadsheet, match="niet worden gelezen als Excel-bestand"):
        spreadsheets.check_xlsx(b"PK\x03\x04 not really a zip")
