use std::cell::Cell;

use pygen::{generator, yield_};

#[generator(yield = u32)]
fn counter() {
    let count = Cell::new(0);
    loop {
        yield_!(count.get());
        count.set(count.get() + 1);
    }
}

fn main() {
    let g = counter();
    // Sharing `&g` with another thread needs the generator to be `Sync`.
    std::thread::scope(|s| {
        s.spawn(|| g.state());
    });
}
