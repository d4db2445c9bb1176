use pygen::{generator, yield_};

#[generator(yield = u32, send = (), yield = u8)]
fn twice() {
    yield_!(1);
}

fn main() {
    let _: Vec<u32> = twice().collect();
}
