//! The default async generator handle: movable, a `Stream`, methods on
//! `&mut self` returning futures. Like [`Gen`](crate::Gen), the body stays
//! inline until the first resume moves it into one heap allocation; without
//! the `alloc` feature it only converts into the pinned form.

#[cfg(feature = "alloc")]
use core::pin::Pin;
#[cfg(feature = "alloc")]
use core::task::{Context, Poll};

use crate::body::Body;
use crate::handle::async_pinned::PinnedAsyncGen;
use crate::handle::lazy::{Lazy, Misuse};
use crate::protocol::state::{GenState, NoThrow};
#[cfg(feature = "alloc")]
use crate::{
    protocol::error::{CloseError, ResumeError, ResumeErrorKind},
    protocol::state::GeneratorState,
};

/// An async generator: what a `#[generator] async fn` returns.
///
/// The body may `.await` any future; `yield_!`, `yield_catch!` and
/// `yield_from!` work as in a synchronous generator, and `yield_from!` also
/// delegates to another async generator of the same types (flat, like sync
/// delegation) and to any `Stream` of the yield type. The protocol is the
/// synchronous one with futures:
///
/// | call | created | suspended | running (a resume's future was dropped) | closed |
/// |---|---|---|---|---|
/// | [`anext`](AsyncGen::anext), `Stream::poll_next` | run to first yield | resume with `S::default()` | finish that resume | `None` |
/// | [`astart`](AsyncGen::astart) | run to first yield | error | error | error |
/// | [`asend(s)`](AsyncGen::asend) | error with `s` | the yield evaluates to `s` | error with `s` | error with `s` |
/// | [`athrow(e)`](AsyncGen::athrow) | closes, error with `e` | `e` raised at the yield | error with `e` | error with `e` |
/// | [`aclose`](AsyncGen::aclose) | closes, `Ok(None)` | close raised at the yield | dropped in place, `Ok(None)` | `Ok(None)` |
///
/// Any executor drives it (tokio, `futures::executor`, smol…): the futures
/// the body awaits are woken through the executor's own waker. It is `Send`
/// when everything the body holds across an await or a yield is.
///
/// ```
/// use futures::StreamExt;
/// use pygen::{generator, yield_};
///
/// #[generator(yield = u32)]
/// async fn slow_count(to: u32) {
///     for i in 1..=to {
///         futures::future::ready(()).await; // any future
///         yield_!(i);
///     }
/// }
///
/// let all: Vec<u32> = futures::executor::block_on(slow_count(3).collect());
/// assert_eq!(all, [1, 2, 3]);
/// ```
///
/// # Dropping a suspended async generator
///
/// A drop cannot await, yet Python's event loop still closes an abandoned
/// async generator (its finalizer schedules `aclose()`). pygen closes it at
/// the drop as far as that goes without waiting: the close is raised at the
/// yield and the body is polled once, synchronously, with a waker that does
/// nothing, as a synchronous generator's drop closes it. So a consumer that
/// `break`s out of its loop still runs the generator's `yield_catch!`
/// cleanup, and so does an outer generator that held this one and was
/// closed or dropped. A handler that awaits something not ready yet is
/// dropped at that `.await`, with the rest of the body; a handler that
/// yields is dropped too. When the cleanup must wait (a socket to flush, a
/// file to close asynchronously), close the generator with
/// `aclose().await`, or let [`aclosing`](AsyncGen::aclosing) do it.
///
/// The cleanup runs at the drop, which is earlier than in Python: asyncio's
/// finalizer schedules the `aclose()` on a later turn of the event loop, so
/// after a `break` Python prints what follows the loop first, and a port
/// prints the cleanup first. Likewise an inner async generator that an
/// outer one only iterates (Python's `async for`, not `yield from`) is a
/// local of the outer's body: it is dropped, and so closed, when the
/// outer's body is, after the outer's own handler and before the outer's
/// `aclose()` returns, where asyncio finalizes it later. Close the inner
/// one yourself, or use [`aclosing`](AsyncGen::aclosing), where the order
/// matters.
///
/// ```
/// use std::sync::Mutex;
/// use futures::StreamExt;
/// use pygen::{generator, yield_catch};
///
/// static LOG: Mutex<Vec<&str>> = Mutex::new(Vec::new());
///
/// #[generator(yield = u32)]
/// async fn numbers() {
///     let mut i = 0;
///     while yield_catch!(i).is_ok() {
///         i += 1;
///     }
///     LOG.lock().unwrap().push("cleaned up");
/// }
///
/// futures::executor::block_on(async {
///     let mut g = numbers();
///     while let Some(i) = g.next().await {
///         if i == 2 {
///             break;
///         }
///     }
/// });
/// assert_eq!(*LOG.lock().unwrap(), ["cleaned up"]);
/// ```
#[must_use = "an async generator runs nothing until it is polled: `.next().await` it, or call `anext` or `asend`"]
pub struct AsyncGen<F, Y, S = (), E = NoThrow>
where
    F: Body,
{
    pub(super) repr: Lazy<PinnedAsyncGen<F, Y, S, E>>,
}

impl<F, Y, S, E> AsyncGen<F, Y, S, E>
where
    F: Body,
{
    /// Where the generator is: see [`GenState`]. (Without `alloc` an
    /// `AsyncGen` cannot start: it is `Created` until dropped.)
    pub fn state(&self) -> GenState {
        self.repr.state()
    }
}

// The body is never pinned inside `AsyncGen`: created, it is only moved;
// started, it lives behind `Pin<Box<_>>`.
impl<F, Y, S, E> Unpin for AsyncGen<F, Y, S, E> where F: Body {}

impl<F, Y, S, E> AsyncGen<F, Y, S, E>
where
    F: Body,
{
    /// An async generator of `body`, not started: for the hidden
    /// constructors (`build.rs`).
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) fn created(body: F) -> Self {
        AsyncGen {
            repr: Lazy::Created(body),
        }
    }
}

impl<F, Y, S, E> AsyncGen<F, Y, S, E>
where
    F: Body,
{
    /// Turns an unstarted async generator into the pinned, allocation-free
    /// form. A closed one stays closed.
    ///
    /// # Panics
    ///
    /// When the generator has already started.
    pub fn into_pinned(self) -> PinnedAsyncGen<F, Y, S, E> {
        self.repr.into_pinned("AsyncGen")
    }

    /// The body of an unstarted generator, for flat delegation.
    pub(crate) fn into_unstarted_body(self) -> F {
        self.repr.into_body(&Misuse::ASYNC)
    }
}

#[cfg(feature = "alloc")]
impl<F, Y, S, E> AsyncGen<F, Y, S, E>
where
    F: Body,
{
    /// Runs the body up to its first yield.
    ///
    /// ```
    /// use pygen::{generator, yield_, GeneratorState, ResumeErrorKind};
    ///
    /// #[generator(yield = &'static str)]
    /// async fn hello() { yield_!("hello"); }
    ///
    /// futures::executor::block_on(async {
    ///     let mut g = hello();
    ///     assert_eq!(g.astart().await, Ok(GeneratorState::Yielded("hello")));
    ///     assert_eq!(g.astart().await.unwrap_err().kind(), ResumeErrorKind::AlreadyStarted);
    /// });
    /// ```
    ///
    /// # Errors
    ///
    /// `AlreadyStarted` or `Closed`; nothing runs.
    pub async fn astart(&mut self) -> Result<GeneratorState<Y, F::Output>, ResumeError<()>> {
        if let Lazy::Closed(_) = self.repr {
            return Err(ResumeError::new(ResumeErrorKind::Closed, ()));
        }
        let result = self.repr.started().expect("not closed").astart().await;
        self.repr.release_if_closed();
        result
    }

    /// Python's `@coroutine` for an async generator: runs a fresh one to its
    /// first yield (as `await g.asend(None)` does), so that it takes
    /// [`asend`](Self::asend) at once, and returns it; one that has started
    /// already is returned as it is. The value yielded there is dropped (use
    /// [`astart`](Self::astart) when it matters), as for
    /// [`Gen::primed`](crate::Gen::primed).
    ///
    /// ```
    /// use pygen::{generator, yield_, GeneratorState};
    ///
    /// #[generator(yield = usize, send = String)]
    /// async fn lengths() {
    ///     let mut line = yield_!(0);
    ///     loop {
    ///         line = yield_!(line.len());
    ///     }
    /// }
    ///
    /// futures::executor::block_on(async {
    ///     let mut g = lengths().primed().await;
    ///     assert_eq!(g.asend("four".into()).await, Ok(GeneratorState::Yielded(4)));
    /// });
    /// ```
    ///
    /// # Panics
    ///
    /// When the body returns before its first yield, as `Gen::primed` does.
    pub async fn primed(mut self) -> Self {
        if self.state() == GenState::Created {
            if let Ok(GeneratorState::Complete(_)) = self.astart().await {
                crate::util::panics::returned_before_priming();
            }
        }
        self
    }

    /// Python's `async with contextlib.aclosing(g) as g:`: runs `body` with
    /// the generator, then closes it with [`aclose`](Self::aclose), awaiting
    /// its cleanup whatever `body` did (returned early, or stopped in the
    /// middle of the stream); returns what `body` returned and what the
    /// close came to. (A panic in `body` skips the `aclose`: the generator
    /// is then closed by its drop, without waiting.)
    ///
    /// ```
    /// use futures::StreamExt;
    /// use pygen::{generator, yield_catch};
    ///
    /// #[generator(yield = u32)]
    /// async fn numbers() -> &'static str {
    ///     let mut i = 0;
    ///     while yield_catch!(i).is_ok() {
    ///         i += 1;
    ///     }
    ///     futures::future::ready(()).await; // a cleanup that awaits
    ///     "closed"
    /// }
    ///
    /// futures::executor::block_on(async {
    ///     let (first, closed) = numbers()
    ///         .aclosing(async |g| g.next().await)
    ///         .await;
    ///     assert_eq!(first, Some(0));
    ///     assert_eq!(closed, Ok(Some("closed")));
    /// });
    /// ```
    pub async fn aclosing<T>(
        mut self,
        body: impl AsyncFnOnce(&mut Self) -> T,
    ) -> (T, Result<Option<F::Output>, CloseError<Y>>) {
        let out = body(&mut self).await;
        let closed = self.aclose().await;
        (out, closed)
    }

    /// Python's `await anext(g)`, with the return value; `None` once closed.
    ///
    /// ```
    /// use pygen::{generator, yield_, GeneratorState};
    ///
    /// #[generator(yield = u8)]
    /// async fn one() -> &'static str { yield_!(1); "end" }
    ///
    /// futures::executor::block_on(async {
    ///     let mut g = one();
    ///     assert_eq!(g.anext().await, Some(GeneratorState::Yielded(1)));
    ///     assert_eq!(g.anext().await, Some(GeneratorState::Complete("end")));
    ///     assert_eq!(g.anext().await, None);
    /// });
    /// ```
    pub async fn anext(&mut self) -> Option<GeneratorState<Y, F::Output>>
    where
        S: Default,
    {
        let result = self.repr.started()?.anext().await;
        self.repr.release_if_closed();
        result
    }

    /// Python's `await g.asend(value)`.
    ///
    /// ```
    /// use pygen::{generator, yield_, GeneratorState, ResumeErrorKind};
    ///
    /// #[generator(yield = u32, send = u32)]
    /// async fn doubler() {
    ///     let mut n = yield_!(0);
    ///     loop { n = yield_!(n * 2); }
    /// }
    ///
    /// futures::executor::block_on(async {
    ///     let mut g = doubler();
    ///     // Python: TypeError, the value comes back.
    ///     assert_eq!(g.asend(4).await.unwrap_err().into_inner(), 4);
    ///     g.astart().await.unwrap();
    ///     assert_eq!(g.asend(4).await, Ok(GeneratorState::Yielded(8)));
    /// });
    /// ```
    ///
    /// # Errors
    ///
    /// The value comes back inside the error when it cannot be delivered:
    /// see [`PinnedAsyncGen::asend`].
    pub async fn asend(
        &mut self,
        value: S,
    ) -> Result<GeneratorState<Y, F::Output>, ResumeError<S>> {
        let result = match &mut self.repr {
            Lazy::Started(pinned) => pinned.as_mut().asend(value).await,
            Lazy::Created(_) => Err(ResumeError::new(ResumeErrorKind::NotStarted, value)),
            Lazy::Closed(_) => Err(ResumeError::new(ResumeErrorKind::Closed, value)),
        };
        self.repr.release_if_closed();
        result
    }

    /// Python's `await g.athrow(error)`.
    ///
    /// ```
    /// use pygen::{generator, yield_catch, GeneratorState, Interrupt};
    ///
    /// #[generator(yield = u32, throw = String)]
    /// async fn resilient() {
    ///     let mut value = 1;
    ///     loop {
    ///         match yield_catch!(value) {
    ///             Ok(()) => value += 1,
    ///             Err(Interrupt::Throw(_)) => value = 1000,
    ///             Err(Interrupt::Close) => return,
    ///         }
    ///     }
    /// }
    ///
    /// futures::executor::block_on(async {
    ///     let mut g = resilient();
    ///     g.astart().await.unwrap();
    ///     assert_eq!(g.athrow("oops".into()).await, Ok(GeneratorState::Yielded(1000)));
    /// });
    /// ```
    ///
    /// # Errors
    ///
    /// The error comes back unraised: see [`PinnedAsyncGen::athrow`].
    pub async fn athrow(
        &mut self,
        error: E,
    ) -> Result<GeneratorState<Y, F::Output>, ResumeError<E>> {
        let result = match &mut self.repr {
            Lazy::Started(pinned) => pinned.as_mut().athrow(error).await,
            Lazy::Created(_) => {
                self.repr = Lazy::closed();
                Err(ResumeError::new(ResumeErrorKind::NotStarted, error))
            }
            Lazy::Closed(_) => Err(ResumeError::new(ResumeErrorKind::Closed, error)),
        };
        self.repr.release_if_closed();
        result
    }

    /// Python's `await g.aclose()`; cleanup in a `yield_catch!` handler may
    /// await.
    ///
    /// ```
    /// use pygen::{generator, yield_catch, Interrupt};
    ///
    /// #[generator(yield = u32)]
    /// async fn uploader() -> &'static str {
    ///     loop {
    ///         if let Err(Interrupt::Close) = yield_catch!(1) {
    ///             futures::future::ready(()).await; // flush, say
    ///             return "flushed";
    ///         }
    ///     }
    /// }
    ///
    /// futures::executor::block_on(async {
    ///     let mut g = uploader();
    ///     g.astart().await.unwrap();
    ///     assert_eq!(g.aclose().await, Ok(Some("flushed")));
    ///     assert_eq!(g.aclose().await, Ok(None));
    /// });
    /// ```
    ///
    /// # Errors
    ///
    /// [`CloseError`] when the body yields instead of finishing.
    pub async fn aclose(&mut self) -> Result<Option<F::Output>, CloseError<Y>> {
        let result = match &mut self.repr {
            Lazy::Started(pinned) => pinned.as_mut().aclose().await,
            Lazy::Created(_) | Lazy::Closed(_) => Ok(None),
        };
        self.repr = Lazy::closed();
        result
    }
}

#[cfg(feature = "alloc")]
impl<F: Body, Y, S: Default, E> futures_core::Stream for AsyncGen<F, Y, S, E> {
    type Item = Y;

    /// `anext()` keeping only yielded values; the return value is dropped.
    #[inline]
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Y>> {
        let this = self.get_mut();
        let Some(pinned) = this.repr.started() else {
            return Poll::Ready(None);
        };
        let poll = pinned.poll_next(cx);
        if let Poll::Ready(None) = poll {
            this.repr.release_if_closed();
        }
        poll
    }
}

#[cfg(feature = "alloc")]
impl<F: Body, Y, S: Default, E> futures_core::FusedStream for AsyncGen<F, Y, S, E> {
    fn is_terminated(&self) -> bool {
        self.state() == GenState::Closed
    }
}
