"""Template filters for Dutch notation: ``{{ bedrag|euro }}`` → "€ 1.234,56", ``{{ pct|procent }}`` → "12,5%"."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.translation import gettext as _

register = template.Library()


def _dutch_number(value: Decimal, decimals: int) -> str:
    quantum = Decimal(1).scaleb(-decimals)
    value = Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "−" if value < 0 else ""
    integer, _dot, fraction = f"{abs(value):.{decimals}f}".partition(".")
    groups = []
    while len(integer) > 3:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    groups.insert(0, integer)
    text = ".".join(groups)
    return f"{sign}{text},{fraction}" if decimals else f"{sign}{text}"


@register.filter
def euro(value, decimals=2):
    """€ 1.234,56 (non-breaking space after the euro sign); empty for None."""
    if value in (None, ""):
        return ""
    return f"€\u00a0{_dutch_number(Decimal(value), int(decimals))}"


@register.filter
def procent(value, decimals=1):
    """12,5% (one decimal by default); a dash for an undefined percentage."""
    if value in (None, ""):
        return "–"
    return f"{_dutch_number(Decimal(value), int(decimals))}%"


@register.filter
def getal(value, decimals=0):
    """A number in Dutch notation: 1.234 or 12,50."""
    if value in (None, ""):
        return ""
    return _dutch_number(Decimal(value), int(decimals))


STATUS_LABELS = {
    "vrijgesteld": "Vrijgesteld", "voldaan_via_sebo": "Voldaan via SEBO", "voldaan": "Voldaan",
    "op_schema": "Op schema", "achter": "Achter op schema", "niet_van_toepassing": "Niet van toepassing",
    "concept": "Concept", "ingediend": "Ingediend", "goedgekeurd": "Goedgekeurd", "afgekeurd": "Afgekeurd",
    "meer_informatie": "Meer informatie gevraagd",
}


@register.inclusion_tag("partials/status_badge.html")
def status_badge(status):
    return {"status": status, "label": _(STATUS_LABELS.get(status, status))}
