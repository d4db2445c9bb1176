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
//! This file holds what both share: [`Fallible`] and how a run of either
//! ends (`Ending`); each has a file of its own (`try_iter.rs`,
//! `try_stream.rs`).
//!
//! Both are built on the public protocol only: [`Generator::resume`] for
//! the synchronous forms, `anext()` for the asynchronous ones (a resume's
//! progress is kept in the generator, so each poll may make a fresh
//! `anext()` future and drop it while it is pending).

use core::fmt;

/// The trait impls [`TryIter`](crate::TryIter) and
/// [`TryGenStream`](crate::TryGenStream) share: `Unpin` (nothing inside is
/// pinned: the generator is only polled through `&mut` when it is `Unpin`,
/// and the kept `Ok` value is never pinned) and `Debug` (where the run is,
/// never the generator).
macro_rules! run_impls {
    ($ty:ident, $bound:ident) => {
        impl<G> Unpin for $ty<G> where G: $bound + Unpin {}

        impl<G> fmt::Debug for $ty<G>
        where
            G: $bound,
        {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.run.debug(stringify!($ty), f)
            }
        }
    };
}

/// The public accessors [`TryIter`](crate::TryIter) and
/// [`TryGenStream`](crate::TryGenStream) share, over their [`Run`] (as
/// futures-util writes its adapters' `get_ref`/`into_inner` once, by
/// macro): `return_value`, `into_return_value`, `into_inner`. `$run` names
/// the run in the docs, `$close` the method that closes the generator, and
/// any further doc lines go to `return_value`.
macro_rules! run_accessors {
    ($run:literal, $close:literal, $(#[$example:meta])*) => {
        #[doc = concat!(
            "The body's `Ok` value, once it has returned one; `None` while the ",
            $run,
            " runs, and when it ended with an error or because the generator was closed."
        )]
        $(#[$example])*
        pub fn return_value(&self) -> Option<&<G::Return as Fallible>::Ok> {
            self.run.value()
        }

        /// [`return_value`](Self::return_value), by value.
        pub fn into_return_value(self) -> Option<<G::Return as Fallible>::Ok> {
            self.run.into_value()
        }

        #[doc = concat!(
            "The generator, e.g. to `",
            $close,
            "()` it after a partial iteration. An `Ok` value the body returned is dropped."
        )]
        pub fn into_inner(self) -> G {
            self.run.into_inner()
        }
    };
}

use crate::protocol::state::GeneratorState;

pub(crate) mod sealed {
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
/// [`TryIter`](crate::TryIter) and [`TryGenStream`](crate::TryGenStream) need one. Implemented for [`Result`]
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

/// A generator and where a fallible run over it is: what [`TryIter`] and
/// [`TryGenStream`] both hold, with what they share.
///
/// [`TryIter`]: crate::TryIter
/// [`TryGenStream`]: crate::TryGenStream
pub(crate) struct Run<G, R> {
    generator: G,
    ending: Ending<R>,
}

impl<G, R> Run<G, R> {
    pub(crate) fn new(generator: G) -> Self {
        Run {
            generator,
            ending: Ending::Running,
        }
    }

    /// Whether the run has ended (fused from then on).
    #[inline]
    pub(crate) fn is_over(&self) -> bool {
        !self.ending.is_running()
    }

    /// The generator, to resume; only while the run goes on.
    #[inline]
    pub(crate) fn generator(&mut self) -> &mut G {
        &mut self.generator
    }

    pub(crate) fn into_inner(self) -> G {
        self.generator
    }

    /// `Debug` for the type named `name` that holds this run.
    pub(crate) fn debug(&self, name: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct(name)
            .field("state", &self.ending)
            .finish_non_exhaustive()
    }
}

impl<G, R: Fallible> Run<G, R> {
    /// The item for what a resume produced; `None` ends the run.
    #[inline]
    pub(crate) fn item<Y>(
        &mut self,
        state: Option<GeneratorState<Y, R>>,
    ) -> Option<Result<Y, R::Error>> {
        self.ending.settle(state)
    }

    pub(crate) fn value(&self) -> Option<&R::Ok> {
        self.ending.value()
    }

    pub(crate) fn into_value(self) -> Option<R::Ok> {
        self.ending.into_value()
    }
}
