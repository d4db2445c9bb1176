//! Errors of the resume protocol. Every error that refuses a value carries
//! that value back, so nothing handed to a generator is silently lost.

use core::fmt;

/// Why a generator refused a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResumeErrorKind {
    /// `send(v)` or `throw(e)` before the generator started. Python raises
    /// `TypeError: can't send non-None value to a just-started generator`
    /// for `send`; for `throw` the generator is now closed.
    NotStarted,
    /// `start()` on a generator that already started.
    AlreadyStarted,
    /// The generator is closed: it returned, was closed, failed or panicked.
    Closed,
    /// An async generator is still running a resume whose future was
    /// dropped before it finished (`anext()` finishes it). Python raises
    /// `RuntimeError: anext(): asynchronous generator is already running`.
    Running,
    /// `send(v)` while the generator delegates with `yield_from!` to a plain
    /// iterator or to a generator that takes nothing (`send = ()`), which
    /// have no way to receive the value. The generator stays where it was;
    /// `next()` continues the delegation.
    Undeliverable,
}

/// A call the generator refused, with the value that was passed to it.
///
/// ```
/// use pygen::{generator, yield_, ResumeErrorKind};
///
/// #[generator(yield = i32, send = i32)]
/// fn echo() {
///     let mut v = yield_!(0);
///     loop { v = yield_!(v); }
/// }
///
/// let mut g = echo();
/// let err = g.send(5).unwrap_err();
/// assert_eq!(err.kind(), ResumeErrorKind::NotStarted);
/// assert_eq!(err.into_inner(), 5); // the value comes back
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ResumeError<T> {
    kind: ResumeErrorKind,
    value: T,
}

impl<T> ResumeError<T> {
    pub(crate) fn new(kind: ResumeErrorKind, value: T) -> Self {
        ResumeError { kind, value }
    }

    /// Why the call was refused.
    pub fn kind(&self) -> ResumeErrorKind {
        self.kind
    }

    /// The value that was passed to the refused call.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// Takes the refused value back.
    pub fn into_inner(self) -> T {
        self.value
    }
}

impl<T> fmt::Debug for ResumeError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResumeError")
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

impl<T> fmt::Display for ResumeError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.kind {
            ResumeErrorKind::NotStarted => {
                "generator has not started: call start() or next() before send() or throw()"
            }
            ResumeErrorKind::AlreadyStarted => "generator has already started",
            ResumeErrorKind::Closed => "generator is closed",
            ResumeErrorKind::Running => {
                "async generator is still running an earlier resume whose future was dropped; \
                 finish it with anext() first"
            }
            ResumeErrorKind::Undeliverable => {
                "generator is delegating with yield_from! to an iterator or a generator that takes nothing, \
                 which cannot receive a sent value"
            }
        })
    }
}

impl<T> core::error::Error for ResumeError<T> {}

/// `close()` reached a body that caught the close and yielded again instead
/// of finishing (Python: `RuntimeError: generator ignored GeneratorExit`).
/// The generator has been dropped and is closed; the value it yielded is
/// inside.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CloseError<Y> {
    yielded: Y,
}

impl<Y> CloseError<Y> {
    pub(crate) fn new(yielded: Y) -> Self {
        CloseError { yielded }
    }

    /// The value the body yielded instead of finishing.
    pub fn into_inner(self) -> Y {
        self.yielded
    }
}

impl<Y> fmt::Debug for CloseError<Y> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CloseError").finish_non_exhaustive()
    }
}

impl<Y> fmt::Display for CloseError<Y> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("generator ignored close: it yielded a value instead of finishing")
    }
}

impl<Y> core::error::Error for CloseError<Y> {}
