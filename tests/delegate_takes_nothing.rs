//! `yield_from!` of a generator that takes nothing (`send = ()`, no throw
//! type) from a generator that takes sent values and thrown errors:
//! Python's `yield from range(3)`-like sub-generators inside a coroutine.

#[path = "support/trace.rs"]
mod trace;

use pygen::{GenState, GeneratorState, ResumeErrorKind, generator, yield_, yield_from};
use trace::{Guard, Log};

#[derive(Debug, PartialEq)]
struct Fault(&'static str);

/// Takes nothing: three steps, a cleanup the log records, a return value.
#[generator(yield = u32)]
fn steps(log: Log) -> &'static str {
    let _cleanup = Guard::new(&log, "steps cleanup");
    for i in 1..=3 {
        yield_!(i * 10);
    }
    "steps done"
}

/// Takes tasks and faults; delegates to `steps` between two own yields.
#[generator(yield = u32, send = u32, throw = Fault)]
fn worker(log: Log) -> Result<&'static str, Fault> {
    let _cleanup = Guard::new(&log, "worker cleanup");
    let task = yield_!(0);
    log.push(format!("task {task}"));
    let said = yield_from!(steps(log.clone()));
    log.push(format!("steps said {said}"));
    let task = yield_!(1);
    log.push(format!("task {task}"));
    Ok(said)
}

#[test]
fn next_passes_through_and_the_return_value_comes_back() {
    let log = Log::default();
    let mut g = worker(log.clone());
    assert_eq!(g.start(), Ok(GeneratorState::Yielded(0)));
    assert_eq!(g.send(7), Ok(GeneratorState::Yielded(10)));
    assert_eq!(g.resume(), Some(GeneratorState::Yielded(20)));
    assert_eq!(g.resume(), Some(GeneratorState::Yielded(30)));
    assert_eq!(g.resume(), Some(GeneratorState::Yielded(1)));
    assert_eq!(g.send(8), Ok(GeneratorState::Complete(Ok("steps done"))));
    assert_eq!(
        log.lines(),
        [
            "task 7",
            "steps cleanup",
            "steps said steps done",
            "task 8",
            "worker cleanup"
        ]
    );
}

#[test]
fn a_value_sent_during_the_delegation_comes_back() {
    let log = Log::default();
    let mut g = worker(log.clone());
    g.start().unwrap();
    assert_eq!(g.send(7), Ok(GeneratorState::Yielded(10)));
    let refused = g.send(99).unwrap_err();
    assert_eq!(refused.kind(), ResumeErrorKind::Undeliverable);
    assert_eq!(refused.into_inner(), 99);
    assert_eq!(g.state(), GenState::Suspended);
    // The delegation is where it was.
    assert_eq!(g.resume(), Some(GeneratorState::Yielded(20)));
}

#[test]
fn a_throw_during_the_delegation_is_raised_in_the_delegator() {
    let log = Log::default();
    let mut g = worker(log.clone());
    g.start().unwrap();
    g.send(7).unwrap();
    assert_eq!(
        g.throw(Fault("surge")),
        Ok(GeneratorState::Complete(Err(Fault("surge"))))
    );
    assert_eq!(g.state(), GenState::Closed);
    // The delegate is dropped (closed) with the delegating body, innermost
    // first.
    assert_eq!(log.lines(), ["task 7", "steps cleanup", "worker cleanup"]);
}

#[test]
fn a_close_during_the_delegation_closes_the_delegate_first() {
    let log = Log::default();
    let mut g = worker(log.clone());
    g.start().unwrap();
    g.send(7).unwrap();
    assert_eq!(g.close(), Ok(None));
    assert_eq!(log.lines(), ["task 7", "steps cleanup", "worker cleanup"]);
    assert_eq!(g.resume(), None);
}

#[generator(yield = u32, send = u32)]
fn continues(
    mut inner: pygen::Gen<impl pygen::Body<Output = &'static str>, u32>,
) -> Option<&'static str> {
    let first = yield_!(0);
    assert_eq!(first, 5);
    yield_from!(&mut inner)
}

#[test]
fn a_started_generator_that_takes_nothing_is_continued_through_mut() {
    let log = Log::default();
    let mut inner = steps(log.clone());
    assert_eq!(inner.next(), Some(10));
    let mut g = continues(inner);
    assert_eq!(g.start(), Ok(GeneratorState::Yielded(0)));
    assert_eq!(g.send(5), Ok(GeneratorState::Yielded(20)));
    assert_eq!(g.resume(), Some(GeneratorState::Yielded(30)));
    assert_eq!(
        g.resume(),
        Some(GeneratorState::Complete(Some("steps done")))
    );
}

#[generator(yield = u32, send = String)]
async fn async_worker(log: Log) -> &'static str {
    let _ = yield_!(0);
    yield_from!(steps(log))
}

#[test]
fn an_async_generator_delegates_to_one_that_takes_nothing() {
    futures::executor::block_on(async {
        let log = Log::default();
        let mut g = async_worker(log.clone());
        assert_eq!(g.astart().await, Ok(GeneratorState::Yielded(0)));
        assert_eq!(g.asend("go".into()).await, Ok(GeneratorState::Yielded(10)));
        let refused = g.asend("again".into()).await.unwrap_err();
        assert_eq!(refused.kind(), ResumeErrorKind::Undeliverable);
        assert_eq!(refused.into_inner(), "again");
        assert_eq!(g.anext().await, Some(GeneratorState::Yielded(20)));
        assert_eq!(g.anext().await, Some(GeneratorState::Yielded(30)));
        assert_eq!(
            g.anext().await,
            Some(GeneratorState::Complete("steps done"))
        );
    });
}
