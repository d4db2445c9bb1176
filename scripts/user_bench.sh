#!/usr/bin/env bash
# Instructions per item of pygen as a user builds it (bench/user: generator
# functions in one module, consumers in another), counted by callgrind in
# both profiles: the default `release` and `release-lto` (codegen-units = 1,
# lto = "fat"). Prints one line per cell and profile:
#
#   PROFILE WORKLOAD IMPL INSTRUCTIONS_PER_ITEM
#
#   scripts/user_bench.sh [WORKLOAD [IMPL]]
set -euo pipefail
cd "$(dirname "$0")/.."
export TOGGLE='*pygen_user_bench::measured*'
for profile in release release-lto; do
    cargo build --quiet --profile "$profile" -p pygen-user-bench
    scripts/callgrind.sh "${CARGO_TARGET_DIR:-target}/$profile/pygen-user-bench" "$profile" "$@" | grep -v "^#"
done
