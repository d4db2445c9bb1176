#!/usr/bin/env bash
# Runs the conformance suites under Miri, which checks the engine's pinned,
# self-referential code against Rust's aliasing rules (what AddressSanitizer
# and valgrind cannot see), once under Stacked Borrows and once under Tree
# Borrows.
#
#   scripts/miri.sh                both aliasing models
#   scripts/miri.sh stacked        one of them
#   scripts/miri.sh tree
#
# Needs a nightly toolchain with the miri and rust-src components; it adds
# them when rustup can. Exits 3 (and says so) when Miri is not available,
# non-zero when Miri reports undefined behaviour or a test fails.
#
# - The suites: python_semantics, protocol_table, drop_and_panic,
#   async_semantics, self_borrow (bodies that borrow themselves across a
#   yield), soundness (the adversarial cases), delegate_takes_nothing,
#   direct_delegation (chains 6 deep, recursions 200 deep under Miri),
#   adversarial_direct (re-entrant resumes, panics and panicking
#   destructors around a next() that goes straight to the innermost frame),
#   yield_from_catch, allocations, async_cleanup (the close of a dropped
#   async generator), boxed_and_primed, inline (the inline form's captures,
#   drops and recursion; protocol_table and async_semantics run their
#   tables over inline generators too), the two model tests with
#   PYGEN_MODEL_CASES cases (default 8 here; half as many under Tree Borrows,
#   or PYGEN_MODEL_CASES_TREE; Miri runs about a thousand times slower than
#   a native debug build); and the tests of tests/redirect, a crate that
#   redirects `::pygen` to hooks of its own, and of tests/redirect-shapes,
#   one that swaps the shapes the expansion hands the hidden constructor.
# - Its own target directories (target/miri-stacked, target/miri-tree), so
#   the stable build is not invalidated and the two models run side by side.
# - Isolation is off: the model tests read PYGEN_MODEL_CASES, and proptest
#   looks for its failure-persistence directory.
# - RUST_BACKTRACE is 0 inside Miri whatever the caller's environment says
#   (set PYGEN_MIRI_BACKTRACE=1 to keep it): the suites panic on purpose
#   hundreds of times, and the default panic hook's backtrace costs Miri
#   about two seconds per panic (0.05 s without it), which was most of the
#   run's time.
set -euo pipefail
cd "$(dirname "$0")/.."

models=("${@:-stacked tree}")
read -r -a models <<<"${models[*]}"

if ! cargo +nightly miri --version >/dev/null 2>&1; then
    if command -v rustup >/dev/null 2>&1 && rustup toolchain list | grep -q '^nightly'; then
        rustup +nightly component add miri rust-src >/dev/null 2>&1 || true
    fi
fi
if ! cargo +nightly miri --version >/dev/null 2>&1; then
    echo "miri.sh: no nightly toolchain with Miri here" >&2
    exit 3
fi
cargo +nightly miri setup >/dev/null

suites=(python_semantics protocol_table drop_and_panic async_semantics async_cleanup boxed_and_primed inline self_borrow soundness delegate_takes_nothing direct_delegation drop_of_delegating adversarial_direct yield_from_catch allocations model model_async)
args=()
for suite in "${suites[@]}"; do
    args+=(--test "$suite")
done
cases="${PYGEN_MODEL_CASES:-8}"
# Tree Borrows runs about twice as long as Stacked Borrows beside it, and the
# two run side by side: it gets half the model cases, so both end together.
tree_cases="${PYGEN_MODEL_CASES_TREE:-$(((cases + 1) / 2))}"

# One run per model, at the same time: Miri interprets a test binary on one
# core, and the machines have two. Each model has its own target directory
# (cargo holds a directory's lock for the whole run) and its own log, printed
# when both are done.
run_model() {
    local model=$1 flags model_cases=$cases
    case "$model" in
        stacked) flags="" ;;
        tree) flags="-Zmiri-tree-borrows" model_cases=$tree_cases ;;
        *) echo "miri.sh: unknown aliasing model '$model' (stacked or tree)"; return 2 ;;
    esac
    local start=$SECONDS
    echo "==> Miri, $model borrows: ${suites[*]}"
    local status=0
    MIRIFLAGS="$flags -Zmiri-disable-isolation -Zmiri-env-set=RUST_BACKTRACE=${PYGEN_MIRI_BACKTRACE:-0}" \
        PYGEN_MODEL_CASES="$model_cases" \
        cargo +nightly miri test -p pygen --target-dir "target/miri-$model" "${args[@]}" 2>&1 ||
        status=$?
    # A crate that redirects `::pygen` to hooks of its own (tests/redirect).
    if [ "$status" -eq 0 ]; then
        MIRIFLAGS="$flags -Zmiri-disable-isolation" \
            cargo +nightly miri test -p pygen-redirect --target-dir "target/miri-$model" 2>&1 ||
            status=$?
    fi
    # One that swaps the shapes the expansion hands the hidden constructor
    # (tests/redirect-shapes).
    if [ "$status" -eq 0 ]; then
        MIRIFLAGS="$flags -Zmiri-disable-isolation" \
            cargo +nightly miri test -p pygen-redirect-shapes --target-dir "target/miri-$model" 2>&1 ||
            status=$?
    fi
    echo "Miri, $model borrows: $((SECONDS - start)) s, exit $status"
    return "$status"
}

logs=$(mktemp -d)
pids=()
for model in "${models[@]}"; do
    run_model "$model" >"$logs/$model.log" &
    pids+=($!)
done
status=0
for i in "${!pids[@]}"; do
    wait "${pids[$i]}" || status=1
    printf '\n'
    cat "$logs/${models[$i]}.log"
done
rm -rf "$logs"
exit "$status"
