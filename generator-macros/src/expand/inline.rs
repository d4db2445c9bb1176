//! The inline form's expansion: the closure's body, rewritten by the same
//! pass as a generator function's, becomes the body of an async closure
//! that captures what the user's closure would have captured (by
//! reference, or by value when it is `move`), and the generator is made
//! from it by the call a generator function makes (closure.rs's `made`).
//!
//! An async closure, not a closure returning an `async move` block: inside
//! a plain closure the block would have to be `move` to take the hidden
//! handle, and would then take every captured variable too. An async
//! closure's parameters are moved into its future while its captures
//! follow the closure's own mode, which is exactly the capture a user
//! writes.

use proc_macro2::TokenStream;
use quote::quote;

use super::context::{Hygiene, Types};
use super::{Rewritten, Setting, closure, handle};
use crate::checks;
use crate::errors::Errors;
use crate::inline::InlineGenerator;

/// The expression that makes the inline generator, followed by the errors
/// found in it (each in a statement of its own).
pub fn inline(generator: InlineGenerator, mut errors: Errors) -> TokenStream {
    let InlineGenerator {
        args,
        is_async,
        capture,
        return_ty,
        mut body,
        inputs,
    } = generator;
    // A generator function: each call makes the generator, which takes
    // the arguments (and, as any `move` closure, what it uses).
    let function = (!inputs.is_empty()).then_some((capture, inputs));
    let capture = match &function {
        Some(_) => Some(<syn::Token![move]>::default()),
        None => capture,
    };
    let names = Hygiene::new();
    let delegating = closure::delegates(&body);
    let shape = closure::shape(delegating, is_async, &body);
    // Without `yield =`, the yield type is the yields' (`_` is inferred).
    let yield_ty = args.yield_ty.unwrap_or_else(|| syn::parse_quote!(_));
    let types = Types::new(Some(yield_ty), args.send_ty, args.throw_ty);
    let Rewritten {
        errors: body_errors,
        used_paths,
    } = Rewritten::of(
        &mut body,
        Setting {
            names: &names,
            types: &types,
            is_async,
            return_ty: return_ty.as_ref(),
            literal: false,
            function: None,
            generic_args: checks::GenericArgs::default(),
            boxed: args.boxed.is_some(),
        },
    );
    errors.extend(body_errors);
    let boxing = match &args.boxed {
        Some(_) => quote!(.boxed()),
        None => TokenStream::new(),
    };
    let priming = match checks::primed(args.primed, is_async, &mut errors) {
        Some(span) => quote::quote_spanned!(span=> .primed()),
        None => TokenStream::new(),
    };
    let made = closure::made(&names, &handle(is_async), &shape, boxing, priming);
    let Hygiene {
        co,
        types: marker,
        body_fn,
        ..
    } = &names;
    let yield_ty = types.yield_ty_or_unit();
    let Types {
        send_ty, throw_ty, ..
    } = &types;
    let output = return_ty.map(|ty| quote!(-> #ty));
    // The marker of `yield_from!`'s dispatch, as in a generator function
    // (see `closure::replace_body`), here inside the body.
    let marker = delegating.then(|| quote!(let #marker = ::pygen::__private::Co::types(&#co);));
    let stmts = &body.stmts;
    let errors = errors.to_compile_error();
    // The `Co`'s type is given in a `let`, by value, for the reasons
    // `closure::replace_body` gives.
    let generator = quote! {{
        #( #used_paths!(@__pygen_used); )*
        let #body_fn = async #capture |#co| #output {
            #[allow(unused_mut)]
            let mut #co: ::pygen::__private::Co<#yield_ty, #send_ty, #throw_ty> = #co;
            #marker
            #(#stmts)*
        };
        #made
    }};
    match function {
        // Without errors the closure is the whole expansion, so that its
        // parameters' types are inferred from where it is passed.
        Some((capture, inputs)) if errors.is_empty() => quote!(#capture |#inputs| #generator),
        Some((capture, inputs)) => quote!({ #errors #capture |#inputs| #generator }),
        None => quote!({ #errors #generator }),
    }
}
