//! The types a `yield_from!`'s expansion reads a delegation's result
//! through: what it came to ([`Delegated`]), what it raised, and whether a
//! delegate's close handler failed.

use core::convert::Infallible;

use crate::body::raise::Thrown;
use crate::protocol::state::Interrupt;

/// What a delegation future comes to, for the expansion of `yield_from!`
/// and `yield_from_catch!` to turn into the value (or the interrupt) of the
/// macro.
///
/// `X` is what the delegation can raise: `Thrown<E>`, or `Infallible` for
/// a delegate that takes every thrown error itself (then a body whose
/// return type is not a `Result` may still delegate). `C` is what a close
/// handler's return value comes in: [`Same`], or [`Impossible`] for the
/// stand-in of a rejected delegation (whose `R` is left to inference, and
/// must not meet the autoref check of [`Failure`] unresolved).
#[doc(hidden)]
#[derive(Debug)]
pub enum Delegated<R, X, C = Same<R>> {
    /// The delegation is over: the delegate's return value (for `&mut g`,
    /// `Option` of it), or `()` for an iterator or a stream.
    Returned(R),
    /// A thrown error the delegate cannot take (a plain iterator, a stream,
    /// a generator that takes nothing), raised at the `yield_from!`.
    Raised(X),
    /// A close reached the delegation and the delegate (closed first)
    /// returned this from its close handler.
    ClosedWith(C),
    /// A close reached the delegation; there is no return value (an
    /// iterator, a stream, a delegate that finished without one).
    Closed,
}

/// What `yield_from_catch!` makes of what a delegation raised.
#[doc(hidden)]
pub trait RaisedAs<E> {
    fn interrupt(self) -> Interrupt<E>;
}

impl<E> RaisedAs<E> for Thrown<E> {
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn interrupt(self) -> Interrupt<E> {
        Interrupt::Throw(self.0)
    }
}

impl<E> RaisedAs<E> for Infallible {
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn interrupt(self) -> Interrupt<E> {
        match self {}
    }
}

/// What a delegate returned from its close handler.
#[doc(hidden)]
#[derive(Debug)]
pub struct Same<R>(pub R);

/// A close handler's value that cannot exist: the rejected delegation's.
#[doc(hidden)]
#[derive(Debug)]
pub enum Impossible<R> {
    #[doc(hidden)]
    Never(Infallible, core::marker::PhantomData<R>),
}

/// The value inside [`Same`] or [`Impossible`].
#[doc(hidden)]
pub trait ClosedValue<R> {
    fn value(self) -> R;
}

impl<R> ClosedValue<R> for Same<R> {
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn value(self) -> R {
        self.0
    }
}

impl<R> ClosedValue<R> for Impossible<R> {
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn value(self) -> R {
        match self {
            Impossible::Never(never, _) => match never {},
        }
    }
}

/// Whether what a delegate returned from its close handler is a failure
/// that must reach the caller (an `Err`, or `Some(Err(_))` through `&mut`):
/// the expansion asks by autoref (`(&&Failure(&c)).__pygen_failed()`), so
/// that any return type works and only a `Result` can fail.
#[doc(hidden)]
#[derive(Debug)]
pub struct Failure<'a, C>(pub &'a C);

#[doc(hidden)]
pub trait FailureOfResult {
    fn __pygen_failed(&self) -> bool;
}

#[doc(hidden)]
pub trait FailureOfAny {
    fn __pygen_failed(&self) -> bool;
}

impl<T, X> FailureOfResult for &Failure<'_, Same<Result<T, X>>> {
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn __pygen_failed(&self) -> bool {
        self.0.0.is_err()
    }
}

/// What `yield_from!(&mut g)` evaluates to: `Some` of the return value.
impl<T, X> FailureOfResult for &Failure<'_, Same<Option<Result<T, X>>>> {
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn __pygen_failed(&self) -> bool {
        matches!(self.0.0, Some(Err(_)))
    }
}

impl<C> FailureOfAny for Failure<'_, C> {
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn __pygen_failed(&self) -> bool {
        false
    }
}
