//! [`TryIter`]: a generator whose body returns `Result<T, E>` as an
//! iterator of `Result`s that ends with the body's error.

use core::fmt;
use core::pin::Pin;

use crate::body::Body;
use crate::handle::fallible::{Fallible, Run};
use crate::handle::pinned::PinnedGen;
use crate::protocol::generator::Generator;

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
pub struct TryIter<G: Generator> {
    run: Run<G, G::Return>,
}

impl<G: Generator<Return: Fallible>> TryIter<G> {
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
            run: Run::new(generator),
        }
    }

    run_accessors! {
        "iteration",
        "close",
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
    }
}

run_impls!(TryIter, Generator);

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
        if self.run.is_over() {
            return None;
        }
        let state = Pin::new(self.run.generator()).resume();
        self.run.item(state)
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
