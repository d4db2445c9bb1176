#!/usr/bin/env bash
# The benchmark gate, as CI runs it: instructions per item of every cell of
# both benchmark crates (bench/, bench/user/), counted by gungraun in both
# profiles (the default `bench` and `release-lto`: codegen-units = 1, fat
# LTO), against the baseline committed in bench/baseline.tsv. A pygen cell
# that grew by more than 3 % or 2 instructions per item fails.
#
#   scripts/bench_gate.sh            check (prints the table of every cell)
#   scripts/bench_gate.sh --update   write the counts as the new baseline;
#                                    commit it with the change, saying why
#   scripts/bench_gate.sh --counts   only the counts, in target/bench/*.json
#
# Needs valgrind and gungraun's runner at the version of the gungraun
# library (bench/Cargo.toml); the runner is installed when missing (about
# four minutes on 2 cores). Exits 3 when valgrind is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-check}

if ! command -v valgrind >/dev/null 2>&1; then
    echo "bench_gate.sh: valgrind is not installed" >&2
    exit 3
fi
version=$(sed -n 's/^gungraun = "=\(.*\)"/\1/p' bench/Cargo.toml)
if [ "$(gungraun-runner --version 2>/dev/null | awk '{print $NF}')" != "$version" ]; then
    echo "bench_gate.sh: installing gungraun-runner $version" >&2
    cargo install gungraun-runner --version "$version" --locked
fi

out=target/bench
mkdir -p "$out"
for profile in bench release-lto; do
    echo "==> instructions, profile $profile" >&2
    cargo bench --quiet --profile "$profile" -p pygen-bench -p pygen-user-bench \
        --bench instructions -- --output-format=json >"$out/$profile.json"
done
counts=(bench="$out/bench.json" release-lto="$out/release-lto.json")

case "$mode" in
    check) cargo run --quiet -p pygen-bench -- gate bench/baseline.tsv "${counts[@]}" ;;
    --update)
        cargo run --quiet -p pygen-bench -- baseline "${counts[@]}" >bench/baseline.tsv
        echo "bench/baseline.tsv updated: commit it, and say why in the message" >&2
        ;;
    --counts) ;;
    *) echo "usage: $0 [--update | --counts]" >&2; exit 2 ;;
esac
