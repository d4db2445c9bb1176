//! The default generator handle: movable, an `Iterator`, methods on
//! `&mut self`. The body stays inline until the first resume, which moves it
//! into one heap allocation (a boxed [`PinnedGen`]) where it may borrow
//! itself across yields; creating and dropping an unstarted generator
//! allocates nothing.

#[cfg(feature = "alloc")]
use core::pin::Pin;

use crate::body::Body;
use crate::handle::lazy::{Lazy, Misuse};
use crate::handle::pinned::PinnedGen;
#[cfg(feature = "alloc")]
use crate::protocol::generator::Generator;
use crate::protocol::state::{GenState, NoThrow};
#[cfg(feature = "alloc")]
use crate::{
    protocol::error::{CloseError, ResumeError},
    protocol::state::GeneratorState,
};

/// A generator: what a `#[generator]` function returns.
///
/// `F` is the body, a [`Body`]: the function's `async` block (which the
/// compiler turns into a state machine), wrapped so that its type says
/// whether a close must resume it, or a boxed one after `Gen::boxed`.
/// `Y` is the yield type, `S` the send type, `E` the throw type
/// ([`NoThrow`] when the attribute declares none). The return value type is
/// `F::Output`. The protocol, as in Python:
///
/// | call | created | suspended | closed |
/// |---|---|---|---|
/// | [`resume`](Gen::resume), `Iterator::next` | run to first yield | resume with `S::default()` | `None` |
/// | [`start`](Gen::start) | run to first yield | error | error |
/// | [`send(s)`](Gen::send) | error with `s` | `yield_!` evaluates to `s` | error with `s` |
/// | [`throw(e)`](Gen::throw) | closes, error with `e` | `e` raised at the yield | error with `e` |
/// | [`close`](Gen::close) | closes, `Ok(None)` | close raised at the yield | `Ok(None)` |
/// | [`state`](Gen::state) | `Created` | `Suspended` | `Closed` |
///
/// ```
/// use pygen::{generator, yield_};
///
/// #[generator(yield = u64)]
/// fn fib() {
///     let (mut a, mut b) = (0, 1);
///     loop {
///         yield_!(a);
///         (a, b) = (b, a + b);
///     }
/// }
///
/// let first: Vec<u64> = fib().take(8).collect();
/// assert_eq!(first, [0, 1, 1, 2, 3, 5, 8, 13]);
/// ```
#[must_use = "a generator runs nothing until it is resumed: iterate it, or call `next`, `send` or `start`"]
pub struct Gen<F, Y, S = (), E = NoThrow>
where
    F: Body,
{
    pub(super) repr: Lazy<PinnedGen<F, Y, S, E>>,
}

// `Gen` never pins `F` in place: a created body is only moved (into the box
// or into a `PinnedGen`), and a started one lives behind `Pin<Box<_>>`.
impl<F, Y, S, E> Unpin for Gen<F, Y, S, E> where F: Body {}

impl<F, Y, S, E> Gen<F, Y, S, E>
where
    F: Body,
{
    /// A generator of `body`, not started: for the hidden constructors
    /// (`build.rs`).
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) fn created(body: F) -> Self {
        Gen {
            repr: Lazy::Created(body),
        }
    }
}

impl<F, Y, S, E> Gen<F, Y, S, E>
where
    F: Body,
{
    /// Turns an unstarted generator into the pinned, allocation-free form
    /// (pin it with `core::pin::pin!`). A closed generator stays closed.
    ///
    /// ```
    /// use core::pin::pin;
    /// use pygen::{generator, yield_, GeneratorState};
    ///
    /// #[generator(yield = char)]
    /// fn ab() { yield_!('a'); yield_!('b'); }
    ///
    /// let mut g = pin!(ab().into_pinned());
    /// assert_eq!(g.as_mut().start(), Ok(GeneratorState::Yielded('a')));
    /// ```
    ///
    /// # Panics
    ///
    /// When the generator has already started: its body lives on the heap
    /// and may borrow itself, so it cannot move back inline.
    pub fn into_pinned(self) -> PinnedGen<F, Y, S, E> {
        self.repr.into_pinned("Gen")
    }

    /// The body of an unstarted generator, for flat delegation.
    ///
    /// # Panics
    ///
    /// When the generator has started or is closed.
    pub(crate) fn into_unstarted_body(self) -> F {
        self.repr.into_body(&Misuse::SYNC)
    }

    /// What a `yield_from!` of a generator by value requires of it: that it
    /// has not started (flat delegation moves its body; the delegation to a
    /// generator that takes nothing starts it itself).
    ///
    /// # Panics
    ///
    /// When the generator has started or is closed, saying what to write.
    #[cfg_attr(not(feature = "alloc"), allow(dead_code))]
    pub(crate) fn expect_unstarted(&self) {
        self.repr.expect_created(&Misuse::SYNC);
    }
}

impl<F, Y, S, E> Gen<F, Y, S, E>
where
    F: Body,
{
    /// Where the generator is: see [`GenState`]. (Without `alloc` a `Gen`
    /// cannot start: it is `Created` until dropped.)
    pub fn state(&self) -> GenState {
        self.repr.state()
    }
}

#[cfg(feature = "alloc")]
impl<F, Y, S, E> Gen<F, Y, S, E>
where
    F: Body,
{
    /// Runs the body up to its first yield (Python: the first `next(g)`).
    ///
    /// ```
    /// use pygen::{generator, yield_, GeneratorState, ResumeErrorKind};
    ///
    /// #[generator(yield = &'static str, send = String)]
    /// fn greeter() {
    ///     let name = yield_!("who are you?");
    ///     yield_!(if name == "robot" { "beep" } else { "hello" });
    /// }
    ///
    /// let mut g = greeter();
    /// assert_eq!(g.start(), Ok(GeneratorState::Yielded("who are you?")));
    /// assert_eq!(g.start().unwrap_err().kind(), ResumeErrorKind::AlreadyStarted);
    /// assert_eq!(g.send("robot".into()), Ok(GeneratorState::Yielded("beep")));
    /// ```
    ///
    /// # Errors
    ///
    /// [`ResumeErrorKind::AlreadyStarted`](crate::ResumeErrorKind) or
    /// [`ResumeErrorKind::Closed`](crate::ResumeErrorKind); nothing runs.
    // Inlined like `resume` and `send`: a call out of line would let the
    // handle's box escape, and keep the body's state in memory afterwards.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn start(&mut self) -> Result<GeneratorState<Y, F::Output>, ResumeError<()>> {
        match &self.repr {
            Lazy::Created(_) => {}
            _ if self.state() == GenState::Suspended => {
                return Err(ResumeError::new(crate::ResumeErrorKind::AlreadyStarted, ()));
            }
            _ => return Err(ResumeError::new(crate::ResumeErrorKind::Closed, ())),
        }
        let result = self.repr.started().map(PinnedGen::start);
        self.repr.release_if_closed();
        result.expect("pygen: a created generator starts")
    }

    /// Python's `@coroutine`: runs a fresh generator to its first yield,
    /// so that it takes [`send`](Self::send) at once, and returns it. A push
    /// stage of a pipeline is made ready this way where it is made:
    /// `grep("python", printer().primed()).primed()`. A generator that has
    /// started already is returned as it is.
    ///
    /// The value yielded at that first yield is dropped, as `@coroutine`
    /// drops what its `next()` returns (a coroutine's first yield is
    /// usually `yield_!(())`, Python's bare `(yield)`); use
    /// [`start`](Self::start) when that value matters. To send into a fresh
    /// generator the way Python's `send(None)` does, call
    /// [`resume`](Self::resume) (or `start`): `send` refuses a fresh
    /// generator and hands the value back, as Python does for any other
    /// value.
    ///
    /// ```
    /// use pygen::{generator, yield_, GeneratorState};
    ///
    /// #[generator(yield = (), send = String)]
    /// fn shout() -> usize {
    ///     let mut count = 0;
    ///     loop {
    ///         let line = yield_!(());
    ///         if line.is_empty() {
    ///             return count;
    ///         }
    ///         println!("{}", line.to_uppercase());
    ///         count += 1;
    ///     }
    /// }
    ///
    /// let mut g = shout().primed();
    /// assert_eq!(g.send("hello".into()), Ok(GeneratorState::Yielded(())));
    /// assert_eq!(g.send(String::new()), Ok(GeneratorState::Complete(1)));
    /// ```
    ///
    /// # Panics
    ///
    /// When the body returns before its first yield (where `@coroutine`
    /// raises `StopIteration`): there is no yield for a sent value to reach,
    /// and the return value would be lost here; `start()` returns it.
    #[track_caller]
    pub fn primed(mut self) -> Self {
        if self.state() == GenState::Created {
            if let Ok(GeneratorState::Complete(_)) = self.start() {
                crate::util::panics::returned_before_priming();
            }
        }
        self
    }

    /// Python's `next(g)`, with the return value: starts the generator or
    /// resumes its `yield_!` with `S::default()`. `None` once closed; the
    /// return value is reported once, by the resume that completes.
    /// (Starting makes an `S::default()` too, which the body never sees.)
    ///
    /// `Iterator::next` is the same call keeping only yielded values.
    ///
    /// ```
    /// use pygen::{generator, yield_, GeneratorState};
    ///
    /// #[generator(yield = u8)]
    /// fn two() -> &'static str { yield_!(1); yield_!(2); "done" }
    ///
    /// let mut g = two();
    /// assert_eq!(g.resume(), Some(GeneratorState::Yielded(1)));
    /// assert_eq!(g.next(), Some(2));
    /// assert_eq!(g.resume(), Some(GeneratorState::Complete("done")));
    /// assert_eq!(g.resume(), None);
    /// ```
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn resume(&mut self) -> Option<GeneratorState<Y, F::Output>>
    where
        S: Default,
    {
        let result = self.repr.started()?.resume();
        if let Some(GeneratorState::Complete(_)) | None = result {
            self.repr.release_if_closed();
        }
        result
    }

    /// Python's `g.send(value)`: the `yield_!` the body is suspended at
    /// evaluates to `value`.
    ///
    /// ```
    /// use pygen::{generator, yield_, GeneratorState};
    ///
    /// #[generator(yield = u32, send = u32)]
    /// fn accumulate() {
    ///     let mut total = 0;
    ///     loop { total += yield_!(total); }
    /// }
    ///
    /// let mut g = accumulate();
    /// g.start().unwrap();
    /// assert_eq!(g.send(10), Ok(GeneratorState::Yielded(10)));
    /// assert_eq!(g.send(5), Ok(GeneratorState::Yielded(15)));
    /// ```
    ///
    /// # Errors
    ///
    /// The value comes back inside a [`ResumeError`] when the generator has
    /// not started (it stays created), is closed, or is delegating to a
    /// plain iterator that cannot take it (it stays where it was).
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn send(&mut self, value: S) -> Result<GeneratorState<Y, F::Output>, ResumeError<S>> {
        match &mut self.repr {
            Lazy::Started(pinned) => {
                let result = pinned.as_mut().send(value);
                if !matches!(result, Ok(GeneratorState::Yielded(_))) {
                    self.repr.release_if_closed();
                }
                result
            }
            Lazy::Created(_) => Err(ResumeError::new(crate::ResumeErrorKind::NotStarted, value)),
            Lazy::Closed(_) => Err(ResumeError::new(crate::ResumeErrorKind::Closed, value)),
        }
    }

    /// Python's `g.throw(error)`: raises `error` at the yield point. A
    /// `yield_!` makes the body return `Err(error.into())`; a
    /// `yield_catch!` hands it to the body as `Err(Interrupt::Throw(error))`.
    ///
    /// ```
    /// use pygen::{generator, yield_, GeneratorState};
    ///
    /// #[derive(Debug, PartialEq)]
    /// struct Jam;
    ///
    /// #[generator(yield = u8, throw = Jam)]
    /// fn conveyor() -> Result<(), Jam> {
    ///     loop { yield_!(1); }
    /// }
    ///
    /// let mut g = conveyor();
    /// g.start().unwrap();
    /// assert_eq!(g.throw(Jam), Ok(GeneratorState::Complete(Err(Jam))));
    /// assert_eq!(g.throw(Jam).unwrap_err().into_inner(), Jam); // closed now
    /// ```
    ///
    /// # Errors
    ///
    /// The error comes back unraised when the generator has not started (it
    /// is closed now, as in Python) or is closed.
    pub fn throw(&mut self, error: E) -> Result<GeneratorState<Y, F::Output>, ResumeError<E>> {
        let result = match &mut self.repr {
            Lazy::Started(pinned) => pinned.as_mut().throw(error),
            Lazy::Created(_) => {
                self.repr = Lazy::closed();
                Err(ResumeError::new(crate::ResumeErrorKind::NotStarted, error))
            }
            Lazy::Closed(_) => Err(ResumeError::new(crate::ResumeErrorKind::Closed, error)),
        };
        self.repr.release_if_closed();
        result
    }

    /// Python's `g.close()`. See [`PinnedGen::close`] for what the body sees.
    ///
    /// ```
    /// use pygen::{generator, yield_catch, Interrupt};
    ///
    /// #[generator(yield = u32)]
    /// fn counter() -> u32 {
    ///     let mut n = 0;
    ///     loop {
    ///         match yield_catch!(n) {
    ///             Ok(()) => n += 1,
    ///             Err(Interrupt::Close) => return n, // Python 3.13: close() returns it
    ///         }
    ///     }
    /// }
    ///
    /// let mut g = counter();
    /// g.nth(3);
    /// assert_eq!(g.close(), Ok(Some(3)));
    /// assert_eq!(g.close(), Ok(None)); // a second close is a no-op
    /// ```
    ///
    /// # Errors
    ///
    /// [`CloseError`] with the yielded value when the body yields instead of
    /// finishing; the generator is dropped and closed.
    pub fn close(&mut self) -> Result<Option<F::Output>, CloseError<Y>> {
        let result = match &mut self.repr {
            Lazy::Started(pinned) => pinned.as_mut().close(),
            Lazy::Created(_) | Lazy::Closed(_) => Ok(None),
        };
        self.repr = Lazy::closed();
        result
    }
}

#[cfg(feature = "alloc")]
impl<F: Body, Y, S: Default, E> Iterator for Gen<F, Y, S, E> {
    type Item = Y;

    /// Python's `next(g)` keeping only the yielded value: the return value
    /// is dropped, as a Python `for` loop drops `StopIteration.value`.
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn next(&mut self) -> Option<Y> {
        self.resume()?.yielded()
    }

    /// Consumes the generator; an unstarted one runs pinned on the stack,
    /// without the heap allocation a started `Gen` makes. `sum`, `for_each`,
    /// `collect` and friends come through here.
    ///
    /// A started one runs in its box, through the same pinned `resume`:
    /// not through `next`, whose boxing at the first resume and release at
    /// the end a consumed generator does not need (and a debug build would
    /// otherwise compile once more for each generator).
    #[inline]
    fn fold<B, G>(self, init: B, f: G) -> B
    where
        G: FnMut(B, Y) -> B,
    {
        match self.repr {
            Lazy::Created(_) => drain(core::pin::pin!(self.into_pinned()), init, f),
            Lazy::Started(mut boxed) => drain(boxed.as_mut(), init, f),
            Lazy::Closed(_) => init,
        }
    }
}

/// Folds what a pinned generator yields until it returns or closes.
#[cfg(feature = "alloc")]
#[inline]
fn drain<F: Body, Y, S: Default, E, B>(
    mut pinned: Pin<&mut PinnedGen<F, Y, S, E>>,
    init: B,
    mut f: impl FnMut(B, Y) -> B,
) -> B {
    let mut acc = init;
    while let Some(GeneratorState::Yielded(y)) = pinned.as_mut().resume() {
        acc = f(acc, y);
    }
    acc
}

#[cfg(feature = "alloc")]
impl<F, Y, S, E> core::iter::FusedIterator for Gen<F, Y, S, E>
where
    F: Body,
    S: Default,
{
}

#[cfg(feature = "alloc")]
impl<F, Y, S, E> Generator for Gen<F, Y, S, E>
where
    F: Body,
{
    inherent_generator!(this => this.get_mut());
}
