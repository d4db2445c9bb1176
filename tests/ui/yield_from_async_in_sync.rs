use pygen::{generator, yield_, yield_from};

#[generator(yield = u32)]
async fn ticks() {
    yield_!(1);
}

#[generator(yield = u32)]
fn sync_outer() {
    yield_from!(ticks());
}

fn main() {
    let _ = sync_outer();
}
