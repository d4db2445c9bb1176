//! Runtime of [pygen](https://docs.rs/pygen): Python-style generators on
//! stable Rust. Most users depend on `pygen`, which re-exports this crate
//! together with the `#[generator]` macro; the examples below use it.
//!
//! ```
//! use pygen::{generator, yield_};
//!
//! #[generator(yield = u64, send = u64)]
//! fn running_total() {
//!     let mut total = 0;
//!     loop {
//!         total += yield_!(total);
//!     }
//! }
//!
//! let mut g = running_total();
//! g.start().unwrap();
//! assert_eq!(g.send(5).unwrap().yielded(), Some(5));
//! assert_eq!(g.send(7).unwrap().yielded(), Some(12));
//! ```
//!
//! # How it works
//!
//! A generator's body is an `async` block: rustc builds the state machine,
//! keeps borrows alive across yields and infers every local's type. A yield
//! is a future that returns `Pending` once. The values crossing it travel
//! through a slot in the stack frame of the call that resumes the generator,
//! reached through the `Context` of that poll (see the `channel` module's
//! source), so a generator costs what a hand-written iterator costs.
//!
//! # Forms
//!
//! - [`Gen`], the default: movable, an [`Iterator`], methods on `&mut self`.
//!   One heap allocation, made at the first resume (feature `alloc`).
//! - [`PinnedGen`], from [`Gen::into_pinned`]: the body stays inline, nothing
//!   is allocated; methods on `Pin<&mut Self>`. The only form without
//!   `alloc`.
//!
//! # Features
//!
//! - `std` (default): implies `alloc`; a generator dropped while the thread
//!   panics is dropped without being closed first.
//! - `alloc`: the movable [`Gen`] protocol, boxed generators.
//! - neither: `no_std`, pinned generators only.
#![no_std]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs, missing_debug_implementations)]
#![deny(unsafe_op_in_unsafe_fn, clippy::undocumented_unsafe_blocks)]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

// The layers, bottom up; a layer imports only the ones before it (blank
// lines keep rustfmt from sorting them).
mod util;

#[macro_use]
mod protocol;

mod engine;

mod body;

mod handle;

mod delegate;

mod debug;

pub use body::Body;
pub use body::raise::Thrown;
pub use handle::async_movable::AsyncGen;
pub use handle::async_pinned::PinnedAsyncGen;
pub use handle::fallible::Fallible;
pub use handle::movable::Gen;
pub use handle::pinned::{Iter, PinnedGen};
#[cfg(feature = "alloc")]
pub use handle::recursive::{IntoBoxed, Recursive};
#[cfg(feature = "alloc")]
pub use handle::shared::Shared;
pub use handle::try_iter::TryIter;
pub use handle::try_stream::{AsyncResume, TryGenStream};
pub use protocol::captures::Captures;
pub use protocol::error::{CloseError, ResumeError, ResumeErrorKind};
pub use protocol::generator::Generator;
pub use protocol::state::{GenState, GeneratorState, Interrupt, NoThrow};

#[cfg(feature = "alloc")]
pub use handle::boxed::{BoxAsyncGen, BoxGen, BoxGenSend};

/// What the `#[generator]` expansion uses. Not a public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::body::co::{Abandon, Co, Yield, YieldCatch};
    pub use crate::body::delegating::DelegatingBody;
    pub use crate::body::plain::BodyOf;
    pub use crate::body::raise::{Absurd, Raise, Thrown};
    pub use crate::body::shape::{Catching, Delegating, Plain};
    pub use crate::delegate::dispatch::{
        AsyncBody, DelegateWrap, Planned, SyncBody, ViaFlat, ViaGenerator, ViaIterator, ViaStream,
        ViaTakesNothing,
    };
    pub use crate::delegate::flat::Flat;
    pub use crate::delegate::generator_loop::{
        Borrowed, Finish, Fresh, GeneratorLoop, PassesAll, Passing,
    };
    pub use crate::delegate::iter_loop::IterLoop;
    pub use crate::delegate::outcome::{
        ClosedValue, Delegated, Failure, FailureOfAny, FailureOfResult, Impossible, RaisedAs, Same,
    };
    pub use crate::delegate::rejected::Rejected;
    pub use crate::delegate::stream_loop::StreamLoop;
    pub use crate::handle::build::from_body;
    pub use crate::util::types::Types;
    pub use core::result::Result::{Err, Ok};

    /// The probe of a `yield_from!` argument and its checks: the facade
    /// re-exports this as `pygen::__checks`, the path the expansion names.
    pub mod checks {
        pub use crate::delegate::checks::*;
        pub use crate::delegate::probe::*;
    }
}

/// Yields `value` to the caller and evaluates to the value sent next (`S`,
/// the generator's `send` type; `S::default()` after `next()`).
///
/// On `throw(e)` the body returns `Err(e.into())` from here, as `?` would
/// (the generator's return type must then be a `Result`); on `close()` the
/// body is dropped in place, which runs the destructors of every live local
/// (Python's `finally`). Use [`yield_catch!`] to handle either in the body.
///
/// ```
/// use pygen::{generator, yield_, GeneratorState};
///
/// #[generator(yield = &'static str, send = u32)]
/// fn ask() -> u32 {
///     let a = yield_!("first?");
///     let b = yield_!("second?");
///     a + b
/// }
///
/// let mut g = ask();
/// assert_eq!(g.start(), Ok(GeneratorState::Yielded("first?")));
/// assert_eq!(g.send(2), Ok(GeneratorState::Yielded("second?")));
/// assert_eq!(g.send(3), Ok(GeneratorState::Complete(5)));
/// ```
///
/// Only inside a `#[generator]` function, which rewrites it; anywhere else
/// (a closure, an async block or a nested `fn` inside one) it is an error.
#[macro_export]
macro_rules! yield_ {
    ($($value:tt)*) => {
        $crate::__pygen_outside_a_generator!(yield_ $($value)*)
    };
}

/// Yields `value` and evaluates to `Result<S, Interrupt<E>>`: `Ok(sent)`,
/// or the close or thrown error for the body to handle (Python's
/// `except GeneratorExit` / `except E` around a `yield`).
///
/// After `Err(Interrupt::Close)`, returning `r` makes `close()` return
/// `Ok(Some(r))`; yielding again makes it return a `CloseError`. A generator
/// without `throw =` has no `Interrupt::Throw` arm to write.
///
/// ```
/// use pygen::{generator, yield_catch, GeneratorState, Interrupt};
///
/// #[derive(Debug, PartialEq)]
/// struct Jam;
///
/// #[generator(yield = u32, throw = Jam)]
/// fn belt() -> &'static str {
///     let mut jams = 0;
///     loop {
///         match yield_catch!(jams) {
///             Ok(()) => {}
///             Err(Interrupt::Throw(Jam)) => jams += 1,
///             Err(Interrupt::Close) => return "stopped",
///         }
///     }
/// }
///
/// let mut g = belt();
/// g.start().unwrap();
/// assert_eq!(g.throw(Jam), Ok(GeneratorState::Yielded(1)));
/// assert_eq!(g.close(), Ok(Some("stopped")));
/// ```
#[macro_export]
macro_rules! yield_catch {
    ($($value:tt)*) => {
        $crate::__pygen_outside_a_generator!(yield_catch $($value)*)
    };
}

/// Delegates to `g` (Python's `yield from`) and evaluates to its return
/// value: `R` for a fresh generator of this crate, which runs flat inside
/// the delegating one; `Option<R>` for any other [`Generator`], such as
/// `&mut g` (`None` if it had finished); `()` for an `IntoIterator` (and,
/// in an async generator, a `Stream`) of the yield type.
///
/// While it delegates, `send`, `throw` and `close` reach the innermost
/// generator first. Delegation to a fresh generator of this crate is
/// *direct*: every resume reaches the innermost generator in one step,
/// whatever the depth, and a recursion takes no stack per level. A close
/// that reaches the delegation closes the delegate, then drops the
/// delegating body (use [`yield_from_catch!`] to handle it), unless the
/// delegate's close handler returned an `Err`: that comes back here as the
/// delegation's value, so that the body's `?` returns it from `close()`.
///
/// ```
/// use pygen::{generator, yield_, yield_from};
///
/// #[generator(yield = char)]
/// fn word(w: &'static str) -> usize {
///     for c in w.chars() {
///         yield_!(c);
///     }
///     w.len()
/// }
///
/// #[generator(yield = char)]
/// fn sentence() -> usize {
///     let n = yield_from!(word("hi"));
///     yield_from!([' ']);
///     n + yield_from!(word("you"))
/// }
///
/// let mut g = sentence();
/// assert_eq!(g.by_ref().collect::<String>(), "hi you");
/// ```
#[macro_export]
macro_rules! yield_from {
    ($($delegate:tt)*) => {
        $crate::__pygen_outside_a_generator!(yield_from $($delegate)*)
    };
}

/// [`yield_from!`] whose close or raised error the body handles (Python's
/// `try: yield from g` with `except GeneratorExit` / `except E`): evaluates
/// to `Ok(r)` with the delegation's value (as `yield_from!` would), or to
/// `Err(Interrupt::Close)` when the generator is closed during the
/// delegation (the delegate is closed first, its own handlers run), or to
/// `Err(Interrupt::Throw(e))` when a thrown error reaches a delegate that
/// cannot take it (a plain iterator, a stream, a generator that takes
/// nothing); a thrown error that a generator delegate takes is the
/// delegate's to handle, and what it makes of it comes back in `Ok(r)`.
///
/// A delegate whose close handler returns an `Err` has failed to clean up:
/// that value comes back as `Ok(r)` instead of the close (with
/// `yield_from!`, the body's `?` then returns it from `close()`), as CPython
/// raises it from `close()` instead of `GeneratorExit`.
///
/// ```
/// use pygen::{generator, yield_, yield_from_catch, Interrupt};
///
/// #[generator(yield = u32)]
/// fn diagnostics() {
///     for step in 0..20 {
///         yield_!(step);
///     }
/// }
///
/// #[generator(yield = u32)]
/// fn robot() -> &'static str {
///     match yield_from_catch!(diagnostics()) {
///         Ok(()) => "diagnostics done",
///         Err(Interrupt::Close) => "shut down during diagnostics",
///         Err(Interrupt::Throw(never)) => match never {},
///     }
/// }
///
/// let mut g = robot();
/// assert_eq!(g.by_ref().take(3).collect::<Vec<_>>(), [0, 1, 2]);
/// assert_eq!(g.close(), Ok(Some("shut down during diagnostics")));
/// ```
#[macro_export]
macro_rules! yield_from_catch {
    ($($delegate:tt)*) => {
        $crate::__pygen_outside_a_generator!(yield_from_catch $($delegate)*)
    };
}

/// What `yield_!`, `yield_catch!` and `yield_from!` expand to where
/// `#[generator]` did not rewrite them: an error, or nothing for the
/// expansion's `yield_!(@__pygen_used)`, which marks the `use` that imported
/// the macro as used.
#[doc(hidden)]
#[macro_export]
macro_rules! __pygen_outside_a_generator {
    ($name:ident @__pygen_used) => {};
    ($name:ident $($tokens:tt)*) => {
        ::core::compile_error!(::core::concat!(
            "`",
            ::core::stringify!($name),
            "!` can only be used in the body of a `#[generator]` function \
             or of a `generate!(|| ..)` closure (not in a closure, an async \
             block or a nested fn inside it)"
        ))
    };
}
