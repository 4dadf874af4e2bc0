"""The production-like run: gunicorn serves the portal (production settings, behind a "TLS proxy"
header), a real Celery worker takes the tasks from a real Redis, both on the real PostgreSQL
database of this test run.

- a council member logs in through the login form, asks for the PDF report over HTTP and gets it
  from the worker;
- the reminder task, sent twice at the same time through Redis, e-mails each reminder once.
"""

import http.client
import re
import shutil
import subprocess
import time
from datetime import date
from decimal import Decimal
from email import message_from_bytes
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

import pytest
from django.contrib.auth import get_user_model

from reporting.models import Herinnering, Raadsrapportage
from sroi_portal.models import Role
from tests.factories import LeverancierFactory, gemeente_with_policy, make_contract
from tests.reporting.conftest import place

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Productie-test-2026!"


def production_password_hash(password):
    """The test settings hash passwords with a fast hasher the production settings do not accept:
    hash with the production default (PBKDF2) so that gunicorn can check it."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    hasher = PBKDF2PasswordHasher()
    return hasher.encode(password, hasher.salt())


class Browser:
    """Just enough of a browser: cookies, CSRF token, redirects off; every request comes "through
    the TLS proxy" (X-Forwarded-Proto: https), as the production settings expect."""

    def __init__(self, base_url):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.origin = f"https://{parts.hostname}:{parts.port}"
        self.cookies = {}

    def request(self, method, path, form=None):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        headers = {"X-Forwarded-Proto": "https", "Host": f"{self.host}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers.update({"Content-Type": "application/x-www-form-urlencoded", "Origin": self.origin,
                            "Referer": self.origin + path})
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        connection.close()
        return response.status, response.headers, content

    def csrf_token(self, html: bytes) -> str:
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert match, html[:500]
        return match.group(1).decode()


def _log_in(browser, email):
    status, _headers, page = browser.request("GET", "/account/inloggen/")
    assert status == 200
    status, headers, _page = browser.request(
        "POST", "/account/inloggen/",
        {"csrfmiddlewaretoken": browser.csrf_token(page), "username": email, "password": PASSWORD},
    )
    assert status == 302, "login failed: " + re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", _page.decode()))[:800]
    assert "sessionid" in browser.cookies


@pytest.fixture
def council_member(db):
    zoetermeer = gemeente_with_policy("GM0637", "Zoetermeer")
    contract = make_contract(gemeente=zoetermeer, leverancier=LeverancierFactory())
    place(contract, start=date(2025, 1, 1), end=date(2025, 12, 31))  # approved: 40,000 in 2025
    user = get_user_model().objects.create(
        username="raadslid-prod", email="raadslid@prod.example", password=production_password_hash(PASSWORD),
        role=Role.RAADSLID,
    )
    user.gemeenten.set([zoetermeer])
    return user


def test_the_worker_makes_the_pdf_a_council_member_asks_for_over_http(services, council_member):
    started = time.monotonic()
    browser = Browser(services.web_url)
    _log_in(browser, council_member.email)

    status, _headers, dashboard = browser.request("GET", "/rapportage/GM0637/2025/")
    assert status == 200
    assert "€\u00a040.000".encode() in dashboard  # the approved placement, from the stored figures
    status, headers, _body = browser.request(
        "POST", "/rapportage/GM0637/2025/raadsrapportage", {"csrfmiddlewaretoken": browser.csrf_token(dashboard)}
    )
    assert status == 302
    status_path = urlsplit(headers["Location"]).path

    page = b""
    while time.monotonic() - started < 90:
        status, _headers, page = browser.request("GET", status_path)
        assert status == 200
        if b"De PDF is klaar" in page:
            break
        assert b'http-equiv="refresh"' in page  # the page refreshes itself while it waits
        time.sleep(0.5)
    else:
        pytest.fail("the PDF was not ready within 90 s:\n" + services.log("worker.log")[-3000:])

    report = Raadsrapportage.objects.get()
    status, headers, pdf = browser.request("GET", f"/rapportage/raadsrapportages/{report.pk}/download")
    assert status == 200 and headers["Content-Type"] == "application/pdf"
    assert pdf.startswith(b"%PDF")
    assert report.status == "klaar" and (services.media_dir / report.bestand.name).exists()  # private storage
    assert f"generate_council_report[" in services.log("worker.log")  # made by the worker, not in a request
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
        assert "Raadsrapportage social return\nZoetermeer 2025" in text
        assert f"Gegevensversie {report.gegevensversie}" in text  # in the Verantwoording at the end

    anonymous = Browser(services.web_url)
    status, headers, _body = anonymous.request("GET", f"/rapportage/raadsrapportages/{report.pk}/download")
    assert status == 302 and "/account/inloggen/" in headers["Location"]


def _sent_mails(mail_dir):
    messages = []
    for path in sorted(mail_dir.glob("*.log")):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                messages.append(message_from_bytes(chunk.strip()))
    return messages


def _body(message):
    part = message.get_payload(decode=True)
    if part is None:  # multipart
        part = message.get_payload()[0].get_payload(decode=True)
    return part.decode()


def test_a_reminder_run_sent_twice_at_once_mails_each_reminder_once(services, celery_client):
    zoetermeer = gemeente_with_policy("GM0637", "Zoetermeer")
    leverancier = LeverancierFactory()
    supplier = get_user_model().objects.create(
        username="leverancier-prod", email="sroi@leverancier.example", role=Role.LEVERANCIER, leverancier=leverancier,
    )
    contracts = [make_contract(gemeente=zoetermeer, leverancier=leverancier) for _i in range(3)]

    results = [celery_client.send_task("reporting.tasks.send_reminders", kwargs={"today": "2026-01-05"})
               for _i in range(2)]
    outcomes = [result.get(timeout=60) for result in results]
    assert sorted(o.get("jaarrapportage", 0) for o in outcomes) == [0, 1]  # one run sent, the other found it done

    # The contracts (no registrations yet) are also behind schedule: those reminders are mails of their own.
    sent = [m for m in _sent_mails(services.mail_dir) if supplier.email in m["To"]]
    mails = [m for m in sent if m["Subject"] == "Social return: uw jaarrapportage over 2025"]
    assert len(mails) == 1
    body = _body(mails[0])
    assert all(body.count(c.kenmerk) == 1 for c in contracts)
    assert Herinnering.objects.filter(ontvanger=supplier.email, soort="jaarrapportage").count() == 3

    again = celery_client.send_task("reporting.tasks.send_reminders", kwargs={"today": "2026-01-05"}).get(timeout=60)
    assert again == {}
    assert len([m for m in _sent_mails(services.mail_dir) if supplier.email in m["To"]]) == len(sent)


def test_the_worker_recomputes_every_figure_at_night(services, celery_client, council_member):
    result = celery_client.send_task("reporting.tasks.recompute_all_figures").get(timeout=60)
    assert result["contracten"] == 1 and result["batches"] == 1
