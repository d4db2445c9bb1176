//! Defence in depth around the frames of direct delegation: a flat
//! delegation future handled outside of its `yield_from!` (which only the
//! hidden, `unsafe` constructors let a body do: the expansion awaits each
//! delegation where it makes it) must not leave a dangling frame behind.
//!
//! - A flat delegation polled once (so linked on its driver's stack) and
//!   then dropped: the process aborts with a message, instead of the driver
//!   resuming freed memory at the next resume.
//! - Two flat delegations linked by one poll of the body: the second is a
//!   frame the resume did not expect (a `yield_from!` links one, on top of
//!   the frame that was resumed); the process aborts before resuming it.
//!
//! Both checks are made with debug assertions only (in release builds
//! their code cost the resume of an async delegation up to 13 instructions
//! per item, and the safe API cannot get here), so are these tests.
//!
//! Each case runs in a child process (this test binary, filtered to the
//! case, with `PYGEN_FRAME_MISUSE_CHILD` set), whose abort the parent checks.
#![cfg(debug_assertions)]

use std::future::Future;
use std::pin::pin;
use std::process::Command;
use std::task::Poll;

use pygen::__private::{DelegateWrap, Delegating, Types, ViaFlat, from_body};
use pygen::{Gen, NoThrow, generator, yield_};

const CHILD: &str = "PYGEN_FRAME_MISUSE_CHILD";

#[generator(yield = u32)]
fn two() {
    yield_!(1);
    yield_!(2);
}

type Marker = Types<u32, (), NoThrow>;

/// Runs `case` in a child process and checks that it aborted with
/// `message` on its standard error.
fn expect_abort(case: &str, message: &str) {
    let exe = std::env::current_exe().expect("the test binary");
    let out = Command::new(exe)
        .args([case, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD, "1")
        .output()
        .expect("the child runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success(),
        "the child must not succeed: {stderr}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(out.status.signal(), Some(6), "SIGABRT expected: {stderr}");
    }
    assert!(
        stderr.contains(message),
        "message {message:?} expected in: {stderr}"
    );
}

/// In the child: a delegating body polls a flat delegation itself, once,
/// and drops it while it is linked.
fn drop_a_linked_frame() {
    // SAFETY: the `Co` stays in the future the closure returns and only its
    // own code uses it. What the body breaks on purpose is the rule only the
    // expansion keeps: a delegation future is awaited where it is made.
    let mut g: Gen<_, u32, (), NoThrow> = unsafe {
        from_body(Delegating, move |mut co| async move {
            let planned = (&&&&&DelegateWrap::new(two(), Marker::default())).__pygen_delegate();
            let mut flat = Box::pin(co.delegate(planned));
            std::future::poll_fn(|cx| {
                let _ = flat.as_mut().poll(cx);
                Poll::Ready(())
            })
            .await;
            drop(flat);
            let _ = co.yield_(3).await;
        })
    };
    let _ = g.next();
    unreachable!("the drop of the linked frame aborts");
}

/// In the child: one poll of a delegating body links two flat delegations.
fn link_two_frames_in_one_poll() {
    // SAFETY: as above.
    let mut g: Gen<_, u32, (), NoThrow> = unsafe {
        from_body(Delegating, move |mut co| async move {
            let first = (&&&&&DelegateWrap::new(two(), Marker::default())).__pygen_delegate();
            let second = (&&&&&DelegateWrap::new(two(), Marker::default())).__pygen_delegate();
            let mut first = pin!(co.delegate(first));
            let mut second = pin!(co.delegate(second));
            std::future::poll_fn(|cx| {
                let _ = first.as_mut().poll(cx);
                let _ = second.as_mut().poll(cx);
                Poll::<()>::Pending
            })
            .await;
        })
    };
    let _ = g.next();
    unreachable!("the resume finds a frame it did not link, and aborts");
}

#[test]
fn a_linked_frame_dropped_aborts() {
    if std::env::var_os(CHILD).is_some() {
        return drop_a_linked_frame();
    }
    expect_abort(
        "a_linked_frame_dropped_aborts",
        "pygen: a linked delegation was dropped",
    );
}

#[test]
fn a_frame_the_resume_did_not_link_aborts() {
    if std::env::var_os(CHILD).is_some() {
        return link_two_frames_in_one_poll();
    }
    expect_abort(
        "a_frame_the_resume_did_not_link_aborts",
        "pygen: a frame the resume did not link is on its stack",
    );
}
