//! Bodies that break what only the hidden constructor lets them break: a
//! yield polled by something other than its generator, and a synchronous
//! body that awaits something other than its yields.
//!
//! A body cannot put a yield where something else would poll it: a yield in
//! a closure, a nested `async` block, or the arguments of a macro other than
//! the standard ones that evaluate them in place is a compile error
//! (tests/ui/yield_in_unknown_macro.rs and friends in the facade). Behind
//! that rule, a yield polled with a waker that is not its driver's never
//! touches memory: with debug assertions it panics, without them it stays
//! pending (the panic call would make every body's poll too big to inline).
//!
//! Such a body can only be written with the hidden constructor the macro
//! expands to, which is an `unsafe fn`; it lives here, in generator-core,
//! with the rest of the project's `unsafe`. So does the other rule such a
//! body can break: a synchronous body awaits nothing but its yields (a
//! `.await` in a `#[generator]` function is a compile error,
//! tests/ui/await_in_sync_generator.rs). The driver reports it with a
//! panic and the generator is closed after it, also when a `next()`
//! resumed the body straight at its innermost `yield_from!`.

use std::cell::RefCell;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use futures::executor::block_on;
use futures::stream::{FuturesUnordered, Stream};
use futures::{FutureExt, StreamExt};
use pygen::__private::{Catching, from_body};
use pygen::{AsyncGen, GenState, NoThrow, generator, yield_from};

type Log = Rc<RefCell<Vec<&'static str>>>;

fn yields_under_futures_unordered(log: Log) -> impl Stream<Item = u32> + Unpin {
    // SAFETY: the `Co` is moved into the future the closure returns and only
    // that future's own code yields through it (both yields are of this
    // generator's body); the contract of `from_body` asks no more. What the
    // test breaks is another rule, on purpose: the second yield is polled
    // by `FuturesUnordered`, under its waker, which the driver must refuse.
    let g: AsyncGen<_, u32, (), NoThrow> = unsafe {
        from_body(Catching, move |mut co| async move {
            let _ = co.yield_(1).await;
            log.borrow_mut().push("polling the set");
            let mut set = FuturesUnordered::new();
            set.push(co.yield_(2));
            let _ = set.next().await;
            log.borrow_mut().push("after the set");
        })
    };
    g
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

#[test]
fn yield_polled_under_a_foreign_waker_is_refused() {
    block_on(async {
        let log = Log::default();
        let mut g = yields_under_futures_unordered(log.clone());
        assert_eq!(g.next().await, Some(1));
        if !cfg!(debug_assertions) {
            assert!(
                g.next().now_or_never().is_none(),
                "the yield under FuturesUnordered's waker stays pending"
            );
            assert_eq!(*log.borrow(), ["polling the set"]);
            return;
        }
        let payload = AssertUnwindSafe(g.next())
            .catch_unwind()
            .await
            .expect_err("a yield under FuturesUnordered's waker is detected");
        let msg = panic_message(&*payload);
        assert!(
            msg.contains("polled outside of its generator's resume"),
            "unclear message: {msg}"
        );
        assert_eq!(
            g.next().await,
            None,
            "the generator is closed after the panic"
        );
        assert_eq!(*log.borrow(), ["polling the set"]);
    });
}

/// Pending forever, without ever waking anyone: not a yield.
struct Foreign;

impl Future for Foreign {
    type Output = ();
    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
        Poll::Pending
    }
}

fn awaits_a_foreign_future() -> pygen::Gen<impl pygen::Body<Output = ()>, u32> {
    // SAFETY: the `Co` is moved into the future the closure returns and
    // yields only that future's own values; the contract of `from_body`
    // asks no more. The rule this body breaks is another one, on purpose: a
    // synchronous body awaits only its yields.
    unsafe {
        from_body(Catching, |mut co| async move {
            let _ = co.yield_(1).await;
            Foreign.await;
        })
    }
}

#[generator(yield = u32)]
fn delegates() {
    yield_from!(awaits_a_foreign_future());
}

#[test]
fn a_frame_that_awaits_a_foreign_future_closes_its_generator() {
    let mut g = delegates();
    assert_eq!(g.next(), Some(1));
    // This `next()` goes straight to the frame, whose delegate then awaits.
    let payload = catch_unwind(AssertUnwindSafe(|| g.next())).expect_err("the await is reported");
    let msg = panic_message(&*payload);
    assert!(msg.contains("await"), "unclear message: {msg}");
    assert_eq!(g.state(), GenState::Closed);
    assert_eq!(g.next(), None);
}
