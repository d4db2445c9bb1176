//! Dropping a suspended generator whose body has `yield_from!` but catches
//! nothing itself: the drop does not resume the body's code (its poll then
//! has one caller, which LLVM inlines into the consumer's loop); the
//! delegations get the close through their frames, or through their loop's
//! own drop. Whatever the delegation, what runs, and in what order, is what
//! `close()` followed by the drop runs: each case below is played twice and
//! the traces compared, and checked against what Python prints.

use std::cell::RefCell;
use std::rc::Rc;

use pygen::{GenState, generator, yield_, yield_catch, yield_from, yield_from_catch};

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

/// `try: yield 1; yield 2 except GeneratorExit: ...; raise`.
#[generator(yield = u32)]
fn catching_sub(trace: Trace) -> u32 {
    let _finally = trace.finally("sub finally");
    for i in 1..=2 {
        if yield_catch!(i).is_err() {
            trace.push("sub handler");
            return 0;
        }
    }
    3
}

/// Catches the close and yields instead of finishing.
#[generator(yield = u32)]
fn stubborn_sub(trace: Trace) {
    let _finally = trace.finally("stubborn finally");
    if yield_catch!(1).is_err() {
        trace.push("stubborn handler");
        yield_!(99);
    }
}

/// `yield from catching_sub()` with a handler around it.
#[generator(yield = u32)]
fn catching_middle(trace: Trace) -> u32 {
    let _finally = trace.finally("middle finally");
    match yield_from_catch!(catching_sub(trace.clone())) {
        Ok(value) => value,
        Err(_) => {
            trace.push("middle handler");
            0
        }
    }
}

/// The outer generators: `yield_from!` and nothing that catches.
#[generator(yield = u32)]
fn outer_flat(trace: Trace) {
    let _finally = trace.finally("outer finally");
    yield_!(0);
    yield_from!(catching_sub(trace.clone()));
    yield_!(10);
}

#[generator(yield = u32)]
fn outer_nested(trace: Trace) {
    let _finally = trace.finally("outer finally");
    yield_from!(catching_middle(trace.clone()));
    yield_!(10);
}

#[generator(yield = u32)]
fn outer_stubborn(trace: Trace) {
    let _finally = trace.finally("outer finally");
    yield_from!(stubborn_sub(trace.clone()));
}

#[generator(yield = u32)]
fn outer_borrowing(trace: Trace) {
    let _finally = trace.finally("outer finally");
    let mut sub = catching_sub(trace.clone());
    yield_from!(&mut sub);
    yield_!(10);
}

/// Borrows a generator that lives on after it.
#[generator(yield = u32)]
fn outer_borrowing_outside<'a>(trace: Trace, sub: &'a mut pygen::BoxGen<'static, u32, u32>) {
    let _finally = trace.finally("outer finally");
    yield_from!(sub);
}

/// Plays `case` with `resumes` resumes and then ends it: by `close()` and
/// a drop, or by the drop alone. Both traces are returned.
fn both_ways<G>(
    make: impl Fn(Trace) -> pygen::Gen<G, u32>,
    resumes: usize,
) -> [Vec<&'static str>; 2]
where
    G: pygen::Body,
{
    [true, false].map(|close_first| {
        let trace = Trace::default();
        let mut g = make(trace.clone());
        for _ in 0..resumes {
            assert!(g.next().is_some());
        }
        trace.push("--");
        if close_first {
            let _ = g.close();
        }
        drop(g);
        trace.take()
    })
}

#[test]
fn a_drop_inside_a_flat_delegation_runs_the_delegates_handler_first() {
    let [closed, dropped] = both_ways(outer_flat, 2);
    assert_eq!(
        closed,
        ["--", "sub handler", "sub finally", "outer finally"]
    );
    assert_eq!(dropped, closed);
}

#[test]
fn a_drop_reaches_each_level_of_nested_delegations_innermost_first() {
    let [closed, dropped] = both_ways(outer_nested, 1);
    assert_eq!(
        closed,
        [
            "--",
            "sub handler",
            "sub finally",
            "middle handler",
            "middle finally",
            "outer finally"
        ]
    );
    assert_eq!(dropped, closed);
}

#[test]
fn a_delegate_that_yields_instead_of_closing_is_dropped_after_its_handler() {
    let [closed, dropped] = both_ways(outer_stubborn, 1);
    assert_eq!(
        closed,
        [
            "--",
            "stubborn handler",
            "stubborn finally",
            "outer finally"
        ]
    );
    assert_eq!(dropped, closed);
}

#[test]
fn a_drop_inside_a_delegation_through_mut_closes_the_delegate() {
    let [closed, dropped] = both_ways(outer_borrowing, 1);
    assert_eq!(
        closed,
        ["--", "sub handler", "sub finally", "outer finally"]
    );
    assert_eq!(dropped, closed);
}

#[test]
fn a_drop_at_the_bodys_own_yield_after_a_delegation_only_drops() {
    let [closed, dropped] = both_ways(outer_flat, 4);
    assert_eq!(closed, ["sub finally", "--", "outer finally"]);
    assert_eq!(dropped, closed);
}

/// Python:
///
/// ```python
/// def sub():
///     try:
///         yield 1; yield 2
///     except GeneratorExit:
///         print("sub handler"); raise
/// def outer(s):
///     yield from s
/// s = sub(); o = outer(s); next(o); del o
/// # prints "sub handler"; inspect.getgeneratorstate(s) == GEN_CLOSED
/// ```
#[test]
fn a_delegate_borrowed_from_outside_is_closed_by_the_drop_and_stays_closed() {
    let trace = Trace::default();
    let mut sub = catching_sub(trace.clone()).boxed();
    let mut g = outer_borrowing_outside(trace.clone(), &mut sub);
    assert_eq!(g.next(), Some(1));
    drop(g);
    assert_eq!(
        trace.take(),
        ["sub handler", "sub finally", "outer finally"]
    );
    assert_eq!(sub.state(), GenState::Closed);
    assert_eq!(sub.next(), None);
}

#[test]
fn a_delegation_that_finished_leaves_a_borrowed_delegate_alone() {
    let trace = Trace::default();
    let mut sub = catching_sub(trace.clone()).boxed();
    assert_eq!(sub.next(), Some(1));
    assert_eq!(sub.next(), Some(2));
    assert_eq!(sub.next(), None);
    trace.take();
    let mut g = outer_borrowing_outside(trace.clone(), &mut sub);
    assert_eq!(g.next(), None);
    drop(g);
    assert_eq!(trace.take(), ["outer finally"]);
}
