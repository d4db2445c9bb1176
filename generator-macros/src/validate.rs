//! Finding every misuse in a generator function before expanding it, so the
//! user sees all of them at once, each at their own token.

use proc_macro2::{TokenStream, TokenTree};
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{Expr, ExprMacro, ItemFn, Macro, StmtMacro, Token};

use crate::expand::yield_rewrite::YieldKind;

/// Checks the signature and the body; `Err` combines every problem found.
pub fn validate(function: &ItemFn) -> syn::Result<()> {
    let mut errors = Errors::default();
    let sig = &function.sig;
    if let Some(constness) = &sig.constness {
        errors.push(syn::Error::new_spanned(
            constness,
            "a #[generator] function cannot be `const`: it returns a state machine built at run time",
        ));
    }
    if let Some(abi) = &sig.abi {
        errors.push(syn::Error::new_spanned(
            abi,
            "a #[generator] function cannot have an `extern` ABI: it returns a Rust generator type",
        ));
    }
    if let Some(variadic) = &sig.variadic {
        errors.push(syn::Error::new_spanned(
            variadic,
            "a #[generator] function cannot be variadic",
        ));
    }
    let mut body = BodyCheck {
        errors: &mut errors,
        nested: Vec::new(),
        is_async: sig.asyncness.is_some(),
    };
    body.visit_block(&function.block);
    errors.finish()
}

#[derive(Default)]
struct Errors(Option<syn::Error>);

impl Errors {
    fn push(&mut self, err: syn::Error) {
        match &mut self.0 {
            Some(all) => all.combine(err),
            None => self.0 = Some(err),
        }
    }

    fn finish(self) -> syn::Result<()> {
        self.0.map_or(Ok(()), Err)
    }
}

/// Where a yield would be out of the generator's reach.
#[derive(Clone, Copy)]
enum Nested {
    Closure,
    AsyncBlock,
}

struct BodyCheck<'a> {
    errors: &'a mut Errors,
    nested: Vec<Nested>,
    is_async: bool,
}

impl BodyCheck<'_> {
    fn check_macro(&mut self, mac: &Macro) {
        self.check_macro_tokens(mac);
        let Some(kind) = YieldKind::of(mac) else {
            return;
        };
        let name = kind.name();
        if let Some(nested) = self.nested.last() {
            let message = match nested {
                Nested::Closure => format!(
                    "`{name}!` cannot be used inside a closure: the closure is a function of \
                     its own, which the generator cannot suspend; move the `{name}!` out of it \
                     (e.g. replace `iter.for_each(|x| {name}!(x))` with a `for` loop)"
                ),
                Nested::AsyncBlock => format!(
                    "`{name}!` cannot be used inside a nested async block: the block is a \
                     future of its own, which the generator cannot suspend; move the \
                     `{name}!` out of it"
                ),
            };
            self.errors
                .push(syn::Error::new_spanned(&mac.path, message));
        }
    }
}

impl BodyCheck<'_> {
    /// The tokens of a macro call are rewritten as tokens (see
    /// yield_rewrite.rs), so check them here with the same rules as the
    /// body: parsed as expressions when they are (`println!`, `vec!`,
    /// `format!`…), scanned otherwise.
    fn check_macro_tokens(&mut self, mac: &Macro) {
        let parser = Punctuated::<Expr, Token![,]>::parse_terminated;
        if let Ok(exprs) = parser.parse2(mac.tokens.clone()) {
            for expr in &exprs {
                self.visit_expr(expr);
            }
            return;
        }
        let scan = TokenScan::of(mac.tokens.clone());
        if let Some(span) = scan.await_span.filter(|_| !self.is_async) {
            self.errors.push(syn::Error::new(
                span,
                "`.await` in a synchronous generator: a sync generator cannot wait; \
                 make the function `async` for an async generator",
            ));
        }
        if let (Some(yield_span), Some(reason)) = (scan.yield_span, scan.opaque_reason) {
            self.errors.push(syn::Error::new(
                yield_span,
                format!(
                    "cannot use a yield here: these macro arguments also contain {reason}, \
                     and a yield inside it could not suspend the generator; \
                     bind the yielded value with `let` before the macro call"
                ),
            ));
        }
    }
}

/// What a scan of unparsed macro tokens finds.
#[derive(Default)]
struct TokenScan {
    yield_span: Option<proc_macro2::Span>,
    await_span: Option<proc_macro2::Span>,
    opaque_reason: Option<&'static str>,
}

impl TokenScan {
    fn of(tokens: TokenStream) -> Self {
        let mut scan = TokenScan::default();
        scan.walk(tokens);
        scan
    }

    fn walk(&mut self, tokens: TokenStream) {
        let mut previous_dot = false;
        let mut iter = tokens.into_iter().peekable();
        while let Some(tree) = iter.next() {
            let is_dot = matches!(&tree, TokenTree::Punct(p) if p.as_char() == '.');
            match &tree {
                TokenTree::Group(group) => self.walk(group.stream()),
                TokenTree::Ident(ident) => {
                    let name = ident.to_string();
                    if previous_dot && name == "await" {
                        self.await_span.get_or_insert(ident.span());
                    } else if name == "async" {
                        self.opaque_reason.get_or_insert("an async block");
                    } else if ["yield_", "yield_catch", "yield_from"].contains(&name.as_str())
                        && matches!(iter.peek(), Some(TokenTree::Punct(p)) if p.as_char() == '!')
                    {
                        self.yield_span.get_or_insert(ident.span());
                    }
                }
                TokenTree::Punct(p) if p.as_char() == '|' => {
                    self.opaque_reason
                        .get_or_insert("a `|` (a closure, or a pattern)");
                }
                _ => {}
            }
            previous_dot = is_dot;
        }
    }
}

impl<'ast> Visit<'ast> for BodyCheck<'_> {
    fn visit_expr_closure(&mut self, closure: &'ast syn::ExprClosure) {
        self.nested.push(Nested::Closure);
        visit::visit_expr_closure(self, closure);
        self.nested.pop();
    }

    fn visit_expr_async(&mut self, block: &'ast syn::ExprAsync) {
        self.nested.push(Nested::AsyncBlock);
        visit::visit_expr_async(self, block);
        self.nested.pop();
    }

    fn visit_expr_await(&mut self, expr: &'ast syn::ExprAwait) {
        if !self.is_async && self.nested.is_empty() {
            self.errors.push(syn::Error::new(
                expr.await_token.span(),
                "`.await` in a synchronous generator: a sync generator cannot wait; \
                 make the function `async` for an async generator",
            ));
        }
        visit::visit_expr_await(self, expr);
    }

    fn visit_expr_yield(&mut self, expr: &'ast syn::ExprYield) {
        self.errors.push(syn::Error::new_spanned(
            expr.yield_token,
            "`yield` is a reserved keyword on stable Rust: write `yield_!(value)` instead",
        ));
        visit::visit_expr_yield(self, expr);
    }

    fn visit_expr_macro(&mut self, expr: &'ast ExprMacro) {
        self.check_macro(&expr.mac);
        visit::visit_expr_macro(self, expr);
    }

    fn visit_stmt_macro(&mut self, stmt: &'ast StmtMacro) {
        self.check_macro(&stmt.mac);
        visit::visit_stmt_macro(self, stmt);
    }

    fn visit_item(&mut self, _: &'ast syn::Item) {
        // A nested item is a function of its own: a `#[generator]` on it is
        // expanded on its own, and a stray `yield_!` in it is reported by the
        // `yield_!` macro itself.
    }

    fn visit_expr(&mut self, expr: &'ast Expr) {
        visit::visit_expr(self, expr);
    }
}
