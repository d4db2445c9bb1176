use pygen::{generator, yield_};

#[generator(yield = u32)]
fn numbers() {
    let later = async { yield_!(1) };
    drop(later);
}

fn main() {}
