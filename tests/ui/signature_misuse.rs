use pygen::{generator, yield_};

#[generator(yield = u32)]
const fn constant() {
    yield_!(1);
}

#[generator(yield = u32)]
extern "C" fn foreign() {
    yield_!(1);
}

fn main() {
    let _ = constant();
    let _ = foreign();
}
