//! The value channel between a driver and the `yield_!` points of a body.
//!
//! The body of a generator is an `async` block that rustc turns into a state
//! machine; a yield is a future that returns `Pending` once. The values that
//! cross a yield (the yielded value out, the sent value, thrown error or
//! close in) travel through a [`Channel`] that lives in the *driver's stack
//! frame for one resume*. The driver hands its address to the body as the
//! data pointer of the `Waker` inside the `Context` passed to `poll`; a yield
//! reaches it through `cx.waker().data()` after checking that the waker's
//! vtable is [`CHANNEL_VTABLE`]. Nothing is stored behind a pointer inside the
//! generator and nothing is thread-local, so after inlining LLVM sees the
//! whole handoff as stores and loads of one stack slot.
//!
//! This file holds two of the crate's `unsafe` blocks; `SAFETY.md` at the
//! repository root lists every one with its invariant and its tests.

use core::future::Future;
use core::pin::Pin;
use core::ptr::{self, NonNull};
use core::task::{Context, Poll, RawWaker, RawWakerVTable, Waker};

use crate::engine::header::Frames;
use crate::engine::signal::{Input, Output, Step, suspended};

/// The slot in the driver's frame.
///
/// `repr(C)` with the executor's waker first: the async vtable's functions
/// are not generic, so they find it at offset 0 whatever `Y`, `S`, `E` are.
#[repr(C)]
pub(crate) struct Channel<Y, S, E> {
    /// The executor's waker, for an async generator's resume; null for a
    /// synchronous one.
    executor: *const Waker,
    pub(crate) input: Option<Input<S, E>>,
    pub(crate) output: Output<Y, S>,
    /// The stack of direct delegations where a flat `yield_from!` links
    /// itself (see `engine/stack.rs`): installed by the outermost body that may
    /// delegate, for the rest of the resume; `None` until then.
    pub(crate) frames: Option<NonNull<Frames<Y, S, E>>>,
}

impl<Y, S, E> Channel<Y, S, E> {
    /// A channel for a resume with `input`.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) fn new(executor: *const Waker, input: Option<Input<S, E>>) -> Self {
        Channel {
            executor,
            input,
            output: Output::Empty,
            frames: None,
        }
    }

    /// The executor's waker of an async resume; null for a synchronous one.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) fn executor(&self) -> *const Waker {
        self.executor
    }
}

/// The vtable that marks a waker as carrying a channel, for synchronous and
/// async resumes alike (one vtable, so finding the channel costs a yield one
/// comparison). A synchronous resume's channel has no executor: `clone`
/// then gives a no-op waker and `wake` does nothing. An async resume's
/// channel waker also stands for the executor's waker, so the futures the
/// body awaits register with the executor: `clone` returns a clone of the
/// executor's waker itself, and `wake`/`wake_by_ref` wake it. In both cases
/// a copy never points at the channel, and `drop` does nothing, as this
/// waker owns nothing.
static CHANNEL_VTABLE: RawWakerVTable =
    RawWakerVTable::new(clone_executor, wake_executor, wake_executor, do_nothing);

fn do_nothing(_: *const ()) {}

/// The executor's waker behind a channel waker's data pointer, if the
/// resume is an async one.
///
/// # Safety
///
/// `data` must be the data pointer of a waker with `CHANNEL_VTABLE`, made
/// by a `poll_under` that is still running (for `poll_body`,
/// `poll_body_async` or a frame of their resume).
unsafe fn executor<'a>(data: *const ()) -> Option<&'a Waker> {
    // SAFETY: per this function's contract `data` points to a live
    // `Channel` (`repr(C)`, its first field the `*const Waker`), whose
    // `executor` is null (`poll_body`) or was set from the `&Waker` of the
    // `Context` that `poll_body_async` received, which outlives that call.
    unsafe { (*data.cast::<*const Waker>()).as_ref() }
}

fn clone_executor(data: *const ()) -> RawWaker {
    // SAFETY: the vtable functions are only called through a waker with
    // `CHANNEL_VTABLE`, and such a waker only exists inside the
    // `poll_under` call that made it (its clones are
    // clones of the executor's waker or no-op wakers).
    match unsafe { executor(data) } {
        Some(waker) => {
            let waker = core::mem::ManuallyDrop::new(waker.clone());
            RawWaker::new(waker.data(), waker.vtable())
        }
        None => RawWaker::new(ptr::null(), Waker::noop().vtable()),
    }
}

fn wake_executor(data: *const ()) {
    // SAFETY: as in `clone_executor`.
    if let Some(waker) = unsafe { executor(data) } {
        waker.wake_by_ref();
    }
}

/// Polls `body` once under `channel`: the waker of the context it gets
/// carries the channel, which is how the body's yields find it. The
/// drivers poll their body through here, and so does a frame of direct
/// delegation its delegate's body (`engine/stack.rs`), with the driver's channel:
/// a frame's `resume` takes the channel's address rather than a `Context`,
/// so that inside it, too, the yields' vtable check meets a waker it can
/// see being made, and folds away.
///
/// # Safety
///
/// `channel` must point to a live channel of the resume in progress, valid
/// for the whole call, which nothing but the waker made here reaches while
/// it runs (its maker does not touch it meanwhile); and its `executor` must
/// be null or point to a waker that outlives the call.
#[cfg_attr(not(debug_assertions), inline(always))]
pub(crate) unsafe fn poll_under<F: Future, Y, S, E>(
    body: Pin<&mut F>,
    channel: NonNull<Channel<Y, S, E>>,
) -> Poll<F::Output> {
    let data: *const () = channel.as_ptr().cast::<()>().cast_const();
    // SAFETY: `Waker::new` requires the vtable's functions to uphold the
    // `RawWakerVTable` contract for `data`. `clone` and `wake` read only the
    // channel's `executor` through `data` (null for a synchronous resume:
    // `clone` then returns a valid no-op `RawWaker` and `wake` does nothing;
    // otherwise the executor's waker, which outlives this call, per the
    // contract), and `data` is valid while this call runs; `drop` does
    // nothing, which is valid for any pointer. The waker is only lent to
    // `body.poll` through `&waker`, and no clone of it carries
    // `CHANNEL_VTABLE` (a clone is a no-op waker or the executor's own), so
    // the only wakers with that vtable and `data` are this local and the
    // ones made for the same channel by the frames this poll resumes, each
    // gone before its maker returns.
    let waker = unsafe { Waker::new(data, &CHANNEL_VTABLE) };
    // Dropping it would call `do_nothing` through the vtable; skip the call.
    let waker = core::mem::ManuallyDrop::new(waker);
    body.poll(&mut Context::from_waker(&waker))
}

/// Polls `body` once with `input` waiting at its yield point and reports what
/// the body left in the channel.
#[cfg_attr(not(debug_assertions), inline(always))]
pub(crate) fn poll_body<F, Y, S, E>(
    body: Pin<&mut F>,
    input: Option<Input<S, E>>,
) -> Step<Y, F::Output, S>
where
    F: Future,
{
    // Known at each call site, so the check below costs `next()` nothing.
    let must_be_taken = matches!(input, Some(Input::Send(_) | Input::Throw(_) | Input::Close));
    let mut channel = Channel::<Y, S, E>::new(ptr::null(), input);
    // SAFETY: `channel` is a local of this call, alive until it returns, and
    // not touched by this function while `body` is polled.
    let poll = unsafe { poll_under(body, NonNull::from(&mut channel)) };
    // A `next()` that starts the body leaves its default value untaken (the
    // first poll runs to the first yield, which takes no input); any other
    // value left over would be lost.
    if must_be_taken && channel.input.is_some() {
        crate::util::panics::input_not_taken();
    }
    match poll {
        Poll::Ready(value) => Step::Complete(value),
        Poll::Pending => suspended(channel.output),
    }
}

/// What one poll of an async generator's body came to: `Pending` while the
/// body waits for something other than a yield (the executor's waker is
/// registered by then), the step otherwise.
///
/// Inlined, as `poll_body` is. Measured (instructions per item, default
/// profile / fat LTO), no attribute: F/pinned 43 or 58 as unrelated code
/// moved between codegen units, async `yield_from!` 157 / 96; `#[inline]`:
/// a plain async generator 61 instead of 53 in the default profile;
/// `#[inline(always)]`: F/pinned 44, async `yield_from!` 129 / 106. The
/// last is the one whose cost does not hang on codegen units. An async
/// `yield_from!`'s items no longer come through here but through the
/// driver's `next_direct` (92 / 68).
#[cfg_attr(not(debug_assertions), inline(always))]
pub(crate) fn poll_body_async<F, Y, S, E>(
    body: Pin<&mut F>,
    input: Option<Input<S, E>>,
    cx: &mut Context<'_>,
) -> Poll<Step<Y, F::Output, S>>
where
    F: Future,
{
    let mut channel = Channel::<Y, S, E> {
        executor: cx.waker(),
        input,
        output: Output::Empty,
        frames: None,
    };
    // SAFETY: as in `poll_body`; the executor's waker it points to is `cx`'s,
    // which outlives this call.
    let poll = unsafe { poll_under(body, NonNull::from(&mut channel)) };
    if channel.input.is_some() {
        crate::util::panics::input_not_taken();
    }
    match poll {
        Poll::Ready(value) => Poll::Ready(Step::Complete(value)),
        Poll::Pending => match channel.output {
            Output::Yielded(y) => Poll::Ready(Step::Yielded(y)),
            Output::Rejected(s) => Poll::Ready(Step::Rejected(s)),
            Output::Abandoned => Poll::Ready(Step::Abandoned),
            // Waiting for a future of the body; the input (if any) was
            // taken by the yield that was resumed.
            Output::Empty => Poll::Pending,
            Output::Missing => crate::util::panics::resumed_without_value(),
        },
    }
}

/// The channel of the driver whose resume is polling the caller, or `None`
/// when `cx` does not come from [`poll_body`] or [`poll_body_async`]: a
/// yield polled by an executor or by a combinator with a waker of its own
/// has no driver to talk to. Callers then stay pending without touching
/// anything.
///
/// Only a body built through the hidden constructors by hand can get there:
/// `#[generator]` puts every yield directly in the body the generator
/// drives. A debug build panics to say so; a release build does not carry
/// the panic, whose call in every yield would make every body's poll too
/// big for LLVM to inline into the loop that drives it.
///
/// # Panics
///
/// With debug assertions, when `cx` does not come from a driver.
#[cfg_attr(not(debug_assertions), inline(always))]
pub(crate) fn channel<'a, Y, S, E>(cx: &'a mut Context<'_>) -> Option<&'a mut Channel<Y, S, E>> {
    let channel = channel_ptr::<Y, S, E>(cx)?;
    // SAFETY: a waker with `CHANNEL_VTABLE` exists only as the local `waker`
    // of a `poll_under` call that is still running (see the arguments
    // there), and its data pointer is the channel that call was given, alive
    // for the whole call. The channel's type parameters are the caller's:
    // the only yields polled under a driver are those of the body it drives,
    // built from the `Co<Y, S, E>` that the driver's own generator type
    // handed to the body (`from_body`, for this handle's types), or those of a
    // delegate flattened into it, which the delegation impls accept only
    // when its yield, send and throw types equal the outer ones. The
    // reference is exclusive: the maker of the waker does not touch the
    // channel while `poll` runs, the waker's vtable functions only read the
    // `executor` field through the raw pointer (nothing writes it while the
    // call runs), and the returned borrow holds `cx` mutably, so no second
    // reference to the channel can be made from it until this one is dead.
    Some(unsafe { &mut *channel.as_ptr() })
}

/// [`channel`] as the raw pointer the waker carries, for a delegating body
/// to hand to the frames it resumes (`engine/stack.rs`): no reference to the
/// channel is made, so the frames' own accesses through it stay valid.
///
/// # Panics
///
/// As [`channel`].
#[cfg_attr(not(debug_assertions), inline(always))]
pub(crate) fn channel_ptr<Y, S, E>(cx: &Context<'_>) -> Option<NonNull<Channel<Y, S, E>>> {
    let waker = cx.waker();
    if !ptr::eq(waker.vtable(), &CHANNEL_VTABLE) {
        if cfg!(debug_assertions) {
            crate::util::panics::polled_outside_resume();
        }
        return None;
    }
    NonNull::new(waker.data().cast::<Channel<Y, S, E>>().cast_mut())
}
