//! The pinned generator: the body lives inline, nothing is allocated. Every
//! protocol call of the crate ends up here; the movable [`Gen`] boxes one of
//! these at its first resume.
//!
//! [`Gen`]: crate::Gen

use core::pin::Pin;
use core::task::Poll;

use crate::body::Body;
use crate::engine::signal::{Input, Step};
use crate::handle::driver::{Blocking, Driver, Phase};
use crate::handle::lazy::Pinned;
use crate::handle::outcome::{send_result, state_after};
use crate::protocol::error::{CloseError, ResumeError};
use crate::protocol::generator::Generator;
use crate::protocol::state::{GenState, GeneratorState, NoThrow};

/// A generator whose body is stored inline and must not move once started:
/// the zero-allocation form, and the only one without the `alloc` feature.
///
/// Make one from a generator function's result with [`Gen::into_pinned`],
/// pin it (`core::pin::pin!`), and drive it through `Pin<&mut Self>`:
///
/// ```
/// use core::pin::pin;
/// use pygen::{generator, yield_, GeneratorState};
///
/// #[generator(yield = u32)]
/// fn countdown(from: u32) -> &'static str {
///     for i in (1..=from).rev() {
///         yield_!(i);
///     }
///     "liftoff"
/// }
///
/// let mut g = pin!(countdown(2).into_pinned());
/// assert_eq!(g.as_mut().resume(), Some(GeneratorState::Yielded(2)));
/// assert_eq!(g.as_mut().resume(), Some(GeneratorState::Yielded(1)));
/// assert_eq!(g.as_mut().resume(), Some(GeneratorState::Complete("liftoff")));
/// assert_eq!(g.as_mut().resume(), None);
/// ```
///
/// Its protocol is the one documented on [`Gen`], with `self: Pin<&mut Self>`.
///
/// [`Gen`]: crate::Gen
/// [`Gen::into_pinned`]: crate::Gen::into_pinned
#[must_use = "a generator runs nothing until it is resumed: call `resume`, `send` or `start`"]
pub struct PinnedGen<F, Y, S = (), E = NoThrow>
where
    F: Body,
{
    /// Structurally pinned: the only field (see `driver`).
    driver: Driver<F, Y, S, E, Blocking>,
}

impl<F, Y, S, E> PinnedGen<F, Y, S, E>
where
    F: Body,
{
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) fn new(body: F) -> Self {
        PinnedGen {
            driver: Driver::new(body),
        }
    }

    pub(crate) fn closed() -> Self {
        PinnedGen {
            driver: Driver::closed(),
        }
    }

    #[cfg_attr(not(debug_assertions), inline(always))]
    fn driver(self: Pin<&mut Self>) -> Pin<&mut Driver<F, Y, S, E, Blocking>> {
        // SAFETY: `driver` is structurally pinned: it is the only field,
        // `PinnedGen` has no `Drop` impl (the driver's own closes it), is not
        // `repr(packed)`, is `Unpin` only when the driver is (auto trait),
        // and never moves the driver out. (By hand rather than with
        // pin-project-lite, whose `Unpin` impl puts its hidden `__Origin`
        // type in the error a user sees for `Pin::new` of a `!Unpin` body:
        // `tests/ui/pinned_form_is_not_unpin.stderr`.)
        unsafe { self.map_unchecked_mut(|this| &mut this.driver) }
    }

    /// Where the generator is: see [`GenState`].
    pub fn state(&self) -> GenState {
        self.driver.state()
    }

    /// Runs the body up to its first yield. Python: the first `next(g)`.
    ///
    /// # Errors
    ///
    /// [`ResumeErrorKind::AlreadyStarted`](crate::ResumeErrorKind::AlreadyStarted) when the generator is suspended,
    /// [`ResumeErrorKind::Closed`](crate::ResumeErrorKind::Closed) when it is closed; nothing runs.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn start(self: Pin<&mut Self>) -> Result<GeneratorState<Y, F::Output>, ResumeError<()>> {
        match self.driver.refuses_start() {
            None => Ok(state_after(self.driver().step(None))),
            Some(refused) => Err(ResumeError::new(refused, ())),
        }
    }

    /// Python's `next(g)`: starts the generator, or resumes its `yield_!`
    /// with `S::default()`. `None` when the generator is closed: the body does
    /// not run and a return value is never reported twice.
    ///
    /// Starting makes an `S::default()` too, which the body never sees (it
    /// runs to its first yield): one path for both, so the body's code is
    /// inlined once where `resume` is called.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn resume(self: Pin<&mut Self>) -> Option<GeneratorState<Y, F::Output>>
    where
        S: Default,
    {
        // One call of `step` with one input whether the body starts or
        // resumes (a starting body leaves the default value untaken), so the
        // body's poll is inlined once here, not once per phase.
        let phase = self.driver.phase();
        let mut driver = self.driver();
        match phase {
            Phase::Created | Phase::Suspended => {
                let next = Input::Next(S::default());
                let input = if F::DELEGATES && phase == Phase::Suspended {
                    match driver.as_mut().next_direct(next, core::ptr::null()) {
                        Ok(Poll::Ready(Step::Yielded(y))) => {
                            return Some(GeneratorState::Yielded(y));
                        }
                        Ok(Poll::Ready(step)) => return Some(state_after(step)),
                        Ok(Poll::Pending) => {
                            crate::util::panics::invariant("a synchronous generator does not wait")
                        }
                        Err(rest) => rest,
                    }
                } else {
                    Some(next)
                };
                Some(state_after(driver.step(input)))
            }
            Phase::Closed => None,
        }
    }

    /// Python's `g.send(value)`: `yield_!` evaluates to `value`.
    ///
    /// # Errors
    ///
    /// The value comes back inside the error when the generator has not
    /// started ([`ResumeErrorKind::NotStarted`](crate::ResumeErrorKind::NotStarted), it stays created), is closed
    /// ([`ResumeErrorKind::Closed`](crate::ResumeErrorKind::Closed)), or delegates to a plain iterator that
    /// cannot take it ([`ResumeErrorKind::Undeliverable`](crate::ResumeErrorKind::Undeliverable), it stays where it
    /// was).
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn send(
        self: Pin<&mut Self>,
        value: S,
    ) -> Result<GeneratorState<Y, F::Output>, ResumeError<S>> {
        match self.driver.refuses_send() {
            None => send_result(self.driver().step(Some(Input::Send(value)))),
            Some(refused) => Err(ResumeError::new(refused, value)),
        }
    }

    /// Python's `g.throw(error)`: raises `error` at the yield point. A
    /// `yield_!` returns `Err(error.into())` from the body; a `yield_catch!`
    /// evaluates to `Err(Interrupt::Throw(error))`.
    ///
    /// # Errors
    ///
    /// The error comes back unraised when the generator has not started
    /// ([`ResumeErrorKind::NotStarted`](crate::ResumeErrorKind::NotStarted); the generator is now closed, as in
    /// Python) or is closed ([`ResumeErrorKind::Closed`](crate::ResumeErrorKind::Closed)).
    pub fn throw(
        self: Pin<&mut Self>,
        error: E,
    ) -> Result<GeneratorState<Y, F::Output>, ResumeError<E>> {
        let mut driver = self.driver();
        match driver.as_mut().refuses_throw() {
            None => Ok(state_after(driver.step(Some(Input::Throw(error))))),
            Some(refused) => Err(ResumeError::new(refused, error)),
        }
    }

    /// Python's `g.close()`. At a `yield_!` the body is dropped in place
    /// (its destructors are its `finally`) and `Ok(None)` comes back; at a
    /// `yield_catch!` the body sees `Interrupt::Close` and `Ok(Some(r))`
    /// comes back if it returns `r`. A created or closed generator just
    /// becomes closed: `Ok(None)`, no body code runs.
    ///
    /// # Errors
    ///
    /// [`CloseError`] with the yielded value when the body yields instead of
    /// finishing; the generator is then dropped and closed.
    pub fn close(self: Pin<&mut Self>) -> Result<Option<F::Output>, CloseError<Y>> {
        self.driver().close()
    }

    /// An iterator over the yielded values, borrowing the pinned generator.
    ///
    /// ```
    /// use core::pin::pin;
    /// use pygen::{generator, yield_};
    ///
    /// #[generator(yield = u8)]
    /// fn digits() { for d in 0..3 { yield_!(d) } }
    ///
    /// let g = pin!(digits().into_pinned());
    /// assert_eq!(g.iter().collect::<Vec<_>>(), [0, 1, 2]);
    /// ```
    pub fn iter(self: Pin<&mut Self>) -> Iter<'_, F, Y, S, E>
    where
        S: Default,
    {
        Iter { generator: self }
    }
}

/// The iterator of [`PinnedGen::iter`].
pub struct Iter<'a, F, Y, S, E>
where
    F: Body,
{
    generator: Pin<&'a mut PinnedGen<F, Y, S, E>>,
}

impl<F: Body, Y, S: Default, E> Iterator for Iter<'_, F, Y, S, E> {
    type Item = Y;

    #[cfg_attr(not(debug_assertions), inline(always))]
    fn next(&mut self) -> Option<Y> {
        self.generator.as_mut().resume()?.yielded()
    }
}

impl<F, Y, S, E> Generator for PinnedGen<F, Y, S, E>
where
    F: Body,
{
    inherent_generator!(this => this);
}

impl<F, Y, S, E> Pinned for PinnedGen<F, Y, S, E>
where
    F: Body,
{
    type Body = F;

    #[cfg_attr(not(debug_assertions), inline(always))]
    fn new(body: F) -> Self {
        PinnedGen::new(body)
    }
    fn closed() -> Self {
        PinnedGen::closed()
    }
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn state(&self) -> GenState {
        PinnedGen::state(self)
    }
}
