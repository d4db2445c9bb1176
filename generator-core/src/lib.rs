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
#![warn(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn, clippy::undocumented_unsafe_blocks)]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod async_movable;
mod async_pinned;
mod body;
mod channel;
mod co;
mod delegate;
mod error;
mod fallible;
mod movable;
mod panics;
mod pinned;
mod protocol;
mod raise;
mod state;
mod unwind;

pub use async_movable::AsyncGen;
pub use async_pinned::PinnedAsyncGen;
pub use body::Body;
pub use error::{CloseError, ResumeError, ResumeErrorKind};
pub use fallible::{AsyncResume, Fallible, TryGenStream, TryIter};
pub use movable::Gen;
pub use pinned::{Iter, PinnedGen};
pub use protocol::Generator;
pub use state::{GenState, GeneratorState, Interrupt, NoThrow};

/// A generator whose body is boxed and type-erased: what [`Gen::boxed`]
/// returns, and what a recursive generator delegates to.
#[cfg(feature = "alloc")]
pub type BoxGen<'a, Y, R, S = (), E = NoThrow> =
    Gen<core::pin::Pin<alloc::boxed::Box<dyn core::future::Future<Output = R> + 'a>>, Y, S, E>;

/// [`BoxGen`] for a `Send` body: what [`Gen::boxed_send`] returns.
#[cfg(feature = "alloc")]
pub type BoxGenSend<'a, Y, R, S = (), E = NoThrow> = Gen<
    core::pin::Pin<alloc::boxed::Box<dyn core::future::Future<Output = R> + Send + 'a>>,
    Y,
    S,
    E,
>;

/// An async generator whose body is boxed, type-erased and `Send`: what
/// [`AsyncGen::boxed`] returns, for recursive async generators.
#[cfg(feature = "alloc")]
pub type BoxAsyncGen<'a, Y, R, S = (), E = NoThrow> = AsyncGen<
    core::pin::Pin<alloc::boxed::Box<dyn core::future::Future<Output = R> + Send + 'a>>,
    Y,
    S,
    E,
>;

/// Whether a generator being dropped should skip its close: true while the
/// thread unwinds (a close handler that panicked now would abort).
#[inline]
fn panicking() -> bool {
    #[cfg(feature = "std")]
    {
        std::thread::panicking()
    }
    #[cfg(not(feature = "std"))]
    {
        false
    }
}

/// What the `#[generator]` expansion uses. Not a public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::body::BodyOf;
    pub use crate::co::{Co, Yield, YieldCatch};
    pub use crate::delegate::{
        AsyncBody, DelegateWrap, Flat, GeneratorLoop, IterLoop, StreamLoop, SyncBody, ViaFlat,
        ViaGenerator, ViaIterator, ViaStream,
    };
    pub use crate::raise::{Absurd, Raise, Thrown};
    pub use core::result::Result::{Err, Ok};
}

/// Outside a `#[generator]` function `yield_!` is an error; inside one the
/// attribute rewrites it. (The expansion also invokes it as
/// `yield_!(@__pygen_used)`, which expands to nothing, so that the `use`
/// that imported it counts as used.)
#[macro_export]
macro_rules! yield_ {
    (@__pygen_used) => {};
    ($($tokens:tt)*) => {
        ::core::compile_error!(
            "`yield_!` can only be used in the body of a `#[generator]` function \
             (not in a closure, an async block or a nested fn inside it)"
        )
    };
}

/// Outside a `#[generator]` function `yield_catch!` is an error; inside one
/// the attribute rewrites it.
#[macro_export]
macro_rules! yield_catch {
    (@__pygen_used) => {};
    ($($tokens:tt)*) => {
        ::core::compile_error!(
            "`yield_catch!` can only be used in the body of a `#[generator]` function \
             (not in a closure, an async block or a nested fn inside it)"
        )
    };
}

/// Outside a `#[generator]` function `yield_from!` is an error; inside one
/// the attribute rewrites it.
#[macro_export]
macro_rules! yield_from {
    (@__pygen_used) => {};
    ($($tokens:tt)*) => {
        ::core::compile_error!(
            "`yield_from!` can only be used in the body of a `#[generator]` function \
             (not in a closure, an async block or a nested fn inside it)"
        )
    };
}
