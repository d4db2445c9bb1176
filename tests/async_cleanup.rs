//! Cleanup of async generators that are dropped, and `aclosing`: a drop
//! closes a suspended async generator as far as that goes without waiting
//! (Python's event loop closes an abandoned async generator through its
//! finalizer hook). Also run under Miri (`scripts/miri.sh`): the drop goes
//! through `Pin` as a synchronous generator's does.

use std::cell::RefCell;
use std::pin::pin;
use std::rc::Rc;

use futures::StreamExt;
use futures::executor::block_on;
use pygen::{GenState, GeneratorState, generator, yield_, yield_catch};

type Log = Rc<RefCell<Vec<&'static str>>>;

#[generator(yield = u64)]
async fn count(log: Log) {
    let mut i = 0;
    while yield_catch!(i).is_ok() {
        i += 1;
    }
    log.borrow_mut().push("count cleanup");
}

/// Holds `count()` as a stream, as `async for x in count()` does.
#[generator(yield = u64)]
async fn double(log: Log) {
    let mut inner = count(log.clone());
    while let Some(x) = inner.next().await {
        if yield_catch!(2 * x).is_err() {
            break;
        }
    }
    log.borrow_mut().push("double cleanup");
}

/// A consumer that `break`s drops the generator: its handler runs.
#[test]
fn a_generator_dropped_after_a_break_runs_its_cleanup() {
    let log = Log::default();
    block_on(async {
        let mut g = count(log.clone());
        while let Some(i) = g.next().await {
            if i == 2 {
                break;
            }
        }
        assert!(log.borrow().is_empty());
    });
    assert_eq!(*log.borrow(), ["count cleanup"]);
}

/// bpo's `double()` / `count()`: Python prints "double cleanup", then
/// "count cleanup" (the inner generator, left suspended by the `async for`
/// that the close broke out of, is finalized after).
#[test]
fn aclose_of_an_outer_generator_cleans_up_the_inner_one_after_it() {
    let log = Log::default();
    block_on(async {
        let mut g = double(log.clone());
        assert_eq!(g.anext().await, Some(GeneratorState::Yielded(0)));
        assert_eq!(g.aclose().await, Ok(Some(())));
    });
    assert_eq!(*log.borrow(), ["double cleanup", "count cleanup"]);
}

#[test]
fn dropping_the_outer_generator_cleans_up_both() {
    let log = Log::default();
    block_on(async {
        let mut g = double(log.clone());
        assert_eq!(g.next().await, Some(0));
        assert_eq!(g.next().await, Some(2));
    });
    assert_eq!(*log.borrow(), ["double cleanup", "count cleanup"]);
}

/// A handler that awaits something not ready is dropped at that await.
#[test]
fn a_cleanup_that_waits_is_dropped_at_its_await() {
    #[generator(yield = u64)]
    async fn waits(log: Log) {
        if yield_catch!(1).is_err() {
            log.borrow_mut().push("before the await");
            futures::future::pending::<()>().await;
            log.borrow_mut().push("after the await");
        }
    }
    let log = Log::default();
    block_on(async {
        let mut g = waits(log.clone());
        assert_eq!(g.next().await, Some(1));
    });
    assert_eq!(*log.borrow(), ["before the await"]);
}

/// A handler whose await is ready at once runs to its end.
#[test]
fn a_cleanup_whose_awaits_are_ready_runs_to_its_end() {
    #[generator(yield = u64)]
    async fn ready(log: Log) {
        if yield_catch!(1).is_err() {
            futures::future::ready(()).await;
            log.borrow_mut().push("done");
        }
    }
    let log = Log::default();
    block_on(async {
        let mut g = ready(log.clone());
        assert_eq!(g.next().await, Some(1));
    });
    assert_eq!(*log.borrow(), ["done"]);
}

/// A handler that yields instead of finishing (an ignored close) is
/// dropped at that yield; a plain `yield_!` just drops the body.
#[test]
fn a_cleanup_that_yields_is_dropped_and_plain_yields_drop() {
    #[generator(yield = u64)]
    async fn stubborn(log: Log) {
        if yield_catch!(1).is_err() {
            log.borrow_mut().push("caught");
            yield_!(2);
            log.borrow_mut().push("never");
        }
    }
    #[generator(yield = u64)]
    async fn plain(log: Log) {
        struct Guard(Log);
        impl Drop for Guard {
            fn drop(&mut self) {
                self.0.borrow_mut().push("guard dropped");
            }
        }
        let _guard = Guard(log);
        yield_!(1);
    }
    let log = Log::default();
    block_on(async {
        let mut g = stubborn(log.clone());
        assert_eq!(g.next().await, Some(1));
        let mut p = plain(log.clone());
        assert_eq!(p.next().await, Some(1));
    });
    assert_eq!(*log.borrow(), ["guard dropped", "caught"]);
}

/// The pinned form closes on drop too; an unstarted or finished one runs
/// nothing.
#[test]
fn the_pinned_form_and_unstarted_generators() {
    let log = Log::default();
    block_on(async {
        let mut g = pin!(count(log.clone()).into_pinned());
        assert_eq!(g.as_mut().anext().await, Some(GeneratorState::Yielded(0)));
    });
    assert_eq!(*log.borrow(), ["count cleanup"]);
    drop(count(log.clone()));
    let mut done = count(log.clone());
    block_on(async {
        assert_eq!(done.anext().await, Some(GeneratorState::Yielded(0)));
        assert_eq!(done.aclose().await, Ok(Some(())));
    });
    assert_eq!(done.state(), GenState::Closed);
    drop(done);
    assert_eq!(*log.borrow(), ["count cleanup", "count cleanup"]);
}

/// A generator dropped while the thread panics is only dropped.
#[test]
fn no_cleanup_while_panicking() {
    let log = Log::default();
    let inner = log.clone();
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
        block_on(async {
            let mut g = count(inner);
            assert_eq!(g.next().await, Some(0));
            panic!("consumer failed");
        })
    }));
    assert!(panicked.is_err());
    assert!(log.borrow().is_empty());
}

#[test]
fn aclosing_awaits_the_cleanup() {
    #[generator(yield = u64)]
    async fn slow(log: Log) -> &'static str {
        let mut i = 0;
        while yield_catch!(i).is_ok() {
            i += 1;
        }
        futures::future::ready(()).await;
        log.borrow_mut().push("slow cleanup");
        "closed"
    }
    let log = Log::default();
    let (sum, closed) = block_on(slow(log.clone()).aclosing(async |g| {
        let mut sum = 0;
        while let Some(x) = g.next().await {
            if x == 3 {
                break;
            }
            sum += x;
        }
        sum
    }));
    assert_eq!((sum, closed), (3, Ok(Some("closed"))));
    assert_eq!(*log.borrow(), ["slow cleanup"]);
}
