"""Measurements inside one Django process on a generated database (run by ``python -m bench``).

    python -m bench.measure --scale regio --runs 15 --out result.json

Every figure is a median of several runs after warm-up; pages are requested in-process with
Django's test Client (server-side time: middleware, view, queries, template; no network), their
queries counted with ``CaptureQueriesContext`` in a separate request so that capturing does not
slow the timed ones. Beside every figure the floor of the same run: a hand-written SQL aggregate
for the recompute, a bare Django view (``bench.floors``) for each page.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import os
import statistics
import subprocess
import sys
import time

from sroi_portal import clock


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sroi_portal.settings")
    import django

    django.setup()
    from django.test.utils import override_settings

    override_settings(ROOT_URLCONF="bench.urls").enable()


def _stats(times):
    times = sorted(times)
    ms = [t * 1000 for t in times]
    p95 = ms[min(len(ms) - 1, max(0, int(round(0.95 * len(ms) + 0.5)) - 1))]
    return {"median_ms": round(statistics.median(ms), 2), "p95_ms": round(p95, 2), "runs": len(ms),
            "min_ms": round(ms[0], 2), "max_ms": round(ms[-1], 2)}


def time_request(client, url, runs, warmup=3):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = None
    for _ in range(warmup):
        response = client.get(url)
    times, cpu = [], []
    for _ in range(runs):
        c0 = time.process_time()
        t0 = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    result = _stats(times)
    # CPU time of this process only (Python, templates; on SQLite also the queries): less disturbed
    # by other processes on a shared machine than wall time, but without PostgreSQL's own work.
    result["cpu_median_ms"] = round(statistics.median(cpu) * 1000, 2)
    result.update({"queries": len(queries), "status": response.status_code, "bytes": len(response.content),
                   "url": url})
    return result


# --- discovering the portal's pages --------------------------------------------------------------


def _names_in(namespace):
    from django.urls import get_resolver

    resolver = get_resolver()
    entry = resolver.namespace_dict.get(namespace)
    if not entry:
        return []
    return [name for name in entry[1].reverse_dict if isinstance(name, str)]


def discover(namespace, keywords, kwarg_variants, query=""):
    """The first URL in ``namespace`` whose name has one of ``keywords`` and reverses with a variant."""
    from django.urls import NoReverseMatch, reverse

    names = _names_in(namespace)
    ordered = [n for k in keywords for n in names if k in n]
    seen = set()
    for name in ordered:
        if name in seen:
            continue
        seen.add(name)
        for kwargs in kwarg_variants:
            try:
                return reverse(f"{namespace}:{name}", kwargs=kwargs or None) + query, f"{namespace}:{name}"
            except NoReverseMatch:
                continue
    return None, None


def _login(client, user):
    """Signed in and, for whom two-step verification applies (staff), verified: the bench measures
    pages, not the login (as tests/ do through the root conftest's force_login)."""
    client.force_login(user)
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from sroi_portal.accounts import mfa

    if mfa.mfa_applies(user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
            user=user, name="bench", confirmed=True
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def measure_pages(fx, runs):
    from django.test import Client
    from django.urls import reverse

    users = fx["users"]
    contract = fx["contract"]
    gemeente = fx["gemeente"]
    jaar = clock.today().year - 1
    pages = []

    def add(key, label, user_key, url, name, floor_url):
        entry = {"key": key, "label": label, "user": users[user_key].username, "url_name": name}
        if url is None:
            entry["available"] = False
            entry["note"] = "not available yet: no URL name found for this page"
        else:
            client = _login(Client(), users[user_key])
            entry["available"] = True
            entry["page"] = time_request(client, url, runs)
            if entry["page"]["status"] != 200:
                entry["note"] = f"the page answered with status {entry['page']['status']}"
        if floor_url:
            client = _login(Client(), users[user_key])
            entry["floor"] = time_request(client, floor_url, runs)
        pages.append(entry)

    url, name = discover("bouwblokken", ["overzicht", "overview", "index"], [{}])
    add("supplier_overview", "Supplier overview (supplier with 50 contracts)", "leverancier", url, name,
        reverse("bench:supplier_overview"))

    url, name = discover("controle", ["wachtrij", "queue", "overzicht", "index", "lijst"], [{}])
    add("verification_queue", "SR-team verification queue (page of 50)", "srteam", url, name,
        reverse("bench:verification_queue"))

    url, name = discover("contracts", ["detail", "contract", "bekijk"], [{"pk": contract.pk}, {"id": contract.pk}])
    add("contract_page_staff", "Contract page, staff (500 registrations)", "srteam", url, name,
        reverse("bench:contract_page", kwargs={"pk": contract.pk}))

    url, name = discover("bouwblokken", ["contract"], [{"pk": contract.pk}])
    add("contract_page_supplier", "Contract page, supplier (500 registrations)", "leverancier", url, name,
        reverse("bench:contract_page", kwargs={"pk": contract.pk}))

    variants = [{"gemeentecode": gemeente.code, "jaar": jaar}, {"code": gemeente.code, "jaar": jaar}, {"gemeente": gemeente.code, "jaar": jaar},
                {"gemeente_code": gemeente.code, "jaar": jaar}, {"pk": gemeente.pk, "jaar": jaar},
                {"gemeente": gemeente.pk, "jaar": jaar}, {"gemeente_id": gemeente.pk, "jaar": jaar}]
    url, name = discover("reporting", ["dashboard", "gemeente", "raad", "overzicht", "index"], variants)
    if url is None:
        url, name = discover("reporting", ["dashboard", "raad", "overzicht", "index"], [{}],
                             query=f"?gemeente={gemeente.code}&jaar={jaar}")
    add("council_dashboard", f"Council dashboard {gemeente.naam} {jaar}", "raadslid", url, name,
        reverse("bench:council_dashboard", kwargs={"gemeente": gemeente.pk, "jaar": jaar}))

    add("api_contracten", "GET /api/v1/contracten (page of 100)", "srteam", "/api/v1/contracten?pageSize=100",
        "api:contract-list", reverse("bench:api_contracten"))
    return pages


# --- recompute and its SQL floor ------------------------------------------------------------------


def find_recompute():
    """A function of the reporting app that recomputes fulfilment for all contracts (no required arguments)."""
    found = []
    for modname in ("reporting.services", "reporting.tasks", "reporting.selectors"):
        try:
            module = importlib.import_module(modname)
        except ImportError:
            continue
        for name in dir(module):
            lower = name.lower()
            if not any(k in lower for k in ("recompute", "herbereken", "refresh")) or name.startswith("_"):
                continue
            func = getattr(module, name)
            if not callable(func) or inspect.isclass(func):
                continue
            target = getattr(func, "run", func)
            try:
                sig = inspect.signature(target)
            except (TypeError, ValueError):
                continue
            required = [p for p in sig.parameters.values() if p.default is p.empty
                        and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and p.name != "self"]
            if required:
                continue
            score = sum(k in lower for k in ("all", "alle", "nightly", "nacht", "fulfilment", "contracts"))
            found.append((score, f"{modname}.{name}", target))
    if not found:
        return None, None
    found.sort(key=lambda item: -item[0])
    return found[0][1], found[0][2]


def fallback_recompute():
    from contracts.models import Contract
    from contracts.selectors import contract_list, fulfilment_of

    return [fulfilment_of(c) for c in contract_list(Contract.objects.all())]


SQL_FLOOR = """
SELECT r.contract_id, j.jaar,
       SUM(CASE WHEN r.status = 'goedgekeurd' THEN j.waarde ELSE 0 END),
       SUM(CASE WHEN r.status = 'ingediend' THEN j.waarde ELSE 0 END)
FROM bouwblokken_registratiejaar j
JOIN bouwblokken_registratie r ON r.id = j.registratie_id
WHERE r.status IN ('goedgekeurd', 'ingediend')
GROUP BY r.contract_id, j.jaar
"""


def sql_floor():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(SQL_FLOOR)
        return cursor.fetchall()


def _timed(func, runs, warmup=1):
    for _ in range(warmup):
        func()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        func()
        times.append(time.perf_counter() - t0)
    return times


def measure_recompute(runs):
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    name, func = find_recompute()
    note = None
    if func is None:
        name, func = "contracts.selectors (contract_list + fulfilment_of)", fallback_recompute
        note = ("the reporting app has no function (yet) that recomputes all contracts; measured instead: "
                "the aggregation of all contracts through contracts.selectors")

    def run():
        # Run and roll back, so that every run starts from the same stored state.
        with transaction.atomic():
            func()
            transaction.set_rollback(True)

    result = {"function": name, "note": note}
    # The first timed run also counts the queries (a few dozen: capturing them costs nothing measurable).
    c0 = time.process_time()
    t0 = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        run()
    times = [time.perf_counter() - t0]
    result["queries"] = len(queries)
    times += _timed(run, max(0, runs - 1), warmup=0)
    result["cpu_median_s"] = round((time.process_time() - c0) / len(times), 3)
    result.update({"median_s": round(statistics.median(times), 3), "runs": len(times),
                   "min_s": round(min(times), 3), "max_s": round(max(times), 3)})
    floor_times = _timed(sql_floor, runs)
    result["floor"] = {"median_s": round(statistics.median(floor_times), 3), "sql": " ".join(SQL_FLOOR.split())}
    return result


# --- PDF and import ---------------------------------------------------------------------------------


def find_pdf():
    """The reporting app's council-PDF function: ``reporting.services.generate_report`` (as the worker runs it)."""
    try:
        from reporting import services
        from reporting.models import Raadsrapportage  # noqa: F401
    except ImportError:
        return None, None
    func = getattr(services, "generate_report", None)
    return ("reporting.services.generate_report", func) if func else (None, None)


def make_pdf(fx, jaar):
    """Generate one council report (PDF) as the worker does, then remove it again. Returns the PDF size."""
    from reporting.models import Raadsrapportage
    from reporting.services import generate_report

    report = Raadsrapportage.objects.create(gemeente=fx["gemeente"], jaar=jaar, aangevraagd_door=fx["users"]["raadslid"])
    try:
        report = generate_report(report_id=report.pk)
        return report.bestand.size if report.bestand else None
    finally:
        if report.bestand:
            report.bestand.delete(save=False)
        report.delete()


def measure_pdf(runs):
    """Each run in a child process (bench.probe pdf): its time and its peak memory (max RSS)."""
    name, func = find_pdf()
    if func is None:
        return {"available": False, "note": "not available yet: the reporting app has no PDF function"}
    results = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-m", "bench.probe", "pdf"], capture_output=True, text=True,
                             timeout=600)
        if out.returncode != 0:
            return {"available": False, "function": name, "note": "the PDF function failed: " + out.stderr[-800:]}
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return {"available": True, "function": name, "median_s": round(statistics.median(r["seconds"] for r in results), 3),
            "peak_rss_mb": max(r["maxrss_mb"] for r in results), "baseline_rss_mb": results[0]["baseline_rss_mb"],
            "bytes": results[0].get("bytes"), "runs": len(results)}


def import_sheet(fx, rows, prefix, bad_last=False) -> bytes:
    from contracts.models import Leverancier

    kvks = list(Leverancier.objects.filter(kvk_nummer__startswith="9").order_by("kvk_nummer")
                .values_list("kvk_nummer", flat=True)[:200])
    lines = [";".join(["gemeente", "leverancierKvk", "kenmerk", "omschrijving", "categorie", "procedure",
                       "gunningsdatum", "startdatum", "einddatum", "aanneemsom", "loonsom", "extraPercentage",
                       "seboKeurmerk"])]
    for n in range(rows):
        aanneemsom = 100_000 + (n * 7919) % 4_000_000
        loonsom = aanneemsom * 4 // 10
        if bad_last and n == rows - 1:
            loonsom = aanneemsom * 2  # loonsom above aanneemsom: refused
        lines.append(";".join([
            fx["gemeente"].code, kvks[n % len(kvks)], f"{prefix}-{n:05d}", "Onderhoud openbare ruimte",
            ("werken", "diensten", "leveringen")[n % 3],
            ("meervoudig_onderhands", "nationaal", "europees")[n % 3],
            f"{1 + n % 28:02d}-{1 + n % 12:02d}-2025", f"{1 + n % 28:02d}-{1 + n % 12:02d}-2026", "31-12-2028",
            f"{aanneemsom},00", f"{loonsom},00", "0", "nee",
        ]))
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def measure_import(fx, runs, rows=10_000):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction

    from contracts.models import Contract

    try:
        from contracts.imports import import_contracts
    except ImportError:
        return {"available": False, "note": "not available yet: contracts/imports.py is missing"}
    user = fx["users"]["inkoop"]
    before = Contract.objects.count()
    times, created = [], None
    for run in range(runs):
        data = import_sheet(fx, rows, f"BENCH-IMPORT-{run}")
        upload = SimpleUploadedFile("contracten.csv", data, content_type="text/csv")
        with transaction.atomic():
            t0 = time.perf_counter()
            result = import_contracts(upload=upload, user=user)
            times.append(time.perf_counter() - t0)
            created = len(result.created)
            errors = [(e.rij, e.kolom, e.melding) for e in result.errors[:3]]
            transaction.set_rollback(True)  # keep the database as generated for the next run
        if not result.ok:
            return {"available": True, "note": f"the import refused the sheet: {errors}", "rows": rows}
    # All or nothing: the same sheet with one bad last row stores nothing.
    data = import_sheet(fx, rows, "BENCH-IMPORT-FOUT", bad_last=True)
    t0 = time.perf_counter()
    refused = import_contracts(upload=SimpleUploadedFile("contracten.csv", data, content_type="text/csv"), user=user)
    refused_s = time.perf_counter() - t0
    all_or_nothing = (not refused.ok) and Contract.objects.count() == before
    return {"available": True, "rows": rows, "created": created, "median_s": round(statistics.median(times), 3),
            "runs": len(times), "all_or_nothing": all_or_nothing, "refused_s": round(refused_s, 3),
            "size_bytes": len(data)}


def child_rss(task, timeout=3600):
    """Run ``bench.probe TASK`` in a fresh process whose only child is the task: RUSAGE_CHILDREN = its peak."""
    out = subprocess.run([sys.executable, "-m", "bench.probe", "--child-rss", task], capture_output=True, text=True,
                         timeout=timeout)
    if out.returncode != 0:
        return {"error": out.stderr[-800:]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.measure")
    parser.add_argument("--scale", required=True)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--recompute-runs", type=int, default=5)
    parser.add_argument("--pdf-runs", type=int, default=3)
    parser.add_argument("--import-runs", type=int, default=3)
    parser.add_argument("--worker-memory", action="store_true")
    parser.add_argument("--skip", default="", help="comma-separated steps to leave out: recompute,pages,pdf,import")
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    _setup()
    from django.db import connection

    from bouwblokken.models import Registratie
    from contracts.models import Contract
    from sroi_portal import loaddata

    fx = loaddata.fixtures()
    if fx["contract"] is None:
        raise SystemExit("geen belastingtestdata in deze database: draai eerst generate_load_data")
    out = {"scale": args.scale, "backend": connection.vendor,
           "rows": {"contracten": Contract.objects.count(), "registraties": Registratie.objects.count()}}

    def step(key, func, *a):
        if key in skip:
            out[key] = {"available": False, "note": "not measured in this run (--skip)"}
            return
        t0 = time.perf_counter()
        print(f"bench: {args.scale}/{connection.vendor}: {key} ...", file=sys.stderr, flush=True)
        try:
            out[key] = func(*a)
        except Exception as error:  # report, do not fake: the figure is missing with its reason
            import traceback

            out[key] = {"available": False, "note": f"error: {type(error).__name__}: {error}",
                        "traceback": traceback.format_exc()[-2000:]}
        print(f"bench:   {key} klaar in {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
        with open(args.out, "w") as handle:  # partial results survive an interrupted run
            json.dump({**out, "complete": False}, handle, indent=2, default=str)

    step("recompute", measure_recompute, args.recompute_runs)
    step("pages", measure_pages, fx, args.runs)
    if args.worker_memory:
        step("worker_memory", child_rss, "recompute")
    step("pdf", measure_pdf, args.pdf_runs)
    step("import", measure_import, fx, args.import_runs)
    out["complete"] = True
    with open(args.out, "w") as handle:
        json.dump(out, handle, indent=2, default=str)


if __name__ == "__main__":
    main()
