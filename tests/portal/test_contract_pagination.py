"""The supplier's contract page lists its registrations 50 per page, with an accessible Dutch page
control, an optional status filter kept in the page links, and the contract's figures still over
all registrations. Only the rows shown are written to the processing log."""

import re

import pytest
from django.db.models import Sum
from django.urls import reverse

from bouwblokken.models import Registratie, RegistratieJaar, Status
from bouwblokken.views import REGISTRATIES_PER_PAGE
from sroi_portal import access_pages, loaddata
from sroi_portal.models import Verwerking
from sroi_portal.templatetags.sroi import euro

#: A small generated data set whose fixed contract has 120 registrations (three pages).
SCALE = loaddata.Scale("paginering", gemeenten=2, regios=1, leveranciers=10, contracten=20, registraties=100,
                       special_supplier_contracts=3, special_contract_registrations=120)

ROW_LINK = re.compile(r'<th scope="row"><a href="/registraties/(\d+)/">')


@pytest.fixture
def world(db):
    loaddata.generate(scale=SCALE, seed=3, figures=False)
    fx = loaddata.fixtures()
    assert fx["contract_registraties"] == 120
    return fx


@pytest.fixture
def supplier(client, world):
    client.force_login(world["users"]["leverancier"])
    return client


def url(world, **params):
    base = reverse("bouwblokken:contract", kwargs={"pk": world["contract"].pk})
    return base + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def rows_of(html):
    return [int(pk) for pk in ROW_LINK.findall(html)]


def test_the_registrations_are_shown_50_per_page_each_exactly_once(supplier, world):
    assert REGISTRATIES_PER_PAGE == 50
    pages = [supplier.get(url(world, pagina=n)).text for n in (1, 2, 3)]
    shown = [rows_of(html) for html in pages]
    assert [len(rows) for rows in shown] == [50, 50, 20]
    everything = set(Registratie.objects.filter(contract=world["contract"]).values_list("pk", flat=True))
    assert sorted(pk for rows in shown for pk in rows) == sorted(everything)
    assert "120 registraties op dit contract, 1 tot en met 50" in pages[0]
    assert "120 registraties op dit contract, 101 tot en met 120" in pages[2]


def test_the_page_control_is_a_named_nav_with_the_current_page_marked(supplier, world):
    html = supplier.get(url(world, pagina=2)).text
    nav = re.search(r'<nav class="pagination" aria-label="([^"]+)">(.*?)</nav>', html, re.S)
    assert nav and nav.group(1) == "Pagina's met registraties"
    body = nav.group(2)
    assert "Pagina 2 van 3" in body
    current = re.findall(r'<a href="([^"]+)" aria-current="page">(.*?)</a>', body)
    assert current == [("?pagina=2#registraties", '<span class="visually-hidden">Pagina </span>2')]
    assert 'href="?pagina=1#registraties" rel="prev">Vorige pagina</a>' in body
    assert 'href="?pagina=3#registraties" rel="next">Volgende pagina</a>' in body
    # A page number out of range shows the last page; a non-number the first.
    assert "Pagina 3 van 3" in supplier.get(url(world, pagina=99)).text
    assert "Pagina 1 van 3" in supplier.get(url(world, pagina="x")).text


def test_the_figures_and_submit_buttons_cover_all_registrations_on_every_page(supplier, world):
    contract = world["contract"]
    approved = Registratie.objects.filter(contract=contract, status=Status.GOEDGEKEURD).aggregate(s=Sum("waarde"))["s"]
    concept_years = sorted(set(
        RegistratieJaar.objects.filter(registratie__contract=contract, registratie__status=Status.CONCEPT)
        .values_list("jaar", flat=True)
    ))
    assert approved and concept_years
    for n in (1, 3):
        html = supplier.get(url(world, pagina=n)).text
        assert f"<dt>Toegezegd (goedgekeurd)</dt><dd>{euro(approved)}</dd>" in html
        buttons = [int(y) for y in re.findall(r"Registraties over (\d{4}) indienen", html)]
        assert buttons == concept_years


def test_the_status_filter_is_kept_in_the_page_links(supplier, world):
    contract = world["contract"]
    approved = set(Registratie.objects.filter(contract=contract, status=Status.GOEDGEKEURD).values_list("pk", flat=True))
    assert len(approved) > 50  # more than one page of approved registrations
    first = supplier.get(url(world, status="goedgekeurd")).text
    assert f"{len(approved)} registraties met status goedgekeurd, 1 tot en met 50" in first
    assert '<option value="goedgekeurd" selected>' in first
    assert 'href="?status=goedgekeurd&amp;pagina=2#registraties"' in first
    shown = set()
    for n in range(1, (len(approved) - 1) // 50 + 2):
        shown |= set(rows_of(supplier.get(url(world, status="goedgekeurd", pagina=n)).text))
    assert shown == approved
    # An unknown status is ignored: all registrations.
    assert "120 registraties op dit contract" in supplier.get(url(world, status="onzin")).text


def test_only_the_special_category_rows_of_the_shown_page_are_logged(supplier, world):
    contract = world["contract"]
    logged_per_page = []
    for n in (1, 3):
        before = set(Verwerking.objects.values_list("pk", flat=True))
        html = supplier.get(url(world, pagina=n)).text
        shown = set(rows_of(html))
        logged = Verwerking.objects.exclude(pk__in=before).filter(activiteit="registratie-lijst")
        special = {
            r.pk for r in Registratie.objects.filter(pk__in=shown).select_related("bouwblok", "hoofdregistratie__bouwblok")
            if access_pages.is_special_category(r)
        }
        assert {int(v) for v in logged.values_list("object_id", flat=True)} == special
        assert special <= shown
        logged_per_page.append(special)
    assert logged_per_page[0]  # the first page shows (and logs) special-category rows
    # ... but not all of them: the rows of other pages are not logged as seen.
    assert Registratie.objects.filter(contract=contract, bouwblok__gevoelig=True).count() > len(logged_per_page[0])


def test_every_page_runs_the_same_few_queries(supplier, world, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    supplier.get(url(world))  # warm-up
    counts = []
    for params in ({"pagina": 1}, {"pagina": 3}, {"status": "goedgekeurd", "pagina": 2}):
        with CaptureQueriesContext(connection) as queries:
            assert supplier.get(url(world, **params)).status_code == 200
        counts.append(len(queries))
    assert len(set(counts)) == 1, counts
    with django_assert_max_num_queries(8):
        supplier.get(url(world, pagina=2))
