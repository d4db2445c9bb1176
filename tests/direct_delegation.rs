//! Direct delegation: a flat `yield_from!` (a fresh generator, boxed or not)
//! is resumed by the outermost driver directly, so a delegation chain of any
//! depth behaves as Python's `yield from` chain and costs no stack per level.
//!
//! - Chains 1 to 64 deep, each level delegating by value (flat, boxed) or
//!   through `&mut` (a boxed generator held in a local), the innermost to a
//!   plain iterator: every `next`, `send`, `throw` and `close` gives the
//!   trace of a reference model of Python's semantics, written without
//!   generators.
//! - Recursions 100,000 levels deep, in the test profile (a debug build):
//!   run to completion, dropped and closed at the bottom.
//!
//! Under Miri (scripts/miri.sh) the chains go 6 deep and the recursions
//! 200.

use std::cell::RefCell;
use std::rc::Rc;

use pygen::{
    BoxGen, GenState, GeneratorState, Interrupt, generator, yield_, yield_catch, yield_from,
};

// ---------------------------------------------------------------------------
// Chains with sends: the generators and their model
// ---------------------------------------------------------------------------

/// How one level of a chain delegates to the next.
#[derive(Clone, Copy, Debug)]
enum Via {
    /// `yield_from!(chain(..).boxed())`: flat, through a boxed body.
    Boxed,
    /// `yield_from!(&mut g)` of a boxed generator held in a local.
    Borrowed,
}

#[derive(Debug, PartialEq, Eq, Clone, Copy)]
struct Fault(u32);

/// Level `level` of a chain `vias.len()` levels deep: yields its level and
/// 0, delegates (the innermost level yields from a plain iterator
/// instead), yields what the delegation returned, and returns the sum of
/// what it saw. The innermost level then echoes a send at a `yield_catch!`
/// and a plain `yield_!`. A thrown `Fault(k)` is caught at that
/// `yield_catch!` (the level returns `k * 1000`); anywhere else it leaves
/// every level as an `Err`.
#[generator(yield = (usize, u32), send = u32, throw = Fault)]
fn chain(level: usize, vias: Rc<Vec<Via>>, log: Log) -> Result<u32, Fault> {
    let _guard = log.guard(level);
    let sent = yield_!((level, 0));
    let returned = if level == vias.len() {
        yield_from!([(level, 7), (level, 8)]);
        let a = match yield_catch!((level, sent)) {
            Ok(a) => a,
            Err(Interrupt::Throw(Fault(k))) => return Ok(k * 1000),
            Err(Interrupt::Close) => {
                log.mark(level);
                return Ok(0);
            }
        };
        let b = yield_!((level, a));
        return Ok(a + b + sent);
    } else {
        match vias[level] {
            Via::Boxed => yield_from!(chain(level + 1, vias.clone(), log.clone()).boxed())?,
            Via::Borrowed => {
                let mut inner: BoxGen<'_, (usize, u32), Result<u32, Fault>, u32, Fault> =
                    chain(level + 1, vias.clone(), log.clone()).boxed();
                let returned = yield_from!(&mut inner);
                returned.expect("the inner level was fresh")?
            }
        }
    };
    let t = yield_!((level, returned));
    Ok(returned + t + sent)
}

/// Who was dropped, and which close handlers ran, in order.
#[derive(Clone, Default)]
struct Log(Rc<RefCell<Vec<String>>>);

impl Log {
    fn guard(&self, level: usize) -> Guard {
        Guard(level, self.clone())
    }
    fn mark(&self, level: usize) {
        self.0.borrow_mut().push(format!("handler {level}"));
    }
    fn take(&self) -> Vec<String> {
        std::mem::take(&mut self.0.borrow_mut())
    }
}

struct Guard(usize, Log);

impl Drop for Guard {
    fn drop(&mut self) {
        self.1.0.borrow_mut().push(format!("drop {}", self.0));
    }
}

/// What a caller does next.
#[derive(Clone, Copy, Debug)]
enum Call {
    Next,
    Send(u32),
    Throw(u32),
    Close,
}

/// The reference model: the chain as a plain state machine, one entry per
/// level that has started, innermost last. It knows nothing of pygen.
struct Model {
    depth: usize,
    /// Per started level: the value it was sent at its first yield, and
    /// where it is.
    levels: Vec<(u32, At)>,
    closed: bool,
}

#[derive(Clone, Copy, Debug)]
enum At {
    /// At its first `yield_!((level, 0))`.
    First,
    /// Innermost only: at the iterator's item `i`.
    Iter(usize),
    /// Innermost only: at the `yield_catch!`.
    Catch,
    /// Innermost only: at the echo of `a`.
    Echo(u32),
    /// Waiting in its delegation.
    Delegating,
    /// At `yield_!((level, returned))`.
    After(u32),
}

#[derive(Debug, PartialEq, Eq)]
enum Seen {
    Yielded((usize, u32)),
    Complete(Result<u32, Fault>),
    Refused(&'static str),
    Closed,
}

impl Model {
    fn new(depth: usize) -> Self {
        Model {
            depth,
            levels: Vec::new(),
            closed: false,
        }
    }

    fn call(&mut self, call: Call) -> Seen {
        if self.closed {
            return match call {
                Call::Next => Seen::Closed,
                Call::Close => Seen::Closed,
                Call::Send(_) | Call::Throw(_) => Seen::Refused("closed"),
            };
        }
        if self.levels.is_empty() {
            return match call {
                Call::Next => {
                    self.levels.push((0, At::First));
                    Seen::Yielded((0, 0))
                }
                Call::Send(_) => Seen::Refused("not started"),
                Call::Throw(_) => {
                    self.closed = true;
                    Seen::Refused("not started")
                }
                Call::Close => {
                    self.closed = true;
                    Seen::Closed
                }
            };
        }
        let top = self.levels.len() - 1;
        let (sent, at) = self.levels[top];
        let value = match call {
            Call::Next => 0,
            Call::Send(v) => v,
            Call::Throw(k) => return self.throw(k),
            Call::Close => return self.close(),
        };
        match at {
            At::First => {
                self.levels[top].0 = value;
                if top == self.depth {
                    self.levels[top].1 = At::Iter(0);
                    Seen::Yielded((top, 7))
                } else {
                    self.levels[top].1 = At::Delegating;
                    self.levels.push((0, At::First));
                    Seen::Yielded((top + 1, 0))
                }
            }
            At::Iter(0) => match call {
                Call::Next => {
                    self.levels[top].1 = At::Iter(1);
                    Seen::Yielded((top, 8))
                }
                _ => Seen::Refused("undeliverable"),
            },
            At::Iter(_) => match call {
                Call::Next => {
                    self.levels[top].1 = At::Catch;
                    Seen::Yielded((top, sent))
                }
                _ => Seen::Refused("undeliverable"),
            },
            At::Catch => {
                self.levels[top].1 = At::Echo(value);
                Seen::Yielded((top, value))
            }
            At::Echo(a) => self.complete(a + value + sent),
            At::After(returned) => self.complete(returned + value + sent),
            At::Delegating => unreachable!("only the innermost level runs"),
        }
    }

    /// The innermost level returns `value`: the level below yields it.
    fn complete(&mut self, value: u32) -> Seen {
        self.levels.pop();
        match self.levels.last_mut() {
            None => {
                self.closed = true;
                Seen::Complete(Ok(value))
            }
            Some(below) => {
                below.1 = At::After(value);
                Seen::Yielded((self.levels.len() - 1, value))
            }
        }
    }

    fn throw(&mut self, k: u32) -> Seen {
        let top = self.levels.len() - 1;
        match self.levels[top].1 {
            // Caught by the innermost `yield_catch!`, which returns.
            At::Catch => self.complete(k * 1000),
            // Raised at a plain yield (or the iterator's): the error leaves
            // every level, each dropped on the way out.
            _ => {
                self.levels.clear();
                self.closed = true;
                Seen::Complete(Err(Fault(k)))
            }
        }
    }

    fn close(&mut self) -> Seen {
        self.levels.clear();
        self.closed = true;
        Seen::Closed
    }
}

type Chain = pygen::Gen<
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<u32, Fault>>>>,
    (usize, u32),
    u32,
    Fault,
>;

fn run(g: &mut Chain, call: Call) -> Seen {
    let state = match call {
        Call::Next => match g.resume() {
            None => return Seen::Closed,
            Some(state) => state,
        },
        Call::Send(v) => match g.send(v) {
            Ok(state) => state,
            Err(e) => return Seen::Refused(refusal(e.kind())),
        },
        Call::Throw(k) => match g.throw(Fault(k)) {
            Ok(state) => state,
            Err(e) => return Seen::Refused(refusal(e.kind())),
        },
        Call::Close => {
            g.close().expect("no level yields while closing");
            return Seen::Closed;
        }
    };
    match state {
        GeneratorState::Yielded(y) => Seen::Yielded(y),
        GeneratorState::Complete(r) => Seen::Complete(r),
    }
}

fn refusal(kind: pygen::ResumeErrorKind) -> &'static str {
    match kind {
        pygen::ResumeErrorKind::NotStarted => "not started",
        pygen::ResumeErrorKind::Closed => "closed",
        pygen::ResumeErrorKind::Undeliverable => "undeliverable",
        other => panic!("unexpected refusal {other:?}"),
    }
}

fn vias(depth: usize, pattern: &[Via]) -> Rc<Vec<Via>> {
    Rc::new((0..depth).map(|i| pattern[i % pattern.len()]).collect())
}

/// A small deterministic generator of call sequences (xorshift), so that
/// every depth sees sends, throws and closes at different levels.
struct Calls(u64);

impl Calls {
    fn next(&mut self) -> Call {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        match self.0 % 100 {
            0..=44 => Call::Next,
            45..=89 => Call::Send((self.0 >> 8) as u32 % 50),
            90..=97 => Call::Throw((self.0 >> 8) as u32 % 5 + 1),
            _ => Call::Close,
        }
    }
}

const PATTERNS: [&[Via]; 3] = [
    &[Via::Boxed],
    &[Via::Borrowed],
    &[Via::Boxed, Via::Borrowed, Via::Boxed],
];

/// Runs `calls` against the chain and the model, step by step.
fn check(depth: usize, pattern: &[Via], calls: &[Call]) {
    let log = Log::default();
    let mut g: Chain = chain(0, vias(depth, pattern), log.clone()).boxed();
    let mut model = Model::new(depth);
    for (i, &call) in calls.iter().enumerate() {
        let seen = run(&mut g, call);
        let expected = model.call(call);
        assert_eq!(
            seen, expected,
            "depth {depth}, {pattern:?}, call {i} ({call:?}) of {calls:?}"
        );
        if model.closed {
            assert_eq!(g.state(), GenState::Closed);
        }
    }
}

#[test]
fn chains_1_to_64_deep_run_to_completion_with_sends() {
    for depth in 1..=DEEPEST {
        for pattern in PATTERNS {
            // Every level: first yield, then the innermost's two items,
            // its catch and echo, then one yield per level on the way out.
            let calls: Vec<Call> = (0..(2 * depth + 8) as u32).map(Call::Send).collect();
            let mut calls = calls;
            calls[0] = Call::Next;
            check(depth, pattern, &calls);
        }
    }
}

#[test]
fn chains_1_to_64_deep_follow_the_model_under_random_calls() {
    let mut calls = Calls(0x9e37_79b9_7f4a_7c15);
    for depth in 1..=DEEPEST {
        for pattern in PATTERNS {
            for _ in 0..SEQUENCES {
                let mut sequence = vec![Call::Next];
                sequence.extend((0..3 * depth + 10).map(|_| calls.next()));
                check(depth, pattern, &sequence);
            }
        }
    }
}

#[test]
fn closing_a_deep_chain_drops_innermost_first() {
    for pattern in PATTERNS {
        let depth = DEEPEST.min(40);
        let log = Log::default();
        let mut g: Chain = chain(0, vias(depth, pattern), log.clone()).boxed();
        // Down to the innermost level's `yield_catch!`.
        for _ in 0..depth + 4 {
            assert!(matches!(g.resume(), Some(GeneratorState::Yielded(_))));
        }
        assert!(log.take().is_empty());
        assert_eq!(g.close(), Ok(None));
        let mut expected = vec![format!("handler {depth}")];
        expected.extend((0..=depth).rev().map(|level| format!("drop {level}")));
        assert_eq!(log.take(), expected, "{pattern:?}");
    }
}

#[test]
fn dropping_a_deep_chain_drops_innermost_first() {
    for pattern in PATTERNS {
        let depth = DEEPEST.min(40);
        let log = Log::default();
        let mut g: Chain = chain(0, vias(depth, pattern), log.clone()).boxed();
        // Down to the innermost level's iterator.
        for _ in 0..depth + 2 {
            assert!(matches!(g.resume(), Some(GeneratorState::Yielded(_))));
        }
        drop(g);
        let expected: Vec<String> = (0..=depth)
            .rev()
            .map(|level| format!("drop {level}"))
            .collect();
        assert_eq!(log.take(), expected, "{pattern:?}");
    }
}

// ---------------------------------------------------------------------------
// Recursion 100,000 deep, in a debug build
// ---------------------------------------------------------------------------

/// Under Miri, which interprets the code about a thousand times slower, 200
/// levels.
const DEEP: u32 = if cfg!(miri) { 200 } else { 100_000 };

/// The deepest chain of the model checks (64; 6 under Miri).
const DEEPEST: usize = if cfg!(miri) { 6 } else { 64 };

/// Random call sequences per depth and pattern (4; 2 under Miri).
const SEQUENCES: usize = if cfg!(miri) { 2 } else { 4 };

/// Yields `n, n - 1, …, 1` one level per item, each level delegating to the
/// next, and returns how many levels there were.
#[generator(yield = u32)]
fn countdown(n: u32) -> u32 {
    if n == 0 {
        return 0;
    }
    yield_!(n);
    1 + yield_from!(countdown(n - 1).boxed())
}

/// The same, with a close handler at every level that counts how many ran.
#[generator(yield = u32)]
fn countdown_catching(n: u32, handlers: Rc<std::cell::Cell<u32>>) -> u32 {
    if n == 0 {
        return 0;
    }
    if let Err(Interrupt::Close) = yield_catch!(n) {
        handlers.set(handlers.get() + 1);
        return 0;
    }
    1 + yield_from!(countdown_catching(n - 1, handlers.clone()).boxed())
}

#[test]
fn recursion_100_000_deep_completes() {
    let mut g = countdown(DEEP);
    let mut expected = DEEP;
    loop {
        match g.resume() {
            Some(GeneratorState::Yielded(n)) => {
                assert_eq!(n, expected);
                expected -= 1;
            }
            Some(GeneratorState::Complete(levels)) => {
                assert_eq!(levels, DEEP);
                break;
            }
            None => panic!("closed before completing"),
        }
    }
    assert_eq!(expected, 0);
}

#[test]
fn recursion_100_000_deep_is_dropped_at_the_bottom() {
    let mut g = countdown(DEEP);
    assert_eq!(g.by_ref().take(DEEP as usize).last(), Some(1));
    drop(g);
}

#[test]
fn recursion_100_000_deep_is_closed_at_the_bottom() {
    let handlers = Rc::new(std::cell::Cell::new(0));
    let mut g = countdown_catching(DEEP, handlers.clone());
    assert_eq!(g.by_ref().take(DEEP as usize).last(), Some(1));
    // The innermost handler returns; Python then raises GeneratorExit at
    // each `yield from` below it, which no level catches.
    assert_eq!(g.close(), Ok(None));
    assert_eq!(handlers.get(), 1);
    assert_eq!(g.state(), GenState::Closed);
}

#[test]
fn recursion_100_000_deep_as_a_pinned_generator() {
    let mut g = std::pin::pin!(countdown(DEEP).into_pinned());
    assert_eq!(g.as_mut().iter().count(), DEEP as usize);
}

// ---------------------------------------------------------------------------
// A panic while the frames are released
// ---------------------------------------------------------------------------

/// Panics in its close handler: dropping it suspended closes it first.
#[generator(yield = u32)]
fn panics_when_closed(log: Log) -> u32 {
    let _guard = log.guard(3);
    if let Err(Interrupt::Close) = yield_catch!(30) {
        panic!("close handler");
    }
    0
}

/// Holds a started `panics_when_closed` and yields from an iterator, where
/// a close drops the body (and the held generator with it).
#[generator(yield = u32)]
fn holds_one(log: Log) {
    let _guard = log.guard(2);
    let mut held = panics_when_closed(log.clone());
    assert_eq!(held.next(), Some(30));
    yield_from!([20, 21]);
    drop(held);
}

#[generator(yield = u32)]
fn holder_level(log: Log, level: usize) {
    let _guard = log.guard(level);
    if level == 1 {
        yield_from!(holds_one(log.clone()));
    } else {
        yield_from!(holder_level(log.clone(), level + 1).boxed());
    }
}

#[test]
fn a_panicking_destructor_does_not_stop_the_release_of_the_levels_below() {
    let log = Log::default();
    let mut g = holder_level(log.clone(), 0);
    assert_eq!(g.next(), Some(20));
    let closed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| g.close()));
    assert!(
        closed.is_err(),
        "the close handler's panic reaches the caller"
    );
    // Level 2's body is released first; dropping it closes the held
    // generator (declared last, dropped first), whose handler panics; the
    // rest of level 2 and levels 1 and 0 are still dropped, while the panic
    // unwinds.
    assert_eq!(log.take(), ["drop 3", "drop 2", "drop 1", "drop 0"]);
    assert_eq!(g.state(), GenState::Closed);
    assert_eq!(g.next(), None);
}

// ---------------------------------------------------------------------------
// Async: the same recursion
// ---------------------------------------------------------------------------

/// The recursion goes through a function that boxes, as `AsyncGen::boxed`
/// documents.
fn async_countdown(n: u32) -> pygen::BoxAsyncGen<'static, u32, u32> {
    async_countdown_unboxed(n).boxed()
}

#[generator(yield = u32)]
async fn async_countdown_unboxed(n: u32) -> u32 {
    if n == 0 {
        return 0;
    }
    yield_!(n);
    // A wait at every level that is not ready at once: the resume is left
    // pending and picked up again where the innermost level was.
    Yield::default().await;
    1 + yield_from!(async_countdown(n - 1))
}

/// Pending once (waking its task at once), then ready.
#[derive(Default)]
struct Yield(bool);

impl std::future::Future for Yield {
    type Output = ();
    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<()> {
        if self.0 {
            return std::task::Poll::Ready(());
        }
        self.0 = true;
        cx.waker().wake_by_ref();
        std::task::Poll::Pending
    }
}

#[test]
fn async_recursion_100_000_deep_completes_and_drops() {
    use futures::StreamExt;
    futures::executor::block_on(async {
        let mut g = async_countdown(DEEP);
        let mut expected = DEEP;
        while let Some(n) = g.next().await {
            assert_eq!(n, expected);
            expected -= 1;
        }
        assert_eq!(expected, 0);
        // And dropped at the bottom.
        let mut g = async_countdown(DEEP);
        assert_eq!(g.by_ref().take(DEEP as usize).count().await, DEEP as usize);
        drop(g);
    });
}

/// The innermost level of a two-level chain: two items, then its return
/// value.
#[generator(yield = &'static str, send = u32)]
fn inner_pair(tag: &'static str, log: Log) -> &'static str {
    let sent = yield_!(tag);
    log.0.borrow_mut().push(format!("{tag} got {sent}"));
    yield_!(tag);
    tag
}

/// Delegates to two `inner_pair`s one after the other, and yields between
/// and after them.
#[generator(yield = &'static str, send = u32)]
fn middle(log: Log) -> usize {
    let a = yield_from!(inner_pair("a", log.clone()));
    let b = yield_from!(inner_pair("b", log.clone()));
    yield_!("between");
    let c = yield_from!(inner_pair("c", log.clone()));
    a.len() + b.len() + c.len()
}

#[generator(yield = &'static str, send = u32)]
fn outer(log: Log) -> usize {
    yield_!("outer");
    yield_from!(middle(log))
}

/// A `next()` goes to the innermost delegation first; when that delegate
/// completes, or its delegator starts the next delegation in the same
/// resume, the resume goes on through the delegating bodies. Every hand-over
/// is here: a completion followed by a new delegation (`a` → `b`), a
/// completion followed by a plain yield (`b` → "between"), a send between
/// (`send` does not take the shortcut), and the last completion of all.
#[test]
fn next_reaches_the_innermost_and_hands_over_at_each_completion() {
    let log = Log::default();
    let mut g = outer(log.clone());
    let mut seen = Vec::new();
    assert_eq!(g.resume(), Some(GeneratorState::Yielded("outer")));
    assert_eq!(g.resume(), Some(GeneratorState::Yielded("a")));
    assert_eq!(g.send(7), Ok(GeneratorState::Yielded("a")));
    loop {
        match g.resume() {
            Some(GeneratorState::Yielded(y)) => seen.push(y),
            Some(GeneratorState::Complete(total)) => {
                assert_eq!(total, 3);
                break;
            }
            None => panic!("closed before completing"),
        }
    }
    assert_eq!(seen, ["b", "b", "between", "c", "c"]);
    assert_eq!(g.resume(), None);
    assert_eq!(log.take(), ["a got 7", "b got 0", "c got 0"]);
}
