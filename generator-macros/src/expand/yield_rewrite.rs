//! Rewriting `yield_!`, `yield_catch!` and `yield_from!` in a body into
//! awaits on the generator's channel handle.

use proc_macro2::{Group, Ident, Span, TokenStream, TokenTree};
use quote::{quote, quote_spanned};
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, Macro, Stmt};

/// The three macros a generator body may use.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum YieldKind {
    Yield,
    Catch,
    From,
}

impl YieldKind {
    /// Which of the three `mac` invokes, by the last segment of its path
    /// (`yield_!` and `pygen::yield_!` alike).
    pub fn of(mac: &Macro) -> Option<YieldKind> {
        Self::of_ident(&mac.path.segments.last()?.ident)
    }

    fn of_ident(ident: &Ident) -> Option<YieldKind> {
        match ident.to_string().as_str() {
            "yield_" => Some(YieldKind::Yield),
            "yield_catch" => Some(YieldKind::Catch),
            "yield_from" => Some(YieldKind::From),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            YieldKind::Yield => "yield_",
            YieldKind::Catch => "yield_catch",
            YieldKind::From => "yield_from",
        }
    }
}

/// The names the expansion introduces. They carry `Span::mixed_site()`, so
/// user code can neither see nor shadow them.
pub struct Hygiene {
    pub co: Ident,
    value: Ident,
    delegate: Ident,
}

impl Hygiene {
    pub fn new() -> Self {
        let site = Span::mixed_site();
        Hygiene {
            co: Ident::new("__pygen_co", site),
            value: Ident::new("__pygen_value", site),
            delegate: Ident::new("__pygen_delegate", site),
        }
    }
}

/// The rewriter. `throws` tells whether the generator declared a throw type:
/// then a thrown error leaves the body as `Err(e.into())`; without one the
/// error type has no values and the arm is `match e {}`.
pub struct YieldRewrite<'a> {
    pub names: &'a Hygiene,
    pub throws: bool,
    /// An async generator's `yield_from!` may also delegate to async
    /// generators and streams.
    pub is_async: bool,
    /// The body's return type, named in `Raise::<R>::raise` so that a
    /// return type that cannot take a thrown error is reported as such
    /// (instead of rustc inferring `Result` for the body from the only
    /// impl). `None` when it cannot be named in an expression (`impl Trait`).
    pub return_ty: Option<TokenStream>,
}

impl YieldRewrite<'_> {
    /// The expression a yield macro invocation becomes, passed back through
    /// the user's own macro path (`path!(@__pygen_expansion ..)` emits its
    /// tokens unchanged) so that the import of the macro counts as used.
    ///
    /// `braces` keeps a `yield_! { .. }` statement brace-delimited, so that it
    /// needs no semicolon where the user wrote none.
    fn expand(
        &self,
        path: &TokenStream,
        kind: YieldKind,
        span: Span,
        args: TokenStream,
        braces: bool,
    ) -> TokenStream {
        let expr = self.expand_expr(kind, span, args);
        if braces {
            quote_spanned!(span=> #path! { @__pygen_expansion #expr })
        } else {
            quote_spanned!(span=> #path!(@__pygen_expansion #expr))
        }
    }

    fn expand_expr(&self, kind: YieldKind, span: Span, args: TokenStream) -> TokenStream {
        let Hygiene {
            co,
            value,
            delegate,
        } = self.names;
        let args = if args.is_empty() && kind != YieldKind::From {
            quote!(())
        } else {
            args
        };
        let private = quote_spanned!(span=> ::pygen::__private);
        let wrap = if self.is_async {
            quote!(new_async)
        } else {
            quote!(new)
        };
        // What a yield point raised (see generator-core's raise.rs).
        let thrown = if self.throws {
            match &self.return_ty {
                Some(ty) => quote_spanned!(span=> return #private::Raise::<#ty>::raise(#value)),
                None => quote_spanned!(span=> return #private::Raise::raise(#value)),
            }
        } else {
            quote_spanned!(span=> match #private::Absurd::absurd(#value) {})
        };
        match kind {
            YieldKind::Yield => quote_spanned! {span=>
                match #private::Co::yield_(&#co, #args).await {
                    #private::Ok(#value) => #value,
                    #private::Err(#value) => #thrown,
                }
            },
            YieldKind::Catch => quote_spanned! {span=>
                #private::Co::yield_catch(&#co, #args).await
            },
            // The outer `match` keeps the argument's temporaries alive for the
            // whole delegation, as `for x in vec.iter()` would; the wrapper
            // (not `Sync`) dies at the `let`, before the await. `identity`
            // lets the argument be a struct literal or end in a block.
            YieldKind::From => quote_spanned! {span=>
                match ::core::convert::identity(#args) {
                    #delegate => match {
                        #[allow(unused_imports)]
                        use #private::{ViaFlat as _, ViaGenerator as _, ViaStream as _, ViaIterator as _};
                        let #delegate =
                            (&&&&#private::DelegateWrap::#wrap(#delegate, &#co)).__pygen_delegate();
                        #delegate
                    }
                    .await
                    {
                        #private::Ok(#value) => #value,
                        #private::Err(#value) => #thrown,
                    },
                }
            },
        }
    }

    /// Rewrites yields inside the tokens of another macro (`println!`,
    /// `vec!`, `matches!`…), which syn cannot parse as expressions.
    fn rewrite_tokens(&self, tokens: TokenStream) -> TokenStream {
        let mut out = Vec::new();
        let mut iter = tokens.into_iter().peekable();
        while let Some(tree) = iter.next() {
            match tree {
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
                            let args = self.rewrite_tokens(group.stream());
                            let path = quote!(#ident);
                            let expr = self.expand(&path, kind, ident.span(), args, false);
                            out.push(TokenTree::Group(Group::new(
                                proc_macro2::Delimiter::Parenthesis,
                                expr,
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

    fn rewrite_macro(&self, mac: &Macro) -> Option<Expr> {
        let kind = YieldKind::of(mac)?;
        let args = self.rewrite_tokens(mac.tokens.clone());
        let span = mac
            .path
            .segments
            .last()
            .map_or_else(Span::call_site, |s| s.ident.span());
        let path = &mac.path;
        let braces = matches!(mac.delimiter, syn::MacroDelimiter::Brace(_));
        Some(Expr::Verbatim(self.expand(
            &quote!(#path),
            kind,
            span,
            args,
            braces,
        )))
    }
}

impl VisitMut for YieldRewrite<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if let Expr::Macro(m) = expr {
            if let Some(rewritten) = self.rewrite_macro(&m.mac) {
                *expr = rewritten;
                return;
            }
            m.mac.tokens = self.rewrite_tokens(m.mac.tokens.clone());
            return;
        }
        visit_mut::visit_expr_mut(self, expr);
    }

    fn visit_stmt_mut(&mut self, stmt: &mut Stmt) {
        if let Stmt::Macro(m) = stmt {
            if let Some(rewritten) = self.rewrite_macro(&m.mac) {
                // Same delimiter, same semicolon (none in tail position).
                *stmt = Stmt::Expr(rewritten, m.semi_token);
                return;
            }
            m.mac.tokens = self.rewrite_tokens(m.mac.tokens.clone());
            return;
        }
        visit_mut::visit_stmt_mut(self, stmt);
    }

    fn visit_item_mut(&mut self, _: &mut syn::Item) {
        // Nested items are functions of their own; see validate.rs.
    }
}
