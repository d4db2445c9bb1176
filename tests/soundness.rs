//! Adversarial uses of the macro that once reached the generator's hidden
//! handle, now compiled as written and run correctly (SAFETY.md,
//! "What a user crate can redirect"). Also run under Miri by
//! `scripts/miri.sh`. A crate whose dependencies are renamed to `core` and
//! `std` is `tests/renamed-std`; a user trait taking over `yield_from!`'s
//! dispatch is refused at compile time (tests/ui/yield_from_hijacked_by_user_trait.rs).
#![forbid(unsafe_code)]

use pygen::{GeneratorState, generator, yield_, yield_catch, yield_from};

/// A `macro_rules!` in the body named like the pass-through macro the
/// expansion once defined: it would have received every later yield's
/// expansion. It is never invoked now, so its body, which does not compile
/// when called, is never expanded.
#[generator(yield = u32)]
fn shadows_an_internal_macro() {
    yield_!(1);
    #[allow(unused_macros)]
    macro_rules! __pygen_pass {
        ($($tokens:tt)*) => {
            compile_error!("the expansion of a yield went through a user macro")
        };
    }
    yield_!(2);
    yield_from!(vec![3, 4]);
    let _ = yield_catch!(5);
}

#[test]
fn a_macro_named_like_an_internal_one_receives_nothing() {
    assert_eq!(
        shadows_an_internal_macro().collect::<Vec<_>>(),
        [1, 2, 3, 4, 5]
    );
}

/// Every hidden name the expansion uses, bound by the user in the body.
#[generator(yield = u64, send = u64)]
#[allow(unused_variables, clippy::no_effect_underscore_binding)]
fn binds_the_hidden_names() -> u64 {
    let __pygen_co = 0u8;
    let __pygen_value = 1u8;
    let __pygen_delegate = 2u8;
    let __pygen_arg0 = 3u8;
    let sum = yield_!(10) + vec![yield_!(20)][0];
    assert_eq!(__pygen_arg0, 3);
    sum
}

#[test]
fn hidden_names_do_not_collide_with_the_users() {
    let mut g = binds_the_hidden_names();
    assert_eq!(g.start(), Ok(GeneratorState::Yielded(10)));
    assert_eq!(g.send(1), Ok(GeneratorState::Yielded(20)));
    assert_eq!(g.send(2), Ok(GeneratorState::Complete(3)));
}

/// Values smuggled out of a body through a standard macro's arguments:
/// the macro receives only what the yields evaluated to, in order.
#[generator(yield = &'static str, send = String)]
fn evaluation_order() -> String {
    let mut order = Vec::new();
    let text = format!(
        "{}-{}-{}",
        {
            order.push("a");
            "a"
        },
        yield_!("b"),
        {
            order.push("c");
            "c"
        }
    );
    assert_eq!(order, ["a", "c"]);
    text
}

#[test]
fn hoisted_arguments_keep_their_order() {
    let mut g = evaluation_order();
    assert_eq!(g.start(), Ok(GeneratorState::Yielded("b")));
    assert_eq!(
        g.send("B".into()),
        Ok(GeneratorState::Complete("a-B-c".to_string()))
    );
}
