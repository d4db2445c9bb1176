// `yield_catch!` hands the body the close or the thrown error; dropping
// it on the floor ignores them, which the `must_use` lint reports.
#![deny(unused_must_use)]

use pygen::{generator, yield_catch};

#[generator(yield = u32)]
fn stubborn() {
    loop {
        yield_catch!(1);
    }
}

fn main() {
    let _ = stubborn();
}
