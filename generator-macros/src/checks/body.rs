//! Checks of the body, called by the pass that rewrites it (see
//! expand/rewrite.rs) at each yield, `.await` and macro call it meets.

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::{Expr, Ident};

use crate::errors::Errors;
use crate::messages;
use crate::yields::{Nested, YieldKind, YieldMacro};

/// A yield used where it cannot suspend the generator (`nested` says what
/// the pass went into): its error, which the expansion puts where the yield
/// was. `None` where it can, and in tokens whose yields have been reported
/// at once (`Nested::OpaqueTokens`).
pub fn out_of_reach(yield_: &YieldMacro, nested: &[Nested]) -> Option<syn::Error> {
    let name = yield_.kind.name();
    let message = match nested.last() {
        Some(Nested::OpaqueTokens) | None => return None,
        Some(Nested::Closure) => messages::yield_in_closure(name),
        Some(Nested::AsyncBlock) => messages::yield_in_async_block(name),
        Some(Nested::Item) => messages::yield_in_nested_item(name),
        Some(Nested::ConstBlock) => messages::yield_in_const_block(name),
    };
    Some(syn::Error::new(yield_.span, message))
}

/// The argument of a yield, as one expression: `()` for a yield without
/// one, an error for a delegation without one or for anything that is not
/// one expression.
pub fn argument(yield_: &YieldMacro) -> syn::Result<Expr> {
    let YieldMacro {
        kind, span, tokens, ..
    } = yield_;
    let span = *span;
    if tokens.is_empty() {
        return match kind {
            YieldKind::From | YieldKind::FromCatch => Err(syn::Error::new(
                span,
                messages::delegation_without_argument(kind.name()),
            )),
            _ => Ok(syn::parse_quote_spanned!(span=> ())),
        };
    }
    syn::parse2::<Expr>(tokens.clone())
        .map_err(|_| syn::Error::new(span, messages::yield_argument_shape(kind.name())))
}

/// The error for an argument being typed (see `YieldMacro::is_unfinished`).
pub fn unfinished_argument(yield_: &YieldMacro) -> syn::Error {
    syn::Error::new(
        yield_.span,
        messages::unfinished_argument(yield_.kind.name()),
    )
}

/// Whether `arg` calls the generator being expanded (`function`) itself:
/// `name(..)`, `Self::name(..)`, `self.name(..)`. Unboxed, a generator
/// that holds such a call would contain itself (E0733).
pub fn calls_itself(function: &Ident, arg: &Expr) -> bool {
    let name = function;
    match arg {
        Expr::Call(call) => match &*call.func {
            Expr::Path(path) if path.qself.is_none() => {
                let segments: Vec<String> = path
                    .path
                    .segments
                    .iter()
                    .map(|s| s.ident.to_string())
                    .collect();
                match segments.as_slice() {
                    [only] => only == &name.to_string(),
                    [first, last] => {
                        (first == "Self" || first == "self") && last == &name.to_string()
                    }
                    _ => false,
                }
            }
            _ => false,
        },
        Expr::MethodCall(call) => {
            call.method == *name
                && matches!(&*call.receiver, Expr::Path(p) if p.path.is_ident("self"))
        }
        Expr::Paren(paren) => calls_itself(function, &paren.expr),
        _ => false,
    }
}

/// A delegation (`kind`) to a call of the generator itself, unboxed, in a
/// generator that is not `boxed`: reported here, in words about
/// generators. Whether it was one.
pub fn delegation_to_itself(
    kind: YieldKind,
    arg: &Expr,
    function: Option<&Ident>,
    boxed: bool,
    errors: &mut Errors,
) -> bool {
    let recursive =
        kind.delegates() && !boxed && function.is_some_and(|name| calls_itself(name, arg));
    if recursive {
        errors.push(syn::Error::new_spanned(
            arg,
            messages::recursive_delegation(&arg.to_token_stream().to_string()),
        ));
    }
    recursive
}

/// The error for a call of the generator itself held across a yield.
pub fn recursive_call(expr: &Expr) -> syn::Error {
    syn::Error::new_spanned(
        expr,
        messages::recursive_call(&expr.to_token_stream().to_string()),
    )
}

/// An `.await` at `span`, in the generator's own code (not in what the
/// pass went into, `nested`): refused in a synchronous generator.
pub fn await_in_sync(span: Span, is_async: bool, nested: &[Nested], errors: &mut Errors) {
    if !is_async && nested.is_empty() {
        errors.push(syn::Error::new(span, messages::AWAIT_IN_SYNC));
    }
}

/// The keyword spelling `yield v` (and `yield!(v)`, which rustc and syn
/// read as `yield !(v)`): reported, and returned as the yield it was meant
/// to be.
pub fn keyword_yield(expr: &syn::ExprYield, literal: bool, errors: &mut Errors) -> YieldMacro {
    let (tokens, message) = match expr.expr.as_deref() {
        Some(Expr::Unary(syn::ExprUnary {
            op: syn::UnOp::Not(_),
            expr: operand,
            ..
        })) if matches!(**operand, Expr::Paren(_) | Expr::Tuple(_)) => {
            let inner = match &**operand {
                Expr::Paren(paren) => paren.expr.to_token_stream(),
                Expr::Tuple(tuple) => tuple.elems.to_token_stream(),
                _ => unreachable!("matched above"),
            };
            (inner, messages::keyword_yield_macro(literal))
        }
        Some(value) => (value.to_token_stream(), messages::keyword_yield(literal)),
        None => (TokenStream::new(), messages::keyword_yield(literal)),
    };
    errors.push(syn::Error::new(expr.yield_token.span, message));
    YieldMacro::keyword(literal, expr.yield_token.span, tokens)
}

/// A yield at `span` in the arguments of a macro that is not known to
/// evaluate them in place (`path`). Reported even inside a closure (the
/// yields in these tokens become `absent`, which counts on an error having
/// been reported), but once for all the yields of the outermost such
/// tokens.
pub fn yield_in_unknown_macro(
    path: &syn::Path,
    span: Span,
    nested: &[Nested],
    errors: &mut Errors,
) {
    if !matches!(nested.last(), Some(Nested::OpaqueTokens)) {
        let name = path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default();
        errors.push(syn::Error::new(
            span,
            messages::yield_in_unknown_macro(&name),
        ));
    }
}

/// A yield at `span` in the arguments of the standard macro `name!`,
/// refused there for the reason `why`; reported as in an unknown macro.
pub fn yield_in_standard_macro(
    name: &str,
    span: Span,
    why: &str,
    nested: &[Nested],
    errors: &mut Errors,
) {
    if !matches!(nested.last(), Some(Nested::OpaqueTokens)) {
        errors.push(syn::Error::new(
            span,
            messages::yield_in_standard_macro(name, why),
        ));
    }
}
