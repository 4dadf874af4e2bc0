"""Faults in the production-like run (issue #6, item 7): Redis gone, a worker killed mid-task.

- Redis stopped: gunicorn keeps serving pages (each in a few seconds) and a supplier saves and
  submits a registration; a council member asks for a report. The work that could not be queued
  waits in the outbox; when Redis returns, the worker sends it on by itself and the stored
  figures and the report catch up.
- The worker's pool processes killed (SIGKILL, as the OOM killer would) while a council PDF is
  being made and the nightly recompute is running: no half-written PDF, whole batches of figures
  only, and both tasks run again to completion.
- The whole worker killed during the recompute: another worker takes the task over once the
  visibility timeout has passed.

The kills happen when the database shows the tasks running; the test asserts what it saw.
"""

import socket
import time
from datetime import date
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction

from bouwblokken.models import Registratie
from contracts.models import Contract, Gemeente
from reporting.models import (
    ContractCijfers, ContractJaarCijfers, Herberekening, Raadsrapportage, UitgesteldeTaak,
)
from sroi_portal.models import Role
from tests.factories import LeverancierFactory, gemeente_with_policy, make_contract
from tests.services.test_production_like import PASSWORD, Browser, _log_in, production_password_hash

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PAGE_BUDGET = 5.0  # seconds: no page may wait for the missing broker (Celery's own retries take ~20 s)


def wait_until(what, condition, *, timeout, services, interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"{what}: not within {timeout} s\n--- worker.log\n" + services.log("worker.log")[-4000:],
                pytrace=False)


def redis_answers(services) -> bool:
    parts = urlsplit(services.redis_url)
    try:
        with socket.create_connection((parts.hostname, parts.port), timeout=1):
            return True
    except OSError:
        return False


class TimedBrowser(Browser):
    def __init__(self, base_url):
        super().__init__(base_url)
        self.timings = []

    def request(self, method, path, form=None):
        started = time.monotonic()
        answer = super().request(method, path, form)
        self.timings.append((time.monotonic() - started, method, path, answer[0]))
        return answer


def _user(username, role, **extra):
    return get_user_model().objects.create(
        username=username, email=f"{username}@storing.example", password=production_password_hash(PASSWORD),
        role=role, **extra,
    )


def test_with_redis_down_pages_and_registrations_work_and_the_work_is_done_when_it_returns(services):
    zoetermeer = gemeente_with_policy("GM0637", "Zoetermeer")
    leverancier = LeverancierFactory()
    supplier = _user("leverancier-storing", Role.LEVERANCIER, leverancier=leverancier)
    council = _user("raadslid-storing", Role.RAADSLID)
    council.gemeenten.set([zoetermeer])
    contract = make_contract(gemeente=zoetermeer, leverancier=leverancier)
    assert ContractCijfers.objects.get(contract=contract).in_behandeling == Decimal("0.00")

    services.script("redis-stop")
    try:
        assert not redis_answers(services)
        shop = TimedBrowser(services.web_url)
        _log_in(shop, supplier.email)
        status, _h, page = shop.request("GET", "/registraties/")
        assert status == 200 and contract.kenmerk.encode() in page
        form_path = f"/registraties/contract/{contract.pk}/nieuw/sociaal_inkopen/"
        status, _h, page = shop.request("GET", form_path)
        assert status == 200
        status, headers, _page = shop.request("POST", form_path, {
            "csrfmiddlewaretoken": shop.csrf_token(page), "startdatum": "2025-05-01", "bedrag": "12.500,00",
            "omschrijving": "Factuur sociale onderneming", "actie": "opslaan",
        })
        assert status == 302, _page[:2000]
        registratie = Registratie.objects.get(contract=contract)
        assert urlsplit(headers["Location"]).path == f"/registraties/{registratie.pk}/"
        status, _h, page = shop.request("GET", f"/registraties/{registratie.pk}/indienen/")
        assert status == 200
        status, _h, _page = shop.request("POST", f"/registraties/{registratie.pk}/indienen/",
                                         {"csrfmiddlewaretoken": shop.csrf_token(page)})
        assert status == 302
        registratie.refresh_from_db()
        assert registratie.status == "ingediend" and registratie.waarde == Decimal("12500.00")
        status, _h, page = shop.request("GET", f"/registraties/contract/{contract.pk}/")
        assert status == 200 and "De registratie is ingediend".encode() in page

        reader = TimedBrowser(services.web_url)
        _log_in(reader, council.email)
        status, _h, dashboard = reader.request("GET", "/rapportage/GM0637/2025/")
        assert status == 200
        status, headers, _body = reader.request("POST", "/rapportage/GM0637/2025/raadsrapportage",
                                                {"csrfmiddlewaretoken": reader.csrf_token(dashboard)})
        assert status == 302
        status, _h, page = reader.request("GET", urlsplit(headers["Location"]).path)
        assert status == 200 and "De PDF staat in de wachtrij.".encode() in page
        report = Raadsrapportage.objects.get()

        slow = [t for t in shop.timings + reader.timings if t[0] >= PAGE_BUDGET or t[3] >= 500]
        assert not slow, f"slow or failing requests while Redis was down: {slow}"
        # Two saves of the same contract (save, submit): one outbox row, plus the report.
        assert sorted(UitgesteldeTaak.objects.values_list("sleutel", flat=True)) == [
            f"cijfers_contract:{contract.pk}", f"raadsrapportage:{report.pk}",
        ]
        # Nothing was computed meanwhile: the figures wait for Redis.
        assert ContractCijfers.objects.get(contract=contract).in_behandeling == Decimal("0.00")
        assert report.status == "wachtrij"
        slowest = max(shop.timings + reader.timings)
    finally:
        services.script("redis-start")

    # No request, no operator: the worker reconnects and sends the outbox on.
    started = time.monotonic()
    wait_until("the outbox emptied and the figures and the report caught up", lambda: (
        not UitgesteldeTaak.objects.exists()
        and ContractCijfers.objects.get(contract=contract).in_behandeling == Decimal("12500.00")
        and Raadsrapportage.objects.get(pk=report.pk).status == "klaar"
    ), timeout=90, services=services, interval=0.25)
    report.refresh_from_db()
    assert (services.media_dir / report.bestand.name).read_bytes().startswith(b"%PDF")
    print(f"\nRedis down: {len(shop.timings) + len(reader.timings)} requests, slowest {slowest[0]:.2f} s "
          f"({slowest[1]} {slowest[2]}); "
          f"caught up {time.monotonic() - started:.1f} s after Redis returned")


# --- a worker killed mid-task ----------------------------------------------------------------------

@pytest.fixture
def region_data(db):
    """Generated data (two municipalities, 2,000 contracts): a recompute in small batches takes seconds."""
    from sroi_portal import loaddata

    scale = loaddata.Scale("storing", gemeenten=2, regios=1, leveranciers=100, contracten=2000, registraties=8000,
                           special_supplier_contracts=10, special_contract_registrations=50)
    loaddata.generate(scale=scale, seed=11, figures=False)
    return Contract.objects.count()


def _snapshot(run_id, report_id):
    """In one REPEATABLE READ snapshot: the run record, the figure rows written since its last start
    and the report's row."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        run = Herberekening.objects.get(pk=run_id)
        written = (ContractCijfers.objects.filter(berekend_op__gte=run.laatst_gestart_op).count()
                   + ContractJaarCijfers.objects.filter(berekend_op__gte=run.laatst_gestart_op).count())
        report = Raadsrapportage.objects.get(pk=report_id)
    return run, written, report


def _part_files(services):
    return sorted(p.name for p in services.media_dir.rglob("*") if p.name.endswith(".part"))


def test_a_killed_pool_leaves_nothing_half_written_and_both_tasks_run_again(services, celery_client, region_data):
    contracts = region_data
    gemeente = Gemeente.objects.filter(contracten__isnull=False).order_by("code").first()  # the larger one
    celery_client.send_task("reporting.tasks.recompute_all_figures", kwargs={"batch_size": 10})
    run = wait_until("the recompute started", lambda: Herberekening.objects.filter(batches__gte=3).first(),
                     timeout=60, services=services, interval=0.02)
    report = Raadsrapportage.objects.create(gemeente=gemeente, jaar=2025)
    celery_client.send_task("reporting.tasks.generate_council_report", args=[str(report.pk)])
    wait_until("the report started", lambda: Raadsrapportage.objects.filter(pk=report.pk, status="bezig").exists(),
               timeout=60, services=services, interval=0.01)

    seen, written_seen, report_seen = _snapshot(run.pk, report.pk)
    killed = services.script("kill-worker-children").split()
    killed_at = time.monotonic()
    after, written_after, report_after = _snapshot(run.pk, report.pk)
    # What was seen just before the kill: both tasks running, the recompute part-way.
    assert len(killed) == 2
    assert seen.status == "bezig" and 0 < seen.contracten < contracts, vars(seen)
    assert report_seen.status == "bezig" and not report_seen.bestand, vars(report_seen)
    # ... and just after it: still not finished (no task completed in between).
    assert after.status == "bezig" and after.contracten < contracts, vars(after)
    assert report_after.status == "bezig" and not report_after.bestand, vars(report_after)
    # Whole batches only: the run record and the figures commit together, at any moment.
    assert written_seen == seen.gewijzigd and written_after == after.gewijzigd
    assert seen.contracten % 10 == 0 and after.contracten % 10 == 0
    # No half-written PDF under the final name (at most a .part file of the killed run).
    assert not (services.media_dir / "raadsrapportages" / gemeente.code / "2025" / f"{report.pk}.pdf").exists()
    first_start = report_seen.gestart_op

    # Both messages were not acknowledged: the worker's new pool processes run them again.
    done = wait_until("both tasks ran again to completion", lambda: (
        Herberekening.objects.get(pk=run.pk).status == "klaar"
        and Raadsrapportage.objects.get(pk=report.pk).status == "klaar"
    ), timeout=120, services=services, interval=0.25)
    assert done
    rerun_took = time.monotonic() - killed_at
    run = Herberekening.objects.get(pk=run.pk)
    assert Herberekening.objects.count() == 1  # the same run, continued: not a second one
    assert run.pogingen == 2 and run.contracten == contracts and run.batches == -(-contracts // 10)
    assert ContractCijfers.objects.count() == contracts
    report.refresh_from_db()
    assert report.gestart_op > first_start  # made again, not left as the killed run had it
    pdf = (services.media_dir / report.bestand.name).read_bytes()
    assert pdf.startswith(b"%PDF") and pdf.rstrip().endswith(b"%%EOF")
    assert _part_files(services) == []
    assert len(list((services.media_dir / report.bestand.name).parent.glob("*.pdf"))) == 1
    worker_log = services.log("worker.log")
    assert "WorkerLostError" in worker_log or "SIGKILL" in worker_log

    # The figures are whole: recomputing now changes nothing.
    from reporting.figures import recompute_contract_figures

    assert recompute_contract_figures().gewijzigd == 0
    print(f"\npool killed at {seen.contracten} of {contracts} contracts and during the PDF; "
          f"both finished again {rerun_took:.1f} s later")


def test_a_worker_that_dies_entirely_has_its_recompute_taken_over_by_another(services, celery_client, region_data):
    contracts = region_data
    celery_client.send_task("reporting.tasks.recompute_all_figures", kwargs={"batch_size": 10})
    run = wait_until("the recompute started", lambda: Herberekening.objects.filter(batches__gte=3).first(),
                     timeout=60, services=services, interval=0.02)
    killed = services.script("worker-kill").split()  # the worker's main process and its pool
    killed_at = time.monotonic()
    seen = Herberekening.objects.get(pk=run.pk)
    assert len(killed) == 3
    assert seen.status == "bezig" and 0 < seen.contracten < contracts, vars(seen)
    time.sleep(1)
    assert Herberekening.objects.get(pk=run.pk).contracten == seen.contracten  # nobody carries on

    # Another worker: it takes over what the dead one held once the visibility timeout has passed
    # (short here; hours in production, longer than any task may run).
    try:
        services.script("worker-start", "vervanger", CELERY_VISIBILITY_TIMEOUT="10",
                        CELERY_UNACKED_RESTORE_INTERVAL="1", CELERY_UNACKED_RESTORE_THROTTLE="1")
        wait_until("the other worker finished the recompute",
                   lambda: Herberekening.objects.get(pk=run.pk).status == "klaar",
                   timeout=90, services=services, interval=0.25)
        taken_over = time.monotonic() - killed_at
        run.refresh_from_db()
        assert run.pogingen == 2 and run.contracten == contracts and Herberekening.objects.count() == 1
        assert "recompute_all_figures" in services.log("worker-vervanger.log")
        assert ContractCijfers.objects.count() == contracts
        print(f"\nwhole worker killed at {seen.contracten} of {contracts} contracts; finished by the other worker "
              f"{taken_over:.1f} s later")
    finally:
        services.script("worker-stop", "vervanger")
        services.script("worker-start")  # the session's worker, as start made it
