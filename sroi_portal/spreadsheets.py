"""Writing CSV and .xlsx files that carry no live formulas (CSV/formula injection, OWASP).

Every spreadsheet the portal writes (contract export, processing-log export, open data, import
templates) goes through :class:`CsvWriter` or :func:`xlsx_cell`/:func:`xlsx_row`, and so through
:func:`safe_cell`: a *text* value that a spreadsheet program would read as a formula (it starts
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading apostrophe. Numbers,
dates and booleans are left alone: a negative amount stays a number. In an .xlsx file text cells
are written with data type ``s`` (a string, never a formula or an error code).

Reading an uploaded .xlsx safely (:func:`check_xlsx`, :func:`open_xlsx`, :func:`xlsx_rows`): before
openpyxl opens it, the zip's members are checked against ``SROI_IMPORT_MAX_UNPACKED_BYTES`` (a zip
bomb is refused without unpacking it) and every XML member is scanned for a DTD or entity
declaration (refused: no entity expansion, "billion laughs"). openpyxl itself parses through
``defusedxml`` (installed; openpyxl uses it when present), and any parse error of a damaged file
becomes :class:`UnreadableSpreadsheet` with a Dutch message instead of a server error.
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from datetime import date, datetime

from django.conf import settings
from django.utils.translation import gettext as _

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
NEUTRALISER = "'"


def safe_cell(value):
    """``value`` with a leading apostrophe when it is text that starts like a formula; else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return NEUTRALISER + value
    return value


def csv_value(value) -> str:
    """One CSV field: empty for None, ISO 8601 for dates and times, numbers as written, text made safe."""
    if value is None:
        return ""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, str):
        return safe_cell(value)
    return str(value)


class _Echo:
    """A file that hands back what is written (for streaming responses)."""

    def write(self, value):
        return value


class CsvWriter:
    """``csv.writer`` whose every field goes through :func:`csv_value`.

    Without ``target`` it writes nothing and ``writerow`` returns the line (for a
    ``StreamingHttpResponse``); with a file-like ``target`` it writes there, as ``csv.writer`` does.
    ``fmtparams`` are those of ``csv.writer`` (``delimiter=";"``, ``lineterminator``).
    """

    def __init__(self, target=None, **fmtparams):
        self._writer = csv.writer(target if target is not None else _Echo(), **fmtparams)

    def writerow(self, values):
        return self._writer.writerow([csv_value(value) for value in values])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def xlsx_cell(sheet, value, *, number_format: str | None = None, font=None):
    """A cell for ``sheet.append`` (write-only or normal worksheet) with ``value`` made safe.

    Text is stored as a string (data type ``s``); timezone-aware datetimes lose their zone (Excel
    has none); other values keep their type (numbers stay numbers).
    """
    from openpyxl.cell import Cell, WriteOnlyCell
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.replace(tzinfo=None)
    value = safe_cell(value)
    cell = WriteOnlyCell(sheet, value=value) if isinstance(sheet, WriteOnlyWorksheet) else Cell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    if number_format:
        cell.number_format = number_format
    if font is not None:
        cell.font = font
    return cell


def xlsx_row(sheet, values, *, font=None) -> list:
    """The cells of one row (see :func:`xlsx_cell`), to pass to ``sheet.append``."""
    return [xlsx_cell(sheet, value, font=font) for value in values]


# --- reading uploaded .xlsx files ---------------------------------------------------------------

MAX_MEMBERS = 1000  # an ordinary workbook has a few dozen parts
_SCAN_CHUNK = 64 * 1024
_FORBIDDEN_XML = (b"<!DOCTYPE", b"<!ENTITY")
_XML_SUFFIXES = (".xml", ".rels", ".vml")
# What openpyxl and zipfile raise on a damaged or hostile file (ParseError is a SyntaxError,
# defusedxml's EntitiesForbidden a ValueError).
_READ_ERRORS = (zipfile.BadZipFile, zlib.error, KeyError, OSError, EOFError, ValueError, SyntaxError, TypeError,
                AttributeError, IndexError, NotImplementedError, RuntimeError)


class UnreadableSpreadsheet(ValueError):
    """The uploaded .xlsx is refused as a whole; ``message`` says why in Dutch."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def max_unpacked_bytes() -> int:
    return int(getattr(settings, "SROI_IMPORT_MAX_UNPACKED_BYTES", 50 * 1024 * 1024))


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".replace(".", ",").removesuffix(",0")


def _damaged():
    return UnreadableSpreadsheet(_(
        "Het Excel-bestand is beschadigd of niet goed opgebouwd en kan niet worden gelezen. "
        "Open het in Excel en sla het opnieuw op als .xlsx, of lever een .csv-bestand aan."
    ))


def check_xlsx(data: bytes, *, max_unpacked: int | None = None) -> None:
    """Refuse (:class:`UnreadableSpreadsheet`) an .xlsx that is no zip, unpacks to more than
    ``max_unpacked`` bytes (default ``SROI_IMPORT_MAX_UNPACKED_BYTES``), has too many parts, or has
    an XML part with a DTD or entity declaration. Reads no more than the declared sizes allow."""
    limit = max_unpacked_bytes() if max_unpacked is None else max_unpacked
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise UnreadableSpreadsheet(_("Het bestand kan niet worden gelezen als Excel-bestand (.xlsx).")) from error
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise _damaged()
        unpacked = sum(member.file_size for member in members)
        if unpacked > limit:
            raise UnreadableSpreadsheet(_(
                "Het Excel-bestand is uitgepakt %(mb)s MB groot; het maximum is %(max)s MB. "
                "Lever een kleiner bestand aan of splits het."
            ) % {"mb": _mb(unpacked), "max": _mb(limit)})
        for member in members:
            if member.filename.lower().endswith(_XML_SUFFIXES):
                _scan_member(archive, member)


def _scan_member(archive, member) -> None:
    tail = b""
    try:
        with archive.open(member) as stream:  # zipfile stops at the declared size and checks the CRC
            while chunk := stream.read(_SCAN_CHUNK):
                window = (tail + chunk).upper()
                if any(marker in window for marker in _FORBIDDEN_XML):
                    raise UnreadableSpreadsheet(_(
                        "Het Excel-bestand bevat XML met een DTD of entiteiten (%(onderdeel)s); zo'n bestand "
                        "wordt om veiligheidsredenen niet gelezen. Sla het opnieuw op als .xlsx vanuit Excel."
                    ) % {"onderdeel": member.filename[:100]})
                tail = chunk[-16:]
    except UnreadableSpreadsheet:
        raise
    except _READ_ERRORS as error:
        raise _damaged() from error


def open_xlsx(data: bytes, *, max_unpacked: int | None = None):
    """A read-only openpyxl workbook of an uploaded file, after :func:`check_xlsx`."""
    import openpyxl

    check_xlsx(data, max_unpacked=max_unpacked)
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except _READ_ERRORS as error:
        raise _damaged() from error


def xlsx_rows(workbook, sheet_index: int = 0):
    """The rows (lists of values) of one sheet; a parse error while reading is :class:`UnreadableSpreadsheet`."""
    try:
        sheet = workbook.worksheets[sheet_index]
        for row in sheet.iter_rows(values_only=True):
            yield list(row)
    except _READ_ERRORS as error:
        raise _damaged() from error
    finally:
        workbook.close()
