#!/usr/bin/env bash
# The load test (issue #6, item 8): `make loadtest`. One command, everything on 127.0.0.1:
#
#   1. a private PostgreSQL 15 (scripts/postgres.sh) in a temporary directory, migrated;
#   2. the region-sized data set (manage.py generate_load_data --scale regio: 11 municipalities,
#      6,000 contracts, 120,000 registrations);
#   3. one account per simulated user (manage.py create_load_accounts; passwords and TOTP keys in
#      a JSON file in the temporary directory, mode 0600);
#   4. Redis, a Celery worker and gunicorn with the production settings (scripts/services.sh);
#   5. locust, headless: 50 users (suppliers registering, SR-team deciding, council reading),
#      10 started per second, for 2 minutes, with a request-count safeguard (tests/load/locustfile.py);
#   6. the checks (tests/load/verify.py): no registration lost or duplicated, no decision lost,
#      stored figures equal to a fresh recompute once the Celery queue has drained;
#   7. the verdict and the measured figures (tests/load/report.py) into docs/loadtest.md.
#
# Exits non-zero when a request failed or answered 5xx, or a check failed. Everything it started
# is stopped and its temporary directory removed on exit (also on Ctrl-C).
#
# Knobs (environment): LOAD_USERS=50 LOAD_SPAWN_RATE=10 LOAD_DURATION=2m LOAD_SCALE=regio
#   LOAD_MAX_REQUESTS=40000 LOAD_WAIT_MIN=2 LOAD_WAIT_MAX=8 LOAD_DOC=docs/loadtest.md (empty: no doc)
#   LOAD_SUPPLIERS / LOAD_SRTEAM / LOAD_COUNCIL (default 64% / 16% / 20% of LOAD_USERS).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="$ROOT/.venv/bin/python"
USERS="${LOAD_USERS:-50}"
SPAWN_RATE="${LOAD_SPAWN_RATE:-10}"
DURATION="${LOAD_DURATION:-2m}"
SCALE="${LOAD_SCALE:-regio}"
MAX_REQUESTS="${LOAD_MAX_REQUESTS:-40000}"
WAIT_MIN="${LOAD_WAIT_MIN:-2}"
WAIT_MAX="${LOAD_WAIT_MAX:-8}"
DOC="${LOAD_DOC-docs/loadtest.md}"
SRTEAM="${LOAD_SRTEAM:-$(( USERS * 16 / 100 > 0 ? USERS * 16 / 100 : 1 ))}"
COUNCIL="${LOAD_COUNCIL:-$(( USERS * 20 / 100 > 0 ? USERS * 20 / 100 : 1 ))}"
SUPPLIERS="${LOAD_SUPPLIERS:-$(( USERS - SRTEAM - COUNCIL ))}"

log() { printf '\nloadtest: %s\n' "$*" >&2; }
die() { printf 'loadtest: ERROR: %s\n' "$*" >&2; exit 1; }

[[ -x "$PY" ]] || die ".venv missing: run bash scripts/bootstrap.sh"
[[ -x "$ROOT/.venv/bin/locust" ]] || die "locust missing: .venv/bin/pip install -r requirements.lock"
(( SUPPLIERS > 0 )) || die "LOAD_USERS=$USERS leaves no supplier users"
(( SUPPLIERS + SRTEAM + COUNCIL == USERS )) || die "LOAD_SUPPLIERS + LOAD_SRTEAM + LOAD_COUNCIL must equal LOAD_USERS"

seconds() {  # 2m -> 120, 90s -> 90, 1h -> 3600, 45 -> 45
    local v="$1"
    case "$v" in
        *h) echo $(( ${v%h} * 3600 )) ;;
        *m) echo $(( ${v%m} * 60 )) ;;
        *s) echo "${v%s}" ;;
        *) echo "$v" ;;
    esac
}
RUN_SECONDS="$(seconds "$DURATION")"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/sroi-loadtest.XXXXXX")"
chmod 700 "$WORK"
PG_DIR="$WORK/pg"
SERVICES_DIR="$WORK/services"
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    log "stopping the services and PostgreSQL, removing $WORK"
    bash "$ROOT/scripts/services.sh" stop "$SERVICES_DIR" >/dev/null 2>&1 || true
    bash "$ROOT/scripts/postgres.sh" stop "$PG_DIR" >/dev/null 2>&1 || true
    rm -rf "$WORK"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

bash "$ROOT/scripts/system-deps.sh" postgres redis

log "PostgreSQL in $PG_DIR"
if [[ "$(id -u)" -eq 0 ]]; then chmod 755 "$WORK"; fi  # the postgres OS user must reach its directory
DATABASE_URL="$(bash "$ROOT/scripts/postgres.sh" start "$PG_DIR")"
export DATABASE_URL
export SECRET_KEY="$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')"
export DJANGO_SETTINGS_MODULE=sroi_portal.settings_production
export ALLOWED_HOSTS=127.0.0.1,localhost SECURE_PROXY_SSL_HEADER=true DATABASE_CONN_MAX_AGE=0
export PYTHONDONTWRITEBYTECODE=1
unset DEBUG CELERY_BROKER_URL CELERY_RESULT_BACKEND

cd "$ROOT"
log "migrating"
"$PY" manage.py migrate --noinput -v 0
log "generating the $SCALE data set (a few minutes)"
started_data=$SECONDS
"$PY" manage.py generate_load_data --scale "$SCALE" | tail -n 4
DATA_SECONDS=$(( SECONDS - started_data ))
log "publishing the open data of the closed years"
"$PY" manage.py publiceer_open_data | tail -n 2
log "accounts: $SUPPLIERS suppliers, $SRTEAM SR-team, $COUNCIL council members"
"$PY" manage.py create_load_accounts --suppliers "$SUPPLIERS" --srteam "$SRTEAM" --council "$COUNCIL" \
    --output "$WORK/accounts.json"

log "Redis, Celery worker, gunicorn"
bash "$ROOT/scripts/services.sh" start "$SERVICES_DIR" >"$WORK/services.env"
WEB_URL="$(sed -n 's/^WEB_URL=//p' "$WORK/services.env")"
REDIS_URL="$(sed -n 's/^REDIS_URL=//p' "$WORK/services.env")"
LOG_DIR="$(sed -n 's/^LOG_DIR=//p' "$WORK/services.env")"
[[ "$WEB_URL" == http://127.0.0.1:* ]] || die "the web app is not on 127.0.0.1 ($WEB_URL)"

log "locust: $USERS users, $SPAWN_RATE/s, $DURATION against $WEB_URL"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
run_started=$(date +%s.%N)
set +e
LOAD_ACCOUNTS="$WORK/accounts.json" LOAD_RESULTS="$WORK/results.json" LOAD_MAX_REQUESTS="$MAX_REQUESTS" \
LOAD_WAIT_MIN="$WAIT_MIN" LOAD_WAIT_MAX="$WAIT_MAX" \
    timeout -k 15 $(( RUN_SECONDS + 150 )) "$ROOT/.venv/bin/locust" -f "$ROOT/tests/load/locustfile.py" --headless \
    -u "$USERS" -r "$SPAWN_RATE" -t "$DURATION" --stop-timeout 60 --host "$WEB_URL" \
    --csv "$WORK/locust" --only-summary --loglevel WARNING 2>&1 | tee "$WORK/locust.out"
LOCUST_EXIT=${PIPESTATUS[0]}
set -e
run_ended=$(date +%s.%N)
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

log "checks (waiting for the Celery queue to drain first)"
set +e
CELERY_BROKER_URL="$REDIS_URL" "$PY" -m tests.load.verify --accounts "$WORK/accounts.json" \
    --results "$WORK/results.json" --redis-url "$REDIS_URL" --output "$WORK/checks.json"
VERIFY_EXIT=$?
set -e

commit="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [[ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ]]; then commit="$commit (with uncommitted changes)"; fi
export LT_COMMIT="$commit" LT_DATE="$(date -u +%Y-%m-%dT%H:%MZ)" LT_SCALE="$SCALE" LT_DATA_SECONDS="$DATA_SECONDS" \
    LT_USERS="$USERS" LT_SPAWN="$SPAWN_RATE" LT_DURATION="$DURATION" LT_WAIT="$WAIT_MIN-$WAIT_MAX" \
    LT_RUN_SECONDS="$(awk -v a="$run_started" -v b="$run_ended" 'BEGIN {printf "%.1f", b - a}')" \
    LT_LOCUST_EXIT="$LOCUST_EXIT" LT_VERIFY_EXIT="$VERIFY_EXIT" LT_LOADAVG="$LOAD_BEFORE before the run, $LOAD_AFTER at its end" \
    LT_MACHINE="$(nproc) cores ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)), $(awk '/MemTotal/ {printf "%.1f GB", $2 / 1048576}' /proc/meminfo) RAM, $(uname -sr); other work may share the cores"
"$PY" - "$WORK/meta.json" <<'EOF'
import json, os, sys
import django
django.setup()
from django.db import connection
from bouwblokken.models import Registratie
from contracts.models import Contract, Gemeente, Leverancier
env = os.environ
connection.ensure_connection()
version = connection.pg_version
json.dump({
    "date": env["LT_DATE"], "commit": env["LT_COMMIT"], "machine": env["LT_MACHINE"],
    "postgres": f"{version // 10000}.{version % 100}", "scale": env["LT_SCALE"],
    "data": f"{Gemeente.objects.count()} municipalities, {Leverancier.objects.count():,} suppliers, "
            f"{Contract.objects.count():,} contracts, {Registratie.objects.count():,} registrations after the run; "
            f"generated in {env['LT_DATA_SECONDS']} s",
    "users": int(env["LT_USERS"]), "spawn_rate": env["LT_SPAWN"], "duration": env["LT_DURATION"], "wait": env["LT_WAIT"],
    "run_seconds": float(env["LT_RUN_SECONDS"]), "locust_exit": int(env["LT_LOCUST_EXIT"]),
    "verify_exit": int(env["LT_VERIFY_EXIT"]), "loadavg": env["LT_LOADAVG"],
}, open(sys.argv[1], "w"), indent=1)
EOF

log "verdict"
doc_args=()
[[ -n "$DOC" ]] && doc_args=(--doc "$ROOT/$DOC")
set +e
"$PY" -m tests.load.report --stats "$WORK/locust_stats.csv" --failures "$WORK/locust_failures.csv" \
    --results "$WORK/results.json" --checks "$WORK/checks.json" --accounts "$WORK/accounts.json" \
    --access-log "$LOG_DIR/access.log" --meta "$WORK/meta.json" "${doc_args[@]}"
REPORT_EXIT=$?
set -e
[[ -n "$DOC" ]] && log "written: $DOC"
if (( REPORT_EXIT != 0 || VERIFY_EXIT != 0 )); then
    log "FAILED (see above; services logs were in $LOG_DIR)"
    exit 1
fi
log "passed"
