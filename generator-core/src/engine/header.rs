//! The type-erased head of a frame of direct delegation and the stack the
//! frames are linked on: what the driver knows of a flat `yield_from!`
//! without knowing its delegate's type (as a task's header does for a
//! scheduler). How the stack is run is in `stack.rs`; the frame itself,
//! with the functions this header points to, in `delegate/flat.rs`.

use core::ptr::NonNull;
use core::task::{Poll, Waker};

use crate::engine::signal::Output;
use crate::util::types::Types;

/// A frame's `resume`: see [`Header`].
///
/// It takes the address of the resume's channel (a `Channel<Y, S, E>` of
/// the frame's types, which every frame on a stack shares) instead of a
/// `Context`, and polls the delegate body under it itself
/// (`channel::poll_under`): LLVM then sees, inside the frame's function,
/// the waker the body's yields check, and their checks fold away.
pub(crate) type Resume<Y, S, E> =
    unsafe fn(NonNull<Header<Y, S, E>>, NonNull<()>) -> Poll<Option<NonNull<Header<Y, S, E>>>>;

/// A frame's `next`: see [`Header`]. The last argument is the executor's
/// waker of an async resume, null for a synchronous one.
pub(crate) type NextFn<Y, S, E> = unsafe fn(
    NonNull<Header<Y, S, E>>,
    NonNull<Frames<Y, S, E>>,
    Option<S>,
    *const Waker,
) -> FrameNext<Y, S>;

/// What a frame's `next` came to.
pub(crate) enum FrameNext<Y, S> {
    /// The delegate body suspended and left this, as it would have in the
    /// channel: `Empty` also when it linked a frame of its own, or when it
    /// waits for a future of its own (an async resume).
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
    pub(super) resume: Resume<Y, S, E>,
    /// What `resume` does for a `next()`, with the input by value (the send
    /// type's default, or `None` once a frame above took it) and the output
    /// returned: the delegate body is polled under a channel of its own, a
    /// local whose input LLVM sees, so that neither the input nor the output
    /// goes through memory.
    ///
    /// Safety: as for `resume`, with the stack the frame is on instead of a
    /// channel, valid for the call and reached by nothing else while it runs.
    pub(super) next: NextFn<Y, S, E>,
    /// Drops the delegate body in place.
    ///
    /// Safety: as for `resume`.
    pub(super) release: unsafe fn(NonNull<Header<Y, S, E>>),
    /// The frame that was on top when this one was linked.
    pub(super) below: Option<NonNull<Header<Y, S, E>>>,
    /// A close has reached this frame: it was linked when a resume with a
    /// close began (`Frames::begin`), so its delegate's completion during
    /// that resume (an async cleanup may take several polls) is the
    /// delegate's answer to the close. A frame linked during the cleanup
    /// was not reached by it. The next resume with a value clears it.
    pub(super) closing: bool,
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
pub(crate) type Installed<Y, S, E> = (NonNull<Frames<Y, S, E>>, NonNull<()>);

/// A stack of linked frames, innermost on top, and whether a close has
/// marked them: what a body that may delegate keeps beside its code's
/// future.
pub(crate) struct Frames<Y, S, E> {
    pub(super) top: Option<NonNull<Header<Y, S, E>>>,
    /// Some frame on the stack is marked `closing`.
    pub(super) closing: bool,
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

    /// Whether a `next()` can go straight to the top frame: a delegation
    /// runs, and no close is under way (an async one whose `aclose` was
    /// dropped), whose marks a poll settles first.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) fn runs_a_delegation(&self) -> bool {
        self.top.is_some() && !self.closing
    }
}
