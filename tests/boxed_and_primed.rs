//! `#[generator(boxed)]` (a generator whose type can be named), `primed`
//! (Python's `@coroutine`) and `Shared` (one generator fed by several
//! others), sync and async.

use std::cell::RefCell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::rc::Rc;

use futures::executor::block_on;
use pygen::{
    BoxAsyncGen, BoxGen, BoxGenSend, GenState, GeneratorState, ResumeErrorKind, Shared, generator,
    yield_, yield_from,
};

#[generator(yield = u64, boxed)]
fn count(n: u64) -> u64 {
    for i in 0..n {
        yield_!(i);
    }
    n
}

#[test]
fn a_boxed_generator_has_a_type_to_name() {
    let stages: Vec<BoxGen<'static, u64, u64>> = vec![count(2), count(3)];
    let all: Vec<u64> = stages.into_iter().flatten().collect();
    assert_eq!(all, [0, 1, 0, 1, 2]);
}

/// A trait whose method is a generator, used as `dyn`.
trait Source {
    fn items(&self) -> BoxGen<'_, u64, ()>;
}

struct Numbers(Vec<u64>);

impl Source for Numbers {
    #[generator(yield = u64, boxed)]
    fn items(&self) {
        for &x in &self.0 {
            yield_!(x);
        }
    }
}

struct Doubled<'a>(&'a dyn Source);

impl Source for Doubled<'_> {
    #[generator(yield = u64, boxed)]
    fn items(&self) {
        for x in self.0.items() {
            yield_!(2 * x);
        }
    }
}

#[test]
fn generator_methods_of_a_dyn_trait() {
    let base = Numbers(vec![1, 2]);
    let sources: Vec<Box<dyn Source + '_>> =
        vec![Box::new(Numbers(vec![5])), Box::new(Doubled(&base))];
    let all: Vec<u64> = sources.iter().flat_map(|s| s.items()).collect();
    assert_eq!(all, [5, 2, 4]);
}

/// Two named lifetimes: the box gets one both outlive.
#[generator(yield = u64, boxed)]
fn zip_sum<'a, 'b>(a: &'a [u64], b: &'b [u64]) {
    for (x, y) in a.iter().zip(b) {
        yield_!(x + y);
    }
}

#[generator(yield = u64, boxed = Send)]
fn sent(items: Vec<u64>) {
    for x in items {
        yield_!(x);
    }
}

/// The lifetimes of a callback's own arguments (`fn(&u64)`, `Fn(&u64)`)
/// are not the box's: one borrowed slice, so the box's lifetime is `'_`.
#[generator(yield = u64, boxed)]
fn mapped(items: &[u64], f: fn(&u64) -> u64, g: impl Fn(&u64) -> u64 + 'static) {
    for x in items {
        yield_!(g(&f(x)));
    }
}

#[test]
fn boxed_with_lifetimes_and_send() {
    assert_eq!(
        mapped(&[1, 2], |x| x + 1, |x| x * 10).collect::<Vec<_>>(),
        [20, 30]
    );
    let (a, b) = (vec![1, 2], vec![10, 20]);
    assert_eq!(zip_sum(&a, &b).collect::<Vec<_>>(), [11, 22]);
    let g: BoxGenSend<'static, u64, ()> = sent(vec![7, 8]);
    let got = std::thread::spawn(move || g.collect::<Vec<_>>())
        .join()
        .unwrap();
    assert_eq!(got, [7, 8]);
}

#[test]
fn a_boxed_generator_delegates_and_is_delegated_to() {
    #[generator(yield = u64, boxed)]
    fn tree(depth: u32) {
        yield_!(u64::from(depth));
        if depth > 0 {
            yield_from!(tree(depth - 1));
            yield_from!(tree(depth - 1));
        }
    }
    assert_eq!(tree(2).collect::<Vec<_>>(), [2, 1, 0, 0, 1, 0, 0]);
}

type Log = Rc<RefCell<Vec<String>>>;

/// Beazley's `printer`, primed where it is made.
#[generator(yield = (), send = String, primed)]
fn printer(log: Log) {
    loop {
        let line = yield_!(());
        log.borrow_mut().push(line);
    }
}

#[generator(yield = (), send = String, boxed, primed)]
fn grep(pattern: &'static str, target: Shared<BoxGen<'static, (), (), String>>) {
    loop {
        let line = yield_!(());
        if line.contains(pattern) {
            target.send(line).unwrap();
        }
    }
}

#[test]
fn primed_generators_take_send_at_once() {
    let log = Log::default();
    let mut p = printer(log.clone());
    assert_eq!(p.state(), GenState::Suspended);
    p.send("one".into()).unwrap();
    assert_eq!(*log.borrow(), ["one"]);
}

#[test]
fn shared_printer_fed_by_several_greps() {
    #[generator(yield = (), send = String, boxed, primed)]
    fn shared_printer(log: Log) {
        loop {
            let line = yield_!(());
            log.borrow_mut().push(line);
        }
    }
    let log = Log::default();
    let p = Shared::new(shared_printer(log.clone()));
    let mut greps = vec![grep("python", p.clone()), grep("ply", p.clone())];
    for line in ["a python", "ply python", "other"] {
        for g in &mut greps {
            g.send(line.to_string()).unwrap();
        }
    }
    assert_eq!(*log.borrow(), ["a python", "ply python", "ply python"]);
    assert_eq!(p.state(), GenState::Suspended);
}

/// Where a generator finds the shared handle to itself.
type Me = Rc<RefCell<Option<Shared<BoxGen<'static, (), u32, u32>>>>>;

#[test]
fn a_shared_generator_resumed_from_its_own_resume_is_running() {
    let cell: Me = Rc::default();
    #[generator(yield = (), send = u32, boxed)]
    fn reentrant(me: Me) -> u32 {
        let v = yield_!(());
        let me = me.borrow().clone().unwrap();
        let refused = me.send(v + 1).unwrap_err();
        assert_eq!(refused.kind(), ResumeErrorKind::Running);
        refused.into_inner()
    }
    let shared = Shared::new(reentrant(cell.clone()));
    *cell.borrow_mut() = Some(shared.clone());
    shared.start().unwrap();
    assert_eq!(shared.send(1), Ok(GeneratorState::Complete(2)));
    *cell.borrow_mut() = None;
}

/// A generator that delegates to itself through its shared handle: Python
/// raises `ValueError: generator already executing`; the delegation must
/// not end as if the delegate had finished.
#[test]
fn a_shared_generator_delegating_to_itself_panics() {
    type Cell = Rc<RefCell<Option<Shared<BoxGen<'static, u32, ()>>>>>;
    #[generator(yield = u32, boxed)]
    fn cyclic(me: Cell) {
        yield_!(1);
        let me = me.borrow().clone().unwrap();
        yield_from!(me);
    }
    let cell: Cell = Rc::default();
    let shared = Shared::new(cyclic(cell.clone()));
    *cell.borrow_mut() = Some(shared.clone());
    assert_eq!(shared.resume(), Some(GeneratorState::Yielded(1)));
    let payload = catch_unwind(AssertUnwindSafe(|| shared.resume())).unwrap_err();
    let message = payload.downcast_ref::<&str>().copied().unwrap_or_default();
    assert!(message.contains("already executing"), "{message}");
    *cell.borrow_mut() = None;
}

#[test]
fn priming_a_generator_that_returns_at_once_panics() {
    #[generator(yield = (), send = u8)]
    fn done() -> u8 {
        7
    }
    let payload = catch_unwind(AssertUnwindSafe(|| done().primed())).unwrap_err();
    let message = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    assert!(
        message.contains("returned before its first yield"),
        "{message}"
    );
    // A started generator is returned as it is.
    let mut g = done();
    assert_eq!(g.start(), Ok(GeneratorState::Complete(7)));
    assert_eq!(g.primed().state(), GenState::Closed);
}

#[generator(yield = usize, send = String, boxed)]
async fn lengths() {
    let mut line = yield_!(0);
    loop {
        line = yield_!(line.len());
    }
}

#[test]
fn async_generators_box_and_prime() {
    block_on(async {
        let g: BoxAsyncGen<'static, usize, (), String> = lengths();
        let mut g = g.primed().await;
        assert_eq!(g.asend("four".into()).await, Ok(GeneratorState::Yielded(4)));
    });
}
