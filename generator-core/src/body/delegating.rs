//! The body of a generator whose code has `yield_from!`: its `async` block
//! and the stack of direct delegations it runs while it is the outermost
//! body of a resume (see `engine/stack.rs` for how the stack runs).

use core::future::Future;
use core::marker::PhantomPinned;
use core::pin::Pin;
use core::ptr::NonNull;
use core::task::{Context, Poll};

use crate::body::{Body, Top, sealed};
use crate::engine::channel::{Channel, channel_ptr};
use crate::engine::header::Frames;
use crate::engine::signal::Input;
use crate::util::types::Types;

/// The body of a generator whose code has `yield_from!`: the function's
/// `async` block, and the stack of direct delegations it runs while it is
/// the outermost body of a resume (see the module's documentation).
#[doc(hidden)]
pub struct DelegatingBody<F, Y, S, E> {
    /// Structurally pinned. `None` once dropped on the way out of a panic.
    future: Option<F>,
    frames: Frames<Y, S, E>,
    /// The frames on the stack point into `future`, and the channel to
    /// `frames`.
    _pinned: PhantomPinned,
    types: Types<Y, S, E>,
}

impl<F, Y, S, E> DelegatingBody<F, Y, S, E> {
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) fn new(future: F) -> Self {
        DelegatingBody {
            future: Some(future),
            frames: Frames::new(),
            _pinned: PhantomPinned,
            types: Types::default(),
        }
    }
}

impl<F: Future, Y, S, E> Future for DelegatingBody<F, Y, S, E> {
    type Output = F::Output;

    #[cfg_attr(not(debug_assertions), inline(always))]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        // SAFETY: `future` is structurally pinned: this type is `!Unpin`, not
        // `repr(packed)`, its `Drop` impl treats it as pinned, and `future`
        // is only polled and dropped in place. `frames` is not pinned.
        let this = unsafe { self.get_unchecked_mut() };
        let future: *mut Option<F> = &mut this.future;
        // The outermost delegating body of the resume installs its stack; a
        // delegating body resumed as a frame of another finds one installed.
        let stack = match channel_ptr::<Y, S, E>(cx) {
            // SAFETY: the channel of the resume polling us (`channel_ptr`),
            // which its driver does not touch while we run; no reference to
            // it is alive here.
            Some(channel) if unsafe { (*channel.as_ptr()).frames.is_none() } => {
                let frames = NonNull::from(&mut this.frames);
                // SAFETY: as above; and the body's own stack, whose frames
                // are live inside `future`, which no other reference reaches
                // while the body is not being polled.
                unsafe {
                    (*channel.as_ptr()).frames = Some(frames);
                    Frames::begin(frames, &(*channel.as_ptr()).input);
                }
                Some((frames, channel.cast::<()>()))
            }
            _ => None,
        };
        // SAFETY: `future` points to the pinned field (see above), and
        // this is the only reference made from it while the poll runs.
        let Some(live) = unsafe { Pin::new_unchecked(&mut *future) }.as_pin_mut() else {
            crate::util::panics::invariant("a body is not polled after it panicked")
        };
        let Some((frames, _)) = stack else {
            // SAFETY: no stack: `Frames::poll` polls `live` once.
            return unsafe { Frames::<Y, S, E>::poll(None, live, cx) };
        };
        let unwinding = DropOnUnwind {
            future,
            stack: frames,
        };
        // SAFETY: the stack is this body's, installed in this resume's
        // channel (the only other way to it while we poll), whose address
        // comes with it, and its frames were all linked by futures inside
        // `future`.
        let poll = unsafe { Frames::poll(stack, live, cx) };
        core::mem::forget(unwinding);
        poll
    }
}

impl<F: Future, Y, S, E> DelegatingBody<F, Y, S, E> {
    /// `next()` straight to the innermost frame: what `poll` would do when
    /// it runs the frames (the top one, then the one below if it completes,
    /// or the one it links), without polling through this body's own code
    /// first, and through each frame's `next` (`Frames::run_next`): the
    /// input goes to the top frame by value and the output comes back by
    /// value, so that the driver's channel stays out of memory. Only when the
    /// stack is empty does the resume go on through `poll`. Only a `next()`:
    /// a close must mark the frames first (`Frames::begin`), and a send or a
    /// throw goes through `poll`, which costs them a few more instructions.
    /// The driver's channel carries the input in and the output out; the
    /// frames never see it.
    ///
    /// # Safety
    ///
    /// `channel` must point to a live channel of a `next()` of this body's
    /// generator, made by its driver, valid for the whole call and reached by
    /// nothing else while it runs.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) unsafe fn next_top(self: Pin<&mut Self>, channel: NonNull<Channel<Y, S, E>>) -> Top {
        // SAFETY: as in `poll`: `future` is structurally pinned and only
        // reached through the raw pointer below; `frames` is not pinned.
        let this = unsafe { self.get_unchecked_mut() };
        if !this.frames.runs_a_delegation() {
            // No delegation runs, or a close is under way (an async one whose
            // `aclose` was dropped): `poll` settles the marks first.
            return Top::NoFrame;
        }
        // SAFETY: the channel is the driver's local for this `next()` (per
        // the contract), reached by nothing else during the call.
        let channel = unsafe { &mut *channel.as_ptr() };
        let Some(Input::Next(input)) = channel.input.take() else {
            crate::util::panics::invariant("a next() resumes the top frame with the default value")
        };
        let frames = NonNull::from(&mut this.frames);
        let unwinding = DropOnUnwind {
            future: &mut this.future,
            stack: frames,
        };
        // SAFETY: the stack is this body's, reached only through `frames`
        // while the frames run (they link themselves on it through the
        // channels their `next` makes), and every frame on it was linked by
        // a future inside `future` (invariant 6).
        let left = unsafe { Frames::run_next(frames, input, channel.executor()) };
        core::mem::forget(unwinding);
        match left {
            Some(output) => {
                channel.output = output;
                Top::Suspended
            }
            None => Top::Continue,
        }
    }
}

/// Drops a body's future, its delegates first, when a panic unwinds out of
/// a delegate the driver resumed directly: the panic did not pass through
/// the levels above it, whose locals are then dropped here, innermost first,
/// as if it had.
struct DropOnUnwind<F, Y, S, E> {
    future: *mut Option<F>,
    stack: NonNull<Frames<Y, S, E>>,
}

impl<F, Y, S, E> Drop for DropOnUnwind<F, Y, S, E> {
    fn drop(&mut self) {
        /// Drops the future even if a delegate's destructor panics.
        struct Last<F>(*mut Option<F>);
        impl<F> Drop for Last<F> {
            fn drop(&mut self) {
                // SAFETY: the pinned `future` field of the body being polled
                // (see `DelegatingBody::poll`), dropped in place.
                unsafe { Pin::new_unchecked(&mut *self.0) }.set(None);
            }
        }
        let _last = Last(self.future);
        // SAFETY: the body's own stack, whose frames live inside `future`,
        // which `_last` drops after them.
        unsafe { Frames::release_all(self.stack) };
    }
}

impl<F, Y, S, E> Drop for DelegatingBody<F, Y, S, E> {
    /// Releases the frames on the stack, innermost first, before the
    /// future's own locals are dropped (by the drop glue, right after).
    fn drop(&mut self) {
        // SAFETY: the stack's frames live inside `future`, not dropped yet;
        // they were linked while this body was pinned, as it still is.
        unsafe { Frames::release_all(NonNull::from(&mut self.frames)) };
    }
}

impl<F, Y, S, E> sealed::Sealed for DelegatingBody<F, Y, S, E> {}

/// A body with `yield_from!`: a delegate may catch a close.
impl<F: Future, Y, S, E> Body for DelegatingBody<F, Y, S, E> {
    const CLOSE_RESUMES: bool = true;
    const DELEGATES: bool = true;

    #[cfg_attr(not(debug_assertions), inline(always))]
    unsafe fn resume_top(self: Pin<&mut Self>, channel: core::ptr::NonNull<()>) -> Top {
        // SAFETY: the contract of `resume_top`, which is that of
        // `DelegatingBody::next_top` with the types made explicit.
        unsafe { self.next_top(channel.cast()) }
    }
}
