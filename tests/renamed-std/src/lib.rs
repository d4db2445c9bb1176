//! Generators in a crate whose dependencies are renamed to `core` and
//! `std`. With `extern crate core as ...` the expansion once followed such
//! a rename (`--extern core=...`) into the renamed crate's `assert!` and
//! `vec!`, which then received the yields in their arguments, and with them
//! the generator's hidden handle: a macro that put them in an `async` block
//! polled by another generator made a `String` of a `u64`. Now no yield
//! passes through a macro at all (the arguments are evaluated first, see
//! generator-macros' `expand/hoist.rs`). The renamed crates here move their
//! macros' arguments into a closure: a yield there would not compile, the
//! yields' values do. Whichever crate the names resolve to (rustc 1.85 and
//! current ones differ for the prelude's macros), this crate builds only if
//! no yield reaches them, and its test checks the generator runs as written.
#![forbid(unsafe_code)]

use pygen::{generator, yield_, yield_catch};

/// Yields in every standard macro the renamed crates replace.
#[generator(yield = u64, send = u64)]
pub fn through_standard_macros() -> (Vec<u64>, bool, u64) {
    assert!(yield_!(1) < 100);
    assert_eq!(yield_!(2), 20, "sent {}", 20);
    let v = vec![yield_!(3), 4];
    let big = matches!(yield_!(5), 50..);
    let text = format!("{}", yield_!(6));
    let caught = yield_catch!(7).unwrap_or(0);
    (v, big, text.len() as u64 + caught)
}

#[cfg(test)]
mod tests {
    use super::through_standard_macros;
    use pygen::GeneratorState;

    #[test]
    fn standard_macros_with_yields_ignore_renamed_crates() {
        let mut g = through_standard_macros();
        let mut sent = Vec::new();
        let mut state = g.start().expect("starts");
        for value in [10, 20, 30, 50, 600, 7] {
            sent.push(value);
            state = g.send(value).expect("suspended");
        }
        assert_eq!(state, GeneratorState::Complete((vec![30, 4], true, 3 + 7)));
    }
}
