#!/usr/bin/env bash
# Regenerates BENCHMARKS.md (the README links to it) from one run:
# instructions per item of every cell in both profiles (gungraun, through
# scripts/bench_gate.sh --counts), rustc's coroutines when `cargo +nightly`
# works, wall time (divan, default profile), allocations per generator
# (`pygen-bench allocs`, a run of its own under a counting allocator), the
# build cost (scripts/build_cost.py), then `pygen-bench markdown`. About ten minutes on 2 cores from a clean target/.
#
#   scripts/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/bench
scripts/bench_gate.sh --counts
counts=(bench="$out/bench.json" release-lto="$out/release-lto.json")

if cargo +nightly -V >/dev/null 2>&1; then
    echo "==> instructions, rustc's coroutines (nightly)" >&2
    cargo +nightly bench --quiet -p pygen-bench --features nightly --bench instructions \
        --target-dir target/nightly -- --output-format=json >"$out/nightly.json"
    counts+=(nightly="$out/nightly.json")
    nightly=$(rustc +nightly -V)
else
    echo "cargo +nightly is not available: no coroutine rows" >&2
    nightly="not installed: no coroutine rows"
fi

echo "==> wall time (divan)" >&2
cargo bench --quiet -p pygen-bench -p pygen-user-bench --bench time >"$out/time.txt"

echo "==> allocations" >&2
cargo run --quiet --release -p pygen-bench -- allocs >"$out/allocs.tsv"

echo "==> build cost" >&2
python3 scripts/build_cost.py --markdown >"$out/build_cost.md"

revision=$(git rev-parse --short HEAD 2>/dev/null || echo "not a git checkout")
git diff --quiet HEAD -- generator-core generator-macros src 2>/dev/null ||
    revision="$revision plus uncommitted changes to the engine"
cpu=$(sed -n 's/^model name\s*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
cargo run --quiet -p pygen-bench -- markdown "${counts[@]}" \
    --time "$out/time.txt" --allocs "$out/allocs.tsv" --build-cost "$out/build_cost.md" \
    --machine "pygen measured: commit $revision" \
    --machine "stable: $(rustc -V); nightly: $nightly" \
    --machine "CPU: ${cpu:-unknown}, $(nproc) logical CPUs; $(valgrind --version)"
echo "BENCHMARKS.md written" >&2
