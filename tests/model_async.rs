//! Model-based property test of the async generator protocol: the approach
//! of `tests/model.rs` for `#[generator] async fn` generators.
//!
//! A [`Script`] is a list of steps — yield a value; catch an interrupt at
//! `yield_catch!` and return, fail, yield again, panic, or await before
//! returning or yielding again on a close, handle (maybe after an await),
//! propagate or panic on a throw; await a ready future or a [`YieldNow`] (`Pending` once, waking
//! its waker); create a drop guard; delegate with `yield_from!` to a nested
//! script (flat, 0–2 levels deep), to a `futures::stream::iter` stream or to
//! a plain iterator — and an ending (return, return `Err`, panic). Three
//! `#[generator] async fn`s interpret them, one per nesting level, and
//! record into a shared log which lines ran and which guards dropped.
//!
//! [`Model`] is the reference: the protocol table of `AsyncGen`'s doc
//! (states, what each call returns, which errors hand which value back)
//! over a plain recursive interpreter of the scripts ([`Replay`]) which
//! replays the whole history of inputs for every call. Its inputs are the
//! values delivered at yields and, at every pending await, one more poll.
//!
//! Every call is a future (or one `Stream::poll_next`) driven by hand with a
//! counting waker: polled to completion, or polled once and dropped while
//! the body is pending (*cancellation*: the generator is then `Running`;
//! `anext` / `poll_next` finish that resume, `asend` / `athrow` / `astart`
//! refuse handing their value back, `aclose` drops the body in place).
//! proptest draws a script, a form (`AsyncGen`, `Box::pin(into_pinned())`,
//! `pin!(into_pinned())`), up to 20 calls and an ending (drop in place, or
//! drain through `Stream::poll_next`), and checks after every call the
//! value returned, `state()` and the whole log; at the end, that every guard
//! dropped exactly once and that every `Pending` had woken the waker.
//!
//! `PYGEN_MODEL_CASES` sets the number of cases (default 20 000).
//!
//! Two engine bugs this test found (see [`KNOWN_BUGS`], both fixed) keep a
//! minimal reproduction each, the `regression_*` tests; the property test
//! generates their situations like any other.

use std::cell::RefCell;
use std::fmt::Debug;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind, panic_any};
use std::pin::{Pin, pin};
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Once};
use std::task::{Context, Poll};

use futures::Stream;
use futures::task::{ArcWake, waker};
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, TestCaseError, TestRunner};
use pygen::{
    AsyncGen, CloseError, GenState, GeneratorState, Interrupt, PinnedAsyncGen, ResumeError,
    ResumeErrorKind, generator, yield_, yield_catch, yield_from,
};

// ---------------------------------------------------------------------------
// Scripts: the generated behaviour
// ---------------------------------------------------------------------------

/// The throw type, and the error type of every body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Fault(u32);

/// What every body returns.
type Ret = Result<u32, Fault>;

/// One generator body, as data. `name` is unique in a script tree ("r",
/// "r.2", "r.2.0"…).
#[derive(Debug, Clone)]
struct Script {
    name: String,
    steps: Vec<Step>,
    end: End,
}

#[derive(Debug, Clone)]
enum Step {
    /// `let s = yield_!(v);` then log it.
    Yield(u32),
    /// `match yield_catch!(value)`, reacting to a close or a throw.
    Catch {
        value: u32,
        on_close: OnClose,
        on_throw: OnThrow,
    },
    /// `.await` a future, then log it.
    Await(Pend),
    /// Push a drop guard that lives until the body ends.
    Guard,
    /// `yield_from!` of a plain iterator over these items.
    Iter(Vec<u32>),
    /// `yield_from!` of `futures::stream::iter` over these items.
    Stream(Vec<u32>),
    /// `yield_from!` of a fresh async generator running `sub` (flat).
    Delegate { sub: Rc<Script>, on_err: OnErr },
}

/// What an `.await` awaits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pend {
    /// `std::future::ready(())`.
    Ready,
    /// [`YieldNow`]: `Pending` once.
    Once,
}

#[derive(Debug, Clone, Copy)]
enum OnClose {
    Return(u32),
    /// Await a [`YieldNow`] (cleanup), then return `Ok(r)`.
    AwaitReturn(u32),
    Fail(u32),
    YieldAgain(u32),
    /// Await a [`YieldNow`], then yield again.
    AwaitYieldAgain(u32),
    Panic,
}

#[derive(Debug, Clone, Copy)]
enum OnThrow {
    Handle,
    /// Await a [`YieldNow`], then go on.
    AwaitHandle,
    Propagate,
    Panic,
}

#[derive(Debug, Clone, Copy)]
enum OnErr {
    Propagate,
    Handle,
}

#[derive(Debug, Clone, Copy)]
enum End {
    Return(u32),
    Fail(u32),
    Panic,
}

mod line {
    pub fn at(name: &str, step: usize) -> String {
        format!("{name}@{step}")
    }
    pub fn sub(name: &str, step: usize) -> String {
        format!("{name}.{step}")
    }
    pub fn begin(name: &str) -> String {
        format!("{name} begin")
    }
    pub fn got(at: &str, sent: u32) -> String {
        format!("{at} got {sent}")
    }
    pub fn awaited(at: &str) -> String {
        format!("{at} awaited")
    }
    pub fn close(at: &str) -> String {
        format!("{at} close")
    }
    pub fn cleaned_up(at: &str) -> String {
        format!("{at} cleaned up")
    }
    pub fn resumed_after_ignored_close(at: &str, sent: u32) -> String {
        format!("{at} resumed after ignoring the close with {sent}")
    }
    pub fn throw(at: &str, fault: u32) -> String {
        format!("{at} throw {fault}")
    }
    pub fn item(at: &str, value: u32) -> String {
        format!("{at} item {value}")
    }
    pub fn iter_done(at: &str) -> String {
        format!("{at} iter done")
    }
    pub fn delegated(at: &str, result: &super::Ret) -> String {
        format!("{at} -> {result:?}")
    }
    pub fn handled(at: &str, fault: u32) -> String {
        format!("{at} handled {fault}")
    }
    pub fn returns(name: &str, value: u32) -> String {
        format!("{name} returns {value}")
    }
    pub fn fails(name: &str, fault: u32) -> String {
        format!("{name} fails {fault}")
    }
    pub fn arg(name: &str) -> String {
        format!("{name} arg")
    }
    pub fn frame(name: &str) -> String {
        format!("{name} frame")
    }
    pub fn iter(at: &str) -> String {
        format!("{at} iter")
    }
    pub fn dropped(guard: &str) -> String {
        super::model_log::dropped(guard)
    }
    pub fn end_panic(name: &str) -> String {
        format!("{name} panics")
    }
    pub fn close_panic(at: &str) -> String {
        format!("{at} close handler panics")
    }
    pub fn throw_panic(at: &str) -> String {
        format!("{at} throw handler panics")
    }
}

// ---------------------------------------------------------------------------
// The log, the guards, the futures awaited
// ---------------------------------------------------------------------------

#[path = "support/model_log.rs"]
mod model_log;
use model_log::{Ctx, Guard, ModelPanic, cases, panic_message};

/// Scripts panic a lot; keep the default hook for every other panic.
fn quiet_model_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !info.payload().is::<ModelPanic>() {
                default(info);
            }
        }));
    });
}

/// A plain iterator for `yield_from!` (also wrapped in a stream): owns a
/// guard, logs every item.
struct LoggedIter {
    ctx: Ctx,
    at: String,
    items: Vec<u32>,
    next: usize,
    _guard: Guard,
}

impl LoggedIter {
    fn new(ctx: &Ctx, at: &str, items: &[u32]) -> Self {
        LoggedIter {
            ctx: ctx.clone(),
            at: at.to_string(),
            items: items.to_vec(),
            next: 0,
            _guard: ctx.guard(line::iter(at)),
        }
    }
}

impl Iterator for LoggedIter {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        let value = *self.items.get(self.next)?;
        self.next += 1;
        self.ctx.log(line::item(&self.at, value));
        Some(value)
    }
}

/// `Pending` once (waking the waker it was polled with), then ready.
#[derive(Default)]
struct YieldNow(bool);

impl Future for YieldNow {
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

async fn pend(how: Pend) {
    match how {
        Pend::Ready => std::future::ready(()).await,
        Pend::Once => YieldNow::default().await,
    }
}

// ---------------------------------------------------------------------------
// The generators under test
// ---------------------------------------------------------------------------

/// One interpreter of scripts per nesting level: `$name` delegates flat to
/// `$next`, so a delegate's body is inline in the delegating one.
macro_rules! script_generator {
    ($(#[$attr:meta])* fn $name:ident => $next:ident) => {
        $(#[$attr])*
        #[generator(yield = u32, send = u32, throw = Fault)]
        async fn $name(ctx: Ctx, script: Rc<Script>, _arg: Guard) -> Ret {
            let name = script.name.as_str();
            ctx.log(line::begin(name));
            let _frame = ctx.guard(line::frame(name));
            let mut guards = Vec::new();
            for (i, step) in script.steps.iter().enumerate() {
                let at = line::at(name, i);
                match step {
                    Step::Yield(value) => {
                        let sent = yield_!(*value);
                        ctx.log(line::got(&at, sent));
                    }
                    Step::Catch {
                        value,
                        on_close,
                        on_throw,
                    } => match yield_catch!(*value) {
                        Ok(sent) => ctx.log(line::got(&at, sent)),
                        Err(Interrupt::Close) => {
                            ctx.log(line::close(&at));
                            match *on_close {
                                OnClose::Return(r) => return Ok(r),
                                OnClose::AwaitReturn(r) => {
                                    YieldNow::default().await;
                                    ctx.log(line::cleaned_up(&at));
                                    return Ok(r);
                                }
                                OnClose::Fail(c) => return Err(Fault(c)),
                                OnClose::Panic => panic_any(ModelPanic(line::close_panic(&at))),
                                OnClose::YieldAgain(again) => {
                                    let sent = yield_!(again);
                                    ctx.log(line::resumed_after_ignored_close(&at, sent));
                                }
                                OnClose::AwaitYieldAgain(again) => {
                                    YieldNow::default().await;
                                    ctx.log(line::cleaned_up(&at));
                                    let sent = yield_!(again);
                                    ctx.log(line::resumed_after_ignored_close(&at, sent));
                                }
                            }
                        }
                        Err(Interrupt::Throw(Fault(fault))) => {
                            ctx.log(line::throw(&at, fault));
                            match *on_throw {
                                OnThrow::Handle => {}
                                OnThrow::AwaitHandle => {
                                    YieldNow::default().await;
                                    ctx.log(line::cleaned_up(&at));
                                }
                                OnThrow::Propagate => return Err(Fault(fault)),
                                OnThrow::Panic => panic_any(ModelPanic(line::throw_panic(&at))),
                            }
                        }
                    },
                    Step::Await(how) => {
                        pend(*how).await;
                        ctx.log(line::awaited(&at));
                    }
                    Step::Guard => guards.push(ctx.guard(at.clone())),
                    Step::Iter(items) => {
                        yield_from!(LoggedIter::new(&ctx, &at, items));
                        ctx.log(line::iter_done(&at));
                    }
                    Step::Stream(items) => {
                        yield_from!(futures::stream::iter(LoggedIter::new(&ctx, &at, items)));
                        ctx.log(line::iter_done(&at));
                    }
                    Step::Delegate { sub, on_err } => {
                        let arg = ctx.guard(line::arg(&sub.name));
                        let result: Ret = yield_from!($next(ctx.clone(), sub.clone(), arg));
                        ctx.log(line::delegated(&at, &result));
                        if let Err(Fault(fault)) = result {
                            match on_err {
                                OnErr::Propagate => return Err(Fault(fault)),
                                OnErr::Handle => ctx.log(line::handled(&at, fault)),
                            }
                        }
                    }
                }
            }
            end(&ctx, &script)
        }
    };
}

script_generator!(
    /// The outermost level.
    fn level0 => level1
);
script_generator!(fn level1 => level2);
script_generator!(
    /// Scripts nest at most 2 levels below the outermost, so this level
    /// never delegates; its `$next` only has to type-check.
    fn level2 => never
);

#[generator(yield = u32, send = u32, throw = Fault)]
async fn never(_ctx: Ctx, _script: Rc<Script>, _arg: Guard) -> Ret {
    unreachable!("scripts nest at most 2 levels deep")
}

fn end(ctx: &Ctx, script: &Script) -> Ret {
    match script.end {
        End::Return(r) => {
            ctx.log(line::returns(&script.name, r));
            Ok(r)
        }
        End::Fail(c) => {
            ctx.log(line::fails(&script.name, c));
            Err(Fault(c))
        }
        End::Panic => panic_any(ModelPanic(line::end_panic(&script.name))),
    }
}

// ---------------------------------------------------------------------------
// Known bugs
// ---------------------------------------------------------------------------

/// Situations that were engine bugs, now fixed. `check_case_with` can still
/// cut a case short when one is reached (pass `false`), to tell a new
/// failure from one of these while investigating.
const KNOWN_BUGS: &[&str] = &[BUG_FINISHED_CLOSE_ABANDONS, BUG_STICKY_CLOSE_IN_FLAT];

/// `aclose()` was cancelled while a flat delegate's close handler awaited;
/// the next `anext()` / `poll_next` finishes that resume, the delegate
/// returns, the close goes on into the delegating body, which is abandoned:
/// the call should report the generator finished (`None`), not panic.
const BUG_FINISHED_CLOSE_ABANDONS: &str =
    "anext/poll_next finishing a cancelled aclose that abandons the body";

/// `aclose()` was cancelled while a flat delegate's close handler awaited;
/// the next `anext()` finished that resume and the handler yielded again,
/// which `anext()` returns: the close is over. When that delegate later
/// returns, its value should go to the `yield_from!`; the delegation still
/// remembers the close and abandons the delegating body instead.
const BUG_STICKY_CLOSE_IN_FLAT: &str =
    "flat delegate returning after a cancelled aclose that it survived";

// ---------------------------------------------------------------------------
// The model
// ---------------------------------------------------------------------------

/// What a resume delivers to the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Input {
    /// `anext()`: `S::default()`.
    Next,
    Send(u32),
    Throw(u32),
    Close,
    /// One more poll of a body pending at an await.
    Poll,
}

/// Why the interpretation of a body stopped before it returned.
#[derive(Debug, Clone, PartialEq)]
enum Exit {
    /// The inputs are used up at a yield of this value.
    Suspend(u32),
    /// The inputs are used up at a pending await: the resume is in flight.
    Pending,
    /// The last input, a send, reached an iterator or a stream.
    Rejected(u32),
    /// A close reached a yield that does not catch it, or a flat delegate
    /// returned in answer to a close: the body is dropped in place.
    Abandon,
    /// A yield after a close was delivered.
    IgnoredClose(u32),
    Panic(String),
    /// The inputs are used up and the generator is dropped in place.
    Dropped,
}

impl Exit {
    fn drops(&self) -> bool {
        !matches!(self, Exit::Suspend(_) | Exit::Rejected(_) | Exit::Pending)
    }
}

thread_local! {
    static EVENTS: RefCell<std::collections::BTreeSet<&'static str>> = RefCell::default();
}

fn event(name: &'static str) {
    EVENTS.with(|events| events.borrow_mut().insert(name));
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AtEnd {
    Suspend,
    Dropped,
}

struct Locals {
    name: String,
    guards: Vec<String>,
}

struct Replay<'a> {
    inputs: &'a [Input],
    pos: usize,
    at_end: AtEnd,
    closing: bool,
    /// The call being replayed is an `aclose()`: a yield after the close is
    /// an ignored close. Otherwise (a resume that began as a close was
    /// cancelled, and `anext` finished it) the yield goes to that `anext`
    /// and the close is over.
    closing_call: bool,
    /// The depth of the body where a close was over that way.
    forgotten: Option<usize>,
    /// The input position at which a flat delegate returned after its close
    /// was over (see [`BUG_STICKY_CLOSE_IN_FLAT`]).
    returned_after_forgotten: Option<usize>,
    log: Vec<String>,
    depth: usize,
    /// How many delegations had begun when the close was delivered: those
    /// still running are reached by it; one begun later, in a body's
    /// reaction to the close, is not.
    close_mark: usize,
    /// How many delegations have begun.
    delegations: usize,
}

/// What one replay came to.
struct Replayed {
    log: Vec<String>,
    result: Result<Ret, Exit>,
    returned_after_forgotten: Option<usize>,
}

impl<'a> Replay<'a> {
    fn run(
        script: &Script,
        inputs: &'a [Input],
        at_end: AtEnd,
    ) -> (Vec<String>, Result<Ret, Exit>) {
        let replayed = Replay::run_call(script, inputs, at_end, false);
        (replayed.log, replayed.result)
    }

    fn run_call(
        script: &Script,
        inputs: &'a [Input],
        at_end: AtEnd,
        closing_call: bool,
    ) -> Replayed {
        let mut replay = Replay {
            inputs,
            pos: 0,
            at_end,
            closing: false,
            closing_call,
            forgotten: None,
            returned_after_forgotten: None,
            log: Vec::new(),
            depth: 0,
            close_mark: 0,
            delegations: 0,
        };
        let result = replay.frame(script);
        assert_eq!(replay.pos, inputs.len(), "model: inputs left over");
        Replayed {
            log: replay.log,
            result,
            returned_after_forgotten: replay.returned_after_forgotten,
        }
    }

    fn used_up(&self, suspended: Exit) -> Exit {
        match self.at_end {
            AtEnd::Suspend => suspended,
            AtEnd::Dropped => Exit::Dropped,
        }
    }

    /// A yield of `value`: what it evaluates to.
    fn yield_(&mut self, value: u32) -> Result<Input, Exit> {
        if self.closing && !self.closing_call {
            // `anext` finished a resume that began as a cancelled close.
            event("a yield after a cancelled close reached anext");
            if self.pos == self.inputs.len() {
                return Err(self.used_up(Exit::Suspend(value)));
            }
            self.closing = false;
            self.forgotten = Some(self.depth);
        } else if self.closing && self.pos < self.inputs.len() {
            // Went to an `anext` in an earlier call; this one is a close too.
            self.closing = false;
            self.forgotten = Some(self.depth);
        }
        if self.closing {
            event(if self.depth > 1 {
                "ignored close in a delegate"
            } else {
                "ignored close"
            });
            return Err(Exit::IgnoredClose(value));
        }
        if self.depth > 1 {
            event("driver reached from a delegate");
        }
        let Some(&input) = self.inputs.get(self.pos) else {
            return Err(self.used_up(Exit::Suspend(value)));
        };
        assert_ne!(input, Input::Poll, "model: a poll delivered at a yield");
        self.pos += 1;
        if input == Input::Close {
            self.closing = true;
            self.close_mark = self.delegations;
        }
        Ok(input)
    }

    /// An await of a future that is `Pending` once.
    fn pend(&mut self) -> Result<(), Exit> {
        let Some(&input) = self.inputs.get(self.pos) else {
            return Err(self.used_up(Exit::Pending));
        };
        assert_eq!(input, Input::Poll, "model: a value delivered at an await");
        self.pos += 1;
        if self.closing {
            event("close cleanup resumed after a pending await");
        }
        Ok(())
    }

    fn frame(&mut self, script: &Script) -> Result<Ret, Exit> {
        self.log.push(line::begin(&script.name));
        let mut locals = Locals {
            name: script.name.clone(),
            guards: Vec::new(),
        };
        self.depth += 1;
        let result = self.body(script, &mut locals);
        self.depth -= 1;
        match result {
            Err(ref exit) if !exit.drops() => result,
            _ => {
                for guard in &locals.guards {
                    self.log.push(line::dropped(guard));
                }
                self.log.push(line::dropped(&line::frame(&locals.name)));
                self.log.push(line::dropped(&line::arg(&locals.name)));
                result
            }
        }
    }

    fn body(&mut self, script: &Script, locals: &mut Locals) -> Result<Ret, Exit> {
        let name = script.name.as_str();
        for (i, step) in script.steps.iter().enumerate() {
            let at = line::at(name, i);
            match step {
                Step::Yield(value) => match self.yield_(*value)? {
                    Input::Next => self.log.push(line::got(&at, 0)),
                    Input::Send(sent) => self.log.push(line::got(&at, sent)),
                    Input::Throw(fault) => return Ok(Err(Fault(fault))),
                    Input::Close => return Err(Exit::Abandon),
                    Input::Poll => unreachable!(),
                },
                Step::Catch {
                    value,
                    on_close,
                    on_throw,
                } => match self.yield_(*value)? {
                    Input::Next => self.log.push(line::got(&at, 0)),
                    Input::Send(sent) => self.log.push(line::got(&at, sent)),
                    Input::Close => {
                        self.log.push(line::close(&at));
                        match *on_close {
                            OnClose::Return(r) => return Ok(Ok(r)),
                            OnClose::AwaitReturn(r) => {
                                self.pend()?;
                                self.log.push(line::cleaned_up(&at));
                                return Ok(Ok(r));
                            }
                            OnClose::Fail(c) => return Ok(Err(Fault(c))),
                            OnClose::Panic => return Err(Exit::Panic(line::close_panic(&at))),
                            OnClose::YieldAgain(again) | OnClose::AwaitYieldAgain(again) => {
                                if let OnClose::AwaitYieldAgain(_) = on_close {
                                    self.pend()?;
                                    self.log.push(line::cleaned_up(&at));
                                }
                                match self.yield_(again)? {
                                    Input::Next => {
                                        self.log.push(line::resumed_after_ignored_close(&at, 0))
                                    }
                                    Input::Send(sent) => {
                                        self.log.push(line::resumed_after_ignored_close(&at, sent))
                                    }
                                    Input::Throw(fault) => return Ok(Err(Fault(fault))),
                                    Input::Close => return Err(Exit::Abandon),
                                    Input::Poll => unreachable!(),
                                }
                            }
                        }
                    }
                    Input::Throw(fault) => {
                        self.log.push(line::throw(&at, fault));
                        match on_throw {
                            OnThrow::Handle => {}
                            OnThrow::AwaitHandle => {
                                self.pend()?;
                                self.log.push(line::cleaned_up(&at));
                            }
                            OnThrow::Propagate => return Ok(Err(Fault(fault))),
                            OnThrow::Panic => return Err(Exit::Panic(line::throw_panic(&at))),
                        }
                    }
                    Input::Poll => unreachable!(),
                },
                Step::Await(how) => {
                    if *how == Pend::Once {
                        self.pend()?;
                    }
                    self.log.push(line::awaited(&at));
                }
                Step::Guard => locals.guards.push(at),
                Step::Iter(items) | Step::Stream(items) => {
                    let thrown = self.iterate(&at, items);
                    let unwound = match &thrown {
                        Ok(_) => true,
                        Err(exit) => exit.drops(),
                    };
                    if unwound {
                        self.log.push(line::dropped(&line::iter(&at)));
                    }
                    if let Some(fault) = thrown? {
                        return Ok(Err(Fault(fault)));
                    }
                    self.log.push(line::iter_done(&at));
                }
                Step::Delegate { sub, on_err } => {
                    let id = self.delegations;
                    self.delegations += 1;
                    let result = self.frame(sub)?;
                    if self.closing && id < self.close_mark {
                        if result.is_err() {
                            // Its cleanup failed: that reaches this body
                            // instead of the close.
                            event("flat delegate failed in a close");
                        } else {
                            event("flat delegate returned from a close");
                            return Err(Exit::Abandon);
                        }
                    }
                    if self.forgotten.is_some_and(|depth| depth > self.depth) {
                        event("flat delegate returned after its close was over");
                        self.returned_after_forgotten.get_or_insert(self.pos);
                    }
                    if self.forgotten.is_some_and(|depth| depth > self.depth) {
                        self.forgotten = None;
                    }
                    self.log.push(line::delegated(&at, &result));
                    if let Err(Fault(fault)) = result {
                        match on_err {
                            OnErr::Propagate => return Ok(Err(Fault(fault))),
                            OnErr::Handle => self.log.push(line::handled(&at, fault)),
                        }
                    }
                }
            }
        }
        match script.end {
            End::Return(r) => {
                self.log.push(line::returns(name, r));
                Ok(Ok(r))
            }
            End::Fail(c) => {
                self.log.push(line::fails(name, c));
                Ok(Err(Fault(c)))
            }
            End::Panic => Err(Exit::Panic(line::end_panic(name))),
        }
    }

    fn iterate(&mut self, at: &str, items: &[u32]) -> Result<Option<u32>, Exit> {
        for &value in items {
            self.log.push(line::item(at, value));
            match self.yield_(value)? {
                Input::Next => {}
                Input::Send(sent) => {
                    event("send rejected by an iterator or a stream");
                    return Err(Exit::Rejected(sent));
                }
                Input::Throw(fault) => return Ok(Some(fault)),
                Input::Close => return Err(Exit::Abandon),
                Input::Poll => unreachable!(),
            }
        }
        Ok(None)
    }
}

/// What one call returned, as comparable data.
#[derive(Debug, Clone, PartialEq)]
enum Obs {
    Yielded(u32),
    Complete(Ret),
    /// `anext()` on a closed generator.
    Exhausted,
    /// `Stream::poll_next` ready.
    Item(Option<u32>),
    /// `Stream::poll_next` pending.
    StreamPending,
    /// The call's future was still pending after its polls and was dropped.
    Cancelled,
    Refused(ResumeErrorKind, Refused),
    CloseReturned(Option<Ret>),
    CloseIgnored(u32),
    Panicked(String),
    Dropped,
    /// What draining the stream gave.
    Drained(Vec<u32>),
}

#[derive(Debug, Clone, PartialEq)]
enum Refused {
    Nothing,
    Sent(u32),
    Thrown(Fault),
}

/// What delivering an input came to.
enum Outcome {
    Yielded(u32),
    Complete(Ret),
    Pending,
    Rejected(u32),
    Abandoned,
    Ignored(u32),
    Panicked(String),
}

#[derive(Clone)]
struct Model {
    root: Rc<Script>,
    state: GenState,
    history: Vec<Input>,
    log: Vec<String>,
    /// The last call met a known bug (see [`KNOWN_BUGS`]).
    bug: Option<&'static str>,
}

impl Model {
    fn new(root: Rc<Script>) -> Self {
        Model {
            root,
            state: GenState::Created,
            history: Vec::new(),
            log: Vec::new(),
            bug: None,
        }
    }

    fn discard_created(&mut self) {
        self.state = GenState::Closed;
        self.log.push(line::dropped(&line::arg(&self.root.name)));
    }

    /// Starts (`None`), resumes, or goes on with an in-flight resume
    /// (`Some(Input::Poll)`), polling at most `polls` times.
    fn deliver(&mut self, input: Option<Input>, polls: usize) -> Outcome {
        let mut inputs = self.history.clone();
        inputs.extend(input);
        let mut left = polls - 1;
        let closing_call = input == Some(Input::Close);
        let replayed = loop {
            let replayed = Replay::run_call(&self.root, &inputs, AtEnd::Suspend, closing_call);
            if replayed.result == Err(Exit::Pending) && left > 0 {
                left -= 1;
                inputs.push(Input::Poll);
                continue;
            }
            break replayed;
        };
        if replayed
            .returned_after_forgotten
            .is_some_and(|pos| pos > self.history.len())
        {
            self.bug = Some(BUG_STICKY_CLOSE_IN_FLAT);
        }
        let (log, result) = (replayed.log, replayed.result);
        assert!(
            log.starts_with(&self.log),
            "model: a replay did not reproduce the log so far\nbefore: {:#?}\nreplay: {log:#?}",
            self.log
        );
        let outcome = match result {
            Err(Exit::Suspend(value)) => {
                self.history = inputs;
                self.state = GenState::Suspended;
                Outcome::Yielded(value)
            }
            Err(Exit::Pending) => {
                self.history = inputs;
                self.state = GenState::Running;
                self.log = log;
                return Outcome::Pending;
            }
            Err(Exit::Rejected(sent)) => {
                assert_eq!(log, self.log, "model: a rejected send ran nothing");
                return Outcome::Rejected(sent);
            }
            Ok(r) => Outcome::Complete(r),
            Err(Exit::Abandon) => Outcome::Abandoned,
            Err(Exit::IgnoredClose(value)) => Outcome::Ignored(value),
            Err(Exit::Panic(message)) => Outcome::Panicked(message),
            Err(Exit::Dropped) => unreachable!("model: replayed to suspend"),
        };
        if !matches!(outcome, Outcome::Yielded(_)) {
            self.state = GenState::Closed;
        }
        self.log = log;
        outcome
    }

    /// A resume that is not a send or a close.
    fn resumed(&mut self, input: Option<Input>, polls: usize) -> Obs {
        let finishing = input == Some(Input::Poll);
        match self.deliver(input, polls) {
            Outcome::Yielded(value) => Obs::Yielded(value),
            Outcome::Complete(r) => Obs::Complete(r),
            Outcome::Pending => Obs::Cancelled,
            Outcome::Panicked(message) => Obs::Panicked(message),
            Outcome::Abandoned if finishing => {
                event("a finished resume abandoned the body");
                self.bug = Some(BUG_FINISHED_CLOSE_ABANDONS);
                Obs::Exhausted
            }
            _ => unreachable!("model: only a send is rejected, only a close abandons"),
        }
    }

    fn apply(&mut self, op: Op) -> Obs {
        use GenState::{Closed, Created, Running, Suspended};
        self.bug = None;
        let polls = op.polls();
        if self.state == Running {
            event("call on a running generator");
        }
        match (self.state, op) {
            (Created, Op::Start(_) | Op::Next(_)) => self.resumed(None, polls),
            (Created, Op::PollNext) => stream_item(self.resumed(None, 1)),
            (Created, Op::Send(v, _)) => {
                Obs::Refused(ResumeErrorKind::NotStarted, Refused::Sent(v))
            }
            (Created, Op::Throw(e, _)) => {
                self.discard_created();
                Obs::Refused(ResumeErrorKind::NotStarted, Refused::Thrown(Fault(e)))
            }
            (Created, Op::Close(_)) => {
                self.discard_created();
                Obs::CloseReturned(None)
            }
            (Suspended | Running, Op::Start(_)) => {
                Obs::Refused(ResumeErrorKind::AlreadyStarted, Refused::Nothing)
            }
            (Suspended, Op::Next(_)) => self.resumed(Some(Input::Next), polls),
            (Suspended, Op::PollNext) => stream_item(self.resumed(Some(Input::Next), 1)),
            (Suspended, Op::Send(v, _)) => match self.deliver(Some(Input::Send(v)), polls) {
                Outcome::Rejected(v) => {
                    Obs::Refused(ResumeErrorKind::Undeliverable, Refused::Sent(v))
                }
                Outcome::Yielded(value) => Obs::Yielded(value),
                Outcome::Complete(r) => Obs::Complete(r),
                Outcome::Pending => Obs::Cancelled,
                Outcome::Panicked(message) => Obs::Panicked(message),
                _ => unreachable!("model: only a close abandons"),
            },
            (Suspended, Op::Throw(e, _)) => self.resumed(Some(Input::Throw(e)), polls),
            (Suspended, Op::Close(_)) => match self.deliver(Some(Input::Close), polls) {
                Outcome::Complete(r) => Obs::CloseReturned(Some(r)),
                Outcome::Abandoned => Obs::CloseReturned(None),
                Outcome::Ignored(value) => Obs::CloseIgnored(value),
                Outcome::Panicked(message) => Obs::Panicked(message),
                Outcome::Pending => {
                    event("aclose cancelled");
                    Obs::Cancelled
                }
                Outcome::Yielded(_) | Outcome::Rejected(_) => {
                    unreachable!("model: a close never leaves the body suspended")
                }
            },
            (Running, Op::Next(_)) => self.resumed(Some(Input::Poll), polls),
            (Running, Op::PollNext) => stream_item(self.resumed(Some(Input::Poll), 1)),
            (Running, Op::Send(v, _)) => Obs::Refused(ResumeErrorKind::Running, Refused::Sent(v)),
            (Running, Op::Throw(e, _)) => {
                Obs::Refused(ResumeErrorKind::Running, Refused::Thrown(Fault(e)))
            }
            (Running, Op::Close(_)) => {
                event("aclose of a running generator");
                self.drop_in_place();
                Obs::CloseReturned(None)
            }
            (Closed, Op::Start(_)) => Obs::Refused(ResumeErrorKind::Closed, Refused::Nothing),
            (Closed, Op::Next(_)) => Obs::Exhausted,
            (Closed, Op::PollNext) => Obs::Item(None),
            (Closed, Op::Send(v, _)) => Obs::Refused(ResumeErrorKind::Closed, Refused::Sent(v)),
            (Closed, Op::Throw(e, _)) => {
                Obs::Refused(ResumeErrorKind::Closed, Refused::Thrown(Fault(e)))
            }
            (Closed, Op::Close(_)) => Obs::CloseReturned(None),
        }
    }

    /// A suspended or running generator is dropped in place: its live
    /// locals drop, no handler runs.
    fn drop_in_place(&mut self) {
        match self.state {
            GenState::Created => self.discard_created(),
            GenState::Closed => {}
            GenState::Suspended | GenState::Running => {
                let (log, result) = Replay::run(&self.root, &self.history, AtEnd::Dropped);
                assert_eq!(result, Err(Exit::Dropped), "model: dropped in place");
                assert!(log.starts_with(&self.log), "model: replay diverged");
                self.log = log;
                self.state = GenState::Closed;
            }
        }
    }

    fn finish(&mut self, finale: Finale) -> Obs {
        match finale {
            Finale::Drop => {
                if self.state == GenState::Running {
                    event("running generator dropped");
                }
                if self.state == GenState::Suspended {
                    // A drop closes a suspended generator as far as one poll
                    // goes: a handler that awaits is dropped at that await.
                    event("suspended generator closed by its drop");
                    match self.deliver(Some(Input::Close), 1) {
                        Outcome::Panicked(message) => return Obs::Panicked(message),
                        Outcome::Pending => event("a drop's close stopped at an await"),
                        _ => {}
                    }
                }
                self.drop_in_place();
                Obs::Dropped
            }
            Finale::Drain => {
                let mut items = Vec::new();
                loop {
                    match self.apply(Op::PollNext) {
                        Obs::Item(Some(value)) => items.push(value),
                        Obs::Item(None) => break,
                        Obs::StreamPending => {}
                        Obs::Panicked(message) => return Obs::Panicked(message),
                        other => unreachable!("model: poll_next gave {other:?}"),
                    }
                }
                self.drop_in_place();
                Obs::Drained(items)
            }
        }
    }
}

/// `Stream::poll_next` keeps only a yielded value; pending is pending.
fn stream_item(obs: Obs) -> Obs {
    match obs {
        Obs::Yielded(value) => Obs::Item(Some(value)),
        Obs::Complete(_) | Obs::Exhausted => Obs::Item(None),
        Obs::Cancelled => Obs::StreamPending,
        other => other,
    }
}

// ---------------------------------------------------------------------------
// Driving the real generators
// ---------------------------------------------------------------------------

/// How many times a call's future is polled before it is dropped.
#[derive(Debug, Clone, Copy)]
enum Polls {
    /// Polled once: dropped if pending (cancellation).
    Once,
    /// Polled until ready.
    Full,
}

/// The most polls a `Full` call makes (scripts pend far fewer times).
const MAX_POLLS: usize = 1000;

#[derive(Debug, Clone, Copy)]
enum Op {
    Start(Polls),
    Next(Polls),
    /// One `Stream::poll_next`.
    PollNext,
    Send(u32, Polls),
    Throw(u32, Polls),
    Close(Polls),
}

impl Op {
    fn polls(self) -> usize {
        match self {
            Op::Start(p) | Op::Next(p) | Op::Send(_, p) | Op::Throw(_, p) | Op::Close(p) => match p
            {
                Polls::Once => 1,
                Polls::Full => MAX_POLLS,
            },
            Op::PollNext => 1,
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Finale {
    /// Drop the handle: a suspended body is closed as far as one poll goes,
    /// then dropped in place.
    Drop,
    /// `Stream::poll_next` until `Ready(None)`, then drop.
    Drain,
}

#[derive(Debug, Clone, Copy)]
enum Form {
    /// `AsyncGen`, methods on `&mut self`.
    Movable,
    /// `Box::pin(g.into_pinned())`.
    PinnedBox,
    /// `pin!(g.into_pinned())`.
    PinnedStack,
}

/// Counts the wakes of the waker every call is polled with.
#[derive(Default)]
struct WakeCount(AtomicUsize);

impl ArcWake for WakeCount {
    fn wake_by_ref(arc_self: &Arc<Self>) {
        arc_self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// The manual executor: one waker, counts of polls that were pending.
struct Driver {
    wakes: Arc<WakeCount>,
    waker: std::task::Waker,
    pendings: usize,
}

impl Driver {
    fn new() -> Self {
        let wakes = Arc::new(WakeCount::default());
        Driver {
            waker: waker(wakes.clone()),
            wakes,
            pendings: 0,
        }
    }

    /// Polls `fut` at most `polls` times; `None` if it was still pending
    /// (it is dropped then).
    fn poll_up_to<F: Future>(&mut self, fut: F, polls: usize) -> Option<F::Output> {
        let mut fut = pin!(fut);
        let mut cx = Context::from_waker(&self.waker);
        for _ in 0..polls {
            match fut.as_mut().poll(&mut cx) {
                Poll::Ready(out) => return Some(out),
                Poll::Pending => self.pendings += 1,
            }
        }
        None
    }

    fn wakes(&self) -> usize {
        self.wakes.0.load(Ordering::SeqCst)
    }
}

/// The protocol of one handle form.
trait Handle {
    fn state(&self) -> GenState;
    fn call(&mut self, driver: &mut Driver, op: Op) -> Obs;
    /// Drops the generator (for a form that does not own it).
    fn drop_in_place(&mut self) {}
}

fn state_obs<T>(
    result: Option<Result<GeneratorState<u32, Ret>, ResumeError<T>>>,
    refused: impl FnOnce(T) -> Refused,
) -> Obs {
    match result {
        None => Obs::Cancelled,
        Some(Ok(GeneratorState::Yielded(value))) => Obs::Yielded(value),
        Some(Ok(GeneratorState::Complete(r))) => Obs::Complete(r),
        Some(Err(e)) => Obs::Refused(e.kind(), refused(e.into_inner())),
    }
}

fn next_obs(result: Option<Option<GeneratorState<u32, Ret>>>) -> Obs {
    match result {
        None => Obs::Cancelled,
        Some(Some(GeneratorState::Yielded(value))) => Obs::Yielded(value),
        Some(Some(GeneratorState::Complete(r))) => Obs::Complete(r),
        Some(None) => Obs::Exhausted,
    }
}

fn close_obs(result: Option<Result<Option<Ret>, CloseError<u32>>>) -> Obs {
    match result {
        None => Obs::Cancelled,
        Some(Ok(r)) => Obs::CloseReturned(r),
        Some(Err(ignored)) => Obs::CloseIgnored(ignored.into_inner()),
    }
}

fn stream_obs(poll: Poll<Option<u32>>) -> Obs {
    match poll {
        Poll::Ready(item) => Obs::Item(item),
        Poll::Pending => Obs::StreamPending,
    }
}

/// Implements [`Handle`] for a form; `$g` turns `&mut Self` into the
/// receiver of the protocol methods.
macro_rules! handle_impl {
    ($ty:ty, $state:path, |$this:ident| $g:expr, $stream:expr $(, |$d:ident| $drop:expr)?) => {
        impl<F: pygen::Body<Output = Ret>> Handle for $ty {
            fn state(&self) -> GenState {
                $state(self)
            }
            $(
                fn drop_in_place(&mut self) {
                    let $d = self;
                    $drop
                }
            )?
            fn call(&mut self, driver: &mut Driver, op: Op) -> Obs {
                let polls = op.polls();
                let $this = self;
                match op {
                    Op::Start(_) => state_obs(driver.poll_up_to($g.astart(), polls), |()| {
                        Refused::Nothing
                    }),
                    Op::Next(_) => next_obs(driver.poll_up_to($g.anext(), polls)),
                    Op::PollNext => {
                        let mut cx = Context::from_waker(&driver.waker);
                        let poll = $stream.poll_next(&mut cx);
                        if poll.is_pending() {
                            driver.pendings += 1;
                        }
                        stream_obs(poll)
                    }
                    Op::Send(v, _) => state_obs(driver.poll_up_to($g.asend(v), polls), Refused::Sent),
                    Op::Throw(e, _) => state_obs(
                        driver.poll_up_to($g.athrow(Fault(e)), polls),
                        Refused::Thrown,
                    ),
                    Op::Close(_) => close_obs(driver.poll_up_to($g.aclose(), polls)),
                }
            }
        }
    };
}

handle_impl!(AsyncGen<F, u32, u32, Fault>, AsyncGen::state, |g| g, Pin::new(&mut *g));
handle_impl!(
    Pin<Box<PinnedAsyncGen<F, u32, u32, Fault>>>,
    PinnedAsyncGen::state,
    |g| g.as_mut(),
    g.as_mut()
);
handle_impl!(
    Pin<&mut Option<PinnedAsyncGen<F, u32, u32, Fault>>>,
    pinned_on_stack_state,
    |g| g.as_mut().as_pin_mut().expect("not dropped yet"),
    g.as_mut().as_pin_mut().expect("not dropped yet"),
    |g| g.set(None)
);

/// `state()` of a generator pinned on the stack (in an `Option`, so that
/// the finale can drop it in place).
fn pinned_on_stack_state<G: pygen::Body<Output = Ret>>(
    g: &Pin<&mut Option<PinnedAsyncGen<G, u32, u32, Fault>>>,
) -> GenState {
    g.as_ref()
        .get_ref()
        .as_ref()
        .map_or(GenState::Closed, PinnedAsyncGen::state)
}

/// Makes one call on the real generator; a panic is an observation too.
fn call<H: Handle>(handle: &mut H, driver: &mut Driver, op: Op) -> Obs {
    catch_unwind(AssertUnwindSafe(|| handle.call(driver, op)))
        .unwrap_or_else(|payload| Obs::Panicked(panic_message(&*payload)))
}

/// Ends the real generator's life.
fn finish<H: Handle>(mut handle: H, driver: &mut Driver, finale: Finale) -> Obs {
    let drained = match finale {
        Finale::Drop => None,
        Finale::Drain => {
            let mut items = Vec::new();
            for _ in 0..MAX_POLLS {
                match call(&mut handle, driver, Op::PollNext) {
                    Obs::Item(Some(value)) => items.push(value),
                    Obs::Item(None) => break,
                    Obs::StreamPending => {}
                    other => {
                        handle.drop_in_place();
                        drop(handle);
                        return other;
                    }
                }
            }
            Some(items)
        }
    };
    match catch_unwind(AssertUnwindSafe(move || {
        handle.drop_in_place();
        drop(handle)
    })) {
        Ok(()) => drained.map_or(Obs::Dropped, Obs::Drained),
        Err(payload) => Obs::Panicked(panic_message(&*payload)),
    }
}

#[derive(Debug, Clone)]
struct Case {
    script: Rc<Script>,
    form: Form,
    ops: Vec<Op>,
    finale: Finale,
}

#[derive(Debug, Default)]
struct Coverage {
    seen: std::collections::BTreeMap<&'static str, usize>,
    events: std::collections::BTreeMap<&'static str, usize>,
    skipped: usize,
}

impl Coverage {
    fn record(&mut self, obs: &Obs) {
        let kind = match obs {
            Obs::Yielded(_) => "yielded",
            Obs::Complete(Ok(_)) => "complete ok",
            Obs::Complete(Err(_)) => "complete err",
            Obs::Exhausted => "exhausted",
            Obs::Item(Some(_)) => "item",
            Obs::Item(None) => "item none",
            Obs::StreamPending => "stream pending",
            Obs::Cancelled => "cancelled",
            Obs::Refused(ResumeErrorKind::NotStarted, _) => "refused not started",
            Obs::Refused(ResumeErrorKind::AlreadyStarted, _) => "refused already started",
            Obs::Refused(ResumeErrorKind::Closed, _) => "refused closed",
            Obs::Refused(ResumeErrorKind::Undeliverable, _) => "refused undeliverable",
            Obs::Refused(ResumeErrorKind::Running, _) => "refused running",
            Obs::CloseReturned(Some(_)) => "close returned value",
            Obs::CloseReturned(None) => "close returned none",
            Obs::CloseIgnored(_) => "close ignored",
            Obs::Panicked(_) => "panic",
            Obs::Dropped => "dropped",
            Obs::Drained(_) => "drained",
        };
        *self.seen.entry(kind).or_default() += 1;
    }
}

fn check_case(case: &Case, coverage: &RefCell<Coverage>) -> Result<(), TestCaseError> {
    check_case_with(case, coverage, true)
}

/// `bugs`: whether a case goes on past a known bug (see [`KNOWN_BUGS`]).
fn check_case_with(
    case: &Case,
    coverage: &RefCell<Coverage>,
    bugs: bool,
) -> Result<(), TestCaseError> {
    let ctx = Ctx::default();
    let arg = ctx.guard(line::arg(&case.script.name));
    let g = level0(ctx.clone(), case.script.clone(), arg);
    match case.form {
        Form::Movable => drive(g, case, &ctx, coverage, bugs),
        Form::PinnedBox => drive(Box::pin(g.into_pinned()), case, &ctx, coverage, bugs),
        Form::PinnedStack => {
            let pinned = pin!(Some(g.into_pinned()));
            drive(pinned, case, &ctx, coverage, bugs)
        }
    }
}

fn drive<H: Handle>(
    mut handle: H,
    case: &Case,
    ctx: &Ctx,
    coverage: &RefCell<Coverage>,
    bugs: bool,
) -> Result<(), TestCaseError> {
    EVENTS.with(|events| events.borrow_mut().clear());
    let mut driver = Driver::new();
    let mut model = Model::new(case.script.clone());
    let mut finale = case.finale;
    for (n, &op) in case.ops.iter().enumerate() {
        let before = model.clone();
        let expected = model.apply(op);
        if model.bug.is_some() && !bugs {
            model = before;
            // A known bug: end the case here, dropping the generator.
            coverage.borrow_mut().skipped += 1;
            finale = Finale::Drop;
            break;
        }
        let got = call(&mut handle, &mut driver, op);
        coverage.borrow_mut().record(&got);
        let context = || format!("call #{n} {op:?} of {:?}", case.ops);
        prop_assert_eq!(&got, &expected, "{}: returned", context());
        prop_assert_eq!(handle.state(), model.state, "{}: state()", context());
        prop_assert_eq!(ctx.lines(), model.log.clone(), "{}: log", context());
    }
    // The model of a drain may meet a known bug too: then just drop.
    let expected = {
        let mut probe = model.clone();
        let expected = probe.finish(finale);
        if probe.bug.is_some() && !bugs {
            coverage.borrow_mut().skipped += 1;
            finale = Finale::Drop;
            model.finish(finale)
        } else {
            model = probe;
            expected
        }
    };
    let got = finish(handle, &mut driver, finale);
    coverage.borrow_mut().record(&got);
    prop_assert_eq!(&got, &expected, "{:?} after {:?}", finale, case.ops);
    prop_assert_eq!(ctx.lines(), model.log.clone(), "log after {:?}", finale);
    EVENTS.with(|events| {
        let mut coverage = coverage.borrow_mut();
        for &event in events.borrow().iter() {
            *coverage.events.entry(event).or_default() += 1;
        }
    });
    prop_assert_eq!(
        ctx.0.dropped.get(),
        ctx.0.made.get(),
        "every guard dropped exactly once"
    );
    prop_assert_eq!(
        driver.wakes(),
        driver.pendings,
        "every Pending woke the waker once"
    );
    Ok(())
}

// ---------------------------------------------------------------------------
// Strategies
// ---------------------------------------------------------------------------

/// Levels of nested generators below the outermost.
const DEPTH: u32 = 2;

fn script_strategy(depth: u32) -> BoxedStrategy<Script> {
    let max_steps = if depth == DEPTH { 8 } else { 5 };
    (
        prop::collection::vec(step_strategy(depth), 0..=max_steps),
        end_strategy(),
    )
        .prop_map(|(steps, end)| Script {
            name: String::new(),
            steps,
            end,
        })
        .boxed()
}

fn step_strategy(depth: u32) -> BoxedStrategy<Step> {
    let value = 0u32..50;
    let simple = prop_oneof![
        4 => value.clone().prop_map(Step::Yield),
        4 => (value.clone(), on_close_strategy(), on_throw_strategy()).prop_map(
            |(value, on_close, on_throw)| Step::Catch { value, on_close, on_throw }
        ),
        3 => prop_oneof![1 => Just(Pend::Ready), 3 => Just(Pend::Once)].prop_map(Step::Await),
        1 => Just(Step::Guard),
        1 => prop::collection::vec(value.clone(), 0..=3).prop_map(Step::Iter),
        1 => prop::collection::vec(value, 0..=3).prop_map(Step::Stream),
    ];
    if depth == 0 {
        return simple.boxed();
    }
    let sub = script_strategy(depth - 1).prop_map(Rc::new);
    prop_oneof![
        14 => simple,
        3 => (sub, prop_oneof![Just(OnErr::Propagate), Just(OnErr::Handle)])
            .prop_map(|(sub, on_err)| Step::Delegate { sub, on_err }),
    ]
    .boxed()
}

fn on_close_strategy() -> impl Strategy<Value = OnClose> {
    prop_oneof![
        2 => (0u32..50).prop_map(OnClose::Return),
        3 => (0u32..50).prop_map(OnClose::AwaitReturn),
        1 => (0u32..10).prop_map(OnClose::Fail),
        1 => (0u32..50).prop_map(OnClose::YieldAgain),
        1 => (0u32..50).prop_map(OnClose::AwaitYieldAgain),
        1 => Just(OnClose::Panic),
    ]
}

fn on_throw_strategy() -> impl Strategy<Value = OnThrow> {
    prop_oneof![
        2 => Just(OnThrow::Handle),
        2 => Just(OnThrow::AwaitHandle),
        2 => Just(OnThrow::Propagate),
        1 => Just(OnThrow::Panic),
    ]
}

fn end_strategy() -> impl Strategy<Value = End> {
    prop_oneof![
        6 => (0u32..50).prop_map(End::Return),
        2 => (0u32..10).prop_map(End::Fail),
        1 => Just(End::Panic),
    ]
}

fn polls_strategy() -> impl Strategy<Value = Polls> {
    prop_oneof![2 => Just(Polls::Full), 1 => Just(Polls::Once)]
}

fn op_strategy() -> impl Strategy<Value = Op> {
    prop_oneof![
        10 => polls_strategy().prop_map(Op::Next),
        4 => Just(Op::PollNext),
        1 => polls_strategy().prop_map(Op::Start),
        6 => ((0u32..5), polls_strategy()).prop_map(|(v, p)| Op::Send(v, p)),
        2 => ((0u32..10), polls_strategy()).prop_map(|(e, p)| Op::Throw(e, p)),
        2 => polls_strategy().prop_map(Op::Close),
    ]
}

fn named(script: &Script, name: &str) -> Script {
    let steps = script
        .steps
        .iter()
        .enumerate()
        .map(|(i, step)| match step {
            Step::Delegate { sub, on_err } => Step::Delegate {
                sub: Rc::new(named(sub, &line::sub(name, i))),
                on_err: *on_err,
            },
            other => other.clone(),
        })
        .collect();
    Script {
        name: name.to_string(),
        steps,
        end: script.end,
    }
}

fn case_strategy() -> impl Strategy<Value = Case> {
    (
        script_strategy(DEPTH),
        prop_oneof![
            Just(Form::Movable),
            Just(Form::PinnedBox),
            Just(Form::PinnedStack),
        ],
        prop::collection::vec(op_strategy(), 0..=20),
        prop_oneof![3 => Just(Finale::Drop), 1 => Just(Finale::Drain)],
    )
        .prop_map(|(script, form, ops, finale)| Case {
            script: Rc::new(named(&script, "r")),
            form,
            ops,
            finale,
        })
}

// ---------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------

#[test]
fn async_generators_follow_the_model() {
    quiet_model_panics();
    let cases = cases();
    let mut runner = TestRunner::new(Config {
        cases,
        source_file: Some(file!()),
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..Config::default()
    });
    let coverage = RefCell::new(Coverage::default());
    let result = runner.run(&case_strategy(), |case| check_case(&case, &coverage));
    if let Err(failure) = result {
        panic!("{failure}");
    }
    let coverage = coverage.into_inner();
    eprintln!("model_async: {cases} cases; results: {:#?}", coverage.seen);
    eprintln!("model_async: cases per situation: {:#?}", coverage.events);
    eprintln!(
        "model_async: {} cases cut short at a known bug ({KNOWN_BUGS:?})",
        coverage.skipped
    );
    if cases >= 2_000 {
        for kind in [
            "yielded",
            "complete ok",
            "complete err",
            "exhausted",
            "item",
            "item none",
            "stream pending",
            "cancelled",
            "refused not started",
            "refused already started",
            "refused closed",
            "refused undeliverable",
            "refused running",
            "close returned value",
            "close returned none",
            "close ignored",
            "panic",
            "dropped",
            "drained",
        ] {
            assert!(
                coverage.seen.contains_key(kind),
                "no generated case reached {kind:?}: {:?}",
                coverage.seen
            );
        }
    }
}

/// The model itself, checked by hand on one case: a throw whose handler
/// awaits, cancelled mid-way; a send refused while the generator runs; the
/// next `anext` finishing the resume through one more pending await; a
/// close at a plain yield.
#[test]
fn the_model_agrees_with_a_hand_written_trace() {
    let root = Rc::new(Script {
        name: "r".to_string(),
        steps: vec![
            Step::Guard,
            Step::Catch {
                value: 1,
                on_close: OnClose::AwaitReturn(5),
                on_throw: OnThrow::AwaitHandle,
            },
            Step::Await(Pend::Once),
            Step::Yield(9),
        ],
        end: End::Return(1),
    });
    let ops = vec![
        Op::Send(4, Polls::Full),
        Op::Next(Polls::Full),
        Op::Throw(3, Polls::Once),
        Op::Send(2, Polls::Full),
        Op::Start(Polls::Full),
        Op::Next(Polls::Full),
        Op::Close(Polls::Full),
        Op::PollNext,
    ];
    let mut model = Model::new(root.clone());
    let results: Vec<(Obs, GenState)> = ops
        .iter()
        .map(|&op| (model.apply(op), model.state))
        .collect();
    assert_eq!(
        results,
        [
            (
                Obs::Refused(ResumeErrorKind::NotStarted, Refused::Sent(4)),
                GenState::Created
            ),
            (Obs::Yielded(1), GenState::Suspended),
            (Obs::Cancelled, GenState::Running),
            (
                Obs::Refused(ResumeErrorKind::Running, Refused::Sent(2)),
                GenState::Running
            ),
            (
                Obs::Refused(ResumeErrorKind::AlreadyStarted, Refused::Nothing),
                GenState::Running
            ),
            (Obs::Yielded(9), GenState::Suspended),
            (Obs::CloseReturned(None), GenState::Closed),
            (Obs::Item(None), GenState::Closed),
        ]
    );
    assert_eq!(model.finish(Finale::Drop), Obs::Dropped);
    assert_eq!(
        model.log,
        [
            "r begin",
            "r@1 throw 3",
            "r@1 cleaned up",
            "r@2 awaited",
            "drop r@0",
            "drop r frame",
            "drop r arg",
        ]
    );

    // And the generators agree with it, in every form.
    quiet_model_panics();
    for form in [Form::Movable, Form::PinnedBox, Form::PinnedStack] {
        for finale in [Finale::Drop, Finale::Drain] {
            let case = Case {
                script: root.clone(),
                form,
                ops: ops.clone(),
                finale,
            };
            if let Err(e) = check_case(&case, &RefCell::default()) {
                panic!("{form:?} {finale:?}: {e}");
            }
        }
    }
}

/// `aclose()` cancelled while a flat delegate's close handler awaits leaves
/// the generator running: a second `aclose()` drops it in place (no handler
/// runs, only destructors), an `asend()` is refused and the drop at the end
/// drops it in place.
#[test]
fn dropping_a_generator_whose_aclose_was_cancelled_drops_in_place() {
    quiet_model_panics();
    let sub = Script {
        name: "r.1".to_string(),
        steps: vec![Step::Catch {
            value: 7,
            on_close: OnClose::AwaitReturn(5),
            on_throw: OnThrow::Handle,
        }],
        end: End::Return(4),
    };
    let root = Rc::new(Script {
        name: "r".to_string(),
        steps: vec![
            Step::Guard,
            Step::Delegate {
                sub: Rc::new(sub),
                on_err: OnErr::Propagate,
            },
        ],
        end: End::Return(1),
    });
    for form in [Form::Movable, Form::PinnedBox, Form::PinnedStack] {
        for last in [Op::Close(Polls::Full), Op::Send(1, Polls::Full)] {
            let case = Case {
                script: root.clone(),
                form,
                ops: vec![Op::Next(Polls::Full), Op::Close(Polls::Once), last],
                finale: Finale::Drop,
            };
            if let Err(e) = check_case(&case, &RefCell::default()) {
                panic!("{form:?}: {e}");
            }
        }
    }
}

/// Known bug [`BUG_FINISHED_CLOSE_ABANDONS`], minimal: `aclose()` is
/// cancelled while a flat delegate's close handler awaits; the next `anext()`
/// finishes the resume, the delegate returns, the close is raised in the
/// delegating body at its `yield_from!` and abandons it. `anext()` should
/// report the generator finished; it used to panic with "pygen internal
/// invariant broken: only a send is rejected and only a close abandons"
/// (fixed: `next_result` in `handle/driver.rs`).
#[test]
fn regression_anext_finishing_a_cancelled_aclose_in_a_delegate() {
    quiet_model_panics();
    let sub = Script {
        name: "r.0".to_string(),
        steps: vec![Step::Catch {
            value: 0,
            on_close: OnClose::AwaitReturn(0),
            on_throw: OnThrow::Handle,
        }],
        end: End::Return(0),
    };
    let root = Rc::new(Script {
        name: "r".to_string(),
        steps: vec![Step::Delegate {
            sub: Rc::new(sub),
            on_err: OnErr::Propagate,
        }],
        end: End::Return(0),
    });
    for form in [Form::Movable, Form::PinnedBox, Form::PinnedStack] {
        for last in [Op::Next(Polls::Full), Op::PollNext] {
            let case = Case {
                script: root.clone(),
                form,
                ops: vec![Op::Next(Polls::Full), Op::Close(Polls::Once), last],
                finale: Finale::Drop,
            };
            if let Err(e) = check_case_with(&case, &RefCell::default(), true) {
                panic!("{form:?}: {e}");
            }
        }
    }
}

/// Known bug [`BUG_STICKY_CLOSE_IN_FLAT`], minimal: `aclose()` is cancelled
/// while a flat delegate's close handler awaits; the next `anext()` finishes
/// the resume and gets the value the handler yields next; the close is
/// over. The `anext()` after that should let the delegate return `Ok(3)` to
/// the `yield_from!` and go on to the outer yield of 9; the delegation still
/// used to remember the close (now the frames' `closing` flags, `engine/header.rs`) and abandon
/// the delegating body instead (fixed: a resume with a value clears it).
#[test]
fn regression_flat_delegation_remembers_a_close_that_is_over() {
    quiet_model_panics();
    let sub = Script {
        name: "r.0".to_string(),
        steps: vec![Step::Catch {
            value: 0,
            on_close: OnClose::AwaitYieldAgain(7),
            on_throw: OnThrow::Handle,
        }],
        end: End::Return(3),
    };
    let root = Rc::new(Script {
        name: "r".to_string(),
        steps: vec![
            Step::Delegate {
                sub: Rc::new(sub),
                on_err: OnErr::Propagate,
            },
            Step::Yield(9),
        ],
        end: End::Return(0),
    });
    let ops = vec![
        Op::Next(Polls::Full),
        Op::Close(Polls::Once),
        Op::Next(Polls::Full),
        Op::Next(Polls::Full),
    ];
    let mut model = Model::new(root.clone());
    let results: Vec<Obs> = ops.iter().map(|&op| model.apply(op)).collect();
    assert_eq!(
        results,
        [
            Obs::Yielded(0),
            Obs::Cancelled,
            Obs::Yielded(7),
            Obs::Yielded(9)
        ]
    );
    for form in [Form::Movable, Form::PinnedBox, Form::PinnedStack] {
        let case = Case {
            script: root.clone(),
            form,
            ops: ops.clone(),
            finale: Finale::Drop,
        };
        if let Err(e) = check_case_with(&case, &RefCell::default(), true) {
            panic!("{form:?}: {e}");
        }
    }
}
