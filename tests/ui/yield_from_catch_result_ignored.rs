// `yield_from_catch!` hands the body the close or the thrown error of its
// delegation; dropping the result on the floor ignores them, which the
// `must_use` lint reports.
#![deny(unused_must_use)]

use pygen::{generator, yield_, yield_from_catch};

#[generator(yield = u32)]
fn numbers() {
    yield_!(1);
}

#[generator(yield = u32)]
fn ignores_the_close() {
    yield_from_catch!(numbers());
}

fn main() {
    let _ = ignores_the_close();
}
