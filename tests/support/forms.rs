//! Tests written once and compiled for each form of a generator: the
//! `both_forms!` of a test file calls [`in_form!`] once per form, with the
//! `fresh!` that declares a generator in that form.

/// One form of the tests given: `mod $form`, with each test, in which
/// `fresh!(g = generator_fn(..))` is `$declare` (one of the `fresh_*`
/// macros below) and whose body runs through `$run!`.
macro_rules! in_form {
    (
        $form:ident, $run:ident, $declare:ident,
        $( $(#[$meta:meta])* fn $name:ident($fresh:ident) $body:block )*
    ) => {
        mod $form {
            use super::*;
            $(
                $(#[$meta])*
                #[test]
                fn $name() {
                    #[allow(unused_imports)]
                    use crate::forms::$declare as $fresh;
                    $run!($body)
                }
            )*
        }
    };
}

/// `fresh!` of the movable form: the generator itself.
macro_rules! fresh_movable {
    ($g:ident = $make:expr) => {
        #[allow(unused_mut)]
        let mut $g = $make;
    };
}

/// `fresh!` of the pinned form: a `Pinned` (the test file's adapter) over
/// the generator pinned on the stack, which lives until the end of the
/// enclosing block.
macro_rules! fresh_pinned {
    ($g:ident = $make:expr) => {
        let mut pinned_generator = pin!(($make).into_pinned());
        #[allow(unused_mut)]
        let mut $g = Pinned(pinned_generator.as_mut());
    };
}

/// `fresh!` of the boxed form: the generator, boxed.
#[allow(unused_macros)]
macro_rules! fresh_boxed {
    ($g:ident = $make:expr) => {
        #[allow(unused_mut)]
        let mut $g = ($make).boxed();
    };
}

#[allow(unused_imports)]
pub(crate) use {fresh_boxed, fresh_movable, fresh_pinned};
