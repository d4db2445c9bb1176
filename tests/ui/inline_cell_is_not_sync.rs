// A `Cell` captured by an inline generator (or held across its yields)
// makes it not `Sync`.
use std::cell::Cell;

use pygen::{generate, yield_};

fn assert_sync<T: Sync>(_: &T) {}

fn main() {
    let count = Cell::new(0u32);
    let g = generate!(move || {
        count.set(count.get() + 1);
        yield_!(count.get());
    });
    assert_sync(&g);
}
