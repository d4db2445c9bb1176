//! [`TryGenStream`]: an async generator whose body returns `Result<T, E>`
//! as a `Stream` of `Result`s that ends with the body's error.

use core::fmt;
use core::future::Future;
use core::pin::{Pin, pin};
use core::task::{Context, Poll};

use crate::body::Body;
use crate::handle::async_pinned::PinnedAsyncGen;
use crate::handle::fallible::{Fallible, Run, sealed};
use crate::protocol::state::GeneratorState;

/// An async generator that a [`TryGenStream`] can drive: an
/// [`AsyncGen`](crate::AsyncGen) (whose send type implements `Default`), a
/// `&mut` to one, or a pinned [`PinnedAsyncGen`]. Implemented by this crate
/// only.
pub trait AsyncResume: sealed::PollResume {}

impl<G: sealed::PollResume + ?Sized> AsyncResume for G {}

#[cfg(feature = "alloc")]
impl<F: Body, Y, S: Default, E> sealed::PollResume for crate::AsyncGen<F, Y, S, E> {
    type Yield = Y;
    type Return = F::Output;

    #[inline]
    fn poll_resume(&mut self, cx: &mut Context<'_>) -> Poll<Option<GeneratorState<Y, F::Output>>> {
        pin!(self.anext()).poll(cx)
    }
}

impl<F: Body, Y, S: Default, E> sealed::PollResume for Pin<&mut PinnedAsyncGen<F, Y, S, E>> {
    type Yield = Y;
    type Return = F::Output;

    #[inline]
    fn poll_resume(&mut self, cx: &mut Context<'_>) -> Poll<Option<GeneratorState<Y, F::Output>>> {
        pin!(self.as_mut().anext()).poll(cx)
    }
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
pub struct TryGenStream<G: AsyncResume> {
    run: Run<G, G::Return>,
}

impl<G: AsyncResume<Return: Fallible>> TryGenStream<G> {
    /// Wraps `generator`: an [`AsyncGen`](crate::AsyncGen), a `&mut` to
    /// one, or a `Pin<&mut PinnedAsyncGen<..>>`, whose return type is a
    /// `Result`.
    pub fn new(generator: G) -> Self {
        TryGenStream {
            run: Run::new(generator),
        }
    }

    run_accessors! {
        "stream",
        "aclose",
    }
}

run_impls!(TryGenStream, AsyncResume);

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
        if this.run.is_over() {
            return Poll::Ready(None);
        }
        this.run
            .generator()
            .poll_resume(cx)
            .map(|state| this.run.item(state))
    }
}

impl<G> futures_core::FusedStream for TryGenStream<G>
where
    G: AsyncResume + Unpin,
    G::Return: Fallible,
{
    fn is_terminated(&self) -> bool {
        self.run.is_over()
    }
}

#[cfg(feature = "alloc")]
impl<F, Y, S, E> crate::AsyncGen<F, Y, S, E>
where
    F: Body,
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
    F: Body,
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
