use pygen::{generator, yield_, yield_from};

#[generator(yield = (u32, u32))]
fn pairs() {
    yield_!(1, 2);
    yield_from!();
    yield_from!(0..1, 1..2);
}

fn main() {
    let _ = pairs();
}
