//! The protocol layer: where a generator is ([`state`]), what a refused
//! resume or a failed close hands back ([`error`]), and the [`Generator`]
//! trait with its forwarding impls ([`generator`]). It knows no driver.
//!
//! [`Generator`]: generator::Generator

pub(crate) mod error;
#[macro_use]
pub(crate) mod generator;
pub(crate) mod state;
