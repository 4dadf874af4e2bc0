#!/usr/bin/env bash
# The production-like set-up of docker-compose.yml, natively, for the test run: Redis on a
# private port, a Celery worker and the web app served by gunicorn.
#
#   scripts/services.sh start DIR    start everything; prints REDIS_URL=..., WEB_URL=..., MAIL_DIR=...,
#                                    MEDIA_DIR=... (one per line) when all of it answers
#   scripts/services.sh stop DIR     stop what was started in DIR (by the pids recorded there), remove DIR
#   scripts/services.sh status DIR   exit 0 when all three run
#
# The caller's environment is passed on; it must hold DATABASE_URL (PostgreSQL: the worker and
# the web app share the database with the caller) and SECRET_KEY. Defaults set here unless given:
#   DJANGO_SETTINGS_MODULE=sroi_portal.settings_production, ALLOWED_HOSTS=127.0.0.1,localhost,
#   SECURE_PROXY_SSL_HEADER=true (send X-Forwarded-Proto: https, as a TLS-terminating proxy would),
#   EMAIL_BACKEND=filebased into DIR/mail, PRIVATE_MEDIA_ROOT=DIR/private, STATIC_ROOT=DIR/static
#   (collected here), CELERY_BROKER_URL=CELERY_RESULT_BACKEND=redis://127.0.0.1:PORT/0.
# Ports: Redis from $SROI_REDIS_PORT (default 56379), web from $SROI_WEB_PORT (default 58000);
# the next free port is taken when one is busy. Only processes started here are ever stopped.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv/bin"
MARKER=.sroi-services
STARTUP_TIMEOUT="${SROI_SERVICES_TIMEOUT:-60}"

log() { printf 'services.sh: %s\n' "$*" >&2; }
die() { printf 'services.sh: ERROR: %s\n' "$*" >&2; exit 1; }
usage() { echo "usage: $0 start|stop|status DIR" >&2; exit 2; }

[[ $# -eq 2 ]] || usage
CMD="$1"
DIR="$2"
[[ "$DIR" == /* ]] || DIR="$PWD/$DIR"
DIR="${DIR%/}"
[[ -n "$DIR" && "$DIR" != "/" ]] || die "refusing to use / as the services directory"

port_busy() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    if command -v ss >/dev/null 2>&1; then
        ss -Hltn "sport = :$1" 2>/dev/null | grep -q . && return 0
    fi
    return 1
}

free_port() {
    local p
    for p in $(seq "$1" $(($1 + 200))); do
        port_busy "$p" || { echo "$p"; return; }
    done
    die "no free TCP port in $1..$(($1 + 200))"
}

alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

wait_for() {  # wait_for DESCRIPTION COMMAND...: retry COMMAND until it succeeds or time runs out
    local what="$1" i
    shift
    for i in $(seq 1 $((STARTUP_TIMEOUT * 4))); do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.25
    done
    return 1
}

redis_ping() { [[ "$(redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" == "PONG" ]]; }
worker_ready() { grep -q "ready\." "$DIR/worker.log"; }
web_healthy() { curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$1/gezondheid"; }

stop_pids() {  # stop_pids PIDFILE...: TERM all, wait up to 15 s, then KILL; only the recorded pids
    local pidfile pid i pids=()
    for pidfile in "$@"; do
        [[ -f "$pidfile" ]] || continue
        pid="$(cat "$pidfile")"
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null || true
            pids+=("$pid")
        fi
    done
    for i in $(seq 1 60); do
        local running=0
        for pid in "${pids[@]}"; do
            kill -0 "$pid" 2>/dev/null && running=1
        done
        [[ $running -eq 0 ]] && break
        sleep 0.25
    done
    for pid in "${pids[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then
            log "pid $pid did not stop; killing it"
            kill -KILL "$pid" 2>/dev/null || true
        fi
    done
    rm -f "$@"
}

do_stop() {
    [[ -d "$DIR" ]] || return 0
    [[ -f "$DIR/$MARKER" ]] || die "$DIR was not made by this script; not touching it"
    if [[ -f "$DIR/redis.port" ]] && redis_ping "$(cat "$DIR/redis.port")"; then
        redis-cli -h 127.0.0.1 -p "$(cat "$DIR/redis.port")" shutdown nosave >/dev/null 2>&1 || true
    fi
    stop_pids "$DIR/gunicorn.pid" "$DIR/worker.pid" "$DIR/redis.pid"
    rm -rf "$DIR"
}

show_logs() {
    local f
    for f in redis.log worker.log gunicorn.log collectstatic.log; do
        [[ -f "$DIR/$f" ]] && { echo "--- $f (last 30 lines)" >&2; tail -n 30 "$DIR/$f" >&2; }
    done
    return 0
}

do_start() {
    command -v redis-server >/dev/null 2>&1 || die "redis-server not found: bash scripts/system-deps.sh redis"
    command -v redis-cli >/dev/null 2>&1 || die "redis-cli not found: bash scripts/system-deps.sh redis"
    command -v curl >/dev/null 2>&1 || die "curl not found"
    [[ -n "${DATABASE_URL:-}" ]] || die "DATABASE_URL must be set (the worker and the web app share the caller's database)"
    [[ -n "${SECRET_KEY:-}" ]] || die "SECRET_KEY must be set"

    if [[ -d "$DIR" ]]; then
        log "removing what an earlier run left in $DIR"
        do_stop
    fi
    mkdir -p "$DIR/mail" "$DIR/private" "$DIR/static"
    touch "$DIR/$MARKER"

    local redis_port web_port
    redis_port="$(free_port "${SROI_REDIS_PORT:-56379}")"
    echo "$redis_port" >"$DIR/redis.port"
    redis-server --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no --daemonize yes \
        --pidfile "$DIR/redis.pid" --logfile "$DIR/redis.log" --dir "$DIR" \
        || { show_logs; die "redis-server did not start"; }
    wait_for "redis" redis_ping "$redis_port" || { show_logs; die "redis does not answer on port $redis_port"; }

    export CELERY_BROKER_URL="redis://127.0.0.1:$redis_port/0"
    export CELERY_RESULT_BACKEND="$CELERY_BROKER_URL"
    export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-sroi_portal.settings_production}"
    export ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost}"
    export SECURE_PROXY_SSL_HEADER="${SECURE_PROXY_SSL_HEADER:-true}"
    export EMAIL_BACKEND="${EMAIL_BACKEND:-django.core.mail.backends.filebased.EmailBackend}"
    export EMAIL_FILE_PATH="${EMAIL_FILE_PATH:-$DIR/mail}"
    export PRIVATE_MEDIA_ROOT="${PRIVATE_MEDIA_ROOT:-$DIR/private}"
    export PYTHONDONTWRITEBYTECODE=1
    unset DEBUG

    # The production settings serve static files from the manifest. `make test` has just collected
    # them into staticfiles/; use those when they are newer than every source file, else collect
    # them for this run (slower: the compressed manifest storage compresses every file).
    local manifest="$ROOT/staticfiles/staticfiles.json"
    if [[ -z "${STATIC_ROOT:-}" && -f "$manifest" ]] \
            && [[ -z "$(find "$ROOT/static" "$ROOT"/*/static -type f -newer "$manifest" -print -quit 2>/dev/null)" ]]; then
        export STATIC_ROOT="$ROOT/staticfiles"
    else
        export STATIC_ROOT="${STATIC_ROOT:-$DIR/static}"
        log "collecting static files into $STATIC_ROOT"
        (cd "$ROOT" && "$VENV/python" manage.py collectstatic --noinput -v 0 >"$DIR/collectstatic.log" 2>&1) \
            || { show_logs; die "collectstatic failed"; }
    fi

    (cd "$ROOT" && exec "$VENV/celery" -A sroi_portal worker -Q celery,rapporten --pool prefork --concurrency 2 \
        -n "sroi-test-$$@%h" --without-gossip --without-mingle --without-heartbeat --loglevel INFO \
        >"$DIR/worker.log" 2>&1) &
    echo $! >"$DIR/worker.pid"

    web_port="$(free_port "${SROI_WEB_PORT:-58000}")"
    (cd "$ROOT" && exec "$VENV/gunicorn" sroi_portal.wsgi:application --bind "127.0.0.1:$web_port" --workers 2 \
        --timeout 120 --access-logfile "$DIR/access.log" --error-logfile "$DIR/gunicorn.log" \
        >>"$DIR/gunicorn.log" 2>&1) &
    echo $! >"$DIR/gunicorn.pid"

    wait_for "celery worker" worker_ready || { show_logs; do_stop; die "the Celery worker did not get ready"; }
    wait_for "gunicorn" web_healthy "$web_port" || { show_logs; do_stop; die "gunicorn does not answer /gezondheid"; }
    alive "$DIR/worker.pid" || { show_logs; do_stop; die "the Celery worker died"; }

    echo "REDIS_URL=$CELERY_BROKER_URL"
    echo "WEB_URL=http://127.0.0.1:$web_port"
    echo "MAIL_DIR=$EMAIL_FILE_PATH"
    echo "MEDIA_DIR=$PRIVATE_MEDIA_ROOT"
    echo "LOG_DIR=$DIR"
}

case "$CMD" in
    start) do_start ;;
    stop) do_stop ;;
    status)
        alive "$DIR/redis.pid" && alive "$DIR/worker.pid" && alive "$DIR/gunicorn.pid" \
            && { echo "running in $DIR"; exit 0; }
        echo "not (all) running ($DIR)"
        exit 3
        ;;
    *) usage ;;
esac
