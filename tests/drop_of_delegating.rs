//! Dropping a suspended generator whose body has `yield_from!` but catches
//! nothing itself: what runs, and in what order, is what `close()`
//! followed by the drop runs, whatever the delegation (flat, nested, through
//! `&mut`, a delegate that yields instead of closing, one whose cleanup
//! fails). Each case below is played both ways and the traces compared,
//! and checked against what Python prints. A drop that skipped the body's
//! code (tried for speed: the drop's close is the second caller of the
//! body's poll) broke the last two.

use pygen::{GenState, generator, yield_, yield_catch, yield_from, yield_from_catch};

#[path = "support/trace.rs"]
mod trace;

use trace::{Guard, Log};

/// `try: yield 1; yield 2 except GeneratorExit: ...; raise`.
#[generator(yield = u32)]
fn catching_sub(trace: Log) -> u32 {
    let _finally = Guard::new(&trace, "sub finally");
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
fn stubborn_sub(trace: Log) {
    let _finally = Guard::new(&trace, "stubborn finally");
    if yield_catch!(1).is_err() {
        trace.push("stubborn handler");
        yield_!(99);
    }
}

/// `yield from catching_sub()` with a handler around it.
#[generator(yield = u32)]
fn catching_middle(trace: Log) -> u32 {
    let _finally = Guard::new(&trace, "middle finally");
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
fn outer_flat(trace: Log) {
    let _finally = Guard::new(&trace, "outer finally");
    yield_!(0);
    yield_from!(catching_sub(trace.clone()));
    yield_!(10);
}

#[generator(yield = u32)]
fn outer_nested(trace: Log) {
    let _finally = Guard::new(&trace, "outer finally");
    yield_from!(catching_middle(trace.clone()));
    yield_!(10);
}

#[generator(yield = u32)]
fn outer_stubborn(trace: Log) {
    let _finally = Guard::new(&trace, "outer finally");
    yield_from!(stubborn_sub(trace.clone()));
}

#[generator(yield = u32)]
fn outer_borrowing(trace: Log) {
    let _finally = Guard::new(&trace, "outer finally");
    let mut sub = catching_sub(trace.clone());
    yield_from!(&mut sub);
    yield_!(10);
}

/// Borrows a generator that lives on after it.
#[generator(yield = u32)]
fn outer_borrowing_outside<'a>(trace: Log, sub: &'a mut pygen::BoxGen<'static, u32, u32>) {
    let _finally = Guard::new(&trace, "outer finally");
    yield_from!(sub);
}

/// Plays `case` with `resumes` resumes and then ends it: by `close()` and
/// a drop, or by the drop alone. Both traces are returned.
fn both_ways<G, Y>(make: impl Fn(Log) -> pygen::Gen<G, Y>, resumes: usize) -> [Vec<String>; 2]
where
    G: pygen::Body,
{
    [true, false].map(|close_first| {
        let trace = Log::default();
        let mut g = make(trace.clone());
        for _ in 0..resumes {
            assert!(g.next().is_some());
        }
        trace.push("--");
        if close_first {
            let _ = g.close();
        }
        drop(g);
        trace.lines()
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
    let trace = Log::default();
    let mut sub = catching_sub(trace.clone()).boxed();
    let mut g = outer_borrowing_outside(trace.clone(), &mut sub);
    assert_eq!(g.next(), Some(1));
    drop(g);
    assert_eq!(
        trace.lines(),
        ["sub handler", "sub finally", "outer finally"]
    );
    assert_eq!(sub.state(), GenState::Closed);
    assert_eq!(sub.next(), None);
}

#[test]
fn a_delegation_that_finished_leaves_a_borrowed_delegate_alone() {
    let trace = Log::default();
    let mut sub = catching_sub(trace.clone()).boxed();
    assert_eq!(sub.next(), Some(1));
    assert_eq!(sub.next(), Some(2));
    assert_eq!(sub.next(), None);
    assert_eq!(trace.lines(), ["sub finally"]);
    let mut g = outer_borrowing_outside(trace.clone(), &mut sub);
    assert_eq!(g.next(), None);
    drop(g);
    assert_eq!(trace.lines(), ["sub finally", "outer finally"]);
}

/// A close handler that fails: `Err` from its `yield_catch!` branch.
#[generator(yield = u32)]
fn failing_sub(trace: Log) -> Result<u32, &'static str> {
    let _finally = Guard::new(&trace, "sub finally");
    if yield_catch!(1).is_err() {
        trace.push("sub handler");
        return Err("cleanup failed");
    }
    Ok(2)
}

#[generator(yield = u32)]
fn outer_failing(trace: Log) -> Result<u32, &'static str> {
    let _finally = Guard::new(&trace, "outer finally");
    let value = yield_from!(failing_sub(trace.clone()));
    trace.push("outer after the yield_from!");
    value
}

/// A delegate's failed cleanup reaches the body (the `yield_from!`'s value)
/// on a drop as on `close()`: CPython runs an `except` around the
/// `yield from` when it finalizes the generator, and so does the body's code
/// here.
#[test]
fn a_delegates_failed_cleanup_reaches_the_body_on_close_and_on_drop() {
    let trace = Log::default();
    let mut g = outer_failing(trace.clone());
    assert_eq!(g.next(), Some(1));
    assert_eq!(g.close(), Ok(Some(Err("cleanup failed"))));
    drop(g);
    let closed = trace.lines();
    assert_eq!(
        closed,
        [
            "sub handler",
            "sub finally",
            "outer after the yield_from!",
            "outer finally"
        ]
    );

    let trace = Log::default();
    let mut g = outer_failing(trace.clone());
    assert_eq!(g.next(), Some(1));
    drop(g);
    assert_eq!(trace.lines(), closed);
}

/// A value that logs its drop.
struct Token(Log, &'static str);

impl Drop for Token {
    fn drop(&mut self) {
        self.0.push(self.1);
    }
}

/// Yields a token instead of closing.
#[generator(yield = Token)]
fn stubborn_tokens(trace: Log) {
    let _finally = Guard::new(&trace, "stubborn finally");
    if yield_catch!(Token(trace.clone(), "first token dropped")).is_err() {
        yield_!(Token(trace.clone(), "ignored token dropped"));
    }
}

#[generator(yield = Token)]
fn outer_stubborn_tokens(trace: Log) {
    let _finally = Guard::new(&trace, "outer finally");
    yield_from!(stubborn_tokens(trace.clone()));
}

/// `close()` drops the body before it hands back what a delegate yielded
/// instead of closing; a drop drops that value after the body too.
#[test]
fn what_a_delegate_yields_instead_of_closing_is_dropped_after_the_body() {
    let [closed, dropped] = both_ways(outer_stubborn_tokens, 1);
    assert_eq!(
        closed,
        [
            "first token dropped",
            "--",
            "stubborn finally",
            "outer finally",
            "ignored token dropped"
        ]
    );
    assert_eq!(dropped, closed);
}
