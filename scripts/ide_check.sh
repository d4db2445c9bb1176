#!/usr/bin/env bash
# Checks that rust-analyzer types, completes and resolves code inside
# generator bodies, also while a body is mid-edit and does not parse.
#
#   scripts/ide_check.sh [--verbose]
#
# Copies scripts/ide-sample (a crate with a synchronous generator, an async
# one and one written inline with `generate!`, depending on this
# repository's pygen by path) to a temporary
# directory, builds it, then runs scripts/ide_check.py, which talks to
# `rust-analyzer` over LSP and asserts, in each body, on the text as it is
# and on a copy where a line ends in `local.` (the body no longer parses):
#
#   - hover on a local shows its type (one typed by a call, one typed by
#     what `yield_!` evaluates to, which only the expansion knows);
#   - completion after `local.` offers its methods (and fields);
#   - go to definition on a function called in the body lands on it;
#   - rust-analyzer expands `#[generator]` and `generate!` (to a `Gen` /
#     `AsyncGen`).
#
# Known gaps of the expansion are printed as `gap` lines and do not fail.
#
# rust-analyzer needs the standard library's source, the toolchain's
# rust-src component (it would install it itself). With rust-src installed
# rustc quotes std's source in its diagnostics, which changes what some
# tests/ui cases print; so when this script finds rust-src missing, it
# installs it for the check and removes it at the end, leaving the toolchain
# as it was. Without rustup, rust-src must be there already.
# Builds go to $CARGO_TARGET_DIR/ide-sample (default target/ide-sample).
# Exits 3 (and says so) when rust-analyzer, rust-src or python3 is not available,
# non-zero when a check fails.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

if ! command -v python3 >/dev/null 2>&1; then
    echo "ide_check: python3 is not available" >&2
    exit 3
fi
# The rustup proxy exists even without the component: ask it to run.
if ! rust-analyzer --version >/dev/null 2>&1; then
    echo "ide_check: rust-analyzer is not available (rustup component add rust-analyzer)" >&2
    exit 3
fi
rust-analyzer --version

target="${CARGO_TARGET_DIR:-$repo/target}/ide-sample"
mkdir -p "$target"
sample=$(mktemp -d "${TMPDIR:-/tmp}/pygen-ide-sample.XXXXXX")
had_rust_src=1
if command -v rustup >/dev/null 2>&1 \
    && ! rustup component list --installed 2>/dev/null | grep -q '^rust-src'; then
    had_rust_src=0
fi
cleanup() {
    rm -rf "$sample"
    if [ "$had_rust_src" -eq 0 ] \
        && rustup component list --installed 2>/dev/null | grep -q '^rust-src'; then
        echo "ide_check: removing rust-src again"
        rustup component remove rust-src >/dev/null 2>&1 \
            || echo "ide_check: warning: could not remove rust-src" >&2
    fi
}
trap cleanup EXIT
if [ "$had_rust_src" -eq 0 ] && ! rustup component add rust-src >/dev/null 2>&1; then
    echo "ide_check: rust-src (the standard library's source, which rust-analyzer needs) cannot be installed" >&2
    exit 3
fi

cp -R scripts/ide-sample/. "$sample/"
# The copy depends on this checkout by absolute path, and starts from the
# workspace's lock file so it resolves to the versions already fetched.
sed -i.orig "s|^pygen = { path = \"../..\" }|pygen = { path = \"$repo\" }|" "$sample/Cargo.toml"
rm -f "$sample/Cargo.toml.orig"
grep -q "path = \"$repo\"" "$sample/Cargo.toml" || {
    echo "ide_check: could not point the sample at $repo" >&2
    exit 1
}
cp Cargo.lock "$sample/Cargo.lock"

export CARGO_TARGET_DIR="$target"
# The sample must compile as written: the checks are about code that builds.
cargo check --quiet --manifest-path "$sample/Cargo.toml"
python3 scripts/ide_check.py "$sample" "$@"
