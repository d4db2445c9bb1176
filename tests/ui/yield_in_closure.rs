use pygen::{generator, yield_};

#[generator(yield = u32)]
fn numbers() {
    (0..3).for_each(|n| yield_!(n));
}

fn main() {}
