"""Load test of the portal (issue #6, item 8): ``make loadtest`` runs it (scripts/loadtest.sh).

Three kinds of simulated users, each logged in with its OWN account (``create_load_accounts``
writes them, with their passwords, to the JSON file named by ``LOAD_ACCOUNTS``); the number of
users of each kind is the number of accounts of that kind (``fixed_count``), so the account file
sets the mix:

* suppliers: log in, open the overview and a contract, register a placement with a (new,
  pseudonymous) candidate through the guided form (sometimes "Bereken waarde" first), add a small
  PDF as evidence, submit; sometimes only browse;
* SR-team: log in (password, then the TOTP code when the portal asks for it), open the verification
  queue (sometimes filtered on one of the load suppliers), open one of the first submitted
  registrations and approve or reject it. Another member may have decided it in between: the
  portal then answers the form with "intussen gewijzigd of beoordeeld" / "alleen een ingediende
  registratie": an expected outcome of concurrent work, counted, not an error;
* council members: log in, read the council pages and the dashboard, fetch the figures from the
  API and download the open-data CSV.

Everything goes through the HTML forms with their CSRF token, as a browser does (suppliers and
the SR-team work in the portal's pages; the API is used where a council member's spreadsheet would:
the figures). Requests say ``X-Forwarded-Proto: https`` as the TLS proxy in front of gunicorn
would, and the secure cookies are sent back over the loopback connection.

What the users did goes to the JSON file ``LOAD_RESULTS`` at the end (registrations created and
submitted, decisions answered 2xx, conflicts), so that ``tests/load/verify.py`` can compare it with
the database both ways. Safeguards: ``LOAD_MAX_REQUESTS`` (default 40,000) stops the run when
reached; locust's ``-t`` bounds the time.

Not collected by pytest (no ``test_`` prefix); the smoke test is tests/services/test_loadtest_smoke.py.
"""

from __future__ import annotations

import json
import os
import random
import re
import secrets
import threading
import time
from datetime import date, datetime, timedelta, timezone
from urllib.parse import urlsplit

from locust import HttpUser, between, events, task
from locust.exception import StopUser
from requests.cookies import RequestsCookieJar

ACCOUNTS_FILE = os.environ.get("LOAD_ACCOUNTS", "")
RESULTS_FILE = os.environ.get("LOAD_RESULTS", "")
MAX_REQUESTS = int(os.environ.get("LOAD_MAX_REQUESTS", "40000"))
WAIT_MIN = float(os.environ.get("LOAD_WAIT_MIN", "1"))
WAIT_MAX = float(os.environ.get("LOAD_WAIT_MAX", "4"))
RUN_ID = os.environ.get("LOAD_RUN_ID") or secrets.token_hex(3).upper()

CONFLICT_TEXTS = ("intussen gewijzigd of beoordeeld", "Alleen een ingediende registratie kan worden beoordeeld")
SUBMITTED_TEXT = "De registratie is ingediend."
TINY_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSIE_RE = re.compile(r'name="versie" value="(\d+)"')
QUEUE_LINK_RE = re.compile(r'href="/controle/(\d+)/')
PAGE_COUNT_RE = re.compile(r"Pagina \d+ van (\d+)")
REGISTRATION_PATH_RE = re.compile(r"^/registraties/(\d+)/$")


def _load_accounts() -> dict:
    if not ACCOUNTS_FILE:
        return {"accounts": {"supplier": [], "srteam": [], "council": []}, "today": date.today().isoformat()}
    with open(ACCOUNTS_FILE) as handle:
        return json.load(handle)


ACCOUNTS = _load_accounts()
TODAY = date.fromisoformat(ACCOUNTS.get("today") or date.today().isoformat())
_pools = {kind: list(rows) for kind, rows in ACCOUNTS["accounts"].items()}
_lock = threading.Lock()


class Record:
    """What the simulated users did, for the check against the database afterwards."""

    started = datetime.now(timezone.utc).isoformat()
    created: list[dict] = []  # registrations the portal answered "saved" for (302 to the registration)
    submitted: list[int] = []  # registrations the portal confirmed as submitted
    evidence: list[int] = []
    decisions: list[dict] = []  # decisions answered 302 (done)
    conflicts: list[dict] = []  # decisions answered "already decided / changed meanwhile"
    skipped_decided: int = 0  # opened a registration that was no longer open for a decision
    # "Supplier X submitted something": what an SR-team member hears (the supplier's id), once per submission.
    notifications: list[int] = []
    # Writes sent but not (yet) answered: what is left here at the end had no answer because the run
    # stopped (a user still busy after the stop timeout is killed). The checks tell them apart.
    pending_create: dict[str, dict] = {}  # candidate reference -> registration sent
    pending_submit: dict[int, str] = {}  # registration -> user
    pending_decide: dict[int, dict] = {}  # registration -> decision sent
    requests = 0
    server_errors = 0  # answers 500-599
    timings: dict[str, list] = {}  # response times (ms) per kind of user ("leverancier", "srteam", ...)
    safeguard = False


def _take_account(kind: str) -> dict:
    with _lock:
        if not _pools.get(kind):
            raise StopUser()
        return _pools[kind].pop(0)


def _write_results(**_kwargs):
    if not RESULTS_FILE:
        return
    data = {
        "run": RUN_ID, "started": Record.started, "stopped": datetime.now(timezone.utc).isoformat(),
        "created": Record.created, "submitted": Record.submitted, "evidence": Record.evidence,
        "decisions": Record.decisions, "conflicts": Record.conflicts, "skipped_decided": Record.skipped_decided,
        "unanswered": {"create": list(Record.pending_create.values()),
                       "submit": [{"id": pk, "user": user} for pk, user in Record.pending_submit.items()],
                       "decide": list(Record.pending_decide.values())},
        "requests": Record.requests, "server_errors": Record.server_errors,
        "groups": {group: {"requests": len(times), "median_ms": _percentile(times, 0.5),
                           "p95_ms": _percentile(times, 0.95), "max_ms": max(times) if times else None}
                   for group, times in sorted(Record.timings.items())},
        "safeguard_hit": Record.safeguard, "max_requests": MAX_REQUESTS,
    }
    tmp = RESULTS_FILE + ".tmp"
    with open(tmp, "w") as handle:
        json.dump(data, handle, indent=1)
    os.replace(tmp, RESULTS_FILE)


def _percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return None
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))]


@events.request.add_listener
def _count(name="", response_time=0, response=None, request_type="", **_kwargs):
    Record.requests += 1
    if response is not None and 500 <= getattr(response, "status_code", 0) <= 599:
        Record.server_errors += 1
    if request_type != "CHECK":
        Record.timings.setdefault(name.split(":", 1)[0], []).append(response_time)
    if Record.requests >= MAX_REQUESTS and not Record.safeguard:
        Record.safeguard = True
        runner = _environment.runner if _environment else None
        if runner is not None:
            import gevent

            gevent.spawn_later(0, runner.quit)


_environment = None


@events.init.add_listener
def _init(environment, **_kwargs):
    global _environment
    _environment = environment


events.test_stop.add_listener(_write_results)
events.quitting.add_listener(_write_results)


class LoopbackCookieJar(RequestsCookieJar):
    """The portal's cookies are Secure (HTTPS behind the proxy); the load test speaks plain HTTP to
    gunicorn on 127.0.0.1 "behind the proxy", so the jar keeps them as if they were not, and sends
    them back. (A cookie policy would not do: requests copies the cookies into a jar of its own.)"""

    def set_cookie(self, cookie, *args, **kwargs):
        cookie.secure = False
        return super().set_cookie(cookie, *args, **kwargs)


class PortalUser(HttpUser):
    abstract = True
    kind = ""
    wait_time = between(WAIT_MIN, WAIT_MAX)

    def on_start(self):
        self.account = _take_account(self.kind)
        self.client.cookies = LoopbackCookieJar()
        parts = urlsplit(self.host)
        self.origin = f"https://{parts.hostname}:{parts.port}" if parts.port else f"https://{parts.hostname}"
        self.client.headers.update({"X-Forwarded-Proto": "https", "Accept-Language": "nl"})
        self.rng = random.Random(f"{RUN_ID}-{self.account['username']}")
        self.log_in()

    # -- helpers -------------------------------------------------------------------------------------
    @property
    def stopping(self) -> bool:
        """The run is ending: finish the page at hand, start no new write."""
        return self._state == "stopping"

    @staticmethod
    def errors(html: str) -> str:
        """The form's error messages (what the user would read), for the failure report."""
        found = re.findall(r'class="(?:form-error|notice notice--error)"[^>]*>(.*?)</(?:p|div)>', html, re.S)
        return " | ".join(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", f)).strip() for f in found)[:400] or html[:200]

    def form_headers(self, path: str) -> dict:
        return {"Origin": self.origin, "Referer": self.origin + path}

    @staticmethod
    def csrf(html: str) -> str | None:
        match = CSRF_RE.search(html)
        return match.group(1) if match else None

    def get(self, path, name, **kwargs):
        """GET that must answer 200 itself (a redirect, e.g. to the login page, is a failure too);
        returns the response or None."""
        with self.client.get(path, name=name, catch_response=True, allow_redirects=False, **kwargs) as response:
            if response.status_code != 200:
                response.failure(f"{path}: HTTP {response.status_code}")
                return None
            response.success()
            return response

    @staticmethod
    def evidence_kind(html):
        """The first kind the upload form offers (a kind the bouwblok still needs comes first), else
        "overig", which every upload may be."""
        select = re.search(r'<select name="soort"[^>]*>(.*?)</select>', html, re.S)
        values = re.findall(r'<option value="([^"]+)"', select.group(1)) if select else []
        return values[0] if values else "overig"

    def log_in(self):
        page = self.get("/account/inloggen/", "inloggen: formulier")
        if page is None:
            raise StopUser()
        with self.client.post(
            "/account/inloggen/", name="inloggen: wachtwoord", allow_redirects=False, catch_response=True,
            data={"csrfmiddlewaretoken": self.csrf(page.text), "username": self.account["email"],
                  "password": self.account["password"]},
            headers=self.form_headers("/account/inloggen/"),
        ) as response:
            if response.status_code != 302:
                response.failure(f"login of {self.account['username']}: HTTP {response.status_code}")
                raise StopUser()
            response.success()
            location = response.headers.get("Location", "")
        if "verificatie" in urlsplit(location).path:
            self.verify_mfa(urlsplit(location).path or location)

    def verify_mfa(self, path):
        """The second step for staff: the TOTP code of the device create_load_accounts made."""
        totp = self.account.get("totp")
        page = self.get(path, "inloggen: verificatie (formulier)")
        if page is None:
            raise StopUser()
        with self.client.post(
            path, name="inloggen: verificatie (code)", allow_redirects=False, catch_response=True,
            data={"csrfmiddlewaretoken": self.csrf(page.text), "otp_token": self.totp_token(totp) if totp else ""},
            headers=self.form_headers(path),
        ) as response:
            if not totp:
                response.failure(f"{self.account['username']} is asked for a TOTP code but has no device")
                raise StopUser()
            location = response.headers.get("Location", "")
            if response.status_code != 302 or "verificatie" in location:
                response.failure(f"TOTP code of {self.account['username']} refused: HTTP {response.status_code}")
                raise StopUser()
            response.success()

    @staticmethod
    def totp_token(totp: dict) -> str:
        from django_otp.oath import TOTP

        generator = TOTP(bytes.fromhex(totp["key"]), totp.get("step", 30), totp.get("t0", 0),
                         totp.get("digits", 6), totp.get("drift", 0))
        generator.time = time.time()
        return f"{generator.token():0{totp.get('digits', 6)}d}"


class Supplier(PortalUser):
    kind = "supplier"
    fixed_count = len(ACCOUNTS["accounts"].get("supplier", []))
    weight = 6

    @task(4)
    def register_and_submit(self):
        self.get("/registraties/", "leverancier: overzicht")
        contract = self.rng.choice(self.account["contracts"])
        cid = contract["id"]
        if self.get(f"/registraties/contract/{cid}/", "leverancier: contract") is None:
            return
        choose = self.get(f"/registraties/contract/{cid}/nieuw/", "leverancier: kies bouwblok")
        if choose is None:
            return
        offered = [code for code in contract["plaatsingen"] if f"/registraties/contract/{cid}/nieuw/{code}/" in choose.text]
        if not offered:
            self.environment.events.request.fire(
                request_type="CHECK", name="leverancier: plaatsing aangeboden", response_time=0, response_length=0,
                exception=AssertionError(f"contract {cid}: none of {contract['plaatsingen']} offered"), context={},
            )
            return
        code = self.rng.choice(offered)
        form_path = f"/registraties/contract/{cid}/nieuw/{code}/"
        form = self.get(form_path, "leverancier: registratieformulier")
        if form is None or self.stopping:
            return
        data = self._placement(contract)
        data["csrfmiddlewaretoken"] = self.csrf(form.text)
        if self.rng.random() < 0.5:
            with self.client.post(form_path, name="leverancier: bereken waarde", data={**data, "actie": "bereken"},
                                  headers=self.form_headers(form_path), catch_response=True) as response:
                if response.status_code != 200 or 'id="preview-title"' not in response.text:
                    response.failure(f"preview on {form_path}: HTTP {response.status_code}, no value shown: "
                                     f"{self.errors(response.text)}")
                    return
                response.success()
                data["csrfmiddlewaretoken"] = self.csrf(response.text) or data["csrfmiddlewaretoken"]
        if self.stopping:
            return
        sent = {"contract": cid, "bouwblok": code, "referentie": data["referentie"], "user": self.account["username"]}
        Record.pending_create[data["referentie"]] = sent
        with self.client.post(form_path, name="leverancier: opslaan", data={**data, "actie": "opslaan"},
                              headers=self.form_headers(form_path), allow_redirects=False, catch_response=True) as response:
            Record.pending_create.pop(data["referentie"], None)
            match = REGISTRATION_PATH_RE.match(urlsplit(response.headers.get("Location", "")).path)
            if response.status_code != 302 or not match:
                response.failure(f"save on {form_path}: HTTP {response.status_code}: {self.errors(response.text)}")
                return
            response.success()
        pk = int(match.group(1))
        with _lock:
            Record.created.append({"id": pk, **sent})
        detail = self.get(f"/registraties/{pk}/", "leverancier: registratie")
        if detail is None or self.stopping:
            return
        if self.rng.random() < 0.7:
            path = f"/registraties/{pk}/bewijs/"
            with self.client.post(
                path, name="leverancier: bewijs toevoegen", allow_redirects=False, catch_response=True,
                data={"csrfmiddlewaretoken": self.csrf(detail.text), "soort": self.evidence_kind(detail.text),
                      "omschrijving": "Arbeidsovereenkomst"},
                files={"bestand": ("arbeidsovereenkomst.pdf", TINY_PDF, "application/pdf")},
                headers=self.form_headers(f"/registraties/{pk}/"),
            ) as response:
                if response.status_code != 302:
                    response.failure(f"evidence for {pk}: HTTP {response.status_code}")
                    return
                response.success()
                Record.evidence.append(pk)
        if self.stopping:
            return
        confirm = self.get(f"/registraties/{pk}/indienen/", "leverancier: indienen (bevestigen)")
        if confirm is None or self.stopping:
            return
        path = f"/registraties/{pk}/indienen/"
        Record.pending_submit[pk] = self.account["username"]
        with self.client.post(path, name="leverancier: indienen", catch_response=True,
                              data={"csrfmiddlewaretoken": self.csrf(confirm.text)},
                              headers=self.form_headers(path)) as response:
            Record.pending_submit.pop(pk, None)
            # The portal redirects to the contract page and says there whether it worked.
            if response.status_code != 200 or SUBMITTED_TEXT not in response.text:
                response.failure(f"submit {pk}: HTTP {response.status_code}, no confirmation on the page: "
                                 f"{self.errors(response.text)}")
                return
            response.success()
        with _lock:
            Record.submitted.append(pk)
            Record.notifications.append(self.account["leverancier_id"])

    @task(2)
    def browse(self):
        self.get("/registraties/", "leverancier: overzicht")
        contract = self.rng.choice(self.account["contracts"])
        self.get(f"/registraties/contract/{contract['id']}/", "leverancier: contract")

    @task(1)
    def look_at_own_registration(self):
        mine = [r["id"] for r in Record.created if r["user"] == self.account["username"]]
        if mine:
            self.get(f"/registraties/{self.rng.choice(mine)}/", "leverancier: registratie")

    def _placement(self, contract) -> dict:
        start = date.fromisoformat(contract["startdatum"])
        end = date.fromisoformat(contract["einddatum"])
        earliest = max(start, TODAY - timedelta(days=150))
        latest = min(TODAY, end)
        startdatum = earliest + timedelta(days=self.rng.randint(0, max(0, (latest - earliest).days)))
        einddatum = startdatum + timedelta(days=self.rng.choice([90, 182, 365]))
        serial = secrets.token_hex(4).upper()
        return {
            "referentie": f"LT-{RUN_ID}-{serial}",
            "initialen": self.rng.choice(["A.", "B.J.", "C.", "D.M.", "E.", "F.K.", "G."]),
            "geboortejaar": str(self.rng.randint(1965, 2005)),
            "startdatum": startdatum.isoformat(),
            "einddatum": einddatum.isoformat() if einddatum <= end and self.rng.random() < 0.7 else "",
            "uren_per_week": self.rng.choice(["16", "24", "32", "36", "38,5", "40"]),
            "loonkostensubsidie_tot": "",
            "omschrijving": "",
        }


class SRTeam(PortalUser):
    kind = "srteam"
    fixed_count = len(ACCOUNTS["accounts"].get("srteam", []))
    weight = 2

    @task(5)
    def decide(self):
        # Half of the time a member follows up a supplier that just submitted (the notifications of this
        # run, so this run's registrations get decided too): the queue filtered on that supplier, its
        # newest submission (the queue lists the oldest first: the last page, last row). Otherwise one
        # of the first ten rows of the whole queue, the oldest work.
        leverancier = None
        if self.rng.random() < 0.5:
            with _lock:
                if Record.notifications:
                    leverancier = Record.notifications.pop(self.rng.randrange(len(Record.notifications)))
        newest = leverancier is not None
        if newest:
            query = f"/controle/?status=ingediend&leverancier={leverancier}"
            queue = self.get(query, "srteam: wachtrij (leverancier)")
            pages = [int(n) for n in PAGE_COUNT_RE.findall(queue.text)] if queue is not None else []
            if queue is not None and pages and max(pages) > 1:
                queue = self.get(f"{query}&pagina={max(pages)}", "srteam: wachtrij (leverancier)")
        else:
            queue = self.get("/controle/", "srteam: wachtrij")
        if queue is None:
            return
        ids = list(dict.fromkeys(int(pk) for pk in QUEUE_LINK_RE.findall(queue.text)))
        if not ids:
            return
        pk = ids[-1] if newest else self.rng.choice(ids[:10])
        detail = self.get(f"/controle/{pk}/", "srteam: registratie")
        if detail is None or self.stopping:
            return
        versie = VERSIE_RE.search(detail.text)
        if not versie or 'name="besluit"' not in detail.text:
            Record.skipped_decided += 1  # decided by a colleague since the queue was loaded
            return
        roll = self.rng.random()
        if roll < 0.8:
            besluit, toelichting, stored = "goedgekeurd", "", "goedgekeurd"
        elif roll < 0.95:
            besluit, toelichting, stored = "afgekeurd", "De loonstrook ontbreekt; voeg die toe.", "afgekeurd"
        else:
            besluit, toelichting, stored = "meer_informatie", "Stuur de arbeidsovereenkomst mee.", "meer_informatie"
        path = f"/controle/{pk}/beoordeling"
        Record.pending_decide[pk] = {"id": pk, "besluit": stored, "user": self.account["username"]}
        with self.client.post(
            path, name="srteam: beoordeling", allow_redirects=False, catch_response=True,
            # Generated registrations have no evidence files: an approval records why (issue #12).
            data={"csrfmiddlewaretoken": self.csrf(detail.text), "besluit": besluit, "toelichting": toelichting,
                  "reden_zonder_bewijs": "Loadtest: bewijs buiten het portaal gezien.",
                  "versie": versie.group(1), "next": "/controle/"},
            headers=self.form_headers(f"/controle/{pk}/"),
        ) as response:
            Record.pending_decide.pop(pk, None)
            if response.status_code == 302:
                response.success()
                with _lock:
                    Record.decisions.append({"id": pk, "besluit": stored, "user": self.account["username"],
                                             "versie": int(versie.group(1))})
            elif response.status_code == 400 and any(text in response.text for text in CONFLICT_TEXTS):
                response.success()  # a colleague was first: the portal says so; nothing is lost
                with _lock:
                    Record.conflicts.append({"id": pk, "user": self.account["username"]})
            else:
                response.failure(f"decision on {pk}: HTTP {response.status_code}: {self.errors(response.text)}")

    @task(1)
    def browse_queue(self):
        self.get("/controle/?status=ingediend&pagina=2", "srteam: wachtrij")


class Council(PortalUser):
    kind = "council"
    fixed_count = len(ACCOUNTS["accounts"].get("council", []))
    weight = 2

    def _year(self):
        return self.rng.choice(self.account["jaren"])

    @task(3)
    def dashboard(self):
        self.get(f"/rapportage/{self.account['gemeente']}/{self._year()}/", "raad: dashboard")

    @task(2)
    def council_pages(self):
        self.get("/raad/", "raad: raadsinformatie")
        # /raad/<gemeente>/ leads to the one council page of the municipality and year.
        with self.client.get(f"/raad/{self.account['gemeente']}/", name="raad: gemeente", catch_response=True,
                             allow_redirects=False) as response:
            if response.status_code == 302 and f"/rapportage/{self.account['gemeente']}/" in response.headers.get("Location", ""):
                response.success()
            else:
                response.failure(f"/raad/{self.account['gemeente']}/: HTTP {response.status_code}")

    @task(2)
    def api_figures(self):
        path = f"/api/v1/raadsrapportages/{self.account['gemeente']}/{self._year()}"
        with self.client.get(path, name="raad: API cijfers", headers={"Accept": "application/json"},
                             catch_response=True) as response:
            try:
                ok = response.status_code == 200 and "gemeente" in json.dumps(response.json())
            except ValueError:
                ok = False
            if ok:
                response.success()
            else:
                response.failure(f"{path}: HTTP {response.status_code}")

    @task(1)
    def open_data_csv(self):
        path = f"/rapportage/open-data/{self.account['gemeente']}/{self._year()}.csv"
        with self.client.get(path, name="raad: open data CSV", catch_response=True) as response:
            if response.status_code == 200 and response.headers.get("Content-Type", "").startswith("text/csv"):
                response.success()
            elif response.status_code == 404 and "nog niet gepubliceerd" in response.text:
                response.success()  # a year not yet closed or published has no open data yet (by design)
            else:
                response.failure(f"{path}: HTTP {response.status_code} {response.headers.get('Content-Type')}")
