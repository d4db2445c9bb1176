//! Generators whose body can fail: an iterator, or a stream, of `Result`s
//! that ends with the body's error instead of dropping it.
//!
//! A generator's `Iterator` and `Stream` keep only the yielded values, as a
//! Python `for` loop keeps only what the generator yields: the return value
//! is dropped, and with it the `Err` that a body written with `?` returns.
//! [`TryIter`] and [`TryGenStream`] yield `Ok(value)` for every yielded value
//! and then, if the body returned `Err(e)`, one last item `Err(e)`; an
//! `Ok(t)` return ends them and is kept for [`TryIter::return_value`].
//!
//! Both are built on the public protocol only: [`Generator::resume`] for
//! the synchronous forms, `anext()` for the asynchronous ones (a resume's
//! progress is kept in the generator, so each poll may make a fresh
//! `anext()` future and drop it while it is pending).

use core::fmt;
use core::future::Future;
use core::pin::{Pin, pin};
use core::task::{Context, Poll};

use crate::body::Body;
use crate::handle::async_pinned::PinnedAsyncGen;
use crate::handle::pinned::PinnedGen;
use crate::protocol::generator::Generator;
use crate::protocol::state::GeneratorState;

mod sealed {
    use core::task::{Context, Poll};

    use crate::protocol::state::GeneratorState;

    pub trait Sealed {}

    impl<T, E> Sealed for Result<T, E> {}

    /// One poll of an async generator's `anext()`: what
    /// [`AsyncResume`](super::AsyncResume) adds, out of the users' reach.
    pub trait PollResume {
        /// What the generator yields.
        type Yield;
        /// What its body returns.
        type Return;

        /// Polls a fresh `anext()` once; dropping it while it is pending
        /// loses nothing, as the resume's progress is kept in the generator.
        #[allow(clippy::type_complexity)]
        fn poll_resume(
            &mut self,
            cx: &mut Context<'_>,
        ) -> Poll<Option<GeneratorState<Self::Yield, Self::Return>>>;
    }
}

/// A generator return type that can fail: `Result<T, E>`, whatever `T` is.
/// [`TryIter`] and [`TryGenStream`] need one. Implemented for [`Result`]
/// only.
#[diagnostic::on_unimplemented(
    message = "the generator's return type `{Self}` is not a `Result`",
    label = "`try_iter()` and `try_stream()` need a generator that returns `Result<T, E>`",
    note = "a generator whose body cannot fail has no error to report: iterate over it directly"
)]
pub trait Fallible: sealed::Sealed {
    /// What the body returns when it succeeds: `T` of `Result<T, E>`.
    type Ok;
    /// What the body returns when it fails: `E` of `Result<T, E>`.
    type Error;

    /// The return value as a `Result`.
    ///
    /// # Errors
    ///
    /// The body's error.
    fn into_result(self) -> Result<Self::Ok, Self::Error>;

    /// The `Ok` value, by reference; `None` for an error.
    fn as_ok(&self) -> Option<&Self::Ok>;
}

impl<T, E> Fallible for Result<T, E> {
    type Ok = T;
    type Error = E;

    #[inline]
    fn into_result(self) -> Result<T, E> {
        self
    }

    #[inline]
    fn as_ok(&self) -> Option<&T> {
        self.as_ref().ok()
    }
}

/// Where a fallible iteration is: running, or ended (with the body's return
/// value, an `Ok`, while nobody has taken it).
enum Ending<R> {
    Running,
    Returned(R),
    Ended,
}

impl<R> fmt::Debug for Ending<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Ending::Running => "running",
            Ending::Returned(_) => "returned Ok",
            Ending::Ended => "ended",
        })
    }
}

impl<R> Ending<R> {
    fn is_running(&self) -> bool {
        matches!(self, Ending::Running)
    }
}

impl<R> Ending<R>
where
    R: Fallible,
{
    /// The item for what a resume produced; `None` ends the iteration.
    #[inline]
    fn settle<Y>(&mut self, state: Option<GeneratorState<Y, R>>) -> Option<Result<Y, R::Error>> {
        match state {
            Some(GeneratorState::Yielded(y)) => Some(Ok(y)),
            Some(GeneratorState::Complete(r)) if r.as_ok().is_some() => {
                *self = Ending::Returned(r);
                None
            }
            Some(GeneratorState::Complete(r)) => {
                *self = Ending::Ended;
                r.into_result().err().map(Err)
            }
            None => {
                *self = Ending::Ended;
                None
            }
        }
    }

    fn value(&self) -> Option<&R::Ok> {
        match self {
            Ending::Returned(r) => r.as_ok(),
            Ending::Running | Ending::Ended => None,
        }
    }

    fn into_value(self) -> Option<R::Ok> {
        match self {
            Ending::Returned(r) => r.into_result().ok(),
            Ending::Running | Ending::Ended => None,
        }
    }
}

/// An iterator of `Result`s over a generator whose body returns
/// `Result<T, E>`: `Ok(y)` for each yielded `y`, then `Err(e)` as the last
/// item if the body returned `Err(e)`. What [`Gen::try_iter`](crate::Gen::try_iter) and
/// [`PinnedGen::try_iter`] return; [`TryIter::new`] wraps any other
/// [`Generator`], such as `&mut g` to keep the generator.
///
/// ```
/// use std::num::ParseIntError;
/// use pygen::{generator, yield_};
///
/// #[generator(yield = u32)]
/// fn numbers(text: &str) -> Result<(), ParseIntError> {
///     for word in text.split_whitespace() {
///         yield_!(word.parse()?);
///     }
///     Ok(())
/// }
///
/// // A `for` loop or `collect()` over the generator itself stops at the
/// // error without a word: the return value is not an item.
/// assert_eq!(numbers("1 2 x 4").collect::<Vec<_>>(), [1, 2]);
///
/// // Through `try_iter()` the error is the last item.
/// let all: Result<Vec<u32>, _> = numbers("1 2 x 4").try_iter().collect();
/// assert_eq!(all.unwrap_err().to_string(), "invalid digit found in string");
/// assert_eq!(numbers("1 2 3").try_iter().collect::<Result<Vec<_>, _>>(), Ok(vec![1, 2, 3]));
/// ```
///
/// It is fused: after the error, or once the body has returned `Ok`, it
/// yields `None`. The `Ok` value is kept: see [`TryIter::return_value`].
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct TryIter<G>
where
    G: Generator,
{
    generator: G,
    ending: Ending<G::Return>,
}

impl<G> TryIter<G>
where
    G: Generator,
    G::Return: Fallible,
{
    /// Wraps `generator`: any [`Generator`] whose return type is a `Result`,
    /// e.g. `&mut g` to keep using `g` after a partial iteration, or a
    /// `Pin<&mut PinnedGen<..>>`.
    ///
    /// ```
    /// use pygen::{generator, yield_, TryIter};
    ///
    /// #[generator(yield = u8)]
    /// fn bytes() -> Result<(), String> {
    ///     yield_!(1);
    ///     yield_!(2);
    ///     Err("unplugged".into())
    /// }
    ///
    /// let mut g = bytes();
    /// assert_eq!(TryIter::new(&mut g).next(), Some(Ok(1)));
    /// // `g` is still there, suspended after its first yield.
    /// assert_eq!(TryIter::new(&mut g).collect::<Vec<_>>(), [Ok(2), Err("unplugged".into())]);
    /// ```
    pub fn new(generator: G) -> Self {
        TryIter {
            generator,
            ending: Ending::Running,
        }
    }

    /// The body's `Ok` value, once it has returned one; `None` while the
    /// iteration runs, and when it ended with an error or because the
    /// generator was closed.
    ///
    /// ```
    /// use pygen::{generator, yield_};
    ///
    /// #[generator(yield = &'static str)]
    /// fn words() -> Result<usize, String> {
    ///     yield_!("a");
    ///     yield_!("b");
    ///     Ok(2)
    /// }
    ///
    /// let mut it = words().try_iter();
    /// let all: Result<Vec<_>, _> = it.by_ref().collect();
    /// assert_eq!(all, Ok(vec!["a", "b"]));
    /// assert_eq!(it.return_value(), Some(&2));
    /// ```
    pub fn return_value(&self) -> Option<&<G::Return as Fallible>::Ok> {
        self.ending.value()
    }

    /// [`TryIter::return_value`], by value.
    pub fn into_return_value(self) -> Option<<G::Return as Fallible>::Ok> {
        self.ending.into_value()
    }

    /// The generator, e.g. to `close()` it after a partial iteration. An
    /// `Ok` value the body returned is dropped.
    pub fn into_inner(self) -> G {
        self.generator
    }
}

// Nothing is pinned inside: the generator is only polled through `&mut` when
// it is `Unpin`, and the kept `Ok` value is never pinned.
impl<G> Unpin for TryIter<G> where G: Generator + Unpin {}

impl<G> fmt::Debug for TryIter<G>
where
    G: Generator,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TryIter")
            .field("state", &self.ending)
            .finish_non_exhaustive()
    }
}

impl<G> Iterator for TryIter<G>
where
    G: Generator + Unpin,
    G::Send: Default,
    G::Return: Fallible,
{
    type Item = Result<G::Yield, <G::Return as Fallible>::Error>;

    /// Python's `next(g)`: `Ok` with the yielded value, or, when the body
    /// returns, `Some(Err(e))` for an error and `None` for `Ok`.
    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if !self.ending.is_running() {
            return None;
        }
        let state = Pin::new(&mut self.generator).resume();
        self.ending.settle(state)
    }
}

impl<G> core::iter::FusedIterator for TryIter<G>
where
    G: Generator + Unpin,
    G::Send: Default,
    G::Return: Fallible,
{
}

#[cfg(feature = "alloc")]
impl<F, Y, S, E> crate::Gen<F, Y, S, E>
where
    F: Body,
{
    /// An iterator of `Result`s that ends with the body's error: `Ok(y)`
    /// for every yielded `y`, then `Err(e)` if the body returned `Err(e)`.
    ///
    /// A generator whose body uses `?` returns its error as its return
    /// value, and a `for` loop, `collect()` or any other consumer of the
    /// generator as an `Iterator` drops the return value: the iteration
    /// just stops early. Iterate over `g.try_iter()` instead to see the
    /// error, or `collect::<Result<Vec<_>, _>>()` it.
    ///
    /// ```
    /// use pygen::{generator, yield_};
    ///
    /// #[derive(Debug, PartialEq)]
    /// struct Overheated(u32);
    ///
    /// #[generator(yield = u32)]
    /// fn readings() -> Result<(), Overheated> {
    ///     for t in [20, 45, 90, 30] {
    ///         if t > 80 {
    ///             Err(Overheated(t))?;
    ///         }
    ///         yield_!(t);
    ///     }
    ///     Ok(())
    /// }
    ///
    /// let mut seen = Vec::new();
    /// for reading in readings().try_iter() {
    ///     match reading {
    ///         Ok(t) => seen.push(t),
    ///         Err(e) => assert_eq!(e, Overheated(90)),
    ///     }
    /// }
    /// assert_eq!(seen, [20, 45]);
    /// ```
    ///
    /// The body's `Ok` value is kept: see [`TryIter::return_value`]. To keep
    /// the generator, wrap a `&mut` to it: `TryIter::new(&mut g)`.
    pub fn try_iter(self) -> TryIter<Self>
    where
        F::Output: Fallible,
    {
        TryIter::new(self)
    }
}

impl<F, Y, S, E> PinnedGen<F, Y, S, E>
where
    F: Body,
{
    /// [`Gen::try_iter`](crate::Gen::try_iter) for the pinned form: an
    /// iterator of `Result`s over the pinned generator, ending with the
    /// body's error.
    ///
    /// ```
    /// use core::pin::pin;
    /// use pygen::{generator, yield_};
    ///
    /// #[generator(yield = u8)]
    /// fn two() -> Result<(), &'static str> {
    ///     yield_!(1);
    ///     yield_!(2);
    ///     Err("no third")
    /// }
    ///
    /// let mut g = pin!(two().into_pinned());
    /// let items: Vec<_> = g.as_mut().try_iter().collect();
    /// assert_eq!(items, [Ok(1), Ok(2), Err("no third")]);
    /// ```
    pub fn try_iter(self: Pin<&mut Self>) -> TryIter<Pin<&mut Self>>
    where
        F::Output: Fallible,
    {
        TryIter::new(self)
    }
}

/// An async generator that a [`TryGenStream`] can drive: an
/// [`AsyncGen`](crate::AsyncGen) (whose send type implements `Default`), a
/// `&mut` to one, or a pinned [`PinnedAsyncGen`]. Implemented by this crate
/// only.
pub trait AsyncResume: sealed::PollResume {}

#[cfg(feature = "alloc")]
impl<F, Y, S, E> sealed::PollResume for crate::AsyncGen<F, Y, S, E>
where
    F: Future,
    S: Default,
{
    type Yield = Y;
    type Return = F::Output;

    #[inline]
    fn poll_resume(&mut self, cx: &mut Context<'_>) -> Poll<Option<GeneratorState<Y, F::Output>>> {
        pin!(self.anext()).poll(cx)
    }
}

#[cfg(feature = "alloc")]
impl<F, Y, S, E> AsyncResume for crate::AsyncGen<F, Y, S, E>
where
    F: Future,
    S: Default,
{
}

impl<F, Y, S, E> sealed::PollResume for Pin<&mut PinnedAsyncGen<F, Y, S, E>>
where
    F: Future,
    S: Default,
{
    type Yield = Y;
    type Return = F::Output;

    #[inline]
    fn poll_resume(&mut self, cx: &mut Context<'_>) -> Poll<Option<GeneratorState<Y, F::Output>>> {
        pin!(self.as_mut().anext()).poll(cx)
    }
}

impl<F, Y, S, E> AsyncResume for Pin<&mut PinnedAsyncGen<F, Y, S, E>>
where
    F: Future,
    S: Default,
{
}

impl<G> sealed::PollResume for &mut G
where
    G: AsyncResume + ?Sized,
{
    type Yield = G::Yield;
    type Return = G::Return;

    #[inline]
    fn poll_resume(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<GeneratorState<G::Yield, G::Return>>> {
        G::poll_resume(&mut **self, cx)
    }
}

impl<G> AsyncResume for &mut G where G: AsyncResume + ?Sized {}

/// A `Stream` of `Result`s over an async generator whose body returns
/// `Result<T, E>`: `Ok(y)` for each yielded `y`, then `Err(e)` as the last
/// item if the body returned `Err(e)`. What
/// [`AsyncGen::into_try_stream`](crate::AsyncGen::into_try_stream),
/// [`AsyncGen::try_stream`](crate::AsyncGen::try_stream) and
/// [`PinnedAsyncGen::try_stream`] return.
///
/// Its items are `Result`s, so `futures`' `TryStreamExt` applies:
/// `try_next()`, `try_collect()`, `map_ok()` and the rest. It is `Unpin`
/// and fused; the body's `Ok` value is kept
/// ([`TryGenStream::return_value`]).
///
/// ```
/// use futures::{StreamExt, TryStreamExt};
/// use pygen::{generator, yield_};
///
/// #[generator(yield = String)]
/// async fn lines(pages: u32) -> Result<(), String> {
///     for page in 1..=pages {
///         futures::future::ready(()).await; // fetch it, say
///         if page == 3 {
///             return Err(format!("page {page}: not found"));
///         }
///         yield_!(format!("page {page}"));
///     }
///     Ok(())
/// }
///
/// futures::executor::block_on(async {
///     // As a plain `Stream` the error is dropped:
///     assert_eq!(lines(5).collect::<Vec<_>>().await, ["page 1", "page 2"]);
///     // As a fallible one it is the last item:
///     let mut pages = lines(5).into_try_stream();
///     assert_eq!(pages.try_next().await, Ok(Some("page 1".to_string())));
///     assert_eq!(pages.try_next().await, Ok(Some("page 2".to_string())));
///     assert_eq!(pages.try_next().await, Err("page 3: not found".to_string()));
///     assert_eq!(pages.next().await, None);
///     // `try_collect` stops at it:
///     let all: Result<Vec<String>, String> = lines(2).into_try_stream().try_collect().await;
///     assert_eq!(all.unwrap(), ["page 1", "page 2"]);
/// });
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct TryGenStream<G>
where
    G: AsyncResume,
{
    generator: G,
    ending: Ending<G::Return>,
}

impl<G> TryGenStream<G>
where
    G: AsyncResume,
    G::Return: Fallible,
{
    /// Wraps `generator`: an [`AsyncGen`](crate::AsyncGen), a `&mut` to
    /// one, or a `Pin<&mut PinnedAsyncGen<..>>`, whose return type is a
    /// `Result`.
    pub fn new(generator: G) -> Self {
        TryGenStream {
            generator,
            ending: Ending::Running,
        }
    }

    /// The body's `Ok` value, once it has returned one; `None` while the
    /// stream runs, and when it ended with an error or because the
    /// generator was closed.
    pub fn return_value(&self) -> Option<&<G::Return as Fallible>::Ok> {
        self.ending.value()
    }

    /// [`TryGenStream::return_value`], by value.
    pub fn into_return_value(self) -> Option<<G::Return as Fallible>::Ok> {
        self.ending.into_value()
    }

    /// The generator, e.g. to `aclose()` it after a partial iteration. An
    /// `Ok` value the body returned is dropped.
    pub fn into_inner(self) -> G {
        self.generator
    }
}

// As for `TryIter`: nothing inside is pinned.
impl<G> Unpin for TryGenStream<G> where G: AsyncResume + Unpin {}

impl<G> fmt::Debug for TryGenStream<G>
where
    G: AsyncResume,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TryGenStream")
            .field("state", &self.ending)
            .finish_non_exhaustive()
    }
}

impl<G> futures_core::Stream for TryGenStream<G>
where
    G: AsyncResume + Unpin,
    G::Return: Fallible,
{
    type Item = Result<G::Yield, <G::Return as Fallible>::Error>;

    /// `anext()`: `Ok` with the yielded value, or, when the body returns,
    /// `Some(Err(e))` for an error and `None` for `Ok`.
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if !this.ending.is_running() {
            return Poll::Ready(None);
        }
        match this.generator.poll_resume(cx) {
            Poll::Ready(state) => Poll::Ready(this.ending.settle(state)),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<G> futures_core::FusedStream for TryGenStream<G>
where
    G: AsyncResume + Unpin,
    G::Return: Fallible,
{
    fn is_terminated(&self) -> bool {
        !self.ending.is_running()
    }
}

#[cfg(feature = "alloc")]
impl<F, Y, S, E> crate::AsyncGen<F, Y, S, E>
where
    F: Future,
    S: Default,
{
    /// A `Stream` of `Result`s that ends with the body's error: `Ok(y)` for
    /// every yielded `y`, then `Err(e)` if the body returned `Err(e)`.
    ///
    /// An async generator whose body uses `?` returns its error as its
    /// return value, and a consumer of the generator as a `Stream`
    /// (`while let Some(x) = g.next().await`, `collect()`, `for_each`…)
    /// drops the return value: the stream just ends early. Consume
    /// `g.into_try_stream()` instead to see the error. This is async-stream's
    /// `try_stream!` with a typed body: see [`TryGenStream`].
    ///
    /// ```
    /// use futures::TryStreamExt;
    /// use pygen::{generator, yield_};
    ///
    /// #[generator(yield = u64)]
    /// async fn sizes(paths: Vec<&'static str>) -> std::io::Result<()> {
    ///     for path in paths {
    ///         let meta = futures::future::ready(std::fs::metadata(path)).await?;
    ///         yield_!(meta.len());
    ///     }
    ///     Ok(())
    /// }
    ///
    /// futures::executor::block_on(async {
    ///     let found: std::io::Result<Vec<u64>> =
    ///         sizes(vec!["Cargo.toml", "no/such/file"]).into_try_stream().try_collect().await;
    ///     assert_eq!(found.unwrap_err().kind(), std::io::ErrorKind::NotFound);
    /// });
    /// ```
    pub fn into_try_stream(self) -> TryGenStream<Self>
    where
        F::Output: Fallible,
    {
        TryGenStream::new(self)
    }

    /// [`AsyncGen::into_try_stream`](crate::AsyncGen::into_try_stream)
    /// borrowing the generator, which stays usable after a partial
    /// iteration.
    ///
    /// ```
    /// use futures::TryStreamExt;
    /// use pygen::{generator, yield_, GenState};
    ///
    /// #[generator(yield = u32)]
    /// async fn counter() -> Result<(), String> {
    ///     for i in 0.. {
    ///         yield_!(i);
    ///     }
    ///     Ok(())
    /// }
    ///
    /// futures::executor::block_on(async {
    ///     let mut g = counter();
    ///     assert_eq!(g.try_stream().try_next().await, Ok(Some(0)));
    ///     assert_eq!(g.try_stream().try_next().await, Ok(Some(1)));
    ///     assert_eq!(g.state(), GenState::Suspended);
    /// });
    /// ```
    pub fn try_stream(&mut self) -> TryGenStream<&mut Self>
    where
        F::Output: Fallible,
    {
        TryGenStream::new(self)
    }
}

impl<F, Y, S, E> PinnedAsyncGen<F, Y, S, E>
where
    F: Future,
    S: Default,
{
    /// [`AsyncGen::into_try_stream`](crate::AsyncGen::into_try_stream) for
    /// the pinned form.
    ///
    /// ```
    /// use core::pin::pin;
    /// use futures::StreamExt;
    /// use pygen::{generator, yield_};
    ///
    /// #[generator(yield = u8)]
    /// async fn two() -> Result<(), &'static str> {
    ///     yield_!(1);
    ///     yield_!(2);
    ///     Err("no third")
    /// }
    ///
    /// futures::executor::block_on(async {
    ///     let mut g = pin!(two().into_pinned());
    ///     let items: Vec<_> = g.as_mut().try_stream().collect().await;
    ///     assert_eq!(items, [Ok(1), Ok(2), Err("no third")]);
    /// });
    /// ```
    pub fn try_stream(self: Pin<&mut Self>) -> TryGenStream<Pin<&mut Self>>
    where
        F::Output: Fallible,
    {
        TryGenStream::new(self)
    }
}
