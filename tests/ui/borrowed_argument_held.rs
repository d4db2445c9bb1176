// A generator holds what its arguments borrow until it finishes: its body
// runs at the first resume, not at the call. rustc 2024 adds that the call
// "may capture more lifetimes than intended" and suggests `+ use<>` at the
// attribute; no `use<>` applies (the body does hold the reference). The
// fix is the README's (Common errors): pass the value, or end the use of
// the generator before the borrowed value changes.
use pygen::{generator, yield_};

#[generator(yield = u32)]
fn count(n: &u32) -> u32 {
    let n = *n;
    for i in 0..n {
        yield_!(i);
    }
    n
}

fn main() {
    let mut n = 3;
    let g = count(&n);
    n += 1;
    println!("{} {n}", g.count());
}
