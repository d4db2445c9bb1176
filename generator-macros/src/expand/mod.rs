//! Turning a generator function into one that returns a `Gen` (or, for an
//! `async fn`, an `AsyncGen`).

mod boxed;
mod hoist;
pub mod yield_rewrite;

use proc_macro2::Span;
use proc_macro2::TokenStream;
use quote::quote;
use syn::visit_mut::VisitMut;
use syn::{FnArg, Ident, ItemFn, Pat, PatIdent, ReturnType, Signature, Type};

use crate::args::GeneratorArgs;
use crate::validate::Errors;
use yield_rewrite::{Hygiene, Types, YieldRewrite};

/// The function with its body moved into an `async` block that yields
/// through the channel handle, and its return type replaced by the
/// generator type; and every misuse found in the body.
///
/// `literal` is set inside `generators!` (see literal.rs).
pub fn expand(args: GeneratorArgs, mut function: ItemFn, literal: bool) -> (ItemFn, Errors) {
    let names = Hygiene::new();
    let return_ty: Type = match &function.sig.output {
        ReturnType::Default => syn::parse_quote!(()),
        ReturnType::Type(_, ty) => (**ty).clone(),
    };
    let is_async = function.sig.asyncness.take().is_some();
    // A body that cannot catch a close gets a generator that drops it
    // without resuming it on close or drop (an async generator never
    // resumes on drop, and its `aclose` is rare: one constructor for it).
    // A body with `yield_from!` keeps the stack of its direct delegations.
    let delegating = delegates(&function.block);
    let constructor = if delegating {
        quote!(from_delegating_body)
    } else if is_async || may_catch_close(&function.block) {
        quote!(from_body)
    } else {
        quote!(from_plain_body)
    };
    let send_ty = args.send_ty.map_or_else(|| quote!(()), |ty| quote!(#ty));
    let types = Types {
        ascribe_yield: args
            .yield_ty
            .as_ref()
            .is_some_and(|ty| !mentions_impl_trait(ty)),
        yield_ty: args.yield_ty,
        send_ty,
        throws: args.throw_ty.is_some(),
        throw_ty: args
            .throw_ty
            .map_or_else(|| quote!(::pygen::NoThrow), |ty| quote!(#ty)),
    };
    let mut rewrite = YieldRewrite {
        names: &names,
        types: &types,
        is_async,
        return_ty: (!mentions_impl_trait(&return_ty)).then(|| quote!(#return_ty)),
        literal,
        nested: Vec::new(),
        statement_attrs: Vec::new(),
        errors: Errors::default(),
        function: function.sig.ident.clone(),
        boxed: args.boxed.is_some(),
        used_paths: Vec::new(),
    };
    rewrite.visit_block_mut(&mut function.block);
    let errors = rewrite.errors;
    let used_paths = rewrite.used_paths;

    // Without a usable yield type (an error has been reported) every yield
    // is neutral, and the generator yields `()`.
    let yield_ty = types
        .yield_ty
        .as_ref()
        .map_or_else(|| quote!(()), |ty| quote!(#ty));
    let Types {
        send_ty, throw_ty, ..
    } = &types;
    let handle = if is_async {
        quote!(::pygen::AsyncGen)
    } else {
        quote!(::pygen::Gen)
    };
    // A synchronous body is a `pygen::Body`: a future that also says, in its
    // type, whether a close must resume it.
    let body_trait = if is_async {
        quote!(::core::future::Future)
    } else {
        quote!(::pygen::Body)
    };
    let mut errors = errors;
    let named = boxed::Named {
        yield_ty: &yield_ty,
        return_ty: &return_ty,
        send_ty,
        throw_ty,
    };
    let boxing = args
        .boxed
        .as_ref()
        .and_then(|boxed| boxed::boxed(&mut function.sig, boxed, is_async, &named, &mut errors));
    let boxing = match boxing {
        Some(boxing) => boxing,
        None => {
            function.sig.output = syn::parse_quote! {
                -> #handle<
                    impl #body_trait<Output = #return_ty>,
                    #yield_ty,
                    #send_ty,
                    #throw_ty,
                >
            };
            TokenStream::new()
        }
    };
    let priming = match args.primed {
        Some(span) if is_async => {
            errors.push(syn::Error::new(
                span,
                "an async generator is primed by awaiting it: drop `primed` and call \
                 `.primed().await` where the generator is made",
            ));
            TokenStream::new()
        }
        Some(span) => quote::quote_spanned!(span=> .primed()),
        None => TokenStream::new(),
    };
    let co = &names.co;
    // The marker `yield_from!`'s dispatch gets instead of the handle, made
    // here, outside the body's `async` block: a call on the handle inside
    // it, at each `yield_from!`, made rustc lay the body's state machine out
    // with drop flags for its delegations (measured: 15 more instructions
    // per leaf of a recursive tree).
    let types = delegating.then(|| {
        let marker = &names.types;
        quote!(let #marker = ::pygen::__private::Co::types(&#co);)
    });
    let prelude = move_arguments_in(&mut function.sig);
    let stmts = &function.block.stmts;
    let body_fn = &names.body_fn;
    // The constructors are `unsafe fn`s (their contract: the `Co` stays in
    // the future the closure makes, which its mixed-site name guarantees
    // here), so that code other than this expansion cannot call them without
    // writing `unsafe`. The closure, with the user's code, is made outside
    // the `unsafe` block and handed to the call directly (a helper on the
    // way, reached by a path a user crate can redirect, could hand over a
    // closure of its own); inside the block is only the call, of a path and
    // a local. The `unsafe` token is the macro's (call-site span, as every
    // token `quote!` makes): the user crate's `#![forbid(unsafe_code)]` does
    // not apply to it.
    //
    // The `Co`'s type is given in a `let` rather than on the closure's
    // parameter: there, an elided lifetime of the yield type (`&str`) would
    // make the closure generic over it, and the future it returns could not
    // name it. The `let` binds the handle by value, so that no coercion
    // applies: a reference there (`let _: &Co<..> = &co`) let a crate that
    // redirects `::pygen` make `__private::Co` an alias of `dyn Trait`, to
    // which `&Co` coerces, and then `Co::yield_(&mut co, v)` called that
    // trait's method with `&mut Co`. By value, `Co` must be the handle's
    // own type (a `dyn` type is not `Sized`, any other type mismatches the
    // constructor's parameter), and its paths reach `Co`'s inherent
    // functions.
    //
    // Each yield macro path the body used is invoked on its own so that its
    // import counts as used (the expansion does not go through it).
    // A method call on the block needs parentheses, which would be unused
    // without one.
    let made = quote!(unsafe { #handle::#constructor(#body_fn) });
    let made = if boxing.is_empty() && priming.is_empty() {
        made
    } else {
        quote!((#made) #boxing #priming)
    };
    let body = quote! {
        #( #used_paths!(@__pygen_used); )*
        let #body_fn = move |#co| {
            #[allow(unused_mut)]
            let mut #co: ::pygen::__private::Co<#yield_ty, #send_ty, #throw_ty> = #co;
            #types
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
    (function, errors)
}

/// Whether `ty` contains `impl Trait`, which cannot be written in an
/// expression or a `let`.
fn mentions_impl_trait(ty: &Type) -> bool {
    struct Finder(bool);
    impl<'ast> syn::visit::Visit<'ast> for Finder {
        fn visit_type_impl_trait(&mut self, _: &'ast syn::TypeImplTrait) {
            self.0 = true;
        }
    }
    let mut finder = Finder(false);
    syn::visit::Visit::visit_type(&mut finder, ty);
    finder.0
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
            FnArg::Typed(typed) => match &mut *typed.pat {
                Pat::Ident(PatIdent {
                    by_ref: None,
                    mutability,
                    ident,
                    subpat: None,
                    ..
                }) => {
                    prelude.extend(quote!(let #mutability #ident = #ident;));
                    *mutability = None;
                }
                pattern => {
                    let arg = Ident::new(&format!("__pygen_arg{index}"), Span::mixed_site());
                    prelude.extend(quote! {
                        let #arg = #arg;
                        let #pattern = #arg;
                    });
                    *typed.pat = syn::parse_quote!(#arg);
                }
            },
        }
    }
    prelude
}

/// Whether a close could be caught in the body: it uses `yield_catch!`, or
/// `yield_from!` (a delegate may catch it), anywhere in its tokens — inside
/// other macros' arguments too. Otherwise a close can only reach a plain
/// `yield_!`, which drops the body in place.
fn may_catch_close(block: &syn::Block) -> bool {
    mentions(block, "yield_catch") || delegates(block)
}

/// Whether the body delegates: `yield_from!` or `yield_from_catch!`.
fn delegates(block: &syn::Block) -> bool {
    mentions(block, "yield_from") || mentions(block, "yield_from_catch")
}

/// Whether `name` appears in the block's tokens, inside other macros'
/// arguments too.
fn mentions(block: &syn::Block, name: &str) -> bool {
    fn scan(tokens: TokenStream, name: &str) -> bool {
        tokens.into_iter().any(|tree| match tree {
            proc_macro2::TokenTree::Ident(ident) => ident == name,
            proc_macro2::TokenTree::Group(group) => scan(group.stream(), name),
            _ => false,
        })
    }
    scan(quote!(#block), name)
}
