#!/usr/bin/env bash
# Instructions per item of every benchmark cell, counted by callgrind.
#
#   scripts/callgrind.sh BINARY BUILD_LABEL [WORKLOAD [IMPL]]
#
# BINARY is a release build of the `bench/` crate (pygen-bench). For each
# cell it lists (`BINARY list`: workload, implementation, N), it runs
# `BINARY one W IMPL N` under `valgrind --tool=callgrind`, collecting only
# inside `pygen_bench::measured` (one call of N items, after a warm-up call
# outside it), and prints `BUILD_LABEL W IMPL INSTRUCTIONS_PER_ITEM`.
# TOGGLE overrides the function collected in (scripts/user_bench.sh sets it
# for the user-style crate, bench/user). Two cells run at a time. Instruction counts are deterministic: unlike the
# timings, they do not move with the load of a shared machine.
set -euo pipefail

if [ $# -lt 2 ]; then
    echo "usage: $0 BINARY BUILD_LABEL [WORKLOAD [IMPL]]" >&2
    exit 2
fi
binary=$1 label=$2 only_w=${3:-} only_i=${4:-}
command -v valgrind >/dev/null || { echo "$0: valgrind is not installed" >&2; exit 1; }

one() {
    local binary=$1 label=$2 w=$3 i=$4 n=$5 out
    out=$(valgrind --tool=callgrind --collect-atstart=no \
        --toggle-collect="${TOGGLE:-*pygen_bench::measured*}" \
        --callgrind-out-file=/dev/null "$binary" one "$w" "$i" "$n" 2>&1) || {
        echo "$0: $w $i failed:" >&2
        echo "$out" >&2
        return 1
    }
    local collected items
    collected=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' <<<"$out" | tail -n 1)
    items=$(sed -n 's/^items=\([0-9]*\)$/\1/p' <<<"$out")
    if [ -z "$collected" ] || [ -z "$items" ] || [ "$collected" -eq 0 ]; then
        echo "$0: $w $i: no instruction count (is pygen_bench::measured in the binary?)" >&2
        echo "$out" >&2
        return 1
    fi
    awk -v l="$label" -v w="$w" -v i="$i" -v c="$collected" -v n="$items" \
        'BEGIN { printf "%s %s %s %.3f\n", l, w, i, c / n }'
}
export -f one

echo "# build workload impl instructions_per_item ($(valgrind --version))"
"$binary" list |
    awk -v w="$only_w" -v i="$only_i" '(w == "" || $1 == w) && (i == "" || $2 == i)' |
    xargs -P 2 -L 1 bash -c 'one "$0" "$1" "$2" "$3" "$4"' "$binary" "$label" |
    sort -k2,2 -k3,3
