//! The macro calls the body pass meets: a yield macro is replaced (see
//! yield_site.rs); the arguments of a standard macro that evaluates them in
//! place are rewritten like the rest of the body, its yields taken out of
//! it (hoist.rs); in any other macro's arguments a yield is refused, since
//! the macro could put it in a closure or an async block (out of the
//! generator's reach, where another generator could poll it).

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};
use quote::{ToTokens, quote};
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::visit_mut::VisitMut;
use syn::{Expr, Macro, Token};

use super::rewrite::YieldRewrite;
use crate::checks;
use crate::std_macros::{self, parse_matches, parse_repeat};
use crate::yields::{INLINE_MACRO, Nested, TokenScan, YieldKind, YieldMacro, is_inline_macro};

impl YieldRewrite<'_> {
    /// Handles a macro invocation in the body: a yield macro is replaced;
    /// the arguments of any other macro (`println!`, `vec!`, `matches!`…)
    /// are rewritten in place.
    pub(super) fn any_macro(&mut self, mac: &mut Macro) -> Option<Expr> {
        if is_inline_macro(&mac.path) {
            // A generator of its own, which its expansion checks.
            return None;
        }
        let Some(yield_) = YieldMacro::of(mac) else {
            if std_macros::is_transparent(&mac.path) {
                if TokenScan::of(mac.tokens.clone()).yield_span.is_some() {
                    // Taken out of the macro, whatever its name means here
                    // (see hoist.rs).
                    return self.hoist_standard_macro(mac).or_else(|| {
                        mac.tokens = self.unknown_macro_arguments(&mac.path, mac.tokens.clone());
                        None
                    });
                }
                mac.tokens = self.macro_arguments(&mac.path, mac.tokens.clone());
            } else {
                mac.tokens = self.unknown_macro_arguments(&mac.path, mac.tokens.clone());
            }
            return None;
        };
        Some(self.yield_macro(yield_))
    }

    /// The arguments of a macro that is not known to evaluate them in
    /// place: a yield there is refused, since the macro could put it in a
    /// closure or an async block (out of the generator's reach, where
    /// another generator could poll it).
    fn unknown_macro_arguments(&mut self, path: &syn::Path, tokens: TokenStream) -> TokenStream {
        let scan = TokenScan::of(tokens.clone());
        if let Some(span) = scan.await_span {
            checks::await_in_sync(span, self.is_async, &self.nested, &mut self.errors);
        }
        let Some(yield_span) = scan.yield_span else {
            return tokens;
        };
        checks::yield_in_unknown_macro(path, yield_span, &self.nested, &mut self.errors);
        self.nested.push(Nested::OpaqueTokens);
        let out = self.rewrite_tokens(tokens);
        self.nested.pop();
        out
    }

    /// The arguments of another macro: expressions when they parse as such
    /// (`println!`, `vec!`, `format!`…), visited like the rest of the body;
    /// otherwise (`matches!` patterns, other syntaxes) rewritten as tokens.
    fn macro_arguments(&mut self, path: &syn::Path, tokens: TokenStream) -> TokenStream {
        let parser = Punctuated::<Expr, Token![,]>::parse_terminated;
        if let Ok(mut exprs) = parser.parse2(tokens.clone()) {
            for expr in &mut exprs {
                self.visit_expr_mut(expr);
            }
            return exprs.into_token_stream();
        }
        let name = path.segments.last().map(|s| s.ident.to_string());
        if name.as_deref() == Some("matches") {
            if let Ok(mut parts) = parse_matches.parse2(tokens.clone()) {
                self.visit_expr_mut(&mut parts.scrutinee);
                if let Some(guard) = &mut parts.guard {
                    self.visit_expr_mut(guard);
                }
                return parts.into_tokens();
            }
        }
        if name.as_deref() == Some("vec") {
            if let Ok((mut element, mut count)) = parse_repeat.parse2(tokens.clone()) {
                self.visit_expr_mut(&mut element);
                self.visit_expr_mut(&mut count);
                return quote!(#element; #count);
            }
        }
        // Any other shape is not checked piece by piece: yields are refused
        // in it, as in an unknown macro's arguments.
        self.unknown_macro_arguments(path, tokens)
    }

    /// Finds `yield_!(..)` and friends in tokens that are not expressions.
    pub(super) fn rewrite_tokens(&mut self, tokens: TokenStream) -> TokenStream {
        let mut out = Vec::new();
        let mut iter = tokens.into_iter().peekable();
        while let Some(tree) = iter.next() {
            match tree {
                TokenTree::Ident(ident) if ident == INLINE_MACRO => {
                    // An inline generator's tokens are its own.
                    out.push(TokenTree::Ident(ident));
                    let bang =
                        matches!(iter.peek(), Some(TokenTree::Punct(p)) if p.as_char() == '!');
                    if bang {
                        out.extend(iter.next());
                        if matches!(iter.peek(), Some(TokenTree::Group(_))) {
                            out.extend(iter.next());
                        }
                    }
                }
                TokenTree::Ident(ident) if YieldKind::of_ident(&ident).is_some() => {
                    let kind = YieldKind::of_ident(&ident).expect("checked");
                    let is_call =
                        matches!(iter.peek(), Some(TokenTree::Punct(p)) if p.as_char() == '!');
                    if !is_call {
                        out.push(TokenTree::Ident(ident));
                        continue;
                    }
                    let bang = iter.next().expect("peeked");
                    match iter.next() {
                        Some(TokenTree::Group(group)) => {
                            let yield_ = YieldMacro::in_tokens(kind, &ident, &group);
                            let expr = self.yield_macro(yield_);
                            out.push(TokenTree::Group(Group::new(
                                Delimiter::Parenthesis,
                                expr.into_token_stream(),
                            )));
                        }
                        other => {
                            out.push(TokenTree::Ident(ident));
                            out.push(bang);
                            out.extend(other);
                        }
                    }
                }
                TokenTree::Group(group) => {
                    let mut rewritten =
                        Group::new(group.delimiter(), self.rewrite_tokens(group.stream()));
                    rewritten.set_span(group.span());
                    out.push(TokenTree::Group(rewritten));
                }
                other => out.push(other),
            }
        }
        out.into_iter().collect()
    }
}
