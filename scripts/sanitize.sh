#!/usr/bin/env bash
# Runs the test suite under a memory checker, then the soak test (10 million
# generators of each form, memory must stay flat; `tests/soak.rs`).
#
#   scripts/sanitize.sh            AddressSanitizer if `cargo +nightly` works
#                                  on a host ASan supports, else valgrind
#   scripts/sanitize.sh asan       force one of the two
#   scripts/sanitize.sh valgrind
#
# Exits 3 (and says so) when the chosen tool is not available, non-zero when
# the checker reports an error or a test fails.
#
# AddressSanitizer (nightly, `-Zsanitizer=address`):
#   - every test target and the doctests of the workspace, built for the host
#     triple given explicitly with `--target`, so RUSTFLAGS reach only target
#     code and the proc-macro and build scripts stay uninstrumented (they run
#     inside rustc); RUSTDOCFLAGS carries the flag to the doctests, which
#     otherwise fail to link against the instrumented crates;
#   - its own target directory (target/asan), so nightly and stable builds do
#     not invalidate each other;
#   - ASAN_OPTIONS: leak detection (LeakSanitizer runs at the exit of every
#     test binary) and stack-use-after-return detection: the value channel
#     lives in the stack frame of the resuming call, so a pointer to it used
#     after the resume returned would show up as exactly that;
#   - the trybuild test `ui` (tests/compile_fail.rs) is skipped: it checks
#     rustc's diagnostics against .stderr files written by the stable
#     toolchain (nightly words them differently from time to time), and what
#     it compiles must not build, so nothing of it runs under the sanitizer.
#     The stable `cargo test` covers it;
#   - the model tests with PYGEN_MODEL_CASES=2000 (the plain `cargo test`
#     runs 20 000; under ASan those took two and a half minutes);
#   - the soak test natively (memory flatness over 10 million generators
#     per form; the stable debug build `cargo test` made, without the
#     sanitizer's flags, about a minute), then under ASan with
#     PYGEN_ASAN_SOAK_N generators per form (default 2 000 000: with a
#     tenth of 1 000 000 as warm-up the pinned form still grew by 4 MiB under
#     ASan, half the allowance, against 0.7 MiB here; LeakSanitizer finds a
#     leak of any size, and a leaked box per generator is still far above
#     the allowed growth) and the quarantine of freed memory cut to
#     8 MiB: with the default (256 MiB) the resident size keeps growing
#     until the quarantine is full, which is not a leak.
#
# valgrind (memcheck, `--leak-check=full --error-exitcode=1`):
#   - every test binary of `cargo test --workspace --no-run` (stable), run
#     from its package's directory as cargo would, `ui` skipped as above;
#     doctests are not run (rustdoc can only wrap them in a runner on
#     nightly);
#   - the model test with PYGEN_MODEL_CASES=1000 (valgrind is ~40x slower;
#     set PYGEN_MODEL_CASES to change it);
#   - one suppression: the `Thread` handle std allocates for the main thread
#     when the test harness first asks for the current thread is reported
#     as "possibly lost" (its pointer is kept tagged); it is not ours;
#   - the soak test natively (memory flatness over 10 million generators
#     per form, in seconds) and under valgrind with PYGEN_VALGRIND_SOAK_N
#     generators per form (default 20000) for leaks and memory errors, with
#     valgrind's queue of freed blocks cut to 1 MB (like ASan's quarantine).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

asan_host() {
    # The host triple, if nightly works and ASan supports it.
    local host
    cargo +nightly -V >/dev/null 2>&1 || return 1
    host=$(rustc +nightly -vV 2>/dev/null | sed -n 's/^host: //p')
    case "$host" in
        x86_64-unknown-linux-gnu | aarch64-unknown-linux-gnu | x86_64-apple-darwin | aarch64-apple-darwin)
            echo "$host" ;;
        *) return 1 ;;
    esac
}

# Both tools run it before their own soak: memory flatness over 10 million
# generators per form, in the stable debug build `cargo test` made.
native_soak() {
    step "soak test, natively: memory over 10 million generators of each form"
    cargo test --test soak -- --ignored --nocapture
}

tool=${1:-auto}
if [ "$tool" = auto ]; then
    if asan_host >/dev/null; then
        tool=asan
    elif command -v valgrind >/dev/null 2>&1; then
        tool=valgrind
    else
        echo "sanitize.sh: neither a nightly toolchain (for AddressSanitizer) nor valgrind is available; nothing ran" >&2
        exit 3
    fi
fi

case "$tool" in
asan)
    if ! host=$(asan_host); then
        echo "sanitize.sh: AddressSanitizer needs \`cargo +nightly\` on a host it supports; nothing ran" >&2
        exit 3
    fi
    echo "sanitize.sh: AddressSanitizer, $(rustc +nightly -V), target $host"
    asan_options="detect_leaks=1:detect_stack_use_after_return=1"
    case "$host" in *apple*) asan_options="detect_stack_use_after_return=1" ;; esac
    # The flags reach only the nightly commands: the native soak below is a
    # stable build.
    nightly=(env RUSTFLAGS="-Zsanitizer=address" RUSTDOCFLAGS="-Zsanitizer=address"
        cargo +nightly test --target "$host" --target-dir target/asan)

    step "test suite under AddressSanitizer (trybuild's ui test skipped)"
    ASAN_OPTIONS=$asan_options PYGEN_MODEL_CASES=${PYGEN_MODEL_CASES:-2000} \
        "${nightly[@]}" --workspace -- --skip ui --exact

    native_soak

    step "soak test under AddressSanitizer: memory errors and leaks"
    ASAN_OPTIONS=$asan_options:quarantine_size_mb=8 PYGEN_SOAK_N=${PYGEN_ASAN_SOAK_N:-2000000} \
        "${nightly[@]}" --test soak -- --ignored --nocapture

    step "AddressSanitizer: no errors, no leaks"
    ;;
valgrind)
    if ! command -v valgrind >/dev/null 2>&1; then
        echo "sanitize.sh: valgrind is not installed; nothing ran" >&2
        exit 3
    fi
    echo "sanitize.sh: valgrind ($(valgrind --version)), $(rustc -V)"
    mkdir -p target
    supp=$PWD/target/sanitize-valgrind.supp
    cat >"$supp" <<'EOF'
{
   std-main-thread-handle
   Memcheck:Leak
   match-leak-kinds: possible
   fun:malloc
   ...
   fun:*init_current*
}
EOF
    memcheck=(valgrind --quiet --leak-check=full --error-exitcode=1 --suppressions="$supp")

    step "build the test binaries"
    artifacts=$(cargo test --workspace --no-run --message-format=json)
    binaries=$(grep -F '"test":true' <<<"$artifacts" |
        sed -n 's/.*"manifest_path":"\([^"]*\)".*"executable":"\([^"]*\)".*/\1 \2/p')
    if [ -z "$binaries" ]; then
        echo "sanitize.sh: found no test binaries" >&2
        exit 1
    fi

    step "test suite under valgrind (trybuild's ui test skipped, no doctests)"
    export PYGEN_MODEL_CASES=${PYGEN_MODEL_CASES:-1000}
    # The proc-macro crate's test binary links std dynamically; cargo would
    # put the toolchain's lib directory on the library path, so do the same.
    export LD_LIBRARY_PATH="$(rustc --print target-libdir)${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    while read -r manifest binary; do
        echo "--- $(basename "$binary")"
        (cd "$(dirname "$manifest")" && "${memcheck[@]}" "$binary" --skip ui --exact -q)
    done <<<"$binaries"

    native_soak

    step "soak test under valgrind: leaks"
    soak=$(grep '/soak-' <<<"$binaries" | head -n 1)
    # A small queue of freed blocks (default 20 MB), or it alone makes the
    # resident size grow over the soak's few thousand generators.
    PYGEN_SOAK_N=${PYGEN_VALGRIND_SOAK_N:-20000} \
        "${memcheck[@]}" --freelist-vol=1000000 "${soak#* }" --ignored --nocapture -q

    step "valgrind: no errors, no leaks"
    ;;
*)
    echo "usage: $0 [asan|valgrind]" >&2
    exit 2
    ;;
esac
