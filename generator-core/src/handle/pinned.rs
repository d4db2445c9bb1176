//! The pinned generator: the body lives inline, nothing is allocated. Every
//! protocol call of the crate ends up here; the movable [`Gen`] boxes one of
//! these at its first resume.
//!
//! [`Gen`]: crate::Gen

use core::pin::Pin;
use core::ptr::NonNull;

use crate::body::Body;
use crate::body::Top;
use crate::engine::channel::{Channel, poll_body};
use crate::engine::signal::{Input, Output, Step, suspended};
use crate::handle::lazy::Pinned;
use crate::protocol::error::{CloseError, ResumeError, ResumeErrorKind};
use crate::protocol::generator::Generator;
use crate::protocol::state::{GenState, GeneratorState, NoThrow};
use crate::util::types::Types;
use crate::util::unfrozen::Unfrozen;
use crate::util::unwind::ClosedOnUnwind;

/// Where a pinned generator is. While a resume runs the phase is left as it
/// was (nothing can look: resuming takes `&mut`); a panic out of the body
/// closes the generator on its way out (`ClosedOnUnwind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Created,
    Suspended,
    Closed,
}

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
    /// Structurally pinned: never moved out, only dropped in place with
    /// `Pin::set(None)`. In a cell that `&Self` does not freeze (see
    /// `util/unfrozen.rs`): a suspended body may borrow itself.
    body: Unfrozen<Option<F>>,
    phase: Phase,
    types: Types<Y, S, E>,
}

impl<F, Y, S, E> PinnedGen<F, Y, S, E>
where
    F: Body,
{
    pub(crate) fn new(body: F) -> Self {
        PinnedGen {
            body: Unfrozen::new(Some(body)),
            phase: Phase::Created,
            types: Types::default(),
        }
    }

    pub(crate) fn closed() -> Self {
        PinnedGen {
            body: Unfrozen::new(None),
            phase: Phase::Closed,
            types: Types::default(),
        }
    }

    /// Where the generator is: see [`GenState`].
    pub fn state(&self) -> GenState {
        match self.phase {
            Phase::Created => GenState::Created,
            Phase::Suspended => GenState::Suspended,
            Phase::Closed => GenState::Closed,
        }
    }

    fn project(self: Pin<&mut Self>) -> (Pin<&mut Option<F>>, &mut Phase) {
        // SAFETY: `body` is structurally pinned and `phase` is not.
        // `PinnedGen` is `Unpin` only when `F` is (auto trait through
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
    fn kill(self: Pin<&mut Self>) {
        let (mut body, phase) = self.project();
        *phase = Phase::Closed;
        body.set(None);
    }

    /// Resumes the body with `input` at its yield point and settles the
    /// phase from what it did. A panic out of the body closes the generator.
    ///
    /// The only caller of the body's `poll`. Inlined with the hot protocol
    /// calls (`resume`, `send`) into the consumer's loop, so that LLVM sees
    /// the channel handoff as stack traffic it can remove.
    #[inline(always)]
    fn step(self: Pin<&mut Self>, input: Option<Input<S, E>>) -> Step<Y, F::Output, S> {
        let (mut body, phase) = self.project();
        let guard = ClosedOnUnwind::new(phase, Phase::Closed);
        let Some(live) = body.as_mut().as_pin_mut() else {
            crate::util::panics::invariant("a closed generator has no body to resume")
        };
        let step = poll_body::<F, Y, S, E>(live, input);
        settle(&step, body, guard.defuse());
        step
    }

    /// `next()` straight to the innermost direct delegation of a body with
    /// `yield_from!` (`Body::resume_top`): the step, or what is left of the
    /// input when the resume must go on through [`step`](Self::step) — all of
    /// it when no delegation runs, none when the delegations ran to their end
    /// and the body's own code comes next.
    #[inline(always)]
    fn next_direct(
        self: Pin<&mut Self>,
        input: Input<S, E>,
    ) -> Result<Step<Y, F::Output, S>, Rest<S, E>> {
        let (mut body, phase) = self.project();
        let Some(live) = body.as_mut().as_pin_mut() else {
            return Err(Some(input));
        };
        let mut channel = Channel::<Y, S, E>::new(core::ptr::null(), Some(input));
        let guard = ClosedOnUnwind::new(phase, Phase::Closed);
        // SAFETY: `channel` is a local of this call, made for a `next()` of
        // this generator, whose types are the body's (`Gen::from_*` fix
        // them), and not touched here while the body runs.
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
                    Ok(Step::Yielded(y))
                }
                output => {
                    // Still under the guard: a broken invariant reported here
                    // closes the generator, as it does in `step`.
                    let step = suspended_otherwise(output);
                    settle(&step, body, guard.defuse());
                    Ok(step)
                }
            },
        }
    }

    /// Runs the body up to its first yield. Python: the first `next(g)`.
    ///
    /// # Errors
    ///
    /// [`ResumeErrorKind::AlreadyStarted`] when the generator is suspended,
    /// [`ResumeErrorKind::Closed`] when it is closed; nothing runs.
    #[inline(always)]
    pub fn start(self: Pin<&mut Self>) -> Result<GeneratorState<Y, F::Output>, ResumeError<()>> {
        match self.phase {
            Phase::Created => Ok(settled(self.step(None))),
            Phase::Suspended => Err(ResumeError::new(ResumeErrorKind::AlreadyStarted, ())),
            Phase::Closed => Err(ResumeError::new(ResumeErrorKind::Closed, ())),
        }
    }

    /// Python's `next(g)`: starts the generator, or resumes its `yield_!`
    /// with `S::default()`. `None` when the generator is closed: the body does
    /// not run and a return value is never reported twice.
    ///
    /// Starting makes an `S::default()` too, which the body never sees (it
    /// runs to its first yield): one path for both, so the body's code is
    /// inlined once where `resume` is called.
    #[inline(always)]
    pub fn resume(mut self: Pin<&mut Self>) -> Option<GeneratorState<Y, F::Output>>
    where
        S: Default,
    {
        // One call of `step` with one input whether the body starts or
        // resumes (a starting body leaves the default value untaken), so the
        // body's poll is inlined once here, not once per phase.
        match self.phase {
            Phase::Created | Phase::Suspended => {
                let next = Input::Next(S::default());
                let input = if F::DELEGATES && self.phase == Phase::Suspended {
                    match self.as_mut().next_direct(next) {
                        Ok(step) => return Some(settled(step)),
                        Err(rest) => rest,
                    }
                } else {
                    Some(next)
                };
                Some(settled(self.step(input)))
            }
            Phase::Closed => None,
        }
    }

    /// Python's `g.send(value)`: `yield_!` evaluates to `value`.
    ///
    /// # Errors
    ///
    /// The value comes back inside the error when the generator has not
    /// started ([`ResumeErrorKind::NotStarted`], it stays created), is closed
    /// ([`ResumeErrorKind::Closed`]), or delegates to a plain iterator that
    /// cannot take it ([`ResumeErrorKind::Undeliverable`], it stays where it
    /// was).
    #[inline(always)]
    pub fn send(
        self: Pin<&mut Self>,
        value: S,
    ) -> Result<GeneratorState<Y, F::Output>, ResumeError<S>> {
        match self.phase {
            Phase::Suspended => match self.step(Some(Input::Send(value))) {
                Step::Yielded(y) => Ok(GeneratorState::Yielded(y)),
                Step::Complete(r) => Ok(GeneratorState::Complete(r)),
                Step::Rejected(s) => Err(ResumeError::new(ResumeErrorKind::Undeliverable, s)),
                Step::Abandoned => crate::util::panics::invariant("only a close abandons a body"),
            },
            Phase::Created => Err(ResumeError::new(ResumeErrorKind::NotStarted, value)),
            Phase::Closed => Err(ResumeError::new(ResumeErrorKind::Closed, value)),
        }
    }

    /// Python's `g.throw(error)`: raises `error` at the yield point. A
    /// `yield_!` returns `Err(error.into())` from the body; a `yield_catch!`
    /// evaluates to `Err(Interrupt::Throw(error))`.
    ///
    /// # Errors
    ///
    /// The error comes back unraised when the generator has not started
    /// ([`ResumeErrorKind::NotStarted`]; the generator is now closed, as in
    /// Python) or is closed ([`ResumeErrorKind::Closed`]).
    pub fn throw(
        self: Pin<&mut Self>,
        error: E,
    ) -> Result<GeneratorState<Y, F::Output>, ResumeError<E>> {
        match self.phase {
            Phase::Suspended => Ok(settled(self.step(Some(Input::Throw(error))))),
            Phase::Created => {
                self.kill();
                Err(ResumeError::new(ResumeErrorKind::NotStarted, error))
            }
            Phase::Closed => Err(ResumeError::new(ResumeErrorKind::Closed, error)),
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
    pub fn close(mut self: Pin<&mut Self>) -> Result<Option<F::Output>, CloseError<Y>> {
        match self.phase {
            Phase::Suspended if F::CLOSE_RESUMES => match self.as_mut().step(Some(Input::Close)) {
                Step::Complete(r) => Ok(Some(r)),
                Step::Abandoned => Ok(None),
                Step::Yielded(y) => {
                    self.kill();
                    Err(CloseError::new(y))
                }
                Step::Rejected(_) => crate::util::panics::invariant("only a send is rejected"),
            },
            // Created, closed, or suspended at a plain `yield_!`.
            _ => {
                self.kill();
                Ok(None)
            }
        }
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

/// What is left of a resume that did not go straight to the innermost
/// delegation: the input, if nothing took it yet.
type Rest<S, E> = Option<Input<S, E>>;

/// [`suspended`] out of line, for what is not a yield.
#[cold]
#[inline(never)]
fn suspended_otherwise<Y, R, S>(output: Output<Y, S>) -> Step<Y, R, S> {
    suspended(output)
}

/// Settles the phase from what a resume did: a body that completed or was
/// abandoned is dropped in place.
#[inline(always)]
fn settle<F, Y, R, S>(step: &Step<Y, R, S>, mut body: Pin<&mut Option<F>>, phase: &mut Phase) {
    match step {
        Step::Yielded(_) | Step::Rejected(_) => *phase = Phase::Suspended,
        Step::Complete(_) | Step::Abandoned => {
            *phase = Phase::Closed;
            body.set(None);
        }
    }
}

/// Maps a step of a resume that cannot be rejected or abandoned (start,
/// next, throw) to what the caller sees.
#[inline(always)]
fn settled<Y, R, S>(step: Step<Y, R, S>) -> GeneratorState<Y, R> {
    match step {
        Step::Yielded(y) => GeneratorState::Yielded(y),
        Step::Complete(r) => GeneratorState::Complete(r),
        Step::Rejected(_) | Step::Abandoned => {
            crate::util::panics::invariant("only a send is rejected and only a close abandons")
        }
    }
}

impl<F, Y, S, E> Drop for PinnedGen<F, Y, S, E>
where
    F: Body,
{
    /// A suspended generator is closed before it is dropped (Python's
    /// finalizer), so `yield_catch!` cleanup runs; what the close returns is
    /// dropped. While the thread is already panicking it is only dropped.
    ///
    /// For a body that cannot catch a close (`Body::CLOSE_RESUMES`, known
    /// from its type) this is empty. Otherwise it is inlined where the
    /// generator dies, close included: a call out of line would let the
    /// generator's address escape, and keep its state out of registers in
    /// the loop that drives it.
    #[inline(always)]
    fn drop(&mut self) {
        if F::CLOSE_RESUMES && self.phase == Phase::Suspended {
            // SAFETY: `drop` is the last use of `self`. A generator is only
            // ever suspended by a resume through `Pin<&mut Self>`, so this
            // one was pinned and has not moved since; treating it as pinned
            // here keeps the structural pinning promise of `project` (the
            // body is closed and dropped in place).
            let this = unsafe { Pin::new_unchecked(self) };
            this.close_on_drop();
        }
    }
}

impl<F, Y, S, E> PinnedGen<F, Y, S, E>
where
    F: Body,
{
    /// Python's finalizer: closes a suspended generator that can catch the
    /// close, unless the thread is already panicking.
    #[inline(always)]
    fn close_on_drop(self: Pin<&mut Self>) {
        if crate::util::types::panicking() {
            return;
        }
        drop(self.close());
    }
}

/// The iterator of [`PinnedGen::iter`].
pub struct Iter<'a, F, Y, S, E>
where
    F: Body,
{
    generator: Pin<&'a mut PinnedGen<F, Y, S, E>>,
}

impl<F, Y, S, E> Iterator for Iter<'_, F, Y, S, E>
where
    F: Body,
    S: Default,
{
    type Item = Y;

    #[inline(always)]
    fn next(&mut self) -> Option<Y> {
        self.generator.as_mut().resume()?.yielded()
    }
}

impl<F, Y, S, E> Generator for PinnedGen<F, Y, S, E>
where
    F: Body,
{
    type Yield = Y;
    type Send = S;
    type Throw = E;
    type Return = F::Output;

    fn state(&self) -> GenState {
        PinnedGen::state(self)
    }
    fn start(self: Pin<&mut Self>) -> Result<GeneratorState<Y, F::Output>, ResumeError<()>> {
        PinnedGen::start(self)
    }
    fn resume(self: Pin<&mut Self>) -> Option<GeneratorState<Y, F::Output>>
    where
        S: Default,
    {
        PinnedGen::resume(self)
    }
    fn send(
        self: Pin<&mut Self>,
        value: S,
    ) -> Result<GeneratorState<Y, F::Output>, ResumeError<S>> {
        PinnedGen::send(self, value)
    }
    fn throw(
        self: Pin<&mut Self>,
        error: E,
    ) -> Result<GeneratorState<Y, F::Output>, ResumeError<E>> {
        PinnedGen::throw(self, error)
    }
    fn close(self: Pin<&mut Self>) -> Result<Option<F::Output>, CloseError<Y>> {
        PinnedGen::close(self)
    }
}

impl<F, Y, S, E> Pinned for PinnedGen<F, Y, S, E>
where
    F: Body,
{
    type Body = F;

    #[inline(always)]
    fn new(body: F) -> Self {
        PinnedGen::new(body)
    }
    fn closed() -> Self {
        PinnedGen::closed()
    }
    #[inline(always)]
    fn state(&self) -> GenState {
        PinnedGen::state(self)
    }
}
