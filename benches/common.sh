# Set-up shared by benches/scaling.sh and benches/migrate_lock.sh (#17);
# sourced from the repository root, after `set -euo pipefail`.
#
#   bench_setup NAME CARGO-ARGS...
#
# checks that valgrind (scaling only), python3 and cargo are there, builds
# the release binary (`cargo build --release --quiet CARGO-ARGS...`) and sets
#   BIN   the dockercfg binary (CARGO_TARGET_DIR is honoured)
#   WORK  a fresh directory, removed on exit unless KEEP is set
# and puts `docker-credential-benchfile` on PATH: a /bin/sh helper (builtins
# only, so callgrind counts dockercfg's own work) keeping one file per
# server URL under $BENCH_STORE (hostnames only, no '/'). DOCKER_CONFIG,
# DOCKER_AUTH_CONFIG and REGISTRY_AUTH_FILE are unset.
bench_setup() {
    local name=$1 t
    shift
    local tools=(python3 cargo)
    [ "$name" != scaling ] || tools+=(valgrind)
    for t in "${tools[@]}"; do
        command -v "$t" >/dev/null || { echo "benches/$name.sh: $t not found (apt-get install valgrind python3)" >&2; exit 1; }
    done
    cargo build --release --quiet "$@"
    local target=${CARGO_TARGET_DIR:-target}
    case "$target" in /*) ;; *) target="$(pwd)/$target" ;; esac
    BIN="$target/release/dockercfg"
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/dockercfg-$name.XXXXXX")
    [ -n "${KEEP:-}" ] || trap 'rm -rf "$WORK"' EXIT
    mkdir -p "$WORK/bin"
    cat >"$WORK/bin/docker-credential-benchfile" <<'SH'
#!/bin/sh
d=${BENCH_STORE:?}
IFS= read -r line || true
case "$1" in
store)
    u=${line#*\"ServerURL\":\"}; u=${u%%\"*}
    printf '%s\n' "$line" >"$d/$u" ;;
get)
    if [ -f "$d/$line" ]; then IFS= read -r c <"$d/$line" || true; printf '%s\n' "$c"
    else echo "credentials not found in native keychain"; exit 1; fi ;;
erase) rm -f "$d/$line" ;;
list) echo '{}' ;;
*) exit 1 ;;
esac
SH
    chmod 755 "$WORK/bin/docker-credential-benchfile"
    export PATH="$WORK/bin:$PATH"
    unset DOCKER_CONFIG DOCKER_AUTH_CONFIG REGISTRY_AUTH_FILE
}
