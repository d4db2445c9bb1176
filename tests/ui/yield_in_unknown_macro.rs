// A macro of the user's could put its arguments in an async block or a
// closure, out of the generator's reach (another generator could then poll
// the yield): a yield in the arguments of a macro other than the standard
// in-place ones is refused.
use std::future::Future;

use pygen::{generator, yield_};

macro_rules! deferred {
    ($e:expr) => {
        async { $e }
    };
}

#[generator(yield = u64)]
async fn victim<F: Future<Output = ()>>(f: F) {
    f.await;
    yield_!(1);
}

#[generator(yield = String)]
async fn smuggler() {
    let mut v = victim(deferred!(yield_!(String::from("hello"))));
    let _ = v.anext().await;
}

macro_rules! twice {
    ($e:expr) => {
        ($e, $e)
    };
}

#[generator(yield = u32)]
fn standard_macros_are_fine() {
    println!("{:?}", yield_!(1));
    let _ = vec![yield_!(2)];
    let _ = twice!(yield_!(3));
}



macro_rules! id {
    ($e:expr) => {
        $e
    };
}

// Inside a closure too: the yield is refused (not silently dropped).
#[generator(yield = u32)]
fn in_closure() {
    let f = || id!(yield_!(1));
    f();
}

// `.await` hidden in a macro's arguments is still an `.await` in a
// synchronous generator.
#[generator(yield = u32)]
fn awaits_in_macro() {
    id!(std::future::ready(1).await);
    yield_!(2);
}
fn main() {}
