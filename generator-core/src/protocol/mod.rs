//! The protocol layer: where a generator is ([`state`]), what a refused
//! resume or a failed close hands back ([`error`]), and the [`Generator`]
//! trait with its forwarding impls ([`generator`]), and [`Captures`], what
//! a generator function's return type says it borrows. It knows no driver.
//!
//! [`Captures`]: captures::Captures
//!
//! [`Generator`]: generator::Generator

pub(crate) mod captures;
pub(crate) mod error;
#[macro_use]
pub(crate) mod generator;
pub(crate) mod state;
