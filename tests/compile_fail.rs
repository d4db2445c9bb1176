//! Misuses that must not compile, each with the error a user sees
//! (`tests/ui/*.stderr`). Regenerate the expectations after a deliberate
//! change with `TRYBUILD=overwrite cargo test --test compile_fail`.
//!
//! The expectations are rustc's messages on a toolchain without the
//! `rust-src` component (rustup's default profile). With it (rust-analyzer
//! users often have it), rustc also quotes the standard library's source in
//! some notes; the cases whose messages point into it are then left out,
//! with a note, rather than failing on a difference that is not pygen's.

use std::path::Path;
use std::process::Command;

/// The cases whose messages quote the standard library when its source is
/// installed.
const QUOTE_STD_SOURCE: &[&str] = &[
    "cell_across_yield_is_not_sync.rs",
    "non_send_argument_is_not_send.rs",
    "pinned_form_is_not_unpin.rs",
    "rc_across_yield_is_not_send.rs",
];

fn std_source_installed() -> bool {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let Ok(out) = Command::new(rustc).arg("--print").arg("sysroot").output() else {
        return false;
    };
    let sysroot = String::from_utf8_lossy(&out.stdout).trim().to_string();
    Path::new(&sysroot)
        .join("lib/rustlib/src/rust/library/core")
        .exists()
}

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    if !std_source_installed() {
        cases.compile_fail("tests/ui/*.rs");
        return;
    }
    eprintln!(
        "note: the rust-src component is installed, so rustc quotes the standard library's \
         source; left out: {QUOTE_STD_SOURCE:?}"
    );
    let mut files: Vec<_> = std::fs::read_dir("tests/ui")
        .expect("tests/ui")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
        .filter(|path| {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            !QUOTE_STD_SOURCE.contains(&name)
        })
        .collect();
    files.sort();
    for file in files {
        cases.compile_fail(file);
    }
}
