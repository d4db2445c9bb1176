//! What `yield_from!(g)` and `yield_from_catch!(g)` expand to: a delegation
//! to `g`, checked against the generator's types by the facade's checks
//! (reported at the argument, each with its own message), then dispatched
//! by autoref specialization (see generator-core's delegate/dispatch.rs).

use proc_macro2::{Delimiter, Group, Ident, Span, TokenStream};
use quote::{quote, quote_spanned};

use super::context::Hygiene;
use super::rewrite::YieldRewrite;
use super::suspension::Site;
use crate::yields::YieldKind;

/// The facade's checks a delegate goes through (`SameYield`…), each with
/// the method of the verdict that it reads.
const CHECKS: [(&str, &str); 7] = [
    ("SameYield", "yields"),
    ("SameSend", "sends"),
    ("SameThrow", "throws"),
    ("ResumedWithNext", "next"),
    ("MovableDelegate", "pinning"),
    ("SyncDelegate", "flavor"),
    ("Delegable", "kind"),
];

impl YieldRewrite<'_> {
    /// The outer `match` keeps the argument's temporaries alive for the
    /// whole delegation, as `for x in vec.iter()` would; the wrappers die at
    /// their `let`, before the await. `identity` lets the argument be a
    /// struct literal or end in a block.
    pub(super) fn delegation(&self, kind: YieldKind, site: &Site, arg: TokenStream) -> TokenStream {
        let Hygiene {
            types,
            delegate,
            probe,
            verdict,
            ..
        } = self.names;
        let Site {
            span,
            quiet,
            end,
            private,
            await_,
            ..
        } = site;
        let (span, quiet) = (*span, *quiet);
        let wrap = if self.is_async {
            quote!(new_async)
        } else {
            quote!(new)
        };
        let checks = quote_spanned!(span=> ::pygen::__checks);
        let (first, last) = first_and_last_span(&arg, span);
        let all_checks = CHECKS.map(|(name, method)| self.check(span, first, last, name, method));
        let delegation = self.planned_delegation(first, last);
        let arms = self.delegated_arms(kind, site);
        let expr = quote_spanned! {quiet=>
            match ::core::convert::identity(#arg) {
                // The traits of the autoref dispatch and checks are
                // imported once, at the top of the body (`imports`).
                #delegate => match {
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
            // Its value is the user's to handle, as for `yield_catch!`.
            let mut args = Group::new(Delimiter::Parenthesis, expr);
            args.set_span(*end);
            quote_spanned!(span=> ::core::convert::identity #args)
        }
    }

    /// `Check::check(Verdict::method(&verdict));`, its path spanned at the
    /// first token of the argument (`first`) and its parentheses at the
    /// last, so that rustc reports a failed check at the whole argument.
    fn check(&self, span: Span, first: Span, last: Span, name: &str, method: &str) -> TokenStream {
        let verdict = &self.names.verdict;
        let checks = quote_spanned!(span=> ::pygen::__checks);
        let name = Ident::new(name, span);
        let method = Ident::new(method, first);
        let path = quote_spanned!(first=> ::pygen::__checks::Verdict::#method);
        let mut call = Group::new(Delimiter::Parenthesis, quote!(&#verdict));
        call.set_span(last);
        let arg = quote!(#path #call);
        quote_spanned!(span=> #checks::#name::check(#arg);)
    }

    /// `Co::delegate(&mut co, planned)`, reported at the argument like the
    /// checks.
    fn planned_delegation(&self, first: Span, last: Span) -> TokenStream {
        let Hygiene { co, delegate, .. } = self.names;
        let path = quote_spanned!(first=> ::pygen::__private::Co::delegate);
        let mut at_arg = delegate.clone();
        at_arg.set_span(delegate.span().located_at(last));
        let mut call = Group::new(Delimiter::Parenthesis, quote!(&mut #co, #at_arg));
        call.set_span(last);
        quote!(#path #call)
    }

    /// The arms of the `match` on how the delegation ended.
    ///
    /// A delegate's close handler that returns an `Err` has failed: that
    /// reaches the body (and, through its `?`, the caller of `close`)
    /// instead of the close, as CPython raises it from `close()`.
    fn delegated_arms(&self, kind: YieldKind, site: &Site) -> TokenStream {
        let Hygiene { co, value, .. } = self.names;
        let Site {
            quiet,
            private,
            await_,
            raised,
            thrown,
            ..
        } = site;
        let quiet = *quiet;
        let failed = quote_spanned! {quiet=>
            (&&#private::Failure(&#value)).__pygen_failed()
        };
        let throw_ty = &self.types.throw_ty;
        if kind == YieldKind::From {
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
        }
    }
}

/// The traits whose methods `yield_from!`'s expansion calls by autoref
/// (its dispatch, its checks, the failure test of a close value), imported
/// `as _` once at the top of a body that delegates rather than at each
/// `yield_from!`: the same for every call, they cost their tokens once.
pub fn imports() -> TokenStream {
    quote! {
        #[allow(unused_imports)]
        use ::pygen::__private::{
            ViaFlat as _, ViaGenerator as _, ViaTakesNothing as _, ViaStream as _, ViaIterator as _,
            FailureOfResult as _, FailureOfAny as _,
        };
        #[allow(unused_imports)]
        use ::pygen::__checks::{
            CheckFlat as _, CheckGenerator as _, CheckTakesNothing as _, CheckResumable as _,
            CheckGeneratorTypes as _, CheckAsyncGen as _, CheckStream as _,
            CheckIterator as _, CheckIteratorItem as _, CheckAnything as _,
        };
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
