"""Import of many awarded contracts at once from an ``.xlsx`` or ``.csv`` sheet (issue #3, inkoop).

The columns are the API v1 field names (:data:`COLUMNS`); the first row holds them. Dutch notation
is accepted for amounts (``1.234,56``) and dates (``dd-mm-jjjj``) as well as ISO (``1234.56``,
``jjjj-mm-dd``).

All or nothing: every row is checked first, errors are reported per row and column in Dutch, and
nothing is stored unless every row is valid; then all contracts are stored in one transaction.
Obligations are computed by :func:`contracts.services.build_contract`, the same code
:func:`contracts.services.create_contract` uses, with the policy and catalogue versions loaded once.

Refused outright: files above ``settings.SROI_IMPORT_MAX_BYTES`` (default 5 MB), more than
``settings.SROI_IMPORT_MAX_ROWS`` rows (default 20,000), other file types, unknown or missing columns,
an .xlsx that unpacks to more than ``settings.SROI_IMPORT_MAX_UNPACKED_BYTES`` (default 50 MB), has
XML with a DTD or entities, or is damaged (``sroi_portal.spreadsheets.open_xlsx``).
Cells that look like a formula (starting with ``=``, ``+``, ``-`` or ``@`` and not a number) are
refused, so that nothing stored can later act as a formula in somebody's spreadsheet.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from sroi_portal.access import gemeenten_for
from sroi_portal import spreadsheets
from sroi_portal.spreadsheets import CsvWriter, xlsx_row

from . import services
from .models import Categorie, Contract, Leverancier, Procedure

COLUMNS = (
    "gemeente", "leverancierKvk", "leverancierNaam", "kenmerk", "omschrijving", "categorie", "procedure",
    "gunningsdatum", "startdatum", "einddatum", "aanneemsom", "loonsom", "extraPercentage", "seboKeurmerk",
)
REQUIRED = frozenset(COLUMNS) - {"leverancierNaam", "extraPercentage", "seboKeurmerk"}

# Service (model) field -> sheet column, to report a service's error in the column it came from.
FIELD_TO_COLUMN = {
    "gemeente": "gemeente", "leverancier": "leverancierKvk", "kenmerk": "kenmerk", "omschrijving": "omschrijving",
    "categorie": "categorie", "procedure": "procedure", "gunningsdatum": "gunningsdatum",
    "startdatum": "startdatum", "einddatum": "einddatum", "aanneemsom": "aanneemsom", "loonsom": "loonsom",
    "extra_percentage": "extraPercentage", "sebo_keurmerk": "seboKeurmerk",
}

COLUMN_HELP = {
    "gemeente": ("GM0637", "CBS-code van de gemeente (of de naam)."),
    "leverancierKvk": ("30112233", "KvK-nummer van de leverancier: 8 cijfers."),
    "leverancierNaam": ("Groen & Grijs Infra B.V.", "Alleen nodig voor een leverancier die nog niet bekend is."),
    "kenmerk": ("ZM-2026-001", "Kenmerk van de opdracht; uniek binnen de gemeente."),
    "omschrijving": ("Groot onderhoud fietspaden", "Korte omschrijving van de opdracht."),
    "categorie": ("werken", "werken, diensten of leveringen."),
    "procedure": ("europees", "enkelvoudig_onderhands, meervoudig_onderhands, nationaal of europees."),
    "gunningsdatum": ("15-01-2026", "dd-mm-jjjj of jjjj-mm-dd; niet in de toekomst."),
    "startdatum": ("01-03-2026", "dd-mm-jjjj of jjjj-mm-dd."),
    "einddatum": ("28-02-2028", "dd-mm-jjjj of jjjj-mm-dd; niet vóór de startdatum."),
    "aanneemsom": ("1.250.000,00", "In euro, excl. btw; 1.234,56 of 1234.56."),
    "loonsom": ("400.000,00", "In euro; niet hoger dan de aanneemsom."),
    "extraPercentage": ("0", "Extra SROI-percentage dat de leverancier bood (0 tot 100; leeg is 0)."),
    "seboKeurmerk": ("nee", "ja of nee (leeg is nee)."),
}

MAX_LENGTHS = {"kenmerk": 60, "omschrijving": 500, "leverancierNaam": 200}
FORMULA_PREFIXES = ("=", "+", "-", "@")
MAX_AMOUNT = Decimal("999999999999.99")
MAX_REPORTED_ERRORS = 1000

XLSX_MAGIC = b"PK\x03\x04"


def max_bytes() -> int:
    return int(getattr(settings, "SROI_IMPORT_MAX_BYTES", 5 * 1024 * 1024))


def max_rows() -> int:
    return int(getattr(settings, "SROI_IMPORT_MAX_ROWS", 20_000))


class ImportRefused(Exception):
    """The file as a whole cannot be read (size, type, columns, number of rows); Dutch message."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class CellError(ValueError):
    """A cell that cannot be read; the Dutch message says why."""


@dataclass(frozen=True)
class RowError:
    rij: int  # the row number as the spreadsheet shows it (the header is row 1)
    kolom: str  # a column name of COLUMNS, or "" for the row as a whole
    melding: str


@dataclass
class ImportResult:
    rows: int = 0
    created: list = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    new_suppliers: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


# --- Reading cells ----------------------------------------------------------------------------

_THOUSANDS_DOT = re.compile(r"^\d{1,3}(\.\d{3})+$")
_THOUSANDS_COMMA = re.compile(r"^\d{1,3}(,\d{3})+$")
_PLAIN = re.compile(r"^\d+([.,]\d+)?$")


def _is_number_text(text: str) -> bool:
    try:
        parse_decimal(text)
    except CellError:
        return False
    return True


def parse_decimal(value) -> Decimal:
    """A number in Dutch (1.234,56) or international (1234.56) notation, as an exact Decimal.

    ``1.234`` (dot groups of three, no comma) is read as the Dutch 1234; ``1,5`` and ``1.5`` as 1.5.
    """
    if isinstance(value, bool):
        raise CellError(_("Geen geldig getal."))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        return value
    text = str(value).strip().replace("\u00a0", "").replace(" ", "").replace("€", "").replace("EUR", "")
    sign = 1
    if text[:1] in "+-−" and text[:1]:
        sign = -1 if text[0] in "-−" else 1
        text = text[1:]
    if not text:
        raise CellError(_("Geen geldig getal."))
    if "." in text and "," in text:
        if text.rfind(",") > text.rfind("."):  # 1.234,56
            integer, decimals = text.rsplit(",", 1)
            if not _THOUSANDS_DOT.match(integer) and not integer.isdigit():
                raise CellError(_("Geen geldig getal: ‘%(waarde)s’.") % {"waarde": value})
            text = integer.replace(".", "") + "." + decimals
        else:  # 1,234.56
            integer, decimals = text.rsplit(".", 1)
            if not _THOUSANDS_COMMA.match(integer) and not integer.isdigit():
                raise CellError(_("Geen geldig getal: ‘%(waarde)s’.") % {"waarde": value})
            text = integer.replace(",", "") + "." + decimals
    elif "," in text:
        if text.count(",") > 1:
            raise CellError(_("Geen geldig getal: ‘%(waarde)s’.") % {"waarde": value})
        text = text.replace(",", ".")
    elif _THOUSANDS_DOT.match(text):
        text = text.replace(".", "")
    if not _PLAIN.match(text):
        raise CellError(_("Geen geldig getal: ‘%(waarde)s’.") % {"waarde": value})
    try:
        number = Decimal(text)
    except InvalidOperation as error:
        raise CellError(_("Geen geldig getal: ‘%(waarde)s’.") % {"waarde": value}) from error
    return sign * number


def parse_amount(value) -> Decimal:
    """An amount in euro with at most 2 decimals (Dutch or international notation)."""
    number = parse_decimal(value)
    if isinstance(value, float):
        # A spreadsheet stores 0.1 as a binary fraction; accept it when it is a whole number of cents.
        rounded = number.quantize(Decimal("0.01"))
        if abs(rounded - number) < Decimal("0.000001"):
            number = rounded
    if number < 0:
        raise CellError(_("Het bedrag mag niet negatief zijn."))
    if number > MAX_AMOUNT:
        raise CellError(_("Het bedrag is te groot."))
    if number != number.quantize(Decimal("0.01")):
        raise CellError(_("Een bedrag heeft hoogstens 2 decimalen."))
    return number.quantize(Decimal("0.01"))


def parse_percentage(value) -> Decimal:
    if isinstance(value, str):
        value = value.strip().rstrip("%").strip()
        if not value:
            return Decimal("0")
    number = parse_decimal(value)
    if number < 0 or number > 100:
        raise CellError(_("Het extra percentage ligt tussen 0 en 100."))
    if number != number.quantize(Decimal("0.01")):
        raise CellError(_("Een percentage heeft hoogstens 2 decimalen."))
    return number.quantize(Decimal("0.01"))


_DATE_FORMATS = ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y")
_DMY = re.compile(r"^(?P<d>\d{1,2})[-/.](?P<m>\d{1,2})[-/.](?P<y>\d{4})$")
_YMD = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$")


def parse_date(value) -> date:
    """A date as dd-mm-jjjj (also with / or .) or jjjj-mm-dd; a spreadsheet date cell as it is."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if " " in text:  # "2026-01-15 00:00:00" from some exports
        text = text.split(" ", 1)[0]
    match = _DMY.match(text) or _YMD.match(text)
    if match:
        parts = match.groupdict()
        try:
            return date(int(parts["y"]), int(parts["m"]), int(parts["d"]))
        except ValueError:
            pass
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise CellError(_("Geen geldige datum: ‘%(waarde)s’. Gebruik dd-mm-jjjj of jjjj-mm-dd.") % {"waarde": value})


_TRUE = {"ja", "j", "true", "waar", "1", "yes", "y", "x"}
_FALSE = {"nee", "n", "false", "onwaar", "0", "no", ""}


def parse_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError(_("Vul ja of nee in."))


def _choice_key(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


_CATEGORIES = {**{c: c for c in Categorie.values}, **{_choice_key(str(label)): value for value, label in Categorie.choices}}
_PROCEDURES = {**{p: p for p in Procedure.values}, **{_choice_key(str(label)): value for value, label in Procedure.choices}}


def parse_choice(value, options: dict, allowed: str) -> str:
    key = _choice_key(str(value))
    if key not in options:
        raise CellError(_("Onbekende waarde ‘%(waarde)s’; kies uit: %(keuzes)s.") % {"waarde": value, "keuzes": allowed})
    return options[key]


def parse_kvk(value) -> str:
    if isinstance(value, bool):
        raise CellError(_("Een KvK-nummer bestaat uit precies 8 cijfers."))
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        text = str(int(value)).zfill(8)  # a spreadsheet drops a leading zero of a number
    else:
        text = str(value).strip().replace(" ", "").replace(".", "")
    if not re.fullmatch(r"\d{8}", text):
        raise CellError(_("Een KvK-nummer bestaat uit precies 8 cijfers."))
    return text


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (datetime, date)):
        return value.strftime("%d-%m-%Y")
    return str(value).strip()


def _is_formula(value) -> bool:
    if not isinstance(value, str):
        return False
    text = value.strip()
    return text.startswith(FORMULA_PREFIXES) and not _is_number_text(text)


# --- Reading files ----------------------------------------------------------------------------


def _read_xlsx(data: bytes):
    """The first sheet's rows, read through ``sroi_portal.spreadsheets`` (unpacked size limited, no
    DTD or entities, a damaged file refused with a Dutch message instead of a server error)."""
    try:
        workbook = spreadsheets.open_xlsx(data)
        yield from spreadsheets.xlsx_rows(workbook)
    except spreadsheets.UnreadableSpreadsheet as error:
        raise ImportRefused(error.message) from error


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRefused(_("De tekens in het CSV-bestand kunnen niet worden gelezen; sla het op als UTF-8."))


def _read_csv(data: bytes):
    if b"\x00" in data[:4096]:
        raise ImportRefused(_("Dit is geen tekstbestand; lever een .csv- of .xlsx-bestand aan."))
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row in reader:
            yield row
    except csv.Error as error:
        raise ImportRefused(_("Het CSV-bestand is niet goed opgebouwd: %(fout)s.") % {"fout": error}) from error


def read_rows(upload):
    """(header, rows) of the first sheet; each row a (row number, {column: value}) pair. Empty rows are skipped."""
    size = getattr(upload, "size", None)
    limit = max_bytes()
    if size is not None and size > limit:
        raise ImportRefused(
            _("Het bestand is te groot (%(mb)s MB); het maximum is %(max)s MB.")
            % {"mb": f"{size / 1024 / 1024:.1f}".replace(".", ","), "max": f"{limit / 1024 / 1024:g}".replace(".", ",")}
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ImportRefused(_("Het bestand is te groot; het maximum is %(max)s MB.") % {"max": f"{limit / 1024 / 1024:g}"})
    if not data.strip():
        raise ImportRefused(_("Het bestand is leeg."))
    name = (getattr(upload, "name", "") or "").lower()
    if data.startswith(XLSX_MAGIC):
        if name and not name.endswith((".xlsx", ".xlsm")):
            raise ImportRefused(_("Lever een .xlsx- of .csv-bestand aan."))
        raw_rows = _read_xlsx(data)
    elif name.endswith(".xls") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportRefused(_("Het oude Excel-formaat (.xls) wordt niet ondersteund; sla het bestand op als .xlsx of .csv."))
    elif name and not name.endswith((".csv", ".txt")):
        raise ImportRefused(_("Lever een .xlsx- of .csv-bestand aan."))
    else:
        raw_rows = _read_csv(data)

    header = None
    rows = []
    limit_rows = max_rows()
    for number, raw in enumerate(raw_rows, start=1):
        if header is None:
            if not any(cell not in (None, "") and str(cell).strip() for cell in raw):
                continue
            header = _header(raw, number)
            continue
        if not any(cell is not None and str(cell).strip() for cell in raw):
            continue
        if len(rows) >= limit_rows:
            raise ImportRefused(
                _("Het bestand heeft meer dan %(max)s rijen; splits het in kleinere bestanden.")
                % {"max": f"{limit_rows:,}".replace(",", ".")}
            )
        values = {}
        for index, column in header.items():
            values[column] = raw[index] if index < len(raw) else None
        extra = [cell for index, cell in enumerate(raw) if index not in header and cell not in (None, "")]
        rows.append((number, values, bool(extra)))
    if header is None:
        raise ImportRefused(_("Het bestand is leeg."))
    if not rows:
        raise ImportRefused(_("Het bestand bevat geen contracten: alleen de kopregel."))
    return list(header.values()), rows


def _header(raw, number) -> dict[int, str]:
    by_lower = {column.lower(): column for column in COLUMNS}
    header, unknown = {}, []
    for index, cell in enumerate(raw):
        if cell is None or not str(cell).strip():
            continue
        name = str(cell).strip()
        column = by_lower.get(name.lower())
        if column is None:
            unknown.append(name)
        elif column in header.values():
            raise ImportRefused(_("De kolom ‘%(kolom)s’ staat twee keer in de kopregel.") % {"kolom": column})
        else:
            header[index] = column
    problems = []
    if unknown:
        problems.append(
            _("Onbekende kolom(men) in rij %(rij)s: %(kolommen)s.") % {"rij": number, "kolommen": ", ".join(unknown)}
        )
    missing = [column for column in COLUMNS if column in REQUIRED and column not in header.values()]
    if missing:
        problems.append(_("Ontbrekende kolom(men): %(kolommen)s.") % {"kolommen": ", ".join(missing)})
    if problems:
        raise ImportRefused(" ".join(problems) + " " + _("Gebruik de kolomnamen van het sjabloon."))
    return header


# --- Checking and storing ---------------------------------------------------------------------


def _chunks(items, size=500):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]


class _Lookups:
    """Everything the rows refer to, loaded once: municipalities, suppliers, existing kenmerken, versions."""

    def __init__(self, user, rows):
        self.gemeenten = {}
        for gemeente in gemeenten_for(user).select_related("regio"):
            self.gemeenten[gemeente.code.upper()] = gemeente
            self.gemeenten[gemeente.naam.strip().lower()] = gemeente
        self.versions = services.VersionIndex({g.pk: g for g in self.gemeenten.values()}.values())
        kvks = set()
        for _number, values, _extra in rows:
            try:
                kvks.add(parse_kvk(values.get("leverancierKvk")))
            except (CellError, TypeError):
                pass
        self.leveranciers = {}
        for chunk in _chunks(kvks):
            for leverancier in Leverancier.objects.filter(kvk_nummer__in=chunk):
                self.leveranciers[leverancier.kvk_nummer] = leverancier
        self.new_suppliers: dict[str, Leverancier] = {}

    def existing_kenmerken(self, pairs) -> dict:
        """(gemeente id, kenmerk) -> (supplier id, closed, has registrations) of the contracts that exist."""
        from django.db.models import Exists, OuterRef

        from bouwblokken.models import Registratie

        found = {}
        by_gemeente = {}
        for gemeente_id, kenmerk in pairs:
            by_gemeente.setdefault(gemeente_id, []).append(kenmerk)
        for gemeente_id, kenmerken in by_gemeente.items():
            for chunk in _chunks(kenmerken):
                rows = Contract.objects.filter(gemeente_id=gemeente_id, kenmerk__in=chunk).annotate(
                    closed=Exists(Contract.objects.filter(services.CLOSED, pk=OuterRef("pk"))),
                    has_registrations=Exists(Registratie.objects.filter(contract=OuterRef("pk"))),
                ).values_list("gemeente_id", "kenmerk", "leverancier_id", "closed", "has_registrations")
                for gemeente, kenmerk, leverancier_id, closed, has_registrations in rows:
                    found[(gemeente, kenmerk)] = (leverancier_id, closed, has_registrations)
        return found


def _cell(values, column):
    value = values.get(column)
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _check_row(number, values, lookups: _Lookups, user, errors: list[RowError]):
    """The service values of one row, or None when a cell is wrong (its errors appended)."""
    row_errors = []

    def fail(column, message):
        row_errors.append(RowError(number, column, str(message)))

    parsed = {}
    for column in COLUMNS:
        value = _cell(values, column)
        if value is None:
            if column in REQUIRED:
                fail(column, _("Dit veld is verplicht."))
            continue
        if _is_formula(value):
            fail(column, _("Formules zijn niet toegestaan; vul de waarde zelf in."))
            continue
        try:
            if column == "gemeente":
                key = _text(value)
                gemeente = lookups.gemeenten.get(key.upper()) or lookups.gemeenten.get(key.lower())
                if gemeente is None:
                    raise CellError(
                        _("Onbekende gemeente ‘%(waarde)s’, of u mag voor deze gemeente geen contracten invoeren.")
                        % {"waarde": key}
                    )
                parsed["gemeente"] = gemeente
            elif column == "leverancierKvk":
                parsed["kvk"] = parse_kvk(value)
            elif column in ("leverancierNaam", "kenmerk", "omschrijving"):
                text = _text(value)
                if len(text) > MAX_LENGTHS[column]:
                    raise CellError(_("Hoogstens %(max)s tekens.") % {"max": MAX_LENGTHS[column]})
                parsed[column] = text
            elif column == "categorie":
                parsed["categorie"] = parse_choice(value, _CATEGORIES, ", ".join(Categorie.values))
            elif column == "procedure":
                parsed["procedure"] = parse_choice(value, _PROCEDURES, ", ".join(Procedure.values))
            elif column in ("gunningsdatum", "startdatum", "einddatum"):
                parsed[column] = parse_date(value)
            elif column in ("aanneemsom", "loonsom"):
                parsed[column] = parse_amount(value)
            elif column == "extraPercentage":
                parsed["extra_percentage"] = parse_percentage(value)
            elif column == "seboKeurmerk":
                parsed["sebo_keurmerk"] = parse_bool(value)
        except CellError as error:
            fail(column, error)

    if "kvk" in parsed:
        kvk = parsed["kvk"]
        leverancier = lookups.leveranciers.get(kvk) or lookups.new_suppliers.get(kvk)
        if leverancier is None:
            naam = parsed.get("leverancierNaam", "")
            if not naam:
                fail("leverancierNaam", _("KvK-nummer %(kvk)s is nog niet bekend: vul de naam van de leverancier in.")
                     % {"kvk": kvk})
            else:
                leverancier = Leverancier(kvk_nummer=kvk, naam=naam)
                if not row_errors:
                    lookups.new_suppliers[kvk] = leverancier
        parsed["leverancier"] = leverancier

    if row_errors:
        errors.extend(row_errors)
        return None
    values = {
        name: parsed[name]
        for name in ("gemeente", "leverancier", "kenmerk", "omschrijving", "categorie", "procedure", "gunningsdatum",
                     "startdatum", "einddatum", "aanneemsom", "loonsom")
    }
    values["extra_percentage"] = parsed.get("extra_percentage", Decimal("0"))
    values["sebo_keurmerk"] = parsed.get("sebo_keurmerk", False)
    try:
        return services.build_contract(versions=lookups.versions, user=user, **values)
    except ValidationError as error:
        for field_name, messages in error.message_dict.items():
            for message in messages:
                errors.append(RowError(number, FIELD_TO_COLUMN.get(field_name, ""), message))
        return None


def import_contracts(*, upload, user) -> ImportResult:
    """Check every row; store all contracts (and their new suppliers) only when no row has an error.

    Raises :class:`ImportRefused` when the file as a whole cannot be read.
    """
    _header_columns, rows = read_rows(upload)
    result = ImportResult(rows=len(rows))
    lookups = _Lookups(user, rows)
    contracts = []
    seen = {}
    for number, values, has_extra in rows:
        if has_extra:
            result.errors.append(RowError(number, "", _("Deze rij heeft waarden buiten de kolommen van de kopregel.")))
        contract = _check_row(number, values, lookups, user, result.errors)
        if contract is None:
            continue
        key = (contract.gemeente_id, contract.kenmerk)
        if key in seen:
            result.errors.append(RowError(
                number, "kenmerk",
                _("Dit kenmerk staat voor deze gemeente ook in rij %(rij)s.") % {"rij": seen[key]},
            ))
            continue
        seen[key] = number
        contracts.append((number, contract))

    existing = lookups.existing_kenmerken(seen.keys())
    for number, contract in contracts:
        key = (contract.gemeente_id, contract.kenmerk)
        if key not in existing:
            continue
        # The import never changes an existing contract; a row that would (a settled contract, or another
        # supplier on a contract with registrations) is told the rule it runs into.
        leverancier_id, closed, has_registrations = existing[key]
        if closed:
            result.errors.append(RowError(number, "kenmerk", services.closed_message()))
        elif has_registrations and leverancier_id != contract.leverancier_id:
            result.errors.append(RowError(number, "leverancierKvk", services.supplier_change_message()))
        else:
            result.errors.append(RowError(number, "kenmerk", _("Deze gemeente heeft al een contract met dit kenmerk.")))

    if result.errors:
        result.errors.sort(key=lambda error: (error.rij, COLUMNS.index(error.kolom) if error.kolom in COLUMNS else -1))
        return result
    new_suppliers = list(lookups.new_suppliers.values())
    result.created = services.create_contracts_in_bulk(
        contracts=[contract for _number, contract in contracts], new_suppliers=new_suppliers, user=user
    )
    result.new_suppliers = len(new_suppliers)
    return result


# --- The template to download -----------------------------------------------------------------


def template_xlsx() -> bytes:
    """An empty sheet with the column names, and a second sheet explaining each column with an example."""
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Contracten"
    sheet.append(xlsx_row(sheet, COLUMNS, font=Font(bold=True)))
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width = max(14, len(column) + 4)
        if column in ("gunningsdatum", "startdatum", "einddatum"):
            for row in range(2, 1001):
                sheet.cell(row=row, column=index).number_format = "DD-MM-YYYY"
        elif column in ("leverancierKvk", "kenmerk"):
            for row in range(2, 1001):
                sheet.cell(row=row, column=index).number_format = "@"
    sheet.freeze_panes = "A2"
    help_sheet = workbook.create_sheet("Toelichting")
    help_sheet.append(xlsx_row(help_sheet, ["kolom", "verplicht", "voorbeeld", "toelichting"], font=Font(bold=True)))
    for column in COLUMNS:
        example, explanation = COLUMN_HELP[column]
        help_sheet.append(xlsx_row(help_sheet, [column, "ja" if column in REQUIRED else "nee", example, explanation]))
    help_sheet.append([])
    help_sheet.append(xlsx_row(help_sheet, [
        "", "", "", "Alleen het eerste tabblad wordt ingelezen. Eén foute rij: er wordt niets opgeslagen."]))
    for letter, width in zip("ABCD", (18, 10, 26, 80)):
        help_sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_csv() -> bytes:
    """The column names, separated by semicolons (as Dutch Excel writes CSV), UTF-8 with BOM."""
    return ("\ufeff" + CsvWriter(delimiter=";").writerow(COLUMNS)).encode("utf-8")
