#!/usr/bin/env bash
# Fuzz API v1 from its own OpenAPI schema with schemathesis (pinned in the "test" extra).
#
#   scripts/fuzz-api.sh [EXTRA SCHEMATHESIS ARGS...]
#
# Starts a dev server on 127.0.0.1:$FUZZ_PORT (default: a free port) with a fresh SQLite database in a
# temporary directory, loads the demo data (seed_demo), makes an API token for each role that
# writes through the API (leverancier, inkoop, srteam) and runs
#   schemathesis run http://127.0.0.1:PORT/api/v1/openapi.json -H "Authorization: Token ..."
# once per token, bounded by $FUZZ_MAX_EXAMPLES examples per operation (default 50) and
# $FUZZ_MAX_TIME seconds per role (default 300). Checks: no 5xx, status codes, content types,
# headers and bodies as the schema documents them, and schema-invalid input is rejected.
# Exit status non-zero if any run found a failure. Reports (JUnit + NDJSON) go to
# $FUZZ_REPORT_DIR (default var/fuzz-report). The result of the latest run is kept in
# docs/security.md ("API-fuzzing").
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="$ROOT/.venv/bin/python"
ST="$ROOT/.venv/bin/schemathesis"
[[ -x "$ST" ]] || { echo "fuzz-api.sh: schemathesis missing; run: .venv/bin/pip install -r requirements.lock" >&2; exit 1; }

PORT="${FUZZ_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
MAX_EXAMPLES="${FUZZ_MAX_EXAMPLES:-50}"
MAX_TIME="${FUZZ_MAX_TIME:-300}"
REPORT_DIR="${FUZZ_REPORT_DIR:-$ROOT/var/fuzz-report}"
ROLES="${FUZZ_ROLES:-leverancier inkoop srteam}"
CHECKS="${FUZZ_CHECKS:-not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance,negative_data_rejection}"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/sroi-fuzz.XXXXXX")"
SERVER_PID=""
cleanup() {
    if [[ -n "$SERVER_PID" ]]; then kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export DEBUG=false
export SECRET_KEY="fuzz-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export ALLOWED_HOSTS=127.0.0.1,localhost
export DATABASE_URL="sqlite:///$WORK/fuzz.sqlite3"
export PRIVATE_MEDIA_ROOT="$WORK/private"
export CELERY_BROKER_URL=""
export EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend
export LOG_LEVEL=WARNING
unset SECURE_SSL_REDIRECT

echo "fuzz-api.sh: fresh database in $WORK, demo data"
"$PY" manage.py migrate --noinput -v 0 || exit 1
DEBUG=true "$PY" manage.py seed_demo >/dev/null || exit 1  # seed_demo refuses without DEBUG

"$PY" manage.py runserver "127.0.0.1:$PORT" --noreload --insecure >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 60); do
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; echo "fuzz-api.sh: server exited (port $PORT busy?)" >&2; exit 1; }
    curl -fsS -o /dev/null "http://127.0.0.1:$PORT/api/v1/openapi.json" 2>/dev/null && break
    sleep 0.5
done
curl -fsS -o /dev/null "http://127.0.0.1:$PORT/api/v1/openapi.json" || { cat "$WORK/server.log" >&2; echo "fuzz-api.sh: server did not start" >&2; exit 1; }

mkdir -p "$REPORT_DIR"
STATUS=0
for role in $ROLES; do
    token="$("$PY" manage.py drf_create_token -r "$role" 2>/dev/null | sed -n "s/^Generated token \([0-9a-f]*\) for user .*/\1/p")"
    [[ -n "$token" ]] || { echo "fuzz-api.sh: no token for $role" >&2; STATUS=1; continue; }
    echo
    echo "==== schemathesis as '$role' (max $MAX_EXAMPLES examples per operation, $MAX_TIME s) ===="
    "$ST" run "http://127.0.0.1:$PORT/api/v1/openapi.json" \
        -H "Authorization: Token $token" \
        --checks "$CHECKS" \
        --max-examples "$MAX_EXAMPLES" \
        --max-time "$MAX_TIME" \
        --workers 1 \
        --request-timeout 30 \
        --generation-database none \
        --report junit,ndjson --report-dir "$REPORT_DIR" \
        --report-junit-path "$REPORT_DIR/$role.xml" --report-ndjson-path "$REPORT_DIR/$role.ndjson" \
        --no-color "$@" || STATUS=1
done

if grep -q "Internal Server Error\|Traceback" "$WORK/server.log"; then
    echo "fuzz-api.sh: the server log has errors:" >&2
    grep -B2 -A20 "Traceback" "$WORK/server.log" | head -80 >&2
    STATUS=1
fi
echo
[[ $STATUS -eq 0 ]] && echo "fuzz-api.sh: OK (no failures)" || echo "fuzz-api.sh: FAILURES (see above and $REPORT_DIR)"
exit "$STATUS"
