"""Turning domain calculation errors into Django validation errors with Dutch messages.

Services raise ``django.core.exceptions.ValidationError`` keyed by model field names (snake_case),
so that forms show the message at the field and the API can name the field in camelCase.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "negatief": _("Het bedrag mag niet negatief zijn."),
    "verplicht": _("Dit veld is verplicht."),
    "ontbreekt": _("Dit veld is verplicht."),
    "loonsom_boven_aanneemsom": _("De loonsom mag niet hoger zijn dan de aanneemsom."),
    "onbekend": _("Onbekende waarde."),
    "onbekende_categorie": _("Onbekende categorie."),
    "onbekende_procedure": _("Onbekende procedure."),
    "te_hoog": _("De waarde is te hoog."),
    "boven_berekend_bedrag": _("Een gedeeltelijke ontheffing mag niet hoger zijn dan de berekende verplichting."),
    "einde_voor_start": _("De einddatum ligt vóór de startdatum."),
    "start_te_vroeg": _("De plaatsing begon meer dan 12 maanden vóór de start van het contract en telt niet mee."),
    "start_na_einde_contract": _("De startdatum ligt na het einde van het contract."),
    "buiten_contractperiode": _("De datum ligt buiten de looptijd van het contract."),
    "uren_ontbreken": _("Vul het aantal uren per week in."),
    "uren_niet_positief": _("Het aantal uren per week moet groter zijn dan 0."),
    "uren_te_hoog": _("Meer dan 60 uur per week is niet mogelijk."),
    "uren_onder_minimum": _("Het aantal uren per week ligt onder het minimum van deze bouwblok."),
    "niet_beide": _("Vul óf het aantal dagen óf de afgesproken waarde in, niet allebei."),
    "dagen_of_bedrag": _("Vul het aantal dagen of de afgesproken waarde in."),
    "niet_positief": _("De waarde moet groter zijn dan 0."),
}


def camel_to_snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def snake_to_camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def calculation_error(error) -> ValidationError:
    """A ``CalculationError``/``ValuationError`` (field in camelCase + code) as a ValidationError."""
    message = MESSAGES.get(error.code, _("Ongeldige waarde."))
    return ValidationError({camel_to_snake(error.field): ValidationError(message, code=error.code)})
