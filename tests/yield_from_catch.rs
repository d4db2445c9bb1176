//! `yield_from_catch!`: a delegating body that sees the close or the thrown
//! error its delegation raised, after CPython's `test_yield_from` close and
//! throw tests (`try: yield from g() except GeneratorExit / E`), and a
//! delegate's failing cleanup reaching the caller of `close`.

use std::cell::RefCell;
use std::rc::Rc;

use pygen::{
    CloseError, GeneratorState, Interrupt, generator, yield_, yield_catch, yield_from,
    yield_from_catch,
};

/// What ran, in order.
#[derive(Clone, Default)]
struct Trace(Rc<RefCell<Vec<&'static str>>>);

impl Trace {
    fn push(&self, event: &'static str) {
        self.0.borrow_mut().push(event);
    }
    fn take(&self) -> Vec<&'static str> {
        std::mem::take(&mut self.0.borrow_mut())
    }
    fn finally(&self, event: &'static str) -> Finally {
        Finally(self.clone(), event)
    }
}

/// Python's `finally:`.
struct Finally(Trace, &'static str);

impl Drop for Finally {
    fn drop(&mut self) {
        self.0.push(self.1);
    }
}

#[derive(Debug, PartialEq, Eq, Clone, Copy)]
struct ValueError(u32);

// ---------------------------------------------------------------------------
// Close
// ---------------------------------------------------------------------------

/// A subgenerator with a `finally` and no handler of its own.
#[generator(yield = u32)]
fn plain_sub(trace: Trace) -> u32 {
    let _finally = trace.finally("sub finally");
    yield_!(1);
    yield_!(2);
    3
}

#[generator(yield = u32)]
fn catching_delegator(trace: Trace) -> &'static str {
    let _finally = trace.finally("delegator finally");
    match yield_from_catch!(plain_sub(trace.clone())) {
        Ok(_) => "finished",
        Err(Interrupt::Close) => {
            trace.push("delegator caught close");
            "closed"
        }
        Err(Interrupt::Throw(never)) => match never {},
    }
}

#[test]
fn close_reaches_the_subgenerator_first_then_the_delegators_handler() {
    let trace = Trace::default();
    let mut g = catching_delegator(trace.clone());
    assert_eq!(g.next(), Some(1));
    assert_eq!(g.close(), Ok(Some("closed")));
    assert_eq!(
        trace.take(),
        ["sub finally", "delegator caught close", "delegator finally"]
    );
    assert_eq!(g.next(), None);
}

#[test]
fn without_a_close_the_delegation_returns_its_value() {
    let trace = Trace::default();
    let mut g = catching_delegator(trace.clone());
    assert_eq!(g.by_ref().collect::<Vec<_>>(), [1, 2]);
    assert_eq!(trace.take(), ["sub finally", "delegator finally"]);
}

#[test]
fn the_pinned_form_and_a_drop_run_the_handler_too() {
    let trace = Trace::default();
    {
        let mut g = std::pin::pin!(catching_delegator(trace.clone()).into_pinned());
        assert_eq!(g.as_mut().resume(), Some(GeneratorState::Yielded(1)));
    }
    // Dropping a suspended generator closes it (Python's finalizer).
    assert_eq!(
        trace.take(),
        ["sub finally", "delegator caught close", "delegator finally"]
    );
}

/// A subgenerator that catches the close itself and returns.
#[generator(yield = u32)]
fn handling_sub(trace: Trace) -> u32 {
    loop {
        if let Err(Interrupt::Close) = yield_catch!(7) {
            trace.push("sub handler");
            return 70;
        }
    }
}

#[generator(yield = u32)]
fn middle(trace: Trace) -> u32 {
    let _finally = trace.finally("middle finally");
    match yield_from_catch!(handling_sub(trace.clone())) {
        Ok(r) => r,
        Err(_) => {
            trace.push("middle caught close");
            5
        }
    }
}

#[generator(yield = u32)]
fn outer_plain(trace: Trace) -> u32 {
    let _finally = trace.finally("outer finally");
    yield_from!(middle(trace.clone())) + 1
}

#[test]
fn a_subgenerator_that_returns_from_its_handler_still_raises_the_close_in_the_delegator() {
    // PEP 380: if the subiterator's close() returns normally, GeneratorExit
    // is raised in the delegating generator.
    let trace = Trace::default();
    let mut g = middle(trace.clone());
    assert_eq!(g.next(), Some(7));
    assert_eq!(g.close(), Ok(Some(5)));
    assert_eq!(
        trace.take(),
        ["sub handler", "middle caught close", "middle finally"]
    );
}

#[test]
fn three_levels_the_middle_catches_and_the_outer_does_not() {
    let trace = Trace::default();
    let mut g = outer_plain(trace.clone());
    assert_eq!(g.next(), Some(7));
    // The middle level returns from its handler; the outer `yield_from!`
    // then raises the close (not caught): the outer body is dropped.
    assert_eq!(g.close(), Ok(None));
    assert_eq!(
        trace.take(),
        [
            "sub handler",
            "middle caught close",
            "middle finally",
            "outer finally"
        ]
    );
}

#[generator(yield = u32)]
fn stubborn_delegator(trace: Trace) {
    if let Err(Interrupt::Close) = yield_from_catch!(plain_sub(trace.clone())) {
        trace.push("ignoring the close");
        yield_!(99);
    }
}

#[test]
fn a_delegator_that_yields_after_the_close_is_a_close_error() {
    // Python: RuntimeError("generator ignored GeneratorExit").
    let trace = Trace::default();
    let mut g = stubborn_delegator(trace.clone());
    assert_eq!(g.next(), Some(1));
    assert_eq!(g.close().map_err(CloseError::into_inner), Err(99));
    assert_eq!(trace.take(), ["sub finally", "ignoring the close"]);
    assert_eq!(g.next(), None);
}

// ---------------------------------------------------------------------------
// A cleanup that fails
// ---------------------------------------------------------------------------

/// Its close handler fails: Python's `finally: raise ValueError`.
#[generator(yield = u32)]
fn failing_cleanup() -> Result<u32, ValueError> {
    loop {
        if let Err(Interrupt::Close) = yield_catch!(1) {
            return Err(ValueError(13));
        }
    }
}

#[generator(yield = u32)]
fn plain_over_failing() -> Result<u32, ValueError> {
    let r = yield_from!(failing_cleanup())?;
    Ok(r + 1)
}

#[generator(yield = u32)]
fn catching_over_failing(trace: Trace) -> Result<u32, ValueError> {
    match yield_from_catch!(failing_cleanup()) {
        Ok(r) => {
            trace.push("delegation value");
            r
        }
        Err(_) => {
            trace.push("caught close");
            Ok(0)
        }
    }
}

#[test]
fn a_failing_cleanup_reaches_the_caller_of_close() {
    // CPython: close() raises the subgenerator's ValueError.
    let mut g = plain_over_failing();
    assert_eq!(g.next(), Some(1));
    assert_eq!(g.close(), Ok(Some(Err(ValueError(13)))));
}

#[test]
fn a_failing_cleanup_is_not_a_close_to_the_catching_delegator() {
    // `except GeneratorExit` does not catch the ValueError.
    let trace = Trace::default();
    let mut g = catching_over_failing(trace.clone());
    assert_eq!(g.next(), Some(1));
    assert_eq!(g.close(), Ok(Some(Err(ValueError(13)))));
    assert_eq!(trace.take(), ["delegation value"]);
}

// ---------------------------------------------------------------------------
// Throw
// ---------------------------------------------------------------------------

#[generator(yield = u32, throw = ValueError)]
fn over_an_iterator(trace: Trace) -> Result<u32, ValueError> {
    match yield_from_catch!([1, 2, 3]) {
        Ok(()) => Ok(0),
        Err(Interrupt::Throw(ValueError(n))) => {
            trace.push("caught the thrown error");
            yield_!(n * 10);
            Ok(n)
        }
        Err(Interrupt::Close) => Ok(99),
    }
}

#[test]
fn a_throw_the_iterator_cannot_take_is_raised_at_the_delegation() {
    let trace = Trace::default();
    let mut g = over_an_iterator(trace.clone());
    assert_eq!(g.next(), Some(1));
    assert_eq!(g.throw(ValueError(4)), Ok(GeneratorState::Yielded(40)));
    assert_eq!(trace.take(), ["caught the thrown error"]);
    assert_eq!(g.resume(), Some(GeneratorState::Complete(Ok(4))));
}

#[test]
fn a_close_at_an_iterator_is_raised_at_the_delegation() {
    let mut g = over_an_iterator(Trace::default());
    assert_eq!(g.next(), Some(1));
    assert_eq!(g.close(), Ok(Some(Ok(99))));
}

/// Takes the thrown error itself: Python's subgenerator with `except`.
#[generator(yield = u32, throw = ValueError)]
fn takes_throws() -> Result<u32, ValueError> {
    match yield_catch!(1) {
        Err(Interrupt::Throw(ValueError(n))) => Ok(n + 100),
        _ => Ok(0),
    }
}

#[generator(yield = u32, throw = ValueError)]
fn over_a_generator() -> Result<u32, ValueError> {
    match yield_from_catch!(takes_throws()) {
        Ok(r) => r,
        Err(_) => Ok(0),
    }
}

#[test]
fn a_throw_a_generator_delegate_takes_is_its_to_handle() {
    let mut g = over_a_generator();
    assert_eq!(g.next(), Some(1));
    assert_eq!(
        g.throw(ValueError(5)),
        Ok(GeneratorState::Complete(Ok(105)))
    );
}

/// Takes nothing: `send = ()` and no throw type.
#[generator(yield = u32)]
fn takes_nothing() -> u32 {
    yield_!(1);
    yield_!(2);
    3
}

#[generator(yield = u32, send = u32, throw = ValueError)]
fn over_takes_nothing(trace: Trace) -> Result<u32, ValueError> {
    let mut borrowed = takes_nothing();
    match yield_from_catch!(&mut borrowed) {
        Ok(r) => Ok(r.unwrap_or(0)),
        Err(Interrupt::Throw(ValueError(n))) => {
            trace.push("thrown at the delegation");
            Ok(n)
        }
        Err(Interrupt::Close) => {
            trace.push("closed at the delegation");
            Ok(1000)
        }
    }
}

#[test]
fn takes_nothing_delegates_raise_throws_and_closes_at_the_delegation() {
    let trace = Trace::default();
    let mut g = over_takes_nothing(trace.clone());
    assert_eq!(g.resume(), Some(GeneratorState::Yielded(1)));
    assert_eq!(g.throw(ValueError(8)), Ok(GeneratorState::Complete(Ok(8))));
    assert_eq!(trace.take(), ["thrown at the delegation"]);

    let mut g = over_takes_nothing(trace.clone());
    assert_eq!(g.resume(), Some(GeneratorState::Yielded(1)));
    assert_eq!(g.close(), Ok(Some(Ok(1000))));
    assert_eq!(trace.take(), ["closed at the delegation"]);
}

#[generator(yield = u32)]
fn over_borrowed(trace: Trace) -> u32 {
    let mut inner = plain_sub(trace.clone());
    match yield_from_catch!(&mut inner) {
        Ok(r) => r.unwrap_or(0),
        Err(_) => {
            trace.push("closed at the &mut delegation");
            7
        }
    }
}

#[test]
fn a_close_through_a_borrowed_delegate_closes_it_first() {
    let trace = Trace::default();
    let mut g = over_borrowed(trace.clone());
    assert_eq!(g.next(), Some(1));
    assert_eq!(g.close(), Ok(Some(7)));
    assert_eq!(
        trace.take(),
        ["sub finally", "closed at the &mut delegation"]
    );
}

// ---------------------------------------------------------------------------
// Async
// ---------------------------------------------------------------------------

#[generator(yield = u32)]
async fn async_sub(trace: Trace) {
    let _finally = trace.finally("async sub finally");
    for i in 0..3 {
        yield_!(i);
    }
}

#[generator(yield = u32)]
async fn async_delegator(trace: Trace) -> &'static str {
    match yield_from_catch!(async_sub(trace.clone())) {
        Ok(()) => "finished",
        Err(_) => {
            trace.push("async delegator caught close");
            "closed"
        }
    }
}

#[test]
fn aclose_reaches_an_async_delegators_handler() {
    use futures::StreamExt;
    let trace = Trace::default();
    futures::executor::block_on(async {
        let mut g = async_delegator(trace.clone());
        assert_eq!(g.next().await, Some(0));
        assert_eq!(g.aclose().await, Ok(Some("closed")));
    });
    assert_eq!(
        trace.take(),
        ["async sub finally", "async delegator caught close"]
    );
}
