"""The load test in small (so that tests/load/locustfile.py cannot rot): locust with 5 users (3
suppliers, 1 SR-team member, 1 council member, each its own account) for 15 seconds against the
session's gunicorn, Redis and Celery worker on the generated "mini" data set; then the same checks
as ``make loadtest``: no failed request, every registration the users were told was saved is in the
database once, every decision answered as done is stored, the stored figures equal a recompute.

The full run (50 users, 2 minutes, region data) is ``make loadtest``; its results are in
docs/loadtest.md.
"""

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from contracts.management.commands.create_load_accounts import create_accounts, write_accounts
from sroi_portal import loaddata
from tests.load.verify import check_decisions, check_registrations, verify

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROOT = Path(__file__).resolve().parents[2]


def _run_locust(services, tmp_path, accounts_file, results_file):
    env = {
        **os.environ,
        "LOAD_ACCOUNTS": str(accounts_file), "LOAD_RESULTS": str(results_file),
        "LOAD_WAIT_MIN": "0.5", "LOAD_WAIT_MAX": "1.5", "LOAD_MAX_REQUESTS": "2000",
    }
    locust = Path(sys.executable).with_name("locust")
    return subprocess.run(
        [str(locust), "-f", str(ROOT / "tests" / "load" / "locustfile.py"), "--headless", "-u", "5", "-r", "5",
         "-t", "15s", "--stop-timeout", "15", "--host", services.web_url, "--csv", str(tmp_path / "locust"),
         "--only-summary", "--loglevel", "WARNING"],
        env=env, capture_output=True, text=True, timeout=120, cwd=ROOT,
    )


def test_five_users_for_fifteen_seconds_lose_and_duplicate_nothing(services, tmp_path):
    loaddata.generate(scale=loaddata.SCALES["mini"], seed=7, stdout=io.StringIO())
    accounts = create_accounts(suppliers=3, srteam=1, council=1)
    accounts_file, results_file = tmp_path / "accounts.json", tmp_path / "results.json"
    write_accounts(accounts, accounts_file)
    assert oct(accounts_file.stat().st_mode & 0o777) == "0o600"  # it holds passwords

    run = _run_locust(services, tmp_path, accounts_file, results_file)

    output = run.stdout[-4000:] + run.stderr[-4000:]
    assert run.returncode == 0, output
    total = next(row for row in csv.DictReader((tmp_path / "locust_stats.csv").open()) if row["Name"] == "Aggregated")
    assert int(total["Failure Count"]) == 0, output
    names = {row["Name"] for row in csv.DictReader((tmp_path / "locust_stats.csv").open())}
    # All three kinds of user got past the login (and the TOTP step) and did their work.
    assert {"leverancier: opslaan", "leverancier: indienen"} <= names, names
    assert any(name.startswith("srteam: wachtrij") for name in names), names
    assert any(name.startswith("raad: ") for name in names), names
    if accounts["mfa"]:
        assert "inloggen: verificatie (code)" in names, names
    results = json.loads(results_file.read_text())
    assert results["created"] and results["submitted"], results
    assert results["server_errors"] == 0 and not results["safeguard_hit"]

    checks = verify(accounts, results, redis_url=services.redis_url, queue_timeout=120)
    assert checks["celery_queue"]["drained"], checks["celery_queue"]
    assert checks["registrations"]["ok"], checks["registrations"]["problems"]
    assert checks["registrations"]["duplicated_references"] == 0
    assert checks["registrations"]["created_in_db"] == len(results["created"])
    assert checks["decisions"]["ok"], checks["decisions"]["problems"]
    assert checks["figures"]["ok"], checks["figures"]["problems"]

    # The checks see it when the database and what the users were told disagree.
    forgotten = {**results, "created": results["created"][1:]}
    assert not check_registrations(accounts, forgotten)["ok"]
    lost = {**results, "decisions": results["decisions"] + [
        {"id": results["created"][0]["id"], "besluit": "goedgekeurd", "user": accounts["accounts"]["srteam"][0]["username"]}
    ]}
    assert not check_decisions(accounts, lost)["ok"]
