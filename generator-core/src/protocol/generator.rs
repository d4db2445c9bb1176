//! The crate's generator trait: what `yield_from!` can delegate to besides
//! this crate's own generators and plain iterators.

use core::ops::DerefMut;
use core::pin::Pin;

use crate::protocol::error::{CloseError, ResumeError};
use crate::protocol::state::{GenState, GeneratorState};

/// Python's generator protocol as a trait, for hand-written generators and
/// for code generic over generators. Every method takes `Pin<&mut Self>`;
/// the meaning of each is the one documented on [`Gen`](crate::Gen).
///
/// `yield_from!` delegates to any `Unpin` implementor (a `&mut` or
/// `Pin<&mut _>` to one works too) whose yield, send and throw types are
/// the delegating generator's and whose send type implements `Default`, and
/// then evaluates to `Option<Return>`: `None` when the delegate had already
/// finished.
///
/// ```
/// use core::pin::Pin;
/// use pygen::{generator, yield_, yield_from, Generator, GenState, GeneratorState};
/// use pygen::{CloseError, NoThrow, ResumeError};
///
/// /// A hand-written generator: yields `0..n`, returns `n`.
/// struct Upto { next: u32, n: u32, state: GenState }
///
/// impl Generator for Upto {
///     type Yield = u32;
///     type Send = ();
///     type Throw = NoThrow;
///     type Return = u32;
///
///     fn state(&self) -> GenState { self.state }
///     fn start(self: Pin<&mut Self>) -> Result<GeneratorState<u32, u32>, ResumeError<()>> {
///         self.send(()) // sketch: a real one refuses a second start
///     }
///     fn send(mut self: Pin<&mut Self>, _: ()) -> Result<GeneratorState<u32, u32>, ResumeError<()>> {
///         if self.next < self.n {
///             self.next += 1;
///             self.state = GenState::Suspended;
///             Ok(GeneratorState::Yielded(self.next - 1))
///         } else {
///             self.state = GenState::Closed;
///             Ok(GeneratorState::Complete(self.n))
///         }
///     }
///     fn throw(self: Pin<&mut Self>, e: NoThrow) -> Result<GeneratorState<u32, u32>, ResumeError<NoThrow>> {
///         match e {}
///     }
///     fn close(mut self: Pin<&mut Self>) -> Result<Option<u32>, CloseError<u32>> {
///         self.state = GenState::Closed;
///         Ok(None)
///     }
/// }
///
/// #[generator(yield = u32)]
/// fn outer() -> Option<u32> {
///     yield_from!(Upto { next: 0, n: 2, state: GenState::Created })
/// }
///
/// let mut g = outer();
/// assert_eq!(g.by_ref().collect::<Vec<_>>(), [0, 1]);
/// ```
pub trait Generator {
    /// What `yield_!` hands out.
    type Yield;
    /// What `send` passes in and `yield_!` evaluates to.
    type Send;
    /// What `throw` raises at the yield point.
    type Throw;
    /// What the body returns.
    type Return;

    /// Where the generator is.
    fn state(&self) -> GenState;

    /// Runs the body up to its first yield.
    ///
    /// # Errors
    ///
    /// When the generator has already started or is closed.
    #[allow(clippy::type_complexity)]
    fn start(
        self: Pin<&mut Self>,
    ) -> Result<GeneratorState<Self::Yield, Self::Return>, ResumeError<()>>;

    /// Python's `next(g)`: start, or send the default value; `None` once
    /// closed. The provided method builds it from `state`, `start` and `send`.
    fn resume(self: Pin<&mut Self>) -> Option<GeneratorState<Self::Yield, Self::Return>>
    where
        Self::Send: Default,
    {
        match self.state() {
            GenState::Created => self.start().ok(),
            GenState::Suspended | GenState::Running => self.send(Default::default()).ok(),
            GenState::Closed => None,
        }
    }

    /// Python's `g.send(value)`.
    ///
    /// # Errors
    ///
    /// The value comes back when it cannot be delivered.
    #[allow(clippy::type_complexity)]
    fn send(
        self: Pin<&mut Self>,
        value: Self::Send,
    ) -> Result<GeneratorState<Self::Yield, Self::Return>, ResumeError<Self::Send>>;

    /// Python's `g.throw(error)`.
    ///
    /// # Errors
    ///
    /// The error comes back unraised when the generator is not suspended.
    #[allow(clippy::type_complexity)]
    fn throw(
        self: Pin<&mut Self>,
        error: Self::Throw,
    ) -> Result<GeneratorState<Self::Yield, Self::Return>, ResumeError<Self::Throw>>;

    /// Python's `g.close()`.
    ///
    /// # Errors
    ///
    /// When the body yields instead of finishing.
    fn close(self: Pin<&mut Self>) -> Result<Option<Self::Return>, CloseError<Self::Yield>>;
}

/// The [`Generator`] impl of one of this crate's handles: each method is
/// the handle's inherent one, reached from `Pin<&mut Self>` as `$reach`
/// says (`this` by itself for a pinned handle, `this.get_mut()` for a
/// movable one). The impl's generics must be `F` (a body whose output is the
/// return value), `Y`, `S`, `E`.
macro_rules! inherent_generator {
    ($this:ident => $reach:expr) => {
        type Yield = Y;
        type Send = S;
        type Throw = E;
        type Return = F::Output;

        fn state(&self) -> GenState {
            Self::state(self)
        }
        fn start(self: Pin<&mut Self>) -> Result<GeneratorState<Y, F::Output>, ResumeError<()>> {
            let $this = self;
            Self::start($reach)
        }
        fn resume(self: Pin<&mut Self>) -> Option<GeneratorState<Y, F::Output>>
        where
            S: Default,
        {
            let $this = self;
            Self::resume($reach)
        }
        fn send(
            self: Pin<&mut Self>,
            value: S,
        ) -> Result<GeneratorState<Y, F::Output>, ResumeError<S>> {
            let $this = self;
            Self::send($reach, value)
        }
        fn throw(
            self: Pin<&mut Self>,
            error: E,
        ) -> Result<GeneratorState<Y, F::Output>, ResumeError<E>> {
            let $this = self;
            Self::throw($reach, error)
        }
        fn close(self: Pin<&mut Self>) -> Result<Option<F::Output>, CloseError<Y>> {
            let $this = self;
            Self::close($reach)
        }
    };
}

macro_rules! forward_generator {
    ($($get:tt)*) => {
        type Yield = G::Yield;
        type Send = G::Send;
        type Throw = G::Throw;
        type Return = G::Return;

        fn state(&self) -> GenState {
            G::state(&**self)
        }
        fn start(self: Pin<&mut Self>) -> Result<GeneratorState<G::Yield, G::Return>, ResumeError<()>> {
            G::start(self.get_mut().$($get)*)
        }
        fn resume(self: Pin<&mut Self>) -> Option<GeneratorState<G::Yield, G::Return>>
        where
            G::Send: Default,
        {
            G::resume(self.get_mut().$($get)*)
        }
        fn send(
            self: Pin<&mut Self>,
            value: G::Send,
        ) -> Result<GeneratorState<G::Yield, G::Return>, ResumeError<G::Send>> {
            G::send(self.get_mut().$($get)*, value)
        }
        fn throw(
            self: Pin<&mut Self>,
            error: G::Throw,
        ) -> Result<GeneratorState<G::Yield, G::Return>, ResumeError<G::Throw>> {
            G::throw(self.get_mut().$($get)*, error)
        }
        fn close(self: Pin<&mut Self>) -> Result<Option<G::Return>, CloseError<G::Yield>> {
            G::close(self.get_mut().$($get)*)
        }
    };
}

/// A `&mut` to an `Unpin` generator is one.
impl<G> Generator for &mut G
where
    G: Generator + Unpin + ?Sized,
{
    forward_generator!(as_pin());
}

/// A pinned pointer to a generator is one.
impl<P, G> Generator for Pin<P>
where
    P: DerefMut<Target = G> + Unpin,
    G: Generator + ?Sized,
{
    forward_generator!(as_mut());
}

trait AsPin {
    type Target: ?Sized;
    fn as_pin(&mut self) -> Pin<&mut Self::Target>;
}

impl<G: Unpin + ?Sized> AsPin for &mut G {
    type Target = G;
    fn as_pin(&mut self) -> Pin<&mut G> {
        Pin::new(&mut **self)
    }
}
