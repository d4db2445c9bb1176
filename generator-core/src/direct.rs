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
//! the argument.

use core::future::Future;
use core::marker::PhantomPinned;
use core::pin::Pin;
use core::ptr::NonNull;
use core::task::{Context, Poll};

use crate::channel::{Channel, Input, Output, channel_ptr};
use crate::co::Types;

/// A frame's `resume`: see [`Header`].
///
/// It takes the address of the resume's channel (a `Channel<Y, S, E>` of
/// the frame's types, which every frame on a stack shares) instead of a
/// `Context`, and polls the delegate body under it itself
/// (`channel::poll_under`): LLVM then sees, inside the frame's function,
/// the waker the body's yields check, and their checks fold away.
pub(crate) type Resume<Y, S, E> =
    unsafe fn(NonNull<Header<Y, S, E>>, NonNull<()>) -> Poll<Option<NonNull<Header<Y, S, E>>>>;

/// A frame's `next`: see [`Header`].
pub(crate) type NextFn<Y, S, E> =
    unsafe fn(NonNull<Header<Y, S, E>>, NonNull<Frames<Y, S, E>>, Option<S>) -> FrameNext<Y, S>;

/// What a frame's `next` came to.
pub(crate) enum FrameNext<Y, S> {
    /// The delegate body suspended and left this, as it would have in the
    /// channel: `Empty` also when it linked a frame of its own.
    Left(Output<Y, S>),
    /// The delegate completed (or a close left it): the frame below is the
    /// new top. (The frame below is read from the header, not returned with
    /// this: a pointer beside the output would make the whole be returned
    /// through memory.)
    Popped,
}

/// What the trampoline knows of a frame: the start of a pinned flat
/// delegation future (`repr(C)`, this header first), with the functions
/// monomorphized for its type. Every frame on a stack has the types of the
/// generator that owns the stack (flat delegation requires them), and so
/// does its header.
#[repr(C)]
pub(crate) struct Header<Y, S, E> {
    /// Polls the frame's delegate body once. `Ready` carries the frame
    /// below, which is the new top: the delegate has completed, and its
    /// return value waits in the frame for the body that awaits it.
    ///
    /// Safety: called only with this header's own address, while the frame
    /// is linked, by the driver whose stack it is on, and with the address
    /// of the channel of the resume in progress, as `channel::poll_under`
    /// requires it.
    resume: Resume<Y, S, E>,
    /// What `resume` does for a `next()`, with the input by value (the send
    /// type's default, or `None` once a frame above took it) and the output
    /// returned: the delegate body is polled under a channel of its own, a
    /// local whose input LLVM sees, so that neither the input nor the output
    /// goes through memory.
    ///
    /// Safety: as for `resume`, with the stack the frame is on instead of a
    /// channel, valid for the call and reached by nothing else while it runs.
    next: NextFn<Y, S, E>,
    /// Drops the delegate body in place.
    ///
    /// Safety: as for `resume`.
    release: unsafe fn(NonNull<Header<Y, S, E>>),
    /// The frame that was on top when this one was linked.
    below: Option<NonNull<Header<Y, S, E>>>,
    /// A close has reached this frame: it was linked when a resume with a
    /// close began (`Frames::begin`), so its delegate's completion during
    /// that resume (an async cleanup may take several polls) is the
    /// delegate's answer to the close. A frame linked during the cleanup
    /// was not reached by it. The next resume with a value clears it.
    closing: bool,
    types: Types<Y, S, E>,
}

// SAFETY: `below` points to a frame in a body of the same generator (the
// body that awaits this frame's future is itself the delegate of the frame
// below, or the generator's own body), so it moves to another thread only
// together with that frame; and it is followed only by the trampoline of
// that generator's outermost body, polled through `Pin<&mut Self>`. The function pointers are plain
// data. Whether the frame may go to another thread is decided, as it
// should be, by the auto traits of the future it heads.
unsafe impl<Y, S, E> Send for Header<Y, S, E> {}
// SAFETY: nothing reads or writes a header through a shared reference.
unsafe impl<Y, S, E> Sync for Header<Y, S, E> {}

impl<Y, S, E> Header<Y, S, E> {
    pub(crate) const fn new(
        resume: Resume<Y, S, E>,
        next: NextFn<Y, S, E>,
        release: unsafe fn(NonNull<Header<Y, S, E>>),
    ) -> Self {
        Header {
            resume,
            next,
            release,
            below: None,
            closing: false,
            types: core::marker::PhantomData,
        }
    }

    /// Links the frame this header starts on top of `frames`.
    ///
    /// # Safety
    ///
    /// `this` must point to the header of a pinned frame that stays where it
    /// is, alive and unmoved, until the driver owning `frames` pops or
    /// releases it; and `frames` must be that driver's stack, reached through
    /// the channel of the resume that is polling the frame's future.
    pub(crate) unsafe fn link(this: NonNull<Header<Y, S, E>>, frames: NonNull<Frames<Y, S, E>>) {
        // SAFETY: per the contract both pointers are valid for the call: the
        // header is part of the frame being polled (nothing else refers to
        // it while its own `poll` runs), and `frames` is the driver's stack,
        // which the driver does not touch while the body is being polled.
        unsafe {
            let frames = &mut *frames.as_ptr();
            (*this.as_ptr()).below = frames.top;
            frames.top = Some(this);
        }
    }

    /// Whether a close has reached this frame (see the field).
    pub(crate) fn closing(&self) -> bool {
        self.closing
    }

    /// The frame below this one, for a frame's `resume`.
    pub(crate) fn below(&self) -> Option<NonNull<Header<Y, S, E>>> {
        self.below
    }
}

/// A stack installed in a resume's channel, and the channel's address.
type Installed<Y, S, E> = (NonNull<Frames<Y, S, E>>, NonNull<()>);

/// A stack of linked frames, innermost on top, and whether a close has
/// marked them: what a body that may delegate keeps beside its code's
/// future.
pub(crate) struct Frames<Y, S, E> {
    top: Option<NonNull<Header<Y, S, E>>>,
    /// Some frame on the stack is marked `closing`.
    closing: bool,
}

// SAFETY: `Frames` only points into the future of the body that holds it,
// and is only followed through that body's `Pin<&mut Self>` (its poll, its
// drop): it moves with that future, so whether the pointed-to frames may be
// used from another thread is decided by the future's own auto traits,
// which are the body's. Nothing follows it through a shared reference.
unsafe impl<Y, S, E> Send for Frames<Y, S, E> {}
// SAFETY: see above.
unsafe impl<Y, S, E> Sync for Frames<Y, S, E> {}

impl<Y, S, E> Frames<Y, S, E> {
    pub(crate) const fn new() -> Self {
        Frames {
            top: None,
            closing: false,
        }
    }

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
    #[inline(always)]
    unsafe fn poll<F: Future>(
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
    #[inline(always)]
    unsafe fn run(frames: NonNull<Frames<Y, S, E>>, channel: NonNull<()>) -> Poll<()> {
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
    /// delegate left, so that the whole resume can stay out of memory.
    /// `Some` with the output of the frame that suspended, or `None` when
    /// the stack is empty and the body's own code comes next.
    ///
    /// # Safety
    ///
    /// As for `run`, with no channel: `frames` must be valid and not
    /// otherwise accessed for the whole call but by the frames it calls.
    #[inline(always)]
    unsafe fn run_next(frames: NonNull<Frames<Y, S, E>>, input: S) -> Option<Output<Y, S>> {
        let mut input = Some(input);
        // SAFETY: per the contract; no reference to the stack is alive.
        while let Some(frame) = unsafe { (*frames.as_ptr()).top } {
            // SAFETY: `frame` is on this stack, so it is the header of a
            // linked, pinned, live frame (`Header::link`), and `next` is its
            // own function; `frames` is its stack, which nothing else touches
            // while the frame runs.
            match unsafe { ((*frame.as_ptr()).next)(frame, frames, input.take()) } {
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
            crate::panics::abort_frame("a frame the resume did not link is on its stack")
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
    #[inline(always)]
    unsafe fn begin(frames: NonNull<Frames<Y, S, E>>, input: &Option<Input<S, E>>) {
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
    #[inline(always)]
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

    #[inline(always)]
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
            crate::panics::invariant("a body is not polled after it panicked")
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

/// What [`DelegatingBody::next_top`] did.
#[doc(hidden)]
#[derive(Debug)]
pub enum Top {
    /// No frame is running: nothing happened; the driver resumes the body.
    NoFrame,
    /// A frame suspended: what it left is in the channel.
    Suspended,
    /// The frames ran until none was left (the last one completed): the
    /// resume goes on in the body's own code, through `poll`, without an
    /// input (a frame took it).
    Continue,
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
    #[inline(always)]
    pub(crate) unsafe fn next_top(self: Pin<&mut Self>, channel: NonNull<Channel<Y, S, E>>) -> Top {
        // SAFETY: as in `poll`: `future` is structurally pinned and only
        // reached through the raw pointer below; `frames` is not pinned.
        let this = unsafe { self.get_unchecked_mut() };
        if this.frames.top.is_none() || this.frames.closing {
            // No delegation runs, or a close is under way (an async one whose
            // `aclose` was dropped): `poll` settles the marks first.
            return Top::NoFrame;
        }
        // SAFETY: the channel is the driver's local for this `next()` (per
        // the contract), reached by nothing else during the call.
        let channel = unsafe { &mut *channel.as_ptr() };
        let Some(Input::Next(input)) = channel.input.take() else {
            crate::panics::invariant("a next() resumes the top frame with the default value")
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
        let left = unsafe { Frames::run_next(frames, input) };
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
