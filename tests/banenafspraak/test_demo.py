"""The demo data: published figures only, and running it twice changes nothing."""

import io
from decimal import Decimal

import pytest

from banenafspraak import demo, selectors
from banenafspraak.models import (
    Arbeidsmarktregio,
    Dienstverband,
    Doel,
    RegionaleDoelstelling,
    Telling,
    UwvRegioRij,
    UwvTrendrapportage,
    Werkgever,
)

D = Decimal
MODELS = [Werkgever, Doel, Telling, Dienstverband, RegionaleDoelstelling, UwvTrendrapportage, UwvRegioRij]


@pytest.mark.django_db
def test_the_demo_data_is_idempotent():
    demo.seed(io.StringIO())
    counts = [m.objects.count() for m in MODELS]
    demo.seed(io.StringIO())
    assert [m.objects.count() for m in MODELS] == counts
    assert counts[0] == 1 + 2 + 1 + 12  # Zoetermeer, 2 departments, Sector Rijk, 12 ministries


@pytest.mark.django_db
def test_the_demo_data_creates_zoetermeer_when_it_is_missing_and_links_it_to_its_region():
    demo.seed(io.StringIO())
    zhc = Arbeidsmarktregio.objects.get(naam="Zuid-Holland Centraal")
    assert list(zhc.gemeenten.values_list("code", flat=True)) == ["GM0637"]
    organisatie = Werkgever.objects.get(gemeente__code="GM0637", bovenliggende__isnull=True)
    assert [(t.jaar, t.banen_dienstverband) for t in Telling.objects.filter(werkgever=organisatie)] == [
        (2018, D("13.60")), (2019, D("30.70")), (2020, D("33.70"))]
    figures = selectors.council_figures(gemeente=organisatie.gemeente, jaar=2018)
    assert figures.percentage_weergave == D("49.6")
