"""Checks on the test infrastructure itself (scripts/test.sh, the root conftest.py).

`make test` runs the suite twice: on SQLite (DATABASE_URL unset, -m "not postgres") and on a
throw-away PostgreSQL 15 cluster (DATABASE_URL=postgres://..., in reverse order). These tests make
sure each pass really runs on the database it claims to.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def vendor_from_database_url():
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url or url.startswith("sqlite:"):
        return "sqlite"
    scheme = url.split(":", 1)[0]
    if scheme in {"postgres", "postgresql", "pgsql", "postgis"}:
        return "postgresql"
    return scheme


def test_database_vendor_matches_database_url():
    assert connection.vendor == vendor_from_database_url()


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_pass_runs_on_postgresql_15():
    if vendor_from_database_url() != "postgresql":
        # Under CI=true the root conftest turns this skip into a failure.
        pytest.skip("needs DATABASE_URL=postgres://... (the PostgreSQL pass of `make test`)")
    assert connection.vendor == "postgresql"
    connection.ensure_connection()
    assert connection.pg_version // 10000 == 15, connection.pg_version
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('server_encoding')")
        assert cursor.fetchone()[0] == "UTF8"


@pytest.mark.parametrize("ci", ["true", ""])
def test_skips_fail_the_run_only_under_ci(tmp_path, ci):
    """The root conftest.py turns any skip into a failed run when CI=true."""
    (tmp_path / "conftest.py").write_text((ROOT / "conftest.py").read_text())
    (tmp_path / "test_sample.py").write_text(
        "import pytest\n"
        "def test_ok():\n    pass\n"
        "def test_needs_service():\n    pytest.skip('no redis here')\n"
        "@pytest.mark.xfail(reason='known')\n"
        "def test_known_bug():\n    assert False\n"
    )
    env = {**os.environ, "CI": ci}
    env.pop("PYTEST_ADDOPTS", None)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:django", "-p", "no:cacheprovider", "-q", str(tmp_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if ci:
        assert result.returncode == 1, result.stdout + result.stderr
        listed = result.stdout.split("not allowed")[-1]
        assert "SKIPPED test_sample.py::test_needs_service: no redis here" in listed
        assert "test_known_bug" not in listed
    else:
        assert result.returncode == 0, result.stdout + result.stderr
        assert "not allowed" not in result.stdout
