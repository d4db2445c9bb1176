//! What a yield that can suspend the generator expands to: an await on the
//! generator's channel handle (`yield_!`, `yield_catch!`; the delegations of
//! `yield_from!` are in delegation.rs), and what raises a thrown error out
//! of the body where the yield was.

use proc_macro2::{Delimiter, Group, Ident, Span, TokenStream};
use quote::quote_spanned;

use super::rewrite::YieldRewrite;
use crate::yields::YieldKind;

/// What the parts of one yield's expansion share.
pub(super) struct Site {
    /// The user's macro name: what diagnostics must attribute to the user's
    /// code is spanned there.
    pub span: Span,
    /// The same place, marked as coming from this macro.
    pub quiet: Span,
    /// The invocation's closing delimiter (see `Delim`).
    pub end: Span,
    /// `::pygen::__private`.
    pub private: TokenStream,
    /// The `.await` of the yield point.
    pub await_: TokenStream,
    /// The name what the yield point raised is bound to, and the arm's
    /// expression that raises it out of the body.
    pub raised: Ident,
    pub thrown: TokenStream,
}

impl YieldRewrite<'_> {
    /// The expansion of a yield of `kind` whose macro name is at
    /// `user_span` and whose invocation ends at `end`.
    pub(super) fn expansion(
        &self,
        kind: YieldKind,
        user_span: Span,
        end: Span,
        arg: TokenStream,
    ) -> TokenStream {
        let site = self.site(user_span, end);
        // A yield takes `&mut` of the handle (see generator-core's co.rs);
        // `yield_point` evaluates the argument, which may yield itself,
        // before that borrow begins.
        match kind {
            YieldKind::Yield | YieldKind::Literal => self.plain_yield(&site, arg),
            YieldKind::Catch => self.catching_yield(&site, arg),
            YieldKind::From | YieldKind::FromCatch => self.delegation(kind, &site, arg),
        }
    }

    fn site(&self, user_span: Span, end: Span) -> Site {
        let value = &self.names.value;
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
        Site {
            span,
            quiet,
            end,
            private,
            await_,
            raised,
            thrown,
        }
    }

    /// The yield point: `{ let v = arg; Co::method(&mut co, v) }.await`.
    ///
    /// The argument is bound in a `let` of its own, so that its temporaries
    /// (a `RefCell` borrow) end there, before the yield suspends, and so
    /// that it is evaluated, with any yield inside it, before the handle is
    /// borrowed. The `let` checks the value against the declared yield
    /// type where it is written: a mismatch is reported at the value, with
    /// the `yield =` type of the attribute as the reason (the type's tokens
    /// keep their spans).
    fn yield_point(&self, site: &Site, arg: TokenStream, method: &str) -> TokenStream {
        let value = &self.names.value;
        let co = &self.names.co;
        let Site {
            quiet,
            private,
            await_,
            ..
        } = site;
        let method = Ident::new(method, *quiet);
        let binding = match &self.types.yield_ty {
            Some(_) if self.types.infers_yield() => {
                self.types.yields_inferred.set(true);
                let yielded = &self.names.yielded;
                let mut call = Group::new(Delimiter::Parenthesis, arg);
                call.set_span(site.span);
                quote_spanned!(*quiet=> let #value = #yielded #call;)
            }
            Some(ty) if self.types.ascribe_yield => {
                quote_spanned!(*quiet=> let #value: #ty = #arg;)
            }
            _ => quote_spanned!(*quiet=> let #value = #arg;),
        };
        quote_spanned! {*quiet=>
            { #binding #private::Co::#method(&mut #co, #value) } #await_
        }
    }

    /// `yield_!(v)`: the sent value, or what was thrown raised out of the
    /// body (without a throw type, nothing can be: `sent` unwraps it).
    fn plain_yield(&self, site: &Site, arg: TokenStream) -> TokenStream {
        let value = &self.names.value;
        let Site {
            quiet,
            private,
            raised,
            thrown,
            ..
        } = site;
        let point = self.yield_point(site, arg, "yield_");
        if !self.types.throws {
            return quote_spanned!(*quiet=> ::pygen::__checks::sent(#point));
        }
        quote_spanned! {*quiet=>
            match #point {
                #private::Ok(#value) => #value,
                #private::Err(#raised) => #thrown,
            }
        }
    }

    /// `yield_catch!(v)`: its value is the user's to handle. It goes through
    /// a call whose path starts at the invocation and whose parentheses end
    /// where it ends, so that an unused one is reported at (and `let _ =`
    /// suggested before) the whole invocation; the yield inside stays the
    /// macro's code, which lints leave alone.
    fn catching_yield(&self, site: &Site, arg: TokenStream) -> TokenStream {
        let Site { span, end, .. } = site;
        let inner = self.yield_point(site, arg, "yield_catch");
        let mut args = Group::new(Delimiter::Parenthesis, inner);
        args.set_span(*end);
        quote_spanned!(*span=> ::core::convert::identity #args)
    }
}
