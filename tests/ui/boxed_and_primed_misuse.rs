// The flags `boxed` and `primed`, misused.
use pygen::{generator, yield_};

// The box borrows both references: their lifetimes need names.
#[generator(yield = u8, boxed)]
fn two_borrows(a: &[u8], b: &[u8]) {
    yield_!(a[0] + b[0]);
}

// An async generator is primed by awaiting `.primed()`.
#[generator(yield = u8, send = u8, primed)]
async fn async_primed() {
    let _ = yield_!(0);
}

// `boxed` takes `Send` only; `primed` takes nothing.
#[generator(yield = u8, boxed = Sync)]
fn boxed_what() {}

#[generator(yield = u8, primed = u8)]
fn primed_what() {}

#[generator(yield = u8, boxed, boxed)]
fn boxed_twice() {}

fn main() {}
