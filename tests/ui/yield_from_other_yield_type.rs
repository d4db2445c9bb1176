use pygen::{generator, yield_, yield_from};

#[generator(yield = u64)]
fn big() {
    yield_!(1);
}

#[generator(yield = u32)]
fn small() {
    yield_from!(big());
}

fn main() {
    let _ = small();
}
