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


def looks_like_citizen_service_number(value: str) -> bool:
    """True for 9 digits (spaces, dots and dashes allowed between them) passing the eleven test.

    Such a value is refused wherever a pseudonymous reference is asked for: the portal never stores
    a BSN (SROI-RULES.md §4).
    """
    value = value or ""
    digits = re.sub(r"\D", "", value)
    if len(digits) != 9 or re.sub(r"[\d\s.\-]", "", value):
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1))) - int(digits[8])
    return total % 11 == 0


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
