use pygen::{generator, yield_};

#[generator(yield = u32, sned = u8, yield = u8)]
fn typo() {
    yield_!(1);
}

#[generator]
fn missing_yield_type() {}

#[generator(yield u32)]
fn not_key_value() {}

fn main() {}
