//! Rewriting `yield_!`, `yield_catch!` and `yield_from!` in a body into
//! awaits on the generator's channel handle, and reporting every misuse met
//! on the way.
//!
//! One pass does both, so that what is reported and what is rewritten can
//! never disagree: a yield the pass rejects (inside a closure, a nested async
//! block or a nested item…) is replaced by an expression that reports it
//! and fits where the yield was (see `rejected_yield`). The function still expands
//! to one with its real signature and a body that type-checks, so the user
//! sees only the errors this pass reports: no "unused import" warning for
//! the yield macros, no cascade in the function's callers.

use proc_macro2::{Delimiter, Group, Ident, Span, TokenStream, TokenTree};
use quote::{ToTokens, quote, quote_spanned};
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, Macro, Stmt, Token};

use crate::validate::{self, Errors, Nested, TokenScan};

/// The identifier `generators!` turns the literal `yield` of `yield!(v)`
/// into before parsing its input (see literal.rs).
pub const LITERAL_YIELD: &str = "__pygen_literal_yield";

/// The macros a generator body may use.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum YieldKind {
    Yield,
    Catch,
    From,
    /// `yield_from_catch!(g)`: a delegation whose close or raised error the
    /// body handles.
    FromCatch,
    /// `yield!(v)` inside `generators!`: `yield_!(v)` under another name.
    Literal,
}

impl YieldKind {
    /// Which of them `mac` invokes, by the last segment of its path
    /// (`yield_!` and `pygen::yield_!` alike).
    pub fn of(mac: &Macro) -> Option<YieldKind> {
        Self::of_ident(&mac.path.segments.last()?.ident)
    }

    /// The raw spelling `r#yield_` names the same macro.
    pub fn of_ident(ident: &Ident) -> Option<YieldKind> {
        let name = ident.to_string();
        match name.strip_prefix("r#").unwrap_or(&name) {
            "yield_" => Some(YieldKind::Yield),
            "yield_catch" => Some(YieldKind::Catch),
            "yield_from" => Some(YieldKind::From),
            "yield_from_catch" => Some(YieldKind::FromCatch),
            LITERAL_YIELD => Some(YieldKind::Literal),
            _ => None,
        }
    }

    /// Whether it delegates (`yield_from!`, `yield_from_catch!`).
    pub fn delegates(self) -> bool {
        matches!(self, YieldKind::From | YieldKind::FromCatch)
    }

    /// The macro's name as the user wrote it.
    pub fn name(self) -> &'static str {
        match self {
            YieldKind::Yield => "yield_",
            YieldKind::Catch => "yield_catch",
            YieldKind::From => "yield_from",
            YieldKind::FromCatch => "yield_from_catch",
            YieldKind::Literal => "yield",
        }
    }
}

/// The names the expansion introduces. They carry `Span::mixed_site()`, so
/// user code can neither see nor shadow them.
pub struct Hygiene {
    pub co: Ident,
    /// The marker of the generator's types that `yield_from!`'s dispatch
    /// gets (`Co::types`), made once, before the body's `async` block.
    pub types: Ident,
    pub body_fn: Ident,
    value: Ident,
    delegate: Ident,
    probe: Ident,
    verdict: Ident,
}

impl Hygiene {
    pub fn new() -> Self {
        let site = Span::mixed_site();
        Hygiene {
            co: Ident::new("__pygen_co", site),
            types: Ident::new("__pygen_types", site),
            body_fn: Ident::new("__pygen_body", site),
            value: Ident::new("__pygen_value", site),
            delegate: Ident::new("__pygen_delegate", site),
            probe: Ident::new("__pygen_probe", site),
            verdict: Ident::new("__pygen_verdict", site),
        }
    }
}

/// The generator's declared types, as the expansion of a yield needs them.
pub struct Types {
    /// `None` when the attribute did not give a usable yield type: every
    /// yield is then `absent` (an error has been reported).
    pub yield_ty: Option<syn::Type>,
    /// Whether the yield type can be written in a `let` (no `impl Trait`),
    /// so that a yielded value is checked against it where it is written.
    pub ascribe_yield: bool,
    pub send_ty: TokenStream,
    pub throw_ty: TokenStream,
    /// Whether the generator declared a throw type: then a thrown error
    /// leaves the body as `Err(e.into())`; without one the error type has
    /// no values and the arm is `match e {}`.
    pub throws: bool,
}

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
    /// The generator function's name, to recognise a recursive delegation.
    pub function: Ident,
    /// The function returns its generator boxed (`#[generator(boxed)]`):
    /// delegating to a call of itself needs no `.boxed()`.
    pub boxed: bool,
    /// The paths the body invoked yield macros by (`yield_`,
    /// `pygen::yield_`…), each once: the expansion invokes each with
    /// `@__pygen_used` so that their imports count as used.
    pub used_paths: Vec<TokenStream>,
}

/// How a yield macro invocation is delimited: a `yield_! { .. }` statement
/// stays brace-delimited, so that it needs no semicolon where the user wrote
/// none.
///
/// Each carries the span of the invocation's closing delimiter: an
/// expression of the expansion that ends there spans the whole invocation
/// in rustc's messages.
#[derive(Clone, Copy)]
enum Delim {
    Paren(Span),
    Brace(Span),
}

impl Delim {
    fn end(self) -> Span {
        match self {
            Delim::Paren(end) | Delim::Brace(end) => end,
        }
    }
}

impl YieldRewrite<'_> {
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

    /// Handles one invocation of a yield macro: reports what is wrong with
    /// it and returns what replaces it.
    fn yield_macro(
        &mut self,
        kind: YieldKind,
        path: Option<TokenStream>,
        span: Span,
        tokens: TokenStream,
        delim: Delim,
    ) -> Expr {
        // Taken now, so that yields inside the argument do not get them.
        let attrs = std::mem::take(&mut self.statement_attrs);
        let name = kind.name();
        let rejected = match self.nested.last() {
            Some(Nested::OpaqueTokens) | None => None,
            Some(&nested) => Some(syn::Error::new(span, validate::nested_yield(name, nested))),
        };
        let mut arg = match parse_argument(kind, span, tokens.clone()) {
            Ok(arg) => arg,
            // An argument being typed (`yield_!(report.)`): expanded as a
            // yield of those tokens, next to the error, so that an editor
            // expanding the macro with its placeholder after the dot
            // (rust-analyzer) sees a yield of `report.<placeholder>` and
            // completes it.
            Err(err)
                if ends_in_path_separator(&tokens)
                    && rejected.is_none()
                    && self.types.yield_ty.is_some()
                    && self.nested.is_empty() =>
            {
                drop(err);
                self.errors.push(syn::Error::new(
                    span,
                    validate::unfinished_argument(kind.name()),
                ));
                let expr = self.expansion(kind, span, delim.end(), tokens);
                return self.wrap(&attrs, path.as_ref(), span, expr, delim);
            }
            Err(err) => {
                // Keep whatever parses, so that what it uses stays used.
                let parts = Punctuated::<Expr, Token![,]>::parse_terminated
                    .parse2(tokens)
                    .map(|parts| parts.into_iter().collect::<Vec<_>>())
                    .unwrap_or_default();
                let expr = rejected_yield(span, &quote!((#(#parts,)*)), &err);
                return self.wrap(&attrs, path.as_ref(), span, expr, delim);
            }
        };
        // Yields inside the argument (`yield_!(yield_!(1) + 1)`) and every
        // other check apply to it as to the rest of the body.
        self.visit_expr_mut(&mut arg);
        let recursive = kind.delegates() && !self.boxed && self.is_recursive_call(&arg);
        if recursive {
            // Reported here, in words about generators, and boxed so that
            // rustc does not add its own error about async blocks; the
            // delegation itself is left out (`absent`), so that no other
            // error follows from it.
            self.errors.push(syn::Error::new_spanned(
                &arg,
                validate::recursive_delegation(&arg.to_token_stream().to_string()),
            ));
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

    /// Whether a `yield_from!` argument calls the generator being expanded
    /// itself, unboxed: `name(..)`, `Self::name(..)`, `self.name(..)`. Its
    /// body would contain itself (E0733).
    fn is_recursive_call(&self, arg: &Expr) -> bool {
        let name = &self.function;
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
            Expr::Paren(paren) => self.is_recursive_call(&paren.expr),
            _ => false,
        }
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

    fn expansion(
        &self,
        kind: YieldKind,
        user_span: Span,
        end: Span,
        arg: TokenStream,
    ) -> TokenStream {
        let Hygiene {
            co,
            types,
            value,
            delegate,
            probe,
            verdict,
            ..
        } = self.names;
        // The expansion is placed at the user's macro name, and marked as
        // coming from this macro (`quiet`), so that lints leave it alone
        // (e.g. `clippy::unnecessary_semicolon` on `yield_!(v);`, which is a
        // `match`). What diagnostics must attribute to the user's code has
        // the user's own span: the `.await` (the "await occurs here" of a
        // body that is not `Send`) and the raising of a thrown error.
        let span = user_span;
        let quiet = Span::call_site().located_at(user_span);
        let private = quote_spanned!(span=> ::pygen::__private);
        let await_ = quote_spanned!(span=> .await);
        let wrap = if self.is_async {
            quote!(new_async)
        } else {
            quote!(new)
        };
        // What a yield point raised (see generator-core's raise.rs). It is
        // bound under a name with the user's hygiene, so that a return type
        // that cannot take it is reported at the user's yield rather than at
        // the attribute; no user code runs in that arm, so the name cannot
        // collide with one of theirs.
        //
        // Without a throw type nothing can be raised: the arm is a call that
        // has the arm's type (an expression of an uninhabited type there
        // would make Rust before 1.86 warn that the user's yield is
        // "unreachable").
        let (raised, thrown) = if self.types.throws {
            let raised = Ident::new("pygen_thrown", span);
            let thrown = match &self.return_ty {
                Some(ty) => quote_spanned!(span=> return #private::Raise::<#ty>::raise(#raised)),
                None => quote_spanned!(span=> return #private::Raise::raise(#raised)),
            };
            (raised, thrown)
        } else {
            let thrown = quote_spanned!(quiet=> ::pygen::__checks::absurd(#value));
            (value.clone(), thrown)
        };
        // The yielded value, checked against the declared yield type where it
        // is written: a mismatch is reported at the value, with the `yield =`
        // type of the attribute as the reason (the type's tokens keep their
        // spans).
        let yielded = |arg: TokenStream| match &self.types.yield_ty {
            Some(ty) if self.types.ascribe_yield => {
                quote_spanned!(quiet=> { let #value: #ty = #arg; #value })
            }
            _ => arg,
        };
        // A yield takes `&mut` of the handle (see generator-core's co.rs);
        // the inner `match` evaluates the argument, which may yield itself,
        // before that borrow begins.
        match kind {
            YieldKind::Yield | YieldKind::Literal => {
                let arg = yielded(arg);
                quote_spanned! {quiet=>
                    match (match #arg { #value => #private::Co::yield_(&mut #co, #value) }) #await_ {
                        #private::Ok(#value) => #value,
                        #private::Err(#raised) => #thrown,
                    }
                }
            }
            // Its value is the user's to handle. It goes through a call
            // whose path starts at the invocation and whose parentheses
            // end where it ends, so that an unused one is reported at (and
            // `let _ =` suggested before) the whole invocation; the yield
            // inside stays the macro's code, which lints leave alone.
            YieldKind::Catch => {
                let arg = yielded(arg);
                let inner = quote_spanned! {quiet=>
                    (match #arg { #value => #private::Co::yield_catch(&mut #co, #value) }) #await_
                };
                let mut args = Group::new(Delimiter::Parenthesis, inner);
                args.set_span(end);
                quote_spanned!(span=> ::core::convert::identity #args)
            }
            // The outer `match` keeps the argument's temporaries alive for the
            // whole delegation, as `for x in vec.iter()` would; the wrappers
            // die at their `let`, before the await. `identity` lets the
            // argument be a struct literal or end in a block.
            //
            // The probe and the checks (see the facade's checks.rs) report a
            // delegate that does not fit, at the argument, each with its own
            // message; then the delegation picks its way by autoref
            // specialization (see generator-core's delegate.rs).
            YieldKind::From | YieldKind::FromCatch => {
                let checks = quote_spanned!(span=> ::pygen::__checks);
                let (first, last) = first_and_last_span(&arg, user_span);
                // `Verdict::yields(&verdict)`, its path spanned at the first
                // token of the argument and its parentheses at the last, so
                // that rustc reports a failed check at the whole argument.
                let at_arg = |method: &str| {
                    let method = Ident::new(method, first);
                    let path = quote_spanned!(first=> ::pygen::__checks::Verdict::#method);
                    let mut call = Group::new(Delimiter::Parenthesis, quote!(&#verdict));
                    call.set_span(last);
                    quote!(#path #call)
                };
                let check = |name: &str, method: &str| {
                    let name = Ident::new(name, span);
                    let arg = at_arg(method);
                    quote_spanned!(span=> #checks::#name::check(#arg);)
                };
                // `Co::delegate(&mut co, planned)`, reported at the argument
                // like the checks.
                let delegation = {
                    let path = quote_spanned!(first=> ::pygen::__private::Co::delegate);
                    let mut at_arg = delegate.clone();
                    at_arg.set_span(delegate.span().located_at(last));
                    let mut call = Group::new(Delimiter::Parenthesis, quote!(&mut #co, #at_arg));
                    call.set_span(last);
                    quote!(#path #call)
                };
                let all_checks = [
                    check("SameYield", "yields"),
                    check("SameSend", "sends"),
                    check("SameThrow", "throws"),
                    check("ResumedWithNext", "next"),
                    check("MovableDelegate", "pinning"),
                    check("SyncDelegate", "flavor"),
                    check("Delegable", "kind"),
                ];
                // A delegate's close handler that returns an `Err` has
                // failed: that reaches the body (and, through its `?`, the
                // caller of `close`) instead of the close, as CPython raises
                // it from `close()`.
                let failed = quote_spanned! {quiet=> {
                    #[allow(unused_imports)]
                    use #private::{FailureOfResult as _, FailureOfAny as _};
                    (&&#private::Failure(&#value)).__pygen_failed()
                }};
                let throw_ty = &self.types.throw_ty;
                let arms = if kind == YieldKind::From {
                    quote_spanned! {quiet=> {
                        #private::Delegated::Returned(#value) => #value,
                        #private::Delegated::Raised(#raised) => #thrown,
                        #private::Delegated::ClosedWith(#value) if #failed => {
                            #private::ClosedValue::value(#value)
                        }
                        // The close is raised here, and not caught: the
                        // driver drops the body.
                        #private::Delegated::ClosedWith(_) | #private::Delegated::Closed => {
                            match #private::Co::abandon(&mut #co) #await_ {}
                        }
                    }}
                } else {
                    quote_spanned! {quiet=> {
                        #private::Delegated::Returned(#value) => #private::Ok(#value),
                        #private::Delegated::Raised(#value) => {
                            #private::Err(#private::RaisedAs::<#throw_ty>::interrupt(#value))
                        }
                        #private::Delegated::ClosedWith(#value) if #failed => {
                            #private::Ok(#private::ClosedValue::value(#value))
                        }
                        #private::Delegated::ClosedWith(_) | #private::Delegated::Closed => {
                            #private::Err(::pygen::Interrupt::Close)
                        }
                    }}
                };
                let expr = quote_spanned! {quiet=>
                    match ::core::convert::identity(#arg) {
                        #delegate => match {
                            #[allow(unused_imports)]
                            use #private::{ViaFlat as _, ViaGenerator as _, ViaTakesNothing as _, ViaStream as _, ViaIterator as _};
                            #[allow(unused_imports)]
                            use #checks::{
                                CheckFlat as _, CheckGenerator as _, CheckTakesNothing as _, CheckResumable as _,
                                CheckGeneratorTypes as _, CheckAsyncGen as _, CheckStream as _,
                                CheckIterator as _, CheckIteratorItem as _, CheckAnything as _,
                            };
                            // What is called by a path (which a user
                            // crate can redirect) gets the generator's
                            // types, never its handle: only the handle's
                            // own `delegate` makes the future, from what
                            // the dispatch planned.
                            let #probe = #checks::Probe::#wrap(#delegate, #types);
                            let #verdict = (&&&&&&&&&&#probe).__pygen_check();
                            #(#all_checks)*
                            let #delegate = #verdict.delegate(#probe);
                            let #delegate =
                                (&&&&&#private::DelegateWrap::#wrap(#delegate, #types)).__pygen_delegate();
                            // Only pygen's delegations for these types
                            // pass, whatever was picked above.
                            let #delegate = #delegation;
                            #delegate
                        }
                        #await_
                        #arms,
                    }
                };
                if kind == YieldKind::From {
                    expr
                } else {
                    // Its value is the user's to handle, as for
                    // `yield_catch!`.
                    let mut args = Group::new(Delimiter::Parenthesis, expr);
                    args.set_span(end);
                    quote_spanned!(span=> ::core::convert::identity #args)
                }
            }
        }
    }

    /// Handles a macro invocation in the body: a yield macro is replaced;
    /// the arguments of any other macro (`println!`, `vec!`, `matches!`…)
    /// are rewritten in place.
    fn any_macro(&mut self, mac: &mut Macro) -> Option<Expr> {
        let Some(kind) = YieldKind::of(mac) else {
            if transparent_macro(&mac.path) {
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
        let span = mac
            .path
            .segments
            .last()
            .map_or_else(Span::call_site, |s| s.ident.span());
        let path = (kind != YieldKind::Literal).then(|| mac.path.to_token_stream());
        let delim = match &mac.delimiter {
            syn::MacroDelimiter::Brace(brace) => Delim::Brace(brace.span.close()),
            syn::MacroDelimiter::Paren(paren) => Delim::Paren(paren.span.close()),
            syn::MacroDelimiter::Bracket(bracket) => Delim::Paren(bracket.span.close()),
        };
        Some(self.yield_macro(kind, path, span, mac.tokens.clone(), delim))
    }

    /// The arguments of a macro that is not known to evaluate them in
    /// place: a yield there is refused, since the macro could put it in a
    /// closure or an async block (out of the generator's reach, where
    /// another generator could poll it).
    fn unknown_macro_arguments(&mut self, path: &syn::Path, tokens: TokenStream) -> TokenStream {
        let scan = TokenScan::of(tokens.clone());
        if let Some(span) = scan.await_span {
            if !self.is_async && self.nested.is_empty() {
                self.errors
                    .push(syn::Error::new(span, validate::AWAIT_IN_SYNC));
            }
        }
        let Some(yield_span) = scan.yield_span else {
            return tokens;
        };
        // Reported even inside a closure: the yields in these tokens become
        // `absent`, which counts on an error having been reported.
        if !matches!(self.nested.last(), Some(Nested::OpaqueTokens)) {
            let name = path
                .segments
                .last()
                .map(|s| s.ident.to_string())
                .unwrap_or_default();
            self.errors.push(syn::Error::new(
                yield_span,
                validate::yield_in_unknown_macro(&name),
            ));
        }
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
    pub(crate) fn rewrite_tokens(&mut self, tokens: TokenStream) -> TokenStream {
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
                            let path = (kind != YieldKind::Literal).then(|| quote!(#ident));
                            let expr = self.yield_macro(
                                kind,
                                path,
                                ident.span(),
                                group.stream(),
                                Delim::Paren(group.span_close()),
                            );
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

    /// The keyword spelling `yield v` (and `yield!(v)`, which rustc and syn
    /// read as `yield !(v)`): reported, then treated as the yield it was
    /// meant to be.
    fn keyword_yield(&mut self, expr: &syn::ExprYield) -> Expr {
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
                (inner, validate::keyword_yield_macro(self.literal))
            }
            Some(value) => (
                value.to_token_stream(),
                validate::keyword_yield(self.literal),
            ),
            None => (TokenStream::new(), validate::keyword_yield(self.literal)),
        };
        self.errors
            .push(syn::Error::new(expr.yield_token.span, message));
        let kind = if self.literal {
            YieldKind::Literal
        } else {
            YieldKind::Yield
        };
        let path = (!self.literal).then(|| quote!(::pygen::yield_));
        self.yield_macro(
            kind,
            path,
            expr.yield_token.span,
            tokens,
            Delim::Paren(expr.yield_token.span),
        )
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
}

/// A yield rejected with `err`, in place: its argument is still evaluated
/// (its names stay used, its own errors are reported), and the error is an
/// expression of the error type, which rustc reports and lets fit anywhere:
/// nothing else is reported because of it.
fn rejected_yield(span: Span, arg: &TokenStream, err: &syn::Error) -> TokenStream {
    let err = err.to_compile_error();
    quote_spanned!(span=> { let _ = #arg; #err })
}

/// `expr` under the outer attributes the macro invocation had.
fn with_attributes(attrs: &[syn::Attribute], expr: Expr) -> Expr {
    if attrs.is_empty() {
        expr
    } else {
        Expr::Verbatim(quote!(#(#attrs)* #expr))
    }
}

/// Whether an attribute is `#[generator(..)]` (or `#[pygen::generator(..)]`).
pub fn is_generator_attribute(attr: &syn::Attribute) -> bool {
    attr.path()
        .segments
        .last()
        .is_some_and(|s| s.ident == "generator")
}

/// The argument of a yield macro, as one expression.
fn parse_argument(kind: YieldKind, span: Span, tokens: TokenStream) -> syn::Result<Expr> {
    if tokens.is_empty() {
        return match kind {
            YieldKind::From | YieldKind::FromCatch => Err(syn::Error::new(
                span,
                validate::delegation_without_argument(kind.name()),
            )),
            _ => Ok(syn::parse_quote_spanned!(span=> ())),
        };
    }
    syn::parse2::<Expr>(tokens)
        .map_err(|_| syn::Error::new(span, validate::yield_argument_shape(kind.name())))
}

/// Whether `tokens` end in `.` or `::`: an expression cut off where a
/// member or a path segment is being typed.
fn ends_in_path_separator(tokens: &TokenStream) -> bool {
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    match trees.as_slice() {
        [.., TokenTree::Punct(a), TokenTree::Punct(b)]
            if a.as_char() == ':' && b.as_char() == ':' =>
        {
            true
        }
        [.., TokenTree::Punct(dot)] => dot.as_char() == '.',
        _ => false,
    }
}

/// The spans of the first and last token of `tokens` (`fallback` if none),
/// so that an expression built from tokens carrying them spans all of it.
fn first_and_last_span(tokens: &TokenStream, fallback: Span) -> (Span, Span) {
    let mut iter = tokens.clone().into_iter();
    let first = iter.next().map_or(fallback, |t| t.span());
    let last = iter.last().map_or(first, |t| t.span());
    (first, last)
}

impl YieldRewrite<'_> {
    /// A call of the generator's own function in `expr`, held across a
    /// yield by the code around it (`holds`): an error at the call, which is
    /// boxed so that rustc adds no error of its own about async blocks.
    /// Nothing to do for a `boxed` generator, whose type is already erased.
    fn refuse_held_recursion(&mut self, expr: &mut Expr, holds: bool) {
        if self.boxed || !self.nested.is_empty() || !holds || !self.is_recursive_call(expr) {
            return;
        }
        self.errors.push(syn::Error::new_spanned(
            &*expr,
            validate::recursive_call(&expr.to_token_stream().to_string()),
        ));
        *expr = syn::parse_quote_spanned!(expr.span()=> (#expr).boxed());
    }
}

/// Whether `tokens` hold a yield (of any spelling).
fn yields(tokens: impl ToTokens) -> bool {
    TokenScan::of(tokens.into_token_stream())
        .yield_span
        .is_some()
}

impl VisitMut for YieldRewrite<'_> {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        // `let g = walk(child);` with a yield after it in the block: the
        // generator lives across that yield.
        for i in 0..block.stmts.len() {
            let rest = &block.stmts[i + 1..];
            let holds = yields(quote!(#(#rest)*));
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
            let holds = yields(&for_loop.body);
            self.refuse_held_recursion(&mut for_loop.expr, holds);
        }
        match expr {
            Expr::Macro(m) => {
                if let Some(rewritten) = self.any_macro(&mut m.mac) {
                    *expr = with_attributes(&m.attrs, rewritten);
                }
            }
            Expr::Closure(_) => {
                self.nested.push(Nested::Closure);
                visit_mut::visit_expr_mut(self, expr);
                self.nested.pop();
            }
            Expr::Const(_) => {
                self.nested.push(Nested::ConstBlock);
                visit_mut::visit_expr_mut(self, expr);
                self.nested.pop();
            }
            Expr::Async(_) => {
                self.nested.push(Nested::AsyncBlock);
                visit_mut::visit_expr_mut(self, expr);
                self.nested.pop();
            }
            Expr::Await(await_expr) => {
                if !self.is_async && self.nested.is_empty() {
                    self.errors.push(syn::Error::new(
                        await_expr.await_token.span(),
                        validate::AWAIT_IN_SYNC,
                    ));
                }
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

/// The standard macros that evaluate their arguments in place (no closure,
/// no async block around them), so a yield in their arguments suspends the
/// generator like any other expression. Any other macro's arguments may not
/// contain a yield. A path of more than one segment must start at `std`,
/// `core` or `alloc`.
fn transparent_macro(path: &syn::Path) -> bool {
    const TRANSPARENT: &[&str] = &[
        "assert",
        "assert_eq",
        "assert_ne",
        "dbg",
        "debug_assert",
        "debug_assert_eq",
        "debug_assert_ne",
        "eprint",
        "eprintln",
        "format",
        "format_args",
        "matches",
        "panic",
        "print",
        "println",
        "todo",
        "unimplemented",
        "unreachable",
        "vec",
        "write",
        "writeln",
    ];
    let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    let Some((last, prefix)) = segments.split_last() else {
        return false;
    };
    let rooted = match prefix {
        [] => true,
        [root] => ["std", "core", "alloc"].contains(&root.as_str()),
        _ => false,
    };
    rooted && TRANSPARENT.contains(&last.as_str())
}

/// `matches!(scrutinee, pattern if guard)`, split so that the expressions
/// can be checked like the rest of the body.
pub(crate) struct MatchesArgs {
    pub(crate) scrutinee: Expr,
    pub(crate) pattern: syn::Pat,
    pub(crate) guard: Option<Expr>,
}

impl MatchesArgs {
    fn into_tokens(self) -> TokenStream {
        let MatchesArgs {
            scrutinee,
            pattern,
            guard,
        } = self;
        let guard = guard.map(|guard| quote!(if #guard));
        quote!(#scrutinee, #pattern #guard)
    }
}

pub(crate) fn parse_matches(input: syn::parse::ParseStream) -> syn::Result<MatchesArgs> {
    let scrutinee = input.parse()?;
    input.parse::<Token![,]>()?;
    let pattern = syn::Pat::parse_multi_with_leading_vert(input)?;
    let guard = if input.peek(Token![if]) {
        input.parse::<Token![if]>()?;
        Some(input.parse()?)
    } else {
        None
    };
    if input.peek(Token![,]) {
        input.parse::<Token![,]>()?;
    }
    Ok(MatchesArgs {
        scrutinee,
        pattern,
        guard,
    })
}

/// `vec![element; count]`.
pub(crate) fn parse_repeat(input: syn::parse::ParseStream) -> syn::Result<(Expr, Expr)> {
    let element = input.parse()?;
    input.parse::<Token![;]>()?;
    let count = input.parse()?;
    Ok((element, count))
}
