"""Project-wide pytest set-up (the root conftest, loaded before those under tests/).

- A test value for SECRET_KEY (settings refuse to load without one unless DEBUG is on).
- Under CI=true nothing may be skipped: a test that skips (for instance because Redis, Chromium or
  PostgreSQL is missing) fails the run, and the skipped tests are listed at the end. xfail is not
  a skip and is left alone; tests deselected with -m are not skipped either.
"""

import os

import pytest

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")

CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}

_skipped = []  # (nodeid, reason)


def _record(report):
    if CI and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        _skipped.append((report.nodeid, reason.removeprefix("Skipped: ")))


def pytest_runtest_logreport(report):
    _record(report)


def pytest_collectreport(report):
    _record(report)


def pytest_sessionfinish(session, exitstatus):
    if _skipped and exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter):
    if _skipped:
        terminalreporter.section("skipped under CI=true (not allowed)", sep="=", red=True, bold=True)
        for nodeid, reason in _skipped:
            terminalreporter.line(f"SKIPPED {nodeid}: {reason}")
        terminalreporter.line(
            f"{len(_skipped)} test(s) skipped; under CI=true every service must be present, "
            "so this run fails."
        )
