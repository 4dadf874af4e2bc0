"""Turning domain calculation errors into Django validation errors with Dutch messages.

Services raise ``django.core.exceptions.ValidationError`` keyed by model field names (snake_case),
so that forms show the message at the field and the API can name the field in camelCase.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MESSAGES = {
    # (field, code) first, then code alone.
    ("extraPercentage", "te_hoog"): _("Het extra percentage is hoogstens 100."),
    ("extraPercentage", "negatief"): _("Het extra percentage mag niet negatief zijn."),
    ("urenPerWeek", "verplicht"): _("Vul het aantal uren per week in."),
    ("urenPerWeek", "niet_positief"): _("Het aantal uren per week moet groter zijn dan 0."),
    ("urenPerWeek", "te_hoog"): _("Meer dan 60 uur per week is niet mogelijk."),
    ("urenPerWeek", "onder_minimum"): _("Het aantal uren per week ligt onder het minimum van deze bouwblok."),
    ("dagen", "verplicht"): _("Vul het aantal dagen of de afgesproken waarde in."),
    ("dagen", "negatief"): _("Het aantal dagen moet groter zijn dan 0."),
    ("bedrag", "verplicht"): _("Vul het bedrag in."),
    ("ontheffing", "bedrag_verplicht"): _("Vul de verlaagde verplichting in."),
    ("ontheffing", "bedrag_negatief"): _("De verlaagde verplichting mag niet negatief zijn."),
    ("ontheffing", "bedrag_hoger_dan_verplichting"): _(
        "Een gedeeltelijke ontheffing mag niet hoger zijn dan de berekende verplichting."
    ),
    ("ontheffing", "soort_onbekend"): _("Kies een volledige of gedeeltelijke ontheffing."),
    "negatief": _("Het bedrag mag niet negatief zijn."),
    "verplicht": _("Dit veld is verplicht."),
    "hoger_dan_aanneemsom": _("De loonsom mag niet hoger zijn dan de aanneemsom."),
    "onbekend": _("Onbekende waarde."),
    "te_hoog": _("De waarde is te hoog."),
    "voor_startdatum": _("De einddatum ligt vóór de startdatum."),
    "start_te_vroeg": _("De plaatsing begon meer dan 12 maanden vóór de start van het contract en telt niet mee."),
    "start_na_einde_contract": _("De datum ligt na het einde van het contract."),
    "start_voor_contract": _("De datum ligt vóór de start van het contract."),
    "niet_samen_met_dagen": _("Vul óf het aantal dagen óf de afgesproken waarde in, niet allebei."),
}


def camel_to_snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def snake_to_camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def calculation_error(error) -> ValidationError:
    """A ``CalculationError``/``ValuationError`` (field in camelCase + code) as a ValidationError."""
    message = MESSAGES.get((error.field, error.code)) or MESSAGES.get(error.code) or _("Ongeldige waarde.")
    field = "bedrag" if error.field == "ontheffing" else camel_to_snake(error.field)
    return ValidationError({field: ValidationError(message, code=error.code)})


# --- No BSN, also not in disguise (SROI-RULES.md §4) ---------------------------------------------

#: Digits with at most one separator (space, dot, dash, slash, underscore) between two of them.
_DIGIT_RUN = re.compile(r"(?<!\d)\d(?:[ .\-/_]?\d)*")
#: A run that is a date (d-m-yyyy, dd.mm.yyyy, dd/mm/yyyy, yyyy-mm-dd, yyyymmdd): not a number to refuse.
_DATE = re.compile(r"(?:(\d{1,2})([.\-/])(\d{1,2})\2(\d{4})|((?:19|20)\d{2})-?(\d{2})-?(\d{2}))")
_AMOUNT_BEFORE = re.compile(r"(?:€|\beur|\beuro)\s*$", re.I)
_AMOUNT_AFTER = re.compile(r"^(?:,\d|\s*(?:euro|eur)\b)", re.I)


def passes_eleven_test(digits: str) -> bool:
    """The BSN eleven test (elfproef) on 8 or 9 digits (8: a BSN without its leading zero)."""
    if len(digits) == 8:
        digits = "0" + digits
    if len(digits) != 9 or not digits.isdigit() or not digits.strip("0"):
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1))) - int(digits[8])
    return total % 11 == 0


def _is_date(run: str) -> bool:
    match = _DATE.fullmatch(run)
    if not match:
        return False
    day, _sep, month, year, iso_year, iso_month, iso_day = match.groups()
    if iso_year:
        day, month, year = iso_day, iso_month, iso_year
    return 1 <= int(day) <= 31 and 1 <= int(month) <= 12


def _is_phone_number(run: str, before: str) -> bool:
    digits = re.sub(r"\D", "", run)
    return (len(digits) == 10 and digits.startswith("0")) or before.rstrip().endswith("+") or digits.startswith("0031")


def find_citizen_service_numbers(text: str) -> list[str]:
    """The numbers in ``text`` that look like a BSN: 8 or 9 digits passing the eleven test, also
    written with spaces, dots, dashes, slashes or underscores between the digits and after a prefix
    ("BSN: 1234.56.782", "123 456 782", "12-34-56-782"), as they were typed.

    Not counted: amounts ("€ 12.345.678", "1.234.567,89"), dates ("01-02-2024"), Dutch phone numbers
    (10 digits from 0, or after +31). Two numbers separated by a space are each looked at, so a BSN
    cannot hide beside another number."""
    text = text or ""
    found = []
    for match in _DIGIT_RUN.finditer(text):
        run = match.group()
        before, after = text[:match.start()], text[match.end():]
        if _AMOUNT_BEFORE.search(before) or _AMOUNT_AFTER.match(after) or _is_date(run) or _is_phone_number(run, before):
            continue
        parts = [run] if len(re.sub(r"\D", "", run)) <= 9 else run.split(" ")
        found.extend(part for part in parts if passes_eleven_test(re.sub(r"\D", "", part)))
    return found


def looks_like_citizen_service_number(value: str) -> bool:
    """True when ``value`` holds a number that looks like a BSN (:func:`find_citizen_service_numbers`).

    Such a value is refused in every reference and free-text field: the portal never stores a BSN
    (SROI-RULES.md §4)."""
    return bool(find_citizen_service_numbers(value))


def refuse_citizen_service_numbers(model=None, /, **fields) -> None:
    """The validator every service calls for the reference and free-text fields it stores: raises a
    ``ValidationError`` keyed by field name ("Het veld 'Toelichting' bevat een nummer dat op een BSN
    lijkt. Verwijder het.") when one holds a number that looks like a BSN; stores nothing itself.

    ``model`` (a model class) gives the field labels (its verbose names); a keyword is the field name
    (``kandidaat.referentie`` style keys may be passed as ``**{"kandidaat.referentie": value}``)."""
    errors = citizen_service_number_errors(model, **fields)
    if errors:
        raise ValidationError(errors)


def citizen_service_number_errors(model=None, /, **fields) -> dict:
    """:func:`refuse_citizen_service_numbers` as a dict of errors, for a service that collects all
    its errors before raising."""
    return {
        name: ValidationError(
            _("Het veld ‘%(veld)s’ bevat een nummer dat op een BSN lijkt. Verwijder het.")
            % {"veld": field_label(model, name)},
            code="bsn",
        )
        for name, value in fields.items()
        if isinstance(value, str) and looks_like_citizen_service_number(value)
    }


def field_label(model, name: str) -> str:
    """The field's verbose name with a capital (``toelichting`` → "Toelichting")."""
    label = name.rsplit(".", 1)[-1]
    if model is not None:
        try:
            label = str(model._meta.get_field(label).verbose_name)
        except Exception:  # noqa: BLE001 - not a model field: its name
            label = label.replace("_", " ")
    else:
        label = label.replace("_", " ")
    return label[:1].upper() + label[1:]


def add_service_errors(form, error: ValidationError, field_map: dict | None = None):
    """Show a service's ValidationError at the form's fields (``field_map`` renames service fields to
    form fields; a field the form does not have, or an error without fields: at the top of the form)."""
    field_map = field_map or {}
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            field = field_map.get(field, field)
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
