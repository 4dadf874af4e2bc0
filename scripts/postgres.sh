#!/usr/bin/env bash
# A throw-away PostgreSQL 15 cluster for the tests.
#
#   scripts/postgres.sh start|stop|status|url [DIR]
#
#   start   initdb a fresh cluster in DIR (a stale one left there is removed first), start it on
#           127.0.0.1:$PGPORT_TEST (default 54329; another free port if that one is busy), create
#           database "sroi" and print its DATABASE_URL. If the cluster in DIR is already running,
#           only print the URL.
#   stop    stop the cluster and remove DIR.
#   status  print whether it runs (exit 0) or not (exit 3).
#   url     print postgres://postgres@127.0.0.1:PORT/sroi (exit 1 when not running).
#
# DIR defaults to $SROI_PG_DIR or /tmp/sroi-pg-$UID. Trust authentication, listening on loopback
# only, unix socket inside DIR, durability off (fsync, synchronous_commit, full_page_writes): test
# data only. As root the server runs as the "postgres" OS user (initdb refuses root).
set -euo pipefail

PGBIN="${PGBIN:-/usr/lib/postgresql/15/bin}"
DBNAME=sroi
MARKER=.sroi-test-cluster

log() { printf 'postgres.sh: %s\n' "$*" >&2; }
die() { printf 'postgres.sh: ERROR: %s\n' "$*" >&2; exit 1; }
usage() { echo "usage: $0 start|stop|status|url [DIR]" >&2; exit 2; }

[[ $# -ge 1 && $# -le 2 ]] || usage
CMD="$1"
DIR="${2:-${SROI_PG_DIR:-/tmp/sroi-pg-$(id -u)}}"
[[ "$DIR" == /* ]] || DIR="$PWD/$DIR"
DIR="${DIR%/}"
[[ -n "$DIR" && "$DIR" != "/" ]] || die "refusing to use / as cluster directory"
DATA="$DIR/data"
SOCK="$DIR/sock"
PORTFILE="$DIR/port"
LOGFILE="$DIR/postgres.log"

for b in initdb pg_ctl pg_isready psql; do
    [[ -x "$PGBIN/$b" ]] || die "$PGBIN/$b not found: install the Debian package postgresql-15 (scripts/system-deps.sh postgres)"
done

# Run a PostgreSQL binary as the cluster owner: "postgres" when we are root, ourselves otherwise.
# cd / first: the postgres user may not be allowed into the current directory (e.g. /root).
as_owner() {
    if [[ "$(id -u)" -eq 0 ]]; then
        (cd / && runuser -u postgres -- "$@")
    else
        (cd / && "$@")
    fi
}

port() { cat "$PORTFILE" 2>/dev/null || true; }
url() { echo "postgres://postgres@127.0.0.1:$1/$DBNAME"; }

running() {
    [[ -f "$DATA/PG_VERSION" ]] || return 1
    as_owner "$PGBIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

# port_busy, free_port
source "$(dirname "${BASH_SOURCE[0]}")/ports.sh"

# Remove DIR, but only if it is one of ours (or empty): never rm -rf an arbitrary directory.
remove_dir() {
    [[ -e "$DIR" ]] || return 0
    if [[ -f "$DIR/$MARKER" ]] || [[ -d "$DIR" && -z "$(ls -A "$DIR")" ]]; then
        rm -rf "$DIR"
    else
        die "$DIR exists and is not a cluster made by this script; remove it yourself or choose another DIR"
    fi
}

stop_server() {
    running || return 0
    as_owner "$PGBIN/pg_ctl" -D "$DATA" -m fast -w -t 30 stop >/dev/null 2>&1 \
        || as_owner "$PGBIN/pg_ctl" -D "$DATA" -m immediate -w -t 30 stop >/dev/null 2>&1 \
        || true
    if running; then
        die "could not stop the server in $DATA"
    fi
}

wait_ready() {
    local p="$1" i
    for i in $(seq 1 60); do
        "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$p" -d postgres -U postgres && return 0
        sleep 0.5
    done
    return 1
}

psql_() {
    "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$(port)" -U postgres "$@"
}

ensure_db() {
    if [[ -z "$(psql_ -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DBNAME'")" ]]; then
        psql_ -d postgres -c "CREATE DATABASE $DBNAME" >/dev/null
    fi
}

do_start() {
    if running && [[ -n "$(port)" ]] && wait_ready "$(port)"; then
        ensure_db
        url "$(port)"
        return 0
    fi

    # Whatever is in DIR is stale (an earlier run that was killed): stop and remove it.
    if [[ -f "$DIR/$MARKER" ]]; then
        log "removing stale cluster in $DIR"
        stop_server || true
    fi
    remove_dir

    mkdir -p "$DIR"
    touch "$DIR/$MARKER"
    mkdir -p "$SOCK"
    if [[ "$(id -u)" -eq 0 ]]; then
        id postgres >/dev/null 2>&1 || die "OS user 'postgres' not found (it comes with the postgresql-15 package)"
        chown -R postgres:postgres "$DIR"
    fi
    chmod 700 "$DIR"

    local locale=C.UTF-8
    if ! as_owner "$PGBIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale="$locale" \
            --no-sync --no-instructions >"$DIR/initdb.log" 2>&1; then
        log "initdb with locale C.UTF-8 failed; retrying with locale C"
        rm -rf "$DATA"
        locale=C
        as_owner "$PGBIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale="$locale" \
            --no-sync --no-instructions >"$DIR/initdb.log" 2>&1 \
            || { cat "$DIR/initdb.log" >&2; die "initdb failed"; }
    fi

    local want="${PGPORT_TEST:-54329}" p attempt
    for attempt in 1 2 3; do
        p="$want"
        if port_busy "$p"; then
            p="$(free_port $((want + 1)))"
            log "port $want is busy; using $p"
        fi
        echo "$p" >"$PORTFILE"
        # Our settings live in their own file, included at the end of postgresql.conf.
        cat >"$DATA/sroi-test.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $p
unix_socket_directories = '$SOCK'
max_connections = 100
fsync = off
synchronous_commit = off
full_page_writes = off
log_min_messages = warning
EOF
        if ! grep -q "^include = 'sroi-test.conf'" "$DATA/postgresql.conf"; then
            echo "include = 'sroi-test.conf'" >>"$DATA/postgresql.conf"
        fi
        if [[ "$(id -u)" -eq 0 ]]; then chown postgres:postgres "$DATA/sroi-test.conf" "$PORTFILE"; fi
        if as_owner "$PGBIN/pg_ctl" -D "$DATA" -l "$LOGFILE" -w -t 60 start >/dev/null 2>&1 \
                && wait_ready "$p"; then
            ensure_db
            url "$p"
            return 0
        fi
        # Probably lost a race for the port: try another one.
        log "server did not start on port $p (attempt $attempt); log tail:"
        tail -n 5 "$LOGFILE" >&2 || true
        stop_server || true
        want=$((p + 1))
    done
    die "could not start PostgreSQL; see $LOGFILE"
}

case "$CMD" in
    start) do_start ;;
    stop)
        stop_server
        remove_dir
        ;;
    status)
        if running && [[ -n "$(port)" ]]; then
            echo "running in $DIR on 127.0.0.1:$(port) ($(url "$(port)"))"
        else
            echo "not running ($DIR)"
            exit 3
        fi
        ;;
    url)
        if running && [[ -n "$(port)" ]]; then url "$(port)"; else die "no cluster running in $DIR"; fi
        ;;
    *) usage ;;
esac
