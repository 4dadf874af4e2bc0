"""Dutch notation for banenafspraak figures on pages: ``13,60`` jobs, ``49,6%``, ``3.329``."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext_lazy as _

register = template.Library()

EMPTY = "—"

BRON_LABELS = {
    "telling": _("Gemeten totaal"),
    "kwartaaltellingen": _("Gemiddelde van gemeten kwartalen"),
    "dienstverbanden": _("Geteld uit dienstverbanden"),
    "gemengd": _("Gemengd: tellingen en dienstverbanden"),
    "geen": _("Geen gegevens"),
}


@register.filter
def banen(value):
    """Jobs with 2 decimals and thousands grouping: ``4.674,00``."""
    return EMPTY if value is None else floatformat(value, "2g")


@register.filter
def procent(value):
    """A percentage with 1 decimal: ``49,6%`` (give it the 1-decimal value, rounded once)."""
    return EMPTY if value is None else f"{floatformat(value, '1g')}%"


@register.filter
def aantal(value):
    """A whole count with thousands grouping and sign: ``3.329``, ``-146``."""
    return EMPTY if value is None else floatformat(value, "0g")


@register.filter
def uren(value):
    """Hours as entered, without trailing zeros: ``25,5``, ``32``."""
    if value is None:
        return EMPTY
    value = Decimal(value)
    return number_format(value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize(),
                         force_grouping=True)


@register.filter
def geld(value):
    return EMPTY if value is None else f"€ {floatformat(value, '2g')}"


@register.filter
def bron_label(value):
    return str(BRON_LABELS.get(value, value or ""))
