use pygen::{generator, yield_};

#[generator(yield u32)]
fn not_key_value() {
    yield_!(1);
}

#[generator(u32)]
fn type_only() {
    yield_!(1);
}

fn main() {}
