//! The stand-in delegation of a `yield_from!` whose argument failed one of
//! the facade's checks.

use core::convert::Infallible;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

use crate::delegate::outcome::{Delegated, Impossible};
use crate::util::types::Types;

/// What a `yield_from!` whose argument failed one of the facade's checks
/// delegates to, after the compile error: it never completes, and its
/// value is of whatever type the `yield_from!` is expected to have.
#[doc(hidden)]
pub struct Rejected<R, Y, S, E> {
    returns: core::marker::PhantomData<fn() -> R>,
    types: Types<Y, S, E>,
}

impl<R, Y, S, E> Rejected<R, Y, S, E> {
    #[doc(hidden)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn new() -> Self {
        Rejected {
            returns: core::marker::PhantomData,
            types: Types::default(),
        }
    }
}

impl<R, Y, S, E> Default for Rejected<R, Y, S, E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<R, Y, S, E> Future for Rejected<R, Y, S, E> {
    type Output = Delegated<R, Infallible, Impossible<R>>;

    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Self::Output> {
        Poll::Pending
    }
}
