// `yield_from_catch!` needs something to delegate to, and like every yield
// macro it only works in a `#[generator]` body.

use pygen::{generator, yield_, yield_from_catch};

#[generator(yield = u32)]
fn numbers() {
    yield_!(1);
}

#[generator(yield = u32)]
fn delegates_to_nothing() {
    let _ = yield_from_catch!();
}

fn not_a_generator() {
    let _ = yield_from_catch!(numbers());
}

fn main() {
    let _ = delegates_to_nothing();
    not_a_generator();
}
