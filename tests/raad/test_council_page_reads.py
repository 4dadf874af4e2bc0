"""What the council reads on its page and in its PDF (issue #12 item 7): a per-year row that says
what is cumulative, figures that can fall while nothing got worse say why, the banenafspraak names
its source and how complete it is, the budget line is a value per euro (fixed values, not money),
the data version sits in the accountability at the end, and every table header in the PDF has its
scope (PDF/UA-1 clause 7.5)."""

import re
import shutil
import subprocess
import zlib
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from banenafspraak import services as banen
from reporting.models import Teambudget
from reporting.pdf import render_council_report, render_html
from reporting.selectors import council_figures
from .test_council_pages import _text, page_url

TREND_HEADERS = ["Jaar", "Contracten", "Gerealiseerd in het jaar zelf", "Verplichting (hele looptijd)",
                 "Gerealiseerd t/m het jaar (cumulatief)", "Realisatie t/m het jaar (cumulatief)",
                 "Geplaatste personen in het jaar"]


@pytest.fixture
def with_jobs_and_budget(zoetermeer_2025):
    """Zoetermeer as employer: one job of its own from 2024 on, and UWV counts of three quarters of 2025;
    an SR-team budget of 20,000 for 2025."""
    werkgever = banen.create_werkgever(naam="Gemeente Zoetermeer", gemeente=zoetermeer_2025)
    banen.create_doel(werkgever=werkgever, jaar=2025, banen=Decimal("10"))
    banen.record_dienstverband(werkgever=werkgever, referentie="P-1", initialen="A.B.", geboortejaar=1990,
                               soort="dienstverband", startdatum=date(2024, 1, 1), einddatum=None,
                               uren_per_week=Decimal("25.5"))
    for kwartaal in (1, 2, 3):
        banen.record_telling(werkgever=werkgever, jaar=2025, kwartaal=kwartaal, bron="uwv",
                             banen_dienstverband=Decimal("8"), banen_inleen=Decimal("1"))
    Teambudget.objects.create(gemeente=zoetermeer_2025, jaar=2025, bedrag=Decimal("20000.00"))
    return zoetermeer_2025


def _pdf(gemeente, jaar, tmp_path) -> str:
    """The PDF's text in reading order (pdftotext without -layout: a header cell that wraps stays one text)."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext not installed (bash scripts/system-deps.sh poppler)")
    path = tmp_path / f"raad-{jaar}.pdf"
    path.write_bytes(render_council_report(council_figures(gemeente=gemeente, jaar=jaar), made_at=timezone.now()))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"[\s\u00a0]+", " ", text)


def trend_headers(html: str) -> list[str]:
    table = re.search(r'<table class="data-table trend">.*?</table>', html, re.S).group(0)
    return [_text(th) for th in re.findall(r'<th scope="col"[^>]*>(.*?)</th>', table, re.S)]


def test_a_per_year_row_says_which_figures_are_cumulative(client, team, zoetermeer_2025, tmp_path):
    client.force_login(team["raadslid"])
    html = client.get(page_url()).content.decode()
    # The year's own amount stands under its own header; the total and its percentage say "cumulatief".
    assert trend_headers(html) == TREND_HEADERS
    row_2025 = re.search(r'<tr>\s*<th scope="row">2025</th>(.*?)</tr>', html, re.S).group(1)
    assert [_text(td) for td in re.findall(r"<td[^>]*>(.*?)</td>", row_2025, re.S)] == [
        "2", "€\u00a060.000", "€\u00a060.000", "€\u00a060.000", "100,0%", "6"]
    text = _text(html)
    pdf = _pdf(zoetermeer_2025, 2025, tmp_path)
    for shown in (text, pdf):
        assert "Realisatie t/m het jaar (cumulatief)" in shown
        # The figures that can fall while nothing got worse say why.
        assert "kunnen van jaar tot jaar dalen als een contract afloopt" in shown
        assert "kan dalen als een contract afloopt of een nieuw contract begint, ook als er niets slechter ging" in shown
    assert "over de contracten die in 2025 liepen: kan dalen als een contract afloopt" in text  # the headline


def test_the_banenafspraak_names_its_source_and_how_complete_it_is(client, team, with_jobs_and_budget, tmp_path):
    client.force_login(team["raadslid"])
    text_2025 = _text(client.get(page_url(jaar=2025)).content.decode())
    text_2024 = _text(client.get(page_url(jaar=2024)).content.decode())
    pdf_2025 = _pdf(with_jobs_and_budget, 2025, tmp_path)
    for shown in (text_2025, pdf_2025):
        assert "Bron: kwartaaltellingen van UWV: het gemiddelde over 3 van 4 kwartalen." in shown
        assert "Niet alle kwartalen zijn gemeten" in shown
    assert "Bron: eigen registratie van de gemeente" in text_2024 and ", over heel 2024." in text_2024
    api = client.get("/api/v1/raadsrapportages/GM0637/2025").json()["banenafspraak"]
    assert (api["bron"], api["meetbronnen"], api["kwartalenGemeten"]) == ("kwartaaltellingen", ["uwv"], 3)
    assert client.get("/api/v1/raadsrapportages/GM0637/2024").json()["banenafspraak"]["bron"] == "dienstverbanden"


def test_the_budget_line_is_a_value_per_euro_of_fixed_values(client, team, with_jobs_and_budget, tmp_path):
    client.force_login(team["raadslid"])
    text = _text(client.get(page_url()).content.decode())
    pdf = _pdf(with_jobs_and_budget, 2025, tmp_path)
    for shown in (text, pdf):
        assert "Waarde per euro budget" in shown and "€ 3,00" in shown.replace("\u00a0", " ")
        assert "vaste rekenwaarde" in shown and "geen geld" in shown
        assert "Opbrengst per euro" not in shown


def test_the_data_version_is_in_the_accountability_at_the_end_of_the_pdf(zoetermeer_2025, tmp_path):
    f = council_figures(gemeente=zoetermeer_2025, jaar=2025)
    pdf = _pdf(zoetermeer_2025, 2025, tmp_path)
    assert pdf.count(f.gegevensversie) == 1  # not in the header, not in every page's footer
    assert pdf.index(f"Gegevensversie {f.gegevensversie}") > pdf.rindex("Verantwoording")


def test_every_table_header_in_the_pdf_carries_its_scope(with_jobs_and_budget):
    f = council_figures(gemeente=with_jobs_and_budget, jaar=2025)
    html = render_html(f, made_at=timezone.now())
    headers = re.findall(r"<th\b[^>]*>", html)
    assert len(headers) > 40  # the kerncijfers, realisation, trend, status, target groups, banenafspraak, budget
    assert [th for th in headers if not re.search(r'\bscope="(col|row)"', th)] == []
    # WeasyPrint turns the scopes into /Headers of the data cells in the PDF's structure tree.
    pdf = render_council_report(f, made_at=timezone.now())
    streams = re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S)
    decoded = b"".join(_inflate(s) for s in streams)
    assert decoded.count(b"/Headers") + pdf.count(b"/Headers") >= 40


def _inflate(data: bytes) -> bytes:
    try:
        return zlib.decompress(data)
    except zlib.error:
        return b""


def test_the_old_pages_repeat_nothing(client, team, zoetermeer_2025):
    """/raad/<code>/ is no page of its own any more, and the index shows no second wording."""
    client.force_login(team["raadslid"])
    assert client.get(reverse("raad:gemeente", kwargs={"code": "GM0637"}) + "?jaar=2025").status_code == 302
    index = client.get(reverse("raad:index") + "?jaar=2025").text
    assert "Gerealiseerd (goedgekeurd)" not in index and 'href="/raad/GM0637/' not in index
