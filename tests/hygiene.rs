//! What the expansion leaves to user code: nothing of its own.
//!
//! - Every name the macro introduces is out of the user's reach: variables
//!   named exactly like them (`__pygen_co`, `__pygen_value`, …) live next to
//!   the expansion undisturbed, and local items named like the paths it uses
//!   (`Ok`, `Err`, `core`, `Co`, …) do not capture them.
//! - `yield_!` inside other macros' arguments (`println!`, `vec!`,
//!   `matches!`, `format!`, `assert!`, `write!`) is rewritten.
//! - The expansion has no `unsafe`: this file forbids it.
//! - The expansion raises no `clippy::pedantic` lint: CI runs
//!   `cargo clippy --all-targets -- -D warnings`, and this file denies the
//!   whole pedantic group.
#![forbid(unsafe_code)]
#![deny(clippy::pedantic)]

use std::fmt::Write as _;

use pygen::{GeneratorState, generator, generators, yield_, yield_catch, yield_from};

// ---------------------------------------------------------------------------
// User names equal to the expansion's own
// ---------------------------------------------------------------------------

/// Arguments, locals and a pattern argument named like the expansion's
/// handle, value, delegate, probe, verdict, thrown error and moved
/// arguments (`__pygen_argN`: the second argument is a pattern, which the
/// expansion renames to `__pygen_arg1`, next to the user's own).
#[allow(clippy::used_underscore_binding, clippy::similar_names)]
#[generator(yield = u32, send = u32, throw = String)]
fn same_names(__pygen_co: u32, (a, b): (u32, u32), __pygen_arg1: u32) -> Result<u32, String> {
    let __pygen_value = yield_!(__pygen_co + a + b);
    let __pygen_delegate = yield_!(__pygen_value + __pygen_arg1);
    let __pygen_probe = vec![__pygen_delegate];
    let __pygen_verdict = yield_from!(numbers(__pygen_probe.clone(), __pygen_delegate))?;
    let pygen_thrown = yield_!(__pygen_verdict);
    let __pygen_arg0 = pygen_thrown;
    Ok(__pygen_arg0 + __pygen_probe[0])
}

#[generator(yield = u32, send = u32, throw = String)]
fn numbers(__pygen_value: Vec<u32>, __pygen_co: u32) -> Result<u32, String> {
    let mut sum = __pygen_co;
    for __pygen_delegate in __pygen_value {
        sum += yield_!(__pygen_delegate);
    }
    Ok(sum)
}

#[test]
fn user_names_equal_to_the_expansion_s_do_not_collide() {
    let mut g = same_names(1, (2, 3), 4);
    assert_eq!(g.start(), Ok(GeneratorState::Yielded(6)));
    assert_eq!(g.send(10), Ok(GeneratorState::Yielded(14)));
    // `__pygen_delegate` is 20: `numbers(vec![20], 20)` yields 20 …
    assert_eq!(g.send(20), Ok(GeneratorState::Yielded(20)));
    // … and returns 20 + 5; then the yield of `__pygen_verdict`.
    assert_eq!(g.send(5), Ok(GeneratorState::Yielded(25)));
    assert_eq!(g.send(7), Ok(GeneratorState::Complete(Ok(27))));

    let mut g = same_names(0, (0, 0), 0);
    g.start().unwrap();
    assert_eq!(
        g.throw("stop".to_string()),
        Ok(GeneratorState::Complete(Err("stop".to_string())))
    );
}

/// Local items named like what the expansion names through absolute paths.
mod shadowing {
    #![allow(dead_code, clippy::module_name_repetitions)]

    use ::pygen::{generator, yield_, yield_from};

    struct Ok;
    struct Err;
    struct Co;
    struct Raise;
    struct Gen;
    struct Future;
    struct Option;
    mod core {}
    mod pygen {}

    #[generator(yield = u8, throw = &'static str)]
    pub fn shadowed() -> Result<u8, &'static str> {
        yield_!(1);
        yield_from!([2, 3]);
        Result::Ok(4)
    }
}

#[test]
fn local_items_do_not_capture_the_expansion_s_paths() {
    let mut g = shadowing::shadowed();
    assert_eq!(g.by_ref().collect::<Vec<_>>(), [1, 2, 3]);
}

// ---------------------------------------------------------------------------
// Yields inside other macros
// ---------------------------------------------------------------------------

#[generator(yield = u32, send = u32)]
fn inside_macros(log: &mut Vec<String>) -> (Vec<u32>, bool, String) {
    log.push(format!("got {}", yield_!(1)));
    println!("printed {}", yield_!(2));
    let v = vec![yield_!(3), yield_!(4)];
    let big = matches!(yield_!(5), 10..);
    let guarded = matches!(Some(yield_!(6)), Some(n) if n > 0);
    assert!(yield_!(7) < 100, "sent too much");
    let mut out = String::new();
    write!(out, "{}", yield_!(8)).unwrap();
    (v, big && guarded, out)
}

#[test]
fn yields_inside_other_macros_are_rewritten() {
    let mut log = Vec::new();
    let mut g = inside_macros(&mut log);
    assert_eq!(g.start(), Ok(GeneratorState::Yielded(1)));
    for (sent, next) in (2..=8).enumerate() {
        let sent = u32::try_from(sent).unwrap() + 10;
        assert_eq!(g.send(sent), Ok(GeneratorState::Yielded(next)));
    }
    assert_eq!(
        g.send(99),
        Ok(GeneratorState::Complete((
            vec![12, 13],
            true,
            "99".to_string()
        )))
    );
    drop(g);
    assert_eq!(log, ["got 10"]);
}

// ---------------------------------------------------------------------------
// The literal spelling, under the same lints
// ---------------------------------------------------------------------------

generators! {
    #[generator(yield = u32, send = bool)]
    fn literal(limit: u32) -> Result<u32, String> {
        let mut n = 0;
        while n < limit {
            if yield!(n) {
                return Err(format!("stopped at {n}"));
            }
            n += 1;
        }
        Ok(n)
    }
}

#[test]
fn literal_yields_expand_cleanly_too() {
    let mut g = literal(3);
    assert_eq!(g.by_ref().collect::<Vec<_>>(), [0, 1, 2]);
    let mut g = literal(3);
    g.start().unwrap();
    assert_eq!(
        g.send(true),
        Ok(GeneratorState::Complete(Err("stopped at 0".to_string())))
    );
}

// ---------------------------------------------------------------------------
// Every form of the expansion, under `forbid(unsafe_code)` and pedantic
// ---------------------------------------------------------------------------

/// A plain generator of `every_form`'s types: yields `values`, returns
/// their sum.
#[generator(yield = u32, throw = String)]
fn summed(values: Vec<u32>) -> Result<u32, String> {
    let mut sum = 0;
    for v in values {
        sum += v;
        yield_!(v);
    }
    Ok(sum)
}

/// Delegation of every kind, `yield_catch!`, `?`, a thrown error.
#[generator(yield = u32, throw = String)]
fn every_form(items: Vec<u32>) -> Result<Option<u32>, String> {
    yield_from!(items.iter().copied());
    let mut inner = summed(vec![7]);
    let by_ref = yield_from!(&mut inner);
    let flat = yield_from!(summed(vec![8, 1]))?;
    match yield_catch!(flat) {
        Ok(()) => {}
        Err(pygen::Interrupt::Throw(e)) => return Err(e),
        Err(pygen::Interrupt::Close) => return Ok(None),
    }
    by_ref.transpose()
}

#[generator(yield = u32)]
async fn async_form(items: Vec<u32>) -> u32 {
    let mut total = 0;
    for item in items {
        std::future::ready(()).await;
        total += item;
        yield_!(item);
    }
    yield_from!(futures::stream::iter([total]));
    total
}

#[test]
fn every_form_runs() {
    let mut g = every_form(vec![1, 2]);
    assert_eq!(g.by_ref().collect::<Vec<_>>(), [1, 2, 7, 8, 1, 9]);
    let mut g = every_form(vec![]);
    assert_eq!(g.by_ref().collect::<Vec<_>>(), [7, 8, 1, 9]);
    assert_eq!(g.resume(), None);
    let mut g = every_form(vec![]);
    g.by_ref().take(4).for_each(drop);
    assert_eq!(
        g.throw("no".to_string()),
        Ok(GeneratorState::Complete(Err("no".to_string())))
    );
    let all: Vec<u32> =
        futures::executor::block_on(futures::StreamExt::collect(async_form(vec![1, 2])));
    assert_eq!(all, [1, 2, 3]);
}
