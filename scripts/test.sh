#!/usr/bin/env bash
# The project's test run (`make test`; `make test-fast` passes --fast).
#
#   scripts/test.sh [--fast] [PYTEST_ARGS...]
#
#  1. scripts/bootstrap.sh (the .venv) and scripts/system-deps.sh (Chromium, poppler, Redis,
#     PostgreSQL 15 server: installed only when missing).
#  2. manage.py check, manage.py makemigrations --check --dry-run, manage.py collectstatic
#     (DEBUG is off, so pages need the static manifest).
#  3. pytest on SQLite (DATABASE_URL unset) with -m "not postgres".
#  4. Unless --fast: the SQLite pass again (less browser and service tests) with the clock moved
#     400 days ahead by libfaketime (CLOCK_SHIFT_DAYS), proving no test depends on the real date;
#     then a throw-away PostgreSQL 15 cluster (scripts/postgres.sh), the whole suite
#     against it in reverse order (--reverse, from pytest-reverse), then the cluster is removed.
#  5. A summary with both pytest closing lines. Exit status non-zero if any step failed.
#
# Under CI=true nothing may be skipped (root conftest.py) and "no tests collected" is a failure.
# Each pytest pass is limited to $TEST_PASS_TIMEOUT seconds (default 2400).
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="$ROOT/.venv/bin/python"

FAST=0
if [[ "${1:-}" == "--fast" ]]; then
    FAST=1
    shift
fi
ARGS=("$@")

is_true() { [[ "$(printf '%s' "${1:-}" | tr '[:upper:]' '[:lower:]')" =~ ^(1|true|yes|on)$ ]]; }
CI_MODE=0
if is_true "${CI:-}"; then
    CI_MODE=1
    export CI=true
fi

hr() { printf '\n==== %s ====\n' "$*"; }

# --- 1. environment ------------------------------------------------------------------------------
hr "bootstrap (.venv)"
bash scripts/bootstrap.sh || { echo "make test: bootstrap failed" >&2; exit 1; }
hr "system packages (chromium, poppler, redis, postgresql-15, libfaketime)"
bash scripts/system-deps.sh chromium poppler redis postgres faketime || { echo "make test: system-deps failed" >&2; exit 1; }

export SECRET_KEY="${SECRET_KEY:-test-secret-key-not-for-production}"
export DEBUG=false
export PYTHONDONTWRITEBYTECODE=1
unset DATABASE_URL
TIMEOUT="${TEST_PASS_TIMEOUT:-2400}"

COLOR=no
[[ -t 1 ]] && COLOR=yes

LOGDIR="$(mktemp -d "${TMPDIR:-/tmp}/sroi-test-logs.XXXXXX")"
PGDIR="${TMPDIR:-/tmp}/sroi-pg-$(id -u)-$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)"
PG_STARTED=0
cleanup() {
    if [[ $PG_STARTED -eq 1 ]]; then
        bash scripts/postgres.sh stop "$PGDIR" >/dev/null 2>&1 || echo "make test: could not stop PostgreSQL in $PGDIR" >&2
    fi
    rm -rf "$LOGDIR"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

declare -a SUMMARY=()
FAILED=0
ok() { SUMMARY+=("  ok      $1"); }
bad() { SUMMARY+=("  FAILED  $1"); FAILED=1; }

# --- 2. Django checks (on SQLite) ----------------------------------------------------------------
hr "manage.py check"
if "$PY" manage.py check; then ok "manage.py check"; else bad "manage.py check"; fi

hr "manage.py makemigrations --check --dry-run"
if "$PY" manage.py makemigrations --check --dry-run; then
    ok "makemigrations --check (no missing migrations)"
else
    bad "makemigrations --check (missing migrations, or the project does not load)"
fi

hr "manage.py collectstatic"
if "$PY" manage.py collectstatic --noinput --clear -v 0; then
    ok "collectstatic"
else
    bad "collectstatic"
fi

# --- pytest passes -------------------------------------------------------------------------------
# run_pytest LABEL LOGFILE [pytest args...]: runs pytest, records status and closing line.
declare -a PASS_LINES=()
run_pytest() {
    local label="$1" log="$2"
    shift 2
    local rc
    timeout --kill-after=30 "$TIMEOUT" "$PY" -m pytest --color="$COLOR" "$@" "${ARGS[@]}" 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    local line
    line="$(sed -e 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^(=+ )?([0-9]+ [a-z]+|no tests ran).* in [0-9.]+s( \([0-9:]+\))?( =+)?$' | tail -n 1)"
    [[ -n "$line" ]] || line="(no pytest summary line)"
    case "$rc" in
        0) ok "$label" ;;
        5)
            if [[ $CI_MODE -eq 0 && ${#ARGS[@]} -gt 0 ]]; then
                ok "$label: no tests selected by '${ARGS[*]}'"
            else
                bad "$label: no tests collected (pytest exit 5)"
            fi
            ;;
        124|137) bad "$label: timed out after ${TIMEOUT}s" ;;
        *) bad "$label: pytest exit $rc" ;;
    esac
    PASS_LINES+=("$label (exit $rc):" "$line")
}

hr "pytest pass 1: SQLite (DATABASE_URL unset, -m \"not postgres\")"
run_pytest "SQLite pass" "$LOGDIR/sqlite.log" -m "not postgres"

if [[ $FAST -eq 0 ]]; then
    # The suite must not depend on the real date: the same tests (less the browser and service
    # tests, which drive other programs) with the whole process clock moved CLOCK_SHIFT_DAYS ahead
    # by libfaketime (monotonic clocks move by the same offset, so durations and time-outs keep their meaning).
    SHIFT="${CLOCK_SHIFT_DAYS:-400}"
    hr "pytest pass 1b: SQLite with the clock moved ${SHIFT} days ahead (libfaketime)"
    FAKELIB="$(dpkg -L libfaketime 2>/dev/null | grep -m1 '/libfaketimeMT\.so\.1$' || true)"
    if [[ -z "$FAKELIB" || ! -e "$FAKELIB" ]]; then
        bad "clock-shifted pass: libfaketime not installed"
    else
        real_today="$(date -u +%F)"
        shifted_today="$(FAKETIME="+${SHIFT}d" LD_PRELOAD="$FAKELIB" "$PY" -c 'import datetime; print(datetime.datetime.now(datetime.timezone.utc).date())')"
        moved=$(( ( $(date -u -d "$shifted_today" +%s) - $(date -u -d "$real_today" +%s) ) / 86400 ))
        echo "real date $real_today, shifted date $shifted_today ($moved days ahead)"
        if [[ $moved -lt $((SHIFT - 1)) ]]; then
            bad "clock-shifted pass: the clock did not move (${moved} days)"
        else
            FAKETIME="+${SHIFT}d" LD_PRELOAD="$FAKELIB" \
                run_pytest "SQLite pass, clock +${SHIFT} days" "$LOGDIR/sqlite-shifted.log" \
                -m "not postgres and not browser and not services" -p no:cacheprovider
        fi
    fi

    hr "pytest pass 2: PostgreSQL 15 (whole suite, --reverse)"
    PG_STARTED=1
    bash scripts/postgres.sh stop "$PGDIR" >/dev/null 2>&1 || true   # a stale cluster of a killed run
    if DATABASE_URL="$(bash scripts/postgres.sh start "$PGDIR")"; then
        export DATABASE_URL
        echo "DATABASE_URL=$DATABASE_URL"
        # The production-like tests (marker "services": Redis, a Celery worker and gunicorn, started by
        # tests/services/conftest.py through scripts/services.sh) run in this pass and must not skip.
        SROI_REQUIRE_SERVICES=1 run_pytest "PostgreSQL 15 pass" "$LOGDIR/postgres.log" --reverse
        unset DATABASE_URL
    else
        bad "PostgreSQL 15 pass: the cluster did not start"
        PASS_LINES+=("PostgreSQL 15 pass:" "(not run: PostgreSQL did not start)")
    fi
    bash scripts/postgres.sh stop "$PGDIR" || bad "stopping PostgreSQL"
    PG_STARTED=0
fi

# --- summary -------------------------------------------------------------------------------------
hr "make test summary"
printf '%s\n' "${SUMMARY[@]}"
echo
printf '%s\n' "${PASS_LINES[@]}"
echo
if [[ $FAILED -eq 0 ]]; then
    echo "make test: OK"
else
    echo "make test: FAILED"
fi
exit "$FAILED"
