#!/usr/bin/env bash
# The production-like set-up of docker-compose.yml, natively, for the test run: Redis on a
# private port, a Celery worker and the web app served by gunicorn.
#
#   scripts/services.sh start DIR    start everything; prints REDIS_URL=..., WEB_URL=..., MAIL_DIR=...,
#                                    MEDIA_DIR=... (one per line) when all of it answers
#   scripts/services.sh stop DIR     stop what was started in DIR (by the pids recorded there), remove DIR
#   scripts/services.sh status DIR   exit 0 when all three run
#
# Faults (tests/services/test_faults.py; DIR as given to start):
#   scripts/services.sh redis-stop DIR            stop Redis (the web app and the worker stay up)
#   scripts/services.sh redis-start DIR           start Redis again on the same port, wait until it answers
#   scripts/services.sh kill-worker-children DIR  SIGKILL the pool processes of the worker(s) (what the
#                                                 kernel's OOM killer does); prints their pids
#   scripts/services.sh worker-kill DIR [NAME]    SIGKILL a whole worker, main process and pool
#   scripts/services.sh worker-start DIR [NAME]   start a worker (again) with start's environment plus the
#                                                 caller's CELERY_* variables (e.g. CELERY_VISIBILITY_TIMEOUT);
#                                                 NAME "main" (default) is the one start made; logs in
#                                                 DIR/worker.log or DIR/worker-NAME.log
#   scripts/services.sh worker-stop DIR [NAME]    stop a worker gracefully (TERM, then KILL after 15 s)
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
usage() {
    echo "usage: $0 start|stop|status|redis-stop|redis-start|kill-worker-children DIR" >&2
    echo "       $0 worker-start|worker-stop|worker-kill DIR [NAME]" >&2
    exit 2
}

[[ $# -eq 2 || ( $# -eq 3 && "$1" == worker-* ) ]] || usage
CMD="$1"
DIR="$2"
NAME="${3:-main}"
[[ "$NAME" =~ ^[a-z0-9-]+$ ]] || die "worker name: lowercase letters, digits and - only"
[[ "$DIR" == /* ]] || DIR="$PWD/$DIR"
DIR="${DIR%/}"
[[ -n "$DIR" && "$DIR" != "/" ]] || die "refusing to use / as the services directory"

# port_busy, free_port
source "$(dirname "${BASH_SOURCE[0]}")/ports.sh"

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
worker_ready() { grep -q "ready\." "${1:-$DIR/worker.log}"; }
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
    stop_pids "$DIR/gunicorn.pid" "$DIR/worker.pid" "$DIR"/worker-*.pid "$DIR/redis.pid"
    rm -rf "$DIR"
}

show_logs() {
    local f
    for f in redis.log worker.log gunicorn.log collectstatic.log; do
        [[ -f "$DIR/$f" ]] && { echo "--- $f (last 30 lines)" >&2; tail -n 30 "$DIR/$f" >&2; }
    done
    return 0
}

worker_files() {  # worker_files NAME: sets PIDFILE and LOGFILE of a worker
    if [[ "$1" == main ]]; then PIDFILE="$DIR/worker.pid"; LOGFILE="$DIR/worker.log"
    else PIDFILE="$DIR/worker-$1.pid"; LOGFILE="$DIR/worker-$1.log"; fi
}

launch_worker() {  # launch_worker NAME: start a worker in the background (the environment is set)
    worker_files "$1"
    (cd "$ROOT" && exec "$VENV/celery" -A sroi_portal worker -Q celery,rapporten --pool prefork --concurrency 2 \
        -n "sroi-test-$1-$$@%h" --without-gossip --without-mingle --without-heartbeat --loglevel INFO \
        >>"$LOGFILE" 2>&1) &
    echo $! >"$PIDFILE"
}

services_dir() {  # the fault commands work only on a directory start made, with everything recorded
    [[ -f "$DIR/$MARKER" ]] || die "$DIR was not made by this script"
}

pool_children() {  # pool_children PID: the pids of a worker's pool processes
    pgrep -P "$1" 2>/dev/null || true
}

do_redis_stop() {
    services_dir
    local port
    port="$(cat "$DIR/redis.port")"
    redis-cli -h 127.0.0.1 -p "$port" shutdown nosave >/dev/null 2>&1 || true
    local i
    for i in $(seq 1 60); do
        alive "$DIR/redis.pid" || redis_ping "$port" || { rm -f "$DIR/redis.pid"; return 0; }
        sleep 0.25
    done
    stop_pids "$DIR/redis.pid"
}

do_redis_start() {
    services_dir
    local port
    port="$(cat "$DIR/redis.port")"
    redis_ping "$port" && return 0
    port_busy "$port" && die "port $port is taken by another process"
    redis-server --bind 127.0.0.1 --port "$port" --save "" --appendonly no --daemonize yes \
        --pidfile "$DIR/redis.pid" --logfile "$DIR/redis.log" --dir "$DIR" \
        || { show_logs; die "redis-server did not start"; }
    wait_for "redis" redis_ping "$port" || { show_logs; die "redis does not answer on port $port"; }
}

do_kill_worker_children() {
    services_dir
    local pidfile pid child killed=()
    for pidfile in "$DIR/worker.pid" "$DIR"/worker-*.pid; do
        [[ -f "$pidfile" ]] || continue
        pid="$(cat "$pidfile")"
        for child in $(pool_children "$pid"); do
            kill -KILL "$child" 2>/dev/null && killed+=("$child")
        done
    done
    [[ ${#killed[@]} -gt 0 ]] || die "no worker pool process found"
    printf '%s\n' "${killed[@]}"
}

do_worker_kill() {
    services_dir
    worker_files "$NAME"
    alive "$PIDFILE" || die "worker $NAME does not run"
    local pid children
    pid="$(cat "$PIDFILE")"
    children="$(pool_children "$pid")"
    kill -KILL "$pid" $children 2>/dev/null || true
    rm -f "$PIDFILE"
    echo "$pid" $children
}

do_worker_start() {
    services_dir
    worker_files "$NAME"
    alive "$PIDFILE" && die "worker $NAME runs already"
    local caller
    caller="$(export -p | grep -E '^declare -x CELERY_' | grep -vE '^declare -x CELERY_(BROKER_URL|RESULT_BACKEND)=' || true)"
    # shellcheck disable=SC1091
    source "$DIR/services.env"
    eval "$caller"  # the caller's CELERY_* settings win (e.g. a short CELERY_VISIBILITY_TIMEOUT)
    local logfile_before=0
    [[ -f "$LOGFILE" ]] && logfile_before="$(wc -c <"$LOGFILE")"
    launch_worker "$NAME"
    worker_ready_since() { tail -c +"$((logfile_before + 1))" "$LOGFILE" | grep -q "ready\."; }
    wait_for "celery worker $NAME" worker_ready_since || { show_logs; die "worker $NAME did not get ready"; }
    alive "$PIDFILE" || { show_logs; die "worker $NAME died"; }
    cat "$PIDFILE"
}

do_worker_stop() {
    services_dir
    worker_files "$NAME"
    stop_pids "$PIDFILE"
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

    # The environment the worker and gunicorn get, for worker-start later (export -p: re-readable).
    export -p | grep -E '^declare -x (CELERY_|DJANGO_SETTINGS_MODULE|ALLOWED_HOSTS|SECURE_PROXY_SSL_HEADER|EMAIL_|PRIVATE_MEDIA_ROOT|STATIC_ROOT|PYTHONDONTWRITEBYTECODE|DATABASE_|SECRET_KEY|SROI_)' \
        >"$DIR/services.env"
    chmod 600 "$DIR/services.env"
    launch_worker main

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
    redis-stop) do_redis_stop ;;
    redis-start) do_redis_start ;;
    kill-worker-children) do_kill_worker_children ;;
    worker-start) do_worker_start ;;
    worker-stop) do_worker_stop ;;
    worker-kill) do_worker_kill ;;
    *) usage ;;
esac
