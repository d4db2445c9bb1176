//! `#[generator(boxed)]`: the function returns its generator boxed and
//! type-erased (`BoxGen`, `BoxGenSend` for `boxed = Send`, `BoxAsyncGen`),
//! a type that can be named: in a `dyn` trait's method, a `Vec` of stages,
//! a struct's field.
//!
//! The box borrows what the body borrows, which is every argument: its
//! lifetime is `'static` when the signature borrows nothing, the one
//! lifetime of the signature when there is one (`'_`, as elision would
//! pick it), and otherwise a lifetime of its own that every named lifetime
//! and type parameter outlives; references whose lifetimes are elided
//! beside others cannot be named that way, and get an error that says so.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::{GenericParam, Lifetime, Signature};

use super::context::Named;
use crate::args::Boxed;
use crate::checks;
use crate::errors::Errors;
use crate::messages;

/// Sets the boxed return type on `sig` and returns the method that boxes
/// the generator (`.boxed()` or `.boxed_send()`); `None`, with an error,
/// when the box's lifetime cannot be named (the function then expands
/// unboxed, so that rustc adds no error of its own).
pub fn boxed(
    sig: &mut Signature,
    boxed: &Boxed,
    is_async: bool,
    types: &Named,
    errors: &mut Errors,
) -> Option<TokenStream> {
    let Named {
        yield_ty,
        return_ty,
        send_ty,
        throw_ty,
    } = types;
    let lifetime = lifetime(sig, &boxed.key, errors)?;
    let (alias, method) = match (is_async, boxed.send) {
        (true, _) => (quote!(BoxAsyncGen), quote!(boxed)),
        (false, false) => (quote!(BoxGen), quote!(boxed)),
        (false, true) => (quote!(BoxGenSend), quote!(boxed_send)),
    };
    checks::boxed_send(boxed, is_async, errors);
    sig.output = syn::parse_quote! {
        -> ::pygen::#alias<#lifetime, #yield_ty, #return_ty, #send_ty, #throw_ty>
    };
    Some(quote!(.#method()))
}

/// The lifetime of the box (see the module's documentation).
fn lifetime(sig: &mut Signature, key: &syn::Ident, errors: &mut Errors) -> Option<Lifetime> {
    let (elided, mut named) = super::captures::borrowed(sig);
    named.sort_by_key(ToString::to_string);
    Some(match (elided, named.len()) {
        (0, 0) => Lifetime::new("'static", Span::call_site()),
        (1, 0) | (0, 1) => Lifetime::new("'_", Span::call_site()),
        (0, _) => own_lifetime(sig, &named),
        _ => {
            errors.push(syn::Error::new_spanned(
                key,
                messages::BOXED_ELIDED_LIFETIMES,
            ));
            return None;
        }
    })
}

/// Adds `'__pygen_box` to the generics, outlived by every named lifetime
/// and type parameter.
fn own_lifetime(sig: &mut Signature, named: &[Lifetime]) -> Lifetime {
    let own = Lifetime::new("'__pygen_box", Span::mixed_site());
    let types: Vec<_> = sig
        .generics
        .params
        .iter()
        .filter_map(|p| match p {
            GenericParam::Type(t) => Some(t.ident.clone()),
            _ => None,
        })
        .collect();
    sig.generics.params.insert(0, syn::parse_quote!(#own));
    let clause = sig.generics.make_where_clause();
    for lifetime in named {
        clause.predicates.push(syn::parse_quote!(#lifetime: #own));
    }
    for ty in types {
        clause.predicates.push(syn::parse_quote!(#ty: #own));
    }
    own
}
