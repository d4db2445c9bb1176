// A yield in a `const { .. }` block cannot suspend anything at run time;
// `r#yield_!` is the same macro as `yield_!`.
use pygen::{generator, yield_};

#[generator(yield = u32)]
fn in_const() {
    let _ = const { yield_!(1) };
}

#[generator(yield = u32)]
fn raw_spelling() {
    r#yield_!(2);
}

fn main() {
    let _ = in_const();
    assert_eq!(raw_spelling().collect::<Vec<_>>(), [2]);
}
