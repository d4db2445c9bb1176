//! The pass over a generator's body: it replaces every yield by an await on
//! the generator's channel handle, and calls the checks (see checks/) at
//! each yield, `.await`, closure, nested item and macro call it meets.
//!
//! One pass does both, so that what is reported and what is rewritten can
//! never disagree: a yield the pass rejects (inside a closure, a nested
//! async block or a nested item…) is replaced by an expression that reports
//! it and fits where the yield was (see yield_site.rs). The function still
//! expands to one with its real signature and a body that type-checks, so
//! the user sees only the errors this pass reports: no "unused import"
//! warning for the yield macros, no cascade in the function's callers.
//!
//! This file walks the syntax tree; the macro calls it meets are handled in
//! macros.rs (and, for the standard macros, hoist.rs), each yield in
//! yield_site.rs.

use proc_macro2::{Ident, TokenStream};
use quote::quote;
use syn::spanned::Spanned;
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, Stmt};

use super::context::{Hygiene, Types};
use crate::checks::{self, GenericArgs};
use crate::errors::Errors;
use crate::yields::{Nested, YieldKind, first_yield, is_generator_attribute};

/// The rewriter.
pub struct YieldRewrite<'a> {
    pub names: &'a Hygiene,
    pub types: &'a Types,
    /// An async generator's `yield_from!` may also delegate to async
    /// generators and streams.
    pub is_async: bool,
    /// The body's return type, named in `Raise::<R>::raise` so that a
    /// return type that cannot take a thrown error is reported as such
    /// (instead of rustc inferring `Result` for the body from the only
    /// impl). `None` when it cannot be named in an expression (`impl Trait`).
    pub return_ty: Option<TokenStream>,
    /// Inside `generators!`: the literal `yield!(v)` is the spelling to
    /// suggest, and nested `#[generator]` attributes are given a full path.
    pub literal: bool,
    /// Where the pass is: closures, async blocks and items it went into.
    pub nested: Vec<Nested>,
    /// The outer attributes of the yield statement being rewritten.
    pub statement_attrs: Vec<syn::Attribute>,
    pub errors: Errors,
    /// The generator function's name, to recognise a recursive delegation;
    /// `None` for an inline generator (`generate!`), which has none.
    pub function: Option<Ident>,
    /// The parameters of generic type, to recognise a polymorphic
    /// recursion (see checks/polymorphic.rs).
    pub generic_args: GenericArgs,
    /// The function returns its generator boxed (`#[generator(boxed)]`):
    /// delegating to a call of itself needs no `.boxed()`.
    pub boxed: bool,
    /// The paths the body invoked yield macros by (`yield_`,
    /// `pygen::yield_`…), each once: the expansion invokes each with
    /// `@__pygen_used` so that their imports count as used.
    pub used_paths: Vec<TokenStream>,
}

impl YieldRewrite<'_> {
    /// A call of the generator's own function in `expr`, held across a
    /// yield by the code around it (`holds`): an error at the call, which is
    /// boxed so that rustc adds no error of its own about async blocks.
    /// Nothing to do for a `boxed` generator, whose type is already erased.
    fn refuse_held_recursion(&mut self, expr: &mut Expr, holds: bool) {
        if self.boxed
            || !self.nested.is_empty()
            || !holds
            || !self
                .function
                .as_ref()
                .is_some_and(|name| checks::calls_itself(name, expr))
        {
            return;
        }
        self.errors.push(checks::recursive_call(expr));
        *expr = syn::parse_quote_spanned!(expr.span()=> (#expr).boxed());
    }

    /// The keyword spelling `yield v` (and `yield!(v)`, which rustc and syn
    /// read as `yield !(v)`): reported, then treated as the yield it was
    /// meant to be.
    fn keyword_yield(&mut self, expr: &syn::ExprYield) -> Expr {
        let yield_ = checks::keyword_yield(expr, self.literal, &mut self.errors);
        self.yield_macro(yield_)
    }

    /// Goes into a nested item: a `#[generator]` function is expanded on its
    /// own (inside `generators!` its attribute gets a full path, so that it
    /// needs no import); anything else is out of the generator's reach.
    fn nested_fn(&mut self, attrs: &mut [syn::Attribute], block: &mut syn::Block) {
        if let Some(attr) = attrs.iter_mut().find(|a| is_generator_attribute(a)) {
            if self.literal {
                if let syn::Meta::List(list) = &mut attr.meta {
                    list.path = syn::parse_quote_spanned!(list.path.span()=> ::pygen::generator);
                } else if let syn::Meta::Path(path) = &mut attr.meta {
                    *path = syn::parse_quote_spanned!(path.span()=> ::pygen::generator);
                }
            }
            return;
        }
        self.visit_block_mut(block);
    }

    /// Goes into what holds code of its own (`nested`), then comes back.
    fn visit_nested(&mut self, nested: Nested, expr: &mut Expr) {
        self.nested.push(nested);
        visit_mut::visit_expr_mut(self, expr);
        self.nested.pop();
    }
}

/// `expr` under the outer attributes the macro invocation had.
fn with_attributes(attrs: &[syn::Attribute], expr: Expr) -> Expr {
    if attrs.is_empty() {
        expr
    } else {
        Expr::Verbatim(quote!(#(#attrs)* #expr))
    }
}

impl VisitMut for YieldRewrite<'_> {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        // `let g = walk(child);` with a yield after it in the block: the
        // generator lives across that yield.
        for i in 0..block.stmts.len() {
            let rest = &block.stmts[i + 1..];
            let holds = first_yield(&quote!(#(#rest)*)).is_some();
            if let Stmt::Local(syn::Local {
                init: Some(init), ..
            }) = &mut block.stmts[i]
            {
                self.refuse_held_recursion(&mut init.expr, holds);
            }
        }
        visit_mut::visit_block_mut(self, block);
    }

    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if let Expr::ForLoop(for_loop) = expr {
            // `for x in walk(child) { … yield … }`: the iterator lives across
            // the body's yields.
            let holds = first_yield(&for_loop.body).is_some();
            self.refuse_held_recursion(&mut for_loop.expr, holds);
        }
        match expr {
            Expr::Macro(m) => {
                if let Some(rewritten) = self.any_macro(&mut m.mac) {
                    *expr = with_attributes(&m.attrs, rewritten);
                }
            }
            Expr::Closure(_) => self.visit_nested(Nested::Closure, expr),
            Expr::Const(_) => self.visit_nested(Nested::ConstBlock, expr),
            Expr::Async(_) => self.visit_nested(Nested::AsyncBlock, expr),
            Expr::Await(await_expr) => {
                checks::await_in_sync(
                    await_expr.await_token.span(),
                    self.is_async,
                    &self.nested,
                    &mut self.errors,
                );
                visit_mut::visit_expr_mut(self, expr);
            }
            Expr::Yield(yield_expr) => {
                let rewritten = self.keyword_yield(yield_expr);
                *expr = rewritten;
            }
            _ => visit_mut::visit_expr_mut(self, expr),
        }
    }

    fn visit_stmt_mut(&mut self, stmt: &mut Stmt) {
        if let Stmt::Macro(m) = stmt {
            if YieldKind::of(&m.mac).is_some() {
                // Same attributes (inside, see `wrap`), same delimiter, same
                // semicolon (none in tail position).
                self.statement_attrs = std::mem::take(&mut m.attrs);
                let rewritten = self.any_macro(&mut m.mac).expect("a yield macro");
                *stmt = Stmt::Expr(rewritten, m.semi_token);
            } else if let Some(rewritten) = self.any_macro(&mut m.mac) {
                // A standard macro whose yields were taken out of it.
                let attrs = std::mem::take(&mut m.attrs);
                *stmt = Stmt::Expr(with_attributes(&attrs, rewritten), m.semi_token);
            }
            return;
        }
        visit_mut::visit_stmt_mut(self, stmt);
    }

    fn visit_item_mut(&mut self, item: &mut syn::Item) {
        // A nested item is code of its own, out of the generator's reach.
        self.nested.push(Nested::Item);
        visit_mut::visit_item_mut(self, item);
        self.nested.pop();
    }

    fn visit_item_fn_mut(&mut self, item: &mut syn::ItemFn) {
        self.nested_fn(&mut item.attrs, &mut item.block);
    }

    fn visit_impl_item_fn_mut(&mut self, item: &mut syn::ImplItemFn) {
        self.nested_fn(&mut item.attrs, &mut item.block);
    }

    fn visit_trait_item_fn_mut(&mut self, item: &mut syn::TraitItemFn) {
        if let Some(block) = &mut item.default {
            self.nested_fn(&mut item.attrs, block);
        }
    }

    fn visit_item_macro_mut(&mut self, _: &mut syn::ItemMacro) {
        // `macro_rules!` definitions and item macros (a nested
        // `generators!`) are left alone.
    }
}
