#!/usr/bin/env bash
# Benchmarks `dockercfg migrate` of ENTRIES plaintext logins into a real
# `pass` store (a throwaway GPG key in a temp GNUPGHOME), against a careful
# migration by hand: a shell loop running `docker-credential-pass store`
# then `get` for each login and comparing what comes back.
#
#   bash benches/migrate.sh            # from anywhere; results in benches/MIGRATE.md
#
# Environment:
#   ENTRIES   plaintext logins (default 200)
#   ROUNDS    timed rounds of each variant (default 3); the median is reported
#   JOBS      extra --jobs values to compare with the default (default "1 4")
#   RESULTS   where the summary goes (default target/bench-results/migrate.txt)
#
# Every round starts from an empty store and an all-plaintext config.json.
# dockercfg's own CPU time is read from /proc/PID/stat of its zombie (see
# `measure` below): utime+stime are dockercfg's threads, cutime+cstime the
# helpers (and their gpg) it waited for. Exits non-zero only if the benchmark
# failed (a helper error, a login not migrated); missed targets are reported.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
ENTRIES=${ENTRIES:-200}
ROUNDS=${ROUNDS:-3}
JOBS=${JOBS:-"1 4"}
RESULTS=${RESULTS:-target/bench-results/migrate.txt}
MAX_RATIO=0.7   # dockercfg wall time / loop wall time, default --jobs
MAX_SELF_CPU=5  # dockercfg's own CPU, % of all CPU the run used

for tool in gpg gpgconf pass docker-credential-pass python3; do
    command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
done
cargo build --release --quiet
BIN=$ROOT/target/release/dockercfg

# Short path: gpg-agent's socket lives in GNUPGHOME and must stay < ~100 bytes.
WORK=$(mktemp -d /tmp/dcfg-mb.XXXXXX)
export GNUPGHOME=$WORK/g PASSWORD_STORE_DIR=$WORK/s
cleanup() { gpgconf --kill all 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
mkdir -m 700 "$GNUPGHOME"
gpg --batch --quiet --pinentry-mode loopback --passphrase '' \
    --quick-gen-key 'dockercfg bench <bench@dockercfg.invalid>' future-default default never 2>/dev/null
FPR=$(gpg --batch --with-colons --list-secret-keys | awk -F: '/^fpr:/ { print $10; exit }')
pass init "$FPR" >/dev/null
unset DOCKER_CONFIG DOCKER_AUTH_CONFIG DOCKERCFG_HELPER_TIMEOUT DOCKERCFG_LOCK_TIMEOUT

# The plaintext config, and for the loop each login's `store` input and the
# `get` answer it must see (precomputed, so the loop pays for helpers only).
mkdir -p "$WORK/docker" "$WORK/loop"
python3 - "$ENTRIES" "$WORK" <<'EOF'
import base64, json, sys
n, work = int(sys.argv[1]), sys.argv[2]
auths = {}
for i in range(n):
    url, user, pw = f"r{i:04}.bench.test", f"user{i}", f"pw-{i}:{i * 7919}"
    auths[url] = {"auth": base64.b64encode(f"{user}:{pw}".encode()).decode()}
    creds = {"ServerURL": url, "Username": user, "Secret": pw}
    open(f"{work}/loop/{i:04}.in", "w").write(json.dumps(creds))
    open(f"{work}/loop/{i:04}.url", "w").write(url)
    open(f"{work}/loop/{i:04}.want", "w").write(json.dumps(creds, separators=(",", ":")))
open(f"{work}/plaintext.json", "w").write(json.dumps({"auths": auths}, indent="\t"))
EOF

cat >"$WORK/loop.sh" <<'EOF'
# A careful migration by hand: store, read back, compare; stop on a mismatch.
for f in "$1"/loop/*.in; do
    b=${f%.in}
    docker-credential-pass store <"$f"
    got=$(docker-credential-pass get <"$b.url")
    [[ $got == "$(<"$b.want")" ]] || { echo "mismatch for $b" >&2; exit 1; }
done
EOF

# measure CMD...: prints "wall self_cpu children_cpu" in seconds. The child
# is waited for without being reaped (waitid WNOWAIT), so its /proc stat is
# still there, final: fields 14-15 its own user+system time (all threads),
# 16-17 those of the children it waited for.
measure() {
    python3 - "$@" <<'EOF'
import os, subprocess, sys, time
t = time.monotonic()
p = subprocess.Popen(sys.argv[1:])
os.waitid(os.P_PID, p.pid, os.WEXITED | os.WNOWAIT)
wall = time.monotonic() - t
stat = open(f"/proc/{p.pid}/stat").read().rsplit(")", 1)[1].split()
tick = os.sysconf("SC_CLK_TCK")
self_cpu = (int(stat[11]) + int(stat[12])) / tick
children = (int(stat[13]) + int(stat[14])) / tick
if p.wait() != 0:
    sys.exit(f"failed: {sys.argv[1:]}")
print(f"{wall:.3f} {self_cpu:.3f} {children:.3f}")
EOF
}

reset() {
    rm -rf "$PASSWORD_STORE_DIR/docker-credential-helpers"
    cp "$WORK/plaintext.json" "$WORK/docker/config.json"
}

check_migrated() {
    python3 - "$WORK/docker/config.json" "$ENTRIES" <<'EOF'
import json, sys
auths = json.load(open(sys.argv[1]))["auths"]
left = [k for k, v in auths.items() if v != {}]
if left or len(auths) != int(sys.argv[2]):
    sys.exit(f"not migrated: {len(left)} left, e.g. {left[:3]}")
EOF
    local n
    n=$(docker-credential-pass list | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
    [[ $n == "$ENTRIES" ]] || { echo "pass holds $n logins, not $ENTRIES" >&2; exit 1; }
}

DEFAULT_JOBS=$(nproc)
declare -A WALL SELF KIDS
variants=("loop" "default")
for j in $JOBS; do variants+=("jobs$j"); done
for ((r = 1; r <= ROUNDS; r++)); do
    for v in "${variants[@]}"; do
        reset
        case $v in
            loop) out=$(measure bash "$WORK/loop.sh" "$WORK") ;;
            default) out=$(measure "$BIN" --config "$WORK/docker" migrate --store pass -q) ;;
            jobs*) out=$(measure "$BIN" --config "$WORK/docker" migrate --store pass -q --jobs "${v#jobs}") ;;
        esac
        [[ $v == loop ]] || check_migrated
        read -r w s k <<<"$out"
        WALL[$v]+="$w "; SELF[$v]+="$s "; KIDS[$v]+="$k "
        echo "round $r $v: wall ${w}s, own CPU ${s}s, helpers' CPU ${k}s" >&2
    done
done

median() { tr ' ' '\n' <<<"$1" | grep . | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
mkdir -p "$(dirname "$RESULTS")"
{
    echo "migrate benchmark: $ENTRIES plaintext logins into docker-credential-pass $(docker-credential-pass version 2>/dev/null || true)"
    echo "machine: $(nproc) CPUs, $(uname -sr); median of $ROUNDS rounds; default --jobs = $DEFAULT_JOBS"
    printf '%-24s %9s %9s %11s %13s %9s\n' variant "wall s" "vs loop" "own CPU s" "helpers CPU s" "own CPU %"
    loop_wall=$(median "${WALL[loop]}")
    for v in "${variants[@]}"; do
        w=$(median "${WALL[$v]}"); s=$(median "${SELF[$v]}"); k=$(median "${KIDS[$v]}")
        name=$v
        [[ $v == loop ]] && name="shell loop (store+get)"
        [[ $v == default ]] && name="dockercfg --jobs $DEFAULT_JOBS"
        [[ $v == jobs* ]] && name="dockercfg --jobs ${v#jobs}"
        awk -v n="$name" -v w="$w" -v lw="$loop_wall" -v s="$s" -v k="$k" 'BEGIN {
            printf "%-24s %9.2f %9.2f %11.2f %13.2f %9.1f\n", n, w, w / lw, s, k, (s + k > 0 ? 100 * s / (s + k) : 0) }'
    done
    w=$(median "${WALL[default]}"); s=$(median "${SELF[default]}"); k=$(median "${KIDS[default]}")
    awk -v w="$w" -v lw="$loop_wall" -v s="$s" -v k="$k" -v mr="$MAX_RATIO" -v mc="$MAX_SELF_CPU" 'BEGIN {
        r = w / lw; c = 100 * s / (s + k)
        printf "target wall <= %.2fx loop: %.2fx %s\n", mr, r, (r <= mr ? "MET" : "MISSED")
        printf "target own CPU < %d%% of all CPU: %.1f%% %s\n", mc, c, (c < mc ? "MET" : "MISSED") }'
} | tee "$RESULTS"
