//! Polymorphic recursion: a generic generator that delegates to itself
//! with an argument that wraps its own generic parameter
//! (`yield_from!(sieve(exclude_multiples(p, ints)).boxed())` where `ints:
//! impl Iterator`). Each level is then a generator of a new type, wrapping
//! the last, and rustc only finds out while it builds them, with errors
//! ("values of the type … are too big for the target architecture") about
//! pygen's types, far from the call. Reported here, at the argument, with
//! the fix: erase the argument's type so that every level is the same
//! function.
//!
//! Which parameters are generic is read from the signature (`GenericArgs`);
//! an argument "wraps" its parameter when it is not that parameter itself,
//! nor a cast (`as Box<dyn ..>`, the fix), yet mentions it: a call, a
//! method call, a reference, a struct around it. A wrapper that returns the
//! same type (`identity(ints)`) is reported too; the fix works for it as
//! well.

use proc_macro2::Ident;
use quote::ToTokens;
use syn::punctuated::Punctuated;
use syn::{Expr, FnArg, Pat, Signature, Token, Type};

use super::body::calls_itself;
use crate::errors::Errors;
use crate::messages;
use crate::yields::mentions_ident;

/// The parameters of a generator function whose types are generic (a type
/// parameter of the function, or `impl Trait`): each with its position
/// among the arguments a call passes (the receiver not counted) and its
/// name.
#[derive(Default)]
pub struct GenericArgs(Vec<(usize, Ident)>);

impl GenericArgs {
    pub fn of(sig: &Signature) -> Self {
        let params: Vec<String> = sig
            .generics
            .type_params()
            .map(|param| param.ident.to_string())
            .collect();
        let typed = sig.inputs.iter().filter_map(|input| match input {
            FnArg::Typed(typed) => Some(typed),
            FnArg::Receiver(_) => None,
        });
        let generic = typed
            .enumerate()
            .filter(|(_, typed)| is_generic(&typed.ty, &params))
            .filter_map(|(index, typed)| match &*typed.pat {
                Pat::Ident(pat) => Some((index, pat.ident.clone())),
                _ => None,
            })
            .collect();
        GenericArgs(generic)
    }
}

/// Whether `ty` mentions `impl Trait` or one of the type `params`.
fn is_generic(ty: &Type, params: &[String]) -> bool {
    mentions_ident(ty.to_token_stream(), &|ident| {
        ident == "impl" || params.iter().any(|param| ident == param)
    })
}

/// Reports each argument of a recursive delegation (`arg`, boxed or not)
/// that wraps its generic parameter.
pub fn polymorphic_recursion(
    arg: &Expr,
    function: Option<&Ident>,
    generic: &GenericArgs,
    errors: &mut Errors,
) {
    let Some(function) = function else {
        return;
    };
    let Some(args) = recursive_call_args(function, arg) else {
        return;
    };
    for (index, name) in &generic.0 {
        let Some(passed) = args.iter().nth(*index) else {
            continue;
        };
        if wraps(passed, name) {
            errors.push(syn::Error::new_spanned(
                passed,
                messages::polymorphic_recursion(
                    &name.to_string(),
                    &passed.to_token_stream().to_string(),
                ),
            ));
        }
    }
}

/// The arguments of the call of the generator itself in `expr`, under
/// `.boxed()` and parentheses.
fn recursive_call_args<'a>(
    function: &Ident,
    expr: &'a Expr,
) -> Option<&'a Punctuated<Expr, Token![,]>> {
    match expr {
        Expr::MethodCall(call) if call.method == "boxed" && call.args.is_empty() => {
            recursive_call_args(function, &call.receiver)
        }
        Expr::Paren(paren) => recursive_call_args(function, &paren.expr),
        Expr::Call(call) if calls_itself(function, expr) => Some(&call.args),
        Expr::MethodCall(call) if calls_itself(function, expr) => Some(&call.args),
        _ => None,
    }
}

/// Whether `passed` wraps the parameter `name`: it mentions it, and is
/// neither the parameter itself nor a cast.
fn wraps(passed: &Expr, name: &Ident) -> bool {
    match passed {
        Expr::Path(path) if path.path.is_ident(name) => false,
        Expr::Cast(_) => false,
        Expr::Paren(paren) => wraps(&paren.expr, name),
        _ => mentions_ident(passed.to_token_stream(), &|ident| ident == name),
    }
}
