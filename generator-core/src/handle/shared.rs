//! [`Shared`]: one generator fed from several places, as Python code passes
//! the same generator object to several others.

use alloc::rc::Rc;
use core::cell::RefCell;
use core::fmt;
use core::pin::Pin;

use crate::protocol::error::{CloseError, ResumeError, ResumeErrorKind};
use crate::protocol::generator::Generator;
use crate::protocol::state::{GenState, GeneratorState};

/// A generator shared by several owners: each clone resumes the same
/// generator. Python passes one generator object to many others (Beazley's
/// broadcast sends every line to three `grep`s that share one `printer`);
/// in Rust they share it through this handle, which is itself a
/// [`Generator`], so it goes wherever a generator does (a `yield_from!`, a
/// stage of a pipeline).
///
/// Resuming a generator from inside its own resume (a cycle in the
/// pipeline) is Python's `ValueError: generator already executing`: here
/// `start`, `send` and `throw` refuse it with
/// [`ResumeErrorKind::Running`], handing the value back, and `resume` and
/// `close` panic (their results have no room for the refusal).
///
/// ```
/// use pygen::{generator, yield_, Shared};
///
/// #[generator(yield = (), send = String)]
/// fn printer() {
///     loop {
///         let line = yield_!(());
///         println!("{line}");
///     }
/// }
///
/// let p = Shared::new(printer().primed());
/// let (a, b) = (p.clone(), p.clone());
/// a.send("from a".into()).unwrap();
/// b.send("from b".into()).unwrap();
/// ```
#[must_use = "a generator runs nothing until it is resumed: call `send` or `resume`"]
pub struct Shared<G> {
    generator: Rc<RefCell<G>>,
}

impl<G> Shared<G> {
    /// Shares `generator`.
    pub fn new(generator: G) -> Self {
        Shared {
            generator: Rc::new(RefCell::new(generator)),
        }
    }
}

impl<G> Clone for Shared<G> {
    fn clone(&self) -> Self {
        Shared {
            generator: Rc::clone(&self.generator),
        }
    }
}

impl<G: fmt::Debug> fmt::Debug for Shared<G> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.generator.try_borrow() {
            Ok(g) => f.debug_tuple("Shared").field(&*g).finish(),
            Err(_) => f.write_str("Shared(<running>)"),
        }
    }
}

#[allow(clippy::type_complexity)]
impl<G: Generator + Unpin> Shared<G> {
    /// Where the generator is; `Running` while one of its owners resumes it.
    pub fn state(&self) -> GenState {
        self.generator
            .try_borrow()
            .map_or(GenState::Running, |g| g.state())
    }

    /// Runs the shared generator with `call`, or hands `value` back when
    /// it is already running.
    fn with<T, R>(
        &self,
        value: T,
        call: impl FnOnce(Pin<&mut G>, T) -> Result<R, ResumeError<T>>,
    ) -> Result<R, ResumeError<T>> {
        match self.generator.try_borrow_mut() {
            Ok(mut g) => call(Pin::new(&mut *g), value),
            Err(_) => Err(ResumeError::new(ResumeErrorKind::Running, value)),
        }
    }

    /// [`Generator::start`] through a shared reference.
    ///
    /// # Errors
    ///
    /// As `Generator::start`, and `Running` while it runs.
    pub fn start(&self) -> Result<GeneratorState<G::Yield, G::Return>, ResumeError<()>> {
        self.with((), |g, ()| g.start())
    }

    /// [`Generator::resume`] through a shared reference.
    ///
    /// # Panics
    ///
    /// While the generator runs (Python's `generator already executing`):
    /// `None` would say it had finished, and a `yield_from!` of it would
    /// end there without a word.
    pub fn resume(&self) -> Option<GeneratorState<G::Yield, G::Return>>
    where
        G::Send: Default,
    {
        let Ok(mut g) = self.generator.try_borrow_mut() else {
            panic!("Shared::resume: the generator is already executing (a cycle in the pipeline)")
        };
        Pin::new(&mut *g).resume()
    }

    /// [`Generator::send`] through a shared reference.
    ///
    /// # Errors
    ///
    /// As `Generator::send` (the value comes back), and `Running` while it
    /// runs.
    pub fn send(
        &self,
        value: G::Send,
    ) -> Result<GeneratorState<G::Yield, G::Return>, ResumeError<G::Send>> {
        self.with(value, |g, value| g.send(value))
    }

    /// [`Generator::throw`] through a shared reference.
    ///
    /// # Errors
    ///
    /// As `Generator::throw` (the error comes back), and `Running` while it
    /// runs.
    pub fn throw(
        &self,
        error: G::Throw,
    ) -> Result<GeneratorState<G::Yield, G::Return>, ResumeError<G::Throw>> {
        self.with(error, |g, error| g.throw(error))
    }

    /// [`Generator::close`] through a shared reference.
    ///
    /// # Errors
    ///
    /// As `Generator::close`.
    ///
    /// # Panics
    ///
    /// While the generator runs (a generator closing itself through a
    /// cycle of its pipeline).
    pub fn close(&self) -> Result<Option<G::Return>, CloseError<G::Yield>> {
        let Ok(mut g) = self.generator.try_borrow_mut() else {
            panic!("Shared::close: the generator is running (it would close itself)")
        };
        Pin::new(&mut *g).close()
    }
}

impl<G: Generator + Unpin> Generator for Shared<G> {
    type Yield = G::Yield;
    type Send = G::Send;
    type Throw = G::Throw;
    type Return = G::Return;

    fn state(&self) -> GenState {
        Shared::state(self)
    }
    fn start(self: Pin<&mut Self>) -> Result<GeneratorState<G::Yield, G::Return>, ResumeError<()>> {
        Shared::start(&self)
    }
    fn resume(self: Pin<&mut Self>) -> Option<GeneratorState<G::Yield, G::Return>>
    where
        G::Send: Default,
    {
        Shared::resume(&self)
    }
    fn send(
        self: Pin<&mut Self>,
        value: G::Send,
    ) -> Result<GeneratorState<G::Yield, G::Return>, ResumeError<G::Send>> {
        Shared::send(&self, value)
    }
    fn throw(
        self: Pin<&mut Self>,
        error: G::Throw,
    ) -> Result<GeneratorState<G::Yield, G::Return>, ResumeError<G::Throw>> {
        Shared::throw(&self, error)
    }
    fn close(self: Pin<&mut Self>) -> Result<Option<G::Return>, CloseError<G::Yield>> {
        Shared::close(&self)
    }
}
