//! Drop and panic edge cases: every live local of a generator body is
//! dropped exactly once, whichever way the generator ends (completes, is
//! closed at `yield_!` or at `yield_catch!`, is dropped suspended or
//! unstarted, panics), in both the movable (`Gen`) and the pinned
//! (`PinnedGen`) form, and through `yield_from!` chains, where the innermost
//! delegate's locals go first.

use std::cell::RefCell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::pin;
use std::rc::Rc;

use pygen::{
    GenState, Generator, GeneratorState, Interrupt, NoThrow, ResumeErrorKind, generator, yield_,
    yield_catch, yield_from,
};

// ---------------------------------------------------------------------------
// The drop log
// ---------------------------------------------------------------------------

/// Everything that happened, in order: guard names when they drop, markers
/// when body code runs.
#[derive(Clone, Default)]
struct Log(Rc<RefCell<Vec<&'static str>>>);

impl Log {
    fn new() -> Self {
        Log::default()
    }

    fn mark(&self, event: &'static str) {
        self.0.borrow_mut().push(event);
    }

    fn guard(&self, name: &'static str) -> Guard {
        Guard {
            name,
            log: self.clone(),
        }
    }

    fn events(&self) -> Vec<&'static str> {
        self.0.borrow().clone()
    }

    fn clear(&self) {
        self.0.borrow_mut().clear();
    }

    /// Every name of `expected` occurs exactly once, and nothing else was
    /// logged (the order is not checked).
    #[track_caller]
    fn assert_once(&self, expected: &[&'static str]) {
        let mut got = self.events();
        let mut want = expected.to_vec();
        got.sort_unstable();
        want.sort_unstable();
        assert_eq!(got, want, "log (sorted) differs: {:?}", self.events());
    }
}

/// Logs its name when dropped.
struct Guard {
    name: &'static str,
    log: Log,
}

impl Drop for Guard {
    fn drop(&mut self) {
        self.log.mark(self.name);
    }
}

// ---------------------------------------------------------------------------
// Generators under test
// ---------------------------------------------------------------------------

/// Two yields, a guard that lives across both, one created between them, a
/// guard in an inner scope that ends before the second yield, and a guarded
/// argument.
#[generator(yield = u32)]
fn plain(log: Log, arg: Guard) -> u32 {
    let _arg = arg;
    log.mark("start");
    let _a = log.guard("a");
    {
        let _scoped = log.guard("scoped");
        yield_!(1);
    }
    let _b = log.guard("b");
    yield_!(2);
    log.mark("end");
    7
}

/// A `yield_catch!` whose close handler returns a value.
#[generator(yield = u32)]
fn catching(log: Log, arg: Guard) -> &'static str {
    let _arg = arg;
    let _a = log.guard("a");
    yield_!(1);
    let _b = log.guard("b");
    match yield_catch!(2) {
        Ok(()) => {
            log.mark("resumed");
            "finished"
        }
        Err(Interrupt::Close) => {
            log.mark("handler");
            "handled close"
        }
    }
}

/// A close handler that yields again instead of finishing.
#[generator(yield = u32)]
fn stubborn(log: Log) {
    let _a = log.guard("a");
    loop {
        match yield_catch!(1) {
            Ok(()) => {}
            Err(_) => {
                log.mark("ignored close");
                let _c = log.guard("c");
                yield_!(99);
                log.mark("unreachable");
            }
        }
    }
}

/// Panics at its second resume while two guards are live.
#[generator(yield = u32, send = String)]
fn panicky(log: Log, arg: Guard) -> u32 {
    let _arg = arg;
    let _a = log.guard("a");
    let sent = yield_!(1);
    let _b = log.guard("b");
    if sent.is_empty() {
        panic!("boom in body");
    }
    log.mark("unreachable");
    0
}

/// Does not use its argument at all: like an `async fn`, the argument still
/// belongs to the generator and lives until the generator is done.
#[generator(yield = u32)]
fn unused_arg(log: Log, _keep: Guard) {
    log.mark("start");
    yield_!(1);
    log.mark("end");
}

/// Same with the `_` pattern, which a plain (or async) fn also keeps alive
/// until the function ends.
#[generator(yield = u32)]
fn wildcard_arg(log: Log, _: Guard) {
    log.mark("start");
    yield_!(1);
    log.mark("end");
}

/// Uses only one field of its argument: a `move` closure would capture just
/// that field (edition 2021 disjoint captures) and drop the other at once.
#[generator(yield = u32)]
fn partial_arg(log: Log, pair: (Guard, Guard)) {
    log.mark("start");
    yield_!(u32::from(pair.0.name == "first"));
    log.mark("end");
}

// ---------------------------------------------------------------------------
// Completion
// ---------------------------------------------------------------------------

#[test]
fn complete_drops_each_local_once_movable() {
    let log = Log::new();
    let mut g = plain(log.clone(), log.guard("arg"));
    assert_eq!(g.resume(), Some(GeneratorState::Yielded(1)));
    assert_eq!(log.events(), ["start"]);
    assert_eq!(g.resume(), Some(GeneratorState::Yielded(2)));
    assert_eq!(log.events(), ["start", "scoped"]);
    assert_eq!(g.resume(), Some(GeneratorState::Complete(7)));
    // Everything is gone by the time `Complete` is reported.
    log.assert_once(&["start", "scoped", "end", "a", "b", "arg"]);
    // Locals drop in reverse declaration order at the end of the body.
    let events = log.events();
    let pos = |n| events.iter().position(|e| *e == n).unwrap();
    assert!(pos("b") < pos("a") && pos("a") < pos("arg"), "{events:?}");
    assert_eq!(g.state(), GenState::Closed);
    assert_eq!(g.resume(), None);
    drop(g);
    log.assert_once(&["start", "scoped", "end", "a", "b", "arg"]);
}

#[test]
fn complete_drops_each_local_once_pinned() {
    let log = Log::new();
    {
        let mut g = pin!(plain(log.clone(), log.guard("arg")).into_pinned());
        assert_eq!(g.as_mut().resume(), Some(GeneratorState::Yielded(1)));
        assert_eq!(g.as_mut().resume(), Some(GeneratorState::Yielded(2)));
        assert_eq!(g.as_mut().resume(), Some(GeneratorState::Complete(7)));
        log.assert_once(&["start", "scoped", "end", "a", "b", "arg"]);
        assert_eq!(g.state(), GenState::Closed);
        assert_eq!(g.as_mut().resume(), None);
    }
    log.assert_once(&["start", "scoped", "end", "a", "b", "arg"]);
}

#[test]
fn iterator_exhaustion_drops_each_local_once() {
    let log = Log::new();
    let items: Vec<u32> = plain(log.clone(), log.guard("arg")).collect();
    assert_eq!(items, [1, 2]);
    log.assert_once(&["start", "scoped", "end", "a", "b", "arg"]);
}

// ---------------------------------------------------------------------------
// close() at a plain yield_!
// ---------------------------------------------------------------------------

#[test]
fn close_at_plain_yield_movable() {
    let log = Log::new();
    let mut g = plain(log.clone(), log.guard("arg"));
    g.next();
    g.next();
    log.clear();
    assert_eq!(g.close(), Ok(None));
    // `a`, `b` and the argument were live; the body after the yield never ran.
    log.assert_once(&["a", "b", "arg"]);
    assert_eq!(log.events(), ["b", "a", "arg"], "reverse declaration order");
    assert_eq!(g.state(), GenState::Closed);
    assert_eq!(g.close(), Ok(None));
    assert_eq!(g.resume(), None);
    drop(g);
    log.assert_once(&["a", "b", "arg"]);
}

#[test]
fn close_at_plain_yield_in_inner_scope_pinned() {
    let log = Log::new();
    {
        let mut g = pin!(plain(log.clone(), log.guard("arg")).into_pinned());
        assert_eq!(g.as_mut().start(), Ok(GeneratorState::Yielded(1)));
        log.clear();
        assert_eq!(g.as_mut().close(), Ok(None));
        // Suspended inside the inner scope: `scoped` was live, `b` never existed.
        log.assert_once(&["scoped", "a", "arg"]);
        assert_eq!(g.state(), GenState::Closed);
        assert_eq!(g.as_mut().close(), Ok(None));
    }
    log.assert_once(&["scoped", "a", "arg"]);
}

// ---------------------------------------------------------------------------
// close() at a yield_catch! whose handler returns
// ---------------------------------------------------------------------------

#[test]
fn close_at_yield_catch_handler_returns_movable() {
    let log = Log::new();
    let mut g = catching(log.clone(), log.guard("arg"));
    g.next();
    g.next();
    assert_eq!(g.close(), Ok(Some("handled close")));
    log.assert_once(&["handler", "a", "b", "arg"]);
    assert_eq!(
        log.events()[0],
        "handler",
        "the handler runs before the drops"
    );
    assert_eq!(g.state(), GenState::Closed);
    assert_eq!(g.close(), Ok(None), "the return value is reported once");
    drop(g);
    log.assert_once(&["handler", "a", "b", "arg"]);
}

#[test]
fn close_at_yield_catch_handler_returns_pinned() {
    let log = Log::new();
    {
        let mut g = pin!(catching(log.clone(), log.guard("arg")).into_pinned());
        g.as_mut().resume();
        g.as_mut().resume();
        assert_eq!(g.as_mut().close(), Ok(Some("handled close")));
        log.assert_once(&["handler", "a", "b", "arg"]);
        assert_eq!(g.as_mut().close(), Ok(None));
    }
    log.assert_once(&["handler", "a", "b", "arg"]);
}

#[test]
fn close_handler_that_yields_again_is_dropped_once() {
    let log = Log::new();
    let mut g = stubborn(log.clone());
    g.next();
    let err = g.close().unwrap_err();
    assert_eq!(err.into_inner(), 99);
    log.assert_once(&["ignored close", "c", "a"]);
    assert_eq!(log.events(), ["ignored close", "c", "a"]);
    assert_eq!(g.state(), GenState::Closed);
    drop(g);
    log.assert_once(&["ignored close", "c", "a"]);

    // Same when the close comes from dropping the suspended generator: the
    // error is swallowed and every local still drops once.
    let log = Log::new();
    {
        let mut g = pin!(stubborn(log.clone()).into_pinned());
        g.as_mut().resume();
    }
    log.assert_once(&["ignored close", "c", "a"]);
}

// ---------------------------------------------------------------------------
// Dropping a suspended generator
// ---------------------------------------------------------------------------

#[test]
fn drop_suspended_at_yield_catch_runs_handler_once_movable() {
    let log = Log::new();
    let mut g = catching(log.clone(), log.guard("arg"));
    g.next();
    g.next();
    assert_eq!(g.state(), GenState::Suspended);
    drop(g);
    log.assert_once(&["handler", "a", "b", "arg"]);
    assert_eq!(log.events()[0], "handler");
}

#[test]
fn drop_suspended_at_yield_catch_runs_handler_once_pinned() {
    let log = Log::new();
    {
        let mut g = pin!(catching(log.clone(), log.guard("arg")).into_pinned());
        g.as_mut().resume();
        g.as_mut().resume();
        assert_eq!(g.state(), GenState::Suspended);
    }
    log.assert_once(&["handler", "a", "b", "arg"]);
    assert_eq!(log.events()[0], "handler");
}

#[test]
fn drop_suspended_at_plain_yield_both_forms() {
    let log = Log::new();
    let mut g = plain(log.clone(), log.guard("arg"));
    g.next();
    log.clear();
    drop(g);
    log.assert_once(&["scoped", "a", "arg"]);

    let log = Log::new();
    {
        let mut g = pin!(plain(log.clone(), log.guard("arg")).into_pinned());
        g.as_mut().resume();
        g.as_mut().resume();
        log.clear();
    }
    log.assert_once(&["b", "a", "arg"]);
}

#[test]
fn drop_suspended_at_first_yield_catch_does_not_run_later_code() {
    // Suspended at the plain `yield_!(1)` before the `yield_catch!`: the
    // handler is not reached, nothing after the yield runs.
    let log = Log::new();
    let mut g = catching(log.clone(), log.guard("arg"));
    g.next();
    drop(g);
    log.assert_once(&["a", "arg"]);
}

// ---------------------------------------------------------------------------
// Dropping / closing / throwing into an unstarted generator
// ---------------------------------------------------------------------------

#[test]
fn drop_unstarted_runs_no_body_code_movable() {
    let log = Log::new();
    let g = plain(log.clone(), log.guard("arg"));
    assert_eq!(g.state(), GenState::Created);
    assert!(log.events().is_empty(), "creating runs nothing");
    drop(g);
    log.assert_once(&["arg"]);
}

#[test]
fn drop_unstarted_runs_no_body_code_pinned() {
    let log = Log::new();
    {
        let g = pin!(catching(log.clone(), log.guard("arg")).into_pinned());
        assert_eq!(g.state(), GenState::Created);
    }
    // The close handler is not run for an unstarted generator.
    log.assert_once(&["arg"]);
}

#[test]
fn close_unstarted_drops_arguments_once() {
    let log = Log::new();
    let mut g = catching(log.clone(), log.guard("arg"));
    assert_eq!(g.close(), Ok(None));
    log.assert_once(&["arg"]);
    assert_eq!(g.state(), GenState::Closed);
    assert_eq!(g.resume(), None);
    drop(g);
    log.assert_once(&["arg"]);

    let log = Log::new();
    {
        let mut g = pin!(catching(log.clone(), log.guard("arg")).into_pinned());
        assert_eq!(g.as_mut().close(), Ok(None));
        log.assert_once(&["arg"]);
        assert_eq!(g.as_mut().resume(), None);
    }
    log.assert_once(&["arg"]);
}

#[generator(yield = u32, throw = String)]
fn throwable(log: Log, arg: Guard) -> Result<(), String> {
    let _arg = arg;
    log.mark("start");
    yield_!(1);
    Ok(())
}

#[test]
fn throw_unstarted_drops_arguments_once() {
    let log = Log::new();
    let mut g = throwable(log.clone(), log.guard("arg"));
    let err = g.throw("x".to_string()).unwrap_err();
    assert_eq!(err.kind(), ResumeErrorKind::NotStarted);
    assert_eq!(err.into_inner(), "x");
    log.assert_once(&["arg"]);
    assert_eq!(g.state(), GenState::Closed);
    drop(g);
    log.assert_once(&["arg"]);

    let log = Log::new();
    {
        let mut g = pin!(throwable(log.clone(), log.guard("arg")).into_pinned());
        let err = g.as_mut().throw("y".to_string()).unwrap_err();
        assert_eq!(err.kind(), ResumeErrorKind::NotStarted);
        log.assert_once(&["arg"]);
    }
    log.assert_once(&["arg"]);
}

#[test]
fn throw_at_yield_drops_locals_once() {
    let log = Log::new();
    let mut g = throwable(log.clone(), log.guard("arg"));
    g.next();
    assert_eq!(
        g.throw("bad".to_string()),
        Ok(GeneratorState::Complete(Err("bad".to_string())))
    );
    log.assert_once(&["start", "arg"]);
    drop(g);
    log.assert_once(&["start", "arg"]);
}

#[test]
fn unused_argument_drops_once() {
    // Whenever it drops, it drops exactly once and no body code runs for
    // an unstarted generator.
    let log = Log::new();
    drop(unused_arg(log.clone(), log.guard("keep")));
    log.assert_once(&["keep"]);

    let log = Log::new();
    assert_eq!(
        unused_arg(log.clone(), log.guard("keep")).count(),
        1,
        "one item"
    );
    log.assert_once(&["start", "end", "keep"]);
}

#[test]
fn unused_argument_lives_as_long_as_the_generator() {
    let log = Log::new();
    let mut g = unused_arg(log.clone(), log.guard("keep"));
    assert!(
        log.events().is_empty(),
        "the argument was dropped when the generator was created: {:?}",
        log.events()
    );
    g.next();
    assert_eq!(log.events(), ["start"]);
    g.next();
    assert_eq!(log.events(), ["start", "end", "keep"]);
}

#[test]
fn wildcard_argument_lives_as_long_as_the_generator() {
    let log = Log::new();
    let mut g = wildcard_arg(log.clone(), log.guard("wild"));
    assert!(
        log.events().is_empty(),
        "the `_` argument was dropped when the generator was created: {:?}",
        log.events()
    );
    g.next();
    g.next();
    assert_eq!(log.events(), ["start", "end", "wild"]);
}

#[test]
fn partially_used_argument_lives_as_long_as_the_generator() {
    let log = Log::new();
    let mut g = partial_arg(log.clone(), (log.guard("first"), log.guard("second")));
    assert!(
        log.events().is_empty(),
        "part of the argument was dropped when the generator was created: {:?}",
        log.events()
    );
    assert_eq!(g.next(), Some(1));
    assert_eq!(g.next(), None);
    log.assert_once(&["start", "end", "first", "second"]);
}

// ---------------------------------------------------------------------------
// Panics in the body
// ---------------------------------------------------------------------------

#[test]
fn panic_in_body_movable() {
    let log = Log::new();
    let mut g = panicky(log.clone(), log.guard("arg"));
    assert_eq!(g.start(), Ok(GeneratorState::Yielded(1)));
    let caught = catch_unwind(AssertUnwindSafe(|| g.send(String::new())));
    let payload = caught.expect_err("the body's panic reaches the caller");
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"boom in body"));
    // The live locals were dropped by the unwind, each once.
    log.assert_once(&["a", "b", "arg"]);
    assert_eq!(g.state(), GenState::Closed);
    assert_eq!(g.resume(), None);
    let err = g.send("again".to_string()).unwrap_err();
    assert_eq!(err.kind(), ResumeErrorKind::Closed);
    assert_eq!(err.into_inner(), "again");
    assert_eq!(g.start().unwrap_err().kind(), ResumeErrorKind::Closed);
    assert_eq!(g.close(), Ok(None));
    assert_eq!(g.next(), None);
    drop(g);
    log.assert_once(&["a", "b", "arg"]);
}

#[test]
fn panic_in_body_pinned() {
    let log = Log::new();
    {
        let mut g = pin!(panicky(log.clone(), log.guard("arg")).into_pinned());
        assert_eq!(g.as_mut().start(), Ok(GeneratorState::Yielded(1)));
        let caught = catch_unwind(AssertUnwindSafe(|| g.as_mut().send(String::new())));
        assert!(caught.is_err());
        log.assert_once(&["a", "b", "arg"]);
        assert_eq!(g.state(), GenState::Closed);
        assert_eq!(g.as_mut().resume(), None);
        let err = g.as_mut().send("again".to_string()).unwrap_err();
        assert_eq!(err.kind(), ResumeErrorKind::Closed);
        assert_eq!(err.into_inner(), "again");
        assert_eq!(g.as_mut().close(), Ok(None));
        assert_eq!(g.as_mut().iter().next(), None);
    }
    log.assert_once(&["a", "b", "arg"]);
}

#[generator(yield = u32)]
fn panics_at_start(log: Log, really: bool) {
    let _a = log.guard("a");
    if really {
        panic!("boom at start");
    }
    yield_!(1);
}

#[test]
fn panic_before_first_yield() {
    let log = Log::new();
    let mut g = panics_at_start(log.clone(), true);
    assert!(catch_unwind(AssertUnwindSafe(|| g.next())).is_err());
    log.assert_once(&["a"]);
    assert_eq!(g.state(), GenState::Closed);
    assert_eq!(g.resume(), None);
    drop(g);
    log.assert_once(&["a"]);
}

// ---------------------------------------------------------------------------
// Delegation chains: drop order is innermost first
// ---------------------------------------------------------------------------

/// Innermost level of the flat chain: a yield_catch that may handle a close.
#[generator(yield = u32)]
fn level3(log: Log, panic_at: u32) -> u32 {
    let _g = log.guard("level3");
    for i in 0..3 {
        if i == panic_at {
            panic!("boom in level3");
        }
        match yield_catch!(30 + i) {
            Ok(()) => {}
            Err(Interrupt::Close) => {
                log.mark("level3 handler");
                return 0;
            }
        }
    }
    3
}

#[generator(yield = u32)]
fn level2(log: Log, panic_at: u32) -> u32 {
    let _g = log.guard("level2");
    yield_!(20);
    let r = yield_from!(level3(log.clone(), panic_at));
    yield_!(21);
    r + 20
}

#[generator(yield = u32)]
fn level1(log: Log, panic_at: u32) -> u32 {
    let _g = log.guard("level1");
    yield_!(10);
    let r = yield_from!(level2(log.clone(), panic_at));
    yield_!(11);
    r + 10
}

#[test]
fn flat_chain_completes() {
    let log = Log::new();
    let mut g = level1(log.clone(), u32::MAX);
    let items: Vec<u32> = g.by_ref().collect();
    assert_eq!(items, [10, 20, 30, 31, 32, 21, 11]);
    assert_eq!(log.events(), ["level3", "level2", "level1"]);
}

#[test]
fn flat_chain_close_at_innermost_movable() {
    let log = Log::new();
    let mut g = level1(log.clone(), u32::MAX);
    assert_eq!(g.by_ref().take(4).collect::<Vec<_>>(), [10, 20, 30, 31]);
    assert!(log.events().is_empty());
    // The innermost `yield_catch!` sees the close and returns; the outer
    // levels do not catch it (Python re-raises GeneratorExit at each
    // `yield from`), so they are dropped, innermost first.
    assert_eq!(g.close(), Ok(None));
    assert_eq!(
        log.events(),
        ["level3 handler", "level3", "level2", "level1"]
    );
    drop(g);
    assert_eq!(log.events().len(), 4);
}

#[test]
fn flat_chain_drop_suspended_pinned() {
    let log = Log::new();
    {
        let mut g = pin!(level1(log.clone(), u32::MAX).into_pinned());
        assert_eq!(g.as_mut().iter().take(3).collect::<Vec<_>>(), [10, 20, 30]);
    }
    assert_eq!(
        log.events(),
        ["level3 handler", "level3", "level2", "level1"]
    );
}

#[test]
fn flat_chain_drop_suspended_in_middle_level() {
    // Suspended at level2's own `yield_!(20)`: level3 does not exist yet.
    let log = Log::new();
    let mut g = level1(log.clone(), u32::MAX);
    assert_eq!(g.by_ref().take(2).collect::<Vec<_>>(), [10, 20]);
    drop(g);
    assert_eq!(log.events(), ["level2", "level1"]);
}

#[test]
fn flat_chain_panic_in_innermost() {
    let log = Log::new();
    let mut g = level1(log.clone(), 1);
    assert_eq!(g.by_ref().take(3).collect::<Vec<_>>(), [10, 20, 30]);
    let caught = catch_unwind(AssertUnwindSafe(|| g.next()));
    assert!(caught.is_err());
    assert_eq!(log.events(), ["level3", "level2", "level1"]);
    assert_eq!(g.state(), GenState::Closed);
    assert_eq!(g.next(), None);
    drop(g);
    assert_eq!(log.events().len(), 3);
}

#[test]
fn flat_chain_panic_in_innermost_pinned() {
    let log = Log::new();
    {
        let mut g = pin!(level1(log.clone(), 0).into_pinned());
        assert_eq!(g.as_mut().resume(), Some(GeneratorState::Yielded(10)));
        assert_eq!(g.as_mut().resume(), Some(GeneratorState::Yielded(20)));
        assert!(catch_unwind(AssertUnwindSafe(|| g.as_mut().resume())).is_err());
        assert_eq!(log.events(), ["level3", "level2", "level1"]);
        assert_eq!(g.state(), GenState::Closed);
        assert_eq!(g.as_mut().resume(), None);
    }
    assert_eq!(log.events().len(), 3);
}

/// A plain iterator that owns a guard.
struct GuardedIter {
    _guard: Guard,
    items: std::ops::Range<u32>,
}

impl Iterator for GuardedIter {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        self.items.next()
    }
}

/// Innermost: delegates to a plain iterator that owns a guard.
#[generator(yield = u32)]
fn iter_leaf(log: Log) -> &'static str {
    let _g = log.guard("leaf");
    yield_from!(GuardedIter {
        _guard: log.guard("iter"),
        items: 100..103,
    });
    "leaf done"
}

/// Middle: owns a generator and delegates to it through `&mut`.
#[generator(yield = u32)]
fn by_ref_middle(log: Log) -> Option<&'static str> {
    let _g = log.guard("middle");
    let mut inner = iter_leaf(log.clone());
    let r = yield_from!(&mut inner);
    yield_!(200);
    r
}

/// Outer: flat delegation to the middle.
#[generator(yield = u32)]
fn mixed_outer(log: Log) -> Option<&'static str> {
    let _g = log.guard("outer");
    let r = yield_from!(by_ref_middle(log.clone()));
    yield_!(300);
    r
}

#[test]
fn mixed_chain_completes() {
    let log = Log::new();
    let mut g = mixed_outer(log.clone());
    assert_eq!(g.by_ref().take(3).collect::<Vec<_>>(), [100, 101, 102]);
    assert!(log.events().is_empty());
    assert_eq!(g.resume(), Some(GeneratorState::Yielded(200)));
    assert_eq!(log.events(), ["iter", "leaf"]);
    assert_eq!(g.resume(), Some(GeneratorState::Yielded(300)));
    assert_eq!(log.events(), ["iter", "leaf", "middle"]);
    assert_eq!(
        g.resume(),
        Some(GeneratorState::Complete(Some("leaf done")))
    );
    assert_eq!(log.events(), ["iter", "leaf", "middle", "outer"]);
}

#[test]
fn mixed_chain_close_at_iterator() {
    let log = Log::new();
    let mut g = mixed_outer(log.clone());
    assert_eq!(g.next(), Some(100));
    assert_eq!(g.close(), Ok(None));
    assert_eq!(log.events(), ["iter", "leaf", "middle", "outer"]);
    assert_eq!(g.close(), Ok(None));
    drop(g);
    assert_eq!(log.events().len(), 4);
}

#[test]
fn mixed_chain_drop_suspended_both_forms() {
    let log = Log::new();
    let mut g = mixed_outer(log.clone());
    g.nth(1);
    drop(g);
    assert_eq!(log.events(), ["iter", "leaf", "middle", "outer"]);

    let log = Log::new();
    {
        let mut g = pin!(mixed_outer(log.clone()).into_pinned());
        assert_eq!(g.as_mut().resume(), Some(GeneratorState::Yielded(100)));
    }
    assert_eq!(log.events(), ["iter", "leaf", "middle", "outer"]);
}

/// Innermost of a `&mut` chain: panics at the second resume.
#[generator(yield = u32)]
fn panicking_leaf(log: Log) -> u32 {
    let _g = log.guard("leaf");
    yield_!(1);
    panic!("boom in leaf");
}

/// Delegates to a generator it does not own, through a `&mut`.
#[generator(yield = u32)]
fn borrowing_outer<'a, G>(log: Log, inner: &'a mut G) -> Option<u32>
where
    G: Generator<Yield = u32, Send = (), Throw = NoThrow, Return = u32> + Unpin,
{
    let _g = log.guard("outer");
    yield_from!(inner)
}

#[test]
fn by_ref_delegate_panics() {
    let log = Log::new();
    let mut leaf = panicking_leaf(log.clone());
    {
        let mut outer = borrowing_outer(log.clone(), &mut leaf);
        assert_eq!(outer.next(), Some(1));
        assert!(catch_unwind(AssertUnwindSafe(|| outer.next())).is_err());
        assert_eq!(log.events(), ["leaf", "outer"]);
        assert_eq!(outer.state(), GenState::Closed);
        assert_eq!(outer.next(), None);
    }
    // The delegate itself is closed too, and resuming it is an error, not UB.
    assert_eq!(leaf.state(), GenState::Closed);
    assert_eq!(leaf.resume(), None);
    drop(leaf);
    assert_eq!(log.events(), ["leaf", "outer"]);
}

#[test]
fn by_ref_delegate_closed_with_the_outer() {
    let log = Log::new();
    let mut leaf = panicking_leaf(log.clone());
    let mut outer = borrowing_outer(log.clone(), &mut leaf);
    assert_eq!(outer.next(), Some(1));
    // Python: closing the delegating generator closes the delegate first.
    assert_eq!(outer.close(), Ok(None));
    assert_eq!(log.events(), ["leaf", "outer"]);
    drop(outer);
    assert_eq!(leaf.state(), GenState::Closed);
}

#[test]
fn by_ref_delegate_after_partial_consumption() {
    // The outer continues a delegate that was already started elsewhere and
    // finishes it; the delegate's locals drop when it completes, before the
    // outer's.
    let log = Log::new();
    let mut leaf = level3(log.clone(), u32::MAX);
    assert_eq!(leaf.next(), Some(30));
    let mut outer = borrowing_outer(log.clone(), &mut leaf);
    assert_eq!(outer.by_ref().collect::<Vec<_>>(), [31, 32]);
    assert_eq!(log.events(), ["level3", "outer"]);
    drop(outer);
    assert_eq!(leaf.resume(), None);
    drop(leaf);
    assert_eq!(log.events(), ["level3", "outer"]);
}

// ---------------------------------------------------------------------------
// A generator dropped while the thread is already unwinding
// ---------------------------------------------------------------------------

/// Its close handler panics: running it during an unwind would abort.
#[generator(yield = u32)]
fn panicking_handler(log: Log) {
    let _g = log.guard("local");
    loop {
        match yield_catch!(1) {
            Ok(()) => {}
            Err(_) => {
                log.mark("handler");
                panic!("boom in close handler");
            }
        }
    }
}

#[test]
fn drop_during_unwind_only_drops_movable() {
    let log = Log::new();
    let caught = catch_unwind(AssertUnwindSafe(|| {
        let mut g = panicking_handler(log.clone());
        assert_eq!(g.next(), Some(1));
        panic!("unrelated");
    }));
    let payload = caught.expect_err("the unrelated panic propagates");
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"unrelated"));
    // Dropped, not closed: the handler did not run, the local dropped once.
    assert_eq!(log.events(), ["local"]);
}

#[test]
fn drop_during_unwind_only_drops_pinned() {
    let log = Log::new();
    let caught = catch_unwind(AssertUnwindSafe(|| {
        let mut g = pin!(panicking_handler(log.clone()).into_pinned());
        assert_eq!(g.as_mut().resume(), Some(GeneratorState::Yielded(1)));
        panic!("unrelated");
    }));
    assert!(caught.is_err());
    assert_eq!(log.events(), ["local"]);
}

#[test]
fn drop_during_unwind_inside_a_chain() {
    #[generator(yield = u32)]
    fn outer(log: Log) {
        let _g = log.guard("outer");
        yield_from!(panicking_handler(log.clone()));
    }
    let log = Log::new();
    let caught = catch_unwind(AssertUnwindSafe(|| {
        let mut g = outer(log.clone());
        assert_eq!(g.next(), Some(1));
        panic!("unrelated");
    }));
    assert!(caught.is_err());
    assert_eq!(log.events(), ["local", "outer"]);
}

#[test]
fn panicking_close_handler_outside_an_unwind_propagates() {
    // Not during an unwind, the drop-time close does run the handler, and
    // its panic comes out of `drop` like any destructor's.
    let log = Log::new();
    let mut g = panicking_handler(log.clone());
    g.next();
    let caught = catch_unwind(AssertUnwindSafe(move || drop(g)));
    assert!(caught.is_err());
    log.assert_once(&["handler", "local"]);
}

#[test]
fn panicking_close_handler_on_close_leaves_the_generator_closed() {
    let log = Log::new();
    let mut g = panicking_handler(log.clone());
    g.next();
    assert!(catch_unwind(AssertUnwindSafe(|| g.close())).is_err());
    log.assert_once(&["handler", "local"]);
    assert_eq!(g.state(), GenState::Closed);
    assert_eq!(g.resume(), None);
    assert_eq!(g.close(), Ok(None));
    drop(g);
    log.assert_once(&["handler", "local"]);

    let log = Log::new();
    {
        let mut g = pin!(panicking_handler(log.clone()).into_pinned());
        g.as_mut().resume();
        assert!(catch_unwind(AssertUnwindSafe(|| g.as_mut().close())).is_err());
        assert_eq!(g.state(), GenState::Closed);
        assert_eq!(g.as_mut().resume(), None);
    }
    // The destructor does not run the handler a second time.
    log.assert_once(&["handler", "local"]);
}

// ---------------------------------------------------------------------------
// More chains: an inner delegate that ignores the close, a throw through
// two levels, a panicking close handler two levels down
// ---------------------------------------------------------------------------

#[generator(yield = u32)]
fn stubborn_outer(log: Log) {
    let _g = log.guard("outer");
    yield_from!(stubborn(log.clone()));
}

#[test]
fn flat_delegate_ignoring_close() {
    let log = Log::new();
    let mut g = stubborn_outer(log.clone());
    assert_eq!(g.next(), Some(1));
    assert_eq!(g.close().unwrap_err().into_inner(), 99);
    assert_eq!(log.events(), ["ignored close", "c", "a", "outer"]);
    assert_eq!(g.state(), GenState::Closed);
    drop(g);
    assert_eq!(log.events().len(), 4);
}

#[generator(yield = u32, throw = &'static str)]
fn throw_inner(log: Log) -> Result<u32, String> {
    let _g = log.guard("inner");
    loop {
        yield_!(1);
    }
}

#[generator(yield = u32, throw = &'static str)]
fn throw_middle(log: Log) -> Result<u32, String> {
    let _g = log.guard("middle");
    let r = yield_from!(throw_inner(log.clone()));
    log.mark("middle saw the error");
    let r = r?;
    yield_!(2);
    Ok(r)
}

#[generator(yield = u32, throw = &'static str)]
fn throw_outer(log: Log) -> Result<u32, String> {
    let _g = log.guard("outer");
    let r = yield_from!(throw_middle(log.clone()))?;
    log.mark("unreachable");
    Ok(r)
}

#[test]
fn throw_through_a_flat_chain_unwinds_innermost_first() {
    let log = Log::new();
    let mut g = throw_outer(log.clone());
    assert_eq!(g.next(), Some(1));
    assert_eq!(
        g.throw("jam"),
        Ok(GeneratorState::Complete(Err("jam".to_string())))
    );
    assert_eq!(
        log.events(),
        ["inner", "middle saw the error", "middle", "outer"]
    );
    drop(g);
    assert_eq!(log.events().len(), 4);
}

#[test]
fn panicking_close_handler_two_levels_down() {
    #[generator(yield = u32)]
    fn middle(log: Log) {
        let _g = log.guard("middle");
        yield_from!(panicking_handler(log.clone()));
    }
    #[generator(yield = u32)]
    fn outer(log: Log) {
        let _g = log.guard("outer");
        yield_from!(middle(log.clone()));
    }
    // Dropped normally: the close reaches the innermost handler, which
    // panics; the panic leaves `drop`, and every local still drops once,
    // innermost first.
    let log = Log::new();
    let mut g = outer(log.clone());
    g.next();
    assert!(catch_unwind(AssertUnwindSafe(move || drop(g))).is_err());
    assert_eq!(log.events(), ["handler", "local", "middle", "outer"]);

    // Dropped during an unrelated unwind: no handler, no abort.
    let log = Log::new();
    let caught = catch_unwind(AssertUnwindSafe(|| {
        let mut g = pin!(outer(log.clone()).into_pinned());
        g.as_mut().resume();
        panic!("unrelated");
    }));
    assert!(caught.is_err());
    assert_eq!(log.events(), ["local", "middle", "outer"]);
}

// ---------------------------------------------------------------------------
// Generators held in the locals of a generator
// ---------------------------------------------------------------------------

/// Owns two suspended generators whose close handlers panic, and a guard.
#[generator(yield = u32)]
fn owns_two_panicking_handlers(log: Log) {
    let _g = log.guard("owner");
    let mut first = panicking_handler(log.clone());
    let mut second = panicking_handler(log.clone());
    first.next();
    second.next();
    yield_!(0);
    drop((first, second));
}

#[test]
fn second_panicking_close_handler_in_one_drop_does_not_abort() {
    // Dropping the owner drops `second`, then `first` (reverse declaration
    // order). `second`'s close handler runs and panics; `first` is then
    // dropped during that unwinding, so it is not closed: running its
    // handler would panic again while panicking, which aborts the process.
    let log = Log::new();
    let mut g = owns_two_panicking_handlers(log.clone());
    assert_eq!(g.next(), Some(0));
    let caught = catch_unwind(AssertUnwindSafe(move || drop(g)));
    assert!(caught.is_err(), "the handler's panic leaves drop");
    assert_eq!(log.events(), ["handler", "local", "local", "owner"]);

    // The same through close(), in the pinned form: close() panics, the
    // generator is closed and every local dropped once.
    let log = Log::new();
    {
        let mut g = pin!(owns_two_panicking_handlers(log.clone()).into_pinned());
        assert_eq!(g.as_mut().resume(), Some(GeneratorState::Yielded(0)));
        assert!(catch_unwind(AssertUnwindSafe(|| g.as_mut().close())).is_err());
        assert_eq!(g.state(), GenState::Closed);
        assert_eq!(g.as_mut().resume(), None);
    }
    assert_eq!(log.events(), ["handler", "local", "local", "owner"]);
}

// ---------------------------------------------------------------------------
// Boxed bodies, and panics in bodies that can catch a close
// ---------------------------------------------------------------------------

#[test]
fn drop_suspended_at_yield_catch_runs_handler_once_boxed() {
    // A boxed body no longer says in its type whether it catches a close,
    // so a close always resumes it: the handler of a catching one runs once.
    let log = Log::new();
    let mut g = catching(log.clone(), log.guard("arg")).boxed();
    g.next();
    g.next();
    drop(g);
    log.assert_once(&["handler", "a", "b", "arg"]);
    assert_eq!(log.events()[0], "handler");

    let log = Log::new();
    {
        let mut g = pin!(
            catching(log.clone(), log.guard("arg"))
                .boxed()
                .into_pinned()
        );
        g.as_mut().resume();
        g.as_mut().resume();
    }
    log.assert_once(&["handler", "a", "b", "arg"]);
    assert_eq!(log.events()[0], "handler");

    // A boxed plain body: the close resumes it, its `yield_!` drops it in
    // place, as the close of the unboxed one does without resuming it.
    let log = Log::new();
    let mut g = plain(log.clone(), log.guard("arg")).boxed();
    g.next();
    log.clear();
    assert_eq!(g.close(), Ok(None));
    log.assert_once(&["scoped", "a", "arg"]);
}

/// Can catch a close (so its drop would resume it); panics on a send of 0.
#[generator(yield = u32, send = u32, throw = String)]
fn catching_panicky(log: Log) -> Result<u32, String> {
    let _a = log.guard("a");
    loop {
        match yield_catch!(1) {
            Ok(0) => panic!("boom in body"),
            Ok(_) => {}
            Err(Interrupt::Close) => {
                log.mark("handler");
                return Ok(7);
            }
            Err(Interrupt::Throw(e)) => return Err(e),
        }
    }
}

#[test]
fn panic_in_catching_body_closes_it_all_forms() {
    // After the panic the generator is closed: its drop neither closes nor
    // polls the poisoned body, and every call reports it closed.
    let log = Log::new();
    let mut g = catching_panicky(log.clone());
    g.start().unwrap();
    assert!(catch_unwind(AssertUnwindSafe(|| g.send(0))).is_err());
    assert_eq!(g.state(), GenState::Closed);
    drop(g);
    log.assert_once(&["a"]);

    let log = Log::new();
    let mut g = catching_panicky(log.clone()).boxed();
    g.start().unwrap();
    assert!(catch_unwind(AssertUnwindSafe(|| g.send(0))).is_err());
    assert_eq!((g.state(), g.resume()), (GenState::Closed, None));
    assert_eq!(g.send(3).unwrap_err().kind(), ResumeErrorKind::Closed);
    assert_eq!(g.throw("x".into()).unwrap_err().into_inner(), "x");
    assert_eq!(g.close(), Ok(None));
    drop(g);
    log.assert_once(&["a"]);

    let log = Log::new();
    {
        let mut g = pin!(catching_panicky(log.clone()).into_pinned());
        g.as_mut().start().unwrap();
        assert!(catch_unwind(AssertUnwindSafe(|| g.as_mut().send(0))).is_err());
        assert_eq!(g.state(), GenState::Closed);
        assert_eq!(
            g.as_mut().start().unwrap_err().kind(),
            ResumeErrorKind::Closed
        );
        assert_eq!(g.as_mut().throw("x".into()).unwrap_err().into_inner(), "x");
    }
    log.assert_once(&["a"]);
}
