// `yield_from!` takes a generator or an iterator of the yield type.
use pygen::{generator, yield_from};

#[generator(yield = u32)]
fn numbers(words: Vec<String>, counts: Vec<u32>) {
    yield_from!(42u32);
    yield_from!(words);
    yield_from!(&counts);
}

fn main() {
    let _ = numbers(vec![], vec![]);
}
