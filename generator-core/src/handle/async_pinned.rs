//! The pinned async generator: the body (an `async` block that may await
//! any future) lives inline; every async protocol call of the crate ends up
//! here, and the movable [`AsyncGen`] boxes one of these at its first
//! resume.
//!
//! A resume is a future. Its progress is kept in the generator, not in that
//! future: if the future is dropped while the body waits for something
//! (e.g. `anext()` lost a `select!`), the generator stays `Running` and the
//! next `anext()` (or `Stream::poll_next`) carries on where the body was, so
//! no yielded value is lost.
//!
//! [`AsyncGen`]: crate::AsyncGen

use core::future::{Future, poll_fn};
use core::pin::Pin;
use core::task::{Context, Poll};

use crate::engine::channel::poll_body_async;
use crate::engine::signal::{Input, Step};
use crate::handle::lazy::Pinned;
use crate::protocol::error::{CloseError, ResumeError, ResumeErrorKind};
use crate::protocol::state::{GenState, GeneratorState, NoThrow};
use crate::util::types::Types;
use crate::util::unfrozen::Unfrozen;
use crate::util::unwind::ClosedOnUnwind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Created,
    Suspended,
    /// A resume has begun and the body waits for a future of its own.
    InFlight,
    Closed,
}

/// An async generator whose body is stored inline and must not move once
/// started: the zero-allocation form. Make one with
/// [`AsyncGen::into_pinned`](crate::AsyncGen::into_pinned) and pin it.
///
/// ```
/// use core::pin::pin;
/// use pygen::{generator, yield_, GeneratorState};
///
/// #[generator(yield = u32)]
/// async fn ticks(n: u32) -> &'static str {
///     for i in 0..n {
///         std::future::ready(()).await;
///         yield_!(i);
///     }
///     "done"
/// }
///
/// futures::executor::block_on(async {
///     let mut g = pin!(ticks(2).into_pinned());
///     assert_eq!(g.as_mut().anext().await, Some(GeneratorState::Yielded(0)));
///     assert_eq!(g.as_mut().anext().await, Some(GeneratorState::Yielded(1)));
///     assert_eq!(g.as_mut().anext().await, Some(GeneratorState::Complete("done")));
///     assert_eq!(g.as_mut().anext().await, None);
/// });
/// ```
///
/// Its protocol is the one documented on [`AsyncGen`](crate::AsyncGen).
/// Dropping a suspended one closes it as far as that goes without awaiting
/// (see [`AsyncGen`](crate::AsyncGen#dropping-a-suspended-async-generator)).
#[must_use = "an async generator runs nothing until it is polled: call `anext` or `asend`"]
pub struct PinnedAsyncGen<F, Y, S = (), E = NoThrow>
where
    F: Future,
{
    /// Structurally pinned: never moved out, only dropped in place. In a
    /// cell that `&Self` does not freeze (see `util/unfrozen.rs`).
    body: Unfrozen<Option<F>>,
    phase: Phase,
    types: Types<Y, S, E>,
}

impl<F, Y, S, E> PinnedAsyncGen<F, Y, S, E>
where
    F: Future,
{
    pub(crate) fn new(body: F) -> Self {
        PinnedAsyncGen {
            body: Unfrozen::new(Some(body)),
            phase: Phase::Created,
            types: Types::default(),
        }
    }

    pub(crate) fn closed() -> Self {
        PinnedAsyncGen {
            body: Unfrozen::new(None),
            phase: Phase::Closed,
            types: Types::default(),
        }
    }

    /// Where the generator is: see [`GenState`]. `Running` while a resume
    /// is under way (its future pending, or dropped before it finished).
    pub fn state(&self) -> GenState {
        match self.phase {
            Phase::Created => GenState::Created,
            Phase::Suspended => GenState::Suspended,
            Phase::InFlight => GenState::Running,
            Phase::Closed => GenState::Closed,
        }
    }

    fn project(self: Pin<&mut Self>) -> (Pin<&mut Option<F>>, &mut Phase) {
        // SAFETY: `body` is structurally pinned and `phase` is not, as in
        // `PinnedGen::project`: `PinnedAsyncGen` is `Unpin` only when `F`
        // is, is not `repr(packed)`, its `Drop` goes through `Pin` (as
        // `PinnedGen`'s does), and no code moves out of `body` (it is polled
        // in place and dropped with `Pin::set`).
        let this = unsafe { self.get_unchecked_mut() };
        // SAFETY: see above.
        let body = unsafe { Pin::new_unchecked(&mut this.body) };
        (body.get_pin_mut(), &mut this.phase)
    }

    /// Drops the body in place and closes the generator.
    fn kill(self: Pin<&mut Self>) {
        let (mut body, phase) = self.project();
        *phase = Phase::Closed;
        body.set(None);
    }

    /// Polls the body once, with `input` for the yield it is suspended at
    /// (`None` when it is not at a yield), and settles the phase.
    #[inline(always)]
    fn poll_step(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        input: Option<Input<S, E>>,
    ) -> Poll<Step<Y, F::Output, S>> {
        let (mut body, phase) = self.project();
        let guard = ClosedOnUnwind::new(phase, Phase::Closed);
        let Some(live) = body.as_mut().as_pin_mut() else {
            crate::util::panics::invariant("a closed async generator has no body to resume")
        };
        let poll = poll_body_async::<F, Y, S, E>(live, input, cx);
        let phase = guard.defuse();
        *phase = match &poll {
            Poll::Pending => Phase::InFlight,
            Poll::Ready(Step::Yielded(_) | Step::Rejected(_)) => Phase::Suspended,
            Poll::Ready(Step::Complete(_) | Step::Abandoned) => {
                body.set(None);
                Phase::Closed
            }
        };
        poll
    }

    /// Runs one resume to its end: the body's next yield, return, or drop.
    async fn step(mut self: Pin<&mut Self>, input: Option<Input<S, E>>) -> Step<Y, F::Output, S> {
        let mut input = input;
        poll_fn(|cx| self.as_mut().poll_step(cx, input.take())).await
    }

    /// Runs the body up to its first yield (Python: the first `anext`).
    ///
    /// ```
    /// use core::pin::pin;
    /// use pygen::{generator, yield_, GeneratorState, ResumeErrorKind};
    ///
    /// #[generator(yield = char)]
    /// async fn letters() { yield_!('a'); yield_!('b'); }
    ///
    /// futures::executor::block_on(async {
    ///     let mut g = pin!(letters().into_pinned());
    ///     assert_eq!(g.as_mut().astart().await, Ok(GeneratorState::Yielded('a')));
    ///     let again = g.as_mut().astart().await.unwrap_err();
    ///     assert_eq!(again.kind(), ResumeErrorKind::AlreadyStarted);
    /// });
    /// ```
    ///
    /// # Errors
    ///
    /// `AlreadyStarted` when the generator has started (or is running),
    /// `Closed` when it is closed; nothing runs.
    pub async fn astart(
        self: Pin<&mut Self>,
    ) -> Result<GeneratorState<Y, F::Output>, ResumeError<()>> {
        match self.phase {
            Phase::Created => Ok(settled(self.step(None).await)),
            Phase::Suspended | Phase::InFlight => {
                Err(ResumeError::new(ResumeErrorKind::AlreadyStarted, ()))
            }
            Phase::Closed => Err(ResumeError::new(ResumeErrorKind::Closed, ())),
        }
    }

    /// Python's `await anext(g)`, with the return value: starts the
    /// generator or resumes its yield with `S::default()`; `None` once
    /// closed. If an earlier resume's future was dropped before it finished,
    /// this one finishes it.
    ///
    /// ```
    /// use core::pin::pin;
    /// use pygen::{generator, yield_, GeneratorState};
    ///
    /// #[generator(yield = u8)]
    /// async fn one() -> &'static str { yield_!(1); "end" }
    ///
    /// futures::executor::block_on(async {
    ///     let mut g = pin!(one().into_pinned());
    ///     assert_eq!(g.as_mut().anext().await, Some(GeneratorState::Yielded(1)));
    ///     assert_eq!(g.as_mut().anext().await, Some(GeneratorState::Complete("end")));
    ///     assert_eq!(g.as_mut().anext().await, None);
    /// });
    /// ```
    pub async fn anext(self: Pin<&mut Self>) -> Option<GeneratorState<Y, F::Output>>
    where
        S: Default,
    {
        let input = match self.phase {
            Phase::Suspended => Some(Input::Next(S::default())),
            Phase::Created | Phase::InFlight => None,
            Phase::Closed => return None,
        };
        next_state(self.step(input).await)
    }

    /// Python's `await g.asend(value)`.
    ///
    /// ```
    /// use core::pin::pin;
    /// use pygen::{generator, yield_, GeneratorState};
    ///
    /// #[generator(yield = String, send = String)]
    /// async fn shout() {
    ///     let mut heard = yield_!(String::new());
    ///     loop { heard = yield_!(heard.to_uppercase()); }
    /// }
    ///
    /// futures::executor::block_on(async {
    ///     let mut g = pin!(shout().into_pinned());
    ///     g.as_mut().astart().await.unwrap();
    ///     let loud = g.as_mut().asend("hey".into()).await;
    ///     assert_eq!(loud, Ok(GeneratorState::Yielded("HEY".to_string())));
    /// });
    /// ```
    ///
    /// # Errors
    ///
    /// The value comes back inside the error when the generator has not
    /// started, is closed, is still running an earlier resume
    /// ([`ResumeErrorKind::Running`]), or delegates to something that cannot
    /// take it ([`ResumeErrorKind::Undeliverable`]).
    pub async fn asend(
        self: Pin<&mut Self>,
        value: S,
    ) -> Result<GeneratorState<Y, F::Output>, ResumeError<S>> {
        let refused = match self.phase {
            Phase::Suspended => {
                return match self.step(Some(Input::Send(value))).await {
                    Step::Yielded(y) => Ok(GeneratorState::Yielded(y)),
                    Step::Complete(r) => Ok(GeneratorState::Complete(r)),
                    Step::Rejected(s) => Err(ResumeError::new(ResumeErrorKind::Undeliverable, s)),
                    Step::Abandoned => {
                        crate::util::panics::invariant("only a close abandons a body")
                    }
                };
            }
            Phase::Created => ResumeErrorKind::NotStarted,
            Phase::InFlight => ResumeErrorKind::Running,
            Phase::Closed => ResumeErrorKind::Closed,
        };
        Err(ResumeError::new(refused, value))
    }

    /// Python's `await g.athrow(error)`: raises `error` at the yield point.
    ///
    /// ```
    /// use core::pin::pin;
    /// use pygen::{generator, yield_, GeneratorState};
    ///
    /// #[derive(Debug, PartialEq)]
    /// struct Timeout;
    ///
    /// #[generator(yield = u8, throw = Timeout)]
    /// async fn waiter() -> Result<(), Timeout> {
    ///     loop { yield_!(0); }
    /// }
    ///
    /// futures::executor::block_on(async {
    ///     let mut g = pin!(waiter().into_pinned());
    ///     g.as_mut().astart().await.unwrap();
    ///     // At a `yield_!` the thrown error ends the body as its `Err`.
    ///     let ended = g.as_mut().athrow(Timeout).await;
    ///     assert_eq!(ended, Ok(GeneratorState::Complete(Err(Timeout))));
    /// });
    /// ```
    ///
    /// # Errors
    ///
    /// The error comes back unraised when the generator has not started (it
    /// is closed now), is running an earlier resume, or is closed.
    pub async fn athrow(
        mut self: Pin<&mut Self>,
        error: E,
    ) -> Result<GeneratorState<Y, F::Output>, ResumeError<E>> {
        let refused = match self.phase {
            Phase::Suspended => return Ok(settled(self.step(Some(Input::Throw(error))).await)),
            Phase::Created => {
                self.as_mut().kill();
                ResumeErrorKind::NotStarted
            }
            Phase::InFlight => ResumeErrorKind::Running,
            Phase::Closed => ResumeErrorKind::Closed,
        };
        Err(ResumeError::new(refused, error))
    }

    /// Python's `await g.aclose()`: at a `yield_catch!` the body sees
    /// `Interrupt::Close` and may await in its cleanup; at a `yield_!` it
    /// is dropped in place. A generator that is created, closed, or running
    /// an earlier resume is dropped in place: `Ok(None)`.
    ///
    /// ```
    /// use core::pin::pin;
    /// use pygen::{generator, yield_catch, Interrupt};
    ///
    /// #[generator(yield = u32)]
    /// async fn session() -> &'static str {
    ///     loop {
    ///         if let Err(Interrupt::Close) = yield_catch!(7) {
    ///             futures::future::ready(()).await; // say goodbye, asynchronously
    ///             return "logged out";
    ///         }
    ///     }
    /// }
    ///
    /// futures::executor::block_on(async {
    ///     let mut g = pin!(session().into_pinned());
    ///     g.as_mut().astart().await.unwrap();
    ///     assert_eq!(g.as_mut().aclose().await, Ok(Some("logged out")));
    /// });
    /// ```
    ///
    /// # Errors
    ///
    /// [`CloseError`] with the yielded value when the body yields instead of
    /// finishing; the generator is then dropped and closed.
    pub async fn aclose(mut self: Pin<&mut Self>) -> Result<Option<F::Output>, CloseError<Y>> {
        if self.phase != Phase::Suspended {
            self.kill();
            return Ok(None);
        }
        match self.as_mut().step(Some(Input::Close)).await {
            Step::Complete(r) => Ok(Some(r)),
            Step::Abandoned => Ok(None),
            Step::Yielded(y) => {
                self.kill();
                Err(CloseError::new(y))
            }
            Step::Rejected(_) => crate::util::panics::invariant("only a send is rejected"),
        }
    }
}

impl<F, Y, S, E> Drop for PinnedAsyncGen<F, Y, S, E>
where
    F: Future,
{
    /// Python's finalizer for an async generator, without the event loop:
    /// a suspended generator is closed as far as that goes without waiting
    /// (see `close_on_drop`).
    fn drop(&mut self) {
        if self.phase == Phase::Suspended {
            // SAFETY: `drop` is the last use of `self`. A generator is only
            // ever suspended by a resume through `Pin<&mut Self>`, so this
            // one was pinned and has not moved since; treating it as pinned
            // here keeps the structural pinning promise of `project` (the
            // body is closed and dropped in place), as `PinnedGen`'s `Drop`
            // does.
            let this = unsafe { Pin::new_unchecked(self) };
            this.close_on_drop();
        }
    }
}

impl<F, Y, S, E> PinnedAsyncGen<F, Y, S, E>
where
    F: Future,
{
    /// The close of a dropped suspended generator: the close is raised at
    /// its yield and the body polled once, synchronously, with a waker that
    /// does nothing, as a synchronous generator's drop closes it. A close
    /// handler (`yield_catch!`, a delegate's) runs up to its end, or up to
    /// its first `.await` of something that is not ready, where the body is
    /// dropped (a drop cannot wait for it; `aclose().await` can). A handler
    /// that yields instead is dropped too. Nothing runs while the thread is
    /// panicking, nor for a generator whose resume is in flight (a dropped
    /// `aclose()` whose cleanup was waiting): its body is only dropped.
    ///
    /// Out of line and cold: a generator is rarely dropped suspended, and
    /// this poll inlined into every drop made the consumers' loops bigger
    /// (measured: F 2 instructions per item more in both profiles).
    #[cold]
    #[inline(never)]
    fn close_on_drop(self: Pin<&mut Self>) {
        if crate::util::types::panicking() {
            return;
        }
        let mut cx = Context::from_waker(core::task::Waker::noop());
        // Whatever the poll comes to, the body is dropped after it: in
        // place by `poll_step` when it completes or abandons, by the drop
        // glue otherwise.
        let _ = self.poll_step(&mut cx, Some(Input::Close));
    }
}

/// What `anext` reports for a step. It may finish a resume that an earlier
/// call began and dropped, such as an `aclose` whose cleanup awaited: if
/// that one drops the body, the generator is closed and there is nothing
/// next.
fn next_state<Y, R, S>(step: Step<Y, R, S>) -> Option<GeneratorState<Y, R>> {
    match step {
        Step::Abandoned => None,
        step => Some(settled(step)),
    }
}

/// Maps a step of a resume that cannot be rejected or abandoned.
fn settled<Y, R, S>(step: Step<Y, R, S>) -> GeneratorState<Y, R> {
    match step {
        Step::Yielded(y) => GeneratorState::Yielded(y),
        Step::Complete(r) => GeneratorState::Complete(r),
        Step::Rejected(_) | Step::Abandoned => {
            crate::util::panics::invariant("only a send is rejected and only a close abandons")
        }
    }
}

impl<F, Y, S, E> futures_core::Stream for PinnedAsyncGen<F, Y, S, E>
where
    F: Future,
    S: Default,
{
    type Item = Y;

    /// `anext()` keeping only yielded values; the return value is dropped.
    #[inline]
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Y>> {
        let input = match self.phase {
            Phase::Suspended => Some(Input::Next(S::default())),
            Phase::Created | Phase::InFlight => None,
            Phase::Closed => return Poll::Ready(None),
        };
        self.poll_step(cx, input)
            .map(|step| next_state(step).and_then(GeneratorState::yielded))
    }
}

impl<F, Y, S, E> futures_core::FusedStream for PinnedAsyncGen<F, Y, S, E>
where
    F: Future,
    S: Default,
{
    fn is_terminated(&self) -> bool {
        self.state() == GenState::Closed
    }
}

impl<F, Y, S, E> Pinned for PinnedAsyncGen<F, Y, S, E>
where
    F: Future,
{
    type Body = F;

    #[inline(always)]
    fn new(body: F) -> Self {
        PinnedAsyncGen::new(body)
    }
    fn closed() -> Self {
        PinnedAsyncGen::closed()
    }
    #[inline(always)]
    fn state(&self) -> GenState {
        PinnedAsyncGen::state(self)
    }
}
