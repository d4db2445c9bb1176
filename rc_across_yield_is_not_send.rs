use std::rc::Rc;

use pygen::{generator, yield_};

#[generator(yield = u32)]
fn shared() {
    let counter = Rc::new(1);
    yield_!(*counter);
    yield_!(*counter + 1);
}

fn main() {
    let g = shared();
    std::thread::spawn(move || g.sum::<u32>());
}
