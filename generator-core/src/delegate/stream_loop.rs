//! `yield_from!` of a `Stream`, in an async generator.

use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

use crate::body::raise::Thrown;
use crate::delegate::iter_loop::resume_sequence;
use crate::delegate::outcome::Delegated;
use crate::engine::channel::channel;
use crate::engine::signal::Output;
use crate::util::types::Types;

/// The future of `yield_from!` of a stream.
#[doc(hidden)]
pub struct StreamLoop<St, Y, S, E> {
    /// Structurally pinned.
    stream: St,
    /// Suspended at our own yield point, waiting for the driver's input.
    waiting: bool,
    types: Types<Y, S, E>,
}

impl<St, Y, S, E> StreamLoop<St, Y, S, E> {
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) fn new(stream: St) -> Self {
        StreamLoop {
            stream,
            waiting: false,
            types: Types::default(),
        }
    }
}

impl<St, Y, S, E> Future for StreamLoop<St, Y, S, E>
where
    St: futures_core::Stream<Item = Y>,
{
    type Output = Delegated<(), Thrown<E>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // SAFETY: `stream` is structurally pinned: `StreamLoop` has no
        // `Drop` impl, is not `repr(packed)`, is `Unpin` only when `St` is,
        // and never moves `stream`; `waiting` is a plain `bool`.
        let this = unsafe { self.get_unchecked_mut() };
        // SAFETY: see above.
        let stream = unsafe { Pin::new_unchecked(&mut this.stream) };
        if this.waiting {
            let Some(channel) = channel::<Y, S, E>(cx) else {
                return Poll::Pending;
            };
            if let Some(stop) = resume_sequence(channel) {
                return stop;
            }
            this.waiting = false;
        }
        match stream.poll_next(cx) {
            Poll::Ready(Some(y)) => {
                if let Some(channel) = channel::<Y, S, E>(cx) {
                    this.waiting = true;
                    channel.output = Output::Yielded(y);
                }
                Poll::Pending
            }
            Poll::Ready(None) => Poll::Ready(Delegated::Returned(())),
            // The stream waits; it registered the executor's waker.
            Poll::Pending => Poll::Pending,
        }
    }
}
