"""Exports: contracts with obligation and realisation (SR-team; .xlsx and .csv) and aggregated open
data per municipality and year (public; CSV and JSON, no personal data, small counts suppressed).

CSV files are RFC 4180: comma-separated, UTF-8, a decimal point and ISO dates, so that any tool
reads them; the spreadsheet (.xlsx) is the format for Excel users. Both contract exports stream
(rows are read in chunks and written as they come), so a large export does not fill the memory.
Every cell goes through ``sroi_portal.spreadsheets`` (no live formulas: a supplier named
``=HYPERLINK(...)`` is written as text).
"""

from __future__ import annotations

import io
from decimal import Decimal

from django.db.models import F

from contracts.models import STATUS_LABELS
from sroi_portal.money import percentage
from sroi_portal.spreadsheets import CsvWriter, xlsx_cell

from .models import ContractCijfers, ContractJaarCijfers

CHUNK = 2000

CONTRACT_COLUMNS = [
    ("kenmerk", "Kenmerk"),
    ("omschrijving", "Omschrijving"),
    ("gemeente", "Gemeente"),
    ("gemeentecode", "Gemeentecode"),
    ("leverancier", "Leverancier"),
    ("kvk_nummer", "KvK-nummer"),
    ("categorie", "Categorie"),
    ("procedure", "Procedure"),
    ("gunningsdatum", "Gunningsdatum"),
    ("startdatum", "Startdatum"),
    ("einddatum", "Einddatum (actueel)"),
    ("aanneemsom", "Aanneemsom (actueel)"),
    ("verplichting_percentage", "Verplichting (%)"),
    ("verplichting", "Verplichting"),
    ("gerealiseerd", "Gerealiseerd"),
    ("goedgekeurd", "Toegezegd (goedgekeurd)"),
    ("in_behandeling", "In behandeling"),
    ("verwacht", "Verwacht"),
    ("percentage", "Realisatie (%)"),
    ("status", "Status"),
    ("status_label", "Status (tekst)"),
    ("berekend_op", "Berekend op"),
]
YEAR_COLUMNS = [("jaar", "Jaar"), ("gerealiseerd_in_jaar", "Gerealiseerd in het jaar"),
                ("goedgekeurd_in_jaar", "Toegezegd in het jaar")]


def contract_export_rows(*, contracts, gemeente=None, leverancier_kvk="", status="", jaar=None):
    """(columns, iterator of row dicts) for the contracts in ``contracts`` (a scoped queryset).

    Without ``jaar``: every contract's figures at its reference date (today while it runs). With
    ``jaar``: the contracts that ran in that year, with the realisation up to and including it and the
    status on 31 December (today for this year). ``gerealiseerd`` is what was realised by that date,
    ``goedgekeurd`` the committed value (SROI-RULES.md §2).
    """
    if jaar:
        qs = ContractJaarCijfers.objects.filter(jaar=jaar)
        columns = CONTRACT_COLUMNS[:2] + YEAR_COLUMNS[:1] + CONTRACT_COLUMNS[2:] + YEAR_COLUMNS[1:]
    else:
        qs = ContractCijfers.objects.all()
        columns = list(CONTRACT_COLUMNS)
    qs = qs.filter(contract__in=contracts.values("pk"))
    if gemeente is not None:
        qs = qs.filter(gemeente=gemeente)
    if leverancier_kvk:
        qs = qs.filter(contract__leverancier__kvk_nummer=leverancier_kvk)
    if status:
        qs = qs.filter(status=status)
    fields = {
        "kenmerk": F("contract__kenmerk"), "omschrijving": F("contract__omschrijving"),
        "gemeente_naam": F("gemeente__naam"), "gemeentecode": F("gemeente__code"),
        "leverancier": F("contract__leverancier__naam"), "kvk_nummer": F("contract__leverancier__kvk_nummer"),
        "categorie": F("contract__categorie"), "procedure": F("contract__procedure"),
        "gunningsdatum": F("contract__gunningsdatum"), "startdatum": F("contract__startdatum"),
        "einddatum": F("contract__actuele_einddatum"), "verplichting_percentage": F("contract__verplichting_percentage"),
    }
    values = qs.order_by("gemeente__naam", "contract__kenmerk").values(
        "aanneemsom", "verplichting", "gerealiseerd", "goedgekeurd", "in_behandeling", "verwacht", "status",
        "berekend_op", *(["jaar", "gerealiseerd_in_jaar", "goedgekeurd_in_jaar"] if jaar else ["percentage"]), **fields,
    )

    def rows():
        for row in values.iterator(chunk_size=CHUNK):
            row["gemeente"] = row.pop("gemeente_naam")
            row["status_label"] = str(STATUS_LABELS.get(row["status"], row["status"]))
            if jaar:  # realised up to and including the year, as a share of the obligation
                row["percentage"] = percentage(row["gerealiseerd"], row["verplichting"])
            yield row

    return columns, rows()


def csv_stream(columns, rows):
    """Lines of a CSV file (header first), for a StreamingHttpResponse."""
    writer = CsvWriter()
    yield writer.writerow([label for _key, label in columns])
    for row in rows:
        yield writer.writerow([row.get(key) for key, _label in columns])


def xlsx_bytes(columns, rows, *, title) -> bytes:
    """A spreadsheet with a header row, numbers as numbers and dates as dates (write-only: streams rows)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    sheet.append([xlsx_cell(sheet, label, font=bold) for _key, label in columns])
    money_columns = {"aanneemsom", "verplichting", "gerealiseerd", "goedgekeurd", "in_behandeling", "verwacht",
                     "gerealiseerd_in_jaar", "goedgekeurd_in_jaar"}
    for row in rows:
        cells = []
        for key, _label in columns:
            value = row.get(key)
            number_format = "#,##0.00" if key in money_columns else "0.00" if isinstance(value, Decimal) else None
            cells.append(xlsx_cell(sheet, value, number_format=number_format))
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
