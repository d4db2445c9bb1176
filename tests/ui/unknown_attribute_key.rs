use pygen::{generator, yield_};

#[generator(yield = u32, sned = u8)]
fn typo() {
    yield_!(1);
}

#[generator(yield = u32, resume = u8)]
fn unknown() {
    yield_!(1);
}

fn main() {
    // The function still has its generator type: no error here.
    let _: Vec<u32> = typo().chain(unknown()).collect();
}
