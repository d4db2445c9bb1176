//! A flat `yield_from!`: the frame of direct delegation that a fresh
//! generator of the delegating one's types runs in.

use core::convert::Infallible;
use core::future::Future;
use core::marker::PhantomPinned;
use core::pin::Pin;
use core::ptr::NonNull;
use core::task::{Context, Poll, Waker};

use crate::delegate::outcome::{Delegated, Same};
use crate::engine::channel::{Channel, channel};
use crate::engine::header::{FrameNext, Frames, Header};
use crate::engine::signal::{Input, Output};
use crate::util::some::some_unchecked;
use crate::util::types::Types;

/// The future of a flat `yield_from!`: a frame of direct delegation (see
/// `engine/stack.rs`). Its first poll links it on the driver's stack and returns;
/// the driver then polls the delegate's body itself, with the same channel,
/// until it completes; the next poll, from the delegating body, takes the
/// return value.
#[doc(hidden)]
#[repr(C)]
pub struct Flat<F: Future, Y, S, E> {
    /// First: the driver's link points at it, and finds the rest from it.
    header: Header<Y, S, E>,
    at: FlatAt,
    /// The delegate's return value, from its completion until the
    /// delegating body takes it.
    returned: Option<F::Output>,
    /// Structurally pinned; `None` once released (dropped in place).
    body: Option<F>,
    /// The driver holds the frame's address while it is linked.
    pinned: PhantomPinned,
    types: Types<Y, S, E>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum FlatAt {
    /// Not polled yet.
    Fresh,
    /// On the driver's stack: the driver polls the delegate body.
    Linked,
    /// The delegate completed; its value waits in `returned`.
    Done,
    /// A close left the delegate, which was dropped.
    Abandoned,
    /// Released by the driver, or its value taken.
    Over,
}

impl<F: Future, Y, S, E> Flat<F, Y, S, E> {
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) fn new(body: F) -> Self {
        Flat {
            header: Header::new(Self::resume_frame, Self::next_frame, Self::release_frame),
            at: FlatAt::Fresh,
            returned: None,
            body: Some(body),
            pinned: PhantomPinned,
            types: Types::default(),
        }
    }

    /// The frame's `resume` (see [`Header`]): polls the delegate's body
    /// under the resume's channel.
    ///
    /// # Safety
    ///
    /// `frame` is the header of a linked `Flat<F, Y, S, E>` (the driver
    /// calls it only through the header this type filled in), pinned and
    /// alive, which nothing else refers to during the call; `channel` is the
    /// address of the `Channel<Y, S, E>` of the resume in progress, as
    /// `channel::poll_under` requires it.
    unsafe fn resume_frame(
        frame: NonNull<Header<Y, S, E>>,
        channel: NonNull<()>,
    ) -> Poll<Option<NonNull<Header<Y, S, E>>>> {
        // SAFETY: per the contract; the header is the first field of a
        // `repr(C)` `Flat<F, Y, S, E>`, and the pointer was made from a
        // pointer to the whole `Flat` (`Flat::poll`).
        let this = unsafe { frame.cast::<Self>().as_mut() };
        let channel = channel.cast::<Channel<Y, S, E>>();
        // SAFETY: `this` is linked (per the contract), and pinned: it is
        // only linked from `Flat::poll`, through `Pin<&mut Self>`.
        let live = unsafe { this.linked_body() };
        // SAFETY: per the contract (every frame on a stack has the types of
        // the generator whose channel it is: flat delegation requires them).
        match unsafe { crate::engine::channel::poll_under(live, channel) } {
            // SAFETY: `this` is a linked frame, pinned (see above).
            Poll::Ready(value) => Poll::Ready(unsafe { this.completed(value) }),
            // SAFETY: the poll is over, so nothing else reaches the channel
            // (its driver waits for us to return).
            Poll::Pending => match unsafe { &mut (*channel.as_ptr()).output } {
                output @ Output::Abandoned => {
                    *output = Output::Empty;
                    // SAFETY: as for `completed` above.
                    Poll::Ready(unsafe { this.abandoned() })
                }
                _ => Poll::Pending,
            },
        }
    }

    /// The frame's `next` (see [`Header`]): polls the delegate's body under
    /// a channel of its own that holds `input` for a `next()`, and returns
    /// what the body left in it.
    ///
    /// # Safety
    ///
    /// As for `resume_frame`, with `frames` the stack the frame is on
    /// instead of a channel, valid for the call and reached by nothing else
    /// while it runs, and `executor` null or the executor's waker of the
    /// async resume in progress, alive for the call.
    unsafe fn next_frame(
        frame: NonNull<Header<Y, S, E>>,
        frames: NonNull<Frames<Y, S, E>>,
        input: Option<S>,
        executor: *const Waker,
    ) -> FrameNext<Y, S> {
        // SAFETY: as in `resume_frame`.
        let this = unsafe { frame.cast::<Self>().as_mut() };
        // SAFETY: `this` is linked (per the contract) and pinned (see
        // `resume_frame`).
        let live = unsafe { this.linked_body() };
        // The stack goes in the channel for the frames the body links.
        let mut channel = Channel::<Y, S, E>::new(executor, input.map(Input::Next));
        channel.frames = Some(frames);
        // SAFETY: `channel` is a local of this call, of the frame's types,
        // which this function does not touch while the body runs; the stack
        // it carries is valid for the call, per the contract.
        match unsafe { crate::engine::channel::poll_under(live, NonNull::from(&mut channel)) } {
            Poll::Ready(value) => {
                // SAFETY: `this` is a linked frame, pinned (see above).
                unsafe { this.completed(value) };
                FrameNext::Popped
            }
            Poll::Pending => match channel.output {
                // A close cannot come with a `next()`; handled as in
                // `resume_frame` all the same.
                Output::Abandoned => {
                    // SAFETY: as for `completed` above.
                    unsafe { this.abandoned() };
                    FrameNext::Popped
                }
                output => FrameNext::Left(output),
            },
        }
    }

    /// The delegate's body of a linked frame, without a test (measured: the
    /// test cost 2 instructions per delegated item, 10 per leaf of a
    /// recursive walk).
    ///
    /// # Safety
    ///
    /// `self` is pinned and linked: a linked frame has its delegate's body,
    /// which is dropped only where the frame leaves the stack (`completed`,
    /// `abandoned`, `release_frame`), and the driver resumes only the frames
    /// on its stack.
    #[cfg_attr(not(debug_assertions), inline(always))]
    unsafe fn linked_body(&mut self) -> Pin<&mut F> {
        // SAFETY: `body` is structurally pinned: the frame is pinned (per
        // the contract), its `Drop` impl (debug builds) moves nothing, it is
        // not `repr(packed)`, is `!Unpin`, and drops `body` only in place.
        let body = unsafe { Pin::new_unchecked(&mut self.body) };
        // SAFETY: per the contract, a linked frame has its body.
        unsafe { some_unchecked(body) }
    }

    /// The delegate completed with `value`: it is dropped in place, and its
    /// value waits for the delegating body. The frame below is the new top.
    ///
    /// # Safety
    ///
    /// `self` is pinned: a linked frame, reached from its header.
    #[cfg_attr(not(debug_assertions), inline(always))]
    unsafe fn completed(&mut self, value: F::Output) -> Option<NonNull<Header<Y, S, E>>> {
        // SAFETY: `body` is structurally pinned (see `resume_frame`) and
        // `self` is pinned, per the contract: it is dropped in place.
        unsafe { Pin::new_unchecked(&mut self.body) }.set(None);
        self.returned = Some(value);
        self.at = FlatAt::Done;
        self.header.below()
    }

    /// A close reached a yield of the delegate that does not catch it: the
    /// close leaves the delegate, which is dropped in place, and is raised in
    /// the delegating body at its `yield_from!` (Python's `GeneratorExit` out
    /// of the `yield from`), which the driver polls next.
    ///
    /// # Safety
    ///
    /// As for `completed`.
    #[cfg_attr(not(debug_assertions), inline(always))]
    unsafe fn abandoned(&mut self) -> Option<NonNull<Header<Y, S, E>>> {
        self.at = FlatAt::Abandoned;
        // SAFETY: as in `completed`: dropped in place.
        unsafe { Pin::new_unchecked(&mut self.body) }.set(None);
        self.header.below()
    }

    /// The frame's `release` (see [`Header`]): drops the delegate's body in
    /// place.
    ///
    /// # Safety
    ///
    /// As for `resume_frame`.
    unsafe fn release_frame(frame: NonNull<Header<Y, S, E>>) {
        // SAFETY: as in `resume_frame`.
        let this = unsafe { frame.cast::<Self>().as_mut() };
        this.at = FlatAt::Over;
        // SAFETY: as in `resume_frame`: dropped in place.
        unsafe { Pin::new_unchecked(&mut this.body) }.set(None);
    }
}

/// A linked frame is on its driver's stack, which will resume it: it must
/// be released or completed before it goes. The crate's drivers always do
/// (a body with frames releases them before its code's future is dropped),
/// so this only catches a frame polled where no `yield_from!` put it, which
/// only the hidden `unsafe` constructors allow; it aborts rather than leave
/// the stack a dangling pointer. Moves nothing: `body` stays pinned.
///
/// With debug assertions only: the mere presence of a `Drop` impl changes
/// how LLVM lays out a delegating body's poll, and measured it cost an
/// async `yield_from!` 13 more instructions per item with fat LTO (95 →
/// 108), and 3 in the default profile, while the safe API cannot get here.
#[cfg(debug_assertions)]
impl<F: Future, Y, S, E> Drop for Flat<F, Y, S, E> {
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn drop(&mut self) {
        if self.at == FlatAt::Linked {
            crate::util::panics::abort_frame("a linked delegation was dropped")
        }
    }
}

impl<F, Y, S, E> Future for Flat<F, Y, S, E>
where
    F: Future,
{
    /// Never raises: a thrown error reaches the delegate, and what the
    /// delegate makes of it comes back inside its return value.
    type Output = Delegated<F::Output, Infallible>;

    #[cfg_attr(not(debug_assertions), inline(always))]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // SAFETY: the fields are not moved out of `this` (see
        // `resume_frame` for `body`; the others are not pinned).
        let this = unsafe { self.get_unchecked_mut() };
        let Some(current) = channel::<Y, S, E>(cx) else {
            return Poll::Pending;
        };
        match this.at {
            FlatAt::Fresh => {
                let Some(frames) = current.frames else {
                    crate::util::panics::invariant("a body that delegates has a stack of frames")
                };
                this.at = FlatAt::Linked;
                let frame = NonNull::from(&mut *this).cast::<Header<Y, S, E>>();
                // SAFETY: `this` is pinned (we are in its `poll`), so it stays
                // where it is until dropped, and it is dropped only with the
                // body that awaits it, which the driver does after releasing
                // its frames (`drop_body`), or after this frame has completed
                // and been popped; the header is its first field (`repr(C)`).
                // `frames` comes from the channel of the driver polling us.
                unsafe { Header::link(frame, frames) };
                Poll::Pending
            }
            FlatAt::Done => {
                this.at = FlatAt::Over;
                let Some(value) = this.returned.take() else {
                    crate::util::panics::invariant("a completed frame holds its return value")
                };
                if this.header.closing() {
                    // The delegate caught the close and returned: Python then
                    // raises `GeneratorExit` in the delegating body at the
                    // `yield from` (unless the handler failed), which
                    // `yield_from_catch!` catches and `yield_from!` does not.
                    return Poll::Ready(Delegated::ClosedWith(Same(value)));
                }
                Poll::Ready(Delegated::Returned(value))
            }
            FlatAt::Abandoned => {
                this.at = FlatAt::Over;
                Poll::Ready(Delegated::Closed)
            }
            // The driver polls a linked frame's body itself; the delegating
            // body is not polled meanwhile.
            FlatAt::Linked | FlatAt::Over => {
                current.output = Output::Missing;
                Poll::Pending
            }
        }
    }
}
