"""Writing CSV and .xlsx files that carry no live formulas (CSV/formula injection, OWASP).

Every spreadsheet the portal writes (contract export, processing-log export, open data, import
templates) goes through :class:`CsvWriter` or :func:`xlsx_cell`/:func:`xlsx_row`, and so through
:func:`safe_cell`: a *text* value that a spreadsheet program would read as a formula (it starts
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading apostrophe. Numbers,
dates and booleans are left alone: a negative amount stays a number. In an .xlsx file text cells
are written with data type ``s`` (a string, never a formula or an error code).
"""

from __future__ import annotations

import csv
from datetime import date, datetime

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
