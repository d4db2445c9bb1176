//! rustfmt formats an inline generator like any other code: the closure in
//! `generate!(..)`, its attribute and its body. `tests/fmt/inline.input.rs`
//! is one typed in a hurry; rustfmt must turn it into
//! `tests/fmt/inline.expected.rs`, which is also what it leaves unchanged.
//! (The files are not compiled here: `tests/fmt/` is not a test target.)

use std::process::Command;

/// `source` as rustfmt formats it (edition 2024, the repository's
/// rustfmt.toml if any), or `None` when rustfmt is not installed.
fn rustfmt(path: &str) -> Option<String> {
    let manifest = env!("CARGO_MANIFEST_DIR");
    let out = Command::new("rustfmt")
        .args(["--edition", "2024", "--emit", "stdout", "--quiet"])
        .arg(format!("{manifest}/{path}"))
        .current_dir(manifest)
        .output()
        .ok()?;
    assert!(
        out.status.success(),
        "rustfmt failed on {path}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8(out.stdout).expect("UTF-8"))
}

#[test]
fn rustfmt_formats_the_inside_of_generate() {
    let Some(formatted) = rustfmt("tests/fmt/inline.input.rs") else {
        eprintln!("rustfmt is not installed (rustup component add rustfmt): skipped");
        return;
    };
    let expected = include_str!("fmt/inline.expected.rs");
    assert_eq!(formatted, expected);
    assert_ne!(
        include_str!("fmt/inline.input.rs"),
        expected,
        "the input is badly formatted"
    );
    let again = rustfmt("tests/fmt/inline.expected.rs").expect("rustfmt ran once");
    assert_eq!(again, expected, "the formatted file is a fixed point");
}
