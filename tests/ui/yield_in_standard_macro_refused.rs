// Yields are taken out of the standard macros' arguments before the macro
// runs; where that would change what the code means, the yield is refused
// with a way to write it.
use std::fmt::Write as _;

use pygen::{generator, yield_};

#[generator(yield = u32, send = u32)]
fn refused(out: &mut Vec<String>) {
    // dbg! prints the text of its argument.
    dbg!(yield_!(1));
    // The value of format_args! borrows its arguments.
    let _ = format_args!("{}", yield_!(2));
    // An assertion's message only runs when the assertion fails.
    assert!(true, "{}", yield_!(3));
    assert_eq!(1, 1, "{}", yield_!(4));
    // The destination of write! is evaluated first.
    let mut s = String::new();
    let _ = write!(out_string(out), "{}", yield_!(5));
    let _ = write!(s, "{}", yield_!(6));
}

fn out_string(_: &mut Vec<String>) -> String {
    String::new()
}

fn main() {
    let mut out = Vec::new();
    let _ = refused(&mut out);
}
