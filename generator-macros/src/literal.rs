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
use syn::{Item, Meta};

use crate::args;
use crate::expand::yield_rewrite::{LITERAL_YIELD, is_generator_attribute};
use crate::validate::Errors;

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
                let (args, attribute) = match function.attrs.iter().position(is_generator_attribute)
                {
                    Some(position) => {
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
                            args::parse(tokens, at, &mut errors)
                        } else {
                            args::GeneratorArgs::default()
                        };
                        (args, at)
                    }
                    None => {
                        let at = function.sig.ident.span();
                        errors.push(syn::Error::new(
                            at,
                            "a function inside `generators!` needs the #[generator] attribute \
                             with its types: write #[generator(yield = Type)] above it",
                        ));
                        (args::GeneratorArgs::default(), at)
                    }
                };
                crate::generate(args, errors, function.into_token_stream(), attribute, true)
            }
            other => {
                let mut tokens = syn::Error::new(
                    first_span(&other),
                    format!(
                        "`generators!` holds generator functions only \
                         (`#[generator(yield = Type)] fn ..`), not {}: define it outside",
                        crate::item_kind(&other)
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
