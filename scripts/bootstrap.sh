#!/usr/bin/env bash
# Create/refresh the project's virtualenv (.venv) from requirements.lock.
#
#   scripts/bootstrap.sh
#
# - Python: $PYTHON if set (must be >= 3.12), else python3.12 / python3.13 on PATH,
#   else a pyenv install (~/.pyenv/versions/3.12*/bin/python3.12, then 3.13*), else python3.
#   Candidates are actually run: a pyenv shim for a version that is not selected fails and is skipped.
# - .venv is (re)created when missing, broken, or its Python is older than 3.12.
# - pip install -r requirements.lock runs only when the lock (or the venv's Python) changed since
#   the last successful install; the hash is kept in .venv/.requirements.sha256.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
LOCK="$ROOT/requirements.lock"
STAMP="$VENV/.requirements.sha256"
MIN_MINOR=12   # Django 6.1 needs Python >= 3.12
MAX_MINOR=13   # pyproject: requires-python < 3.14

log() { printf 'bootstrap: %s\n' "$*" >&2; }
die() { printf 'bootstrap: ERROR: %s\n' "$*" >&2; exit 1; }

# Usable interpreter? (runs it: pyenv shims for unselected versions exit non-zero)
py_ok() {
    "$1" -c "import sys; sys.exit(0 if (3, $MIN_MINOR) <= sys.version_info[:2] <= (3, $MAX_MINOR) else 1)" \
        >/dev/null 2>&1
}

find_python() {
    if [[ -n "${PYTHON:-}" ]]; then
        py_ok "$PYTHON" || die "PYTHON=$PYTHON is not a working Python 3.$MIN_MINOR..3.$MAX_MINOR"
        command -v "$PYTHON" 2>/dev/null || echo "$PYTHON"
        return
    fi
    local cand
    local pyenv_root="${PYENV_ROOT:-$HOME/.pyenv}"
    local -a cands=(python3.12 python3.13)
    # pyenv installs: 3.12 first (the lock was compiled with it), highest patch release first.
    local minor
    for minor in 12 13; do
        while IFS= read -r cand; do cands+=("$cand"); done < <(
            ls -1d "$pyenv_root"/versions/3.$minor*/bin/python3.$minor \
                   /root/.pyenv/versions/3.$minor*/bin/python3.$minor 2>/dev/null | sort -u -V -r)
    done
    cands+=(python3)
    for cand in "${cands[@]}"; do
        if py_ok "$cand"; then
            if [[ "$cand" == */* ]]; then echo "$cand"; else command -v "$cand"; fi
            return
        fi
    done
    die "no Python 3.$MIN_MINOR or 3.$MAX_MINOR found (tried: ${cands[*]}). Install one, or set PYTHON=/path/to/python3.12"
}

[[ -f "$LOCK" ]] || die "$LOCK not found"

# Serialise concurrent bootstraps of the same checkout (e.g. `make run` and `make test`).
if command -v flock >/dev/null 2>&1; then
    lockfile="${TMPDIR:-/tmp}/sroi-portal-bootstrap-$(id -u)-$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1).lock"
    exec 9>"$lockfile"
    flock 9
fi

if [[ -x "$VENV/bin/python" ]] && py_ok "$VENV/bin/python"; then
    :
else
    PY="$(find_python)"
    if [[ -e "$VENV" ]]; then
        log "existing .venv is missing, broken or too old; recreating it"
        rm -rf "$VENV"
    fi
    log "creating .venv with $PY ($("$PY" -V 2>&1))"
    "$PY" -m venv "$VENV" || die "'$PY -m venv' failed"
fi

want="$( { sha256sum "$LOCK" | cut -d' ' -f1; "$VENV/bin/python" -VV; } | sha256sum | cut -d' ' -f1)"
have="$(cat "$STAMP" 2>/dev/null || true)"
if [[ "$want" != "$have" ]]; then
    log "installing requirements.lock into .venv (this can take a few minutes the first time)"
    rm -f "$STAMP"
    # -q keeps it quiet; errors still show and fail the script. The lock's local index mirrors
    # (file:///opt/...) warn once per package they lack: that noise is dropped.
    set +e
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$LOCK" 2>&1 \
        | grep -v "^WARNING: Location 'file:.*' is ignored" >&2
    rc=${PIPESTATUS[0]}
    set -e
    [[ $rc -eq 0 ]] || die "pip install -r requirements.lock failed (exit $rc)"
    echo "$want" >"$STAMP"
    log "requirements installed"
fi
