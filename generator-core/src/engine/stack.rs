//! Direct delegation: the driver resumes the innermost active flat
//! `yield_from!` itself, not through every level above it.
//!
//! A flat delegation (`yield_from!` of a fresh generator of the same types,
//! boxed or not) awaits the delegate's body inside the delegating body. Left
//! at that, every resume would poll each level in turn down to the innermost
//! one: a cost per item that grows with the depth (unless LLVM happens to
//! inline all the levels into one), and a recursion whose every level is a
//! stack frame of its own. Instead, each flat delegation is a *frame*: the
//! first time its future is polled it links itself on top of the driver's
//! stack of frames ([`Frames`]) and returns at once; from then on the driver
//! polls the top frame's body directly, with the same channel. When that
//! body completes, the frame keeps its return value, the driver pops it and
//! polls the level below, which finds the value waiting in the future it
//! awaits. A resume costs one indirect call whatever the depth, and the
//! stack never holds more than one level: a recursion a hundred thousand
//! levels deep runs in a debug build.
//!
//! The stack belongs to the outermost body of the resume: a body whose code
//! has `yield_from!` is a [`DelegatingBody`], which installs its stack in
//! the channel when the driver polls it (a delegating body polled as a frame
//! of another finds a stack installed and uses that one). Bodies without
//! `yield_from!` pay nothing, neither a word nor a check.
//!
//! A `next()` of a generator whose stack holds frames goes to the top frame
//! before anything else (`DelegatingBody::next_top`): the innermost
//! delegate is resumed without polling the outer body's code, and so are
//! the frames that come on top after it; the body's own code runs only when
//! the last frame completes. It calls each frame's `next` entry, which
//! takes the input by value and returns the output: the frame polls its
//! delegate under a channel of its own, a local that LLVM keeps in
//! registers when it inlines the delegate's poll. A send, a throw and a
//! close take the trampoline from the start, with the driver's channel.
//!
//! A close reaches the innermost body first, as in Python. When a body is
//! dropped with frames on its stack (a close, a drop, a panic out of a
//! delegate), it releases them innermost first — each frame drops its
//! delegate's body in place — before its own code's future is dropped, so
//! that dropping a deep recursion is a loop, not a recursion.
//!
//! The frames are linked through raw pointers into the pinned bodies. This
//! file holds the `unsafe` that follows them; `SAFETY.md` (invariant 6) has

use core::future::Future;
use core::pin::Pin;
use core::ptr::NonNull;
use core::task::{Context, Poll, Waker};

#[cfg(debug_assertions)]
use crate::engine::header::Header;
use crate::engine::header::{FrameNext, Frames, Installed};
use crate::engine::signal::{Input, Output};

impl<Y, S, E> Frames<Y, S, E> {
    /// Polls `body` — or the innermost frame linked above it — until one of
    /// them suspends for a reason the driver has to see (a yield, a
    /// rejected value, an abandon, a foreign future) or the body completes.
    /// A frame that links itself and a frame that completes both hand the
    /// turn back here, so the stack holds one level at a time. Without a
    /// stack (`None`) it polls `body` once.
    ///
    /// The body's `poll` has this one call site, whether there is a stack
    /// or not: LLVM inlines a body's poll into the consumer's loop only while
    /// it has a single caller (a second one, even dead, doubles its cost).
    ///
    /// # Safety
    ///
    /// `stack`, if given, must be the stack of `body` (installed in the
    /// channel of this resume) and the address of that channel, both valid
    /// and not otherwise accessed for the whole call but through the
    /// channel; every frame on the stack must have been linked by a future
    /// inside `body` (directly or inside an other frame's delegate body).
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) unsafe fn poll<F: Future>(
        stack: Option<Installed<Y, S, E>>,
        mut body: Pin<&mut F>,
        cx: &mut Context<'_>,
    ) -> Poll<F::Output> {
        // SAFETY: per the contract the stack is valid, and no reference to
        // it is alive: the frames only reach it through the pointer in the
        // channel, while we poll.
        let top = || stack.and_then(|(frames, _)| unsafe { (*frames.as_ptr()).top });
        loop {
            if let Some((frames, channel)) = stack {
                // SAFETY: per the contract.
                if unsafe { Self::run(frames, channel) }.is_pending() {
                    return Poll::Pending;
                }
            }
            match body.as_mut().poll(cx) {
                Poll::Ready(value) => return Poll::Ready(value),
                // The body started a delegation: run it next. It was polled
                // with an empty stack, so the new frame is alone on it.
                Poll::Pending if top().is_some() => {
                    // SAFETY: `top()` is on this stack (see `run`).
                    #[cfg(debug_assertions)]
                    unsafe {
                        Self::expect_linked_on(top(), None)
                    }
                }
                Poll::Pending => return Poll::Pending,
            }
        }
    }

    /// Resumes the top frame, and each frame that comes on top after it (the
    /// one below a frame that completed, one that a frame linked), until one
    /// of them suspends for the driver (`Pending`) or the stack is empty and
    /// the body's own code comes next (`Ready`).
    ///
    /// # Safety
    ///
    /// `frames` must be a stack installed in the channel at `channel`, both
    /// valid and not otherwise accessed for the whole call but through the
    /// channel; every frame on the stack must be linked, live and pinned
    /// (invariant 6).
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) unsafe fn run(frames: NonNull<Frames<Y, S, E>>, channel: NonNull<()>) -> Poll<()> {
        // SAFETY: per the contract; no reference to the stack is alive.
        while let Some(frame) = unsafe { (*frames.as_ptr()).top } {
            // SAFETY: `frame` is on this stack, so it is the header of a
            // linked, pinned, live frame (`Header::link`), and `resume` is its
            // own function; `channel` is the resume's, which nothing else
            // touches while the frame runs.
            let poll = unsafe { ((*frame.as_ptr()).resume)(frame, channel) };
            match poll {
                // Popped: the level below now finds the return value.
                // SAFETY: as for the loop's condition.
                Poll::Ready(below) => unsafe { (*frames.as_ptr()).top = below },
                // The frame's body started a delegation of its own.
                // SAFETY: as for the loop's condition.
                Poll::Pending if unsafe { (*frames.as_ptr()).top } != Some(frame) => {
                    // SAFETY: as for the loop's condition; the new top is on
                    // this stack.
                    #[cfg(debug_assertions)]
                    unsafe {
                        Self::expect_linked_on((*frames.as_ptr()).top, Some(frame))
                    }
                }
                Poll::Pending => return Poll::Pending,
            }
        }
        Poll::Ready(())
    }

    /// [`run`](Self::run) for a `next()`: each frame's `next` gets the
    /// input by value (the first one; the frames that come on top after it
    /// do not reach a yield before they leave an output) and returns what its
    /// delegate left, so that the whole resume can stay out of memory. Each
    /// polls its delegate under `executor`, the waker of an async resume
    /// (null for a synchronous one); a delegate that waits for a future of
    /// its own leaves `Empty` on top of the stack.
    /// `Some` with the output of the frame that suspended, or `None` when
    /// the stack is empty and the body's own code comes next.
    ///
    /// # Safety
    ///
    /// As for `run`, with no channel: `frames` must be valid and not
    /// otherwise accessed for the whole call but by the frames it calls.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) unsafe fn run_next(
        frames: NonNull<Frames<Y, S, E>>,
        input: S,
        executor: *const Waker,
    ) -> Option<Output<Y, S>> {
        let mut input = Some(input);
        // SAFETY: per the contract; no reference to the stack is alive.
        while let Some(frame) = unsafe { (*frames.as_ptr()).top } {
            // SAFETY: `frame` is on this stack, so it is the header of a
            // linked, pinned, live frame (`Header::link`), and `next` is its
            // own function; `frames` is its stack, which nothing else touches
            // while the frame runs.
            match unsafe { ((*frame.as_ptr()).next)(frame, frames, input.take(), executor) } {
                // A yield, almost always: tested first, on its own.
                FrameNext::Left(Output::Yielded(y)) => return Some(Output::Yielded(y)),
                // Popped: the level below now finds the return value.
                // SAFETY: as for the loop's condition.
                FrameNext::Popped => unsafe { (*frames.as_ptr()).top = (*frame.as_ptr()).below },
                // The frame's body started a delegation of its own.
                FrameNext::Left(Output::Empty)
                    // SAFETY: as for the loop's condition.
                    if unsafe { (*frames.as_ptr()).top } != Some(frame) =>
                {
                    // SAFETY: as for the loop's condition; the new top is on
                    // this stack.
                    #[cfg(debug_assertions)]
                    unsafe {
                        Self::expect_linked_on((*frames.as_ptr()).top, Some(frame))
                    }
                }
                FrameNext::Left(output) => return Some(output),
            }
        }
        None
    }

    /// A poll that linked a frame linked exactly one, on top of the frame
    /// it resumed (`below`; `None` for the body's own code, polled with an
    /// empty stack): anything else is a frame the resume did not expect,
    /// which no `yield_from!` made, and the process aborts before it is
    /// resumed. Checked only when a delegation begins, never per item.
    ///
    /// With debug assertions only, and out of line: it runs once per
    /// delegation, but its code in the trampoline's loops made LLVM stop
    /// inlining the resume into the consumer's loop (measured: an async
    /// `yield_from!` cost 132 instructions per item instead of 95 with fat
    /// LTO, and a recursive tree 15 more per leaf), while the safe API
    /// cannot link a frame that no `yield_from!` made.
    ///
    /// # Safety
    ///
    /// `top` is the stack's new top: a frame on it, so live and linked.
    #[cfg(debug_assertions)]
    #[inline(never)]
    unsafe fn expect_linked_on(
        top: Option<NonNull<Header<Y, S, E>>>,
        below: Option<NonNull<Header<Y, S, E>>>,
    ) {
        // SAFETY: per the contract, `top` is live (invariant 6), and
        // nothing else refers to it between the polls.
        if top.is_some_and(|top| unsafe { (*top.as_ptr()).below } != below) {
            crate::util::panics::abort_frame("a frame the resume did not link is on its stack")
        }
    }

    /// A resume begins with `input` for the innermost yield: a close
    /// reaches every frame on the stack (Python closes the innermost
    /// generator, then raises the close in each delegating one outward);
    /// any other value ends a close that is over (an async close whose
    /// `aclose` was dropped while its cleanup awaited, and whose cleanup then
    /// yielded again).
    ///
    /// # Safety
    ///
    /// As for `release_all`.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) unsafe fn begin(frames: NonNull<Frames<Y, S, E>>, input: &Option<Input<S, E>>) {
        // SAFETY: per the contract, the stack and every frame on it are
        // live, and nothing else refers to them during the call.
        unsafe {
            let closing = match input {
                Some(Input::Close) => true,
                Some(_) if (*frames.as_ptr()).closing => false,
                _ => return,
            };
            (*frames.as_ptr()).closing = closing;
            let mut frame = (*frames.as_ptr()).top;
            while let Some(header) = frame {
                (*header.as_ptr()).closing = closing;
                frame = (*header.as_ptr()).below;
            }
        }
    }

    /// Releases every linked frame, innermost first: each drops its
    /// delegate body in place. The driver then drops its own body, which no
    /// longer holds any live delegate.
    ///
    /// A destructor that panics does not stop it: the frames below are
    /// released while the panic unwinds, as the drop glue of nested bodies
    /// would go on dropping the rest (a second panic then aborts, as it does
    /// there).
    ///
    /// # Safety
    ///
    /// `frames` must be valid and not otherwise accessed for the call, and
    /// every frame on it live (the body holding them not yet dropped).
    pub(crate) unsafe fn release_all(frames: NonNull<Frames<Y, S, E>>) {
        /// Releases the rest when dropped, that is when a release unwinds.
        struct Rest<Y, S, E>(NonNull<Frames<Y, S, E>>);
        impl<Y, S, E> Drop for Rest<Y, S, E> {
            fn drop(&mut self) {
                // SAFETY: the contract of the `release_all` that made it,
                // which is unwinding: the frames left are live and linked.
                unsafe { Frames::release_all(self.0) }
            }
        }
        // SAFETY: per the contract.
        while let Some(frame) = unsafe { (*frames.as_ptr()).top } {
            // SAFETY: `frame` is on the stack, so it is a live linked frame,
            // and `release` is its own function; it is unlinked before it is
            // released.
            unsafe {
                let release = (*frame.as_ptr()).release;
                (*frames.as_ptr()).top = (*frame.as_ptr()).below;
                let rest = Rest(frames);
                release(frame);
                core::mem::forget(rest);
            }
        }
    }
}
