"""Helpers for the PostgreSQL-only trust tests: threads with their own connection, and the test
cluster's binaries."""

import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from django.db import connection, connections

PGBIN = Path(os.environ.get("PGBIN", "/usr/lib/postgresql/15/bin"))


def require_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL); runs in the PostgreSQL pass of make test")


def pg_binary(name: str) -> str:
    path = PGBIN / name
    if path.exists():
        return str(path)
    found = shutil.which(name)
    if not found:
        pytest.skip(f"{name} not found (install postgresql-15)")
    return found


def as_cluster_owner(args, **kwargs):
    """Run a PostgreSQL binary as the cluster's owner (the "postgres" OS user when we are root)."""
    if os.geteuid() == 0:
        args = ["runuser", "-u", "postgres", "--", *args]
    return subprocess.run(args, cwd="/", capture_output=True, text=True, **kwargs)


def libpq_env(settings_dict=None) -> dict:
    s = settings_dict or connection.settings_dict
    env = dict(os.environ)
    env.update(PGHOST=s.get("HOST") or "127.0.0.1", PGPORT=str(s.get("PORT") or 5432), PGUSER=s.get("USER") or "postgres")
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = s["PASSWORD"]
    return env


class Worker(threading.Thread):
    """Runs ``func`` in its own thread, hence with its own database connection (closed at the end)."""

    def __init__(self, func, name):
        super().__init__(name=name, daemon=True)
        self.func = func
        self.result = None
        self.error = None

    def run(self):
        try:
            self.result = self.func()
        except BaseException as error:  # noqa: BLE001 - reported by the test
            self.error = error
        finally:
            connections.close_all()


def backends_waiting_for_a_lock() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]
