"""Dutch notation of banenafspraak figures on pages."""

from decimal import Decimal

from django.utils import translation

from banenafspraak.templatetags.banenafspraak import aantal, banen, bron_label, geld, procent, uren

D = Decimal


def test_dutch_notation():
    with translation.override("nl"):
        assert banen(D("4674")) == "4.674,00"
        assert banen(D("13.6")) == "13,60"
        assert procent(D("49.6")) == "49,6%"
        assert procent(D("111.2")) == "111,2%"
        assert aantal(D("-146")) == "-146"
        assert aantal(D("247739")) == "247.739"
        assert uren(D("25.50")) == "25,5"
        assert uren(D("32.00")) == "32"
        assert uren(D("2652")) == "2.652"
        assert geld(D("69000")) == "€ 69.000,00"
        assert bron_label("telling") == "Gemeten totaal"


def test_missing_values_show_a_dash():
    assert banen(None) == procent(None) == aantal(None) == uren(None) == geld(None) == "—"
