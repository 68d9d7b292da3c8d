#!/usr/bin/env bash
# Run each fuzz target for a bounded time (FUZZ_SECONDS, default 60).
#   fuzz/run.sh                       # all four targets, 60 s each
#   FUZZ_SECONDS=180 fuzz/run.sh config_parse
# Works on the stable toolchain: RUSTC_BOOTSTRAP=1 lets stable rustc accept
# the -Z flags cargo-fuzz passes (sanitizer, coverage). See fuzz/README.md.
# Seeds in corpus/<target>/ stay as they are; what the fuzzer finds goes to
# work-corpus/<target>/ (gitignored), crashes to artifacts/<target>/.
# Exit status: non-zero as soon as a target finds a crash.
set -euo pipefail
cd "$(dirname "$0")"

seconds="${FUZZ_SECONDS:-60}"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(config_parse auth_decode helper_response www_authenticate)
fi

command -v cargo-fuzz >/dev/null || {
    echo "run.sh: cargo-fuzz is not installed: cargo install cargo-fuzz --locked" >&2
    exit 2
}

export RUSTC_BOOTSTRAP=1
for t in "${targets[@]}"; do
    mkdir -p "work-corpus/$t"
    echo "== $t: ${seconds}s"
    # The first corpus dir receives new inputs; the seed dir is only read.
    cargo fuzz run "$t" "work-corpus/$t" "corpus/$t" -- \
        -max_total_time="$seconds" -print_final_stats=1
done
