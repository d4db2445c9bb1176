// A generator called and dropped runs nothing: `#[must_use]` says so.
#![deny(unused_must_use)]
use pygen::{generator, yield_};

#[generator(yield = u64)]
fn count(n: u64) {
    for i in 0..n {
        yield_!(i);
    }
}

#[generator(yield = u64)]
async fn ticks(n: u64) {
    for i in 0..n {
        yield_!(i);
    }
}

fn main() {
    count(3);
    ticks(3);
    count(3).into_pinned();
    let mut g = ticks(1);
    g.anext();
}
