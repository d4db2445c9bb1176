//! `yield_from!` of a plain iterator, and the resume rule it shares with a
//! stream's.

use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

use crate::body::raise::Thrown;
use crate::delegate::outcome::Delegated;
use crate::engine::channel::{Channel, channel};
use crate::engine::signal::{Input, Output};
use crate::util::types::Types;

/// The future of `yield_from!` of a plain iterator.
#[doc(hidden)]
pub struct IterLoop<I, Y, S, E> {
    iter: I,
    waiting: bool,
    types: Types<Y, S, E>,
}

impl<I, Y, S, E> IterLoop<I, Y, S, E> {
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) fn new(iter: I) -> Self {
        IterLoop {
            iter,
            waiting: false,
            types: Types::default(),
        }
    }
}

// The iterator is never pinned: `Iterator::next` takes `&mut self`.
impl<I, Y, S, E> Unpin for IterLoop<I, Y, S, E> {}

impl<I, Y, S, E> Future for IterLoop<I, Y, S, E>
where
    I: Iterator<Item = Y>,
{
    type Output = Delegated<(), Thrown<E>>;

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let Some(channel) = channel::<Y, S, E>(cx) else {
            return Poll::Pending;
        };
        if this.waiting {
            if let Some(stop) = resume_sequence(channel) {
                return stop;
            }
        }
        match this.iter.next() {
            Some(y) => {
                this.waiting = true;
                channel.output = Output::Yielded(y);
                Poll::Pending
            }
            None => Poll::Ready(Delegated::Returned(())),
        }
    }
}

/// The resume of a `yield_from!` of an iterator or a stream, suspended at
/// its own yield: `None` to go on to the next item (`next()`), or what the
/// delegation does instead. A sent value goes back to the caller of `send`
/// (the delegation stays where it was); a throw or a close is raised in the
/// delegating body, as at a plain `yield_!`.
#[cfg_attr(not(debug_assertions), inline(always))]
pub(super) fn resume_sequence<Y, S, E>(
    channel: &mut Channel<Y, S, E>,
) -> Option<Poll<Delegated<(), Thrown<E>>>> {
    match channel.input.take() {
        Some(Input::Next(_)) => None,
        Some(Input::Send(s)) => {
            channel.output = Output::Rejected(s);
            Some(Poll::Pending)
        }
        Some(Input::Throw(e)) => Some(Poll::Ready(Delegated::Raised(Thrown(e)))),
        Some(Input::Close) => Some(Poll::Ready(Delegated::Closed)),
        // Polled again without a value: see `Suspend`.
        None => {
            channel.output = Output::Missing;
            Some(Poll::Pending)
        }
    }
}
