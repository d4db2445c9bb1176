//! Tests written once and compiled for each form of a generator: the
//! `both_forms!` of a test file calls [`in_form!`] once per form, with the
//! `fresh!` that declares a generator in that form; and the test file's
//! generators written once, as generator functions and in the inline form
//! (`sync_fixtures!`, `async_fixtures!`).

/// One form of the tests given: `mod $form`, with each test, in which
/// `fresh!(g = generator_fn(..))` is `$declare` (one of the `fresh_*`
/// macros below) and whose body runs through `$run!`. With `fixtures =
/// inline_fixtures`, the module declares the test file's generators in the
/// inline form (see `sync_fixtures!`), over the generator functions it
/// would otherwise import.
macro_rules! in_form {
    (
        $form:ident, $run:ident, $declare:ident, $(fixtures = $fixtures:ident,)?
        $( $(#[$meta:meta])* fn $name:ident($fresh:ident) $body:block )*
    ) => {
        mod $form {
            #[allow(unused_imports)]
            use super::*;
            $( $fixtures!(); )?
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

/// The test file's generators, written once with the types they share:
/// each as a `#[generator]` function, and, in the `inline_fixtures!()` this
/// defines, as a function of the same name returning the inline form
/// (`generate!(#[generator(..)] move || -> R { .. })`) of the same body.
#[allow(unused_macros)]
macro_rules! sync_fixtures {
    (
        types($y:ty, $s:ty, $e:ty);
        $(
            $(#[$meta:meta])*
            fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty { $($body:tt)* }
        )*
    ) => {
        $(
            $(#[$meta])*
            #[::pygen::generator(yield = $y, send = $s, throw = $e)]
            fn $name($($arg: $ty),*) -> $ret { $($body)* }
        )*

        macro_rules! inline_fixtures {
            () => {
                $(
                    $(#[$meta])*
                    fn $name(
                        $($arg: $ty),*
                    ) -> ::pygen::Gen<impl ::pygen::Body<Output = $ret>, $y, $s, $e> {
                        ::pygen::generate!(
                            #[generator(yield = $y, send = $s, throw = $e)]
                            move || -> $ret { $($body)* }
                        )
                    }
                )*
            };
        }
    };
}

/// `sync_fixtures!` for async generators: `async fn`s, and
/// `generate!(#[generator(..)] async move || -> R { .. })`.
#[allow(unused_macros)]
macro_rules! async_fixtures {
    (
        types($y:ty, $s:ty, $e:ty);
        $(
            $(#[$meta:meta])*
            async fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty { $($body:tt)* }
        )*
    ) => {
        $(
            $(#[$meta])*
            #[::pygen::generator(yield = $y, send = $s, throw = $e)]
            async fn $name($($arg: $ty),*) -> $ret { $($body)* }
        )*

        macro_rules! inline_fixtures {
            () => {
                $(
                    $(#[$meta])*
                    fn $name(
                        $($arg: $ty),*
                    ) -> ::pygen::AsyncGen<impl ::pygen::Body<Output = $ret>, $y, $s, $e> {
                        ::pygen::generate!(
                            #[generator(yield = $y, send = $s, throw = $e)]
                            async move || -> $ret { $($body)* }
                        )
                    }
                )*
            };
        }
    };
}
