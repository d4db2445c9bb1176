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
//! The expansion runs in three steps, each in its own module: `args` parses
//! the attribute, `validate` checks the signature and holds what every
//! misuse is told, and `expand` rewrites the body into an `async` block that
//! yields through the generator's channel, reporting each misuse it meets.
//! `literal` is the front end of `generators!`.
//!
//! On an error the function is still expanded, with its real signature and
//! every rejected yield replaced by an expression that reports it and fits
//! where the yield was: the user sees the errors reported here and nothing
//! else (no unused imports, no errors in the callers).

#![forbid(unsafe_code)]

mod args;
mod expand;
mod literal;
mod validate;

use proc_macro::TokenStream;
use proc_macro2::Span;
use quote::quote;
use syn::{Item, ItemFn};

use args::GeneratorArgs;
use validate::Errors;

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
    let mut errors = Errors::default();
    let args = args::parse(args.into(), attribute, &mut errors);
    generate(args, errors, input, attribute, false).into()
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

/// The expansion of one generator function: `errors` already holds what was
/// wrong with its arguments, `attribute` is where to report what concerns
/// the attribute as a whole.
fn generate(
    args: GeneratorArgs,
    mut errors: Errors,
    item: proc_macro2::TokenStream,
    attribute: Span,
    literal: bool,
) -> proc_macro2::TokenStream {
    let mut function = match syn::parse2::<ItemFn>(item.clone()) {
        Ok(function) => function,
        Err(err) => {
            errors.push(not_a_function(&item, attribute, &err));
            // The item stays as it was, so that its users see no error of
            // their own.
            let errors = errors.to_compile_error();
            return quote!(#errors #item);
        }
    };
    errors.extend(validate::signature(&mut function));
    let (function, body_errors) = expand::expand(args, function, literal);
    errors.extend(body_errors);
    // After the function: an editor that maps positions between this
    // expansion and a speculative one (rust-analyzer) finds the function's
    // tokens at the same offsets in both.
    let errors = errors.to_compile_error();
    quote!(#function #errors)
}

/// The error for an item that is not a function with a body.
fn not_a_function(
    item: &proc_macro2::TokenStream,
    attribute: Span,
    err: &syn::Error,
) -> syn::Error {
    if let Ok(method) = syn::parse2::<syn::TraitItemFn>(item.clone()) {
        if method.default.is_none() {
            return syn::Error::new(
                attribute,
                "#[generator] needs the function's body, which it turns into the generator; \
                 in a trait, declare the method with the generator type it returns, e.g. \
                 `fn numbers(&self) -> pygen::Gen<impl pygen::Body<Output = ()>, u32>;`, and put \
                 #[generator(yield = u32)] on the method in each impl",
            );
        }
    }
    match syn::parse2::<Item>(item.clone()) {
        Ok(item) => syn::Error::new(
            attribute,
            format!(
                "#[generator] applies to a function (`fn name(..) -> R {{ .. }}`), not to {}",
                item_kind(&item)
            ),
        ),
        Err(_) => syn::Error::new(
            err.span(),
            format!("#[generator] applies to a function (`fn name(..) -> R {{ .. }}`): {err}"),
        ),
    }
}

/// What an item is, for messages.
fn item_kind(item: &Item) -> String {
    let kind = match item {
        Item::Const(_) => "a const",
        Item::Enum(_) => "an enum",
        Item::ExternCrate(_) => "an extern crate",
        Item::ForeignMod(_) => "an extern block",
        Item::Impl(_) => "an impl block (put it on the methods inside)",
        Item::Macro(_) => "a macro invocation",
        Item::Mod(_) => "a module",
        Item::Static(_) => "a static",
        Item::Struct(_) => "a struct",
        Item::Trait(_) => "a trait",
        Item::TraitAlias(_) => "a trait alias",
        Item::Type(_) => "a type alias",
        Item::Union(_) => "a union",
        Item::Use(_) => "a use declaration",
        _ => return "this item".to_owned(),
    };
    kind.to_owned()
}
