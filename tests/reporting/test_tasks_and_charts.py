"""Celery set-up (eager without a broker, late acknowledgement, limits, retries, beat schedule),
the server-side charts and the small-cell suppression."""

import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from reporting import charts, tasks
from reporting.suppression import suppress, suppress_group
from sroi_portal.celery import app

ROOT = Path(__file__).resolve().parents[2]


def test_without_a_broker_tasks_run_in_process():
    assert settings.CELERY_TASK_ALWAYS_EAGER is True
    assert tasks.refresh_figures.delay(contract_ids=[], gemeente_ids=[]).get() == {
        "contracten": 0, "rijen": 0, "plaatsingsrijen": 0,
    }


@pytest.mark.parametrize("task", [tasks.refresh_figures, tasks.recompute_all_figures, tasks.send_reminders,
                                  tasks.generate_council_report, tasks.refresh_placement_figures])
def test_every_task_is_safe_to_redeliver_and_retries_with_backoff(task):
    assert task.acks_late is True and task.reject_on_worker_lost is True
    assert task.time_limit and task.soft_time_limit and task.soft_time_limit < task.time_limit
    assert task.max_retries == settings.SROI_TASK_MAX_RETRIES
    assert task.retry_backoff and task.retry_jitter
    assert hasattr(task, "delay_on_commit")  # Celery's Django task: queue after the commit


def test_the_visibility_timeout_outlasts_the_longest_task():
    longest = max(t.time_limit for t in (tasks.refresh_figures, tasks.recompute_all_figures,
                                          tasks.send_reminders, tasks.generate_council_report))
    # Redis hands an unacknowledged task to another worker after the visibility timeout: it must
    # outlast the longest run, or a long nightly recompute would run twice at once.
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > longest
    assert app.conf.task_acks_late and app.conf.worker_prefetch_multiplier == 1


def test_beat_schedules_the_nightly_recompute_the_daily_reminders_and_retention():
    from bouwblokken.tasks import retention_run
    from reporting import tasks as reporting_tasks

    schedule = settings.CELERY_BEAT_SCHEDULE
    tasks = {entry["task"] for entry in schedule.values()}
    assert tasks == {
        "reporting.tasks.recompute_all_figures", "reporting.tasks.send_reminders",
        "reporting.tasks.refresh_placement_figures", "bouwblokken.retention_run", "reporting.tasks.flush_outbox",
        "reporting.tasks.publish_open_data",
    }
    # Every scheduled name is the name of a real task.
    assert retention_run.name == "bouwblokken.retention_run"
    assert reporting_tasks.recompute_all_figures.name == "reporting.tasks.recompute_all_figures"
    assert reporting_tasks.publish_open_data.name == "reporting.tasks.publish_open_data"
    assert app.conf.task_routes["reporting.tasks.generate_council_report"] == {"queue": "rapporten"}


def test_a_report_that_cannot_be_made_is_marked_failed(db, zoetermeer, monkeypatch):
    from reporting.models import Raadsrapportage

    report = Raadsrapportage.objects.create(gemeente=zoetermeer, jaar=2025)

    def broken(*args, **kwargs):
        raise ValueError("template error")

    monkeypatch.setattr("reporting.pdf.render_council_report", broken)
    result = tasks.generate_council_report.delay(str(report.pk)).get()
    report.refresh_from_db()
    assert result["status"] == report.status == "mislukt"
    assert "template error" in report.foutmelding


def test_charts_carry_patterns_labels_and_a_text_alternative():
    svg = charts.grouped_bars(
        prefix="t", title="Verplichting & realisatie", desc="Per jaar", categories=[2024, 2025],
        series=[charts.Series("Verplichting", "vol", (Decimal(100), Decimal(200)), ("€ 100", "€ 200")),
                charts.Series("Gerealiseerd", "arcering", (Decimal(50), None), ("€ 50", "–"))],
    )
    assert 'role="img"' in svg and 'aria-labelledby="t-titel t-besch"' in svg
    assert "<title id=\"t-titel\">Verplichting &amp; realisatie</title>" in svg
    assert 'fill="url(#t-arcering)"' in svg  # a pattern, not only a colour
    assert "€ 200" in svg and "2025" in svg
    assert "<script" not in svg and "style=" not in svg  # nothing the CSP would block


def test_value_labels_do_not_overlap():
    svg = charts.grouped_bars(
        prefix="o", title="t", desc="d", categories=[2025],
        series=[charts.Series("A", "vol", (Decimal(1000),), ("€ 1.000.000",)),
                charts.Series("B", "arcering", (Decimal(990),), ("€ 990.000",))],
    )
    ys = [float(y) for y in re.findall(r'<text x="[^"]+" y="([^"]+)"[^>]*font-size="10"', svg)]
    assert len(ys) == 2 and abs(ys[0] - ys[1]) >= 11


def test_small_counts_are_suppressed():
    assert [suppress(n).weergave for n in (0, 1, 4, 5, 12)] == ["0", "< 5", "< 5", "5", "12"]
    assert suppress(3).waarde is None and suppress(3).onderdrukt


def test_a_single_suppressed_cell_is_protected_by_a_second_one():
    # the second cell holds 5 or more: it says "onderdrukt", never a false "< 5"
    assert [a.weergave for a in suppress_group([12, 7, 2, 9])] == ["12", "onderdrukt", "< 5", "9"]
    assert [a.weergave for a in suppress_group([12, 3, 2])] == ["12", "< 5", "< 5"]
    assert [a.weergave for a in suppress_group([12, 0, 2])] == ["onderdrukt", "0", "< 5"]
    assert [a.weergave for a in suppress_group([12, 2], total_published=False)] == ["12", "< 5"]


def test_production_settings_refuse_debug_and_missing_hosts():
    base = {"PATH": "/usr/bin:/bin", "SECRET_KEY": "x" * 60, "DJANGO_SETTINGS_MODULE": "sroi_portal.settings_production"}
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    debug = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**base, "DEBUG": "true", "ALLOWED_HOSTS": "x"},
                           capture_output=True, text=True)
    assert debug.returncode != 0 and "never runs with DEBUG" in debug.stderr
    no_hosts = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=base, capture_output=True, text=True)
    assert no_hosts.returncode != 0 and "ALLOWED_HOSTS must be set" in no_hosts.stderr
    ok = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**base, "ALLOWED_HOSTS": "sroi.example.nl"},
                        capture_output=True, text=True)
    assert ok.stdout.strip() == "False", ok.stderr
