"""The production-like set-up, started once per test session: a real Redis, a real Celery worker
and the web app served by gunicorn (``scripts/services.sh``), all on the PostgreSQL test database
of this run. Only for tests marked ``services`` (and ``postgres``: the SQLite pass deselects them).

Redis missing: the tests fail under CI=true or SROI_REQUIRE_SERVICES=1 (the PostgreSQL pass of
``make test`` sets it), and are skipped otherwise.
"""

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "services.sh"


def _required() -> bool:
    return any(os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}
               for name in ("CI", "SROI_REQUIRE_SERVICES"))


def _unavailable(reason):
    if _required():
        pytest.fail(f"{reason} (the production-like run is required here)", pytrace=False)
    pytest.skip(reason)


def _database_url(settings_dict) -> str:
    user = settings_dict.get("USER") or ""
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    return f"postgres://{auth}{settings_dict.get('HOST') or '127.0.0.1'}:{settings_dict.get('PORT') or 5432}/{settings_dict['NAME']}"


@dataclass
class Services:
    web_url: str
    redis_url: str
    mail_dir: Path
    media_dir: Path
    log_dir: Path
    env: dict = field(default_factory=dict, repr=False)

    def log(self, name: str) -> str:
        path = self.log_dir / name
        return path.read_text(errors="replace") if path.exists() else ""

    def script(self, command: str, *args: str, timeout: float = 120, **extra_env: str) -> str:
        """Run ``scripts/services.sh COMMAND DIR [ARGS]`` on this run (redis-stop, redis-start,
        kill-worker-children, worker-start, worker-stop, worker-kill); its standard output."""
        done = subprocess.run(["bash", str(SCRIPT), command, str(self.log_dir), *args],
                              env={**self.env, **extra_env}, capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            pytest.fail(f"services.sh {command} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}",
                        pytrace=False)
        return done.stdout


@pytest.fixture(scope="session")
def services(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            pytest.skip("the production-like run needs PostgreSQL (DATABASE_URL=postgres://...)")
        database_url = _database_url(connection.settings_dict)
    for binary in ("redis-server", "redis-cli", "curl"):
        if not shutil.which(binary):
            _unavailable(f"{binary} not found (bash scripts/system-deps.sh redis)")

    directory = Path(tempfile.mkdtemp(prefix="sroi-services-")) / "run"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "production-like-test-secret-key-0123456789-abcdefghijklmnop",
        "DATABASE_CONN_MAX_AGE": "0",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)  # services.sh uses the production settings
    env.pop("CELERY_BROKER_URL", None)
    started = subprocess.run(["bash", str(SCRIPT), "start", str(directory)], env=env, capture_output=True,
                             text=True, timeout=180)
    if started.returncode != 0:
        subprocess.run(["bash", str(SCRIPT), "stop", str(directory)], env=env, capture_output=True, timeout=60)
        pytest.fail(f"scripts/services.sh start failed:\n{started.stdout}\n{started.stderr}", pytrace=False)
    values = dict(line.split("=", 1) for line in started.stdout.splitlines() if "=" in line)
    try:
        yield Services(
            web_url=values["WEB_URL"], redis_url=values["REDIS_URL"], mail_dir=Path(values["MAIL_DIR"]),
            media_dir=Path(values["MEDIA_DIR"]), log_dir=Path(values["LOG_DIR"]), env=env,
        )
    finally:
        # Stopped before the test database is dropped (this fixture depends on django_db_setup).
        subprocess.run(["bash", str(SCRIPT), "stop", str(directory)], env=env, capture_output=True, timeout=120)
        shutil.rmtree(directory.parent, ignore_errors=True)


@pytest.fixture
def celery_client(services):
    """A Celery app that talks to the test run's Redis, as another process of the portal would."""
    from celery import Celery

    # Not the current app: the test process's own tasks stay eager (they would otherwise go to
    # this Redis, which is gone once the session ends).
    app = Celery("sroi-test-client", broker=services.redis_url, backend=services.redis_url, set_as_current=False)
    app.conf.update(task_serializer="json", result_serializer="json", accept_content=["json"],
                    task_routes={"reporting.tasks.generate_council_report": {"queue": "rapporten"}})
    try:
        yield app
    finally:
        app.close()
