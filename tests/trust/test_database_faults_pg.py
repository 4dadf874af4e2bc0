"""Database faults on PostgreSQL: the portal survives a server restart (the next request gets a
fresh connection thanks to CONN_HEALTH_CHECKS), and a pg_dump backup restored into an empty
database gives exactly the same fulfilment figures (docs/operations.md)."""

import json
import os
import subprocess
import sys
import uuid
from datetime import date
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from rest_framework.authtoken.models import Token

from sroi_portal.models import Role
from tests.factories import UserFactory, make_contract

from .pg import as_cluster_owner, libpq_env, pg_binary, require_postgres

ROOT = Path(__file__).resolve().parents[2]
PEILDATUM = date(2025, 12, 31)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def wsgi_get(path, token):
    """A request through the real WSGI handler, as gunicorn makes it (request_started included)."""
    from sroi_portal.wsgi import application

    environ = {"PATH_INFO": path, "REQUEST_METHOD": "GET", "HTTP_AUTHORIZATION": f"Token {token}",
               "wsgi.input": BytesIO(b""), "SERVER_NAME": "localhost", "HTTP_HOST": "localhost"}
    setup_testing_defaults(environ)
    result = {}

    def start_response(status, headers, exc_info=None):
        result["status"] = int(status.split()[0])

    body = b"".join(application(environ, start_response))
    return result["status"], body


def restart_postgres():
    with connection.cursor() as cursor:
        cursor.execute("SHOW data_directory")
        data_directory = cursor.fetchone()[0]
    result = as_cluster_owner([pg_binary("pg_ctl"), "-D", data_directory, "-m", "fast", "-w", "-t", "60", "restart",
                               "-l", str(Path(data_directory).parent / "postgres.log")], timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_next_request_after_a_postgres_restart_succeeds(zoetermeer, leverancier_a, settings):
    require_postgres()
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    user = UserFactory(username="inkoop-restart", role=Role.INKOOP, gemeenten=[zoetermeer], password=None)
    make_contract(gemeente=zoetermeer, leverancier=leverancier_a, kenmerk="ZM-HERSTART")
    token = Token.objects.create(user=user).key

    status, body = wsgi_get("/api/v1/contracten", token)
    assert status == 200
    assert json.loads(body)["count"] == 1
    old_backend = connection.connection
    assert old_backend is not None and connection.is_usable()

    restart_postgres()
    assert not connection.is_usable()  # the open connection died with the server

    status, body = wsgi_get("/api/v1/contracten", token)
    assert status == 200, body
    assert json.loads(body)["results"][0]["kenmerk"] == "ZM-HERSTART"
    assert connection.connection is not old_backend  # a fresh connection, made transparently
    status, body = wsgi_get("/gezondheid", token)
    assert (status, json.loads(body)) == (200, {"status": "ok"})

    # And through Django's test client (which leaves connection management to the test).
    client = Client()
    client.force_login(user)
    assert client.get("/api/v1/contracten").status_code == 200


FIGURES_SCRIPT = """
import json
from datetime import date
from contracts.models import Contract
from contracts.selectors import fulfilment_of
from bouwblokken.models import Registratie, RegistratieJaar
out = {"contracten": {}, "registraties": Registratie.objects.count(), "jaren": RegistratieJaar.objects.count()}
for contract in Contract.objects.order_by("kenmerk"):
    f = fulfilment_of(contract, peildatum=date(2025, 12, 31))
    out["contracten"][contract.kenmerk] = [str(f.verplichting), str(f.goedgekeurd), str(f.in_behandeling),
                                           str(f.percentage), str(f.verwacht), f.status]
print("FIGURES=" + json.dumps(out, sort_keys=True))
"""


def figures_in(database_url):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="sroi_portal.settings_test",
               CELERY_BROKER_URL="", LOG_LEVEL="WARNING")
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", FIGURES_SCRIPT], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    line = next(line for line in result.stdout.splitlines() if line.startswith("FIGURES="))
    return json.loads(line.removeprefix("FIGURES="))


def url_for(name):
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST']}:{s['PORT']}/{name}"


def test_pg_dump_restored_into_an_empty_database_gives_the_same_figures(tmp_path):
    require_postgres()
    with override_settings(DEBUG=True):  # seed_demo refuses to run without DEBUG
        call_command("seed_demo", verbosity=0)
    source = connection.settings_dict["NAME"]
    before = figures_in(url_for(source))
    assert len(before["contracten"]) >= 30 and before["registraties"] > 50
    assert any(Decimal(figures[1]) > 0 for figures in before["contracten"].values())

    dump = tmp_path / "sroi.dump"
    env = libpq_env()
    result = subprocess.run([pg_binary("pg_dump"), "--format=custom", "--no-owner", "--file", str(dump), source],
                            env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr

    target = f"restore_{uuid.uuid4().hex[:10]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{target}"')
    try:
        result = subprocess.run(
            [pg_binary("pg_restore"), "--no-owner", "--exit-on-error", "--single-transaction", "--dbname", target,
             str(dump)],
            env=env, capture_output=True, text=True, timeout=300,
        )
        assert result.returncode == 0, result.stderr
        after = figures_in(url_for(target))
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')

    assert after == before
