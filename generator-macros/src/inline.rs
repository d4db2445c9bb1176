//! The front end of the inline form, `generate!(|| { .. })`: the closure
//! and its optional `#[generator(..)]` attribute parsed into an
//! `InlineGenerator`, each misuse reported at its token, and the model
//! handed to the expansion (expand/inline.rs).
//!
//! The form is a closure because a closure already says everything the
//! generator needs, in syntax rustfmt and rust-analyzer read: what it
//! captures and how (`move` or not), whether it is async, and its return
//! type (`-> R`, else inferred). A closure without parameters is the
//! generator; one with parameters is a generator function written inline
//! (Python's nested `def`), which makes a generator at each call. The attribute on it is the one a generator
//! function takes, with `yield =` optional (the yield type is inferred from
//! the yields when it is left out).

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote};
use syn::punctuated::Punctuated;
use syn::{Attribute, Block, Expr, ExprClosure, Pat, ReturnType, Token, Type};

use crate::args::{self, GeneratorArgs};
use crate::errors::Errors;
use crate::expand;
use crate::messages;
use crate::recover;
use crate::yields::is_generator_attribute;

/// One inline generator, as the expansion needs it.
pub struct InlineGenerator {
    pub args: GeneratorArgs,
    pub is_async: bool,
    /// Whether the closure is `move`: its captures are then taken by value.
    pub capture: Option<syn::Token![move]>,
    /// The closure's `-> R`, when it has one.
    pub return_ty: Option<Type>,
    /// The closure's parameters: with any, the closure is a generator
    /// function written inline, each call making a new generator with the
    /// arguments moved in.
    pub inputs: Punctuated<Pat, Token![,]>,
    pub body: Block,
    /// Where the closure begins (its `async`, `move` or first `|`): the
    /// expansion's closures carry it, so that rustc's suggestions about
    /// them (add `move`) land there.
    pub span: Span,
}

/// `generate!`'s expansion: an expression of the generator's type, or, when
/// its argument is not a closure, the error in an expression of any type.
pub fn generate(input: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    match parse(input, &mut errors) {
        Some(generator) => expand::inline(generator, errors),
        None => {
            // The error is the block's value, of the error type, which
            // fits wherever the generator was expected: no error follows
            // from this one.
            let errors = errors.to_compile_error();
            quote!({ #errors })
        }
    }
}

/// `#[generator] || { .. }` (or on a block) or `#[generator] let g = || { .. };`: the
/// attribute where the inline form was meant (rustc runs the attribute even
/// though it refuses attributes there). One error that names `generate!`,
/// and the closure expanded as `generate!` would expand it, so that nothing
/// else is reported. `None` when the input is neither.
pub fn attribute_on_closure(
    args: TokenStream,
    input: &TokenStream,
    attribute: Span,
) -> Option<TokenStream> {
    let (closure, local) = closure_under_attribute(input)?;
    let mut errors = Errors::default();
    errors.push(syn::Error::new(attribute, messages::ATTRIBUTE_ON_CLOSURE));
    let mut generator = model(closure, &mut errors);
    generator.args = args::parse_optional_yield(args, &mut errors);
    let made = expand::inline(generator, errors);
    Some(match local {
        Some(local) => {
            let (attrs, pat) = (&local.attrs, &local.pat);
            quote!(#(#attrs)* let #pat = #made;)
        }
        None => made,
    })
}

/// The closure an attribute was written on: the expression itself (a block
/// is the closure that runs it, as generate!'s error says), or the one a
/// `let` binds (with the `let`, its initializer taken out).
fn closure_under_attribute(input: &TokenStream) -> Option<(ExprClosure, Option<syn::Local>)> {
    match syn::parse2::<Expr>(input.clone()) {
        Ok(Expr::Closure(closure)) => return Some((closure, None)),
        Ok(Expr::Block(block)) => return Some((syn::parse_quote!(|| #block), None)),
        Ok(Expr::Async(block)) => {
            let (capture, body) = (&block.capture, &block.block);
            return Some((syn::parse_quote!(async #capture || #body), None));
        }
        _ => {}
    }
    let syn::Stmt::Local(mut local) = syn::parse2::<syn::Stmt>(input.clone()).ok()? else {
        return None;
    };
    let Expr::Closure(closure) = *local.init.take()?.expr else {
        return None;
    };
    Some((closure, Some(local)))
}

/// The model, or `None` when the input is not a closure (with the error).
fn parse(input: TokenStream, errors: &mut Errors) -> Option<InlineGenerator> {
    let expr = match syn::parse2::<Expr>(input.clone()) {
        Ok(expr) => expr,
        Err(err) => {
            // A closure whose body is being typed: the syntax error, and
            // the closure as far as it parses (see recover.rs).
            if let Some(closure) = recover::closure(&input) {
                errors.push(err);
                return Some(model(closure, errors));
            }
            let span = if input.is_empty() {
                Span::call_site()
            } else {
                err.span()
            };
            errors.push(syn::Error::new(
                span,
                messages::inline_not_a_closure("this", "generate!(|| { .. })"),
            ));
            return None;
        }
    };
    let closure = match expr {
        Expr::Closure(closure) => closure,
        other => {
            errors.push(not_a_closure(&other));
            return None;
        }
    };
    Some(model(closure, errors))
}

/// The error for an expression that is not a closure, with the closure to
/// write instead.
fn not_a_closure(expr: &Expr) -> syn::Error {
    let (what, fix) = match expr {
        Expr::Block(_) => (
            "a block",
            "generate!(|| { .. }) or generate!(move || { .. })",
        ),
        Expr::Async(_) => (
            "an async block",
            "generate!(async || { .. }) or generate!(async move || { .. })",
        ),
        Expr::Call(_) | Expr::MethodCall(_) => (
            "a call",
            "generate!(|| { .. }) around the body; to delegate to a generator, use yield_from! \
             inside one",
        ),
        _ => ("this expression", "generate!(|| { .. })"),
    };
    syn::Error::new_spanned(expr, messages::inline_not_a_closure(what, fix))
}

/// The closure checked and taken apart.
fn model(closure: ExprClosure, errors: &mut Errors) -> InlineGenerator {
    let args = attribute(&closure.attrs, errors);
    let span = match (&closure.asyncness, &closure.capture) {
        (Some(asyncness), _) => asyncness.span,
        (None, Some(capture)) => capture.span,
        (None, None) => closure.or1_token.spans[0],
    };
    if let Some(lifetimes) = &closure.lifetimes {
        errors.push(syn::Error::new_spanned(
            lifetimes,
            messages::inline_closure_keyword("for<..>"),
        ));
    }
    if let Some(constness) = &closure.constness {
        errors.push(syn::Error::new_spanned(
            constness,
            messages::inline_closure_keyword("const"),
        ));
    }
    if let Some(movability) = &closure.movability {
        errors.push(syn::Error::new_spanned(
            movability,
            messages::inline_closure_keyword("static"),
        ));
    }
    if let Some(boxed) = args.boxed.as_ref().filter(|boxed| boxed.send) {
        errors.push(syn::Error::new_spanned(
            &boxed.key,
            messages::INLINE_BOXED_SEND,
        ));
    }
    InlineGenerator {
        args,
        is_async: closure.asyncness.is_some(),
        capture: closure.capture,
        return_ty: match closure.output {
            ReturnType::Default => None,
            ReturnType::Type(_, ty) => Some(*ty),
        },
        body: block_of(*closure.body),
        inputs: closure.inputs,
        span,
    }
}

/// The declared types of the one `#[generator(..)]` attribute, if any;
/// any other attribute is reported.
fn attribute(attrs: &[Attribute], errors: &mut Errors) -> GeneratorArgs {
    let mut args = None;
    for attr in attrs {
        if !is_generator_attribute(attr) || args.is_some() {
            errors.push(syn::Error::new_spanned(attr, messages::INLINE_ATTRIBUTE));
            continue;
        }
        let tokens = match &attr.meta {
            syn::Meta::Path(_) => TokenStream::new(),
            syn::Meta::List(list) => list.tokens.clone(),
            syn::Meta::NameValue(_) => {
                errors.push(syn::Error::new_spanned(attr, messages::INLINE_ATTRIBUTE));
                continue;
            }
        };
        args = Some(args::parse_optional_yield(tokens, errors));
    }
    args.unwrap_or_default()
}

/// The closure's body as a block: `|| expr` is `|| { expr }`.
fn block_of(body: Expr) -> Block {
    match body {
        Expr::Block(block) if block.attrs.is_empty() && block.label.is_none() => block.block,
        other => Block {
            brace_token: syn::token::Brace(
                proc_macro2::Span::call_site().located_at(
                    other
                        .to_token_stream()
                        .into_iter()
                        .next()
                        .map_or_else(Span::call_site, |t| t.span()),
                ),
            ),
            stmts: vec![syn::Stmt::Expr(other, None)],
        },
    }
}
