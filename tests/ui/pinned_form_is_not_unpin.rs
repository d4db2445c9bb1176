use std::pin::Pin;

use pygen::{generator, yield_};

#[generator(yield = u32)]
fn one() {
    yield_!(1);
}

fn main() {
    // The pinned form keeps its body inline; an `async` body is not `Unpin`,
    // so it must be pinned in place (`core::pin::pin!`), not with `Pin::new`.
    let mut g = one().into_pinned();
    Pin::new(&mut g).resume();
}
