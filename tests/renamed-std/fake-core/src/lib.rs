//! Stands for a crate a user renamed to a standard one: the standard items,
//! but the macros a generator's expansion could pass a yield through do not
//! compile when called. (A real attacker's would wrap their arguments in an
//! `async` block and hand it to another generator.)
#![no_std]
extern crate std as real;
pub use real::*;

/// Refuses to expand.
#[macro_export]
macro_rules! assert {
    ($($t:tt)*) => {
        ::core::compile_error!("a fake `assert!` was called")
    };
}
/// Refuses to expand.
#[macro_export]
macro_rules! assert_eq {
    ($($t:tt)*) => {
        ::core::compile_error!("a fake `assert_eq!` was called")
    };
}
/// Refuses to expand.
#[macro_export]
macro_rules! vec {
    ($($t:tt)*) => {
        ::core::compile_error!("a fake `vec!` was called")
    };
}
/// Refuses to expand.
#[macro_export]
macro_rules! println {
    ($($t:tt)*) => {
        ::core::compile_error!("a fake `println!` was called")
    };
}
/// Refuses to expand.
#[macro_export]
macro_rules! format {
    ($($t:tt)*) => {
        ::core::compile_error!("a fake `format!` was called")
    };
}
/// Refuses to expand.
#[macro_export]
macro_rules! matches {
    ($($t:tt)*) => {
        ::core::compile_error!("a fake `matches!` was called")
    };
}
