//! A yield polled by something other than its generator.
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
//! with the rest of the project's `unsafe`.

use std::cell::RefCell;
use std::panic::AssertUnwindSafe;
use std::rc::Rc;

use futures::executor::block_on;
use futures::stream::{FuturesUnordered, Stream};
use futures::{FutureExt, StreamExt};
use pygen::{AsyncGen, NoThrow};

type Log = Rc<RefCell<Vec<&'static str>>>;

fn yields_under_futures_unordered(log: Log) -> impl Stream<Item = u32> + Unpin {
    // SAFETY: the `Co` is moved into the future the closure returns and only
    // that future's own code yields through it (both yields are of this
    // generator's body); the contract of `from_body` asks no more. What the
    // test breaks is another rule, on purpose: the second yield is polled
    // by `FuturesUnordered`, under its waker, which the driver must refuse.
    unsafe {
        AsyncGen::<_, u32, (), NoThrow>::from_body(move |mut co| async move {
            let _ = co.yield_(1).await;
            log.borrow_mut().push("polling the set");
            let mut set = FuturesUnordered::new();
            set.push(co.yield_(2));
            let _ = set.next().await;
            log.borrow_mut().push("after the set");
        })
    }
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
