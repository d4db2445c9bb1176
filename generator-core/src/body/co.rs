//! The body's side of the channel: the handle a body yields through and the
//! futures a yield is made of.

use core::future::Future;
use core::marker::PhantomData;
use core::pin::Pin;
use core::task::{Context, Poll};

use crate::body::delegation::{Delegation, sealed::Key};
use crate::body::raise::Thrown;
use crate::engine::channel::channel;
use crate::engine::signal::{Input, Output};
use crate::protocol::state::Interrupt;
use crate::util::types::Types;

/// The handle a generator body yields through.
///
/// The `#[generator]` expansion receives it from [`from_body`] under a
/// name user code cannot spell (mixed-site hygiene), so it never leaves the
/// body it was made for; its types are those of the generator it belongs to.
///
/// [`from_body`]: crate::handle::build::from_body
pub struct Co<Y, S, E> {
    types: Types<Y, S, E>,
}

impl<Y, S, E> Co<Y, S, E> {
    pub(crate) fn new() -> Self {
        Co { types: PhantomData }
    }

    /// `yield_!(value)`: evaluates to the sent value or to the thrown error;
    /// a close makes the driver drop the body in place.
    ///
    /// Takes `&mut self`, as do [`yield_catch`](Self::yield_catch),
    /// [`delegate`](Self::delegate) and [`abandon`](Self::abandon), the
    /// other futures that reach the channel: the expansion lends the handle
    /// only to these, as inherent functions of this type, and to
    /// [`types`](Self::types) (`&Co`); everything else it calls by a path
    /// (which a user crate can redirect, even `::pygen`) gets no handle at
    /// all, and with `&Co` no future can be made.
    #[doc(hidden)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn yield_(&mut self, value: Y) -> Yield<Y, S, E> {
        Yield {
            suspend: self.suspend(value),
        }
    }

    /// `yield_catch!(value)`: evaluates to the sent value or to the
    /// interrupt (close or thrown error) for the body to handle.
    #[doc(hidden)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn yield_catch(&mut self, value: Y) -> YieldCatch<Y, S, E> {
        YieldCatch {
            suspend: self.suspend(value),
        }
    }

    /// The types of this generator, for `yield_from!`'s dispatch and
    /// checks: a marker anyone can make, which builds nothing by itself.
    /// The expansion hands the dispatch this instead of the handle, since
    /// it reaches the dispatch through paths a user crate can redirect.
    #[doc(hidden)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn types(&self) -> Types<Y, S, E> {
        PhantomData
    }

    /// The future of a `yield_from!`, from what the dispatch picked (a
    /// [`Planned`](crate::__private::Planned) delegation): only one of this
    /// crate's delegations for this generator's types passes (see
    /// `Delegation`).
    ///
    /// Takes `&mut self`, as the yields do: a delegation future polls
    /// yields of these types, so it is made only here, by an inherent
    /// function of the handle, which the expansion calls after the
    /// argument is evaluated.
    #[doc(hidden)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn delegate<P: Delegation<Y, S, E>>(&mut self, planned: P) -> P::Future {
        planned.__pygen_open(Key::new())
    }

    /// What a `yield_from!` awaits when a close reached its delegation and
    /// the body does not catch it: the driver drops the body. Takes
    /// `&mut self` as the yields do: it writes to the channel of its types.
    #[doc(hidden)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn abandon(&mut self) -> Abandon<Y, S, E> {
        Abandon { types: PhantomData }
    }

    /// Yields `value` and evaluates to whatever the next resume delivers.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) fn suspend(&self, value: Y) -> Suspend<Y, S, E> {
        Suspend {
            pending: Some(value),
            types: PhantomData,
        }
    }
}

/// One suspension, the inside of [`Yield`] and [`YieldCatch`]: the first
/// poll leaves the value for the driver and returns `Pending`; the next poll
/// takes the resume's input.
pub(crate) struct Suspend<Y, S, E> {
    pending: Option<Y>,
    types: Types<Y, S, E>,
}

// No field is ever pinned: `pending` is moved out by value.
impl<Y, S, E> Unpin for Suspend<Y, S, E> {}

impl<Y, S, E> Suspend<Y, S, E> {
    /// Polls the suspension. A close reaching a yield that does not catch it
    /// (`CATCH_CLOSE` false) is answered here, with the channel already at
    /// hand: the body stays pending and the driver drops it in place.
    ///
    /// The channel is found once per poll, and the value is taken before it
    /// is: the stores that built this future and that load are then next to
    /// each other, with no load through the waker between them that might
    /// alias, and LLVM forwards the value instead of going through the
    /// body's state. Keeping this small matters beyond the instructions it
    /// runs: it is part of every body's poll, and LLVM inlines a body's poll
    /// into the caller's loop only while the whole stays under its threshold.
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn poll_suspend<const CATCH_CLOSE: bool>(&mut self, cx: &mut Context<'_>) -> Poll<Input<S, E>> {
        // Taken only when there: a resume (the second poll) then reads the
        // tag alone, with no store (measured: `take()` loaded the value and
        // stored `None` on every resume, 2 instructions per item).
        let pending = if self.pending.is_some() {
            self.pending.take()
        } else {
            None
        };
        let Some(channel) = channel::<Y, S, E>(cx) else {
            return Poll::Pending;
        };
        // One store of the output, whichever it is: separate stores in each
        // branch get merged by LLVM into one store through a pointer that
        // depends on the branch, and the channel then stays in memory
        // instead of registers.
        let output = match pending {
            Some(value) => Output::Yielded(value),
            None => match channel.input.take() {
                Some(Input::Close) if !CATCH_CLOSE => Output::Abandoned,
                Some(input) => return Poll::Ready(input),
                // Polled again without a resume's value: a broken invariant
                // of the drivers, which only resume a suspended body with a
                // value. The driver panics on `Output::Missing`; a panic here
                // instead would put one more call into every body's poll and
                // keep LLVM from inlining it.
                None => Output::Missing,
            },
        };
        channel.output = output;
        Poll::Pending
    }
}

/// The future behind `yield_!`. Its output is the sent value, or the thrown
/// error that the expansion returns from the body with `Err(e.into())`
/// (see `body/raise.rs`).
#[doc(hidden)]
pub struct Yield<Y, S, E> {
    suspend: Suspend<Y, S, E>,
}

impl<Y, S, E> Future for Yield<Y, S, E> {
    type Output = Result<S, Thrown<E>>;

    #[cfg_attr(not(debug_assertions), inline(always))]
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.suspend
            .poll_suspend::<false>(cx)
            .map(|input| match input {
                Input::Next(s) | Input::Send(s) => Ok(s),
                Input::Throw(e) => Err(Thrown(e)),
                Input::Close => {
                    crate::util::panics::invariant("a plain yield answers a close itself")
                }
            })
    }
}

/// The future behind `yield_catch!`: the sent value, or the interrupt.
#[doc(hidden)]
pub struct YieldCatch<Y, S, E> {
    suspend: Suspend<Y, S, E>,
}

impl<Y, S, E> Future for YieldCatch<Y, S, E> {
    type Output = Result<S, Interrupt<E>>;

    #[cfg_attr(not(debug_assertions), inline(always))]
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<S, Interrupt<E>>> {
        self.suspend
            .poll_suspend::<true>(cx)
            .map(|input| match input {
                Input::Next(s) | Input::Send(s) => Ok(s),
                Input::Throw(e) => Err(Interrupt::Throw(e)),
                Input::Close => Err(Interrupt::Close),
            })
    }
}

/// The future of [`Co::abandon`]: asks the driver to drop the body, and
/// never completes.
#[doc(hidden)]
pub struct Abandon<Y, S, E> {
    types: Types<Y, S, E>,
}

impl<Y, S, E> Future for Abandon<Y, S, E> {
    type Output = core::convert::Infallible;

    #[cfg_attr(not(debug_assertions), inline(always))]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        if let Some(channel) = channel::<Y, S, E>(cx) {
            channel.output = Output::Abandoned;
        }
        Poll::Pending
    }
}
