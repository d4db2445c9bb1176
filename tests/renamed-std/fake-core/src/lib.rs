//! Stands for a crate a user renamed to a standard one: the standard items,
//! but the macros a generator's expansion could once pass a yield through
//! move their arguments out of the generator, into a closure called on the
//! spot (an attacker's would put them in an `async` block and hand it to
//! another generator). A yield's expansion (an `.await`) does not compile
//! there; the yields' values do, and the macros then do what the standard
//! ones do.
#![no_std]
#[doc(hidden)]
pub extern crate std as real;
pub use real::*;

/// `assert!`, with its arguments moved into a closure.
#[macro_export]
macro_rules! assert { ($($t:tt)*) => { (|| $crate::real::assert!($($t)*))() } }
/// `assert_eq!`, with its arguments moved into a closure.
#[macro_export]
macro_rules! assert_eq { ($($t:tt)*) => { (|| $crate::real::assert_eq!($($t)*))() } }
/// `vec!`, with its arguments moved into a closure.
#[macro_export]
macro_rules! vec { ($($t:tt)*) => { (move || $crate::real::vec![$($t)*])() } }
/// `println!`, with its arguments moved into a closure.
#[macro_export]
macro_rules! println { ($($t:tt)*) => { (|| $crate::real::println!($($t)*))() } }
/// `format!`, with its arguments moved into a closure.
#[macro_export]
macro_rules! format { ($($t:tt)*) => { (|| $crate::real::format!($($t)*))() } }
/// `matches!`, with its arguments moved into a closure.
#[macro_export]
macro_rules! matches { ($($t:tt)*) => { (|| $crate::real::matches!($($t)*))() } }
