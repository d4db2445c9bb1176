//! pygen's async examples live in `examples/` and their tests in `tests/`
//! of this crate; `cargo run --example simulator` (or `async_lines`,
//! `http_pages`) runs one from the repository's root.
#![forbid(unsafe_code)]
