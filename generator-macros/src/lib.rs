//! The `#[generator]` attribute of [pygen](https://docs.rs/pygen). Use it
//! through `pygen`, which documents it:
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
//! The expansion runs in three steps, each in its own module: `args` parses
//! the attribute, `validate` collects every misuse in the function, and
//! `expand` rewrites the body into an `async` block that yields through the
//! generator's channel.

#![forbid(unsafe_code)]

mod args;
mod expand;
mod validate;

use proc_macro::TokenStream;
use syn::ItemFn;

/// Turns a function whose body uses `yield_!`, `yield_catch!` and
/// `yield_from!` into a function returning a `pygen::Gen`.
///
/// `#[generator(yield = Y, send = S, throw = E)]`: `yield` is required,
/// `send` defaults to `()`, `throw` to none. The function's return type is
/// the generator's return value.
#[proc_macro_attribute]
pub fn generator(args: TokenStream, input: TokenStream) -> TokenStream {
    let args = args::parse(args.into());
    let function = syn::parse::<ItemFn>(input).map_err(|err| {
        syn::Error::new(
            err.span(),
            format!("#[generator] applies to a function (`fn name(..) -> R {{ .. }}`): {err}"),
        )
    });
    let checked = function.and_then(|function| validate::validate(&function).map(|()| function));
    match (args, checked) {
        (Ok(args), Ok(function)) => expand::expand(args, function).into(),
        (Err(mut err), Err(more)) => {
            err.combine(more);
            err.to_compile_error().into()
        }
        (Err(err), Ok(_)) | (Ok(_), Err(err)) => err.to_compile_error().into(),
    }
}
