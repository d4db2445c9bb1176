// A nested function is code of its own: a yield in it cannot suspend the
// generator around it.
use pygen::{generator, yield_, yield_from};

#[generator(yield = u32)]
fn outer() {
    fn helper(n: u32) -> u32 {
        yield_!(n);
        yield_from!(0..n);
        n + 1
    }
    yield_!(helper(1));
}

fn main() {
    let _ = outer();
}
