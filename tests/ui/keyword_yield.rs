// `yield` is a reserved keyword: rustc rejects `yield v` and `yield!(v)`
// while parsing, before the attribute runs. The attribute adds what to
// write instead.
use pygen::{generator, yield_};

#[generator(yield = u32)]
fn keyword() {
    yield_!(0);
    yield 1;
}

#[generator(yield = u32)]
fn keyword_macro() {
    yield!(2);
}

fn main() {
    let _ = keyword();
    let _ = keyword_macro();
}
