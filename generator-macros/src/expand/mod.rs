//! Turning a generator function into one that returns a `Gen` (or, for an
//! `async fn`, an `AsyncGen`).
//!
//! `function` is the whole of it: the item is checked (see checks/), its
//! body rewritten by one pass (rewrite.rs, with the macro calls it meets in
//! macros.rs and hoist.rs, and each yield in yield_site.rs, suspension.rs
//! and delegation.rs), its return type replaced by the generator type
//! (here, or boxed.rs), and the rewritten body moved into the closure the
//! generator is made from (closure.rs).

mod boxed;
mod captures;
mod closure;
mod context;
mod delegation;
mod hoist;
mod inline;
mod macros;
mod rewrite;
mod suspension;
mod yield_site;

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::visit_mut::VisitMut;
use syn::{ItemFn, ReturnType, Type};

use crate::args::{Boxed, GeneratorArgs};
use crate::checks;
use crate::errors::Errors;
use context::{Hygiene, Named, Types, mentions_impl_trait};
use rewrite::YieldRewrite;

pub use inline::inline;

/// The expansion of one generator function: `errors` already holds what was
/// wrong with its arguments, `attribute` is where to report what concerns
/// the attribute as a whole.
///
/// `literal` is set inside `generators!` (see literal.rs).
pub fn function(
    args: GeneratorArgs,
    mut errors: Errors,
    item: TokenStream,
    attribute: Span,
    literal: bool,
) -> TokenStream {
    let mut function = match syn::parse2::<ItemFn>(item.clone()) {
        Ok(function) => function,
        Err(err) => {
            errors.push(checks::not_a_function(&item, attribute, &err));
            // The item stays as it was, so that its users see no error of
            // their own.
            let errors = errors.to_compile_error();
            return quote!(#errors #item);
        }
    };
    errors.extend(checks::signature(&mut function));
    let (function, body_errors) = expand(args, function, literal);
    errors.extend(body_errors);
    // After the function: an editor that maps positions between this
    // expansion and a speculative one (rust-analyzer) finds the function's
    // tokens at the same offsets in both.
    let errors = errors.to_compile_error();
    quote!(#function #errors)
}

/// The function with its body moved into an `async` block that yields
/// through the channel handle, and its return type replaced by the
/// generator type; and every misuse found in the body.
fn expand(args: GeneratorArgs, mut function: ItemFn, literal: bool) -> (ItemFn, Errors) {
    let names = Hygiene::new();
    let return_ty: Type = match &function.sig.output {
        ReturnType::Default => syn::parse_quote!(()),
        ReturnType::Type(_, ty) => (**ty).clone(),
    };
    let is_async = function.sig.asyncness.take().is_some();
    // Chosen from the body as the user wrote it.
    let delegating = closure::delegates(&function.block);
    let shape = closure::shape(delegating, is_async, &function.block);
    let types = Types::new(args.yield_ty, args.send_ty, args.throw_ty);
    let rewritten = Rewritten::of(
        &mut function.block,
        Setting {
            names: &names,
            types: &types,
            is_async,
            return_ty: Some(&return_ty),
            literal,
            function: Some(function.sig.ident.clone()),
            generic_args: checks::GenericArgs::of(&function.sig),
            boxed: args.boxed.is_some(),
        },
    );
    let Rewritten {
        mut errors,
        used_paths,
    } = rewritten;

    let yield_ty = types.yield_ty_or_unit();
    let named = Named {
        yield_ty: &yield_ty,
        return_ty: &return_ty,
        send_ty: &types.send_ty,
        throw_ty: &types.throw_ty,
    };
    let boxing = return_type(
        &mut function,
        args.boxed.as_ref(),
        is_async,
        &named,
        &mut errors,
    );
    let priming = match checks::primed(args.primed, is_async, &mut errors) {
        Some(span) => quote::quote_spanned!(span=> .primed()),
        None => TokenStream::new(),
    };
    let made = closure::made(&names, &handle(is_async), &shape, boxing, priming);
    closure::replace_body(&mut function, &names, &named, delegating, &used_paths, made);
    (function, errors)
}

/// What the pass over a body needs to know besides the body.
struct Setting<'a> {
    names: &'a Hygiene,
    types: &'a Types,
    is_async: bool,
    /// The return type, when the generator declares one.
    return_ty: Option<&'a Type>,
    literal: bool,
    /// The generator function's name; `None` inline.
    function: Option<syn::Ident>,
    /// Its parameters of generic type (none inline).
    generic_args: checks::GenericArgs,
    boxed: bool,
}

/// What the pass over a body found: its misuses, and the yield macro
/// paths it used (see `YieldRewrite::used_paths`).
struct Rewritten {
    errors: Errors,
    used_paths: Vec<TokenStream>,
}

impl Rewritten {
    /// Rewrites `block` in place (see rewrite.rs).
    fn of(block: &mut syn::Block, setting: Setting) -> Self {
        let mut rewrite = YieldRewrite {
            names: setting.names,
            types: setting.types,
            is_async: setting.is_async,
            return_ty: setting
                .return_ty
                .filter(|ty| !mentions_impl_trait(ty))
                .map(|ty| quote!(#ty)),
            literal: setting.literal,
            nested: Vec::new(),
            statement_attrs: Vec::new(),
            errors: Errors::default(),
            function: setting.function,
            generic_args: setting.generic_args,
            boxed: setting.boxed,
            used_paths: Vec::new(),
        };
        rewrite.visit_block_mut(block);
        Rewritten {
            errors: rewrite.errors,
            used_paths: rewrite.used_paths,
        }
    }
}

/// The generator's handle type: `Gen`, or `AsyncGen` for an `async fn`.
fn handle(is_async: bool) -> TokenStream {
    if is_async {
        quote!(::pygen::AsyncGen)
    } else {
        quote!(::pygen::Gen)
    }
}

/// Replaces the return type by the generator type: boxed when the
/// attribute says so (see boxed.rs; then the method that boxes the
/// generator is returned), else the handle over an opaque body that says
/// what it borrows (captures.rs).
fn return_type(
    function: &mut ItemFn,
    boxed: Option<&Boxed>,
    is_async: bool,
    named: &Named,
    errors: &mut Errors,
) -> TokenStream {
    let sig = &mut function.sig;
    if let Some(boxing) = boxed.and_then(|boxed| boxed::boxed(sig, boxed, is_async, named, errors))
    {
        return boxing;
    }
    let handle = handle(is_async);
    let Named {
        yield_ty,
        return_ty,
        send_ty,
        throw_ty,
    } = named;
    let return_tokens = quote!(#return_ty);
    let outputs = [*yield_ty, &return_tokens, *send_ty, *throw_ty];
    let captures = captures::captures(sig, &outputs);
    if !captures.is_empty() {
        // In a trait impl the bounds refine the trait's `impl Body`.
        function
            .attrs
            .push(syn::parse_quote!(#[allow(refining_impl_trait)]));
    }
    sig.output = syn::parse_quote! {
        -> #handle<
            impl ::pygen::Body<Output = #return_ty> #captures,
            #yield_ty,
            #send_ty,
            #throw_ty,
        >
    };
    TokenStream::new()
}
