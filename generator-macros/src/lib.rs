//! The `#[generator]` attribute and the `generators!` macro of
//! [pygen](https://docs.rs/pygen). Use them through `pygen`, which documents
//! them:
//!
//! ```
//! use pygen::{generator, yield_};
//!
//! #[generator(yield = u32)]
//! fn evens(limit: u32) {
//!     for n in (0..limit).step_by(2) {
//!         yield_!(n);
//!     }
//! }
//!
//! assert_eq!(evens(7).collect::<Vec<_>>(), [0, 2, 4, 6]);
//! ```
//!
//! The expansion reads as parse → model → checks → expansion, one module
//! (or folder) for each, whose imports run one way, from the top down:
//!
//! - `literal`: the front end of `generators!`, which hands each function
//!   to the expansion of `#[generator]`;
//! - `expand`: the function turned into one that returns its generator,
//!   its body rewritten by one pass that calls the checks at each yield;
//! - `checks`: what counts as a misuse, each check adding what it finds to
//!   `Errors`, none stopping at the first;
//! - `args` parses the attribute; `yields` models the body's yields (which
//!   macro, where, with what argument) and `std_macros` the standard macros
//!   whose arguments may hold one;
//! - `messages` holds what every misuse is told, `errors` the `Errors` that
//!   collects them.
//!
//! On an error the function is still expanded, with its real signature and
//! every rejected yield replaced by an expression that reports it and fits
//! where the yield was: the user sees the errors reported here and nothing
//! else (no unused imports, no errors in the callers).

#![forbid(unsafe_code)]

mod args;
mod checks;
mod errors;
mod expand;
mod inline;
mod literal;
mod messages;
mod recover;
mod std_macros;
mod yields;

use proc_macro::TokenStream;
use proc_macro2::Span;

use errors::Errors;

/// (The guide above is `pygen`'s; this macro is used through `pygen`.)
#[proc_macro_attribute]
pub fn generator(args: TokenStream, input: TokenStream) -> TokenStream {
    let input = proc_macro2::TokenStream::from(input);
    // The attribute itself, but with the hygiene of the user's code: an
    // error there is not reported as "originating in" this macro.
    let attribute = input
        .clone()
        .into_iter()
        .next()
        .map_or_else(Span::call_site, |t| Span::call_site().resolved_at(t.span()));
    if let Some(inline) = inline::attribute_on_closure(args.clone().into(), &input, attribute) {
        return inline.into();
    }
    let mut errors = Errors::default();
    let args = args::parse(args.into(), attribute, &mut errors);
    expand::function(args, errors, input, attribute, false).into()
}

/// Generator functions written with the literal `yield!(v)`: one or more
/// `#[generator(yield = Y, ..)] fn`, each expanded as the `#[generator]`
/// attribute would expand it with `yield_!(v)`.
///
/// ```
/// use pygen::{generators, yield_from};
///
/// generators! {
///     #[generator(yield = u32)]
///     fn up_to(n: u32) -> u32 {
///         for i in 0..n {
///             yield!(i);
///         }
///         n
///     }
///
///     #[generator(yield = u32)]
///     pub fn twice(n: u32) -> u32 {
///         yield_from!(up_to(n)) + yield_from!(up_to(n))
///     }
/// }
///
/// assert_eq!(twice(2).collect::<Vec<_>>(), [0, 1, 0, 1]);
/// ```
///
/// `yield` is a reserved keyword, and rustc refuses `yield!(..)` while it
/// parses a function, even one under an attribute; it never parses a
/// function-like macro's input, which is why this macro exists. It is named
/// `generators!` because the attribute already holds the name `generator`
/// (attributes and function-like macros share one namespace).
#[proc_macro]
pub fn generators(input: TokenStream) -> TokenStream {
    literal::generators(input.into()).into()
}

/// A generator written inline: `generate!(|| { .. })` makes a `Gen` from a
/// closure that yields, capturing what it uses as the closure would
/// (`generate!(async || ..)` makes an `AsyncGen`). Documented in `pygen`.
///
/// ```
/// use pygen::{generate, yield_};
///
/// let limit = 7;
/// let evens = generate!(|| {
///     for n in (0..limit).step_by(2) {
///         yield_!(n);
///     }
/// });
/// assert_eq!(evens.collect::<Vec<u32>>(), [0, 2, 4, 6]);
/// ```
#[proc_macro]
pub fn generate(input: TokenStream) -> TokenStream {
    inline::generate(input.into()).into()
}
