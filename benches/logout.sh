#!/usr/bin/env bash
# A one-entry `dockercfg logout` against its floor (#17): benches/logout_floor.rs
# takes the same safe steps written plainly (lock, read, validate, splice,
# fsync, rename, directory fsync) and nothing else.
#
#   bash benches/logout.sh            # 1, 10,000 and 100,000 entries
#   SIZES="1 10000" bash benches/logout.sh
#
# For each size it prints, dockercfg against the floor:
#   * instructions (callgrind: repeatable, free of the machine's load);
#   * wall time, the median of RUNS runs of each, interleaved, a fresh copy
#     of the file before each run;
#   * peak RSS (/usr/bin/time -f %M, else skipped).
# It checks that both leave byte-identical files, and exits non-zero when
#   * the wall-time median exceeds MAX_RATIO (1.3) x the floor's, at every
#     size (interleaved runs: load that drifts weighs on both alike);
#   * instructions exceed MAX_RATIO x the floor's at 10,000 entries and
#     more (at 1 entry both are their fixed costs: dockercfg's argument
#     parser alone is 0.4M instructions, the floor has none; there the wall
#     time, mostly process start-up and the two fsyncs, is what counts);
#   * peak RSS exceeds 2 x the file's size + dockercfg's RSS on the 1-entry
#     file (its fixed cost: binary, libc, allocator; the largest of 3 runs),
#     at 10,000 entries and more.
#
# Environment: SIZES, RUNS (default 30), MAX_RATIO, KEEP=1 (keep the work dir).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SIZES=${SIZES:-"1 10000 100000"}
RUNS=${RUNS:-30}
MAX_RATIO=${MAX_RATIO:-1.3}
for t in valgrind python3 cargo; do
    command -v "$t" >/dev/null || { echo "benches/logout.sh: $t not found" >&2; exit 1; }
done
TARGET_DIR=${CARGO_TARGET_DIR:-target}
case "$TARGET_DIR" in /*) ;; *) TARGET_DIR="$(pwd)/$TARGET_DIR" ;; esac
cargo build --release --quiet --bin dockercfg
# An example builds with the dev-dependencies, whose features would change
# the release build's dependencies and make the next plain build start over:
# the floor gets a target directory of its own.
cargo build --release --quiet --example logout_floor --target-dir "$TARGET_DIR/bench-floor"
BIN="$TARGET_DIR/release/dockercfg"
FLOOR="$TARGET_DIR/bench-floor/release/examples/logout_floor"
HAVE_TIME=; [ -x /usr/bin/time ] && HAVE_TIME=1

WORK=$(mktemp -d "${TMPDIR:-/tmp}/dockercfg-logout.XXXXXX")
[ -n "${KEEP:-}" ] || trap 'rm -rf "$WORK"' EXIT
TARGET=registry.bench-target.example.com
unset DOCKER_CONFIG DOCKER_AUTH_CONFIG

# cmd WHO: the command line, on the config in $WORK/d.
cmd() {
    case $1 in
    floor) echo "$FLOOR $WORK/d $TARGET" ;;
    dockercfg) echo "$BIN --config $WORK/d logout $TARGET" ;;
    esac
}
fresh() { rm -rf "$WORK/d"; mkdir -m 700 "$WORK/d"; cp "$WORK/c$1.json" "$WORK/d/config.json"; }
instructions() {
    fresh "$1"
    # shellcheck disable=SC2046
    valgrind --tool=callgrind --callgrind-out-file=/dev/null $(cmd "$2") 2>&1 >/dev/null |
        sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
rss() {
    fresh "$1"
    # shellcheck disable=SC2046
    /usr/bin/time -f %M -o "$WORK/rss" $(cmd "$2") >/dev/null
    cat "$WORK/rss"
}
# wall N: "floor_ms dockercfg_ms", medians of RUNS runs each, the two
# interleaved (floor, dockercfg, floor, ...) so that the machine's load
# drifting during the run weighs on both alike; 3 warm-up rounds.
wall() {
    python3 - "$WORK/c$1.json" "$WORK/d" "$RUNS" "$(cmd floor)" "$(cmd dockercfg)" <<'PY'
import os, shutil, statistics, sys, time
src, d, runs, cmds = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
null = os.open(os.devnull, os.O_WRONLY)
times = [[], []]
for r in range(runs + 3):
    for i, c in enumerate(cmds):
        shutil.copyfile(src, d + "/config.json")
        argv = c.split()
        t = time.perf_counter()
        pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=[(os.POSIX_SPAWN_DUP2, null, 1), (os.POSIX_SPAWN_DUP2, null, 2)])
        _, status = os.waitpid(pid, 0)
        dt = time.perf_counter() - t
        if status != 0:
            sys.exit(f"failed: {c}")
        if r >= 3:
            times[i].append(dt * 1000)
print(f"{statistics.median(times[0]):.2f} {statistics.median(times[1]):.2f}")
PY
}
gt() { python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) > float(sys.argv[2]) else 1)" "$1" "$2"; }
ratio() { python3 -c "import sys; print(f'{float(sys.argv[1]) / float(sys.argv[2]):.3f}')" "$1" "$2"; }

fail=0
base_rss=
for n in 1 $SIZES; do
    [ -f "$WORK/c$n.json" ] || python3 benches/gen_config.py "$n" "$WORK/c$n.json"
    chmod 600 "$WORK/c$n.json"
done
printf '%-8s %10s %13s %13s %7s %10s %10s %7s %10s %10s %s\n' entries bytes "I floor" "I dockercfg" ratio \
    "ms floor" "ms dcfg" ratio "RSS floor" "RSS dcfg" "(KiB)"
for n in $SIZES; do
    # The same bytes out: dockercfg's splice is the floor's.
    fresh "$n"; $(cmd floor); cp "$WORK/d/config.json" "$WORK/floor.out"
    fresh "$n"; $(cmd dockercfg) >/dev/null
    cmp -s "$WORK/floor.out" "$WORK/d/config.json" ||
        { echo "benches/logout.sh: at $n entries dockercfg's file differs from the floor's" >&2; fail=1; }
    size=$(wc -c <"$WORK/c$n.json")
    i_f=$(instructions "$n" floor); i_d=$(instructions "$n" dockercfg); ri=$(ratio "$i_d" "$i_f")
    read -r w_f w_d <<<"$(wall "$n")"; rw=$(ratio "$w_d" "$w_f")
    r_f=-; r_d=-
    if [ -n "$HAVE_TIME" ]; then
        r_f=$(rss "$n" floor); r_d=$(rss "$n" dockercfg)
        # The constant: dockercfg's RSS on the 1-entry file (its fixed
        # cost), the largest of 3 runs.
        [ -n "$base_rss" ] || base_rss=$(for _ in 1 2 3; do rss 1 dockercfg; echo; done | sort -n | tail -1)
    fi
    note=
    if [ "$n" -ge 10000 ] && gt "$ri" "$MAX_RATIO"; then note+=" instructions ABOVE ${MAX_RATIO}x;"; fail=1; fi
    if gt "$rw" "$MAX_RATIO"; then note+=" wall ABOVE ${MAX_RATIO}x;"; fail=1; fi
    if [ "$r_d" != - ] && [ "$n" -gt 1 ]; then
        bound=$((2 * size / 1024 + base_rss))
        if [ "$r_d" -gt "$bound" ]; then note+=" RSS ABOVE 2 x file + $base_rss KiB ($bound KiB);"; fail=1; fi
    fi
    printf '%-8s %10s %13s %13s %7s %10s %10s %7s %10s %10s %s\n' "$n" "$size" "$i_f" "$i_d" "$ri" \
        "$w_f" "$w_d" "$rw" "$r_f" "$r_d" "${note:- ok}"
done
exit $fail
