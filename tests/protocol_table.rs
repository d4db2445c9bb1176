//! Every cell of the protocol table in DESIGN.md — rows `next` /
//! `Iterator::next`, `start`, `send`, `throw`, `close`, `state`; columns
//! Created, Suspended, Closed — for both forms of a generator:
//!
//! - `movable::*`: the default [`Gen`](pygen::Gen), methods on `&mut self`;
//! - `pinned::*`: `core::pin::pin!(gen_fn().into_pinned())`, methods on
//!   `Pin<&mut PinnedGen>` (`g.as_mut().send(3)`);
//! - `boxed::*`: `gen_fn().boxed()`, the type-erased [`BoxGen`](pygen::BoxGen)
//!   (what `#[generator(boxed)]` returns), whose body always takes a close
//!   through a resume;
//! - `inline::*`: the same generators written in the inline form,
//!   `generate!(#[generator(..)] move || -> R { .. })` (`sync_fixtures!`
//!   writes each test generator both ways).
//!
//! Each test body is written once inside [`both_forms!`] and compiled for
//! each form. In the pinned form `g` is a thin [`Pinned`] wrapper whose
//! methods are exactly `self.0.as_mut().<method>(..)`, so the same source
//! line drives `PinnedGen`'s own `Pin<&mut Self>` API.
//!
//! Besides the table: the return value is reported once, refused values come
//! back inside the error, an ignored close hands back what was yielded, a
//! panic leaves the generator closed, drop closes a suspended generator once,
//! and the errors print readable messages.
//!
//! Every body logs what it runs into a shared [`Log`]; tests assert the exact
//! log so "nothing ran" and "ran exactly this" are both checked.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::{Pin, pin};

use pygen::{
    Body, CloseError, GenState, GeneratorState, Interrupt, PinnedGen, ResumeError, ResumeErrorKind,
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

/// The throw type of the test generators.
#[derive(Debug, Clone, PartialEq)]
struct Fault(String);

fn fault(msg: &str) -> Fault {
    Fault(msg.to_string())
}

/// The pinned form, driven through `Pin<&mut PinnedGen>`: every method is
/// `self.0.as_mut().<same method>(..)`, so a test body written for `Gen`
/// (`g.send(3)`) drives the pinned API when `g` is one of these.
struct Pinned<'a, F: Body, Y, S, E>(Pin<&'a mut PinnedGen<F, Y, S, E>>);

type Resumed<Y, R, T> = Result<GeneratorState<Y, R>, ResumeError<T>>;

impl<F: Body, Y, S, E> Pinned<'_, F, Y, S, E> {
    fn state(&self) -> GenState {
        self.0.state()
    }

    fn start(&mut self) -> Resumed<Y, F::Output, ()> {
        self.0.as_mut().start()
    }

    fn resume(&mut self) -> Option<GeneratorState<Y, F::Output>>
    where
        S: Default,
    {
        self.0.as_mut().resume()
    }

    fn send(&mut self, value: S) -> Resumed<Y, F::Output, S> {
        self.0.as_mut().send(value)
    }

    fn throw(&mut self, error: E) -> Resumed<Y, F::Output, E> {
        self.0.as_mut().throw(error)
    }

    fn close(&mut self) -> Result<Option<F::Output>, CloseError<Y>> {
        self.0.as_mut().close()
    }
}

/// `Iterator::next` of the pinned form is its `iter()`'s.
impl<F: Body, Y, S: Default, E> Iterator for Pinned<'_, F, Y, S, E> {
    type Item = Y;

    fn next(&mut self) -> Option<Y> {
        self.0.as_mut().iter().next()
    }
}

/// Runs a test's body as it is.
macro_rules! directly {
    ($body:block) => {
        $body
    };
}

/// Writes each test once and compiles it for every form. Inside a body,
/// `fresh!(g = generator_fn(..))` declares `g`: the `Gen` itself in
/// `movable`, a [`Pinned`] over `pin!(generator_fn(..).into_pinned())` in
/// `pinned` (the pinned generator lives until the end of the enclosing block,
/// so `{ fresh!(g = ..); .. }` drops it at the `}`), `generator_fn(..).boxed()`
/// in `boxed` (see `support/forms.rs`).
macro_rules! both_forms {
    ($($tests:tt)*) => {
        in_form!(movable, directly, fresh_movable, $($tests)*);
        in_form!(pinned, directly, fresh_pinned, $($tests)*);
        in_form!(boxed, directly, fresh_boxed, $($tests)*);
        in_form!(inline, directly, fresh_movable, fixtures = inline_fixtures, $($tests)*);
    };
}

/// The ways a generator becomes Closed (DESIGN.md: "returned, closed, or
/// panicked"; a thrown error that is not caught completes it too).
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

/// Brings a fresh [`probe`] to Closed in the given way.
macro_rules! close_by {
    ($g:ident, $how:expr) => {
        assert_eq!($g.start(), Ok(GeneratorState::Yielded(1)));
        match $how {
            Closing::Returned => {
                assert_eq!($g.resume(), Some(GeneratorState::Yielded(2)));
                assert_eq!($g.resume(), Some(GeneratorState::Yielded(3)));
                assert!(matches!($g.resume(), Some(GeneratorState::Complete(Ok(_)))));
            }
            Closing::Closed => assert_eq!($g.close(), Ok(None)),
            Closing::Thrown => assert_eq!(
                $g.throw(fault("fatal")),
                Ok(GeneratorState::Complete(Err(fault("fatal"))))
            ),
            Closing::Panicked => {
                let outcome = catch_unwind(AssertUnwindSafe(|| $g.send(String::from("panic"))));
                assert!(outcome.is_err(), "the body's panic reaches the caller");
            }
        }
        assert_eq!($g.state(), GenState::Closed, "closed by {:?}", $how);
    };
}

/// What [`catcher`] does when it catches a close.
#[derive(Debug, Clone, Copy)]
enum OnClose {
    Return,
    YieldAgain,
    Fail,
    Panic,
}

sync_fixtures! {
    types(u32, String, Fault);

    /// Yields 1, 2, 3 at plain `yield_!`s, logging what it is sent; panics when
    /// sent "panic"; returns what it received joined by '|'.
    fn probe(log: Log) -> Result<String, Fault> {
        let _cleanup = Guard::new(&log, "cleanup");
        log.push("start");
        let mut received = Vec::new();
        for i in 1..=3 {
            let s = yield_!(i);
            log.push(format!("got {s:?}"));
            if s == "panic" {
                panic!("probe was asked to panic");
            }
            received.push(s);
        }
        log.push("end");
        Ok(received.join("|"))
    }

    /// Suspends at `yield_catch!`, so it sees sends, throws and closes itself.
    /// Yields 1 and counts up: +1 per value received, +100 per error caught.
    fn catcher(log: Log, on_close: OnClose) -> Result<String, Fault> {
        let _cleanup = Guard::new(&log, "cleanup");
        log.push("start");
        let mut n = 1;
        loop {
            match yield_catch!(n) {
                Ok(s) => {
                    log.push(format!("got {s:?}"));
                    n += 1;
                }
                Err(Interrupt::Throw(f)) => {
                    log.push(format!("caught {}", f.0));
                    n += 100;
                }
                Err(Interrupt::Close) => {
                    log.push("caught close");
                    match on_close {
                        OnClose::Return => return Ok(format!("closed at {n}")),
                        OnClose::YieldAgain => {
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

    /// Delegates to a plain iterator between two logged lines.
    fn via_iterator(log: Log) -> Result<(), Fault> {
        let _cleanup = Guard::new(&log, "cleanup");
        log.push("start");
        yield_from!(vec![1, 2, 3]);
        log.push("after delegation");
        Ok(())
    }

    /// Delegates to a fresh generator (flat) or to `&mut` one.
    fn via_generator(log: Log, by_ref: bool, on_close: OnClose) -> Result<String, Fault> {
        let _cleanup = Guard::new(&log, "outer cleanup");
        log.push("outer start");
        let inner = if by_ref {
            let mut inner = catcher(log.clone(), on_close);
            yield_from!(&mut inner).expect("the delegate had not finished")?
        } else {
            yield_from!(catcher(log.clone(), on_close))?
        };
        log.push(format!("outer got {inner:?}"));
        Ok(inner)
    }

    /// Yields 1 at a `yield_catch!`; a thrown error is caught and its message
    /// returned (Python: `try: yield 1 except ValueError: ...; return value`).
    fn returns_on_throw(log: Log) -> Result<String, Fault> {
        let _cleanup = Guard::new(&log, "inner cleanup");
        match yield_catch!(1) {
            Ok(s) => Ok(s),
            Err(Interrupt::Throw(f)) => {
                log.push(format!("inner caught {}", f.0));
                Ok(f.0)
            }
            Err(Interrupt::Close) => Ok(String::from("closed")),
        }
    }

    /// Yields what [`returns_on_throw`] returned, after delegating to it.
    fn yields_delegate_return(log: Log, by_ref: bool) -> Result<(), Fault> {
        let _cleanup = Guard::new(&log, "outer cleanup");
        let v = if by_ref {
            let mut inner = returns_on_throw(log.clone());
            yield_from!(&mut inner).expect("the delegate had not finished")?
        } else {
            yield_from!(returns_on_throw(log.clone()))?
        };
        log.push(format!("inner returned {v:?} to outer"));
        yield_!(v.len() as u32);
        Ok(())
    }

    /// Delegates to [`via_iterator`], which delegates to a plain iterator.
    fn via_nested_iterator(log: Log, by_ref: bool) -> Result<(), Fault> {
        let _cleanup = Guard::new(&log, "outer cleanup");
        if by_ref {
            let mut inner = via_iterator(log.clone());
            yield_from!(&mut inner).expect("the delegate had not finished")?;
        } else {
            yield_from!(via_iterator(log.clone()))?;
        }
        log.push("outer after delegation");
        Ok(())
    }

    /// Delegates to a generator that was already advanced by its caller.
    fn continues_started(log: Log) -> Option<Result<String, Fault>> {
        let mut inner = probe(log.clone());
        let first = inner.start();
        log.push(format!("advanced outside: {first:?}"));
        let r = yield_from!(&mut inner);
        log.push("outer after delegation");
        r
    }
}

/// Asserts that `msg` is a readable error message mentioning one of `words`.
fn assert_readable(msg: &str, words: &[&str]) {
    let lower = msg.to_lowercase();
    assert!(
        msg.trim().len() >= 10,
        "message too short to be useful: {msg:?}"
    );
    assert!(
        words.iter().any(|w| lower.contains(w)),
        "message {msg:?} mentions none of {words:?}"
    );
    assert!(
        !msg.contains("{") && !msg.contains("ResumeError"),
        "message reads like debug output: {msg:?}"
    );
}

// ---------------------------------------------------------------------------
// The table, for both forms
// ---------------------------------------------------------------------------

both_forms! {
    // ---- next() / Iterator::next ------------------------------------------

    fn next_on_created_runs_to_first_yield(fresh) {
        let log = Log::default();
        fresh!(g = probe(log.clone()));
        assert_eq!(g.resume(), Some(GeneratorState::Yielded(1)));
        assert_eq!(log.lines(), ["start"], "ran up to the first yield, no further");
        assert_eq!(g.state(), GenState::Suspended);

        let log = Log::default();
        fresh!(g = probe(log.clone()));
        assert_eq!(g.next(), Some(1), "Iterator::next");
        assert_eq!(log.lines(), ["start"]);
        assert_eq!(g.state(), GenState::Suspended);
    }

    fn next_on_suspended_resumes_with_default(fresh) {
        let log = Log::default();
        fresh!(g = probe(log.clone()));
        g.start().unwrap();
        assert_eq!(g.resume(), Some(GeneratorState::Yielded(2)));
        assert_eq!(log.lines(), ["start", "got \"\""], "yield_! evaluated to S::default()");
        assert_eq!(g.next(), Some(3), "Iterator::next");
        assert_eq!(log.lines(), ["start", "got \"\"", "got \"\""]);
        assert_eq!(g.state(), GenState::Suspended);
    }

    fn next_on_closed_is_none_and_runs_nothing(fresh) {
        for how in CLOSINGS {
            let log = Log::default();
            fresh!(g = probe(log.clone()));
            close_by!(g, how);
            let before = log.lines();
            assert_eq!(g.resume(), None, "{how:?}");
            assert_eq!(g.next(), None, "{how:?}");
            assert_eq!(g.resume(), None, "{how:?}");
            assert_eq!(log.lines(), before, "{how:?}: the body did not run");
            assert_eq!(g.state(), GenState::Closed);
        }
    }

    // ---- start() ------------------------------------------------------------

    fn start_on_created_runs_to_first_yield(fresh) {
        let log = Log::default();
        fresh!(g = probe(log.clone()));
        assert_eq!(g.start(), Ok(GeneratorState::Yielded(1)));
        assert_eq!(log.lines(), ["start"]);
        assert_eq!(g.state(), GenState::Suspended);
    }

    fn start_on_suspended_is_already_started(fresh) {
        let log = Log::default();
        fresh!(g = probe(log.clone()));
        g.start().unwrap();
        let err = g.start().unwrap_err();
        assert_eq!(err.kind(), ResumeErrorKind::AlreadyStarted);
        assert_eq!(log.lines(), ["start"], "nothing ran");
        assert_eq!(g.state(), GenState::Suspended);
        // Still at the first yield.
        assert_eq!(g.send("x".into()), Ok(GeneratorState::Yielded(2)));
        assert_eq!(log.lines(), ["start", "got \"x\""]);
    }

    fn start_on_closed_is_closed_error(fresh) {
        for how in CLOSINGS {
            let log = Log::default();
            fresh!(g = probe(log.clone()));
            close_by!(g, how);
            let before = log.lines();
            let err = g.start().unwrap_err();
            assert_eq!(err.kind(), ResumeErrorKind::Closed, "{how:?}");
            assert_eq!(log.lines(), before, "{how:?}: nothing ran");
            assert_eq!(g.state(), GenState::Closed);
        }
    }

    // ---- send(s) ------------------------------------------------------------

    fn send_on_created_hands_value_back_and_stays_created(fresh) {
        let log = Log::default();
        fresh!(g = probe(log.clone()));
        let err = g.send("too early".into()).unwrap_err();
        assert_eq!(err.kind(), ResumeErrorKind::NotStarted);
        assert_eq!(err.value(), "too early");
        assert_eq!(err.into_inner(), "too early");
        assert_eq!(g.state(), GenState::Created);
        assert!(log.lines().is_empty(), "nothing ran: {:?}", log.lines());
        // Python: the generator is still usable.
        assert_eq!(g.start(), Ok(GeneratorState::Yielded(1)));
        assert_eq!(log.lines(), ["start"]);
    }

    fn send_on_suspended_is_value_of_yield(fresh) {
        let log = Log::default();
        fresh!(g = probe(log.clone()));
        g.start().unwrap();
        assert_eq!(g.send("a".into()), Ok(GeneratorState::Yielded(2)));
        assert_eq!(log.lines(), ["start", "got \"a\""]);
        assert_eq!(g.send("b".into()), Ok(GeneratorState::Yielded(3)));
        assert_eq!(
            g.send("c".into()),
            Ok(GeneratorState::Complete(Ok("a|b|c".to_string())))
        );
        assert_eq!(
            log.lines(),
            ["start", "got \"a\"", "got \"b\"", "got \"c\"", "end", "cleanup"]
        );
        assert_eq!(g.state(), GenState::Closed);
    }

    fn send_on_closed_hands_value_back(fresh) {
        for how in CLOSINGS {
            let log = Log::default();
            fresh!(g = probe(log.clone()));
            close_by!(g, how);
            let before = log.lines();
            let err = g.send("late".into()).unwrap_err();
            assert_eq!(err.kind(), ResumeErrorKind::Closed, "{how:?}");
            assert_eq!(err.into_inner(), "late", "{how:?}");
            assert_eq!(log.lines(), before, "{how:?}: nothing ran");
            assert_eq!(g.state(), GenState::Closed);
        }
    }

    // ---- throw(e) -----------------------------------------------------------

    fn throw_on_created_closes_and_hands_error_back(fresh) {
        let log = Log::default();
        fresh!(g = catcher(log.clone(), OnClose::Return));
        let err = g.throw(fault("too early")).unwrap_err();
        assert_eq!(err.kind(), ResumeErrorKind::NotStarted);
        assert_eq!(err.value(), &fault("too early"));
        assert_eq!(err.into_inner(), fault("too early"));
        assert_eq!(g.state(), GenState::Closed);
        assert!(log.lines().is_empty(), "the body never ran: {:?}", log.lines());
        assert_eq!(g.resume(), None);
        assert!(log.lines().is_empty());
    }

    fn throw_on_suspended_at_yield_completes_with_err(fresh) {
        let log = Log::default();
        fresh!(g = probe(log.clone()));
        g.start().unwrap();
        assert_eq!(
            g.throw(fault("boom")),
            Ok(GeneratorState::Complete(Err(fault("boom"))))
        );
        assert_eq!(log.lines(), ["start", "cleanup"], "raised at the yield: nothing after it ran");
        assert_eq!(g.state(), GenState::Closed);
        assert_eq!(g.resume(), None);
    }

    fn throw_on_suspended_at_yield_catch_is_caught(fresh) {
        let log = Log::default();
        fresh!(g = catcher(log.clone(), OnClose::Return));
        g.start().unwrap();
        assert_eq!(g.throw(fault("boom")), Ok(GeneratorState::Yielded(101)));
        assert_eq!(log.lines(), ["start", "caught boom"]);
        assert_eq!(g.state(), GenState::Suspended);
        assert_eq!(g.send("x".into()), Ok(GeneratorState::Yielded(102)));
    }

    fn throw_on_closed_hands_error_back(fresh) {
        for how in CLOSINGS {
            let log = Log::default();
            fresh!(g = probe(log.clone()));
            close_by!(g, how);
            let before = log.lines();
            let err = g.throw(fault("late")).unwrap_err();
            assert_eq!(err.kind(), ResumeErrorKind::Closed, "{how:?}");
            assert_eq!(err.into_inner(), fault("late"), "{how:?}");
            assert_eq!(log.lines(), before, "{how:?}: nothing ran");
            assert_eq!(g.state(), GenState::Closed);
        }
    }

    // ---- close() ------------------------------------------------------------

    fn close_on_created_closes_without_running(fresh) {
        let log = Log::default();
        fresh!(g = catcher(log.clone(), OnClose::Return));
        assert_eq!(g.close(), Ok(None));
        assert!(log.lines().is_empty(), "the body never ran: {:?}", log.lines());
        assert_eq!(g.state(), GenState::Closed);
        assert_eq!(g.resume(), None);
        assert!(log.lines().is_empty());
    }

    fn close_on_suspended_at_yield_drops_body(fresh) {
        let log = Log::default();
        fresh!(g = probe(log.clone()));
        g.start().unwrap();
        g.send("a".into()).unwrap();
        assert_eq!(g.close(), Ok(None));
        assert_eq!(log.lines(), ["start", "got \"a\"", "cleanup"]);
        assert_eq!(g.state(), GenState::Closed);
        assert_eq!(g.resume(), None);
        assert_eq!(log.count("cleanup"), 1);
    }

    fn close_on_suspended_at_yield_catch_returns_value(fresh) {
        let log = Log::default();
        fresh!(g = catcher(log.clone(), OnClose::Return));
        g.start().unwrap();
        g.send("a".into()).unwrap();
        assert_eq!(g.close(), Ok(Some(Ok("closed at 2".to_string()))));
        assert_eq!(log.lines(), ["start", "got \"a\"", "caught close", "cleanup"]);
        assert_eq!(g.state(), GenState::Closed);
        assert_eq!(g.resume(), None);
    }

    fn close_on_suspended_that_yields_again_is_ignored_close(fresh) {
        let log = Log::default();
        fresh!(g = catcher(log.clone(), OnClose::YieldAgain));
        g.start().unwrap();
        let err = g.close().unwrap_err();
        assert_eq!(err.into_inner(), 999, "CloseError carries what the body yielded");
        assert_eq!(g.state(), GenState::Closed);
        assert_eq!(
            log.lines(),
            ["start", "caught close", "cleanup"],
            "the body was dropped at its second yield"
        );
        assert_eq!(g.resume(), None);
        assert_eq!(g.close(), Ok(None));
        assert_eq!(log.count("cleanup"), 1);
    }

    fn close_on_suspended_handler_failure_is_reported(fresh) {
        let log = Log::default();
        fresh!(g = catcher(log.clone(), OnClose::Fail));
        g.start().unwrap();
        assert_eq!(g.close(), Ok(Some(Err(fault("close handler failed")))));
        assert_eq!(log.lines(), ["start", "caught close", "cleanup"]);
        assert_eq!(g.state(), GenState::Closed);
    }

    fn close_on_suspended_handler_panic_reaches_caller(fresh) {
        let log = Log::default();
        fresh!(g = catcher(log.clone(), OnClose::Panic));
        g.start().unwrap();
        let outcome = catch_unwind(AssertUnwindSafe(|| g.close()));
        assert!(outcome.is_err(), "the handler's panic reaches the caller of close");
        assert_eq!(g.state(), GenState::Closed);
        assert_eq!(g.resume(), None);
        assert_eq!(g.close(), Ok(None));
        assert_eq!(log.lines(), ["start", "caught close", "cleanup"]);
    }

    fn close_on_closed_is_noop(fresh) {
        for how in CLOSINGS {
            let log = Log::default();
            fresh!(g = probe(log.clone()));
            close_by!(g, how);
            let before = log.lines();
            assert_eq!(g.close(), Ok(None), "{how:?}");
            assert_eq!(g.close(), Ok(None), "{how:?}");
            assert_eq!(log.lines(), before, "{how:?}: nothing ran");
            assert_eq!(g.state(), GenState::Closed);
        }
        // A caught close that returned is not reported again.
        let log = Log::default();
        fresh!(g = catcher(log.clone(), OnClose::Return));
        g.start().unwrap();
        assert_eq!(g.close(), Ok(Some(Ok("closed at 1".to_string()))));
        assert_eq!(g.close(), Ok(None));
        assert_eq!(log.count("caught close"), 1);
    }

    // ---- state() ------------------------------------------------------------

    fn state_created(fresh) {
        let log = Log::default();
        fresh!(g = probe(log.clone()));
        assert_eq!(g.state(), GenState::Created);
        assert!(log.lines().is_empty());
        // Refused calls leave it Created.
        assert!(g.send("x".into()).is_err());
        assert_eq!(g.state(), GenState::Created);
    }

    fn state_suspended(fresh) {
        let log = Log::default();
        fresh!(g = probe(log.clone()));
        g.start().unwrap();
        assert_eq!(g.state(), GenState::Suspended);
        g.send("a".into()).unwrap();
        assert_eq!(g.state(), GenState::Suspended);
        assert!(g.start().is_err());
        assert_eq!(g.state(), GenState::Suspended);
        let log = Log::default();
        fresh!(g = catcher(log.clone(), OnClose::Return));
        g.start().unwrap();
        g.throw(fault("caught")).unwrap();
        assert_eq!(g.state(), GenState::Suspended, "after a caught throw");
    }

    fn state_closed(fresh) {
        for how in CLOSINGS {
            let log = Log::default();
            fresh!(g = probe(log.clone()));
            close_by!(g, how);
            assert_eq!(g.state(), GenState::Closed, "{how:?}");
        }
        let log = Log::default();
        fresh!(g = probe(log.clone()));
        g.close().unwrap();
        assert_eq!(g.state(), GenState::Closed, "closed before it started");
        let log = Log::default();
        fresh!(g = probe(log.clone()));
        assert!(g.throw(fault("x")).is_err());
        assert_eq!(g.state(), GenState::Closed, "thrown into before it started");
    }

    // ---- the return value is reported once ----------------------------------

    fn return_value_is_reported_exactly_once(fresh) {
        let log = Log::default();
        fresh!(g = probe(log.clone()));
        assert_eq!(g.start(), Ok(GeneratorState::Yielded(1)));
        assert_eq!(g.resume(), Some(GeneratorState::Yielded(2)));
        assert_eq!(g.resume(), Some(GeneratorState::Yielded(3)));
        assert_eq!(g.resume(), Some(GeneratorState::Complete(Ok("||".to_string()))));
        assert_eq!(g.resume(), None);
        assert_eq!(g.next(), None);
        assert_eq!(g.start().unwrap_err().kind(), ResumeErrorKind::Closed);
        assert_eq!(g.send("x".into()).unwrap_err().kind(), ResumeErrorKind::Closed);
        assert_eq!(g.throw(fault("x")).unwrap_err().kind(), ResumeErrorKind::Closed);
        assert_eq!(g.close(), Ok(None), "close does not report the return value again");
        assert_eq!(g.resume(), None);
        assert_eq!(log.count("end"), 1);
        assert_eq!(log.count("cleanup"), 1);

        // Completed by send and by a caught throw: the same.
        let log = Log::default();
        fresh!(g = probe(log.clone()));
        g.start().unwrap();
        g.send("a".into()).unwrap();
        g.send("b".into()).unwrap();
        assert_eq!(
            g.send("c".into()),
            Ok(GeneratorState::Complete(Ok("a|b|c".to_string())))
        );
        assert_eq!(g.resume(), None);
        assert_eq!(g.close(), Ok(None));

        let log = Log::default();
        fresh!(g = probe(log.clone()));
        g.start().unwrap();
        assert_eq!(
            g.throw(fault("f")),
            Ok(GeneratorState::Complete(Err(fault("f"))))
        );
        assert_eq!(g.resume(), None);
        assert_eq!(g.close(), Ok(None));

        // Iterator::next drops the return value, and reports the end once
        // and forever after.
        let log = Log::default();
        fresh!(g = probe(log.clone()));
        assert_eq!(g.by_ref().collect::<Vec<_>>(), [1, 2, 3]);
        assert_eq!(g.next(), None);
        assert_eq!(g.resume(), None);
        assert_eq!(log.count("end"), 1);
    }

    // ---- refused values come back -------------------------------------------

    fn refused_send_during_iterator_delegation_is_undeliverable(fresh) {
        let log = Log::default();
        fresh!(g = via_iterator(log.clone()));
        assert_eq!(g.start(), Ok(GeneratorState::Yielded(1)));
        let value = String::from("cannot be delivered");
        let address = value.as_ptr();
        let err = g.send(value).unwrap_err();
        assert_eq!(err.kind(), ResumeErrorKind::Undeliverable);
        assert_eq!(err.value(), "cannot be delivered");
        let back = err.into_inner();
        assert_eq!(back.as_ptr(), address, "the very value that was sent");
        assert_eq!(g.state(), GenState::Suspended, "it stays where it was");
        assert_eq!(log.lines(), ["start"]);
        // next() passes through to the iterator, which did not advance.
        assert_eq!(g.resume(), Some(GeneratorState::Yielded(2)));
        assert_eq!(g.next(), Some(3));
        assert_eq!(g.resume(), Some(GeneratorState::Complete(Ok(()))));
        assert_eq!(log.lines(), ["start", "after delegation", "cleanup"]);
    }

    fn throw_and_close_during_iterator_delegation_raise_at_yield_from(fresh) {
        let log = Log::default();
        fresh!(g = via_iterator(log.clone()));
        g.start().unwrap();
        assert_eq!(
            g.throw(fault("into delegation")),
            Ok(GeneratorState::Complete(Err(fault("into delegation"))))
        );
        assert_eq!(log.lines(), ["start", "cleanup"]);
        assert_eq!(g.state(), GenState::Closed);

        let log = Log::default();
        fresh!(g = via_iterator(log.clone()));
        g.start().unwrap();
        g.resume().unwrap();
        assert_eq!(g.close(), Ok(None));
        assert_eq!(log.lines(), ["start", "cleanup"]);
        assert_eq!(g.state(), GenState::Closed);
    }

    fn protocol_reaches_innermost_generator_during_delegation(fresh) {
        for by_ref in [false, true] {
            let log = Log::default();
            fresh!(g = via_generator(log.clone(), by_ref, OnClose::Return));
            assert_eq!(g.start(), Ok(GeneratorState::Yielded(1)));
            assert_eq!(g.send("s".into()), Ok(GeneratorState::Yielded(2)));
            assert_eq!(g.resume(), Some(GeneratorState::Yielded(3)));
            assert_eq!(g.throw(fault("t")), Ok(GeneratorState::Yielded(103)));
            assert_eq!(
                log.lines(),
                ["outer start", "start", "got \"s\"", "got \"\"", "caught t"],
                "by_ref = {by_ref}"
            );
            // The inner catches the close and returns: Python then raises
            // GeneratorExit in the outer body at the `yield from`, which does
            // not catch it, so close() reports no value.
            assert_eq!(g.close(), Ok(None), "by_ref = {by_ref}");
            assert_eq!(
                &log.lines()[5..],
                ["caught close", "cleanup", "outer cleanup"],
                "innermost first, by_ref = {by_ref}"
            );
            assert_eq!(g.state(), GenState::Closed);
            assert_eq!(g.resume(), None);
        }
    }

    fn ignored_close_during_delegation_is_reported(fresh) {
        for by_ref in [false, true] {
            let log = Log::default();
            fresh!(g = via_generator(log.clone(), by_ref, OnClose::YieldAgain));
            assert_eq!(g.start(), Ok(GeneratorState::Yielded(1)));
            let err = g.close().unwrap_err();
            assert_eq!(err.into_inner(), 999, "by_ref = {by_ref}");
            assert_eq!(g.state(), GenState::Closed);
            assert_eq!(
                log.lines(),
                ["outer start", "start", "caught close", "cleanup", "outer cleanup"],
                "by_ref = {by_ref}"
            );
            assert_eq!(g.resume(), None);
        }
    }

    fn failing_close_handler_during_delegation_cleans_up_innermost_first(fresh) {
        // CPython: Lib/test/test_yield_from.py test_handing_exception_while_delegating_close
        // (only the cleanup order and the final state are pinned down here:
        // what close() returns when the delegate's handler returns an error
        // is not decided by DESIGN.md)
        for by_ref in [false, true] {
            let log = Log::default();
            fresh!(g = via_generator(log.clone(), by_ref, OnClose::Fail));
            g.start().unwrap();
            let _ = g.close();
            assert_eq!(
                log.lines(),
                ["outer start", "start", "caught close", "cleanup", "outer cleanup"],
                "by_ref = {by_ref}"
            );
            assert_eq!(g.state(), GenState::Closed);
            assert_eq!(g.resume(), None);

            // A delegate's close handler that panics: the panic reaches the
            // caller of close, innermost cleanup first.
            let log = Log::default();
            fresh!(g = via_generator(log.clone(), by_ref, OnClose::Panic));
            g.start().unwrap();
            assert!(catch_unwind(AssertUnwindSafe(|| g.close())).is_err());
            assert_eq!(g.state(), GenState::Closed);
            assert_eq!(g.resume(), None);
            assert_eq!(g.close(), Ok(None));
            assert_eq!(
                log.lines(),
                ["outer start", "start", "caught close", "cleanup", "outer cleanup"],
                "by_ref = {by_ref}"
            );
        }
    }

    fn throw_caught_by_delegate_that_returns_continues_delegator(fresh) {
        // CPython: Lib/test/test_yield_from.py test_catching_exception_from_subgen_and_returning
        for by_ref in [false, true] {
            let log = Log::default();
            fresh!(g = yields_delegate_return(log.clone(), by_ref));
            assert_eq!(g.start(), Ok(GeneratorState::Yielded(1)));
            assert_eq!(g.throw(fault("four")), Ok(GeneratorState::Yielded(4)));
            assert_eq!(
                log.lines(),
                ["inner caught four", "inner cleanup", "inner returned \"four\" to outer"],
                "by_ref = {by_ref}"
            );
            assert_eq!(g.state(), GenState::Suspended);
            assert_eq!(g.resume(), Some(GeneratorState::Complete(Ok(()))));
            assert_eq!(log.count("outer cleanup"), 1);
        }
    }

    fn undeliverable_send_through_nested_delegation(fresh) {
        for by_ref in [false, true] {
            let log = Log::default();
            fresh!(g = via_nested_iterator(log.clone(), by_ref));
            assert_eq!(g.start(), Ok(GeneratorState::Yielded(1)));
            let err = g.send("nested".into()).unwrap_err();
            assert_eq!(err.kind(), ResumeErrorKind::Undeliverable, "by_ref = {by_ref}");
            assert_eq!(err.into_inner(), "nested");
            assert_eq!(g.state(), GenState::Suspended);
            assert_eq!(g.resume(), Some(GeneratorState::Yielded(2)), "by_ref = {by_ref}");
            assert_eq!(g.next(), Some(3));
            assert_eq!(g.resume(), Some(GeneratorState::Complete(Ok(()))));
            assert_eq!(
                log.lines(),
                ["start", "after delegation", "cleanup", "outer after delegation", "outer cleanup"],
                "by_ref = {by_ref}"
            );
        }
    }

    fn throw_into_nested_iterator_delegation_raises_in_innermost_body(fresh) {
        for by_ref in [false, true] {
            let log = Log::default();
            fresh!(g = via_nested_iterator(log.clone(), by_ref));
            assert_eq!(g.start(), Ok(GeneratorState::Yielded(1)));
            assert_eq!(
                g.throw(fault("deep")),
                Ok(GeneratorState::Complete(Err(fault("deep")))),
                "by_ref = {by_ref}"
            );
            assert_eq!(
                log.lines(),
                ["start", "cleanup", "outer cleanup"],
                "by_ref = {by_ref}"
            );
            assert_eq!(g.state(), GenState::Closed);
        }
    }

    fn delegation_to_started_generator_continues_it(fresh) {
        let log = Log::default();
        fresh!(g = continues_started(log.clone()));
        // The delegate is resumed with next(), not started again.
        assert_eq!(g.start(), Ok(GeneratorState::Yielded(2)));
        assert_eq!(g.send("b".into()), Ok(GeneratorState::Yielded(3)));
        assert_eq!(
            g.send("c".into()),
            Ok(GeneratorState::Complete(Some(Ok("|b|c".to_string()))))
        );
        assert_eq!(
            log.lines(),
            [
                "start",
                "advanced outside: Ok(Yielded(1))",
                "got \"\"",
                "got \"b\"",
                "got \"c\"",
                "end",
                "cleanup",
                "outer after delegation",
            ]
        );
    }

    fn ignored_close_hands_back_yielded_value(fresh) {
        let log = Log::default();
        fresh!(g = catcher(log.clone(), OnClose::YieldAgain));
        assert_eq!(g.start(), Ok(GeneratorState::Yielded(1)));
        let err: CloseError<u32> = g.close().unwrap_err();
        assert_readable(&err.to_string(), &["close"]);
        assert_eq!(err.into_inner(), 999);
        assert_eq!(g.state(), GenState::Closed);
        assert_eq!(g.next(), None);
        assert_eq!(log.count("resumed after ignoring the close"), 0);
    }

    // ---- a panic in the body ------------------------------------------------

    fn panic_in_body_leaves_generator_closed(fresh) {
        let log = Log::default();
        fresh!(g = probe(log.clone()));
        g.start().unwrap();
        let payload = catch_unwind(AssertUnwindSafe(|| g.send("panic".into())))
            .expect_err("the panic propagates to the caller of send");
        assert_eq!(
            payload.downcast_ref::<&str>().copied(),
            Some("probe was asked to panic"),
            "the body's own panic payload"
        );
        assert_eq!(g.state(), GenState::Closed);
        assert_eq!(log.lines(), ["start", "got \"panic\"", "cleanup"]);
        // Every later call reports closed and runs nothing.
        assert_eq!(g.resume(), None);
        assert_eq!(g.next(), None);
        assert_eq!(g.start().unwrap_err().kind(), ResumeErrorKind::Closed);
        let err = g.send("after".into()).unwrap_err();
        assert_eq!((err.kind(), err.into_inner()), (ResumeErrorKind::Closed, "after".to_string()));
        let err = g.throw(fault("after")).unwrap_err();
        assert_eq!((err.kind(), err.into_inner()), (ResumeErrorKind::Closed, fault("after")));
        assert_eq!(g.close(), Ok(None));
        assert_eq!(g.state(), GenState::Closed);
        assert_eq!(log.lines(), ["start", "got \"panic\"", "cleanup"]);
    }

    fn panic_before_first_yield_leaves_generator_closed(fresh) {
        let log = Log::default();
        fresh!(g = panics_at_once(log.clone()));
        assert!(catch_unwind(AssertUnwindSafe(|| g.start())).is_err());
        assert_eq!(g.state(), GenState::Closed);
        assert_eq!(g.start().unwrap_err().kind(), ResumeErrorKind::Closed);
        assert_eq!(g.resume(), None);
        assert_eq!(g.close(), Ok(None));
        assert_eq!(log.lines(), ["start", "cleanup"]);
    }

    // ---- drop ---------------------------------------------------------------

    fn drop_of_suspended_closes_once(fresh) {
        let log = Log::default();
        {
            fresh!(g = catcher(log.clone(), OnClose::Return));
            g.start().unwrap();
        }
        assert_eq!(log.lines(), ["start", "caught close", "cleanup"]);

        // At a plain yield: only the destructors run.
        let log = Log::default();
        {
            fresh!(g = probe(log.clone()));
            g.start().unwrap();
        }
        assert_eq!(log.lines(), ["start", "cleanup"]);

        // A handler that ignores the close: its error is swallowed, the body
        // is dropped, cleanup runs once.
        let log = Log::default();
        {
            fresh!(g = catcher(log.clone(), OnClose::YieldAgain));
            g.start().unwrap();
        }
        assert_eq!(log.lines(), ["start", "caught close", "cleanup"]);

        // Closed, then dropped: not closed a second time.
        let log = Log::default();
        {
            fresh!(g = catcher(log.clone(), OnClose::Return));
            g.start().unwrap();
            g.close().unwrap();
        }
        assert_eq!(log.lines(), ["start", "caught close", "cleanup"]);
    }

    fn drop_while_thread_panics_only_drops(fresh) {
        // DESIGN.md: "when the thread is already panicking it only drops":
        // destructors run, the close handler does not.
        let log = Log::default();
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            fresh!(g = catcher(log.clone(), OnClose::Return));
            g.start().unwrap();
            panic!("the caller panics while the generator is suspended");
        }));
        assert!(outcome.is_err());
        assert_eq!(log.lines(), ["start", "cleanup"]);
    }

    fn drop_of_created_or_closed_runs_nothing(fresh) {
        let log = Log::default();
        {
            fresh!(g = catcher(log.clone(), OnClose::Return));
            assert_eq!(g.state(), GenState::Created);
        }
        assert!(log.lines().is_empty(), "{:?}", log.lines());

        for how in CLOSINGS {
            let log = Log::default();
            let before;
            {
                fresh!(g = probe(log.clone()));
                close_by!(g, how);
                before = log.lines();
            }
            assert_eq!(log.lines(), before, "{how:?}");
            assert_eq!(log.count("cleanup"), 1, "{how:?}");
        }
    }

    // ---- error messages -----------------------------------------------------

    fn error_messages_are_readable(fresh) {
        let log = Log::default();
        fresh!(g = via_iterator(log.clone()));
        let not_started = g.send("x".into()).unwrap_err();
        assert_eq!(not_started.kind(), ResumeErrorKind::NotStarted);
        g.start().unwrap();
        let already_started = g.start().unwrap_err();
        assert_eq!(already_started.kind(), ResumeErrorKind::AlreadyStarted);
        let undeliverable = g.send("x".into()).unwrap_err();
        assert_eq!(undeliverable.kind(), ResumeErrorKind::Undeliverable);
        g.close().unwrap();
        let closed = g.send("x".into()).unwrap_err();
        assert_eq!(closed.kind(), ResumeErrorKind::Closed);

        let messages = [
            not_started.to_string(),
            already_started.to_string(),
            undeliverable.to_string(),
            closed.to_string(),
        ];
        assert_readable(&messages[0], &["not started", "not yet started", "before"]);
        assert_readable(&messages[1], &["already"]);
        assert_readable(&messages[2], &["send", "sent", "deliver"]);
        assert_readable(&messages[3], &["closed", "finished", "exhausted"]);
        for (i, a) in messages.iter().enumerate() {
            for b in &messages[i + 1..] {
                assert_ne!(a, b, "each kind has its own message");
            }
        }
        // They are errors, and their Debug output names the kind without
        // needing the carried value to be Debug.
        let as_error: &dyn std::error::Error = &closed;
        assert_eq!(as_error.to_string(), messages[3]);
        assert!(format!("{closed:?}").contains("Closed"));
    }
}

#[generator(yield = u32)]
fn panics_at_once(log: Log) {
    let _cleanup = Guard::new(&log, "cleanup");
    log.push("start");
    if !log.lines().is_empty() {
        panic!("panics before its first yield");
    }
    yield_!(1);
}

// ---------------------------------------------------------------------------
// Between the forms
// ---------------------------------------------------------------------------

#[test]
fn into_pinned_of_closed_generator_stays_closed() {
    let log = Log::default();
    let mut g = probe(log.clone());
    assert!(g.throw(fault("x")).is_err());
    let mut p = pin!(g.into_pinned());
    assert_eq!(p.state(), GenState::Closed);
    assert_eq!(p.as_mut().resume(), None);
    assert_eq!(
        p.as_mut().send("x".into()).unwrap_err().kind(),
        ResumeErrorKind::Closed
    );
    assert_eq!(p.as_mut().close(), Ok(None));
    assert!(log.lines().is_empty());
}

#[test]
fn into_pinned_of_started_generator_panics() {
    let log = Log::default();
    let mut g = probe(log.clone());
    g.start().unwrap();
    let outcome = catch_unwind(AssertUnwindSafe(move || drop(g.into_pinned())));
    assert!(outcome.is_err(), "a started body cannot move back inline");
}
