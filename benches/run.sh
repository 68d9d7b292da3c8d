#!/usr/bin/env bash
# Benchmarks dockercfg on a 10,000-entry config.json, against the docker CLI
# where docker can do the same thing without a daemon (logout).
#
#   bash benches/run.sh                 # from the repo root
#
# Environment:
#   RESULTS_DIR  where hyperfine's exports and summary.txt go
#                (default: target/bench-results)
#   RUNS         timed runs per command (default 30, at least 20)
#   WARMUP       warm-up runs per command (default 3)
#   ENTRIES      auths entries in the generated file (default 10000)
#   DOCKER       the docker CLI (default: docker on PATH)
#
# Exits non-zero only if the benchmark itself failed (a build error, a command
# that failed, a logout that did not remove the entry); a missed target is
# reported, not an error.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)

RESULTS_DIR=${RESULTS_DIR:-target/bench-results}
RUNS=${RUNS:-30}
WARMUP=${WARMUP:-3}
ENTRIES=${ENTRIES:-10000}
DOCKER=${DOCKER:-$(command -v docker || true)}

# Targets.
LOGOUT_MIN_RATIO=5 # dockercfg logout at least 5x faster than docker logout
LIST_MAX_MS=20     # list --json on the 10k file under 20 ms

die() {
    echo "benches/run.sh: error: $*" >&2
    exit 1
}
say() { printf '\n== %s\n' "$*"; }

[ "$RUNS" -ge 20 ] || die "RUNS must be at least 20 (got $RUNS)"
[ "$ENTRIES" -gt 5000 ] || die "ENTRIES must be above 5000 (the benchmark logs out of reg05000)"

# --- tools -----------------------------------------------------------------
command -v cargo >/dev/null || die "cargo not found"
command -v python3 >/dev/null || die "python3 not found (used to generate and check config.json)"
if ! command -v hyperfine >/dev/null; then
    die "hyperfine not found. Install it with:  apt-get update && apt-get install -y hyperfine
    (or: cargo install hyperfine)"
fi
# -N (no intermediate shell) measures ~20 ms commands without shell-spawn
# noise; hyperfine >= 1.13 has it.
HF_SHELL=()
if hyperfine --help 2>/dev/null | grep -q -- "--shell=none"; then
    HF_SHELL=(-N)
fi
if [ -z "$DOCKER" ] || ! [ -x "$DOCKER" ]; then
    echo "note: docker CLI not found; the docker logout comparison is skipped" >&2
    DOCKER=""
fi

# --- build -----------------------------------------------------------------
say "building (cargo build --release)"
cargo build --release --quiet
TARGET_DIR=${CARGO_TARGET_DIR:-target}
case "$TARGET_DIR" in /*) ;; *) TARGET_DIR="$ROOT/$TARGET_DIR" ;; esac
BIN="$TARGET_DIR/release/dockercfg"
[ -x "$BIN" ] || die "no binary at $BIN after the build"

mkdir -p "$RESULTS_DIR"
RESULTS_DIR=$(cd "$RESULTS_DIR" && pwd)

# Other work on the machine (a concurrent cargo build) skews every figure.
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
if awk -v l="${LOAD_START%% *}" 'BEGIN { exit !(l + 0 > 0.5) }' 2>/dev/null; then
    echo "warning: load average is $LOAD_START before the benchmark; figures will be noisy" >&2
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/dockercfg-bench.XXXXXX")
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT

SRC="$WORK/config.10k.json" # the pristine file, never touched by a command
CFG="$WORK/cfg"             # the directory the commands are pointed at
mkdir -m 700 "$CFG"

# --- the config file -------------------------------------------------------
say "generating $ENTRIES auths entries in docker's format"
python3 - "$SRC" "$ENTRIES" <<'PY'
import base64, json, sys

path, n = sys.argv[1], int(sys.argv[2])
auths = {}
for i in range(n):
    cred = base64.b64encode(f"user{i}:password{i}".encode()).decode()
    auths[f"reg{i:05d}.example.com"] = {"auth": cred}
# Docker writes its known top-level keys in its struct order, `auths` sorted
# (Go sorts map keys) and one tab per level. dockercfgBenchUnknown is a key
# docker does not know (it drops such keys when it rewrites the file).
cfg = {
    "auths": dict(sorted(auths.items())),
    "psFormat": "table {{.ID}}\t{{.Image}}\t{{.Names}}",
    "detachKeys": "ctrl-e,e",
    "currentContext": "default",
    "experimental": "enabled",
    "dockercfgBenchUnknown": {"note": "not a docker key", "n": 1},
}
with open(path, "w") as f:
    f.write(json.dumps(cfg, indent="\t"))
PY
chmod 600 "$SRC"
# Kept for profiling runs (callgrind, perf) on the very same file.
cp "$SRC" "$RESULTS_DIR/config.json"
echo "$(wc -c <"$SRC") bytes, $ENTRIES entries: $SRC (a copy: $RESULTS_DIR/config.json)"

restore() { cp "$SRC" "$CFG/config.json"; }
TARGET_REG=reg05000.example.com

# --- check once, outside the timing, that each logout really removes -------
# check_logout NAME: after NAME's logout, report what changed; fail if the
# entry is still there or the count is not ENTRIES-1.
check_logout() {
    python3 - "$SRC" "$CFG/config.json" "$TARGET_REG" "$1" "${2:-}" <<'PY'
import json, sys

src, out, reg, who, ref = sys.argv[1:6]
before_text = open(src).read()
after_text = open(out).read()
before, after = json.loads(before_text), json.loads(after_text)
nb, na = len(before["auths"]), len(after.get("auths", {}))
lost = [k for k in before if k not in after]
print(f"  {who}: auths {nb} -> {na}; {reg} "
      f"{'still present' if reg in after.get('auths', {}) else 'removed'}")
print(f"  {who}: top-level keys dropped: {', '.join(lost) if lost else 'none'}")
# The one-entry splice: is the result exactly the input minus that entry?
entry = json.dumps(before["auths"][reg], indent="\t").replace("\n", "\n\t\t")
spliced = before_text.replace(f'\n\t\t"{reg}": {entry},', "", 1)
print(f"  {who}: output is the input minus only that entry's bytes: "
      f"{'yes' if after_text == spliced else 'no'}")
if ref:
    # Apart from the keys it dropped, is docker's file the same as dockercfg's?
    mine = json.loads(open(ref).read())
    for k in lost:
        mine.pop(k, None)
    same = json.dumps(mine, indent="\t") == after_text
    print(f"  {who}: otherwise byte-identical to dockercfg's output: {'yes' if same else 'no'}")
ok = na == nb - 1 and reg not in after.get("auths", {})
sys.exit(0 if ok else 1)
PY
}

say "checking that logout removes $TARGET_REG (once, untimed)"
: >"$WORK/check.txt"
restore
"$BIN" --config "$CFG" logout "$TARGET_REG" >/dev/null || die "dockercfg logout failed"
check_logout dockercfg | tee -a "$WORK/check.txt" || die "dockercfg logout did not remove $TARGET_REG"
cp "$CFG/config.json" "$WORK/after.dockercfg.json"
if [ -n "$DOCKER" ]; then
    restore
    "$DOCKER" --config "$CFG" logout "$TARGET_REG" >/dev/null || die "docker logout failed"
    check_logout docker "$WORK/after.dockercfg.json" | tee -a "$WORK/check.txt" || die "docker logout did not remove $TARGET_REG"
fi

# --- timings ---------------------------------------------------------------
HF=(hyperfine "${HF_SHELL[@]}" --warmup "$WARMUP" --runs "$RUNS" --style basic)

say "(a) one-entry logout on the $ENTRIES-entry file; fresh copy before every run"
LOGOUT_ARGS=(--command-name "dockercfg logout" "$BIN --config $CFG logout $TARGET_REG")
if [ -n "$DOCKER" ]; then
    LOGOUT_ARGS+=(--command-name "docker logout" "$DOCKER --config $CFG logout $TARGET_REG")
fi
"${HF[@]}" --prepare "cp $SRC $CFG/config.json" "${LOGOUT_ARGS[@]}" \
    --export-json "$RESULTS_DIR/logout.json" \
    --export-markdown "$RESULTS_DIR/logout.md"
# The last timed run must have removed the entry too (the prepare restored it).
python3 -c 'import json,sys; a=json.load(open(sys.argv[1]))["auths"]; sys.exit(0 if len(a)==int(sys.argv[2])-1 and sys.argv[3] not in a else 1)' \
    "$CFG/config.json" "$ENTRIES" "$TARGET_REG" || die "the last timed logout did not remove $TARGET_REG"

# (a') The same file as a containers auth.json: podman and skopeo remove a
# login with `logout --authfile FILE REGISTRY` and need no daemon either.
AUTHFILE_TOOLS=()
for t in podman skopeo; do
    command -v "$t" >/dev/null && AUTHFILE_TOOLS+=("$t")
done
if [ ${#AUTHFILE_TOOLS[@]} -gt 0 ]; then
    say "(a') one-entry logout from the same file as an auth.json: dockercfg --authfile vs ${AUTHFILE_TOOLS[*]}"
    AF="$CFG/auth.json"
    AF_ARGS=(--command-name "dockercfg --authfile logout" "$BIN --authfile $AF logout $TARGET_REG")
    for t in "${AUTHFILE_TOOLS[@]}"; do
        cp "$SRC" "$AF"
        "$t" logout --authfile "$AF" "$TARGET_REG" >/dev/null || die "$t logout failed"
        python3 -c 'import json,sys; a=json.load(open(sys.argv[1]))["auths"]; sys.exit(0 if len(a)==int(sys.argv[2])-1 and sys.argv[3] not in a else 1)' \
            "$AF" "$ENTRIES" "$TARGET_REG" || die "$t logout did not remove $TARGET_REG"
        AF_ARGS+=(--command-name "$t logout" "$(command -v "$t") logout --authfile $AF $TARGET_REG")
    done
    "${HF[@]}" --prepare "cp $SRC $AF" "${AF_ARGS[@]}" \
        --export-json "$RESULTS_DIR/authfile.json" \
        --export-markdown "$RESULTS_DIR/authfile.md"
else
    echo "note: neither podman nor skopeo found; the auth.json comparison is skipped" >&2
    rm -f "$RESULTS_DIR/authfile.json"
fi

say "(b) list on the $ENTRIES-entry file (stdout to /dev/null)"
restore
"${HF[@]}" \
    --command-name "dockercfg list --json" "$BIN --config $CFG list --json" \
    --command-name "dockercfg list (table, informational)" "$BIN --config $CFG list" \
    --export-json "$RESULTS_DIR/list.json" \
    --export-markdown "$RESULTS_DIR/list.md"

# --- peak RSS --------------------------------------------------------------
say "peak memory"
TIME_BIN=""
if [ -x /usr/bin/time ] && /usr/bin/time -f %M true >/dev/null 2>&1; then
    TIME_BIN=/usr/bin/time
elif command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "installing GNU time (apt-get install -y time) for peak RSS" >&2
    if apt-get install -y -qq time >/dev/null 2>&1 && [ -x /usr/bin/time ]; then
        TIME_BIN=/usr/bin/time
    fi
fi
# peak NAME CMD...: print NAME and the peak of 3 runs (restoring the file
# before each). A tool that cannot measure a program (valgrind cannot run the
# Go-built docker) gives n/a, not a failed benchmark.
RSS_LINES=()
peak() {
    local name=$1 best=0 kb i
    shift
    for i in 1 2 3; do
        restore
        kb=""
        if [ -n "$TIME_BIN" ]; then
            if "$TIME_BIN" -f %M -o "$WORK/time.out" "$@" >/dev/null 2>&1; then
                kb=$(tail -n1 "$WORK/time.out")
            fi
        elif valgrind --tool=massif --pages-as-heap=yes --massif-out-file="$WORK/massif.out" \
            "$@" >/dev/null 2>&1; then
            kb=$(python3 -c 'import re,sys; print(max(int(m) for m in re.findall(r"mem_heap_B=(\d+)", open(sys.argv[1]).read()))//1024)' "$WORK/massif.out")
        fi
        case "$kb" in
        '' | *[!0-9]*)
            best=n/a
            break
            ;;
        esac
        [ "$kb" -gt "$best" ] && best=$kb
    done
    RSS_LINES+=("$name|$best")
    printf '  %-24s %6s KiB\n' "$name" "$best"
}
if [ -n "$TIME_BIN" ]; then
    RSS_HOW="peak RSS, /usr/bin/time -f %M, max of 3 runs"
elif command -v valgrind >/dev/null; then
    RSS_HOW="peak mapped pages, valgrind massif --pages-as-heap=yes, max of 3 runs"
else
    RSS_HOW=""
fi
if [ -n "$RSS_HOW" ]; then
    echo "  ($RSS_HOW)"
    peak "dockercfg list --json" "$BIN" --config "$CFG" list --json
    peak "dockercfg logout" "$BIN" --config "$CFG" logout "$TARGET_REG"
    if [ -n "$DOCKER" ]; then
        peak "docker logout" "$DOCKER" --config "$CFG" logout "$TARGET_REG"
    fi
else
    echo "  neither /usr/bin/time nor valgrind is available: skipped"
fi
printf '%s\n' "${RSS_LINES[@]}" >"$WORK/rss.txt"

# --- summary ---------------------------------------------------------------
say "summary"
python3 - "$RESULTS_DIR" "$WORK/rss.txt" "$WORK/check.txt" "$LOGOUT_MIN_RATIO" "$LIST_MAX_MS" \
    "$ENTRIES" "$(nproc 2>/dev/null || echo '?')" "$LOAD_START / $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')" \
    "$RSS_HOW" <<'PY' | tee "$RESULTS_DIR/summary.txt"
import json, math, sys

res, rss_file, check_file, min_ratio, max_ms, entries, cores, load, rss_how = sys.argv[1:10]
min_ratio, max_ms = float(min_ratio), float(max_ms)

def load_results(name):
    return {r["command"]: r for r in json.load(open(f"{res}/{name}.json"))["results"]}

ms = lambda s: s * 1000
logout, lst = load_results("logout"), load_results("list")
print(f"{entries}-entry config.json, {cores} cores, load average before / after: {load}")
for r in list(logout.values()) + list(lst.values()):
    print(f"  {r['command']:<40} {ms(r['mean']):7.1f} ms ± {ms(r['stddev']):5.1f} ms"
          f"  (median {ms(r['median']):.1f}, min {ms(r['min']):.1f}, {len(r['times'])} runs)")

mine = logout["dockercfg logout"]
docker = logout.get("docker logout")
if docker:
    ratio = docker["mean"] / mine["mean"]
    # stddev of a ratio of independent means, first order
    err = ratio * math.hypot(docker["stddev"] / docker["mean"], mine["stddev"] / mine["mean"])
    met = ratio >= min_ratio
    print(f"logout: docker/dockercfg = {ratio:.2f} ± {err:.2f}  "
          f"(target >= {min_ratio:g}x: {'MET' if met else 'MISSED'})")
else:
    print("logout: docker not available, no ratio (target not checked)")
try:
    af = load_results("authfile")
except FileNotFoundError:
    af = {}
if af:
    base = af["dockercfg --authfile logout"]
    print(f"  {base['command']:<40} {ms(base['mean']):7.1f} ms ± {ms(base['stddev']):5.1f} ms")
    for name, r in af.items():
        if r is base:
            continue
        ratio = r["mean"] / base["mean"]
        err = ratio * math.hypot(r["stddev"] / r["mean"], base["stddev"] / base["mean"])
        print(f"  {name:<40} {ms(r['mean']):7.1f} ms ± {ms(r['stddev']):5.1f} ms"
              f"  ({name.split()[0]}/dockercfg = {ratio:.2f} ± {err:.2f})")
l = lst["dockercfg list --json"]
print(f"list --json: {ms(l['mean']):.1f} ms mean  "
      f"(target < {max_ms:g} ms: {'MET' if ms(l['mean']) < max_ms else 'MISSED'})")
rows = [line.split("|") for line in open(rss_file).read().splitlines() if line]
if rows:
    print(f"peak memory ({rss_how}):")
    for name, kb in rows:
        print(f"  {name:<24} {int(kb)/1024:6.1f} MiB" if kb.isdigit() else f"  {name:<24}    n/a")
print("logout check (untimed):")
print(open(check_file).read().rstrip())
print(f"hyperfine exports: {res}/logout.{{json,md}}, {res}/list.{{json,md}}")
PY
