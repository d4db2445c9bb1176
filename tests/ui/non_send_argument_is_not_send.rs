use std::rc::Rc;

use pygen::{generator, yield_};

#[generator(yield = u32)]
fn numbers(shared: Rc<Vec<u32>>) {
    for &n in shared.iter() {
        yield_!(n);
    }
}

fn main() {
    // Not even started: the argument alone makes the generator `!Send`.
    let g = numbers(Rc::new(vec![1, 2, 3]));
    std::thread::spawn(move || g.sum::<u32>());
}
