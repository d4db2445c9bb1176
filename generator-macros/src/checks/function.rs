//! Checks of the function as a whole: that the attribute is on a function,
//! that its signature can be expanded, and that the flags of the attribute
//! fit it.

use proc_macro2::{Span, TokenStream};
use syn::{Item, ItemFn};

use crate::args::Boxed;
use crate::errors::Errors;
use crate::messages;

/// The error for an item that is not a function with a body.
pub fn not_a_function(item: &TokenStream, attribute: Span, err: &syn::Error) -> syn::Error {
    if let Ok(method) = syn::parse2::<syn::TraitItemFn>(item.clone()) {
        if method.default.is_none() {
            return syn::Error::new(attribute, messages::METHOD_WITHOUT_BODY);
        }
    }
    match syn::parse2::<Item>(item.clone()) {
        Ok(item) => syn::Error::new(
            attribute,
            messages::not_a_function(&messages::item_kind(&item)),
        ),
        Err(_) => syn::Error::new(err.span(), messages::not_an_item(err)),
    }
}

/// Checks the signature, and takes out what cannot be expanded (`const`,
/// an ABI, a variadic argument) so that the function still expands.
pub fn signature(function: &mut ItemFn) -> Errors {
    let mut errors = Errors::default();
    let sig = &mut function.sig;
    if let Some(constness) = sig.constness.take() {
        errors.push(syn::Error::new(constness.span, messages::CONST_FN));
    }
    if let Some(abi) = sig.abi.take() {
        errors.push(syn::Error::new_spanned(abi, messages::EXTERN_FN));
    }
    if let Some(variadic) = sig.variadic.take() {
        errors.push(syn::Error::new_spanned(variadic, messages::VARIADIC_FN));
    }
    errors
}

/// The `primed` flag, where it can be honoured: an async generator is
/// primed by awaiting it, which the function cannot do for its caller.
pub fn primed(primed: Option<Span>, is_async: bool, errors: &mut Errors) -> Option<Span> {
    let span = primed?;
    if is_async {
        errors.push(syn::Error::new(span, messages::PRIMED_ASYNC));
        return None;
    }
    Some(span)
}

/// `boxed = Send` on an async generator, whose box is always `Send`.
pub fn boxed_send(boxed: &Boxed, is_async: bool, errors: &mut Errors) {
    if is_async && boxed.send {
        errors.push(syn::Error::new_spanned(
            &boxed.key,
            messages::BOXED_SEND_ASYNC,
        ));
    }
}
