"""Reading the regional CSV files: the UWV trend table and the indicative regional targets.

Pure (no ORM): bytes in, plain values or a list of Dutch problems (row, column, message) out. The
services write a file only when it has no problem at all (all-or-nothing).

File format (a template is downloadable from the region page):

- UTF-8 text (an Excel "CSV UTF-8" export, with or without BOM); fields separated by ``;`` (also
  accepted: tab or ``,``);
- numbers in Dutch notation as published: ``3.329`` is three thousand three hundred twenty-nine,
  ``-1.234`` a negative number, ``12,5`` has a decimal comma; plain ``3329`` is fine too;
- UWV table: ``Arbeidsmarktregio;Nulmeting;<quarter>;...;[Voortgang tov nulmeting]``, a quarter
  written as published (``2020 4e kwartaal``) or short (``2020-K4``, ``2020 Q4``); one row per
  region, optionally a total row whose first cell starts with ``Totaal``. A published progress
  column must equal latest quarter − baseline in its row.
- Regional targets: ``Arbeidsmarktregio;Jaar;Markt;Overheid``.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from sroi_portal.spreadsheets import CsvWriter

MAX_BYTES = 1_000_000

__all__ = [
    "Problem",
    "ImportRejected",
    "UwvRow",
    "UwvTable",
    "DoelRow",
    "parse_number",
    "parse_quarter",
    "parse_uwv",
    "parse_regional_targets",
    "uwv_template",
    "regional_targets_template",
    "format_number",
]


@dataclass(frozen=True)
class Problem:
    """One reason a file was refused. ``rij`` is the line number in the file (header = 1)."""

    melding: str
    rij: int | None = None
    kolom: str | None = None

    def __str__(self):
        where = []
        if self.rij is not None:
            where.append(_("rij %(rij)s") % {"rij": self.rij})
        if self.kolom:
            where.append(_("kolom ‘%(kolom)s’") % {"kolom": self.kolom})
        if not where:
            return self.melding
        text = ", ".join(where)
        return f"{text[0].upper()}{text[1:]}: {self.melding}"


class ImportRejected(Exception):
    """The file was not imported; nothing was saved. ``problems`` says why, per row and column."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$")
_PLAIN = re.compile(r"^\d+(,\d+)?$")


def parse_number(text: str) -> Decimal:
    """A number in Dutch notation; raises ValueError with a Dutch message."""
    value = (text or "").strip().replace("\u00a0", "").replace(" ", "")
    if not value:
        raise ValueError(_("Vul een getal in."))
    sign = 1
    if value[0] in "-−+":
        sign = -1 if value[0] in "-−" else 1
        value = value[1:]
    if _GROUPED.match(value):
        value = value.replace(".", "")
    elif not _PLAIN.match(value):
        if re.match(r"^\d+\.\d+$", value):
            raise ValueError(_("‘%(waarde)s’ is geen getal in Nederlandse notatie (gebruik een komma voor decimalen).")
                             % {"waarde": text.strip()})
        raise ValueError(_("‘%(waarde)s’ is geen getal.") % {"waarde": text.strip()})
    number = Decimal(value.replace(",", ".")) * sign
    if number != number.quantize(Decimal("0.01")):
        raise ValueError(_("Gebruik hoogstens twee decimalen."))
    return number


def format_number(value: Decimal) -> str:
    """A Decimal in Dutch notation as in the published tables (``-1.234``, ``12,5``)."""
    value = Decimal(value)
    sign = "-" if value < 0 else ""
    whole, _dot, fraction = f"{abs(value):f}".partition(".")
    fraction = fraction.rstrip("0")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + ".".join(groups) + ("," + fraction if fraction else "")


_QUARTER_PATTERNS = [
    re.compile(r"^(?P<jaar>\d{4})\s+(?P<kwartaal>[1-4])e\s+kwartaal$", re.I),
    re.compile(r"^(?P<jaar>\d{4})\s*[-/ ]?\s*[kq](?P<kwartaal>[1-4])$", re.I),
    re.compile(r"^[kq](?P<kwartaal>[1-4])\s*[-/ ]?\s*(?P<jaar>\d{4})$", re.I),
    re.compile(r"^(?P<kwartaal>[1-4])e\s+kwartaal\s+(?P<jaar>\d{4})$", re.I),
]


def parse_quarter(header: str) -> tuple[int, int] | None:
    text = " ".join((header or "").split())
    for pattern in _QUARTER_PATTERNS:
        match = pattern.match(text)
        if match:
            return int(match["jaar"]), int(match["kwartaal"])
    return None


def _normalise(name: str) -> str:
    return " ".join((name or "").replace("*", "").split()).casefold()


def _rows(content: bytes) -> list[list[str]]:
    if len(content) > MAX_BYTES:
        raise ImportRejected([Problem(_("Het bestand is groter dan 1 MB."))])
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRejected([Problem(_("Het bestand is geen UTF-8-tekst. Sla het in Excel op als ‘CSV UTF-8’."))])
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if ";" in first_line else ("\t" if "\t" in first_line else ",")
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise ImportRejected([Problem(_("Het bestand is leeg."))])
    return rows


def _is_empty(row: list[str]) -> bool:
    return not any(cell.strip() for cell in row)


# --- the UWV table -------------------------------------------------------------------------------


@dataclass(frozen=True)
class UwvRow:
    rij: int  # line number in the file
    label: str  # as in the file
    regio: str | None  # the region's name as known to the portal; None for the total row
    nulmeting: Decimal
    kwartalen: tuple[Decimal, ...]
    voortgang: Decimal | None

    @property
    def laatste(self) -> Decimal:
        return self.kwartalen[-1]


@dataclass(frozen=True)
class UwvTable:
    kolommen: tuple[str, ...]  # header texts of baseline, quarters and (if present) progress
    kwartalen: tuple[tuple[int, int], ...]
    regios: tuple[UwvRow, ...]
    totaal: UwvRow | None
    heeft_voortgang: bool = False
    waarschuwingen: tuple[str, ...] = field(default=())


def parse_uwv(content: bytes, *, known_regions: list[str]) -> UwvTable:
    """Read a UWV trend table; raises :class:`ImportRejected` listing every problem."""
    rows = _rows(content)
    header = [cell.strip() for cell in rows[0]]
    while header and not header[-1]:
        header.pop()
    problems: list[Problem] = []
    if len(header) < 3:
        raise ImportRejected([Problem(
            _("De kopregel moet minstens de kolommen Arbeidsmarktregio, Nulmeting en één kwartaal hebben."), rij=1)])
    if _normalise(header[0]) not in ("arbeidsmarktregio", "regio"):
        problems.append(Problem(_("De eerste kolom heet ‘Arbeidsmarktregio’."), rij=1, kolom=header[0]))
    if _normalise(header[1]) != "nulmeting":
        problems.append(Problem(_("De tweede kolom heet ‘Nulmeting’."), rij=1, kolom=header[1]))
    quarters: list[tuple[int, int]] = []
    has_progress = False
    for index, title in enumerate(header[2:], start=2):
        if _normalise(title).startswith("voortgang"):
            if index != len(header) - 1:
                problems.append(Problem(_("De kolom Voortgang hoort de laatste kolom te zijn."), rij=1, kolom=title))
            has_progress = True
            continue
        quarter = parse_quarter(title)
        if quarter is None:
            problems.append(Problem(
                _("Onbekende kolom; een kwartaal schrijft u als ‘2020 4e kwartaal’ of ‘2020-K4’."), rij=1, kolom=title))
        elif quarter in quarters:
            problems.append(Problem(_("Dit kwartaal staat twee keer in de kopregel."), rij=1, kolom=title))
        elif quarters and quarter < quarters[-1]:
            problems.append(Problem(_("Zet de kwartalen op volgorde, van oud naar nieuw."), rij=1, kolom=title))
        else:
            quarters.append(quarter)
    if not quarters and not problems:
        problems.append(Problem(_("Het bestand heeft geen kolom met een kwartaal."), rij=1))
    if problems:
        raise ImportRejected(problems)

    known = {_normalise(name): name for name in known_regions}
    width = len(header)
    regions: list[UwvRow] = []
    total: UwvRow | None = None
    seen: dict[str, int] = {}
    total_line: int | None = None
    for line, row in enumerate(rows[1:], start=2):
        if _is_empty(row):
            continue
        cells = [cell.strip() for cell in row]
        while len(cells) > width and not cells[-1]:
            cells.pop()
        if len(cells) != width:
            problems.append(Problem(
                _("Deze rij heeft %(n)s kolommen; de kopregel heeft er %(m)s.") % {"n": len(cells), "m": width}, rij=line))
            continue
        label = cells[0]
        is_total = _normalise(label).startswith("totaal")
        regio = None
        if not label:
            problems.append(Problem(_("Vul de naam van de arbeidsmarktregio in."), rij=line, kolom=header[0]))
        elif is_total:
            if total_line is not None:
                problems.append(Problem(_("Het bestand heeft al een totaalrij op rij %(rij)s.") % {"rij": total_line},
                                        rij=line, kolom=header[0]))
                continue
            total_line = line
        else:
            regio = known.get(_normalise(label))
            if regio is None:
                problems.append(Problem(_("Onbekende arbeidsmarktregio ‘%(naam)s’.") % {"naam": label}, rij=line,
                                        kolom=header[0]))
            elif regio in seen:
                problems.append(Problem(_("Deze arbeidsmarktregio staat ook op rij %(rij)s.") % {"rij": seen[regio]},
                                        rij=line, kolom=header[0]))
            else:
                seen[regio] = line
        values: list[Decimal | None] = []
        for title, cell in zip(header[1:], cells[1:]):
            try:
                number = parse_number(cell)
            except ValueError as error:
                problems.append(Problem(str(error), rij=line, kolom=title))
                values.append(None)
                continue
            is_progress = has_progress and title == header[-1]
            if number < 0 and not is_progress:
                problems.append(Problem(_("Een aantal banen kan niet negatief zijn."), rij=line, kolom=title))
            values.append(number)
        if None in values:
            continue
        baseline, counts = values[0], tuple(values[1 : 1 + len(quarters)])
        progress = values[-1] if has_progress else None
        if progress is not None and progress != counts[-1] - baseline:
            problems.append(Problem(
                _("De voortgang (%(gepubliceerd)s) is niet het laatste kwartaal min de nulmeting (%(berekend)s).")
                % {"gepubliceerd": format_number(progress), "berekend": format_number(counts[-1] - baseline)},
                rij=line, kolom=header[-1]))
            continue
        parsed = UwvRow(rij=line, label=label, regio=regio, nulmeting=baseline, kwartalen=counts, voortgang=progress)
        if is_total:
            total = parsed
        elif regio is not None:
            regions.append(parsed)
    if not regions and not problems:
        problems.append(Problem(_("Het bestand bevat geen enkele arbeidsmarktregio.")))
    if problems:
        raise ImportRejected(problems)
    return UwvTable(
        kolommen=tuple(header[1:]), kwartalen=tuple(quarters), regios=tuple(regions), totaal=total,
        heeft_voortgang=has_progress,
    )


def uwv_template(*, known_regions: list[str]) -> str:
    """A CSV template to fill in: the published header layout and one row per region."""
    header = ["Arbeidsmarktregio", "Nulmeting", "2020 4e kwartaal", "2021 1e kwartaal", "Voortgang tov nulmeting"]
    writer = CsvWriter(delimiter=";", lineterminator="\r\n")
    lines = [writer.writerow(header)]
    lines += [writer.writerow([name, "", "", "", ""]) for name in known_regions]
    lines.append(writer.writerow(["Totaal", "", "", "", ""]))
    return "".join(lines)


# --- indicative regional targets -----------------------------------------------------------------


@dataclass(frozen=True)
class DoelRow:
    rij: int
    regio: str
    jaar: int
    markt: Decimal
    overheid: Decimal


REGIONAL_TARGET_COLUMNS = ("Arbeidsmarktregio", "Jaar", "Markt", "Overheid")


def parse_regional_targets(content: bytes, *, known_regions: list[str]) -> list[DoelRow]:
    rows = _rows(content)
    header = [cell.strip() for cell in rows[0]]
    while header and not header[-1]:
        header.pop()
    if [_normalise(h) for h in header] != [_normalise(h) for h in REGIONAL_TARGET_COLUMNS]:
        raise ImportRejected([Problem(
            _("De kopregel moet zijn: %(kolommen)s.") % {"kolommen": ";".join(REGIONAL_TARGET_COLUMNS)}, rij=1)])
    known = {_normalise(name): name for name in known_regions}
    problems: list[Problem] = []
    result: list[DoelRow] = []
    seen: dict[tuple[str, int], int] = {}
    for line, row in enumerate(rows[1:], start=2):
        if _is_empty(row):
            continue
        cells = [cell.strip() for cell in row]
        while len(cells) > 4 and not cells[-1]:
            cells.pop()
        if len(cells) != 4:
            problems.append(Problem(_("Deze rij heeft %(n)s kolommen; verwacht zijn er 4.") % {"n": len(cells)}, rij=line))
            continue
        regio = known.get(_normalise(cells[0]))
        ok = True
        if regio is None:
            problems.append(Problem(_("Onbekende arbeidsmarktregio ‘%(naam)s’.") % {"naam": cells[0]}, rij=line,
                                    kolom=header[0]))
            ok = False
        jaar = None
        if re.fullmatch(r"\d{4}", cells[1]) and 2000 <= int(cells[1]) <= 2100:
            jaar = int(cells[1])
        else:
            problems.append(Problem(_("Vul een jaartal in, bijvoorbeeld 2020."), rij=line, kolom=header[1]))
            ok = False
        numbers = []
        for title, cell in zip(header[2:], cells[2:]):
            try:
                number = parse_number(cell)
            except ValueError as error:
                problems.append(Problem(str(error), rij=line, kolom=title))
                ok = False
                continue
            if number < 0:
                problems.append(Problem(_("Een doel kan niet negatief zijn."), rij=line, kolom=title))
                ok = False
            numbers.append(number)
        if not ok:
            continue
        if (regio, jaar) in seen:
            problems.append(Problem(
                _("Dit jaar van deze regio staat ook op rij %(rij)s.") % {"rij": seen[(regio, jaar)]}, rij=line))
            continue
        seen[(regio, jaar)] = line
        result.append(DoelRow(rij=line, regio=regio, jaar=jaar, markt=numbers[0], overheid=numbers[1]))
    if not result and not problems:
        problems.append(Problem(_("Het bestand bevat geen enkele doelstelling.")))
    if problems:
        raise ImportRejected(problems)
    return result


def regional_targets_template() -> str:
    writer = CsvWriter(delimiter=";", lineterminator="\r\n")
    return writer.writerow(REGIONAL_TARGET_COLUMNS) + writer.writerow(["Zuid-Holland Centraal", 2023, "", ""])
