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

step "as users build it (bench/user), both profiles"
scripts/user_bench.sh >"$out/user.tsv"
{
    printf '\n## As users build it\n\n'
    printf 'The crate `bench/user` is written as a user writes one: the generator functions in one module, the consumers in another, pygen a dependency like any other. Instructions per item counted by callgrind (`scripts/user_bench.sh`), in the default release profile and with `codegen-units = 1` + `lto = "fat"` (the workspace'"'"'s `release-lto` profile). depthN: `N` levels of `yield_from!` above a `range` (depth0 is `range` itself, hand is `0..n`; hand-dyn is direct delegation by hand, a stack of `N + 1` boxed `dyn Iterator` levels of which only the top one is resumed, through its vtable); treeH: the leaves of a perfect binary tree of 2^H leaves, through a recursive generator that delegates to `leaves(child).boxed()` (one allocation per node, counted) and through a hand-written explicit-stack iterator, per leaf; async: an async generator over `0..n` and one `yield_from!` level above it, against async-stream'"'"'s `stream!` (a `while let` loop re-yields for its level), under `futures::executor::block_on`.\n\n'
    printf '| workload | implementation | default release | codegen-units = 1, fat LTO |\n|---|---|---:|---:|\n'
    awk '{ key = $2 " " $3; v[key, $1] = $4; if (!(key in seen)) { seen[key] = 1; order[n++] = key } }
         END { for (i = 0; i < n; i++) { split(order[i], k, " ");
               printf "| %s | %s | %s | %s |\n", k[1], k[2], v[order[i], "release"], v[order[i], "release-lto"] } }' \
        "$out/user.tsv"
} >>BENCHMARKS.md
