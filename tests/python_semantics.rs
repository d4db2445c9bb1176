//! Conformance with CPython 3.13 generators: one test per line P1–P35 of
//! `python-semantics.md`, each named after its line and citing the CPython
//! test it ports (G = Lib/test/test_generators.py, Y =
//! Lib/test/test_yield_from.py, A = Lib/test/test_asyncgen.py, I =
//! Lib/test/test_inspect.py TestGetGeneratorState).
//!
//! Every generator writes what its body does into a shared [`Log`]; every
//! test asserts the exact log, so a test cannot pass without the body having
//! run (or not run) exactly the lines Python would. Python's `finally` is a
//! drop guard ([`Guard`]) that logs when it is dropped.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;

use pygen::{
    CloseError, GenState, Generator, GeneratorState, Interrupt, NoThrow, ResumeError,
    ResumeErrorKind, generator, yield_, yield_catch, yield_from,
};

// ---------------------------------------------------------------------------
// Test scaffolding
// ---------------------------------------------------------------------------

#[path = "support/trace.rs"]
mod trace;
use trace::{Guard, Log};

/// Python's `ValueError(msg)`.
#[derive(Debug, Clone, PartialEq)]
struct ValueError(String);

fn value_error(msg: &str) -> ValueError {
    ValueError(msg.to_string())
}

/// Python's `ZeroDivisionError`.
#[derive(Debug, Clone, PartialEq)]
struct ZeroDivisionError;

fn checked_div(a: u32, b: u32) -> Result<u32, ZeroDivisionError> {
    a.checked_div(b).ok_or(ZeroDivisionError)
}

/// Integer division that panics on zero, like Python's `1//0` raising.
fn panicking_div(a: u32, b: u32) -> u32 {
    a / b
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

// ---------------------------------------------------------------------------
// States
// ---------------------------------------------------------------------------

#[generator(yield = u32)]
fn one_two(log: Log) {
    log.push("start");
    yield_!(1);
    log.push("after 1");
    yield_!(2);
    log.push("end");
}

#[test]
fn p01_fresh_generator_is_created() {
    // CPython: Lib/test/test_inspect.py TestGetGeneratorState::test_created
    let log = Log::default();
    let g = one_two(log.clone());
    assert_eq!(g.state(), GenState::Created);
    assert!(
        log.lines().is_empty(),
        "creating a generator runs no body code"
    );
}

#[test]
fn p02_after_one_next_it_is_suspended() {
    // CPython: Lib/test/test_inspect.py TestGetGeneratorState::test_suspended
    let log = Log::default();
    let mut g = one_two(log.clone());
    assert_eq!(g.next(), Some(1));
    assert_eq!(g.state(), GenState::Suspended);
    assert_eq!(log.lines(), ["start"]);
}

#[test]
fn p03_exhausted_by_a_for_loop_it_is_closed() {
    // CPython: Lib/test/test_inspect.py TestGetGeneratorState::test_closed_after_exhaustion
    let log = Log::default();
    let mut g = one_two(log.clone());
    for x in g.by_ref() {
        log.push(format!("Yielded {x}"));
    }
    assert_eq!(g.state(), GenState::Closed);
    assert_eq!(
        log.lines(),
        ["start", "Yielded 1", "after 1", "Yielded 2", "end"]
    );
}

#[generator(yield = u32, throw = ValueError)]
fn counts_with_finally(log: Log) -> Result<(), ValueError> {
    let _finally = Guard::new(&log, "finally");
    log.push("start");
    for i in 1..=3 {
        yield_!(i);
        log.push(format!("after {i}"));
    }
    Ok(())
}

#[test]
fn p04_throw_on_fresh_generator_closes_it() {
    // CPython: Lib/test/test_inspect.py TestGetGeneratorState::test_closed_after_immediate_exception
    let log = Log::default();
    let mut g = counts_with_finally(log.clone());
    let err = g.throw(value_error("immediate")).unwrap_err();
    assert_eq!(err.kind(), ResumeErrorKind::NotStarted);
    assert_eq!(err.into_inner(), value_error("immediate"));
    assert_eq!(g.state(), GenState::Closed);
    assert!(
        log.lines().is_empty(),
        "the body never ran: {:?}",
        log.lines()
    );
    assert_eq!(g.next(), None);
    assert!(log.lines().is_empty());
}

/// Catches everything it can, and logs what it catches.
#[generator(yield = u32, throw = ValueError)]
fn catches_everything(log: Log) -> &'static str {
    let _finally = Guard::new(&log, "finally");
    log.push("start");
    loop {
        match yield_catch!(1) {
            Ok(()) => log.push("resumed"),
            Err(Interrupt::Throw(e)) => log.push(format!("caught {}", e.0)),
            Err(Interrupt::Close) => {
                log.push("caught close");
                return "handled close";
            }
        }
    }
}

#[test]
fn p05_close_on_fresh_generator() {
    // CPython: Lib/test/test_generators.py GeneratorCloseTest::test_close_not_started
    // and coroutine_tests doctest ("f().close()         # close before opening")
    let log = Log::default();
    let mut g = catches_everything(log.clone());
    assert_eq!(g.close(), Ok(None), "no value: the handler never ran");
    assert!(
        log.lines().is_empty(),
        "no body line ran: {:?}",
        log.lines()
    );
    assert_eq!(g.state(), GenState::Closed);
    assert_eq!(g.next(), None);
    assert_eq!(g.resume(), None);
    assert!(log.lines().is_empty());
}

#[generator(yield = u32)]
fn fails_on_first_next(log: Log, zero: u32) -> Result<(), ZeroDivisionError> {
    log.push("g starts");
    yield_!(checked_div(1, zero)?); // the error propagates
    log.push("never here");
    yield_!(42); // and we never get here
    Ok(())
}

#[generator(yield = u32)]
fn panics_on_first_next(log: Log, zero: u32) {
    let _finally = Guard::new(&log, "finally");
    log.push("g starts");
    yield_!(panicking_div(1, zero));
    log.push("never here");
    yield_!(42);
}

#[test]
fn p06_failure_on_first_next_reaches_caller_then_closed() {
    // CPython: Lib/test/test_generators.py pep_tests doctest
    // "Specification: Generators and Exception Propagation"
    let log = Log::default();
    let mut k = fails_on_first_next(log.clone(), 0);
    assert_eq!(
        k.resume(),
        Some(GeneratorState::Complete(Err(ZeroDivisionError)))
    );
    assert_eq!(log.lines(), ["g starts"]);
    assert_eq!(k.state(), GenState::Closed);
    // "and the generator cannot be resumed"
    assert_eq!(k.resume(), None);
    assert_eq!(k.next(), None);
    assert_eq!(log.lines(), ["g starts"], "no code ran after the failure");

    // The same with a panic for the failure.
    let log = Log::default();
    let mut k = panics_on_first_next(log.clone(), 0);
    let panicked = catch_unwind(AssertUnwindSafe(|| k.resume()));
    let payload = panicked.expect_err("the panic reaches the caller of next");
    assert!(
        panic_message(&*payload).contains("divide by zero"),
        "the body's own panic: {}",
        panic_message(&*payload)
    );
    assert_eq!(k.state(), GenState::Closed);
    assert_eq!(k.resume(), None);
    assert_eq!(k.next(), None);
    drop(k);
    assert_eq!(log.lines(), ["g starts", "finally"]);
}

// ---------------------------------------------------------------------------
// next and the return value
// ---------------------------------------------------------------------------

#[test]
fn p07_yields_then_exhausted_forever() {
    // CPython: Lib/test/test_generators.py tutorial_tests doctest
    // ("Falling off the end" stops the generator; once stopped, can't be resumed)
    let log = Log::default();
    let mut g = one_two(log.clone());
    assert_eq!(g.next(), Some(1));
    assert_eq!(g.next(), Some(2));
    assert_eq!(g.next(), None);
    assert_eq!(g.next(), None);
    assert_eq!(g.next(), None);
    assert_eq!(log.lines(), ["start", "after 1", "end"]);

    // With the return value: it is reported by the resume that completes,
    // then never again.
    let log = Log::default();
    let mut g = one_two(log.clone());
    assert_eq!(g.resume(), Some(GeneratorState::Yielded(1)));
    assert_eq!(g.resume(), Some(GeneratorState::Yielded(2)));
    assert_eq!(g.resume(), Some(GeneratorState::Complete(())));
    assert_eq!(g.resume(), None);
    assert_eq!(g.resume(), None);
    assert_eq!(log.lines(), ["start", "after 1", "end"]);
}

#[generator(yield = u32, send = String)]
fn returns_what_was_sent() -> String {
    yield_!(1)
}

#[test]
fn p08_return_of_yield_returns_the_sent_value() {
    // CPython: Lib/test/test_generators.py ExceptionTest::test_return_tuple /
    // test_return_stopiteration (`return (yield 1)` then `send(v)`)
    let mut g = returns_what_was_sent();
    assert_eq!(g.start(), Ok(GeneratorState::Yielded(1)));
    let sent = String::from("(2,)");
    let address = sent.as_ptr();
    match g.send(sent) {
        Ok(GeneratorState::Complete(returned)) => {
            assert_eq!(returned, "(2,)");
            assert_eq!(returned.as_ptr(), address, "the very value that was sent");
        }
        other => panic!("expected Complete, got {other:?}"),
    }
    assert_eq!(g.state(), GenState::Closed);
}

#[generator(yield = u32)]
fn only_returns(log: Log) -> &'static str {
    log.push("body ran");
    "returned"
}

/// Python: `try: return finally: yield 1`.
#[generator(yield = u32)]
fn yields_in_cleanup(log: Log) -> &'static str {
    let outcome = 'try_block: {
        log.push("try");
        if !log.lines().is_empty() {
            break 'try_block "returned from try";
        }
        log.push("not reached");
        "fell through"
    };
    // finally:
    log.push("finally");
    yield_!(1);
    log.push("after cleanup yield");
    outcome
}

#[test]
fn p09_only_returns_yields_nothing_cleanup_yield_still_yields() {
    // CPython: Lib/test/test_generators.py tutorial_tests doctest
    // ("return" also stops the generator; g3: try/return/finally: yield 1 -> [1])
    let log = Log::default();
    let items: Vec<u32> = only_returns(log.clone()).collect();
    assert!(items.is_empty());
    assert_eq!(log.lines(), ["body ran"]);

    let log = Log::default();
    let mut g = only_returns(log.clone());
    assert_eq!(g.resume(), Some(GeneratorState::Complete("returned")));
    assert_eq!(g.resume(), None);
    assert_eq!(log.lines(), ["body ran"]);

    let log = Log::default();
    let mut g = only_returns(log.clone());
    assert_eq!(g.start(), Ok(GeneratorState::Complete("returned")));
    assert_eq!(g.state(), GenState::Closed);
    assert_eq!(log.lines(), ["body ran"]);

    let log = Log::default();
    let items: Vec<u32> = yields_in_cleanup(log.clone()).collect();
    assert_eq!(items, [1]);
    assert_eq!(log.lines(), ["try", "finally", "after cleanup yield"]);

    let log = Log::default();
    let mut g = yields_in_cleanup(log.clone());
    assert_eq!(g.resume(), Some(GeneratorState::Yielded(1)));
    assert_eq!(
        g.resume(),
        Some(GeneratorState::Complete("returned from try"))
    );
}

#[generator(yield = ())]
fn bare_yield(log: Log) {
    log.push("before");
    yield_!();
    log.push("after");
}

#[test]
fn p10_bare_yield_of_unit_yields_once() {
    // CPython: Lib/test/test_generators.py coroutine_tests doctest
    // ("Yield by itself yields None": list(f()) == [None])
    let log = Log::default();
    let items: Vec<()> = bare_yield(log.clone()).collect();
    assert_eq!(items, [()]);
    assert_eq!(log.lines(), ["before", "after"]);

    let log = Log::default();
    let mut g = bare_yield(log.clone());
    assert_eq!(g.resume(), Some(GeneratorState::Yielded(())));
    assert_eq!(log.lines(), ["before"]);
    assert_eq!(g.resume(), Some(GeneratorState::Complete(())));
    assert_eq!(g.resume(), None);
    assert_eq!(log.lines(), ["before", "after"]);
}

// ---------------------------------------------------------------------------
// send
// ---------------------------------------------------------------------------

/// Python: `print((yield 1)); yield 2`.
#[generator(yield = u32, send = u32)]
fn prints_sent_value(log: Log) {
    log.push(format!("print {}", yield_!(1)));
    yield_!(2);
    log.push("end");
}

#[test]
fn p11_send_value_is_value_of_yield() {
    // CPython: Lib/test/test_generators.py coroutine_tests doctest
    // ("Sending a value into a started generator")
    let log = Log::default();
    let mut g = prints_sent_value(log.clone());
    assert_eq!(g.next(), Some(1));
    assert!(log.lines().is_empty());
    assert_eq!(g.send(42), Ok(GeneratorState::Yielded(2)));
    assert_eq!(log.lines(), ["print 42"]);
}

#[generator(yield = u32, send = String)]
fn records_strings(log: Log) {
    log.push("start");
    let s = yield_!(1);
    log.push(format!("got {s:?}"));
    yield_!(2);
}

#[test]
fn p12_send_to_fresh_generator_hands_value_back() {
    // CPython: Lib/test/test_generators.py GeneratorTest::test_send_non_none_to_new_gen
    let log = Log::default();
    let mut g = records_strings(log.clone());
    let value = String::from("non-None");
    let address = value.as_ptr();
    let err = g.send(value).unwrap_err();
    assert_eq!(err.kind(), ResumeErrorKind::NotStarted);
    assert_eq!(err.value(), "non-None");
    let back = err.into_inner();
    assert_eq!(back, "non-None");
    assert_eq!(back.as_ptr(), address, "the very value that was sent");
    assert_eq!(g.state(), GenState::Created);
    assert!(log.lines().is_empty(), "no body code ran");
    assert_eq!(g.next(), Some(1));
    assert_eq!(log.lines(), ["start"]);
}

#[generator(yield = u32, send = u32)]
fn records_u32s(log: Log) {
    for i in 0..3 {
        let v = yield_!(i);
        log.push(format!("received {v}"));
    }
}

#[generator(yield = u32)]
fn delegates_to_range() {
    yield_from!(0..3);
}

#[test]
fn p13_next_is_sending_the_default() {
    // CPython: Lib/test/test_yield_from.py TestPEP380Operation::test_conversion_of_sendNone_to_next
    // At a yield, next() delivers exactly what send(S::default()) delivers.
    let by_next = Log::default();
    let mut g = records_u32s(by_next.clone());
    let via_next = [g.resume(), g.resume(), g.resume(), g.resume()];
    let by_send = Log::default();
    let mut h = records_u32s(by_send.clone());
    let via_send = [
        h.start().ok(),
        h.send(0).ok(),
        h.send(0).ok(),
        h.send(0).ok(),
    ];
    assert_eq!(via_next, via_send);
    assert_eq!(by_next.lines(), by_send.lines());
    assert_eq!(
        via_next,
        [
            Some(GeneratorState::Yielded(0)),
            Some(GeneratorState::Yielded(1)),
            Some(GeneratorState::Yielded(2)),
            Some(GeneratorState::Complete(())),
        ]
    );
    assert_eq!(by_next.lines(), ["received 0", "received 0", "received 0"]);

    // Repeated over a delegation to a plain iterator: next passes through.
    let mut gi = delegates_to_range();
    let mut trace = Vec::new();
    for _ in 0..3 {
        match gi.resume() {
            Some(GeneratorState::Yielded(y)) => trace.push(format!("Yielded: {y}")),
            other => panic!("expected a yield, got {other:?}"),
        }
    }
    assert_eq!(trace, ["Yielded: 0", "Yielded: 1", "Yielded: 2"]);
    assert_eq!(gi.resume(), Some(GeneratorState::Complete(())));

    // Rust difference (DESIGN.md): an *explicit* send to a plain iterator is
    // not converted to next: it is handed back and nothing moves.
    let mut gi = delegates_to_range();
    assert_eq!(gi.resume(), Some(GeneratorState::Yielded(0)));
    let err = gi.send(()).unwrap_err();
    assert_eq!(err.kind(), ResumeErrorKind::Undeliverable);
    assert_eq!(gi.state(), GenState::Suspended);
    assert_eq!(gi.resume(), Some(GeneratorState::Yielded(1)));
}

#[generator(yield = u32, send = u32)]
fn accumulator() {
    let mut count = 0;
    loop {
        count += yield_!(count);
    }
}

#[test]
fn p14_accumulator() {
    // CPython: Lib/test/test_generators.py coroutine_tests doctest
    // ("A yield expression with augmented assignment": 10, 20, 30)
    let mut g = accumulator();
    assert_eq!(g.next(), Some(0));
    assert_eq!(g.send(10), Ok(GeneratorState::Yielded(10)));
    assert_eq!(g.send(10), Ok(GeneratorState::Yielded(20)));
    assert_eq!(g.send(10), Ok(GeneratorState::Yielded(30)));
    assert_eq!(g.state(), GenState::Suspended);
}

// ---------------------------------------------------------------------------
// throw
// ---------------------------------------------------------------------------

#[test]
fn p15_throw_on_fresh_generator_runs_no_code() {
    // CPython: Lib/test/test_generators.py coroutine_tests doctest
    // ("f().throw(ValueError,7)  # throw on just-opened generator")
    let log = Log::default();
    let mut g = catches_everything(log.clone());
    let err = g.throw(value_error("too early")).unwrap_err();
    assert_eq!(err.kind(), ResumeErrorKind::NotStarted);
    assert_eq!(err.into_inner(), value_error("too early"));
    assert!(
        log.lines().is_empty(),
        "nothing in the body could catch it: {:?}",
        log.lines()
    );
    assert_eq!(g.state(), GenState::Closed);
    assert_eq!(g.resume(), None);
    drop(g);
    assert!(log.lines().is_empty());
}

/// Python:
/// ```python
/// while True:
///     try: print((yield))
///     except ValueError as v: print("caught ValueError (%s)" % v)
/// ```
#[generator(yield = u32, send = u32, throw = ValueError)]
fn reports_errors(log: Log) {
    let mut yields = 0;
    loop {
        yields += 1;
        match yield_catch!(yields) {
            Ok(v) => log.push(format!("{v}")),
            Err(Interrupt::Throw(ValueError(msg))) => {
                log.push(format!("caught ValueError ({msg})"));
            }
            Err(Interrupt::Close) => return,
        }
    }
}

#[test]
fn p16_caught_throw_returns_next_yield() {
    // CPython: Lib/test/test_generators.py coroutine_tests doctest
    // ("Now check some throw() conditions": caught ValueError (xyz), then send(1) -> 1)
    let log = Log::default();
    let mut g = reports_errors(log.clone());
    assert_eq!(g.next(), Some(1));
    assert_eq!(g.throw(value_error("")), Ok(GeneratorState::Yielded(2)));
    assert_eq!(g.throw(value_error("xyz")), Ok(GeneratorState::Yielded(3)));
    assert_eq!(g.send(1), Ok(GeneratorState::Yielded(4)));
    assert_eq!(g.send(1), Ok(GeneratorState::Yielded(5)));
    assert_eq!(
        log.lines(),
        ["caught ValueError ()", "caught ValueError (xyz)", "1", "1"]
    );
    assert_eq!(g.state(), GenState::Suspended);
}

/// Python: `try: v = yield 1 except ZeroDivisionError: v = 1000; yield v*2`.
#[generator(yield = u32, send = u32, throw = ZeroDivisionError)]
fn doubles_after_error(log: Log) -> Result<u32, ZeroDivisionError> {
    let v = match yield_catch!(1) {
        Ok(v) => v,
        Err(Interrupt::Throw(ZeroDivisionError)) => {
            log.push("caught");
            1000
        }
        Err(Interrupt::Close) => return Ok(0),
    };
    yield_!(v * 2);
    log.push("end");
    Ok(v)
}

#[test]
fn p17_caught_throw_then_yield_then_complete() {
    // CPython: Lib/test/test_asyncgen.py AsyncGenAsyncioTest::test_async_gen_asyncio_athrow_01 (sync part)
    let log = Log::default();
    let mut g = doubles_after_error(log.clone());
    assert_eq!(g.next(), Some(1));
    assert_eq!(
        g.throw(ZeroDivisionError),
        Ok(GeneratorState::Yielded(2000))
    );
    assert_eq!(log.lines(), ["caught"]);
    assert_eq!(g.resume(), Some(GeneratorState::Complete(Ok(1000))));
    assert_eq!(g.next(), None);
    assert_eq!(log.lines(), ["caught", "end"]);
}

#[generator(yield = u32, send = String, throw = ValueError)]
fn uncaught(log: Log) -> Result<(), ValueError> {
    let _finally = Guard::new(&log, "finally");
    loop {
        let s = yield_!(1);
        log.push(format!("got {s}"));
    }
}

#[test]
fn p18_uncaught_throw_reaches_caller_then_send_reports_closed() {
    // CPython: Lib/test/test_generators.py coroutine_tests doctest
    // ("throw(g,TypeError)  # terminate the generator", then g.send(2) -> StopIteration)
    let log = Log::default();
    let mut g = uncaught(log.clone());
    assert_eq!(g.next(), Some(1));
    assert_eq!(
        g.throw(value_error("1")),
        Ok(GeneratorState::Complete(Err(value_error("1"))))
    );
    assert_eq!(log.lines(), ["finally"]);
    assert_eq!(g.state(), GenState::Closed);
    let err = g.send(String::from("foo")).unwrap_err();
    assert_eq!(err.kind(), ResumeErrorKind::Closed);
    assert_eq!(err.into_inner(), "foo");
    assert_eq!(log.lines(), ["finally"], "no code ran");
}

#[test]
fn p19_throw_on_closed_hands_back_the_exact_value() {
    // CPython: Lib/test/test_generators.py coroutine_tests doctest
    // ("g.throw(ValueError,6)  # throw on closed generator" -> ValueError: 6)
    let log = Log::default();
    let mut g = counts_with_finally(log.clone());
    assert_eq!(g.by_ref().count(), 3);
    let after_exhaustion = log.lines();
    assert_eq!(
        after_exhaustion,
        ["start", "after 1", "after 2", "after 3", "finally"]
    );
    let error = value_error("exact");
    let address = error.0.as_ptr();
    let err = g.throw(error).unwrap_err();
    assert_eq!(err.kind(), ResumeErrorKind::Closed);
    let back = err.into_inner();
    assert_eq!(back, value_error("exact"));
    assert_eq!(back.0.as_ptr(), address, "the very value passed");
    assert_eq!(log.lines(), after_exhaustion, "no code ran");

    // Closed by close() rather than by exhaustion: the same.
    let log = Log::default();
    let mut g = catches_everything(log.clone());
    g.next();
    assert_eq!(g.close(), Ok(Some("handled close")));
    let before = log.lines();
    let err = g.throw(value_error("again")).unwrap_err();
    assert_eq!(err.kind(), ResumeErrorKind::Closed);
    assert_eq!(err.into_inner(), value_error("again"));
    assert_eq!(log.lines(), before);
}

// ---------------------------------------------------------------------------
// close
// ---------------------------------------------------------------------------

/// Python: `try: yield except GeneratorExit: print("exiting")`.
#[generator(yield = ())]
fn logs_exiting(log: Log) {
    match yield_catch!() {
        Ok(()) => log.push("resumed"),
        Err(Interrupt::Close) => log.push("exiting"),
    }
}

#[test]
fn p20_close_runs_handler_second_close_is_noop() {
    // CPython: Lib/test/test_generators.py coroutine_tests doctest
    // ("Now let's try closing a generator": exiting; "g.close()  # should be no-op now")
    let log = Log::default();
    let mut g = logs_exiting(log.clone());
    assert_eq!(g.next(), Some(()));
    // The handler returns Python's None, which is Rust's `()`.
    assert_eq!(g.close(), Ok(Some(())));
    assert_eq!(log.lines(), ["exiting"]);
    assert_eq!(g.state(), GenState::Closed);
    assert_eq!(g.close(), Ok(None));
    assert_eq!(log.lines(), ["exiting"], "a second close runs nothing");
}

/// Python: `yield` (with a `finally`), then `return 0` that close skips.
#[generator(yield = ())]
fn plain_yield(log: Log) -> u32 {
    let _finally = Guard::new(&log, "finally");
    yield_!();
    log.push("after yield");
    0
}

#[test]
fn p21_close_at_plain_yield_returns_no_value() {
    // CPython: Lib/test/test_generators.py GeneratorCloseTest::test_close_no_return_value
    // (and test_close_not_catching_exit: the `return 0` after the yield is not reported)
    let log = Log::default();
    let mut gen_ = plain_yield(log.clone());
    assert_eq!(gen_.resume(), Some(GeneratorState::Yielded(())));
    assert_eq!(gen_.close(), Ok(None));
    assert_eq!(log.lines(), ["finally"]);
    assert_eq!(gen_.state(), GenState::Closed);
    assert_eq!(gen_.resume(), None);
}

/// Python: `try: yield except GeneratorExit: return 0`.
#[generator(yield = ())]
fn returns_zero_on_close(log: Log) -> u32 {
    match yield_catch!() {
        Ok(()) => {
            log.push("resumed");
            1
        }
        Err(Interrupt::Close) => {
            log.push("caught close");
            0
        }
    }
}

#[test]
fn p22_close_returns_handler_value() {
    // CPython: Lib/test/test_generators.py GeneratorCloseTest::test_close_return_value
    let log = Log::default();
    let mut gen_ = returns_zero_on_close(log.clone());
    assert_eq!(gen_.resume(), Some(GeneratorState::Yielded(())));
    assert_eq!(gen_.close(), Ok(Some(0)));
    assert_eq!(log.lines(), ["caught close"]);
    // test_close_closed: a second close gives no value.
    assert_eq!(gen_.close(), Ok(None));
    assert_eq!(log.lines(), ["caught close"]);
}

#[test]
fn p23_close_unstarted_or_exhausted_runs_no_handler() {
    // CPython: Lib/test/test_generators.py GeneratorCloseTest::test_close_not_started
    let log = Log::default();
    let mut gen_ = returns_zero_on_close(log.clone());
    assert_eq!(gen_.close(), Ok(None));
    assert!(log.lines().is_empty());
    assert_eq!(gen_.state(), GenState::Closed);

    // CPython: Lib/test/test_generators.py GeneratorCloseTest::test_close_exhausted
    let log = Log::default();
    let mut gen_ = returns_zero_on_close(log.clone());
    assert_eq!(gen_.resume(), Some(GeneratorState::Yielded(())));
    assert_eq!(gen_.resume(), Some(GeneratorState::Complete(1)));
    assert_eq!(gen_.close(), Ok(None));
    assert_eq!(log.lines(), ["resumed"], "the close handler did not run");
}

#[derive(Debug, PartialEq)]
struct CleanupFailed;

#[derive(Clone, Copy)]
enum HandlerFails {
    ByReturningErr,
    ByPanicking,
}

/// Python: `try: yield except GeneratorExit: pass; raise RuntimeError`.
#[generator(yield = ())]
fn close_handler_fails(log: Log, how: HandlerFails) -> Result<u32, CleanupFailed> {
    let _finally = Guard::new(&log, "finally");
    match yield_catch!() {
        Ok(()) => Ok(1),
        Err(Interrupt::Close) => {
            log.push("handler");
            match how {
                HandlerFails::ByReturningErr => Err(CleanupFailed),
                HandlerFails::ByPanicking => panic!("close handler panicked"),
            }
        }
    }
}

#[test]
fn p24_failing_close_handler_is_reported() {
    // CPython: Lib/test/test_generators.py GeneratorCloseTest::test_close_raises and
    // coroutine_tests doctest ("And errors thrown during closing should propagate")
    let log = Log::default();
    let mut gen_ = close_handler_fails(log.clone(), HandlerFails::ByReturningErr);
    assert_eq!(gen_.resume(), Some(GeneratorState::Yielded(())));
    assert_eq!(gen_.close(), Ok(Some(Err(CleanupFailed))));
    assert_eq!(log.lines(), ["handler", "finally"]);
    assert_eq!(gen_.state(), GenState::Closed);

    // A handler that panics: the panic reaches the caller of close.
    let log = Log::default();
    let mut gen_ = close_handler_fails(log.clone(), HandlerFails::ByPanicking);
    assert_eq!(gen_.resume(), Some(GeneratorState::Yielded(())));
    let payload = catch_unwind(AssertUnwindSafe(|| gen_.close()))
        .expect_err("the handler's panic reaches the caller of close");
    assert_eq!(panic_message(&*payload), "close handler panicked");
    assert_eq!(gen_.state(), GenState::Closed);
    assert_eq!(gen_.resume(), None);
    assert_eq!(gen_.close(), Ok(None));
    drop(gen_);
    assert_eq!(log.lines(), ["handler", "finally"]);
}

/// A body with ordinary error handling around plain yields.
#[generator(yield = u32)]
fn handles_errors(log: Log) {
    let _finally = Guard::new(&log, "finally");
    let steps: [Result<u32, &str>; 4] = [Ok(1), Err("bad input"), Ok(2), Ok(3)];
    for step in steps {
        let _iteration = Guard::new(&log, "iteration cleanup");
        match step {
            Ok(v) => {
                yield_!(v);
                log.push(format!("after {v}"));
            }
            Err(e) => log.push(format!("handled {e}")),
        }
    }
    log.push("after loop");
}

#[test]
fn p25_error_handling_does_not_swallow_close() {
    // CPython: Lib/test/test_generators.py coroutine_tests doctest
    // ("GeneratorExit is not caught by except Exception": only `finally` runs)
    let prefix = [
        "after 1",
        "iteration cleanup",
        "handled bad input",
        "iteration cleanup",
    ];

    let log = Log::default();
    let mut g = handles_errors(log.clone());
    assert_eq!(g.next(), Some(1));
    assert_eq!(g.next(), Some(2));
    assert_eq!(log.lines(), prefix);
    assert_eq!(g.close(), Ok(None));
    let mut expected = prefix.to_vec();
    expected.extend(["iteration cleanup", "finally"]);
    assert_eq!(log.lines(), expected);

    // Dropping instead of closing: the same cleanup, nothing else.
    let log = Log::default();
    let mut g = handles_errors(log.clone());
    assert_eq!(g.next(), Some(1));
    assert_eq!(g.next(), Some(2));
    drop(g);
    assert_eq!(log.lines(), expected);
}

// ---------------------------------------------------------------------------
// yield from
// ---------------------------------------------------------------------------

#[generator(yield = u32)]
fn p26_g1(log: Log) {
    log.push("Starting g1");
    yield_from!(p26_g2(log.clone()));
    log.push("Finishing g1");
}

#[generator(yield = u32)]
fn p26_g1_by_ref(log: Log) {
    log.push("Starting g1");
    let mut g2 = p26_g2(log.clone());
    yield_from!(&mut g2);
    log.push("Finishing g1");
}

#[generator(yield = u32)]
fn p26_g2(log: Log) {
    log.push("Starting g2");
    yield_!(42);
    log.push("Finishing g2");
}

#[test]
fn p26_delegation_trace_initial_next() {
    // CPython: Lib/test/test_yield_from.py TestPEP380Operation::test_delegation_of_initial_next_to_subgenerator
    let expected = [
        "Starting g1",
        "Starting g2",
        "Yielded 42",
        "Finishing g2",
        "Finishing g1",
    ];

    let log = Log::default();
    for x in p26_g1(log.clone()) {
        log.push(format!("Yielded {x}"));
    }
    assert_eq!(
        log.lines(),
        expected,
        "flat delegation to a fresh generator"
    );

    let log = Log::default();
    for x in p26_g1_by_ref(log.clone()) {
        log.push(format!("Yielded {x}"));
    }
    assert_eq!(log.lines(), expected, "delegation to `&mut generator`");
}

#[generator(yield = &'static str, send = u32)]
fn p27_g1(log: Log, by_ref: bool) {
    log.push("Starting g1");
    let x = yield_!("g1 ham");
    log.push(format!("g1 received {x}"));
    if by_ref {
        let mut g2 = p27_g2(log.clone());
        yield_from!(&mut g2);
    } else {
        yield_from!(p27_g2(log.clone()));
    }
    let x = yield_!("g1 eggs");
    log.push(format!("g1 received {x}"));
    log.push("Finishing g1");
}

#[generator(yield = &'static str, send = u32)]
fn p27_g2(log: Log) {
    log.push("Starting g2");
    let x = yield_!("g2 spam");
    log.push(format!("g2 received {x}"));
    let x = yield_!("g2 more spam");
    log.push(format!("g2 received {x}"));
    log.push("Finishing g2");
}

#[test]
fn p27_send_during_delegation_reaches_delegate() {
    // CPython: Lib/test/test_yield_from.py TestPEP380Operation::test_delegation_of_send
    for by_ref in [false, true] {
        let log = Log::default();
        let mut g = p27_g1(log.clone(), by_ref);
        assert_eq!(g.next(), Some("g1 ham"));
        let mut x = 1;
        loop {
            match g.send(x) {
                Ok(GeneratorState::Yielded(y)) => {
                    log.push(format!("Yielded {y}"));
                    x += 1;
                }
                Ok(GeneratorState::Complete(())) => break,
                Err(e) => panic!("send refused: {e}"),
            }
        }
        assert_eq!(
            log.lines(),
            [
                "Starting g1",
                "g1 received 1",
                "Starting g2",
                "Yielded g2 spam",
                "g2 received 2",
                "Yielded g2 more spam",
                "g2 received 3",
                "Finishing g2",
                "Yielded g1 eggs",
                "g1 received 4",
                "Finishing g1",
            ],
            "by_ref = {by_ref}"
        );
    }
}

/// Drives `g` with `next` until it completes, logging what it yields, and
/// returns the return value.
fn run_to_completion<G>(log: &Log, g: &mut G) -> G::Return
where
    G: Generator<Yield = &'static str, Send = ()> + Unpin,
{
    loop {
        match Pin::new(&mut *g).resume() {
            Some(GeneratorState::Yielded(x)) => log.push(format!("Yielded {x}")),
            Some(GeneratorState::Complete(r)) => return r,
            None => panic!("the generator closed without reporting its return value"),
        }
    }
}

fn spanish_inquisition() -> Result<(), ValueError> {
    Err(value_error("spanish inquisition occurred"))
}

#[generator(yield = &'static str)]
fn p28_initial_g1(log: Log) -> Result<(), ValueError> {
    let _finally = Guard::new(&log, "Finishing g1");
    log.push("Starting g1");
    yield_from!(p28_initial_g2(log.clone()))?;
    log.push("g1 should not be here");
    Ok(())
}

#[generator(yield = &'static str)]
fn p28_initial_g2(log: Log) -> Result<(), ValueError> {
    let _finally = Guard::new(&log, "Finishing g2");
    log.push("Starting g2");
    spanish_inquisition()?;
    yield_!("g2 should not be here");
    Ok(())
}

#[test]
fn p28_delegate_fails_on_first_next() {
    // CPython: Lib/test/test_yield_from.py TestPEP380Operation::test_raising_exception_in_initial_next_call
    let log = Log::default();
    let mut g = p28_initial_g1(log.clone());
    let result = run_to_completion(&log, &mut g);
    assert_eq!(result, Err(value_error("spanish inquisition occurred")));
    assert_eq!(
        log.lines(),
        ["Starting g1", "Starting g2", "Finishing g2", "Finishing g1"]
    );
    assert_eq!(g.resume(), None);
}

fn hovercraft() -> Result<(), ValueError> {
    Err(value_error("hovercraft is full of eels"))
}

#[generator(yield = &'static str)]
fn p28_later_g1(log: Log, by_ref: bool) -> Result<(), ValueError> {
    let _finally = Guard::new(&log, "Finishing g1");
    log.push("Starting g1");
    yield_!("g1 ham");
    if by_ref {
        let mut g2 = p28_later_g2(log.clone());
        yield_from!(&mut g2).expect("g2 had not finished")?;
    } else {
        yield_from!(p28_later_g2(log.clone()))?;
    }
    yield_!("g1 eggs");
    Ok(())
}

#[generator(yield = &'static str)]
fn p28_later_g2(log: Log) -> Result<(), ValueError> {
    let _finally = Guard::new(&log, "Finishing g2");
    log.push("Starting g2");
    yield_!("g2 spam");
    hovercraft()?;
    yield_!("g2 more spam");
    Ok(())
}

#[test]
fn p28_delegate_fails_on_later_next() {
    // CPython: Lib/test/test_yield_from.py TestPEP380Operation::test_raising_exception_in_delegated_next_call
    for by_ref in [false, true] {
        let log = Log::default();
        let mut g = p28_later_g1(log.clone(), by_ref);
        let result = run_to_completion(&log, &mut g);
        assert_eq!(result, Err(value_error("hovercraft is full of eels")));
        assert_eq!(
            log.lines(),
            [
                "Starting g1",
                "Yielded g1 ham",
                "Starting g2",
                "Yielded g2 spam",
                "Finishing g2",
                "Finishing g1",
            ],
            "by_ref = {by_ref}"
        );
        assert_eq!(g.resume(), None);
    }
}

#[generator(yield = &'static str, send = u32)]
fn p28_send_g1(log: Log) -> Result<(), ValueError> {
    let _finally = Guard::new(&log, "g1 cleanup");
    log.push("Starting g1");
    let x = yield_!("g1 ham");
    log.push(format!("g1 received {x}"));
    yield_from!(p28_send_g2(log.clone()))?;
    let x = yield_!("g1 eggs");
    log.push(format!("g1 received {x}"));
    log.push("Finishing g1");
    Ok(())
}

#[generator(yield = &'static str, send = u32)]
fn p28_send_g2(log: Log) -> Result<(), ValueError> {
    let _finally = Guard::new(&log, "g2 cleanup");
    log.push("Starting g2");
    let x = yield_!("g2 spam");
    log.push(format!("g2 received {x}"));
    hovercraft()?;
    let x = yield_!("g2 more spam");
    log.push(format!("g2 received {x}"));
    log.push("Finishing g2");
    Ok(())
}

#[test]
fn p28_delegate_fails_after_send() {
    // CPython: Lib/test/test_yield_from.py TestPEP380Operation::test_handling_exception_while_delegating_send
    let log = Log::default();
    let mut g = p28_send_g1(log.clone());
    assert_eq!(g.next(), Some("g1 ham"));
    let mut x = 1;
    let failure = loop {
        match g.send(x) {
            Ok(GeneratorState::Yielded(y)) => {
                log.push(format!("Yielded {y}"));
                x += 1;
            }
            Ok(GeneratorState::Complete(r)) => break r,
            Err(e) => panic!("send refused: {e}"),
        }
    };
    assert_eq!(failure, Err(value_error("hovercraft is full of eels")));
    assert_eq!(
        log.lines(),
        [
            "Starting g1",
            "g1 received 1",
            "Starting g2",
            "Yielded g2 spam",
            "g2 received 2",
            "g2 cleanup",
            "g1 cleanup",
        ]
    );
    assert_eq!(g.send(99).unwrap_err().kind(), ResumeErrorKind::Closed);
}

/// g1 catches g2's failure at the `yield_from!` instead of propagating it.
#[generator(yield = &'static str)]
fn p28_handling_g1(log: Log) -> &'static str {
    let _finally = Guard::new(&log, "Finishing g1");
    log.push("Starting g1");
    match yield_from!(p28_later_g2(log.clone())) {
        Ok(()) => log.push("g2 succeeded"),
        Err(ValueError(msg)) => log.push(format!("g1 caught {msg}")),
    }
    yield_!("g1 eggs");
    "g1 done"
}

#[test]
fn p28_delegate_failure_reaches_delegator_at_yield_from() {
    // CPython: Lib/test/test_yield_from.py TestPEP380Operation::test_raising_exception_in_delegated_next_call
    // (with g1 catching instead of propagating)
    let log = Log::default();
    let mut g = p28_handling_g1(log.clone());
    assert_eq!(run_to_completion(&log, &mut g), "g1 done");
    assert_eq!(
        log.lines(),
        [
            "Starting g1",
            "Starting g2",
            "Yielded g2 spam",
            "Finishing g2",
            "g1 caught hovercraft is full of eels",
            "Yielded g1 eggs",
            "Finishing g1",
        ]
    );
}

#[generator(yield = &'static str)]
fn p28_panicking_g1(log: Log, zero: u32) {
    let _finally = Guard::new(&log, "Finishing g1");
    log.push("Starting g1");
    yield_from!(p28_panicking_g2(log.clone(), zero));
    log.push("g1 should not be here");
}

#[generator(yield = &'static str)]
fn p28_panicking_g2(log: Log, zero: u32) {
    let _finally = Guard::new(&log, "Finishing g2");
    log.push("Starting g2");
    yield_!("g2 spam");
    log.push(format!("{}", panicking_div(1, zero)));
    yield_!("g2 more spam");
}

#[test]
fn p28_delegate_panics_on_later_next() {
    // CPython: Lib/test/test_yield_from.py TestPEP380Operation::test_raising_exception_in_delegated_next_call
    // (the failure as a panic: it unwinds out of the caller, g2's cleanup first)
    let log = Log::default();
    let mut g = p28_panicking_g1(log.clone(), 0);
    assert_eq!(g.next(), Some("g2 spam"));
    assert!(catch_unwind(AssertUnwindSafe(|| g.next())).is_err());
    assert_eq!(g.state(), GenState::Closed);
    assert_eq!(g.next(), None);
    drop(g);
    assert_eq!(
        log.lines(),
        ["Starting g1", "Starting g2", "Finishing g2", "Finishing g1"]
    );
}

#[generator(yield = &'static str, throw = ValueError)]
fn p29_g1(log: Log, by_ref: bool) -> Result<(), ValueError> {
    let _finally = Guard::new(&log, "Finishing g1");
    log.push("Starting g1");
    yield_!("g1 ham");
    if by_ref {
        let mut g2 = p29_g2(log.clone());
        yield_from!(&mut g2).expect("g2 had not finished")?;
    } else {
        yield_from!(p29_g2(log.clone()))?;
    }
    yield_!("g1 eggs");
    Ok(())
}

#[generator(yield = &'static str, throw = ValueError)]
fn p29_g2(log: Log) -> Result<(), ValueError> {
    let _finally = Guard::new(&log, "Finishing g2");
    log.push("Starting g2");
    yield_!("g2 spam");
    yield_!("g2 more spam");
    Ok(())
}

#[test]
fn p29_throw_during_delegation_uncaught() {
    // CPython: Lib/test/test_yield_from.py TestPEP380Operation::test_delegating_throw
    for by_ref in [false, true] {
        let log = Log::default();
        let mut g = p29_g1(log.clone(), by_ref);
        for _ in 0..2 {
            let x = g.next().expect("a yield");
            log.push(format!("Yielded {x}"));
        }
        assert_eq!(
            g.throw(value_error("tomato ejected")),
            Ok(GeneratorState::Complete(Err(value_error("tomato ejected"))))
        );
        assert_eq!(
            log.lines(),
            [
                "Starting g1",
                "Yielded g1 ham",
                "Starting g2",
                "Yielded g2 spam",
                "Finishing g2",
                "Finishing g1",
            ],
            "by_ref = {by_ref}"
        );
        assert_eq!(g.state(), GenState::Closed);
    }
}

#[generator(yield = &'static str)]
fn p30_g1(log: Log, by_ref: bool) {
    let _finally = Guard::new(&log, "Finishing g1");
    log.push("Starting g1");
    yield_!("g1 ham");
    if by_ref {
        let mut g2 = p30_g2(log.clone());
        yield_from!(&mut g2);
    } else {
        yield_from!(p30_g2(log.clone()));
    }
    yield_!("g1 eggs");
}

#[generator(yield = &'static str)]
fn p30_g2(log: Log) {
    let _finally = Guard::new(&log, "Finishing g2");
    log.push("Starting g2");
    yield_!("g2 spam");
    yield_!("g2 more spam");
}

#[generator(yield = u32)]
fn p30_iter_g(log: Log) {
    let _finally = Guard::new(&log, "finishing g");
    log.push("starting g");
    yield_from!(0..3);
    log.push("g should not be here");
}

#[test]
fn p30_close_during_delegation_innermost_first() {
    // CPython: Lib/test/test_yield_from.py TestPEP380Operation::test_delegating_close
    for by_ref in [false, true] {
        let log = Log::default();
        let mut g = p30_g1(log.clone(), by_ref);
        for _ in 0..2 {
            let x = g.next().expect("a yield");
            log.push(format!("Yielded {x}"));
        }
        assert_eq!(g.close(), Ok(None));
        assert_eq!(
            log.lines(),
            [
                "Starting g1",
                "Yielded g1 ham",
                "Starting g2",
                "Yielded g2 spam",
                "Finishing g2",
                "Finishing g1",
            ],
            "by_ref = {by_ref}"
        );
        assert_eq!(g.state(), GenState::Closed);
    }

    // CPython: Lib/test/test_yield_from.py TestPEP380Operation::test_delegation_of_close_to_non_generator
    let log = Log::default();
    let mut gi = p30_iter_g(log.clone());
    assert_eq!(gi.next(), Some(0));
    assert_eq!(gi.close(), Ok(None));
    assert_eq!(log.lines(), ["starting g", "finishing g"]);
}

#[test]
fn p31_after_close_or_uncaught_throw_next_is_exhausted() {
    // CPython: Lib/test/test_yield_from.py TestPEP380Operation::test_delegating_close /
    // test_delegating_throw, followed by next(g) -> StopIteration
    let log = Log::default();
    let mut g = p29_g1(log.clone(), false);
    g.next();
    g.next();
    assert_eq!(g.close(), Ok(None));
    let after_close = log.lines();
    assert_eq!(
        after_close,
        ["Starting g1", "Starting g2", "Finishing g2", "Finishing g1"]
    );
    assert_eq!(g.next(), None);
    assert_eq!(g.resume(), None);
    assert_eq!(log.lines(), after_close);

    let log = Log::default();
    let mut g = p29_g1(log.clone(), false);
    g.next();
    g.next();
    assert!(matches!(
        g.throw(value_error("uncaught")),
        Ok(GeneratorState::Complete(Err(_)))
    ));
    let after_throw = log.lines();
    assert_eq!(g.next(), None);
    assert_eq!(g.resume(), None);
    assert_eq!(log.lines(), after_throw);
}

#[generator(yield = u32)]
fn returns_done(log: Log) -> &'static str {
    log.push("delegate runs");
    yield_!(1);
    "done"
}

#[generator(yield = u32)]
fn p32_delegator(log: Log) -> ((), Option<&'static str>) {
    let mut finished = returns_done(log.clone());
    while finished.next().is_some() {}
    log.push("delegating");
    let values = (
        yield_from!(std::iter::empty::<u32>()),
        yield_from!(&mut finished),
    );
    log.push("after delegation");
    values
}

#[test]
fn p32_delegating_to_empty_or_exhausted_yields_nothing() {
    // CPython: Lib/test/test_yield_from.py TestPEP380Operation::test_yield_from_empty
    let log = Log::default();
    let mut g = p32_delegator(log.clone());
    assert_eq!(g.resume(), Some(GeneratorState::Complete(((), None))));
    assert_eq!(
        log.lines(),
        ["delegate runs", "delegating", "after delegation"]
    );

    let log = Log::default();
    assert_eq!(p32_delegator(log.clone()).count(), 0);
}

/// Python's `MyIter` whose `__next__` raises `StopIteration(42)`: a
/// hand-written generator that completes at once with 42.
struct ReturnsAtOnce {
    state: GenState,
}

impl Generator for ReturnsAtOnce {
    type Yield = u32;
    type Send = ();
    type Throw = NoThrow;
    type Return = u32;

    fn state(&self) -> GenState {
        self.state
    }

    fn start(mut self: Pin<&mut Self>) -> Result<GeneratorState<u32, u32>, ResumeError<()>> {
        assert_eq!(self.state, GenState::Created, "started once");
        self.state = GenState::Closed;
        Ok(GeneratorState::Complete(42))
    }

    fn send(self: Pin<&mut Self>, (): ()) -> Result<GeneratorState<u32, u32>, ResumeError<()>> {
        unreachable!("a generator that completed at start is never sent to")
    }

    fn throw(
        self: Pin<&mut Self>,
        never: NoThrow,
    ) -> Result<GeneratorState<u32, u32>, ResumeError<NoThrow>> {
        match never {}
    }

    fn close(mut self: Pin<&mut Self>) -> Result<Option<u32>, CloseError<u32>> {
        self.state = GenState::Closed;
        Ok(None)
    }
}

#[generator(yield = u32)]
fn p33_custom(log: Log) {
    let ret = yield_from!(ReturnsAtOnce {
        state: GenState::Created
    });
    log.push(format!("ret = {ret:?}"));
}

#[generator(yield = u32)]
fn p33_fresh(log: Log) {
    let ret = yield_from!(returns_done(log.clone()));
    log.push(format!("ret = {ret}"));
    let mut by_ref = returns_done(log.clone());
    let ret = yield_from!(&mut by_ref);
    log.push(format!("ret = {ret:?}"));
}

#[test]
fn p33_delegate_return_value_is_value_of_yield_from() {
    // CPython: Lib/test/test_yield_from.py TestPEP380Operation::test_custom_iterator_return
    let log = Log::default();
    assert_eq!(p33_custom(log.clone()).count(), 0);
    assert_eq!(log.lines(), ["ret = Some(42)"]);

    // CPython: Lib/test/test_yield_from.py TestPEP380Operation::test_generator_return_value
    let log = Log::default();
    let items: Vec<u32> = p33_fresh(log.clone()).collect();
    assert_eq!(items, [1, 1]);
    assert_eq!(
        log.lines(),
        [
            "delegate runs",
            "ret = done",
            "delegate runs",
            "ret = Some(\"done\")"
        ]
    );
}

// ---------------------------------------------------------------------------
// Finalization
// ---------------------------------------------------------------------------

/// Python: `try: yield finally: print("exiting")`, with both ways a Rust body
/// can run cleanup: a destructor and a `yield_catch!` handler.
#[generator(yield = u32)]
fn finalized(log: Log) -> &'static str {
    let _finally = Guard::new(&log, "exiting (destructor)");
    match yield_catch!(1) {
        Ok(()) => {
            log.push("resumed");
            "resumed"
        }
        Err(Interrupt::Close) => {
            log.push("exiting (handler)");
            "closed"
        }
    }
}

#[generator(yield = u32)]
fn finalized_delegator(log: Log) {
    let _finally = Guard::new(&log, "outer exiting");
    yield_from!(finalized(log.clone()));
    log.push("outer resumed");
}

#[test]
fn p34_dropping_suspended_generator_runs_cleanup_once() {
    // CPython: Lib/test/test_generators.py coroutine_tests doctest ("And finalization")
    let log = Log::default();
    let mut g = finalized(log.clone());
    assert_eq!(g.next(), Some(1));
    assert!(log.lines().is_empty());
    drop(g);
    assert_eq!(log.lines(), ["exiting (handler)", "exiting (destructor)"]);

    // Closed first, then dropped: the cleanup does not run a second time.
    let log = Log::default();
    let mut g = finalized(log.clone());
    assert_eq!(g.next(), Some(1));
    assert_eq!(g.close(), Ok(Some("closed")));
    drop(g);
    assert_eq!(log.count("exiting (handler)"), 1);
    assert_eq!(log.count("exiting (destructor)"), 1);

    // Dropped while delegating: innermost cleanup first, each once.
    let log = Log::default();
    let mut g = finalized_delegator(log.clone());
    assert_eq!(g.next(), Some(1));
    drop(g);
    assert_eq!(
        log.lines(),
        ["exiting (handler)", "exiting (destructor)", "outer exiting"]
    );
}

#[test]
fn p35_dropping_unstarted_generator_runs_no_body_code() {
    // CPython: Lib/test/test_generators.py coroutine_tests doctest
    // ("f().close()  # close on just-opened generator should be fine"; as with
    // "And finalization", a generator that never started has no `finally` to run)
    let log = Log::default();
    let g = finalized(log.clone());
    drop(g);
    assert!(log.lines().is_empty(), "{:?}", log.lines());

    let log = Log::default();
    drop(finalized_delegator(log.clone()));
    assert!(log.lines().is_empty(), "{:?}", log.lines());
}

// ---------------------------------------------------------------------------
// Idioms of a port, beyond python-semantics.md: `@coroutine` and
// `send(None)` into a fresh generator (README, "Python → pygen").
// ---------------------------------------------------------------------------

/// Beazley's `grep` coroutine (A Curious Course on Coroutines, `grep.py`):
/// prints the lines it is sent that contain `pattern`.
#[generator(yield = (), send = String, primed)]
fn grep(log: Log, pattern: &'static str) {
    log.push(format!("Looking for {pattern}"));
    loop {
        let line = yield_!(());
        if line.contains(pattern) {
            log.push(line);
        }
    }
}

/// The same coroutine without `primed`, as a plain generator.
#[generator(yield = &'static str, send = String)]
fn unprimed_grep(log: Log, pattern: &'static str) {
    log.push(format!("Looking for {pattern}"));
    loop {
        let line = yield_!("ready");
        if line.contains(pattern) {
            log.push(line);
        }
    }
}

#[test]
fn coroutine_decorator_is_primed() {
    // Python: `@coroutine` calls `next(g)` once, so `g.send(line)` works at
    // once; the value of that first yield is dropped.
    let log = Log::default();
    let mut g = grep(log.clone(), "python");
    assert_eq!(g.state(), GenState::Suspended);
    assert_eq!(log.lines(), ["Looking for python"]);
    assert_eq!(
        g.send("Yeah, but no, but yeah, but no".into()),
        Ok(GeneratorState::Yielded(()))
    );
    assert_eq!(
        g.send("python generators rock!".into()),
        Ok(GeneratorState::Yielded(()))
    );
    assert_eq!(g.close(), Ok(None));
    assert_eq!(
        log.lines(),
        ["Looking for python", "python generators rock!"]
    );

    // `.primed()` on a plain generator is the same; on a started one it is
    // nothing.
    let log = Log::default();
    let mut g = unprimed_grep(log.clone(), "rust").primed();
    assert_eq!(g.state(), GenState::Suspended);
    assert_eq!(g.send("rust".into()), Ok(GeneratorState::Yielded("ready")));
    let mut g = g.primed();
    assert_eq!(g.send("no".into()), Ok(GeneratorState::Yielded("ready")));
    assert_eq!(log.lines(), ["Looking for rust", "rust"]);
}

#[test]
fn send_none_into_a_fresh_generator_is_resume() {
    // Python: `g.send(None)` on a just-created generator starts it; any other
    // value is a TypeError. pygen: `resume()` (or `start()`) starts it, and
    // `send(v)` refuses with the value inside the error.
    let log = Log::default();
    let mut g = unprimed_grep(log.clone(), "x");
    let refused = g.send("x".into()).unwrap_err();
    assert_eq!(refused.kind(), ResumeErrorKind::NotStarted);
    assert_eq!(refused.into_inner(), "x");
    assert_eq!(g.state(), GenState::Created);
    assert!(log.lines().is_empty());
    assert_eq!(g.resume(), Some(GeneratorState::Yielded("ready")));
    assert_eq!(g.send("x".into()), Ok(GeneratorState::Yielded("ready")));
    assert_eq!(log.lines(), ["Looking for x", "x"]);
}
