//! The pinned driver, written once for both protocols: the body inline in a
//! cell, the phase, one resume of the body with its unwinding and settling,
//! and the close a drop makes.
//! [`PinnedGen`](crate::PinnedGen) and [`PinnedAsyncGen`](crate::PinnedAsyncGen)
//! are thin faces over it; what differs between them is a [`Flavor`]: how a
//! resume polls the body (to its next yield at once, or under an executor's
//! waker that may leave it waiting) and how a dropped generator is closed.

use core::marker::PhantomData;
use core::pin::Pin;
use core::ptr::NonNull;
use core::task::{Context, Poll, Waker};

use crate::body::{Body, Top};
use crate::engine::channel::{Channel, poll_body, poll_body_async};
use crate::engine::signal::{Input, Output, Step, suspended};
use crate::protocol::error::{CloseError, ResumeErrorKind};
use crate::protocol::state::GenState;
use crate::util::some::some_unchecked;
use crate::util::types::Types;
use crate::util::unfrozen::Unfrozen;
use crate::util::unwind::ClosedOnUnwind;

/// Where a pinned synchronous generator is. While a resume runs the phase
/// is left as it was (nothing can look: resuming takes `&mut`); a panic out
/// of the body closes the generator on its way out (`ClosedOnUnwind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    Created,
    Suspended,
    Closed,
}

/// Where a pinned async generator is: [`Phase`] and one more.
///
/// One type for both would cost a synchronous generator that delegates 3
/// instructions per item (C/pinned, default profile: 53 → 56): LLVM cannot
/// see that a synchronous phase is never `Running`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AsyncPhase {
    Created,
    Suspended,
    /// A resume has begun and the body waits for a future of its own (its
    /// resume's future may have been dropped).
    Running,
    Closed,
}

/// What the driver needs of a phase type.
pub(crate) trait Phases: Copy + PartialEq {
    const CREATED: Self;
    const SUSPENDED: Self;
    const CLOSED: Self;
    /// The phase of a body that waits for a future of its own in the middle
    /// of a resume; `None` where a body cannot wait (a synchronous one).
    const WAITING: Option<Self>;
    /// The phase as users see it.
    fn state(self) -> GenState;
}

impl Phases for Phase {
    const CREATED: Self = Phase::Created;
    const SUSPENDED: Self = Phase::Suspended;
    const CLOSED: Self = Phase::Closed;
    const WAITING: Option<Self> = None;

    #[cfg_attr(not(debug_assertions), inline(always))]
    fn state(self) -> GenState {
        match self {
            Phase::Created => GenState::Created,
            Phase::Suspended => GenState::Suspended,
            Phase::Closed => GenState::Closed,
        }
    }
}

impl Phases for AsyncPhase {
    const CREATED: Self = AsyncPhase::Created;
    const SUSPENDED: Self = AsyncPhase::Suspended;
    const CLOSED: Self = AsyncPhase::Closed;
    const WAITING: Option<Self> = Some(AsyncPhase::Running);

    #[cfg_attr(not(debug_assertions), inline(always))]
    fn state(self) -> GenState {
        match self {
            AsyncPhase::Created => GenState::Created,
            AsyncPhase::Suspended => GenState::Suspended,
            AsyncPhase::Running => GenState::Running,
            AsyncPhase::Closed => GenState::Closed,
        }
    }
}

/// What differs between the synchronous and the async driver, besides the
/// protocol methods of their faces.
pub(crate) trait Flavor<F>: Sized {
    /// Where a generator of this flavor can be.
    type Phase: Phases;

    /// Whether a suspended generator is closed before it is dropped.
    const CLOSES_ON_DROP: bool;

    /// That close (Python's finalizer), for a suspended generator.
    fn close_on_drop<Y, S, E>(driver: Pin<&mut Driver<F, Y, S, E, Self>>);
}

/// A synchronous generator's driver: a resume runs the body to its next
/// yield or its end.
#[derive(Debug)]
pub(crate) enum Blocking {}

/// An async generator's driver: a resume polls the body under the
/// executor's waker, and may leave it waiting for a future of its own.
#[derive(Debug)]
pub(crate) enum Awaiting {}

/// The body of a pinned generator and where it is.
pub(crate) struct Driver<F, Y, S, E, M: Flavor<F>> {
    /// Structurally pinned: never moved out, only dropped in place with
    /// `Pin::set(None)`. In a cell that `&Self` does not freeze (see
    /// `util/unfrozen.rs`): a suspended body may borrow itself.
    body: Unfrozen<Option<F>>,
    phase: M::Phase,
    types: Types<Y, S, E>,
    flavor: PhantomData<M>,
}

impl<F, Y, S, E, M: Flavor<F>> Driver<F, Y, S, E, M> {
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) fn new(body: F) -> Self {
        Driver {
            body: Unfrozen::new(Some(body)),
            phase: M::Phase::CREATED,
            types: Types::default(),
            flavor: PhantomData,
        }
    }

    pub(crate) fn closed() -> Self {
        Driver {
            body: Unfrozen::new(None),
            phase: M::Phase::CLOSED,
            types: Types::default(),
            flavor: PhantomData,
        }
    }

    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) fn phase(&self) -> M::Phase {
        self.phase
    }

    /// Where the generator is, as users see it.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) fn state(&self) -> GenState {
        self.phase.state()
    }

    #[cfg_attr(not(debug_assertions), inline(always))]
    fn project(self: Pin<&mut Self>) -> (Pin<&mut Option<F>>, &mut M::Phase) {
        // SAFETY: `body` is structurally pinned and `phase` is not.
        // `Driver` is `Unpin` only when `F` is (auto trait through
        // `Option<F>`), it is not `repr(packed)`, its `Drop` impl goes through
        // `Pin<&mut Self>` like every other access, and no code moves out of
        // `body`: it is only polled in place and dropped in place with
        // `Pin::set`. `phase` is a plain `Copy` enum that is never pinned.
        let this = unsafe { self.get_unchecked_mut() };
        // SAFETY: see above; `this.body` stays where it is for as long as
        // `self` was pinned.
        let body = unsafe { Pin::new_unchecked(&mut this.body) };
        (body.get_pin_mut(), &mut this.phase)
    }

    /// Drops the body in place (running the destructors of its live locals)
    /// and closes the generator.
    pub(crate) fn drop_body(self: Pin<&mut Self>) {
        let (mut body, phase) = self.project();
        *phase = M::Phase::CLOSED;
        body.set(None);
    }

    /// Why a start is refused, if it is.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) fn refuses_start(&self) -> Option<ResumeErrorKind> {
        match self.phase.state() {
            GenState::Created => None,
            GenState::Suspended | GenState::Running => Some(ResumeErrorKind::AlreadyStarted),
            GenState::Closed => Some(ResumeErrorKind::Closed),
        }
    }

    /// Why a value cannot be sent in, if it cannot.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) fn refuses_send(&self) -> Option<ResumeErrorKind> {
        match self.phase.state() {
            GenState::Suspended => None,
            GenState::Created => Some(ResumeErrorKind::NotStarted),
            GenState::Running => Some(ResumeErrorKind::Running),
            GenState::Closed => Some(ResumeErrorKind::Closed),
        }
    }

    /// Why an error cannot be thrown in, if it cannot; a created generator
    /// is closed by the attempt, as in Python.
    pub(crate) fn refuses_throw(self: Pin<&mut Self>) -> Option<ResumeErrorKind> {
        let refused = self.refuses_send();
        if refused == Some(ResumeErrorKind::NotStarted) {
            self.drop_body();
        }
        refused
    }

    /// What a close's resume came to: a body that yields instead of
    /// finishing is dropped, and the yielded value comes back in the error.
    pub(crate) fn close_result<R>(
        self: Pin<&mut Self>,
        step: Step<Y, R, S>,
    ) -> Result<Option<R>, CloseError<Y>> {
        match step {
            Step::Complete(r) => Ok(Some(r)),
            Step::Abandoned => Ok(None),
            Step::Yielded(y) => {
                self.drop_body();
                Err(CloseError::new(y))
            }
            Step::Rejected(_) => crate::util::panics::invariant("only a send is rejected"),
        }
    }
}

impl<F: Body, Y, S, E> Driver<F, Y, S, E, Blocking> {
    /// Resumes the body with `input` at its yield point and settles the
    /// phase from what it did. A panic out of the body closes the generator.
    ///
    /// The only caller of the body's `poll`. Inlined with the hot protocol
    /// calls (`resume`, `send`) into the consumer's loop, so that LLVM sees
    /// the channel handoff as stack traffic it can remove.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) fn step(self: Pin<&mut Self>, input: Option<Input<S, E>>) -> Step<Y, F::Output, S> {
        let (mut body, phase) = self.project();
        let was = *phase;
        let guard = ClosedOnUnwind::new(phase, Phases::CLOSED);
        // SAFETY: the callers (`PinnedGen`'s protocol calls, `close`) resume
        // only a generator that is not closed.
        let live = unsafe { live(body.as_mut()) };
        let step = poll_body::<F, Y, S, E>(live, input);
        set_phase_after(&step, body, guard.defuse(), was);
        step
    }

    /// Python's `g.close()`: see [`PinnedGen::close`](crate::PinnedGen::close).
    pub(crate) fn close(mut self: Pin<&mut Self>) -> Result<Option<F::Output>, CloseError<Y>> {
        if F::CLOSE_RESUMES && self.phase == Phase::Suspended {
            let step = self.as_mut().step(Some(Input::Close));
            self.close_result(step)
        } else {
            // Created, closed, or suspended at a plain `yield_!`.
            self.drop_body();
            Ok(None)
        }
    }
}

impl<F: Body> Flavor<F> for Blocking {
    type Phase = Phase;

    /// For a body that cannot catch a close (`Body::CLOSE_RESUMES`, known
    /// from its type) the drop is the drop of the body alone.
    const CLOSES_ON_DROP: bool = F::CLOSE_RESUMES;

    /// The close, inlined where the generator dies: a call out of line
    /// would let the generator's address escape, and keep its state out of
    /// registers in the loop that drives it. What the close returns is
    /// dropped; while the thread is already panicking nothing runs.
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn close_on_drop<Y, S, E>(driver: Pin<&mut Driver<F, Y, S, E, Self>>) {
        if crate::util::types::panicking() {
            return;
        }
        drop(driver.close());
    }
}

impl<F: Body, Y, S, E, M: Flavor<F>> Driver<F, Y, S, E, M> {
    /// `next()` straight to the innermost direct delegation of a body with
    /// `yield_from!` (`Body::resume_top`): the step, or what is left of the
    /// input when the resume must go on through the body's poll — all of it
    /// when no delegation runs, none when the delegations ran to their end
    /// and the body's own code comes next. `executor` is the executor's
    /// waker of an async resume (null for a synchronous one): a delegate
    /// that waits for a future of its own leaves the async generator
    /// running (`Pending`), and the next poll goes on through the body.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) fn next_direct(
        self: Pin<&mut Self>,
        input: Input<S, E>,
        executor: *const Waker,
    ) -> Direct<Y, F::Output, S, E> {
        let (mut body, phase) = self.project();
        // SAFETY: the callers go straight to the delegation only for a
        // suspended generator.
        let live = unsafe { live(body.as_mut()) };
        let mut channel = Channel::<Y, S, E>::new(executor, Some(input));
        let guard = ClosedOnUnwind::new(phase, Phases::CLOSED);
        // SAFETY: `channel` is a local of this call, made for a `next()` of
        // this generator, whose types are the body's (`from_body` fixes
        // them), and not touched here while the body runs; the executor's
        // waker, if any, is the caller's, which outlives the call.
        let top = unsafe { live.resume_top(NonNull::from(&mut channel).cast::<()>()) };
        match top {
            Top::NoFrame | Top::Continue => {
                guard.defuse();
                Err(channel.input)
            }
            // A yield, almost always: tested on its own, so that LLVM does
            // not dispatch on the output through a table.
            Top::Suspended => match channel.output {
                Output::Yielded(y) => {
                    guard.defuse();
                    Ok(Poll::Ready(Step::Yielded(y)))
                }
                Output::Empty if M::Phase::WAITING.is_some() => {
                    let phase = guard.defuse();
                    *phase = M::Phase::WAITING.unwrap_or(*phase);
                    Ok(Poll::Pending)
                }
                output => {
                    // Still under the guard: a broken invariant reported here
                    // closes the generator, as it does in `step`.
                    let step = suspended_otherwise(output);
                    set_phase_after(&step, body, guard.defuse(), M::Phase::SUSPENDED);
                    Ok(Poll::Ready(step))
                }
            },
        }
    }
}

impl<F: Body, Y, S, E> Driver<F, Y, S, E, Awaiting> {
    /// [`poll_step`](Self::poll_step), except that a `next()` of a
    /// suspended body with `yield_from!` goes straight to the innermost
    /// delegation first ([`next_direct`](Self::next_direct)), as a
    /// synchronous `next()` does.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) fn poll_resume(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        input: Option<Input<S, E>>,
    ) -> Poll<Step<Y, F::Output, S>> {
        let input = match input {
            Some(next @ Input::Next(_)) if F::DELEGATES => {
                match self.as_mut().next_direct(next, cx.waker()) {
                    Ok(poll) => return poll,
                    Err(rest) => rest,
                }
            }
            input => input,
        };
        self.poll_step(cx, input)
    }

    /// Polls the body once, with `input` for the yield it is suspended at
    /// (`None` when it is not at a yield), and settles the phase: `Running`
    /// while it waits for a future of its own.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) fn poll_step(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        input: Option<Input<S, E>>,
    ) -> Poll<Step<Y, F::Output, S>> {
        let (mut body, phase) = self.project();
        let was = *phase;
        let guard = ClosedOnUnwind::new(phase, Phases::CLOSED);
        // SAFETY: the callers (`PinnedAsyncGen`'s protocol calls and
        // `poll_next`, the drop's close) poll only a generator that is not
        // closed.
        let live = unsafe { live(body.as_mut()) };
        let poll = poll_body_async::<F, Y, S, E>(live, input, cx);
        let phase = guard.defuse();
        match &poll {
            Poll::Pending => *phase = AsyncPhase::Running,
            Poll::Ready(step) => set_phase_after(step, body, phase, was),
        }
        poll
    }
}

impl<F: Body> Flavor<F> for Awaiting {
    type Phase = AsyncPhase;

    const CLOSES_ON_DROP: bool = true;

    /// The close of a dropped suspended async generator: the close is
    /// raised at its yield and the body polled once, synchronously, with a
    /// waker that does nothing, as a synchronous generator's drop closes it.
    /// A close handler (`yield_catch!`, a delegate's) runs up to its end, or
    /// up to its first `.await` of something that is not ready, where the
    /// body is dropped (a drop cannot wait for it; `aclose().await` can). A
    /// handler that yields instead is dropped too. Nothing runs while the
    /// thread is panicking.
    ///
    /// Out of line and cold: a generator is rarely dropped suspended, and
    /// this poll inlined into every drop made the consumers' loops bigger
    /// (measured: F 2 instructions per item more in both profiles).
    #[cold]
    #[inline(never)]
    fn close_on_drop<Y, S, E>(driver: Pin<&mut Driver<F, Y, S, E, Self>>) {
        if crate::util::types::panicking() {
            return;
        }
        let mut cx = Context::from_waker(core::task::Waker::noop());
        // Whatever the poll comes to, the body is dropped after it: in
        // place by `poll_step` when it completes or abandons, by the drop
        // glue otherwise.
        let _ = driver.poll_step(&mut cx, Some(Input::Close));
    }
}

impl<F, Y, S, E, M: Flavor<F>> Drop for Driver<F, Y, S, E, M> {
    /// A suspended generator is closed before it is dropped (Python's
    /// finalizer), as its flavor says; a generator whose async resume is in
    /// flight (a dropped `aclose()` whose cleanup was waiting) is only
    /// dropped.
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn drop(&mut self) {
        if M::CLOSES_ON_DROP && self.phase == M::Phase::SUSPENDED {
            // SAFETY: `drop` is the last use of `self`. A generator is only
            // ever suspended by a resume through `Pin<&mut Self>`, so this
            // one was pinned and has not moved since; treating it as pinned
            // here keeps the structural pinning promise of `project` (the
            // body is closed and dropped in place).
            let this = unsafe { Pin::new_unchecked(self) };
            M::close_on_drop(this);
        }
    }
}

/// What is left of a `next()` that did not go straight to the innermost
/// delegation: the input, if nothing took it yet.
pub(crate) type Rest<S, E> = Option<Input<S, E>>;

/// What [`Driver::next_direct`] came to: the step (`Pending` while an async
/// delegate waits for a future of its own), or what is left of the input
/// for the body's poll.
pub(crate) type Direct<Y, R, S, E> = Result<Poll<Step<Y, R, S>>, Rest<S, E>>;

/// [`suspended`] out of line, for what is not a yield.
#[cold]
#[inline(never)]
fn suspended_otherwise<Y, R, S>(output: Output<Y, S>) -> Step<Y, R, S> {
    suspended(output)
}

/// The body of a generator that is not closed, without a test: the phase
/// says it is there (measured: the test cost 2 instructions per item of
/// every generator, in both profiles).
///
/// # Safety
///
/// The driver's phase must not be closed. The driver keeps its body in
/// every other phase: `new` makes it with its body, `Created`; every place
/// that drops the body (`drop_body`, `set_phase_after`) closes the phase
/// first, and no phase leaves `Closed`.
#[cfg_attr(not(debug_assertions), inline(always))]
unsafe fn live<F>(body: Pin<&mut Option<F>>) -> Pin<&mut F> {
    // SAFETY: per the contract, the body is there.
    unsafe { some_unchecked(body) }
}

/// Settles the phase from what a resume did: a body that completed or was
/// abandoned is dropped in place. `was` is the phase the resume began in: a
/// yield out of a suspended generator leaves it as it was, with no store
/// (the caller tested the phase, so LLVM knows `was`; measured: one store
/// and the address kept for it, 2 instructions per item of an async
/// generator).
#[cfg_attr(not(debug_assertions), inline(always))]
fn set_phase_after<F, Y, R, S, P: Phases>(
    step: &Step<Y, R, S>,
    mut body: Pin<&mut Option<F>>,
    phase: &mut P,
    was: P,
) {
    match step {
        Step::Yielded(_) if was == P::SUSPENDED => {}
        Step::Yielded(_) | Step::Rejected(_) => *phase = P::SUSPENDED,
        Step::Complete(_) | Step::Abandoned => {
            *phase = P::CLOSED;
            body.set(None);
        }
    }
}
