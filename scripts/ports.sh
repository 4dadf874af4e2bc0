# Shared by scripts/postgres.sh and scripts/services.sh (sourced, not run): find a free TCP port on
# 127.0.0.1. The caller defines die().

port_busy() {
    # Something accepts connections there (bash's /dev/tcp), or it shows up as a listener.
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
    die "no free TCP port found in $1..$(($1 + 200))"
}
