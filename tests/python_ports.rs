//! The ports of Python programs print exactly what Python prints:
//! `cargo run --example broadcast` (Beazley's broadcast pipeline,
//! `examples/broadcast.out` from `python3 broadcast.py`) and
//! `cargo run --example queens` (CPython's conjoin and Queens solver,
//! `examples/queens.out` from `python3 queens.py`), and the Queens port is
//! no longer than 1.25 times Python's lines.
//!
//! `cargo test` builds the examples before it runs the tests; the example's
//! binary is in `examples/` beside this test's directory.

use std::path::PathBuf;
use std::process::Command;

fn example(name: &str) -> PathBuf {
    let test = std::env::current_exe().expect("the test binary");
    let dir = test
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/<profile>");
    dir.join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
}

/// The example's standard output, after checking that it succeeded.
fn stdout_of(name: &str) -> String {
    let binary = example(name);
    let out = Command::new(&binary).output().unwrap_or_else(|e| {
        panic!(
            "{}: {e} (cargo test builds the examples first)",
            binary.display()
        )
    });
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

#[test]
fn broadcast_prints_what_python_prints() {
    assert_eq!(
        stdout_of("broadcast"),
        include_str!("../examples/broadcast.out")
    );
}

#[test]
fn queens_prints_what_python_prints() {
    assert_eq!(stdout_of("queens"), include_str!("../examples/queens.out"));
}

/// Lines of code: neither blank nor a comment (`comment` starts one).
fn code_lines(source: &str, comment: &str) -> usize {
    source
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with(comment))
        .count()
}

/// The port written with inline generators stays within 1.25 times the
/// Python program's lines (`queens.py` is kept beside the expected output
/// as the source it was ported from).
#[test]
fn queens_is_no_longer_than_a_quarter_more_than_python() {
    let python = code_lines(include_str!("../examples/queens.py"), "#");
    let rust = code_lines(include_str!("../examples/queens.rs"), "//");
    assert_eq!(python, 80, "queens.py changed");
    assert!(
        rust * 4 <= python * 5,
        "examples/queens.rs has {rust} lines of code, Python {python}: more than 1.25 times"
    );
}
