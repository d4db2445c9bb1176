//! One yield of the body: checked, then replaced by its expansion (see
//! suspension.rs and delegation.rs) or, when it cannot be expanded, by an
//! expression that stands in for it: one that reports its error where the
//! yield was (`rejected_yield`), or one that has the yield's type but never
//! runs (`absent`), so that nothing else is reported because of it.

use proc_macro2::{Delimiter, Group, Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::visit_mut::VisitMut;
use syn::{Expr, Token};

use super::context::Types;
use super::rewrite::YieldRewrite;
use crate::checks;
use crate::yields::{Delim, YieldKind, YieldMacro};

impl YieldRewrite<'_> {
    /// Handles one yield: reports what is wrong with it and returns what
    /// replaces it.
    pub(super) fn yield_macro(&mut self, yield_: YieldMacro) -> Expr {
        // Taken now, so that yields inside the argument do not get them.
        let attrs = std::mem::take(&mut self.statement_attrs);
        let rejected = checks::out_of_reach(&yield_, &self.nested);
        let mut arg = match checks::argument(&yield_) {
            Ok(arg) => arg,
            Err(err) => return self.unparsed_yield(&attrs, yield_, rejected.is_some(), &err),
        };
        let YieldMacro {
            kind,
            path,
            span,
            delim,
            ..
        } = yield_;
        // Yields inside the argument (`yield_!(yield_!(1) + 1)`) and every
        // other check apply to it as to the rest of the body.
        self.visit_expr_mut(&mut arg);
        let recursive = checks::delegation_to_itself(
            kind,
            &arg,
            self.function.as_ref(),
            self.boxed,
            &mut self.errors,
        );
        if kind.delegates() {
            checks::polymorphic_recursion(
                &arg,
                self.function.as_ref(),
                &self.generic_args,
                &mut self.errors,
            );
        }
        if recursive {
            // Reported in words about generators, and boxed so that rustc
            // does not add its own error about async blocks; the delegation
            // itself is left out (`absent`), so that no other error follows
            // from it.
            arg = syn::parse_quote_spanned!(arg.span()=> (#arg).boxed());
        }
        let arg = arg.into_token_stream();
        let expr = if let Some(err) = rejected {
            rejected_yield(span, &arg, &err)
        } else if recursive {
            self.absent_recursion(kind, span, &arg)
        } else if self.types.yield_ty.is_none() || !self.nested.is_empty() {
            self.absent(kind, span, &arg)
        } else {
            self.expansion(kind, span, delim.end(), arg)
        };
        self.wrap(&attrs, path.as_ref(), span, expr, delim)
    }

    /// A yield whose argument is not one expression (`err`).
    fn unparsed_yield(
        &mut self,
        attrs: &[syn::Attribute],
        yield_: YieldMacro,
        rejected: bool,
        err: &syn::Error,
    ) -> Expr {
        let YieldMacro {
            kind,
            path,
            span,
            delim,
            ..
        } = &yield_;
        // An argument being typed (`yield_!(report.)`): expanded as a yield
        // of those tokens, next to the error, so that an editor expanding
        // the macro with its placeholder after the dot (rust-analyzer) sees
        // a yield of `report.<placeholder>` and completes it.
        if yield_.is_unfinished()
            && !rejected
            && self.types.yield_ty.is_some()
            && self.nested.is_empty()
        {
            self.errors.push(checks::unfinished_argument(&yield_));
            let expr = self.expansion(*kind, *span, delim.end(), yield_.tokens.clone());
            return self.wrap(attrs, path.as_ref(), *span, expr, *delim);
        }
        // Keep whatever parses, so that what it uses stays used.
        let parts = Punctuated::<Expr, Token![,]>::parse_terminated
            .parse2(yield_.tokens.clone())
            .map(|parts| parts.into_iter().collect::<Vec<_>>())
            .unwrap_or_default();
        let expr = rejected_yield(*span, &quote!((#(#parts,)*)), err);
        self.wrap(attrs, path.as_ref(), *span, expr, *delim)
    }

    /// The expression a yield macro invocation becomes. It is *not* passed
    /// back through the user's macro path: whatever that path names (a
    /// macro of the user's called `yield_` too), it never receives the
    /// expansion, which holds the generator's hidden handle; the path is
    /// invoked on its own instead (`used_paths`).
    ///
    /// The outer attributes of a yield statement (`#[cfg(..)]`,
    /// `#[allow(..)]`) go inside, onto the expansion: on the invocation
    /// itself rustc would ignore a lint attribute.
    fn wrap(
        &mut self,
        attrs: &[syn::Attribute],
        path: Option<&TokenStream>,
        span: Span,
        expr: TokenStream,
        delim: Delim,
    ) -> Expr {
        if let Some(path) = path {
            let seen = path.to_string();
            if !self.used_paths.iter().any(|used| used.to_string() == seen) {
                self.used_paths.push(path.clone());
            }
        }
        // Emitted in place, not through any macro: a macro found by path
        // can be redirected (`extern crate self as pygen`, a renamed
        // dependency), and one the expansion defined itself by
        // `macro_rules!` could be shadowed by a `macro_rules!` of the same
        // name later in the body, which would then receive the hidden
        // handle. Parentheses make it one operand wherever the macro call
        // was (`yield_from!(a) + yield_from!(b)` at the start of a
        // statement); a statement's attributes stay on it; braces keep a
        // `yield_! { .. }` statement free of a semicolon.
        // The expression inside spans the invocation (see `Delim`): what
        // rustc says about its value (an unused `yield_catch!` result)
        // points at the yield.
        // The parentheses themselves are the macro's (`unused_parens`
        // leaves them alone).
        let quiet = Span::call_site().located_at(span);
        let tokens = match delim {
            Delim::Paren(_) => {
                let mut group = Group::new(Delimiter::Parenthesis, expr);
                group.set_span(quiet);
                quote!(#(#attrs)* #group)
            }
            Delim::Brace(_) => {
                let mut block = Group::new(Delimiter::Brace, expr);
                block.set_span(span);
                quote!(#(#attrs)* #block)
            }
        };
        Expr::Verbatim(tokens)
    }

    /// A yield that cannot be expanded, whose error has been reported once
    /// for several (a missing yield type, macro arguments that hide a
    /// closure): its argument is still evaluated, so that its names stay
    /// used and its own errors are reported, and it has the type the real
    /// one would have, but it never runs.
    fn absent(&self, kind: YieldKind, span: Span, arg: &TokenStream) -> TokenStream {
        let span = Span::call_site().located_at(span);
        let Types {
            send_ty, throw_ty, ..
        } = self.types;
        let ty = match kind {
            YieldKind::Yield | YieldKind::Literal => quote!(<#send_ty>),
            YieldKind::Catch => {
                quote!(<::core::result::Result<#send_ty, ::pygen::Interrupt<#throw_ty>>>)
            }
            YieldKind::From => quote!(<_>),
            YieldKind::FromCatch => {
                quote!(<::core::result::Result<_, ::pygen::Interrupt<#throw_ty>>>)
            }
        };
        quote_spanned!(span=> { let _ = #arg; ::pygen::__checks::absent::#ty() })
    }

    /// A recursive delegation without `.boxed()`, after its error: as
    /// `absent`, with the type the delegation would have had (the
    /// generator's own return type, when it can be named).
    fn absent_recursion(&self, kind: YieldKind, span: Span, arg: &TokenStream) -> TokenStream {
        let span = Span::call_site().located_at(span);
        let throw_ty = &self.types.throw_ty;
        let ty = match (&self.return_ty, kind) {
            (Some(ret), YieldKind::FromCatch) => {
                quote!(<::core::result::Result<#ret, ::pygen::Interrupt<#throw_ty>>>)
            }
            (Some(ret), _) => quote!(<#ret>),
            (None, _) => return self.absent(kind, span, arg),
        };
        quote_spanned!(span=> { let _ = #arg; ::pygen::__checks::absent::#ty() })
    }
}

/// A yield rejected with `err`, in place: its argument is still evaluated
/// (its names stay used, its own errors are reported), and the error is an
/// expression of the error type, which rustc reports and lets fit anywhere:
/// nothing else is reported because of it.
fn rejected_yield(span: Span, arg: &TokenStream, err: &syn::Error) -> TokenStream {
    let err = err.to_compile_error();
    quote_spanned!(span=> { let _ = #arg; #err })
}
