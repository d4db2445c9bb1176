//! The body's side of the channel: the handle a body yields through and the
//! futures a yield is made of.

use core::future::Future;
use core::marker::PhantomData;
use core::pin::Pin;
use core::task::{Context, Poll};

use crate::channel::{Input, Output, channel};
use crate::raise::Thrown;
use crate::state::Interrupt;

/// Invariant in `Y`, `S` and `E`, and `Send + Sync + Unpin` whatever they are:
/// the handle and the yield futures hold no value of those types themselves
/// except the one being yielded.
pub(crate) type Types<Y, S, E> = PhantomData<fn(Y, S, E) -> (Y, S, E)>;

/// The handle a generator body yields through.
///
/// The `#[generator]` expansion receives it from [`Gen::from_body`] under a
/// name user code cannot spell (mixed-site hygiene), so it never leaves the
/// body it was made for; its types are those of the generator it belongs to.
///
/// [`Gen::from_body`]: crate::Gen::from_body
pub struct Co<Y, S, E> {
    types: Types<Y, S, E>,
}

impl<Y, S, E> Co<Y, S, E> {
    pub(crate) fn new() -> Self {
        Co { types: PhantomData }
    }

    /// `yield_!(value)`: evaluates to the sent value or to the thrown error;
    /// a close makes the driver drop the body in place.
    #[doc(hidden)]
    #[inline(always)]
    pub fn yield_(&self, value: Y) -> Yield<Y, S, E> {
        Yield {
            suspend: self.suspend(value),
        }
    }

    /// `yield_catch!(value)`: evaluates to the sent value or to the
    /// interrupt (close or thrown error) for the body to handle.
    #[doc(hidden)]
    #[inline(always)]
    pub fn yield_catch(&self, value: Y) -> YieldCatch<Y, S, E> {
        YieldCatch {
            suspend: self.suspend(value),
        }
    }

    /// Yields `value` and evaluates to whatever the next resume delivers.
    #[inline(always)]
    pub(crate) fn suspend(&self, value: Y) -> Suspend<Y, S, E> {
        Suspend {
            pending: Some(value),
            types: PhantomData,
        }
    }
}

/// One suspension: the first poll leaves the value for the driver and
/// returns `Pending`; the next poll takes the resume's input.
pub(crate) struct Suspend<Y, S, E> {
    pending: Option<Y>,
    types: Types<Y, S, E>,
}

// No field is ever pinned: `pending` is moved out by value.
impl<Y, S, E> Unpin for Suspend<Y, S, E> {}

impl<Y, S, E> Future for Suspend<Y, S, E> {
    type Output = Input<S, E>;

    #[inline(always)]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Input<S, E>> {
        let this = self.get_mut();
        let channel = channel::<Y, S, E>(cx);
        match this.pending.take() {
            Some(value) => {
                channel.output = Output::Yielded(value);
                Poll::Pending
            }
            None => match channel.input.take() {
                Some(input) => Poll::Ready(input),
                None => crate::panics::resumed_without_value(),
            },
        }
    }
}

/// The future behind `yield_!`. Its output is the sent value, or the thrown
/// error that the expansion returns from the body with `Err(e.into())`
/// (see `raise.rs`).
#[doc(hidden)]
pub struct Yield<Y, S, E> {
    suspend: Suspend<Y, S, E>,
}

impl<Y, S, E> Future for Yield<Y, S, E> {
    type Output = Result<S, Thrown<E>>;

    #[inline(always)]
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match Pin::new(&mut self.suspend).poll(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Input::Next(s) | Input::Send(s)) => Poll::Ready(Ok(s)),
            Poll::Ready(Input::Throw(e)) => Poll::Ready(Err(Thrown(e))),
            Poll::Ready(Input::Close) => {
                channel::<Y, S, E>(cx).output = Output::Abandoned;
                Poll::Pending
            }
        }
    }
}

/// The future behind `yield_catch!`: the sent value, or the interrupt.
#[doc(hidden)]
pub struct YieldCatch<Y, S, E> {
    suspend: Suspend<Y, S, E>,
}

impl<Y, S, E> Future for YieldCatch<Y, S, E> {
    type Output = Result<S, Interrupt<E>>;

    #[inline(always)]
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<S, Interrupt<E>>> {
        Pin::new(&mut self.suspend)
            .poll(cx)
            .map(|input| match input {
                Input::Next(s) | Input::Send(s) => Ok(s),
                Input::Throw(e) => Err(Interrupt::Throw(e)),
                Input::Close => Err(Interrupt::Close),
            })
    }
}
