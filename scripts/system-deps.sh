#!/usr/bin/env bash
# Install the Debian packages the test suite needs, only when they are missing.
#
#   scripts/system-deps.sh [redis] [chromium] [poppler] [postgres] [faketime]
#
#   redis    -> redis-server
#   chromium -> chromium chromium-driver
#   poppler  -> poppler-utils (pdftotext, pdftoppm)
#   postgres -> postgresql-15 (server binaries in /usr/lib/postgresql/15/bin)
#   faketime -> libfaketime (the clock-shifted pass of make test)
#
# Runs apt-get as root, or through sudo otherwise. Waits politely for a dpkg lock held by
# another apt run (DPkg::Lock::Timeout) and retries `apt-get update` while its lock is held.
set -euo pipefail

log() { printf 'system-deps: %s\n' "$*" >&2; }
die() { printf 'system-deps: ERROR: %s\n' "$*" >&2; exit 1; }

[[ $# -gt 0 ]] || set -- redis chromium poppler

pkgs=()
for name in "$@"; do
    case "$name" in
        redis) pkgs+=(redis-server) ;;
        chromium) pkgs+=(chromium chromium-driver) ;;
        poppler) pkgs+=(poppler-utils) ;;
        postgres|postgresql) pkgs+=(postgresql-15) ;;
        faketime) pkgs+=(libfaketime) ;;
        *) die "unknown dependency '$name' (known: redis chromium poppler postgres faketime)" ;;
    esac
done

installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

missing=()
for p in "${pkgs[@]}"; do
    installed "$p" || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

command -v apt-get >/dev/null 2>&1 || die "missing packages ${missing[*]} and no apt-get to install them"
SUDO=()
if [[ "$(id -u)" -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || die "missing packages ${missing[*]}; not root and no sudo"
    SUDO=(sudo)
fi
APT=("${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600)

log "installing missing Debian packages: ${missing[*]}"

# apt-get update: its lists lock does not honour DPkg::Lock::Timeout, so retry while it is held.
errf="$(mktemp)"
trap 'rm -f "$errf"' EXIT
tries=0
until "${APT[@]}" -qq update 2>"$errf"; do
    tries=$((tries + 1))
    if grep -qi 'could not get lock' "$errf" && [[ $tries -lt 60 ]]; then
        log "apt lists are locked by another apt run; waiting ($tries/60)"
        sleep 10
    elif [[ $tries -lt 3 ]]; then
        cat "$errf" >&2
        log "apt-get update failed; retrying"
        sleep 5
    else
        cat "$errf" >&2
        die "apt-get update failed"
    fi
done
grep -v '^\s*$' "$errf" >&2 || true

# dpkg's progress output goes to a file, shown only when the install fails.
install() {
    "${APT[@]}" -qq install -y "${missing[@]}" </dev/null >"$errf" 2>&1 && return 0
    cat "$errf" >&2
    return 1
}
if ! install; then
    # An earlier apt run that was killed leaves dpkg half-configured; repair once and retry.
    log "apt-get install failed; running 'dpkg --configure -a' and retrying once"
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive dpkg --configure -a || true
    install || die "apt-get install ${missing[*]} failed"
fi

for p in "${missing[@]}"; do
    installed "$p" || die "$p is still not installed"
done
log "installed: ${missing[*]}"
