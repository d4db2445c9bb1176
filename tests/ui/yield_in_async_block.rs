use pygen::{generator, yield_, yield_from};

#[generator(yield = u32)]
fn numbers() {
    let later = async { yield_!(1) };
    drop(later);
    let delegated = async move { yield_from!(0..3) };
    drop(delegated);
}

fn main() {}
