//! A synchronous delegate that awaits something other than a yield while
//! a `next()` resumes it directly, as the innermost frame of a `yield_from!`.
//!
//! A synchronous body cannot `.await` (tests/ui/await_in_sync_generator.rs
//! in the facade); only the hidden constructor, an `unsafe fn`, can build
//! one, which is why this test lives here with the rest of the project's
//! `unsafe`. The driver reports the broken rule with a panic, and the
//! generator is closed after it, whether the body was resumed through its
//! own poll or straight at its innermost frame.

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::task::{Context, Poll};

use pygen::{GenState, NoThrow, generator, yield_from};

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
        pygen::Gen::<_, u32, (), NoThrow>::from_body(|mut co| async move {
            let _ = co.yield_(1).await;
            Foreign.await;
        })
    }
}

#[generator(yield = u32)]
fn delegates() {
    yield_from!(awaits_a_foreign_future());
}

fn message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        String::from("<non-string panic payload>")
    }
}

#[test]
fn a_frame_that_awaits_a_foreign_future_closes_its_generator() {
    let mut g = delegates();
    assert_eq!(g.next(), Some(1));
    // This `next()` goes straight to the frame, whose delegate then awaits.
    let payload = catch_unwind(AssertUnwindSafe(|| g.next())).expect_err("the await is reported");
    let msg = message(&*payload);
    assert!(msg.contains("await"), "unclear message: {msg}");
    assert_eq!(g.state(), GenState::Closed);
    assert_eq!(g.next(), None);
}
