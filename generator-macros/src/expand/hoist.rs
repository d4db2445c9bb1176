//! Yields in the arguments of the standard macros (`println!`, `vec!`,
//! `assert_eq!`, `matches!`…), taken out of them before the macro is called.
//!
//! A yield's expansion holds the generator's hidden handle, and it must
//! never pass through a macro: whatever a macro's name resolves to in the
//! user's crate — a `macro_rules!` of theirs, a dependency renamed to `std`
//! or `core` — could wrap its argument in an `async` block and hand it to
//! another generator, which would then poll a yield of other types. So every
//! argument up to the last one that holds a yield is evaluated into a hidden
//! local first, in the order the macro would evaluate it, and the macro
//! receives the locals:
//!
//! ```text
//! vec![a, yield_!(b), c]        { let t0 = a; let t1 = <yield>; vec![t0, t1, c] }
//! println!("{} {}", x, yield_!(y))
//!                               { let t0 = &(x); let t1 = &(<yield>); println!("{} {}", *t0, *t1) }
//! matches!(yield_!(v), 1..)     match <yield> { 1.. => true, _ => false }
//! assert!(yield_!(v) < 3)       if !(<yield> < 3) { panic!("assertion failed: ..") }
//! ```
//!
//! The format macros take their arguments by reference (`&(x)`, then `*t0`
//! is the same place), `vec!` by value, as the macros themselves do. Shapes
//! whose meaning would change are refused with an error that says how to
//! write them: a yield in `dbg!` (it prints the expression's text), in
//! `format_args!` (its value borrows the arguments' temporaries), in an
//! assertion's message (evaluated only when the assertion fails), in the
//! destination of `write!`, or after a destination that is not a plain
//! place (it is evaluated first).

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::visit_mut::VisitMut;
use syn::{Expr, Ident, Macro, Token};

use super::rewrite::YieldRewrite;
use crate::checks;
use crate::messages;
use crate::std_macros::{ExprOf, FormatArg, MatchesArgs, Shape, parse_matches, parse_repeat};
use crate::yields::{Nested, first_yield};

/// The locals arguments are hoisted into, and the statements binding them.
struct Hoisted {
    lets: Vec<TokenStream>,
}

impl Hoisted {
    fn new() -> Self {
        Hoisted { lets: Vec::new() }
    }

    /// Binds `expr` to a hidden local and returns what replaces it in the
    /// macro's arguments: the local itself (`by_ref` false), or the place
    /// it refers to.
    fn bind(&mut self, expr: &Expr, by_ref: bool) -> Expr {
        let local = Ident::new(
            &format!("__pygen_arg{}", self.lets.len()),
            Span::mixed_site(),
        );
        let span = expr.span();
        if by_ref {
            self.lets
                .push(quote_spanned!(span=> let #local = &(#expr);));
            syn::parse_quote_spanned!(span=> *#local)
        } else {
            self.lets.push(quote_spanned!(span=> let #local = #expr;));
            syn::parse_quote_spanned!(span=> #local)
        }
    }

    /// `{ lets; call }`.
    fn around(self, call: TokenStream) -> Expr {
        let lets = self.lets;
        Expr::Verbatim(quote!({ #(#lets)* #call }))
    }
}

impl YieldRewrite<'_> {
    /// A standard macro whose arguments hold a yield: the expression that
    /// replaces it, with no yield left inside any macro; `None` when the
    /// macro is not one of them (its arguments are then treated as an
    /// unknown macro's).
    pub(super) fn hoist_standard_macro(&mut self, mac: &Macro) -> Option<Expr> {
        let name = mac.path.segments.last()?.ident.to_string();
        let shape = Shape::of(&name)?;
        let tokens = mac.tokens.clone();
        let outcome = match shape {
            Shape::Format => self.hoist_format(mac, false),
            Shape::Write => self.hoist_format(mac, true),
            Shape::Vec => self.hoist_vec(mac),
            Shape::Assert { debug } => self.hoist_assert(mac, debug),
            Shape::Compare { debug } => self.hoist_compare(mac, debug),
            Shape::Matches => self.hoist_matches(mac),
            Shape::Refused(why) => Err(why.to_string()),
        };
        Some(outcome.unwrap_or_else(|why| self.refuse(mac, &name, tokens, &why)))
    }

    /// Reports `why` at the first yield, and keeps the macro with its yields
    /// neutralised, so that nothing else is reported because of them.
    fn refuse(&mut self, mac: &Macro, name: &str, tokens: TokenStream, why: &str) -> Expr {
        let span = first_yield(&tokens).unwrap_or_else(|| mac.path.span());
        checks::yield_in_standard_macro(name, span, why, &self.nested, &mut self.errors);
        self.nested.push(Nested::OpaqueTokens);
        let tokens = self.rewrite_tokens(tokens);
        self.nested.pop();
        let mut mac = mac.clone();
        mac.tokens = tokens;
        Expr::Verbatim(mac.into_token_stream())
    }

    /// Arguments separated by commas, each visited like the rest of the body
    /// once its yield-ness has been noted.
    fn visited_args<T>(&mut self, tokens: TokenStream) -> Result<Vec<(T, bool)>, String>
    where
        T: syn::parse::Parse + ExprOf,
    {
        let args = Punctuated::<T, Token![,]>::parse_terminated
            .parse2(tokens)
            .map_err(|_| messages::YIELD_IN_UNPARSED_MACRO.to_string())?;
        Ok(args
            .into_iter()
            .map(|mut arg| {
                let yields = first_yield(arg.expr_mut()).is_some();
                self.visit_expr_mut(arg.expr_mut());
                (arg, yields)
            })
            .collect())
    }

    /// `print!`-like and `write!`-like macros.
    fn hoist_format(&mut self, mac: &Macro, write: bool) -> Result<Expr, String> {
        let mut args = self.visited_args::<FormatArg>(mac.tokens.clone())?;
        let mut hoisted = Hoisted::new();
        let skip = usize::from(write);
        if write {
            match args.first() {
                Some((_, true)) => return Err(messages::YIELD_IN_WRITE_DESTINATION.into()),
                Some((dst, false)) if !is_plain_place(&dst.expr) => {
                    return Err(messages::YIELD_AFTER_COMPUTED_DESTINATION.into());
                }
                _ => {}
            }
        }
        match args.get(skip) {
            Some((format, false))
                if format.name.is_none()
                    && matches!(&format.expr, Expr::Lit(lit) if matches!(lit.lit, syn::Lit::Str(_))) =>
                {}
            _ => return Err(messages::YIELD_WITHOUT_FORMAT_STRING.into()),
        }
        let last = args.iter().rposition(|(_, yields)| *yields).unwrap_or(0);
        for (arg, _) in args.iter_mut().take(last + 1).skip(skip + 1) {
            arg.expr = hoisted.bind(&arg.expr, true);
        }
        let args = args.into_iter().map(|(arg, _)| arg);
        let path = &mac.path;
        Ok(hoisted.around(quote!(#path!(#(#args),*))))
    }

    fn hoist_vec(&mut self, mac: &Macro) -> Result<Expr, String> {
        let path = &mac.path;
        let mut hoisted = Hoisted::new();
        if let Ok((mut element, mut count)) = parse_repeat.parse2(mac.tokens.clone()) {
            self.visit_expr_mut(&mut element);
            self.visit_expr_mut(&mut count);
            let element = hoisted.bind(&element, false);
            let count = hoisted.bind(&count, false);
            return Ok(hoisted.around(quote!(#path![#element; #count])));
        }
        let mut args = self.visited_args::<Expr>(mac.tokens.clone())?;
        let last = args.iter().rposition(|(_, yields)| *yields).unwrap_or(0);
        for (arg, _) in args.iter_mut().take(last + 1) {
            *arg = hoisted.bind(arg, false);
        }
        let args = args.into_iter().map(|(arg, _)| arg);
        Ok(hoisted.around(quote!(#path![#(#args),*])))
    }

    /// `assert!(cond, message..)` becomes `if !(cond) { panic!(..) }`, with
    /// the message std's `assert!` gives.
    fn hoist_assert(&mut self, mac: &Macro, debug: bool) -> Result<Expr, String> {
        let original = mac.tokens.clone();
        let mut args = self.visited_args::<FormatArg>(mac.tokens.clone())?;
        if args.iter().skip(1).any(|(_, yields)| *yields) {
            return Err(messages::YIELD_IN_ASSERT_MESSAGE.into());
        }
        if args.is_empty() || args[0].0.name.is_some() {
            return Err(messages::YIELD_IN_UNPARSED_MACRO.into());
        }
        let (cond, _) = args.remove(0);
        let cond = cond.expr;
        let message: Vec<_> = args.into_iter().map(|(arg, _)| arg).collect();
        let panic = if message.is_empty() {
            let text = syn::LitStr::new(
                &format!("assertion failed: {}", condition_text(&original)),
                mac.path.span(),
            );
            quote!(::core::panic!("{}", #text))
        } else {
            quote!(::core::panic!(#(#message),*))
        };
        let check = quote!(if !(#cond) { #panic });
        Ok(Expr::Verbatim(only_when_debug(debug, check)))
    }

    /// `assert_eq!(left, right, message..)`: both operands hoisted by
    /// reference, as the macro takes them.
    fn hoist_compare(&mut self, mac: &Macro, debug: bool) -> Result<Expr, String> {
        let mut args = self.visited_args::<FormatArg>(mac.tokens.clone())?;
        if args.iter().skip(2).any(|(_, yields)| *yields) {
            return Err(messages::YIELD_IN_ASSERT_MESSAGE.into());
        }
        if args.len() < 2 || args[..2].iter().any(|(arg, _)| arg.name.is_some()) {
            return Err(messages::YIELD_IN_UNPARSED_MACRO.into());
        }
        let mut hoisted = Hoisted::new();
        let last = args
            .iter()
            .take(2)
            .rposition(|(_, yields)| *yields)
            .unwrap_or(0);
        for (arg, _) in args.iter_mut().take(last + 1) {
            arg.expr = hoisted.bind(&arg.expr, true);
        }
        let args = args.into_iter().map(|(arg, _)| arg);
        let path = &mac.path;
        let call = hoisted.around(quote!(#path!(#(#args),*)));
        Ok(Expr::Verbatim(only_when_debug(debug, quote!(#call;))))
    }

    /// `matches!` is written out as the `match` it stands for.
    fn hoist_matches(&mut self, mac: &Macro) -> Result<Expr, String> {
        let MatchesArgs {
            mut scrutinee,
            pattern,
            mut guard,
        } = parse_matches
            .parse2(mac.tokens.clone())
            .map_err(|_| messages::YIELD_IN_UNPARSED_MACRO.to_string())?;
        self.visit_expr_mut(&mut scrutinee);
        if let Some(guard) = &mut guard {
            self.visit_expr_mut(guard);
        }
        let guard = guard.map(|guard| quote!(if #guard));
        Ok(Expr::Verbatim(quote! {
            match #scrutinee {
                #pattern #guard => true,
                _ => false,
            }
        }))
    }
}

/// `check` under `if cfg!(debug_assertions)`, for the `debug_` assertions.
fn only_when_debug(debug: bool, check: TokenStream) -> TokenStream {
    if debug {
        quote!(if ::core::cfg!(debug_assertions) { #check })
    } else {
        quote!({ #check })
    }
}

/// A destination whose evaluation has no effect, so that evaluating the
/// arguments before it changes nothing: a local, a field, a reference or a
/// dereference of one.
fn is_plain_place(expr: &Expr) -> bool {
    match expr {
        Expr::Path(_) => true,
        Expr::Field(field) => is_plain_place(&field.base),
        Expr::Reference(reference) => is_plain_place(&reference.expr),
        Expr::Unary(syn::ExprUnary {
            op: syn::UnOp::Deref(_),
            expr,
            ..
        })
        | Expr::Paren(syn::ExprParen { expr, .. }) => is_plain_place(expr),
        _ => false,
    }
}

/// The condition of an `assert!` as the user wrote it, for its message.
fn condition_text(tokens: &TokenStream) -> String {
    let condition: TokenStream = tokens
        .clone()
        .into_iter()
        .take_while(|tree| !matches!(tree, proc_macro2::TokenTree::Punct(p) if p.as_char() == ','))
        .collect();
    condition.to_string()
}
