//! The body's new shape: the user's statements, rewritten, in an `async`
//! block made by the closure that the generator's constructor receives;
//! and the shape the generator holds it in.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use syn::punctuated::Punctuated;
use syn::{FnArg, ItemFn, Pat, PatIdent, Signature, Token};

use super::context::{Hygiene, Named};
use crate::yields::{YieldKind, mentions_ident};

/// The shape the generator holds its body in (`pygen::__private::Plain`,
/// `Catching` or `Delegating`; see core's `body/shape.rs`).
///
/// A body that cannot catch a close gets a generator that drops it
/// without resuming it on close or drop. An async generator always gets
/// `Catching`: its driver resumes the body on `aclose` and on drop (out of
/// line, and rare), whatever the shape says.
/// A body with `yield_from!` keeps the stack of its direct delegations.
pub fn shape(delegating: bool, is_async: bool, block: &syn::Block) -> TokenStream {
    if delegating {
        quote!(::pygen::__private::Delegating)
    } else if is_async || may_catch_close(block) {
        quote!(::pygen::__private::Catching)
    } else {
        quote!(::pygen::__private::Plain)
    }
}

/// The call that makes the generator (`let made: Gen<_, _, _, _> =
/// from_body(shape, body_fn)`, or `AsyncGen`), then boxes and primes it as
/// the attribute asks.
pub fn made(
    names: &Hygiene,
    handle: &TokenStream,
    shape: &TokenStream,
    boxing: TokenStream,
    priming: TokenStream,
) -> TokenStream {
    let Hygiene { body_fn, made, .. } = names;
    // The constructor is an `unsafe fn` (its contract: the `Co` stays in
    // the future the closure makes, which its mixed-site name guarantees
    // here), so that code other than this expansion cannot call it without
    // writing `unsafe`. The closure, with the user's code, is made outside
    // the `unsafe` block and handed to the call directly (a helper on the
    // way, reached by a path a user crate can redirect, could hand over a
    // closure of its own); inside the block is only the call, of a path, a
    // unit struct and a local. The `unsafe` token is the macro's (call-site
    // span, as every token `quote!` makes): the user crate's
    // `#![forbid(unsafe_code)]` does not apply to it.
    //
    // The constructor makes either handle; the `let` says which.
    quote! {
        let #made: #handle<_, _, _, _> = unsafe { ::pygen::__private::from_body(#shape, #body_fn) };
        #made #boxing #priming
    }
}

/// Replaces the function's body with the closure that makes the body's
/// future, followed by `made`, the call that makes the generator from it.
pub fn replace_body(
    function: &mut ItemFn,
    names: &Hygiene,
    named: &Named,
    delegating: bool,
    used_paths: &[TokenStream],
    made: TokenStream,
) {
    let Named {
        yield_ty,
        send_ty,
        throw_ty,
        ..
    } = named;
    let co = &names.co;
    let handle = handle_binding(names, yield_ty, send_ty, throw_ty, delegating);
    let prelude = move_arguments_in(&mut function.sig);
    let stmts = &function.block.stmts;
    let body_fn = &names.body_fn;
    // Each yield macro path the body used is invoked on its own so that its
    // import counts as used (the expansion does not go through it).
    let body = quote! {
        #( #used_paths!(@__pygen_used); )*
        let #body_fn = move |#co| {
            #handle
            async move {
                #prelude
                #(#stmts)*
            }
        };
        #made
    };
    // Kept as tokens, not parsed again: a yield whose argument is still
    // being typed (see `yield_macro`) is expanded with the tokens as they
    // are, for rustc to report where they stop making sense.
    // Its braces are the macro's, as the rest of the body's expansion.
    function.block.brace_token = syn::token::Brace(Span::call_site());
    function.block.stmts = vec![syn::Stmt::Expr(syn::Expr::Verbatim(body), None)];
}

/// The first statements of the closure that makes a body's future (a
/// generator function's, or an inline one's): the handle bound under its
/// type, and for a body that delegates, the marker of its types.
///
/// The `Co`'s type is given in a `let` rather than on the closure's
/// parameter: there, an elided lifetime of the yield type (`&str`) would
/// make the closure generic over it, and the future it returns could not
/// name it. The `let` binds the handle by value, so that no coercion
/// applies: a reference there (`let _: &Co<..> = &co`) let a crate that
/// redirects `::pygen` make `__private::Co` an alias of `dyn Trait`, to
/// which `&Co` coerces, and then `Co::yield_(&mut co, v)` called that
/// trait's method with `&mut Co`. By value, `Co` must be the handle's own
/// type (a `dyn` type is not `Sized`, any other type mismatches the
/// constructor's parameter), and its paths reach `Co`'s inherent
/// functions.
///
/// A body that delegates also gets the imports of `yield_from!`'s traits
/// (`delegation::imports`) there.
///
/// The marker `yield_from!`'s dispatch gets instead of the handle is made
/// here, outside the body's `async` block where there is one: a call on the
/// handle inside it, at each `yield_from!`, made rustc lay the body's state
/// machine out with drop flags for its delegations (measured: 15 more
/// instructions per leaf of a recursive tree).
pub fn handle_binding(
    names: &Hygiene,
    yield_ty: &TokenStream,
    send_ty: &TokenStream,
    throw_ty: &TokenStream,
    delegating: bool,
) -> TokenStream {
    let co = &names.co;
    let marker = &names.types;
    let types = delegating.then(|| {
        let imports = super::delegation::imports();
        quote!(#imports let #marker = ::pygen::__private::Co::types(&#co);)
    });
    quote! {
        #[allow(unused_mut)]
        let mut #co: ::pygen::__private::Co<#yield_ty, #send_ty, #throw_ty> = #co;
        #types
    }
}

/// Moves every argument into the body, as rustc does for an `async fn`:
/// without it the body's closure would capture only what the body mentions,
/// dropping an unused argument (or the unused fields of a destructured one)
/// when the generator is created instead of when it finishes.
///
/// A plain binding `x` / `mut x` keeps its name (`let mut x = x;`); any
/// other pattern becomes an argument named `__pygen_argN` that the body
/// binds (`let __pygen_argN = __pygen_argN; let PATTERN = __pygen_argN;`).
/// A receiver is kept alive by a reference to it.
fn move_arguments_in(sig: &mut Signature) -> TokenStream {
    let mut prelude = TokenStream::new();
    for (index, input) in sig.inputs.iter_mut().enumerate() {
        match input {
            FnArg::Receiver(_) => prelude.extend(quote!(let _ = &self;)),
            FnArg::Typed(typed) => prelude.extend(move_pattern_in(&mut typed.pat, index)),
        }
    }
    prelude
}

/// `move_arguments_in` for the parameters of an inline generator function
/// (`generate!(|a, (b, c): (u8, u8)| ..)`), whose generator takes them in
/// the same way: the prelude, and the name each parameter is bound to.
pub fn move_inputs_in(inputs: &mut Punctuated<Pat, Token![,]>) -> (TokenStream, Vec<Ident>) {
    let mut prelude = TokenStream::new();
    let mut names = Vec::new();
    for (index, input) in inputs.iter_mut().enumerate() {
        let pat = match input {
            Pat::Type(typed) => &mut *typed.pat,
            other => other,
        };
        prelude.extend(move_pattern_in(pat, index));
        if let Pat::Ident(binding) = pat {
            names.push(binding.ident.clone());
        }
    }
    (prelude, names)
}

/// The statements that move the argument bound by `pat` (the `index`-th)
/// into the body; a pattern other than a plain binding becomes
/// `__pygen_argN`, bound again in the body.
fn move_pattern_in(pat: &mut Pat, index: usize) -> TokenStream {
    match pat {
        Pat::Ident(PatIdent {
            by_ref: None,
            mutability,
            ident,
            subpat: None,
            ..
        }) => {
            let prelude = quote!(let #mutability #ident = #ident;);
            *mutability = None;
            prelude
        }
        pattern => {
            let arg = Ident::new(&format!("__pygen_arg{index}"), Span::mixed_site());
            let prelude = quote! {
                let #arg = #arg;
                let #pattern = #arg;
            };
            *pattern = syn::parse_quote!(#arg);
            prelude
        }
    }
}

/// Whether a close could be caught in the body: it uses `yield_catch!`, or
/// `yield_from!` (a delegate may catch it), anywhere in its tokens — inside
/// other macros' arguments too. Otherwise a close can only reach a plain
/// `yield_!`, which drops the body in place.
fn may_catch_close(block: &syn::Block) -> bool {
    mentions(block, |kind| kind == YieldKind::Catch || kind.delegates())
}

/// Whether the body delegates: `yield_from!` or `yield_from_catch!`.
pub fn delegates(block: &syn::Block) -> bool {
    mentions(block, YieldKind::delegates)
}

/// Whether a yield of a kind `wanted` accepts appears in the block's
/// tokens, inside other macros' arguments too. Names are read as
/// [`YieldKind::of_ident`] reads them, so a raw `r#yield_catch!` counts as
/// `yield_catch!` here as it does everywhere else.
fn mentions(block: &syn::Block, wanted: impl Fn(YieldKind) -> bool) -> bool {
    mentions_ident(quote!(#block), &|ident| {
        YieldKind::of_ident(ident).is_some_and(&wanted)
    })
}
