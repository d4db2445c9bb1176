//! `generators! { .. }`: generator functions written with the literal
//! `yield!(v)`.
//!
//! rustc never parses the input of a function-like macro, so `yield!(v)` can
//! be written there. Each `yield` followed by `!` becomes an identifier of
//! its own (`LITERAL_YIELD`), which the body pass treats as `yield_`; then
//! every function goes through the very expansion of `#[generator]`.

use proc_macro2::{Ident, Span, TokenStream, TokenTree};
use quote::ToTokens;
use syn::parse::{ParseStream, Parser};
use syn::spanned::Spanned;
use syn::{Item, ItemFn, Meta};

use crate::args::{self, GeneratorArgs};
use crate::errors::Errors;
use crate::expand;
use crate::messages;
use crate::yields::{LITERAL_YIELD, is_generator_attribute};

pub fn generators(input: TokenStream) -> TokenStream {
    let items = match parse_items.parse2(mark_literal_yields(input)) {
        Ok(items) => items,
        Err(err) => return err.to_compile_error(),
    };
    if items.is_empty() {
        return syn::Error::new(
            Span::call_site(),
            "`generators!` is empty: put generator functions in it, e.g. \
             `generators! { #[generator(yield = u32)] fn numbers() { yield!(1); } }`",
        )
        .to_compile_error();
    }
    let mut out = TokenStream::new();
    for item in items {
        out.extend(match item {
            Item::Fn(mut function) => {
                let mut errors = Errors::default();
                let (args, attribute) = take_attribute(&mut function, &mut errors);
                expand::function(args, errors, function.into_token_stream(), attribute, true)
            }
            other => {
                let mut tokens = syn::Error::new(
                    first_span(&other),
                    format!(
                        "`generators!` holds generator functions only \
                         (`#[generator(yield = Type)] fn ..`), not {}: define it outside",
                        messages::item_kind(&other)
                    ),
                )
                .to_compile_error();
                tokens.extend(other.into_token_stream());
                tokens
            }
        });
    }
    out
}

/// Takes the `#[generator(..)]` attribute off `function`: its arguments,
/// and where to report what concerns it as a whole (the function's name
/// when it is missing).
fn take_attribute(function: &mut ItemFn, errors: &mut Errors) -> (GeneratorArgs, Span) {
    let Some(position) = function.attrs.iter().position(is_generator_attribute) else {
        let at = function.sig.ident.span();
        errors.push(syn::Error::new(
            at,
            "a function inside `generators!` needs the #[generator] attribute \
             with its types: write #[generator(yield = Type)] above it",
        ));
        return (GeneratorArgs::default(), at);
    };
    let attr = function.attrs.remove(position);
    let at = attr.path().span();
    let tokens = match attr.meta {
        Meta::Path(_) => TokenStream::new(),
        Meta::List(list) => list.tokens,
        Meta::NameValue(pair) => {
            errors.push(syn::Error::new_spanned(
                pair.eq_token,
                "write the generator's types in parentheses: \
                 #[generator(yield = Type)]",
            ));
            TokenStream::new()
        }
    };
    let args = if errors.is_empty() {
        args::parse(tokens, at, errors)
    } else {
        GeneratorArgs::default()
    };
    (args, at)
}

fn parse_items(input: ParseStream) -> syn::Result<Vec<Item>> {
    let mut items = Vec::new();
    while !input.is_empty() {
        items.push(input.parse()?);
    }
    Ok(items)
}

fn first_span(item: &Item) -> Span {
    item.to_token_stream()
        .into_iter()
        .next()
        .map_or_else(Span::call_site, |t| t.span())
}

/// Turns every `yield` followed by `!` into the identifier the body pass
/// reads as the literal yield, keeping its span.
fn mark_literal_yields(tokens: TokenStream) -> TokenStream {
    let mut out = Vec::new();
    let mut iter = tokens.into_iter().peekable();
    while let Some(tree) = iter.next() {
        out.push(match tree {
            TokenTree::Ident(ident)
                if ident == "yield"
                    && matches!(iter.peek(), Some(TokenTree::Punct(p)) if p.as_char() == '!') =>
            {
                TokenTree::Ident(Ident::new(LITERAL_YIELD, ident.span()))
            }
            TokenTree::Group(group) => {
                let mut marked =
                    proc_macro2::Group::new(group.delimiter(), mark_literal_yields(group.stream()));
                marked.set_span(group.span());
                TokenTree::Group(marked)
            }
            other => other,
        });
    }
    out.into_iter().collect()
}
