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
//! A close reaches the innermost body first, as in Python. When a body is
//! dropped with frames on its stack (a close, a drop), the driver releases
//! them innermost first — each frame drops its delegate's body in place —
//! before it drops its own body, so that dropping a deep recursion is a loop,
//! not a recursion.
//!
//! The frames are linked through raw pointers into the pinned bodies. This
//! file holds the `unsafe` that follows them; `SAFETY.md` (invariant 6) has
//! the argument.

use core::ptr::NonNull;
use core::task::{Context, Poll};

/// What the driver knows of a frame: the start of a pinned flat
/// delegation future (`repr(C)`, this header first), with the two functions
/// monomorphized for its type.
/// A frame's `resume`: see [`Header`].
pub(crate) type Resume =
    unsafe fn(NonNull<Header>, &mut Context<'_>) -> Poll<Option<NonNull<Header>>>;

#[repr(C)]
pub(crate) struct Header {
    /// Polls the frame's delegate body once. `Ready` carries the frame
    /// below, which is the new top: the delegate has completed, and its
    /// return value waits in the frame for the body that awaits it.
    ///
    /// Safety: called only with this header's own address, while the frame
    /// is linked, by the driver whose stack it is on.
    resume: Resume,
    /// Drops the delegate body in place.
    ///
    /// Safety: as for `resume`.
    release: unsafe fn(NonNull<Header>),
    /// The frame that was on top when this one was linked.
    below: Option<NonNull<Header>>,
}

// SAFETY: `below` points to a frame in a body of the same generator (the
// body that awaits this frame's future is itself the delegate of the frame
// below, or the generator's own body), so it moves to another thread only
// together with that frame; and it is followed only by that generator's
// driver, through its `Pin<&mut Self>`. The function pointers are plain
// data. Whether the frame may go to another thread is decided, as it
// should be, by the auto traits of the future it heads.
unsafe impl Send for Header {}
// SAFETY: nothing reads or writes a header through a shared reference.
unsafe impl Sync for Header {}

impl Header {
    pub(crate) const fn new(resume: Resume, release: unsafe fn(NonNull<Header>)) -> Self {
        Header {
            resume,
            release,
            below: None,
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
    pub(crate) unsafe fn link(this: NonNull<Header>, frames: NonNull<Frames>) {
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

    /// The frame below this one, for a frame's `resume`.
    pub(crate) fn below(&self) -> Option<NonNull<Header>> {
        self.below
    }
}

/// A driver's stack of linked frames, innermost on top: the one word a
/// generator whose body may delegate keeps beside its body.
#[doc(hidden)]
pub struct Frames {
    top: Option<NonNull<Header>>,
}

// SAFETY: `Frames` only points into the body of the generator that owns it,
// and is only followed through that generator's `Pin<&mut Self>` (a resume,
// a close, a drop): it moves with the body and is shared with it, so sending
// or sharing the generator (whose auto traits come from its body) is what
// decides whether the pointed-to frames may be used from another thread.
// A `&Self` of a generator never follows it.
unsafe impl Send for Frames {}
// SAFETY: see above: nothing reads or writes it through a shared reference.
unsafe impl Sync for Frames {}

impl Frames {
    pub(crate) const fn new() -> Self {
        Frames { top: None }
    }

    /// Polls `body` — or the innermost frame linked above it — until one of
    /// them suspends for a reason the driver has to see (a yield, a
    /// rejected value, an abandon, a foreign future) or the body completes.
    /// A frame that links itself and a frame that completes both hand the
    /// turn back here, so the stack holds one level at a time.
    ///
    /// # Safety
    ///
    /// `frames` must be the stack of the driver that owns `body`, valid and
    /// not otherwise accessed for the whole call; every frame on it must
    /// have been linked by a future inside `body` (directly or inside an
    /// other frame's delegate body) while polled under this driver.
    #[inline(always)]
    pub(crate) unsafe fn poll<F: core::future::Future>(
        frames: NonNull<Frames>,
        mut body: core::pin::Pin<&mut F>,
        cx: &mut Context<'_>,
    ) -> Poll<F::Output> {
        loop {
            // SAFETY: per the contract `frames` is valid, and no reference
            // to it is alive: the frames only reach it through this same
            // pointer, handed to them in the channel, while we poll.
            let top = unsafe { (*frames.as_ptr()).top };
            match top {
                None => match body.as_mut().poll(cx) {
                    Poll::Ready(value) => return Poll::Ready(value),
                    Poll::Pending => {
                        // SAFETY: as above.
                        if unsafe { (*frames.as_ptr()).top }.is_none() {
                            return Poll::Pending;
                        }
                        // The body started a delegation: poll it next.
                    }
                },
                Some(frame) => {
                    // SAFETY: `frame` is on this driver's stack, so it is the
                    // header of a linked, pinned, live frame inside `body`
                    // (`Header::link`), and `resume` is its own function.
                    let resume = unsafe { (*frame.as_ptr()).resume };
                    // SAFETY: as above.
                    match unsafe { resume(frame, cx) } {
                        // Popped: the level below now finds the return value.
                        Poll::Ready(below) => {
                            // SAFETY: as above.
                            unsafe { (*frames.as_ptr()).top = below };
                        }
                        Poll::Pending => {
                            // SAFETY: as above.
                            if unsafe { (*frames.as_ptr()).top } == Some(frame) {
                                return Poll::Pending;
                            }
                            // The frame's body started a delegation of its own.
                        }
                    }
                }
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
    pub(crate) unsafe fn release_all(frames: NonNull<Frames>) {
        /// Releases the rest when dropped, that is when a release unwinds.
        struct Rest(NonNull<Frames>);
        impl Drop for Rest {
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

/// Where a driver keeps its frames: a [`Frames`] stack for a body that may
/// delegate, nothing for one that cannot (a `#[generator]` body without
/// `yield_from!` or `yield_catch!`), which then pays neither the word nor
/// the check. Both are `Send`, `Sync`, `Unpin` and unwind-safe, so that a
/// generator's auto traits stay those of its body, also where the body's
/// type is opaque (`impl Body`).
#[doc(hidden)]
pub trait FrameSlot:
    sealed::Sealed + Send + Sync + Unpin + core::panic::UnwindSafe + core::panic::RefUnwindSafe
{
    /// The stack, or `None` when this slot has none.
    #[doc(hidden)]
    fn stack(&mut self) -> Option<NonNull<Frames>>;
    #[doc(hidden)]
    fn empty() -> Self;
}

mod sealed {
    pub trait Sealed {}
}

/// The slot of a body that cannot delegate.
#[doc(hidden)]
pub struct NoFrames;

impl sealed::Sealed for NoFrames {}
impl sealed::Sealed for Frames {}

impl FrameSlot for NoFrames {
    #[inline(always)]
    fn stack(&mut self) -> Option<NonNull<Frames>> {
        None
    }
    #[inline(always)]
    fn empty() -> Self {
        NoFrames
    }
}

impl FrameSlot for Frames {
    #[inline(always)]
    fn stack(&mut self) -> Option<NonNull<Frames>> {
        Some(NonNull::from(self))
    }
    #[inline(always)]
    fn empty() -> Self {
        Frames::new()
    }
}
