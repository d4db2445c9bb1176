// An inline generator is `Send` when what it captures is: an `Rc` taken
// by `move` makes it not `Send`.
use std::rc::Rc;

use pygen::{generate, yield_};

fn main() {
    let shared = Rc::new(1u32);
    let g = generate!(move || {
        yield_!(*shared);
    });
    std::thread::spawn(move || g.sum::<u32>());
}
