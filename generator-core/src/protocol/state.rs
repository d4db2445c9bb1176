//! The values the protocol hands back: what a resume produced, and where a
//! generator is in its life.

/// What one resume of a generator produced: Python's yielded value, or the
/// value carried by `StopIteration` when the body returned.
///
/// ```
/// use pygen::{generator, yield_, GeneratorState};
///
/// #[generator(yield = &'static str)]
/// fn greet() -> usize {
///     yield_!("hello");
///     42
/// }
///
/// let mut g = greet();
/// assert_eq!(g.start(), Ok(GeneratorState::Yielded("hello")));
/// assert_eq!(g.resume(), Some(GeneratorState::Complete(42)));
/// assert_eq!(g.resume(), None); // the return value is reported once
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GeneratorState<Y, R> {
    /// The body reached a `yield_!` and handed out this value.
    Yielded(Y),
    /// The body returned this value; the generator is now closed.
    Complete(R),
}

impl<Y, R> GeneratorState<Y, R> {
    /// The yielded value, or `None` when the body completed.
    pub fn yielded(self) -> Option<Y> {
        match self {
            GeneratorState::Yielded(y) => Some(y),
            GeneratorState::Complete(_) => None,
        }
    }

    /// The return value, or `None` when the body yielded.
    pub fn complete(self) -> Option<R> {
        match self {
            GeneratorState::Yielded(_) => None,
            GeneratorState::Complete(r) => Some(r),
        }
    }
}

/// Where a generator is in its life, as Python's
/// `inspect.getgeneratorstate` and `inspect.getasyncgenstate` report it.
///
/// A synchronous generator is never seen [`Running`](GenState::Running):
/// resuming it needs `&mut` and runs the body to its next yield before it
/// returns, so nobody can look at it in between (Python's `GEN_RUNNING` is
/// only visible from inside the body). An async generator is `Running` while
/// a resume is under way: its future has been polled, the body waits for a
/// future of its own, and the resume has not finished, either because its
/// future is still pending or because it was dropped (e.g. an `anext()` that
/// lost a `select!`); the next `anext()` finishes it.
///
/// ```
/// use pygen::{generator, yield_, GenState};
///
/// #[generator(yield = u8)]
/// fn one() { yield_!(1) }
///
/// let mut g = one();
/// assert_eq!(g.state(), GenState::Created);
/// g.next();
/// assert_eq!(g.state(), GenState::Suspended);
/// g.next();
/// assert_eq!(g.state(), GenState::Closed);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GenState {
    /// Not started: no line of the body has run.
    Created,
    /// Paused at a `yield_!`, waiting to be resumed.
    Suspended,
    /// Only an async generator: a resume is under way, its body waiting for
    /// a future (the resume's future is pending, or was dropped before it
    /// finished; `anext()` finishes it). Python's `AGEN_RUNNING`. Meanwhile
    /// `asend` and `athrow` refuse with
    /// [`ResumeErrorKind::Running`](crate::ResumeErrorKind::Running),
    /// handing their value back, and `aclose` drops the body in place.
    ///
    /// ```
    /// use std::task::{Context, Poll, Waker};
    /// use futures::StreamExt;
    /// use pygen::{generator, yield_, GenState};
    ///
    /// #[generator(yield = u8)]
    /// async fn waits() {
    ///     let mut once = false;
    ///     // A future that is pending once, then ready.
    ///     std::future::poll_fn(|cx| {
    ///         if std::mem::replace(&mut once, true) {
    ///             Poll::Ready(())
    ///         } else {
    ///             cx.waker().wake_by_ref();
    ///             Poll::Pending
    ///         }
    ///     })
    ///     .await;
    ///     yield_!(1);
    /// }
    ///
    /// let mut g = waits();
    /// let mut cx = Context::from_waker(Waker::noop());
    /// assert_eq!(g.poll_next_unpin(&mut cx), Poll::Pending);
    /// assert_eq!(g.state(), GenState::Running); // its resume is under way
    /// assert_eq!(g.poll_next_unpin(&mut cx), Poll::Ready(Some(1)));
    /// assert_eq!(g.state(), GenState::Suspended);
    /// ```
    Running,
    /// Returned, closed, failed or panicked: no code of the body runs again.
    Closed,
}

/// What `yield_catch!` evaluates to when the caller did not send a value:
/// Python's `GeneratorExit` (from `close()`) or the exception given to
/// `throw()`, made explicit so the body can handle them.
///
/// ```
/// use pygen::{generator, yield_catch, Interrupt};
///
/// #[generator(yield = u32, throw = String)]
/// fn worker() -> &'static str {
///     loop {
///         match yield_catch!(1) {
///             Ok(()) => {}
///             Err(Interrupt::Throw(msg)) => assert_eq!(msg, "stop"),
///             Err(Interrupt::Close) => return "closed cleanly",
///         }
///     }
/// }
///
/// let mut g = worker();
/// g.next();
/// assert_eq!(g.throw("stop".to_string()).unwrap().yielded(), Some(1));
/// assert_eq!(g.close(), Ok(Some("closed cleanly")));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Interrupt<E> {
    /// `close()` was called: finish (return a value) without yielding again.
    Close,
    /// `throw(e)` was called with this value.
    Throw(E),
}

/// The throw type of a generator declared without `throw = E`. It has no
/// values, so `throw()` cannot be called on such a generator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoThrow {}

impl core::fmt::Display for NoThrow {
    fn fmt(&self, _: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match *self {}
    }
}

impl core::error::Error for NoThrow {}
