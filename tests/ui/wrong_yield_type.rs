// A yielded value of another type than the declared one: reported at the
// value, with the `yield = …` of the attribute as the reason.
use pygen::{generator, yield_, yield_catch};

#[generator(yield = u32)]
fn numbers() {
    yield_!(1);
    yield_!("two");
}

#[generator(yield = (String, usize), send = bool)]
fn pairs() {
    let again = yield_catch!(("one".to_string(), 1));
    yield_!(("two", 2));
    drop(again);
}

fn main() {
    let _ = numbers();
    let _ = pairs();
}
