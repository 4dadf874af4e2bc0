from decimal import Decimal

from sroi_portal.templatetags.sroi import euro, getal, procent


def test_amounts_use_dutch_notation():
    assert euro(Decimal("1234.5")) == "€\u00a01.234,50"
    assert euro(Decimal("1234567.891")) == "€\u00a01.234.567,89"
    assert euro(Decimal("-12")) == "€\u00a0−12,00"
    assert euro(None) == ""


def test_percentages_use_a_decimal_comma():
    assert procent(Decimal("12.5")) == "12,5%"
    assert procent(Decimal("49.56")) == "49,6%"
    assert procent(None) == "–"
    assert getal(Decimal("1326"), 0) == "1.326"
