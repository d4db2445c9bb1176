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
//! writes. A generator function written inline (`generate!(|i| ..)`) is
//! the user's closure around that expansion; the async closure inside it
//! captures as the user's does too, and takes the arguments by a prelude
//! (`let i = i;`), so that the function can be called again while it
//! borrows what it uses, and its arguments live as long as the generator.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{quote, quote_spanned};

use super::context::{Hygiene, Types};
use super::{Rewritten, Setting, closure, handle};
use crate::checks;
use crate::errors::Errors;
use crate::inline::InlineGenerator;
use crate::messages;
use crate::yields::{first_yield, mentions_ident};

/// The expression that makes the inline generator, followed by the errors
/// found in it (each in a statement of its own).
pub fn inline(generator: InlineGenerator, mut errors: Errors) -> TokenStream {
    let InlineGenerator {
        args,
        is_async,
        capture,
        return_ty,
        mut body,
        mut inputs,
        span,
    } = generator;
    // A generator function: each call makes the generator, which takes the
    // arguments (moved in by the prelude, as a generator function's are,
    // so that they live as long as the generator) and captures the rest as
    // the user's closure does.
    let (prelude, argument_names) = closure::move_inputs_in(&mut inputs);
    let function = (!inputs.is_empty()).then_some(inputs);
    if args.yield_ty.is_none() && !yields(&body) {
        errors.push(syn::Error::new(span, messages::INLINE_WITHOUT_YIELDS));
    }
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
        body_fn,
        yielded,
        ..
    } = &names;
    let yield_ty = types.yield_ty_or_unit();
    let Types {
        send_ty, throw_ty, ..
    } = &types;
    let output = return_ty.map(|ty| quote!(-> #ty));
    // Here inside the async closure's body, which is the future.
    let binding = closure::handle_binding(&names, &yield_ty, send_ty, throw_ty, delegating);
    // With the yield type inferred, each yielded value goes through this
    // closure (see suspension.rs): the first fixes its type, and a value
    // of another type is reported at that value.
    let yielded = types
        .yields_inferred
        .get()
        .then(|| quote!(let #yielded = |value| value;));
    let stmts = &body.stmts;
    let errors = errors.to_compile_error();
    // The closures begin where the user's
    // does, so that what rustc suggests about them (`move`) is put there.
    // A generator function's arguments reach the body in a local struct of
    // the expansion's, which is not `Copy`: the async closure, which
    // captures as the user's does, must then take it by value (a `Copy`
    // argument used in the body would otherwise be borrowed from the call
    // that made the generator), and the body unpacks it.
    let arguments_ty = Ident::new("__PygenArguments", Span::mixed_site());
    let arguments = Ident::new("__pygen_arguments", Span::mixed_site());
    let (pack, unpack) = if function.is_some() {
        (
            quote! {
                struct #arguments_ty<T>(T);
                let #arguments = #arguments_ty((#(#argument_names,)*));
            },
            // Moved whole first: a pattern alone would capture only its
            // fields, and a `Copy` field by reference.
            quote! {
                let #arguments = #arguments;
                let #arguments_ty((#(#argument_names,)*)) = #arguments;
            },
        )
    } else {
        (TokenStream::new(), TokenStream::new())
    };
    let async_closure = quote_spanned!(span=> async #capture |#co| #output);
    let generator = quote! {{
        #( #used_paths!(@__pygen_used); )*
        #pack
        let #body_fn = #async_closure {
            #binding
            #unpack
            #prelude
            #yielded
            #(#stmts)*
        };
        #made
    }};
    match function {
        // Without errors the closure is the whole expansion, so that its
        // parameters' types are inferred from where it is passed.
        Some(inputs) => {
            let function = quote_spanned!(span=> #capture |#inputs|);
            if errors.is_empty() {
                quote!(#function #generator)
            } else {
                quote!({ #errors #function #generator })
            }
        }
        None => quote!({ #errors #generator }),
    }
}

/// Whether the body yields at all, in any spelling (the keyword too, which
/// has an error of its own): else nothing gives its yield type.
fn yields(body: &syn::Block) -> bool {
    first_yield(body).is_some() || mentions_ident(quote!(#body), &|ident| ident == "yield")
}
