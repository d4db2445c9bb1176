#!/usr/bin/env bash
# Reproduces BENCHMARKS.md and bench/ratios.svg: builds the `bench/` crate
# (release; once more with `codegen-units = 1`; once more with nightly for
# rustc's coroutines when `cargo +nightly` works), counts instructions per
# item under callgrind,
# times every cell in interleaved rounds, and writes the table and chart.
#
#   scripts/bench.sh [--rounds R]
#
# Needs a stable Rust toolchain and valgrind; nightly is optional (without
# it the coroutine row is left out). About a minute on 2 cores from a clean
# target/ (three builds with their dependencies included).
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
rounds=31
if [ "${1:-}" = "--rounds" ]; then rounds=$2; fi

revision=$(git rev-parse --short HEAD 2>/dev/null || echo "unknown revision (not a git checkout)")
if git rev-parse HEAD >/dev/null 2>&1 &&
    ! git diff --quiet HEAD -- generator-core generator-macros src 2>/dev/null; then
    revision="$revision plus uncommitted changes to the engine"
fi

out=target/bench
mkdir -p "$out"
rm -f "$out"/*.tsv

step() { printf '\n==> %s\n' "$*" >&2; }

step "build (stable)"
cargo build --release -p pygen-bench
stable_bin=target/release/pygen-bench
stable_tc=$(rustc -V)

step "build (stable, codegen-units = 1)"
CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 \
    cargo build --release -p pygen-bench --target-dir target/cgu1
cgu1_bin=target/cgu1/release/pygen-bench

nightly_bin=
if cargo +nightly -V >/dev/null 2>&1; then
    step "build (nightly, with rustc's coroutines)"
    cargo +nightly build --release -p pygen-bench --features nightly --target-dir target/nightly
    nightly_bin=target/nightly/release/pygen-bench
    nightly_tc=$(rustc +nightly -V)
else
    echo "cargo +nightly is not available: no coroutine row" >&2
fi

step "instructions per item (callgrind)"
scripts/callgrind.sh "$stable_bin" stable >"$out/callgrind-stable.tsv"
scripts/callgrind.sh "$cgu1_bin" cgu1 >"$out/callgrind-cgu1.tsv"
callgrind=(--callgrind "$out/callgrind-stable.tsv" --callgrind "$out/callgrind-cgu1.tsv")
merge=()
if [ -n "$nightly_bin" ]; then
    scripts/callgrind.sh "$nightly_bin" nightly >"$out/callgrind-nightly.tsv"
    callgrind+=(--callgrind "$out/callgrind-nightly.tsv")

    step "timing (nightly build)"
    "$nightly_bin" run --rounds "$rounds" --build nightly --toolchain "$nightly_tc" \
        --tsv "$out/nightly.tsv" >/dev/null
    merge=(--merge "$out/nightly.tsv")
fi

step "timing (stable build, codegen-units = 1)"
"$cgu1_bin" run --rounds "$rounds" --build cgu1 \
    --toolchain "$stable_tc, release profile with \`codegen-units = 1\`" \
    --tsv "$out/cgu1.tsv" >/dev/null
merge+=(--merge "$out/cgu1.tsv")

step "timing (stable build) and report"
"$stable_bin" run --rounds "$rounds" --build stable --toolchain "$stable_tc" \
    "${merge[@]}" "${callgrind[@]}" --tsv "$out/stable.tsv" \
    --markdown BENCHMARKS.md --svg bench/ratios.svg \
    --command "scripts/bench.sh" --revision "commit $revision" --started "$started"
