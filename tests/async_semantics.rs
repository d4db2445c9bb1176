//! Async generators (`#[generator] async fn`): conformance with CPython 3.13
//! async generators (P36–P39 of `python-semantics.md`, citing
//! Lib/test/test_asyncgen.py) and every cell of the protocol table in the
//! doc comment of `AsyncGen` — rows `anext`/`Stream::poll_next`, `astart`,
//! `asend`, `athrow`, `aclose`, `state`; columns created, suspended, running
//! (a resume's future was dropped while the body awaited), closed — for
//! each form:
//!
//! - `movable::*`: the default [`AsyncGen`], methods on `&mut self`;
//! - `pinned::*`: `pin!(gen_fn().into_pinned())`, methods on
//!   `Pin<&mut PinnedAsyncGen>` through the thin [`Pinned`] wrapper;
//! - `inline::*`: the same generators in the inline form,
//!   `generate!(#[generator(..)] async move || -> R { .. })`
//!   (`async_fixtures!` writes each test generator both ways).
//!
//! Besides the table: `athrow`/`aclose`/`asend` through delegation chains
//! (flat async, stream, iterator, sync generator), cancellation of resume
//! futures, drop in place, drop counts, panics, and what happens to a yield
//! that something other than its generator polls.
//!
//! Every test runs under `futures::executor::block_on`; the bodies await
//! [`pend_once`] (a future that is `Pending` once and wakes itself) between
//! yields so that every resume really goes through a `Pending` and the
//! executor's waker. Bodies log what they run into a shared [`Log`] and the
//! tests assert the exact log. Python's `finally` is a drop guard
//! ([`Guard`]).

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::{Pin, pin};
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, Waker};

use futures::executor::block_on;
use futures::stream::{FusedStream, Stream};
use futures::{FutureExt, StreamExt};
use pygen::{
    CloseError, GenState, GeneratorState, Interrupt, PinnedAsyncGen, ResumeError, ResumeErrorKind,
    generator, yield_, yield_catch, yield_from,
};

// ---------------------------------------------------------------------------
// Scaffolding
// ---------------------------------------------------------------------------

#[macro_use]
#[path = "support/forms.rs"]
mod forms;
#[path = "support/trace.rs"]
mod trace;
use trace::{Guard, Log};

/// Counts its drops; clones share the count.
#[derive(Clone, Default)]
struct DropCount(Arc<AtomicUsize>);

impl DropCount {
    fn token(&self) -> DropToken {
        DropToken(self.0.clone())
    }

    fn get(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

struct DropToken(Arc<AtomicUsize>);

impl Drop for DropToken {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// The throw type of the test generators.
#[derive(Debug, Clone, PartialEq)]
struct Fault(String);

fn fault(msg: &str) -> Fault {
    Fault(msg.to_string())
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        String::from("<non-string panic payload>")
    }
}

/// An await that really suspends (Python's `await asyncio.sleep(0)`):
/// `Pending` once, waking its task through the waker it was polled with,
/// then ready. Under `block_on` the test would hang if that waker did not
/// reach the executor.
fn pend_once() -> PendOnce {
    PendOnce(false)
}

struct PendOnce(bool);

impl Future for PendOnce {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

/// A gate the body waits at: open by default; a test shuts it to keep a
/// resume waiting (the running column), then opens it again.
#[derive(Clone)]
struct Gate(Rc<GateState>);

struct GateState {
    open: Cell<bool>,
    waker: RefCell<Option<Waker>>,
}

impl Gate {
    fn open() -> Self {
        Gate(Rc::new(GateState {
            open: Cell::new(true),
            waker: RefCell::new(None),
        }))
    }

    fn shut(&self) {
        self.0.open.set(false);
    }

    fn reopen(&self) {
        self.0.open.set(true);
        if let Some(waker) = self.0.waker.borrow_mut().take() {
            waker.wake();
        }
    }

    fn pass(&self) -> GatePass {
        GatePass(self.clone())
    }
}

struct GatePass(Gate);

impl Future for GatePass {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let state = &(self.0).0;
        if state.open.get() {
            Poll::Ready(())
        } else {
            *state.waker.borrow_mut() = Some(cx.waker().clone());
            Poll::Pending
        }
    }
}

/// A stream of `items` that answers `Pending` (waking itself) before each
/// item and at its end, and logs when it is dropped.
struct Stutter {
    items: std::vec::IntoIter<u32>,
    ready: bool,
    log: Log,
}

impl Stutter {
    fn new(log: &Log, items: Vec<u32>) -> Self {
        Stutter {
            items: items.into_iter(),
            ready: false,
            log: log.clone(),
        }
    }
}

impl Stream for Stutter {
    type Item = u32;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<u32>> {
        if !self.ready {
            self.ready = true;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        self.ready = false;
        Poll::Ready(self.items.next())
    }
}

impl Drop for Stutter {
    fn drop(&mut self) {
        self.log.push("stream dropped");
    }
}

/// A plain iterator that logs when it is dropped.
struct LoggedIter {
    items: std::vec::IntoIter<u32>,
    log: Log,
}

impl Iterator for LoggedIter {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        self.items.next()
    }
}

impl Drop for LoggedIter {
    fn drop(&mut self) {
        self.log.push("iterator dropped");
    }
}

/// The pinned form, driven through `Pin<&mut PinnedAsyncGen>`: every method
/// is `self.0.as_mut().<same method>(..).await`, so a test body written for
/// `AsyncGen` (`g.asend(3).await`) drives the pinned API when `g` is one of
/// these. Its `Stream` impl is the pinned generator's `poll_next`.
struct Pinned<'a, F: pygen::Body, Y, S, E>(Pin<&'a mut PinnedAsyncGen<F, Y, S, E>>);

type Resumed<Y, R, T> = Result<GeneratorState<Y, R>, ResumeError<T>>;

impl<F: pygen::Body, Y, S, E> Pinned<'_, F, Y, S, E> {
    fn state(&self) -> GenState {
        self.0.state()
    }

    async fn astart(&mut self) -> Resumed<Y, F::Output, ()> {
        self.0.as_mut().astart().await
    }

    async fn anext(&mut self) -> Option<GeneratorState<Y, F::Output>>
    where
        S: Default,
    {
        self.0.as_mut().anext().await
    }

    async fn asend(&mut self, value: S) -> Resumed<Y, F::Output, S> {
        self.0.as_mut().asend(value).await
    }

    async fn athrow(&mut self, error: E) -> Resumed<Y, F::Output, E> {
        self.0.as_mut().athrow(error).await
    }

    async fn aclose(&mut self) -> Result<Option<F::Output>, CloseError<Y>> {
        self.0.as_mut().aclose().await
    }

    fn is_terminated(&self) -> bool
    where
        S: Default,
    {
        FusedStream::is_terminated(&*self.0)
    }
}

impl<F: pygen::Body, Y, S: Default, E> Stream for Pinned<'_, F, Y, S, E> {
    type Item = Y;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Y>> {
        self.get_mut().0.as_mut().poll_next(cx)
    }
}

/// Runs a test's body under `block_on`.
macro_rules! on_executor {
    ($body:block) => {
        block_on(async $body)
    };
}

/// Writes each test once and compiles it for both forms, each run under
/// `block_on`. Inside a body, `fresh!(g = generator_fn(..))` declares `g`:
/// the `AsyncGen` itself in `movable`, a [`Pinned`] over
/// `pin!(generator_fn(..).into_pinned())` in `pinned` (it lives until the
/// end of the enclosing block).
macro_rules! both_forms {
    ($($tests:tt)*) => {
        in_form!(movable, on_executor, fresh_movable, $($tests)*);
        in_form!(pinned, on_executor, fresh_pinned, $($tests)*);
        in_form!(inline, on_executor, fresh_movable, fixtures = inline_fixtures, $($tests)*);
    };
}

/// The ways a generator becomes closed.
#[derive(Debug, Clone, Copy)]
enum Closing {
    Returned,
    Closed,
    Thrown,
    Panicked,
}

const CLOSINGS: [Closing; 4] = [
    Closing::Returned,
    Closing::Closed,
    Closing::Thrown,
    Closing::Panicked,
];

/// Brings a fresh [`probe`] to closed in the given way.
macro_rules! close_by {
    ($g:ident, $how:expr) => {
        assert_eq!($g.astart().await, Ok(GeneratorState::Yielded(1)));
        match $how {
            Closing::Returned => {
                assert_eq!($g.anext().await, Some(GeneratorState::Yielded(2)));
                assert_eq!($g.anext().await, Some(GeneratorState::Yielded(3)));
                assert!(matches!(
                    $g.anext().await,
                    Some(GeneratorState::Complete(Ok(_)))
                ));
            }
            Closing::Closed => assert_eq!($g.aclose().await, Ok(None)),
            Closing::Thrown => assert_eq!(
                $g.athrow(fault("fatal")).await,
                Ok(GeneratorState::Complete(Err(fault("fatal"))))
            ),
            Closing::Panicked => {
                let outcome = AssertUnwindSafe($g.asend(String::from("panic")))
                    .catch_unwind()
                    .await;
                assert!(outcome.is_err(), "the body's panic reaches the caller");
            }
        }
        assert_eq!($g.state(), GenState::Closed, "closed by {:?}", $how);
    };
}

/// Brings a fresh [`probe`] (or [`catcher`]) over `gate` to the running
/// column: started, then a resume whose future is polled once — the body
/// waits at the shut gate — and dropped.
macro_rules! make_running {
    ($g:ident, $gate:expr) => {
        assert_eq!($g.astart().await, Ok(GeneratorState::Yielded(1)));
        $gate.shut();
        assert_eq!(
            $g.anext().now_or_never(),
            None,
            "the resume waits at the gate"
        );
        assert_eq!($g.state(), GenState::Running);
    };
}

// ---------------------------------------------------------------------------
// Test generators
// ---------------------------------------------------------------------------

/// What [`catcher`] does when it catches a close.
#[derive(Debug, Clone, Copy)]
enum OnClose {
    /// Returns at once.
    Return,
    /// Awaits (Python: `finally: await asyncio.sleep(..)`), then returns.
    AwaitThenReturn,
    YieldAgain,
    Fail,
    Panic,
}

/// A sync generator of the same types, for `yield_from!` inside an async
/// body.
#[generator(yield = u32, send = String, throw = Fault)]
fn sync_counter(log: Log) -> Result<&'static str, Fault> {
    let _cleanup = Guard::new(&log, "sync cleanup");
    for i in 10..12 {
        let s = yield_!(i);
        log.push(format!("sync got {s:?}"));
    }
    Ok("sync done")
}

async_fixtures! {
    types(u32, String, Fault);

    /// Yields 1, 2, 3 at plain `yield_!`s, logging what it is sent; awaits
    /// [`pend_once`] and the gate after each; panics when sent "panic"; returns
    /// what it received joined by '|'.
    async fn probe(log: Log, gate: Gate) -> Result<String, Fault> {
        let _cleanup = Guard::new(&log, "cleanup");
        log.push("start");
        let mut received = Vec::new();
        for i in 1..=3 {
            let s = yield_!(i);
            log.push(format!("got {s:?}"));
            if s == "panic" {
                panic!("probe was asked to panic");
            }
            pend_once().await;
            gate.pass().await;
            received.push(s);
        }
        log.push("end");
        Ok(received.join("|"))
    }

    /// Suspends at `yield_catch!`, so it sees sends, throws and closes itself.
    /// Yields 1 and counts up: +1 per value received, +100 per error caught;
    /// awaits after each.
    async fn catcher(log: Log, on_close: OnClose, gate: Gate) -> Result<String, Fault> {
        let _cleanup = Guard::new(&log, "cleanup");
        log.push("start");
        let mut n = 1;
        loop {
            match yield_catch!(n) {
                Ok(s) => {
                    log.push(format!("got {s:?}"));
                    pend_once().await;
                    gate.pass().await;
                    n += 1;
                }
                Err(Interrupt::Throw(f)) => {
                    log.push(format!("caught {}", f.0));
                    pend_once().await;
                    n += 100;
                }
                Err(Interrupt::Close) => {
                    log.push("caught close");
                    match on_close {
                        OnClose::Return => return Ok(format!("closed at {n}")),
                        OnClose::AwaitThenReturn => {
                            pend_once().await;
                            log.push("cleanup awaited");
                            return Ok(format!("closed at {n}"));
                        }
                        OnClose::YieldAgain => {
                            pend_once().await;
                            yield_!(999);
                            log.push("resumed after ignoring the close");
                        }
                        OnClose::Fail => return Err(fault("close handler failed")),
                        OnClose::Panic => panic!("close handler panicked"),
                    }
                }
            }
        }
    }

    async fn panics_at_once(log: Log) -> Result<(), Fault> {
        let _cleanup = Guard::new(&log, "cleanup");
        log.push("start");
        pend_once().await;
        if !log.lines().is_empty() {
            panic!("panics before its first yield");
        }
        yield_!(1);
        Ok(())
    }

    /// Delegates flat to a fresh [`catcher`].
    async fn via_flat(log: Log, on_close: OnClose) -> Result<String, Fault> {
        let _cleanup = Guard::new(&log, "outer cleanup");
        log.push("outer start");
        let inner = yield_from!(catcher(log.clone(), on_close, Gate::open()))?;
        log.push(format!("outer got {inner:?}"));
        Ok(inner)
    }

    /// Delegates flat to a fresh [`probe`] (plain `yield_!`s).
    async fn via_flat_probe(log: Log) -> Result<String, Fault> {
        let _cleanup = Guard::new(&log, "outer cleanup");
        log.push("outer start");
        let inner = yield_from!(probe(log.clone(), Gate::open()))?;
        log.push(format!("outer got {inner:?}"));
        Ok(inner)
    }

    /// Delegates to a stream that is `Pending` before every item.
    async fn via_stream(log: Log) -> Result<(), Fault> {
        let _cleanup = Guard::new(&log, "outer cleanup");
        log.push("outer start");
        let unit: () = yield_from!(Stutter::new(&log, vec![1, 2, 3]));
        log.push(format!("outer after delegation {unit:?}"));
        Ok(())
    }

    /// Delegates to a plain iterator.
    async fn via_iterator(log: Log) -> Result<(), Fault> {
        let _cleanup = Guard::new(&log, "outer cleanup");
        log.push("outer start");
        let unit: () = yield_from!(LoggedIter {
            items: vec![1, 2, 3].into_iter(),
            log: log.clone(),
        });
        log.push(format!("outer after delegation {unit:?}"));
        Ok(())
    }

    /// outer → (flat) [`via_stream`] → stream.
    async fn via_flat_via_stream(log: Log) -> Result<(), Fault> {
        let _cleanup = Guard::new(&log, "outermost cleanup");
        log.push("outermost start");
        yield_from!(via_stream(log.clone()))?;
        log.push("outermost after delegation");
        Ok(())
    }

    /// outer → (flat) [`via_iterator`] → iterator.
    async fn via_flat_via_iterator(log: Log) -> Result<(), Fault> {
        let _cleanup = Guard::new(&log, "outermost cleanup");
        log.push("outermost start");
        yield_from!(via_iterator(log.clone()))?;
        log.push("outermost after delegation");
        Ok(())
    }

    /// Advances a [`probe`] itself, then delegates to `&mut` it, which is a
    /// `Stream` (not flat: it has started).
    async fn via_started(log: Log) -> Result<Option<GenState>, Fault> {
        let _cleanup = Guard::new(&log, "outer cleanup");
        let mut inner = probe(log.clone(), Gate::open());
        let first = inner.anext().await;
        log.push(format!("advanced outside: {first:?}"));
        let unit: () = yield_from!(&mut inner);
        log.push(format!("outer after delegation {unit:?}"));
        Ok(Some(inner.state()))
    }

    /// Delegates to a fresh sync generator (flat) and then to `&mut` one (a
    /// `Generator`: evaluates to `Option<R>`).
    async fn via_sync(log: Log) -> Result<String, Fault> {
        let flat = yield_from!(sync_counter(log.clone()))?;
        log.push(format!("flat returned {flat:?}"));
        let mut by_ref = sync_counter(log.clone());
        let again = yield_from!(&mut by_ref);
        log.push(format!("by_ref returned {again:?}"));
        pend_once().await;
        Ok(format!("{flat}+{}", again.expect("not finished")?))
    }
}

/// Asserts that `msg` is a readable error message mentioning one of `words`.
fn assert_readable(msg: &str, words: &[&str]) {
    let lower = msg.to_lowercase();
    assert!(msg.trim().len() >= 10, "message too short: {msg:?}");
    assert!(
        words.iter().any(|w| lower.contains(w)),
        "message {msg:?} mentions none of {words:?}"
    );
    assert!(
        !msg.contains('{') && !msg.contains("ResumeError"),
        "message reads like debug output: {msg:?}"
    );
}

// ---------------------------------------------------------------------------
// P36–P39: CPython's Lib/test/test_asyncgen.py
// ---------------------------------------------------------------------------

/// ```python
/// async def gen():
///     yield 1
///     await asyncio.sleep(0.01)
///     yield 2
///     await asyncio.sleep(0.01)
///     return
///     yield 3
/// ```
#[generator(yield = u32)]
async fn gen_1_sleep_2(log: Log) {
    log.push("yield 1");
    yield_!(1);
    log.push("sleep");
    pend_once().await;
    log.push("yield 2");
    yield_!(2);
    log.push("sleep");
    pend_once().await;
    log.push("return");
}

#[test]
fn p36_iterating_yields_1_then_2_then_exhausted() {
    // CPython: Lib/test/test_asyncgen.py AsyncGenAsyncioTest::test_async_gen_asyncio_01
    block_on(async {
        // `to_list(gen())`: the Stream.
        let log = Log::default();
        let mut g = gen_1_sleep_2(log.clone());
        let all: Vec<u32> = g.by_ref().collect().await;
        assert_eq!(all, [1, 2]);
        assert_eq!(
            log.lines(),
            ["yield 1", "sleep", "yield 2", "sleep", "return"]
        );
        assert_eq!(g.state(), GenState::Closed);
        assert!(g.is_terminated());
        assert_eq!(g.anext().await, None, "later anext reports exhausted");
        assert_eq!(g.next().await, None);
        assert_eq!(log.lines().len(), 5, "and runs nothing");

        // `await anext(g)` one by one, with the return value; pinned too.
        let log = Log::default();
        let mut g = pin!(gen_1_sleep_2(log.clone()).into_pinned());
        assert_eq!(g.as_mut().anext().await, Some(GeneratorState::Yielded(1)));
        assert_eq!(log.lines(), ["yield 1"]);
        assert_eq!(g.as_mut().anext().await, Some(GeneratorState::Yielded(2)));
        assert_eq!(log.lines(), ["yield 1", "sleep", "yield 2"]);
        assert_eq!(g.as_mut().anext().await, Some(GeneratorState::Complete(())));
        for _ in 0..3 {
            assert_eq!(g.as_mut().anext().await, None);
            assert_eq!(g.next().await, None);
        }
        assert_eq!(
            log.lines(),
            ["yield 1", "sleep", "yield 2", "sleep", "return"]
        );
    });
}

/// ```python
/// async def gen():
///     yield 123
/// ```
#[generator(yield = u32, send = u32)]
async fn gen_123(log: Log) -> u32 {
    log.push("yield 123");
    let sent = yield_!(123);
    log.push(format!("got {sent}"));
    sent
}

#[test]
fn p37_asend_on_fresh_async_generator_hands_value_back() {
    // CPython: Lib/test/test_asyncgen.py AsyncGenTest::test_async_gen_exception_10
    // (`gen().__anext__().send(100)` raises TypeError "non-None value ...")
    block_on(async {
        let log = Log::default();
        let mut g = gen_123(log.clone());
        let err = g.asend(100).await.unwrap_err();
        assert_eq!(err.kind(), ResumeErrorKind::NotStarted);
        assert_eq!(*err.value(), 100);
        assert_eq!(err.into_inner(), 100);
        assert_eq!(g.state(), GenState::Created, "still usable");
        assert!(log.lines().is_empty(), "no body line ran");
        assert_eq!(g.astart().await, Ok(GeneratorState::Yielded(123)));
        assert_eq!(g.asend(7).await, Ok(GeneratorState::Complete(7)));
        assert_eq!(log.lines(), ["yield 123", "got 7"]);

        let log = Log::default();
        let mut p = pin!(gen_123(log.clone()).into_pinned());
        let err = p.as_mut().asend(100).await.unwrap_err();
        assert_eq!(
            (err.kind(), err.into_inner()),
            (ResumeErrorKind::NotStarted, 100)
        );
        assert_eq!(p.state(), GenState::Created);
        assert!(log.lines().is_empty());
        assert_eq!(p.as_mut().anext().await, Some(GeneratorState::Yielded(123)));
    });
}

/// ```python
/// async def foo():            # test_async_gen_asyncio_aclose_07
///     try:
///         yield 1
///         1 / 0
///     finally:
///         await asyncio.sleep(0.01)
///         await asyncio.sleep(0.01)
///         DONE += 1
///     DONE += 1000
/// ```
#[generator(yield = u32)]
async fn aclose_07(log: Log) {
    let outcome = yield_catch!(1);
    if outcome.is_ok() {
        log.push("1 / 0");
    }
    // finally:
    log.push("finally: sleep");
    pend_once().await;
    log.push("finally: sleep");
    pend_once().await;
    log.push("DONE += 1");
    if let Err(Interrupt::Close) = outcome {
        return; // GeneratorExit propagates past the finally
    }
    log.push("DONE += 1000");
}

/// ```python
/// async def foo():            # test_async_gen_asyncio_aclose_08
///     try:
///         yield 1
///         await fut           # never completes
///         DONE += 1000
///         yield 2
///     finally:
///         await asyncio.sleep(0.01)
///         await asyncio.sleep(0.01)
///         DONE += 1
///     DONE += 1000
/// ```
#[generator(yield = u32)]
async fn aclose_08(log: Log) {
    let outcome = yield_catch!(1);
    if outcome.is_ok() {
        log.push("await fut");
        futures::future::pending::<()>().await;
        log.push("DONE += 1000");
        yield_!(2);
    }
    log.push("finally: sleep");
    pend_once().await;
    log.push("finally: sleep");
    pend_once().await;
    log.push("DONE += 1");
    if let Err(Interrupt::Close) = outcome {
        return;
    }
    log.push("DONE += 1000");
}

#[test]
fn p38_aclose_raises_close_at_the_yield_awaits_cleanup_and_skips_the_rest() {
    // CPython: Lib/test/test_asyncgen.py AsyncGenAsyncioTest::test_async_gen_asyncio_aclose_07
    // and ::test_async_gen_asyncio_aclose_08 (DONE == 1 afterwards)
    block_on(async {
        let cleanup = ["finally: sleep", "finally: sleep", "DONE += 1"];

        let log = Log::default();
        let mut g = aclose_07(log.clone());
        assert_eq!(g.anext().await, Some(GeneratorState::Yielded(1)));
        // Python's aclose() returns None; here the body caught the close and
        // returned `()`, which aclose reports as `Some(())` (DESIGN.md: a
        // caught close that returns `r` gives `Ok(Some(r))`).
        assert_eq!(g.aclose().await, Ok(Some(())));
        assert_eq!(
            log.lines(),
            cleanup,
            "cleanup awaited, DONE += 1000 skipped"
        );
        assert_eq!(g.state(), GenState::Closed);
        assert_eq!(g.anext().await, None);

        let log = Log::default();
        let mut g = pin!(aclose_08(log.clone()).into_pinned());
        assert_eq!(g.as_mut().anext().await, Some(GeneratorState::Yielded(1)));
        assert_eq!(g.as_mut().aclose().await, Ok(Some(())));
        assert_eq!(log.lines(), cleanup, "`await fut` never ran");
        assert_eq!(g.state(), GenState::Closed);
        assert_eq!(g.as_mut().anext().await, None);
        assert_eq!(log.lines(), cleanup);
    });
}

/// ```python
/// async def foo():            # test_async_gen_asyncio_aclose_06
///     try:
///         yield 1
///         1 / 0
///     finally:
///         await asyncio.sleep(0.01)
///         yield 12
/// ```
#[generator(yield = u32)]
async fn aclose_06(log: Log) {
    let outcome = yield_catch!(1);
    if outcome.is_ok() {
        log.push("1 / 0");
    }
    log.push("finally: sleep");
    pend_once().await;
    log.push("finally: yield 12");
    yield_!(12);
    log.push("after yield 12");
}

#[test]
fn p39_yielding_during_aclose_cleanup_is_ignored_close() {
    // CPython: Lib/test/test_asyncgen.py AsyncGenAsyncioTest::test_async_gen_asyncio_aclose_06
    // (RuntimeError "async generator ignored GeneratorExit")
    block_on(async {
        let log = Log::default();
        let mut g = aclose_06(log.clone());
        assert_eq!(g.anext().await, Some(GeneratorState::Yielded(1)));
        let err = g.aclose().await.unwrap_err();
        assert!(err.to_string().contains("ignored close"), "{err}");
        assert_eq!(err.into_inner(), 12, "the yielded value comes back");
        assert_eq!(log.lines(), ["finally: sleep", "finally: yield 12"]);
        assert_eq!(g.state(), GenState::Closed);
        assert_eq!(g.anext().await, None);
        assert_eq!(g.aclose().await, Ok(None));
        assert_eq!(log.lines(), ["finally: sleep", "finally: yield 12"]);

        let log = Log::default();
        let mut g = pin!(aclose_06(log.clone()).into_pinned());
        g.as_mut().astart().await.unwrap();
        assert_eq!(g.as_mut().aclose().await.unwrap_err().into_inner(), 12);
        assert_eq!(g.state(), GenState::Closed);
        assert_eq!(log.lines(), ["finally: sleep", "finally: yield 12"]);
    });
}

// ---------------------------------------------------------------------------
// The table, for both forms
// ---------------------------------------------------------------------------

both_forms! {
    // ---- anext() / Stream::poll_next ---------------------------------------

    fn anext_on_created_runs_to_first_yield(fresh) {
        let log = Log::default();
        fresh!(g = probe(log.clone(), Gate::open()));
        assert_eq!(g.anext().await, Some(GeneratorState::Yielded(1)));
        assert_eq!(log.lines(), ["start"], "ran up to the first yield, no further");
        assert_eq!(g.state(), GenState::Suspended);

        let log = Log::default();
        fresh!(g = probe(log.clone(), Gate::open()));
        assert_eq!(g.next().await, Some(1), "Stream::poll_next");
        assert_eq!(log.lines(), ["start"]);
        assert_eq!(g.state(), GenState::Suspended);
    }

    fn anext_on_suspended_resumes_with_default(fresh) {
        let log = Log::default();
        fresh!(g = probe(log.clone(), Gate::open()));
        g.astart().await.unwrap();
        assert_eq!(g.anext().await, Some(GeneratorState::Yielded(2)));
        assert_eq!(log.lines(), ["start", "got \"\""], "yield_! evaluated to S::default()");
        assert_eq!(g.next().await, Some(3), "Stream::poll_next");
        assert_eq!(log.lines(), ["start", "got \"\"", "got \"\""]);
        assert_eq!(g.state(), GenState::Suspended);
        // The Stream drops the return value.
        assert_eq!(g.next().await, None);
        assert_eq!(log.lines(), ["start", "got \"\"", "got \"\"", "got \"\"", "end", "cleanup"]);
        assert_eq!(g.state(), GenState::Closed);
    }

    fn anext_on_running_finishes_that_resume(fresh) {
        let gate = Gate::open();
        let log = Log::default();
        fresh!(g = probe(log.clone(), gate.clone()));
        make_running!(g, gate);
        // Dropping the future again while still waiting changes nothing.
        assert_eq!(g.anext().now_or_never(), None);
        assert_eq!(g.state(), GenState::Running);
        assert_eq!(log.lines(), ["start", "got \"\""]);
        gate.reopen();
        assert_eq!(g.anext().await, Some(GeneratorState::Yielded(2)), "no item lost");
        assert_eq!(
            log.lines(),
            ["start", "got \"\""],
            "the new anext finished the old resume; it did not resume a second time"
        );
        assert_eq!(g.state(), GenState::Suspended);
        assert_eq!(g.asend("x".into()).await, Ok(GeneratorState::Yielded(3)));
        assert_eq!(
            g.asend("y".into()).await,
            Ok(GeneratorState::Complete(Ok("|x|y".to_string())))
        );
    }

    fn stream_next_on_running_finishes_that_resume(fresh) {
        let gate = Gate::open();
        let log = Log::default();
        fresh!(g = probe(log.clone(), gate.clone()));
        assert_eq!(g.next().await, Some(1));
        gate.shut();
        assert_eq!(g.next().now_or_never(), None, "waits at the gate");
        assert_eq!(g.state(), GenState::Running);
        gate.reopen();
        assert_eq!(g.next().await, Some(2), "no item lost");
        assert_eq!(g.next().await, Some(3));
        assert_eq!(g.next().await, None);
        assert_eq!(
            log.lines(),
            ["start", "got \"\"", "got \"\"", "got \"\"", "end", "cleanup"]
        );
    }

    fn anext_on_closed_is_none_and_runs_nothing(fresh) {
        for how in CLOSINGS {
            let log = Log::default();
            fresh!(g = probe(log.clone(), Gate::open()));
            close_by!(g, how);
            let before = log.lines();
            assert_eq!(g.anext().await, None, "{how:?}");
            assert_eq!(g.next().await, None, "{how:?}");
            assert_eq!(g.anext().await, None, "{how:?}");
            assert!(g.is_terminated(), "{how:?}");
            assert_eq!(log.lines(), before, "{how:?}: the body did not run");
            assert_eq!(g.state(), GenState::Closed);
        }
    }

    // ---- astart() -----------------------------------------------------------

    fn astart_on_created_runs_to_first_yield(fresh) {
        let log = Log::default();
        fresh!(g = probe(log.clone(), Gate::open()));
        assert!(!g.is_terminated());
        assert_eq!(g.astart().await, Ok(GeneratorState::Yielded(1)));
        assert_eq!(log.lines(), ["start"]);
        assert_eq!(g.state(), GenState::Suspended);
    }

    fn astart_on_suspended_is_already_started(fresh) {
        let log = Log::default();
        fresh!(g = probe(log.clone(), Gate::open()));
        g.astart().await.unwrap();
        let err = g.astart().await.unwrap_err();
        assert_eq!(err.kind(), ResumeErrorKind::AlreadyStarted);
        assert_eq!(log.lines(), ["start"], "nothing ran");
        assert_eq!(g.state(), GenState::Suspended);
        assert_eq!(g.asend("x".into()).await, Ok(GeneratorState::Yielded(2)));
        assert_eq!(log.lines(), ["start", "got \"x\""]);
    }

    fn astart_on_running_is_an_error_and_changes_nothing(fresh) {
        let gate = Gate::open();
        let log = Log::default();
        fresh!(g = probe(log.clone(), gate.clone()));
        make_running!(g, gate);
        let err = g.astart().await.unwrap_err();
        assert_eq!(err.kind(), ResumeErrorKind::AlreadyStarted);
        assert_eq!(g.state(), GenState::Running);
        gate.reopen();
        assert_eq!(g.anext().await, Some(GeneratorState::Yielded(2)));
        assert_eq!(log.lines(), ["start", "got \"\""]);
    }

    fn astart_on_closed_is_closed_error(fresh) {
        for how in CLOSINGS {
            let log = Log::default();
            fresh!(g = probe(log.clone(), Gate::open()));
            close_by!(g, how);
            let before = log.lines();
            let err = g.astart().await.unwrap_err();
            assert_eq!(err.kind(), ResumeErrorKind::Closed, "{how:?}");
            assert_eq!(log.lines(), before, "{how:?}: nothing ran");
            assert_eq!(g.state(), GenState::Closed);
        }
    }

    // ---- asend(s) -----------------------------------------------------------

    fn asend_on_created_hands_value_back_and_stays_created(fresh) {
        let log = Log::default();
        fresh!(g = probe(log.clone(), Gate::open()));
        let err = g.asend("too early".into()).await.unwrap_err();
        assert_eq!(err.kind(), ResumeErrorKind::NotStarted);
        assert_eq!(err.value(), "too early");
        assert_eq!(err.into_inner(), "too early");
        assert_eq!(g.state(), GenState::Created);
        assert!(log.lines().is_empty(), "nothing ran: {:?}", log.lines());
        assert_eq!(g.anext().await, Some(GeneratorState::Yielded(1)));
        assert_eq!(log.lines(), ["start"]);
    }

    fn asend_on_suspended_is_value_of_yield(fresh) {
        let log = Log::default();
        fresh!(g = probe(log.clone(), Gate::open()));
        g.astart().await.unwrap();
        assert_eq!(g.asend("a".into()).await, Ok(GeneratorState::Yielded(2)));
        assert_eq!(log.lines(), ["start", "got \"a\""]);
        assert_eq!(g.asend("b".into()).await, Ok(GeneratorState::Yielded(3)));
        assert_eq!(
            g.asend("c".into()).await,
            Ok(GeneratorState::Complete(Ok("a|b|c".to_string())))
        );
        assert_eq!(
            log.lines(),
            ["start", "got \"a\"", "got \"b\"", "got \"c\"", "end", "cleanup"]
        );
        assert_eq!(g.state(), GenState::Closed);
    }

    fn asend_on_running_hands_value_back(fresh) {
        let gate = Gate::open();
        let log = Log::default();
        fresh!(g = probe(log.clone(), gate.clone()));
        make_running!(g, gate);
        let err = g.asend("lost?".into()).await.unwrap_err();
        assert_eq!(err.kind(), ResumeErrorKind::Running);
        assert_eq!(err.into_inner(), "lost?");
        assert_eq!(g.state(), GenState::Running);
        gate.reopen();
        assert_eq!(g.anext().await, Some(GeneratorState::Yielded(2)));
        assert_eq!(g.asend("later".into()).await, Ok(GeneratorState::Yielded(3)));
        assert_eq!(
            log.lines(),
            ["start", "got \"\"", "got \"later\""],
            "the refused value never reached the body"
        );
    }

    fn asend_on_closed_hands_value_back(fresh) {
        for how in CLOSINGS {
            let log = Log::default();
            fresh!(g = probe(log.clone(), Gate::open()));
            close_by!(g, how);
            let before = log.lines();
            let err = g.asend("late".into()).await.unwrap_err();
            assert_eq!(err.kind(), ResumeErrorKind::Closed, "{how:?}");
            assert_eq!(err.into_inner(), "late");
            assert_eq!(log.lines(), before, "{how:?}");
        }
    }

    // ---- athrow(e) ----------------------------------------------------------

    fn athrow_on_created_closes_and_hands_error_back(fresh) {
        let log = Log::default();
        fresh!(g = catcher(log.clone(), OnClose::Return, Gate::open()));
        let err = g.athrow(fault("early")).await.unwrap_err();
        assert_eq!(err.kind(), ResumeErrorKind::NotStarted);
        assert_eq!(err.into_inner(), fault("early"));
        assert_eq!(g.state(), GenState::Closed);
        assert!(log.lines().is_empty(), "not even the catcher ran: {:?}", log.lines());
        assert_eq!(g.anext().await, None);
        assert_eq!(g.aclose().await, Ok(None));
        assert!(log.lines().is_empty());
    }

    fn athrow_on_suspended_at_yield_completes_with_err(fresh) {
        let log = Log::default();
        fresh!(g = probe(log.clone(), Gate::open()));
        g.astart().await.unwrap();
        assert_eq!(
            g.athrow(fault("boom")).await,
            Ok(GeneratorState::Complete(Err(fault("boom"))))
        );
        assert_eq!(log.lines(), ["start", "cleanup"]);
        assert_eq!(g.state(), GenState::Closed);
    }

    fn athrow_on_suspended_at_yield_catch_is_caught(fresh) {
        // CPython: Lib/test/test_asyncgen.py AsyncGenAsyncioTest::test_async_gen_asyncio_athrow_01
        let log = Log::default();
        fresh!(g = catcher(log.clone(), OnClose::Return, Gate::open()));
        g.astart().await.unwrap();
        assert_eq!(g.athrow(fault("t")).await, Ok(GeneratorState::Yielded(101)));
        assert_eq!(g.asend("s".into()).await, Ok(GeneratorState::Yielded(102)));
        assert_eq!(log.lines(), ["start", "caught t", "got \"s\""]);
        assert_eq!(g.state(), GenState::Suspended);
    }

    fn athrow_on_running_hands_error_back(fresh) {
        let gate = Gate::open();
        let log = Log::default();
        fresh!(g = probe(log.clone(), gate.clone()));
        make_running!(g, gate);
        let err = g.athrow(fault("while running")).await.unwrap_err();
        assert_eq!(err.kind(), ResumeErrorKind::Running);
        assert_eq!(err.into_inner(), fault("while running"));
        assert_eq!(g.state(), GenState::Running, "still running, not closed");
        gate.reopen();
        assert_eq!(g.anext().await, Some(GeneratorState::Yielded(2)));
        assert_eq!(log.lines(), ["start", "got \"\""]);
    }

    fn athrow_on_closed_hands_error_back(fresh) {
        for how in CLOSINGS {
            let log = Log::default();
            fresh!(g = probe(log.clone(), Gate::open()));
            close_by!(g, how);
            let before = log.lines();
            let err = g.athrow(fault("late")).await.unwrap_err();
            assert_eq!(err.kind(), ResumeErrorKind::Closed, "{how:?}");
            assert_eq!(err.into_inner(), fault("late"), "exactly the value passed");
            assert_eq!(log.lines(), before, "{how:?}");
        }
    }

    // ---- aclose() -----------------------------------------------------------

    fn aclose_on_created_closes_without_running(fresh) {
        let log = Log::default();
        fresh!(g = catcher(log.clone(), OnClose::Return, Gate::open()));
        assert_eq!(g.aclose().await, Ok(None));
        assert_eq!(g.state(), GenState::Closed);
        assert_eq!(g.anext().await, None);
        assert!(log.lines().is_empty(), "{:?}", log.lines());
    }

    fn aclose_on_suspended_at_yield_drops_body(fresh) {
        let log = Log::default();
        fresh!(g = probe(log.clone(), Gate::open()));
        g.astart().await.unwrap();
        g.anext().await.unwrap();
        assert_eq!(g.aclose().await, Ok(None));
        assert_eq!(log.lines(), ["start", "got \"\"", "cleanup"]);
        assert_eq!(g.state(), GenState::Closed);
    }

    fn aclose_on_suspended_at_yield_catch_awaits_cleanup_and_returns(fresh) {
        let log = Log::default();
        fresh!(g = catcher(log.clone(), OnClose::AwaitThenReturn, Gate::open()));
        g.astart().await.unwrap();
        assert_eq!(g.aclose().await, Ok(Some(Ok("closed at 1".to_string()))));
        assert_eq!(
            log.lines(),
            ["start", "caught close", "cleanup awaited", "cleanup"]
        );
        assert_eq!(g.state(), GenState::Closed);
        assert_eq!(g.aclose().await, Ok(None), "a second aclose is a no-op");
        assert_eq!(log.count("caught close"), 1);
    }

    fn aclose_on_suspended_that_yields_again_is_ignored_close(fresh) {
        let log = Log::default();
        fresh!(g = catcher(log.clone(), OnClose::YieldAgain, Gate::open()));
        g.astart().await.unwrap();
        let err = g.aclose().await.unwrap_err();
        assert_eq!(err.into_inner(), 999);
        assert_eq!(log.lines(), ["start", "caught close", "cleanup"]);
        assert_eq!(g.state(), GenState::Closed);
        assert_eq!(g.anext().await, None);
    }

    fn aclose_on_suspended_handler_failure_is_reported(fresh) {
        let log = Log::default();
        fresh!(g = catcher(log.clone(), OnClose::Fail, Gate::open()));
        g.astart().await.unwrap();
        assert_eq!(
            g.aclose().await,
            Ok(Some(Err(fault("close handler failed"))))
        );
        assert_eq!(log.lines(), ["start", "caught close", "cleanup"]);
        assert_eq!(g.state(), GenState::Closed);
    }

    fn aclose_on_suspended_handler_panic_reaches_caller(fresh) {
        let log = Log::default();
        fresh!(g = catcher(log.clone(), OnClose::Panic, Gate::open()));
        g.astart().await.unwrap();
        let outcome = AssertUnwindSafe(g.aclose()).catch_unwind().await;
        let payload = outcome.expect_err("the handler's panic reaches the caller");
        assert_eq!(panic_message(&*payload), "close handler panicked");
        assert_eq!(g.state(), GenState::Closed);
        assert_eq!(g.anext().await, None);
        assert_eq!(g.aclose().await, Ok(None));
        assert_eq!(log.lines(), ["start", "caught close", "cleanup"]);
    }

    fn aclose_on_running_drops_body_in_place(fresh) {
        let gate = Gate::open();
        let log = Log::default();
        fresh!(g = catcher(log.clone(), OnClose::Return, gate.clone()));
        assert_eq!(g.astart().await, Ok(GeneratorState::Yielded(1)));
        gate.shut();
        assert_eq!(g.asend("s".into()).now_or_never(), None);
        assert_eq!(g.state(), GenState::Running);
        assert_eq!(g.aclose().await, Ok(None));
        assert_eq!(
            log.lines(),
            ["start", "got \"s\"", "cleanup"],
            "dropped where it waited: the close handler did not run"
        );
        assert_eq!(g.state(), GenState::Closed);
        assert_eq!(g.anext().await, None);
    }

    fn aclose_on_closed_is_noop(fresh) {
        for how in CLOSINGS {
            let log = Log::default();
            fresh!(g = probe(log.clone(), Gate::open()));
            close_by!(g, how);
            let before = log.lines();
            assert_eq!(g.aclose().await, Ok(None), "{how:?}");
            assert_eq!(g.aclose().await, Ok(None), "{how:?}");
            assert_eq!(log.lines(), before, "{how:?}");
            assert_eq!(log.count("cleanup"), 1, "{how:?}");
        }
    }

    // ---- state() ------------------------------------------------------------

    fn state_in_every_column(fresh) {
        let gate = Gate::open();
        let log = Log::default();
        fresh!(g = probe(log.clone(), gate.clone()));
        assert_eq!(g.state(), GenState::Created);
        make_running!(g, gate); // asserts Suspended → Running on the way
        gate.reopen();
        g.anext().await.unwrap();
        assert_eq!(g.state(), GenState::Suspended);
        // A resume that is pending, then completes, in the same future.
        {
            gate.shut();
            let mut resume = pin!(g.anext());
            assert_eq!(futures::poll!(resume.as_mut()), Poll::Pending);
            gate.reopen();
            assert_eq!(resume.await, Some(GeneratorState::Yielded(3)));
        }
        assert_eq!(g.state(), GenState::Suspended);
        g.anext().await.unwrap();
        assert_eq!(g.state(), GenState::Closed);
        assert_eq!(log.lines(), ["start", "got \"\"", "got \"\"", "got \"\"", "end", "cleanup"]);
    }

    // ---- the return value, once --------------------------------------------

    fn return_value_is_reported_exactly_once(fresh) {
        let log = Log::default();
        fresh!(g = probe(log.clone(), Gate::open()));
        g.astart().await.unwrap();
        g.asend("a".into()).await.unwrap();
        g.asend("b".into()).await.unwrap();
        assert_eq!(
            g.asend("c".into()).await,
            Ok(GeneratorState::Complete(Ok("a|b|c".to_string())))
        );
        assert_eq!(g.anext().await, None);
        assert_eq!(g.asend("d".into()).await.unwrap_err().kind(), ResumeErrorKind::Closed);
        assert_eq!(g.aclose().await, Ok(None), "not the return value again");
        assert_eq!(g.astart().await.unwrap_err().kind(), ResumeErrorKind::Closed);
    }

    // ---- cancellation ---------------------------------------------------------

    fn cancelled_resume_while_awaiting_oneshot_keeps_the_item(fresh) {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let log = Log::default();
        fresh!(g = awaits_oneshot(log.clone(), rx));
        assert_eq!(g.anext().await, Some(GeneratorState::Yielded(1)));
        // An asend whose future is dropped while the body awaits the
        // receiver: the value was delivered, the body is mid-resume.
        assert_eq!(g.asend(5).now_or_never(), None);
        assert_eq!(log.lines(), ["got 5", "awaiting"]);
        assert_eq!(g.state(), GenState::Running);
        let err = g.asend(6).await.unwrap_err();
        assert_eq!((err.kind(), err.into_inner()), (ResumeErrorKind::Running, 6));
        assert_eq!(g.astart().await.unwrap_err().kind(), ResumeErrorKind::AlreadyStarted);
        assert_eq!(g.anext().now_or_never(), None, "still waiting");
        tx.send(42).unwrap();
        assert_eq!(g.anext().await, Some(GeneratorState::Yielded(42)), "the item is not lost");
        assert_eq!(log.lines(), ["got 5", "awaiting", "received 42"]);
        assert_eq!(g.asend(7).await, Ok(GeneratorState::Complete("done")));
        assert_eq!(log.lines(), ["got 5", "awaiting", "received 42", "got 7", "cleanup"]);
    }

    fn cancelled_stream_poll_while_awaiting_oneshot_keeps_the_item(fresh) {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let log = Log::default();
        fresh!(g = awaits_oneshot(log.clone(), rx));
        assert_eq!(g.next().await, Some(1));
        assert_eq!(g.next().now_or_never(), None);
        assert_eq!(g.state(), GenState::Running);
        tx.send(42).unwrap();
        assert_eq!(g.next().await, Some(42));
        assert_eq!(g.next().await, None);
        assert_eq!(log.lines(), ["got 0", "awaiting", "received 42", "got 0", "cleanup"]);
    }

    fn aclose_while_awaiting_oneshot_drops_the_receiver(fresh) {
        let (tx, rx) = tokio::sync::oneshot::channel::<u32>();
        let log = Log::default();
        fresh!(g = awaits_oneshot(log.clone(), rx));
        g.anext().await.unwrap();
        assert_eq!(g.anext().now_or_never(), None);
        assert!(!tx.is_closed());
        assert_eq!(g.aclose().await, Ok(None));
        assert!(tx.is_closed(), "the awaited receiver was dropped with the body");
        assert_eq!(log.lines(), ["got 0", "awaiting", "cleanup"]);
        assert_eq!(g.anext().await, None);
    }

    fn resumes_cancelled_again_and_again_lose_nothing(fresh) {
        // A consumer that gives up on every resume after one poll (say a
        // select! that keeps losing) and tries again: every item arrives
        // once, in order.
        let log = Log::default();
        fresh!(g = probe(log.clone(), Gate::open()));
        let mut items = Vec::new();
        let mut polls = 0;
        loop {
            polls += 1;
            assert!(polls < 100, "no progress");
            match g.anext().now_or_never() {
                None => assert_eq!(g.state(), GenState::Running),
                Some(Some(GeneratorState::Yielded(y))) => items.push(y),
                Some(Some(GeneratorState::Complete(r))) => {
                    assert_eq!(r, Ok("||".to_string()));
                    break;
                }
                Some(None) => panic!("closed without completing"),
            }
        }
        assert_eq!(items, [1, 2, 3]);
        assert!(polls > 4, "the resumes really were cancelled ({polls} polls)");
        assert_eq!(log.lines(), ["start", "got \"\"", "got \"\"", "got \"\"", "end", "cleanup"]);
    }

    // ---- panics ---------------------------------------------------------------

    fn panic_in_body_leaves_generator_closed(fresh) {
        let log = Log::default();
        fresh!(g = probe(log.clone(), Gate::open()));
        g.astart().await.unwrap();
        let outcome = AssertUnwindSafe(g.asend("panic".into())).catch_unwind().await;
        let payload = outcome.expect_err("the panic reaches the caller");
        assert_eq!(panic_message(&*payload), "probe was asked to panic");
        assert_eq!(g.state(), GenState::Closed);
        assert_eq!(log.lines(), ["start", "got \"panic\"", "cleanup"], "unwinding ran the guard once");
        assert_eq!(g.anext().await, None);
        assert_eq!(g.next().await, None);
        assert_eq!(g.asend("x".into()).await.unwrap_err().kind(), ResumeErrorKind::Closed);
        assert_eq!(g.athrow(fault("x")).await.unwrap_err().into_inner(), fault("x"));
        assert_eq!(g.astart().await.unwrap_err().kind(), ResumeErrorKind::Closed);
        assert_eq!(g.aclose().await, Ok(None));
        assert_eq!(log.count("cleanup"), 1);
    }

    fn panic_before_first_yield_leaves_generator_closed(fresh) {
        let log = Log::default();
        fresh!(g = panics_at_once(log.clone()));
        let outcome = AssertUnwindSafe(g.next()).catch_unwind().await;
        assert!(outcome.is_err(), "Stream::poll_next passes the panic on");
        assert_eq!(g.state(), GenState::Closed);
        assert!(g.is_terminated());
        assert_eq!(g.astart().await.unwrap_err().kind(), ResumeErrorKind::Closed);
        assert_eq!(g.anext().await, None);
        assert_eq!(g.aclose().await, Ok(None));
        assert_eq!(log.lines(), ["start", "cleanup"]);
    }

    // ---- drop -----------------------------------------------------------------

    fn drop_of_suspended_runs_its_close_handler_without_waiting(fresh) {
        // A drop cannot await: a suspended async generator is closed as far
        // as that goes without waiting (Python's event loop finalizes it):
        // the close handler runs up to its first await of something not
        // ready, or its yield, where the body is dropped; destructors run
        // once. A handler that fails is swallowed, as a sync drop's close.
        for on_close in [OnClose::Return, OnClose::AwaitThenReturn, OnClose::YieldAgain, OnClose::Fail] {
            let log = Log::default();
            {
                fresh!(g = catcher(log.clone(), on_close, Gate::open()));
                g.astart().await.unwrap();
                g.asend("a".into()).await.unwrap();
            }
            assert_eq!(log.lines(), ["start", "got \"a\"", "caught close", "cleanup"], "{on_close:?}");
        }
    }

    fn a_close_handler_that_panics_in_a_drop_passes_the_panic_on(fresh) {
        let log = Log::default();
        let dropped = AssertUnwindSafe(async {
            fresh!(g = catcher(log.clone(), OnClose::Panic, Gate::open()));
            g.astart().await.unwrap();
        })
        .catch_unwind()
        .await;
        assert!(dropped.is_err(), "the handler's panic leaves the drop");
        assert_eq!(log.lines(), ["start", "caught close", "cleanup"]);
    }

    fn drop_of_running_drops_awaited_future_and_locals_once(fresh) {
        let (tx, rx) = tokio::sync::oneshot::channel::<u32>();
        let log = Log::default();
        {
            fresh!(g = awaits_oneshot(log.clone(), rx));
            g.anext().await.unwrap();
            assert_eq!(g.anext().now_or_never(), None);
            assert_eq!(g.state(), GenState::Running);
        }
        assert!(tx.is_closed(), "the receiver the body awaited is gone");
        assert_eq!(log.lines(), ["got 0", "awaiting", "cleanup"]);
    }

    fn drop_of_created_runs_nothing(fresh) {
        let log = Log::default();
        {
            fresh!(g = catcher(log.clone(), OnClose::Return, Gate::open()));
            assert_eq!(g.state(), GenState::Created);
        }
        assert!(log.lines().is_empty(), "{:?}", log.lines());
    }

    fn captured_state_is_dropped_exactly_once_in_every_state(fresh) {
        // Created, suspended, running, completed, closed, thrown, panicked,
        // closed while running: the argument the body owns is dropped once,
        // when the body goes (at the latest when the generator goes).
        for case in 0..8 {
            let count = DropCount::default();
            let gate = Gate::open();
            {
                fresh!(g = holds_token(count.token(), gate.clone()));
                match case {
                    0 => {}
                    1 => assert_eq!(g.anext().await, Some(GeneratorState::Yielded(1))),
                    2 => {
                        g.anext().await.unwrap();
                        gate.shut();
                        assert_eq!(g.anext().now_or_never(), None);
                    }
                    3 => {
                        g.anext().await.unwrap();
                        assert_eq!(g.anext().await, Some(GeneratorState::Complete(Ok(()))));
                        assert_eq!(count.get(), 1, "dropped when the body returned");
                    }
                    4 => {
                        g.anext().await.unwrap();
                        assert_eq!(g.aclose().await, Ok(None));
                        assert_eq!(count.get(), 1, "dropped by aclose");
                    }
                    5 => {
                        g.anext().await.unwrap();
                        assert!(g.athrow(fault("x")).await.is_ok());
                        assert_eq!(count.get(), 1, "dropped when the throw completed it");
                    }
                    6 => {
                        g.anext().await.unwrap();
                        assert!(AssertUnwindSafe(g.asend(true)).catch_unwind().await.is_err());
                        assert_eq!(count.get(), 1, "dropped while unwinding");
                    }
                    _ => {
                        g.anext().await.unwrap();
                        gate.shut();
                        assert_eq!(g.anext().now_or_never(), None);
                        assert_eq!(g.aclose().await, Ok(None));
                        assert_eq!(count.get(), 1, "dropped by aclose while running");
                    }
                }
                if matches!(case, 0..=2) {
                    assert_eq!(count.get(), 0, "case {case}: still owned by the body");
                }
            }
            assert_eq!(count.get(), 1, "case {case}");
        }
    }

    // ---- delegation: flat async generator -------------------------------------

    fn protocol_reaches_innermost_during_flat_delegation(fresh) {
        // CPython: Lib/test/test_yield_from.py test_delegation_of_send (P27)
        let log = Log::default();
        fresh!(g = via_flat(log.clone(), OnClose::Return));
        assert_eq!(g.astart().await, Ok(GeneratorState::Yielded(1)));
        assert_eq!(g.asend("s".into()).await, Ok(GeneratorState::Yielded(2)));
        assert_eq!(g.anext().await, Some(GeneratorState::Yielded(3)));
        assert_eq!(g.athrow(fault("t")).await, Ok(GeneratorState::Yielded(103)));
        assert_eq!(g.next().await, Some(104));
        assert_eq!(
            log.lines(),
            ["outer start", "start", "got \"s\"", "got \"\"", "caught t", "got \"\""]
        );
        // The inner catches the close and returns at once: the close is then
        // raised in the outer body at the `yield_from!`, which is dropped.
        assert_eq!(g.aclose().await, Ok(None));
        assert_eq!(
            &log.lines()[6..],
            ["caught close", "cleanup", "outer cleanup"],
            "innermost first; the outer body did not continue"
        );
        assert_eq!(g.state(), GenState::Closed);
        assert_eq!(g.anext().await, None);
    }

    fn flat_delegate_return_value_is_value_of_yield_from(fresh) {
        // CPython: Lib/test/test_yield_from.py test_custom_iterator_return (P33)
        let log = Log::default();
        fresh!(g = via_flat_probe(log.clone()));
        let items: Vec<u32> = g.by_ref().collect().await;
        assert_eq!(items, [1, 2, 3]);
        assert_eq!(
            log.lines(),
            ["outer start", "start", "got \"\"", "got \"\"", "got \"\"", "end", "cleanup",
             "outer got \"||\"", "outer cleanup"]
        );

        let log = Log::default();
        fresh!(g = via_flat_probe(log.clone()));
        g.astart().await.unwrap();
        g.asend("a".into()).await.unwrap();
        g.asend("b".into()).await.unwrap();
        assert_eq!(
            g.asend("c".into()).await,
            Ok(GeneratorState::Complete(Ok("a|b|c".to_string())))
        );
    }

    fn athrow_through_flat_delegation_unwinds_inner_then_outer(fresh) {
        // CPython: Lib/test/test_yield_from.py test_delegating_throw (P29)
        let log = Log::default();
        fresh!(g = via_flat_probe(log.clone()));
        g.astart().await.unwrap();
        assert_eq!(
            g.athrow(fault("boom")).await,
            Ok(GeneratorState::Complete(Err(fault("boom"))))
        );
        assert_eq!(log.lines(), ["outer start", "start", "cleanup", "outer cleanup"]);
        assert_eq!(g.state(), GenState::Closed);
    }

    fn aclose_through_flat_delegation_at_plain_yield_drops_inner_then_outer(fresh) {
        // CPython: Lib/test/test_yield_from.py test_delegating_close (P30)
        let log = Log::default();
        fresh!(g = via_flat_probe(log.clone()));
        g.astart().await.unwrap();
        assert_eq!(g.aclose().await, Ok(None));
        assert_eq!(log.lines(), ["outer start", "start", "cleanup", "outer cleanup"]);
        assert_eq!(g.state(), GenState::Closed);
    }

    // A close stays marked on the frames across the polls of an awaiting
    // cleanup.
    fn aclose_through_flat_delegation_with_awaiting_cleanup_does_not_resume_delegator(fresh) {
        // CPython: Lib/test/test_yield_from.py test_delegating_close (P30)
        // plus test_asyncgen's aclose_07: the delegate's cleanup may await,
        // then the close is raised in the delegating body at the yield_from.
        let log = Log::default();
        fresh!(g = via_flat(log.clone(), OnClose::AwaitThenReturn));
        g.astart().await.unwrap();
        assert_eq!(g.aclose().await, Ok(None));
        assert_eq!(
            log.lines(),
            ["outer start", "start", "caught close", "cleanup awaited", "cleanup", "outer cleanup"]
        );
        assert_eq!(g.state(), GenState::Closed);
    }

    fn ignored_close_during_flat_delegation_is_reported(fresh) {
        let log = Log::default();
        fresh!(g = via_flat(log.clone(), OnClose::YieldAgain));
        g.astart().await.unwrap();
        assert_eq!(g.aclose().await.unwrap_err().into_inner(), 999);
        assert_eq!(g.state(), GenState::Closed);
        assert_eq!(
            log.lines(),
            ["outer start", "start", "caught close", "cleanup", "outer cleanup"]
        );
        assert_eq!(g.anext().await, None);
    }

    fn failing_or_panicking_close_handler_during_flat_delegation(fresh) {
        let log = Log::default();
        fresh!(g = via_flat(log.clone(), OnClose::Fail));
        g.astart().await.unwrap();
        // A handler that fails reaches the caller of `aclose` through the
        // delegating body's `?` (CPython raises it from `aclose()`).
        assert_eq!(
            g.aclose().await,
            Ok(Some(Err(fault("close handler failed"))))
        );
        assert_eq!(log.lines(), ["outer start", "start", "caught close", "cleanup", "outer cleanup"]);

        let log = Log::default();
        fresh!(g = via_flat(log.clone(), OnClose::Panic));
        g.astart().await.unwrap();
        assert!(AssertUnwindSafe(g.aclose()).catch_unwind().await.is_err());
        assert_eq!(g.state(), GenState::Closed);
        assert_eq!(g.anext().await, None);
        assert_eq!(log.lines(), ["outer start", "start", "caught close", "cleanup", "outer cleanup"]);
    }

    fn cancellation_inside_flat_delegate_keeps_the_item(fresh) {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let log = Log::default();
        fresh!(g = via_flat_oneshot(log.clone(), rx));
        assert_eq!(g.anext().await, Some(GeneratorState::Yielded(1)));
        assert_eq!(g.asend(3).now_or_never(), None);
        assert_eq!(g.state(), GenState::Running);
        assert_eq!(g.asend(4).await.unwrap_err().into_inner(), 4);
        tx.send(9).unwrap();
        assert_eq!(g.anext().await, Some(GeneratorState::Yielded(9)));
        assert_eq!(g.anext().await, Some(GeneratorState::Complete(Some("done"))));
        assert_eq!(
            log.lines(),
            ["got 3", "awaiting", "received 9", "got 0", "cleanup", "outer got \"done\""]
        );
    }

    // ---- delegation: streams ----------------------------------------------------

    fn stream_delegate_pending_in_the_middle_passes_every_item(fresh) {
        let log = Log::default();
        fresh!(g = via_stream(log.clone()));
        let items: Vec<u32> = g.by_ref().collect().await;
        assert_eq!(items, [1, 2, 3]);
        assert_eq!(
            log.lines(),
            ["outer start", "stream dropped", "outer after delegation ()", "outer cleanup"]
        );
    }

    fn stream_delegate_pending_cancelled_resume_keeps_the_item(fresh) {
        let log = Log::default();
        fresh!(g = via_stream(log.clone()));
        // Every first poll meets the stream's Pending: the resume is dropped,
        // the next one finishes it.
        let mut items = Vec::new();
        for _ in 0..20 {
            match g.anext().now_or_never() {
                None => assert_eq!(g.state(), GenState::Running),
                Some(Some(GeneratorState::Yielded(y))) => items.push(y),
                Some(other) => {
                    assert_eq!(other, Some(GeneratorState::Complete(Ok(()))));
                    break;
                }
            }
        }
        assert_eq!(items, [1, 2, 3]);
        assert_eq!(g.state(), GenState::Closed);
    }

    fn athrow_during_stream_delegation_raises_at_yield_from(fresh) {
        let log = Log::default();
        fresh!(g = via_stream(log.clone()));
        assert_eq!(g.astart().await, Ok(GeneratorState::Yielded(1)));
        assert_eq!(
            g.athrow(fault("t")).await,
            Ok(GeneratorState::Complete(Err(fault("t"))))
        );
        assert_eq!(log.lines(), ["outer start", "stream dropped", "outer cleanup"]);
        assert_eq!(g.state(), GenState::Closed);
    }

    fn aclose_during_stream_delegation_drops_stream_then_body(fresh) {
        let log = Log::default();
        fresh!(g = via_stream(log.clone()));
        g.astart().await.unwrap();
        assert_eq!(g.anext().await, Some(GeneratorState::Yielded(2)));
        assert_eq!(g.aclose().await, Ok(None));
        assert_eq!(log.lines(), ["outer start", "stream dropped", "outer cleanup"]);
        assert_eq!(g.state(), GenState::Closed);
    }

    fn asend_during_stream_delegation_is_undeliverable(fresh) {
        let log = Log::default();
        fresh!(g = via_stream(log.clone()));
        g.astart().await.unwrap();
        let err = g.asend("for the stream".into()).await.unwrap_err();
        assert_eq!(err.kind(), ResumeErrorKind::Undeliverable);
        assert_eq!(err.into_inner(), "for the stream");
        assert_eq!(g.state(), GenState::Suspended, "stays where it was");
        assert_eq!(g.anext().await, Some(GeneratorState::Yielded(2)), "nothing skipped");
        assert_eq!(g.next().await, Some(3));
        assert_eq!(g.next().await, None);
    }

    fn protocol_through_flat_then_stream_chain(fresh) {
        // outermost → (flat) via_stream → stream
        let log = Log::default();
        fresh!(g = via_flat_via_stream(log.clone()));
        g.astart().await.unwrap();
        assert_eq!(
            g.asend("x".into()).await.unwrap_err().kind(),
            ResumeErrorKind::Undeliverable
        );
        assert_eq!(
            g.athrow(fault("deep")).await,
            Ok(GeneratorState::Complete(Err(fault("deep"))))
        );
        assert_eq!(
            log.lines(),
            ["outermost start", "outer start", "stream dropped", "outer cleanup", "outermost cleanup"]
        );

        let log = Log::default();
        fresh!(g = via_flat_via_stream(log.clone()));
        g.astart().await.unwrap();
        assert_eq!(g.aclose().await, Ok(None));
        assert_eq!(
            log.lines(),
            ["outermost start", "outer start", "stream dropped", "outer cleanup", "outermost cleanup"],
            "innermost first"
        );

        let log = Log::default();
        fresh!(g = via_flat_via_stream(log.clone()));
        assert_eq!(g.by_ref().collect::<Vec<_>>().await, [1, 2, 3]);
        assert_eq!(
            log.lines(),
            ["outermost start", "outer start", "stream dropped", "outer after delegation ()",
             "outer cleanup", "outermost after delegation", "outermost cleanup"]
        );
    }

    fn delegation_to_started_async_generator_goes_through_stream(fresh) {
        let log = Log::default();
        fresh!(g = via_started(log.clone()));
        assert_eq!(g.astart().await, Ok(GeneratorState::Yielded(2)), "continues where it was");
        assert_eq!(
            g.asend("v".into()).await.unwrap_err().kind(),
            ResumeErrorKind::Undeliverable,
            "a Stream delegate cannot take a sent value"
        );
        assert_eq!(g.anext().await, Some(GeneratorState::Yielded(3)));
        assert_eq!(
            g.anext().await,
            Some(GeneratorState::Complete(Ok(Some(GenState::Closed)))),
            "the delegate's return value is dropped by its Stream"
        );
        assert_eq!(
            log.lines(),
            ["start", "advanced outside: Some(Yielded(1))", "got \"\"", "got \"\"",
             "got \"\"", "end", "cleanup", "outer after delegation ()", "outer cleanup"]
        );

        // athrow is raised in the delegating body; the delegate is dropped in
        // place with it (its own guard runs, it sees no throw).
        let log = Log::default();
        fresh!(g = via_started(log.clone()));
        g.astart().await.unwrap();
        assert_eq!(
            g.athrow(fault("t")).await,
            Ok(GeneratorState::Complete(Err(fault("t"))))
        );
        assert_eq!(
            log.lines(),
            ["start", "advanced outside: Some(Yielded(1))", "got \"\"", "cleanup", "outer cleanup"]
        );
    }

    // ---- delegation: iterators and sync generators ----------------------------

    fn protocol_through_iterator_delegation(fresh) {
        let log = Log::default();
        fresh!(g = via_iterator(log.clone()));
        assert_eq!(g.astart().await, Ok(GeneratorState::Yielded(1)));
        let err = g.asend("x".into()).await.unwrap_err();
        assert_eq!((err.kind(), err.into_inner()), (ResumeErrorKind::Undeliverable, "x".to_string()));
        assert_eq!(g.anext().await, Some(GeneratorState::Yielded(2)));
        assert_eq!(
            g.athrow(fault("t")).await,
            Ok(GeneratorState::Complete(Err(fault("t"))))
        );
        assert_eq!(log.lines(), ["outer start", "iterator dropped", "outer cleanup"]);

        let log = Log::default();
        fresh!(g = via_iterator(log.clone()));
        g.astart().await.unwrap();
        assert_eq!(g.aclose().await, Ok(None));
        assert_eq!(log.lines(), ["outer start", "iterator dropped", "outer cleanup"]);

        // Nested behind a flat async delegate, innermost first.
        let log = Log::default();
        fresh!(g = via_flat_via_iterator(log.clone()));
        g.astart().await.unwrap();
        assert_eq!(g.aclose().await, Ok(None));
        assert_eq!(
            log.lines(),
            ["outermost start", "outer start", "iterator dropped", "outer cleanup", "outermost cleanup"]
        );

        let log = Log::default();
        fresh!(g = via_flat_via_iterator(log.clone()));
        g.astart().await.unwrap();
        assert_eq!(
            g.athrow(fault("deep")).await,
            Ok(GeneratorState::Complete(Err(fault("deep"))))
        );
        assert_eq!(
            log.lines(),
            ["outermost start", "outer start", "iterator dropped", "outer cleanup", "outermost cleanup"]
        );
    }

    fn sync_generators_delegate_inside_async_body(fresh) {
        let log = Log::default();
        fresh!(g = via_sync(log.clone()));
        assert_eq!(g.astart().await, Ok(GeneratorState::Yielded(10)));
        assert_eq!(g.asend("a".into()).await, Ok(GeneratorState::Yielded(11)));
        assert_eq!(g.anext().await, Some(GeneratorState::Yielded(10)));
        assert_eq!(g.asend("b".into()).await, Ok(GeneratorState::Yielded(11)));
        assert_eq!(
            g.asend("c".into()).await,
            Ok(GeneratorState::Complete(Ok("sync done+sync done".to_string())))
        );
        assert_eq!(
            log.lines(),
            ["sync got \"a\"", "sync got \"\"", "sync cleanup", "flat returned \"sync done\"",
             "sync got \"b\"", "sync got \"c\"", "sync cleanup",
             "by_ref returned Some(Ok(\"sync done\"))"]
        );

        // A throw reaches the sync delegate's yield_!: it completes with the
        // error, which the async body propagates with `?`.
        let log = Log::default();
        fresh!(g = via_sync(log.clone()));
        g.astart().await.unwrap();
        assert_eq!(
            g.athrow(fault("t")).await,
            Ok(GeneratorState::Complete(Err(fault("t"))))
        );
        assert_eq!(log.lines(), ["sync cleanup"]);
    }
}

/// Yields 1, then awaits `rx`, yields what it received, returns "done".
#[generator(yield = u32, send = u32)]
async fn awaits_oneshot(log: Log, rx: tokio::sync::oneshot::Receiver<u32>) -> &'static str {
    let _cleanup = Guard::new(&log, "cleanup");
    let s = yield_!(1);
    log.push(format!("got {s}"));
    log.push("awaiting");
    let v = rx.await.expect("the test keeps the sender");
    log.push(format!("received {v}"));
    let s = yield_!(v);
    log.push(format!("got {s}"));
    "done"
}

/// Delegates flat to [`awaits_oneshot`].
#[generator(yield = u32, send = u32)]
async fn via_flat_oneshot(
    log: Log,
    rx: tokio::sync::oneshot::Receiver<u32>,
) -> Option<&'static str> {
    let r = yield_from!(awaits_oneshot(log.clone(), rx));
    log.push(format!("outer got {r:?}"));
    Some(r)
}

/// Owns `token` until its body goes; yields 1 and 2 (waiting at the gate in
/// between), panics when sent `true`.
#[generator(yield = u32, send = bool, throw = Fault)]
async fn holds_token(token: DropToken, gate: Gate) -> Result<(), Fault> {
    let _token = token;
    let panic = yield_!(1);
    if panic {
        panic!("asked to panic");
    }
    gate.pass().await;
    Ok(())
}

// ---------------------------------------------------------------------------
// Between the forms
// ---------------------------------------------------------------------------

#[test]
fn into_pinned_of_closed_async_generator_stays_closed() {
    block_on(async {
        let log = Log::default();
        let mut g = probe(log.clone(), Gate::open());
        assert!(g.athrow(fault("x")).await.is_err());
        let mut p = pin!(g.into_pinned());
        assert_eq!(p.state(), GenState::Closed);
        assert_eq!(p.as_mut().anext().await, None);
        assert_eq!(p.next().await, None);
        assert_eq!(
            p.as_mut().asend("x".into()).await.unwrap_err().kind(),
            ResumeErrorKind::Closed
        );
        assert_eq!(p.as_mut().aclose().await, Ok(None));
        assert!(log.lines().is_empty());
    });
}

#[test]
fn into_pinned_of_started_async_generator_panics() {
    block_on(async {
        let log = Log::default();
        let mut g = probe(log.clone(), Gate::open());
        g.astart().await.unwrap();
        let outcome = std::panic::catch_unwind(AssertUnwindSafe(move || drop(g.into_pinned())));
        let payload = outcome.expect_err("a started body cannot move back inline");
        assert!(panic_message(&*payload).contains("already started"));
        assert_eq!(
            log.lines(),
            ["start", "cleanup"],
            "the body was dropped once"
        );
    });
}

#[test]
fn panic_with_std_catch_unwind_around_block_on() {
    // The other way to catch it: around the executor.
    let log = Log::default();
    let mut g = probe(log.clone(), Gate::open());
    block_on(g.astart()).unwrap();
    let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| block_on(g.asend("panic".into()))));
    assert!(outcome.is_err());
    assert_eq!(g.state(), GenState::Closed);
    assert_eq!(block_on(g.anext()), None);
    assert_eq!(log.lines(), ["start", "got \"panic\"", "cleanup"]);
}

#[test]
fn yield_from_a_closed_async_generator_panics_clearly() {
    // Only a fresh async generator of the same types delegates flat (and is
    // moved in by value); a closed one has no return value left to give.
    #[generator(yield = u32, send = String, throw = Fault)]
    async fn delegates_to(inner: pygen::AsyncGen<ProbeBody, u32, String, Fault>) {
        let _ = yield_from!(inner);
    }
    type ProbeBody = futures::future::BoxFuture<'static, Result<String, Fault>>;

    #[generator(yield = u32, send = String, throw = Fault)]
    async fn sendable() -> Result<String, Fault> {
        yield_!(1);
        Ok(String::new())
    }

    block_on(async {
        let mut inner = sendable().boxed();
        assert_eq!(inner.aclose().await, Ok(None));
        let mut g = delegates_to(inner);
        let payload = AssertUnwindSafe(g.anext())
            .catch_unwind()
            .await
            .expect_err("delegating to a closed generator panics");
        let msg = panic_message(&*payload);
        assert!(
            msg.contains("yield_from!") && msg.contains("finished"),
            "{msg}"
        );
        assert_eq!(g.state(), GenState::Closed);
    });
}

#[test]
fn error_messages_are_readable() {
    block_on(async {
        let gate = Gate::open();
        let mut g = probe(Log::default(), gate.clone());
        g.astart().await.unwrap();
        gate.shut();
        assert_eq!(g.anext().now_or_never(), None);
        let running = g.asend("x".into()).await.unwrap_err();
        assert_eq!(running.kind(), ResumeErrorKind::Running);
        let message = running.to_string();
        assert_readable(&message, &["running"]);
        assert!(
            message.contains("anext"),
            "says how to finish it: {message}"
        );
        gate.reopen();
        g.anext().await.unwrap();
        g.aclose().await.unwrap();
        let closed = g.asend("x".into()).await.unwrap_err();
        assert_eq!(closed.kind(), ResumeErrorKind::Closed);
        assert_ne!(closed.to_string(), message, "each kind has its own message");
        assert!(format!("{running:?}").contains("Running"));
    });
}

// A yield polled by something other than its generator (a waker that is
// not its driver's) can only be built with the hidden, `unsafe`
// constructor: generator-core/tests/foreign_waker.rs.

/// Counts the wakes of the waker made from it.
struct Wakes(AtomicUsize);

impl std::task::Wake for Wakes {
    fn wake(self: Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[generator(yield = u32)]
async fn waits_between(n: u32) -> u32 {
    for i in 0..n {
        pend_once().await;
        yield_!(i);
    }
    pend_once().await;
    n * 10
}

#[generator(yield = u32)]
async fn delegates_twice_to_waiting() {
    let total = yield_from!(waits_between(2));
    yield_!(total);
    yield_from!(waits_between(1));
}

/// A `next()` of an async generator suspended in a flat `yield_from!` goes
/// straight to the delegate (as a synchronous one does). A delegate that
/// waits there for a future of its own is polled under the executor's
/// waker (each `Pending` comes with a wake) and leaves the generator
/// running; the next poll finishes that resume through the body.
#[test]
fn next_straight_to_a_waiting_delegate_wakes_the_executor() {
    let wakes = Arc::new(Wakes(AtomicUsize::new(0)));
    let waker = Waker::from(wakes.clone());
    let mut cx = Context::from_waker(&waker);
    let mut g = delegates_twice_to_waiting();
    let (mut seen, mut pendings) = (Vec::new(), 0);
    loop {
        match Pin::new(&mut g).poll_next(&mut cx) {
            Poll::Ready(Some(item)) => seen.push(item),
            Poll::Ready(None) => break,
            Poll::Pending => {
                pendings += 1;
                assert_eq!(wakes.0.load(Ordering::SeqCst), pendings);
                assert_eq!(g.state(), GenState::Running);
            }
        }
    }
    assert_eq!(seen, [0, 1, 20, 0]);
    // Each item and each return of a delegate waited once.
    assert_eq!(pendings, 5);
    assert_eq!(g.state(), GenState::Closed);
}

#[generator(yield = u32)]
async fn panics_at_its_second_item(log: Log, wait: bool) {
    let _inner = Guard::new(&log, "inner dropped");
    yield_!(1);
    if wait {
        pend_once().await;
    }
    panic!("the delegate panics");
}

#[generator(yield = u32)]
async fn delegates_to_a_panicking(log: Log, wait: bool) {
    let _outer = Guard::new(&log, "outer dropped");
    yield_!(0);
    yield_from!(panics_at_its_second_item(log.clone(), wait));
    log.push("unreachable");
}

/// A delegate resumed straight by `next()` that panics, there (`wait`
/// false) or after it waited for a future of its own, which the body then
/// finishes: the panic reaches the caller of `poll_next`, the generator is
/// closed, and the locals of both levels are dropped, innermost first, as a
/// panic through the levels would drop them.
#[test]
fn a_panic_in_a_delegate_resumed_straight_closes_the_generator() {
    for wait in [false, true] {
        let log = Log::default();
        let mut g = delegates_to_a_panicking(log.clone(), wait);
        block_on(async {
            assert_eq!(g.next().await, Some(0));
            assert_eq!(g.next().await, Some(1));
        });
        let panicked = std::panic::catch_unwind(AssertUnwindSafe(|| block_on(g.next())));
        assert!(panicked.is_err(), "wait: {wait}");
        assert_eq!(g.state(), GenState::Closed, "wait: {wait}");
        assert_eq!(
            log.lines(),
            ["inner dropped", "outer dropped"],
            "wait: {wait}"
        );
        assert_eq!(block_on(g.next()), None);
    }
}
