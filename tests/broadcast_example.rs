//! `cargo run --example broadcast` prints exactly what Python prints for
//! Beazley's broadcast pipeline (`examples/broadcast.out`, from
//! `python3 broadcast.py`).
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

#[test]
fn broadcast_prints_what_python_prints() {
    let binary = example("broadcast");
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
    let expected = include_str!("../examples/broadcast.out");
    assert_eq!(String::from_utf8_lossy(&out.stdout), expected);
}
