//! Misuses that must not compile, each with the error a user sees
//! (`tests/ui/*.stderr`). Regenerate the expectations after a deliberate
//! change with `TRYBUILD=overwrite cargo test --test compile_fail`.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
