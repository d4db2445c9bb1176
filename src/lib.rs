//! Python-style generators for stable Rust.
//!
//! ```
//! use pygen::{generator, yield_, yield_from};
//!
//! #[generator(yield = u32)]
//! fn countdown(from: u32) -> &'static str {
//!     for i in (1..=from).rev() {
//!         yield_!(i);
//!     }
//!     "liftoff"
//! }
//!
//! #[generator(yield = u32)]
//! fn twice() -> (&'static str, &'static str) {
//!     let first = yield_from!(countdown(2));
//!     let second = yield_from!(countdown(1));
//!     (first, second)
//! }
//!
//! assert_eq!(twice().collect::<Vec<_>>(), [2, 1, 1]);
//! ```
//!
//! `#[generator(yield = Y, send = S, throw = E)]` on a function whose body
//! uses `yield_!(v)` turns it into a function returning a [`Gen`]: a
//! generator with Python's whole protocol (`start`/`next`, `send`, `throw`,
//! `close`, `state`, `yield from` with return values) that is also an
//! [`Iterator`]. `send` defaults to `()`, `throw` to none ([`NoThrow`]); the
//! function's return type is the generator's return value, Python's
//! `StopIteration.value`.
//!
//! Inside the body:
//!
//! - `yield_!(v)` hands `v` to the caller and evaluates to the value sent
//!   next (`S`). A `throw(e)` makes the body return `Err(e.into())` from
//!   there (its return type must be a `Result`), as `?` would; a `close()`
//!   drops the body in place, running the destructors of every live local
//!   (Python's `finally`).
//! - `yield_catch!(v)` evaluates to `Result<S, Interrupt<E>>` instead, so
//!   the body handles a close or a thrown error itself (Python's
//!   `except GeneratorExit` / `except E`).
//! - `yield_from!(g)` delegates to `g` (Python's `yield from`) and evaluates
//!   to its return value: `R` for a fresh generator of this crate, which
//!   runs *flat* inside the delegating one; `Option<R>` for any other
//!   [`Generator`] such as `&mut gen` (`None` if it had already finished);
//!   `()` for a plain `IntoIterator` of the yield type.
//!
//! - `yield_from_catch!(g)` delegates too, and evaluates to `Ok(r)` or to
//!   the interrupt the body handles: a close during the delegation (after
//!   the delegate was closed), or a thrown error the delegate cannot take.
//!
//! [`generate!`] writes a generator inline: `generate!(|| { .. })` makes
//! the same [`Gen`] from a closure whose body yields, capturing what it uses
//! as the closure does; `generate!(async || { .. })` an [`AsyncGen`]; with
//! parameters, `generate!(|i: u32| { .. })` is a generator function.
//!
//! While a generator delegates, `send`, `throw` and `close` reach the
//! innermost generator first, in one step whatever the depth (delegation
//! to a fresh generator is direct: a recursion takes no stack per level).
//! A `close` closes the delegate (its `yield_catch!` handler runs), then
//! raises the close at the `yield_from!`, as Python raises `GeneratorExit`
//! at the `yield from` after closing the subgenerator: `yield_from!` drops
//! the delegating body in place, `yield_from_catch!` hands it
//! `Err(Interrupt::Close)`. A delegate's handler that returns an `Err` has
//! failed to clean up: the `Err` comes back from the delegation instead of
//! the close (as CPython raises it from `close()`), so that the delegating
//! body's `?` returns it from `close()`.
//!
//! The table of the protocol, the errors, and the pinned zero-allocation
//! form are documented on [`Gen`] and [`PinnedGen`].
//!
//! # Errors in the body
//!
//! A body that uses `?` ends with its error as its return value, which a
//! `for` loop, `collect()` or a `Stream` consumer drops along with every
//! return value: they just stop early. [`Gen::try_iter`] (and
//! [`AsyncGen::into_try_stream`] / [`AsyncGen::try_stream`]) yields
//! `Ok(value)` for each value, then the body's `Err(e)` as the last item:
//!
//! ```
//! use pygen::{generator, yield_};
//!
//! #[generator(yield = u32)]
//! fn numbers(text: &str) -> Result<(), std::num::ParseIntError> {
//!     for word in text.split_whitespace() {
//!         yield_!(word.parse()?);
//!     }
//!     Ok(())
//! }
//!
//! assert_eq!(numbers("1 x 3").collect::<Vec<_>>(), [1]); // the error is gone
//! let all: Result<Vec<u32>, _> = numbers("1 x 3").try_iter().collect();
//! assert!(all.is_err());
//! ```
//!
//! # Features
//!
//! - `std` (default): implies `alloc`. A generator dropped while its thread
//!   is panicking is then dropped without being closed first (a close
//!   handler that panicked during the unwinding would abort).
//! - `alloc`: the movable [`Gen`] and [`AsyncGen`], which box their body at
//!   the first resume, and the boxed forms ([`Gen::boxed`], [`BoxGen`],
//!   [`BoxAsyncGen`]) that recursive generators need. Without `std` a
//!   generator dropped during a panic is closed like any other.
//! - neither (`default-features = false`): the crate is `no_std` without
//!   `alloc`. `#[generator]` works as ever, and the generators run in the
//!   pinned, allocation-free forms: `core::pin::pin!(f().into_pinned())`
//!   gives a [`PinnedGen`] (or [`PinnedAsyncGen`]) whose methods take
//!   `Pin<&mut Self>`; [`PinnedGen::iter`] and [`PinnedGen::try_iter`]
//!   iterate over it.
//!
//! The crate itself is always `#![no_std]`; `std` only turns on what needs
//! the standard library.
//!
//! [`generators!`] takes the same functions written with the literal
//! `yield!(v)`, which rustc refuses under an attribute (`yield` is a
//! reserved keyword) but never parses inside a function-like macro.
#![no_std]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![warn(missing_debug_implementations)]

pub use generator_core::*;

/// The README's examples, compiled and run as doctests so they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
#[doc = include_str!("generate.md")]
#[doc(inline)]
pub use generator_macros::generate;
#[doc = include_str!("generator.md")]
#[doc(inline)]
pub use generator_macros::generator;
pub use generator_macros::generators;

/// What the expansion of `yield_from!` checks its argument with. Not a
/// public API.
#[doc(hidden)]
pub use generator_core::__private::checks as __checks;
