use pygen::{generator, yield_};

#[generator(yield = u32, throw = String)]
fn counter() -> u32 {
    yield_!(1);
    2
}

fn main() {}
