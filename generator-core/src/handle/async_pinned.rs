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

use core::future::poll_fn;
use core::pin::Pin;

use crate::body::Body;
use crate::engine::signal::{Input, Step};
use crate::handle::driver::{AsyncPhase, Awaiting, Driver};
use crate::handle::lazy::Pinned;
use crate::handle::outcome::{next_result, send_result, state_after};
use crate::protocol::error::{CloseError, ResumeError};
use crate::protocol::state::{GenState, GeneratorState, NoThrow};
use core::task::{Context, Poll};

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
    F: Body,
{
    /// Structurally pinned: the only field (see `driver`).
    driver: Driver<F, Y, S, E, Awaiting>,
}

impl<F, Y, S, E> PinnedAsyncGen<F, Y, S, E>
where
    F: Body,
{
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) fn new(body: F) -> Self {
        PinnedAsyncGen {
            driver: Driver::new(body),
        }
    }

    pub(crate) fn closed() -> Self {
        PinnedAsyncGen {
            driver: Driver::closed(),
        }
    }

    #[cfg_attr(not(debug_assertions), inline(always))]
    fn driver(self: Pin<&mut Self>) -> Pin<&mut Driver<F, Y, S, E, Awaiting>> {
        // SAFETY: `driver` is structurally pinned: it is the only field,
        // `PinnedAsyncGen` has no `Drop` impl (the driver's own closes it), is not
        // `repr(packed)`, is `Unpin` only when the driver is (auto trait),
        // and never moves the driver out. (By hand rather than with
        // pin-project-lite, whose `Unpin` impl puts its hidden `__Origin`
        // type in the error a user sees for `Pin::new` of a `!Unpin` body:
        // `tests/ui/pinned_form_is_not_unpin.stderr`.)
        unsafe { self.map_unchecked_mut(|this| &mut this.driver) }
    }

    /// Where the generator is: see [`GenState`]. `Running` while a resume
    /// is under way (its future pending, or dropped before it finished).
    pub fn state(&self) -> GenState {
        self.driver.state()
    }

    /// Runs one resume to its end: the body's next yield, return, or drop.
    async fn step(self: Pin<&mut Self>, input: Option<Input<S, E>>) -> Step<Y, F::Output, S> {
        let mut driver = self.driver();
        let mut input = input;
        poll_fn(|cx| driver.as_mut().poll_resume(cx, input.take())).await
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
        match self.driver.refuses_start() {
            None => Ok(state_after(self.step(None).await)),
            Some(refused) => Err(ResumeError::new(refused, ())),
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
        let input = match self.driver.phase() {
            AsyncPhase::Suspended => Some(Input::Next(S::default())),
            AsyncPhase::Created | AsyncPhase::Running => None,
            AsyncPhase::Closed => return None,
        };
        next_result(self.step(input).await)
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
    /// ([`ResumeErrorKind::Running`](crate::ResumeErrorKind::Running)), or delegates to something that cannot
    /// take it ([`ResumeErrorKind::Undeliverable`](crate::ResumeErrorKind::Undeliverable)).
    pub async fn asend(
        self: Pin<&mut Self>,
        value: S,
    ) -> Result<GeneratorState<Y, F::Output>, ResumeError<S>> {
        match self.driver.refuses_send() {
            None => send_result(self.step(Some(Input::Send(value))).await),
            Some(refused) => Err(ResumeError::new(refused, value)),
        }
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
        match self.as_mut().driver().refuses_throw() {
            None => Ok(state_after(self.step(Some(Input::Throw(error))).await)),
            Some(refused) => Err(ResumeError::new(refused, error)),
        }
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
        if self.driver.phase() != AsyncPhase::Suspended {
            self.driver().drop_body();
            return Ok(None);
        }
        let step = self.as_mut().step(Some(Input::Close)).await;
        self.driver().close_result(step)
    }
}

impl<F: Body, Y, S: Default, E> futures_core::Stream for PinnedAsyncGen<F, Y, S, E> {
    type Item = Y;

    /// `anext()` keeping only yielded values; the return value is dropped.
    #[inline]
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Y>> {
        // Written out here and in `anext`: a helper returning
        // `Option<Option<Input>>` cost F/pinned 15 instructions per item in
        // the default profile.
        let mut driver = self.driver();
        let phase = driver.phase();
        // Suspended, almost always: tested on its own rather than in a
        // `match`, which LLVM made a jump table.
        let input = if phase == AsyncPhase::Suspended {
            let next = Input::Next(S::default());
            if !F::DELEGATES {
                Some(next)
            } else {
                // Straight to the innermost delegation; its yield returns
                // from here, before the paths join (measured: LLVM tested
                // the joined result against each of its tags, 9
                // instructions per item).
                match driver.as_mut().next_direct(next, cx.waker()) {
                    Ok(Poll::Ready(Step::Yielded(y))) => return Poll::Ready(Some(y)),
                    Ok(poll) => {
                        return poll
                            .map(|step| next_result(step).and_then(GeneratorState::yielded));
                    }
                    Err(rest) => rest,
                }
            }
        } else if phase == AsyncPhase::Closed {
            return Poll::Ready(None);
        } else {
            // Created, or running (a resume waits for a future of its own).
            None
        };
        driver
            .poll_step(cx, input)
            .map(|step| next_result(step).and_then(GeneratorState::yielded))
    }
}

impl<F: Body, Y, S: Default, E> futures_core::FusedStream for PinnedAsyncGen<F, Y, S, E> {
    fn is_terminated(&self) -> bool {
        self.state() == GenState::Closed
    }
}

impl<F, Y, S, E> Pinned for PinnedAsyncGen<F, Y, S, E>
where
    F: Body,
{
    type Body = F;

    #[cfg_attr(not(debug_assertions), inline(always))]
    fn new(body: F) -> Self {
        PinnedAsyncGen::new(body)
    }
    fn closed() -> Self {
        PinnedAsyncGen::closed()
    }
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn state(&self) -> GenState {
        PinnedAsyncGen::state(self)
    }
}
