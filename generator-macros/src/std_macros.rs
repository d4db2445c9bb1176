//! The standard macros as the body pass models them: which ones evaluate
//! their arguments in place (`is_transparent`), how each evaluates them
//! (`Shape`), and the syntax of their arguments (`FormatArg`, `MatchesArgs`,
//! `vec![x; n]`).
//!
//! A yield may stand in the arguments of these macros only: any other
//! macro could put its arguments in a closure or an async block, out of the
//! generator's reach.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::parse::{Parse, ParseStream};
use syn::{Expr, Ident, Token};

use crate::messages;

/// The standard macros that evaluate their arguments in place (no closure,
/// no async block around them), so a yield in their arguments suspends the
/// generator like any other expression. Any other macro's arguments may not
/// contain a yield. A path of more than one segment must start at `std`,
/// `core` or `alloc`.
pub fn is_transparent(path: &syn::Path) -> bool {
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

/// How a standard macro evaluates its arguments.
pub enum Shape {
    /// `print!`, `format!`, `panic!`…: a format string, then arguments taken
    /// by reference, all evaluated before the macro does anything.
    Format,
    /// `write!` / `writeln!`: a destination, then as `Format`.
    Write,
    /// `vec![a, b]` / `vec![x; n]`: elements by value.
    Vec,
    /// `assert!(cond, message..)`; `debug` for `debug_assert!`.
    Assert { debug: bool },
    /// `assert_eq!(left, right, message..)` and friends.
    Compare { debug: bool },
    /// `matches!(scrutinee, pattern if guard)`.
    Matches,
    /// `dbg!`, `format_args!`: refused, with the reason.
    Refused(&'static str),
}

impl Shape {
    /// The shape of the standard macro called `name`.
    pub fn of(name: &str) -> Option<Shape> {
        Some(match name {
            "print" | "println" | "eprint" | "eprintln" | "format" | "panic" | "todo"
            | "unimplemented" | "unreachable" => Shape::Format,
            "write" | "writeln" => Shape::Write,
            "vec" => Shape::Vec,
            "assert" => Shape::Assert { debug: false },
            "debug_assert" => Shape::Assert { debug: true },
            "assert_eq" | "assert_ne" => Shape::Compare { debug: false },
            "debug_assert_eq" | "debug_assert_ne" => Shape::Compare { debug: true },
            "matches" => Shape::Matches,
            "dbg" => Shape::Refused(messages::YIELD_IN_DBG),
            "format_args" => Shape::Refused(messages::YIELD_IN_FORMAT_ARGS),
            _ => return None,
        })
    }
}

/// One argument of a format macro: `expr` or `name = expr`.
pub struct FormatArg {
    pub name: Option<(Ident, Token![=])>,
    pub expr: Expr,
}

impl Parse for FormatArg {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let name = if input.peek(Ident) && input.peek2(Token![=]) && !input.peek2(Token![==]) {
            Some((input.parse()?, input.parse()?))
        } else {
            None
        };
        Ok(FormatArg {
            name,
            expr: input.parse()?,
        })
    }
}

impl ToTokens for FormatArg {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        if let Some((name, eq)) = &self.name {
            name.to_tokens(tokens);
            eq.to_tokens(tokens);
        }
        self.expr.to_tokens(tokens);
    }
}

/// The expression inside an argument, for the parser of each shape.
pub trait ExprOf {
    fn expr_mut(&mut self) -> &mut Expr;
}

impl ExprOf for Expr {
    fn expr_mut(&mut self) -> &mut Expr {
        self
    }
}

impl ExprOf for FormatArg {
    fn expr_mut(&mut self) -> &mut Expr {
        &mut self.expr
    }
}

/// `matches!(scrutinee, pattern if guard)`, split so that the expressions
/// can be checked like the rest of the body.
pub struct MatchesArgs {
    pub scrutinee: Expr,
    pub pattern: syn::Pat,
    pub guard: Option<Expr>,
}

impl MatchesArgs {
    pub fn into_tokens(self) -> TokenStream {
        let MatchesArgs {
            scrutinee,
            pattern,
            guard,
        } = self;
        let guard = guard.map(|guard| quote!(if #guard));
        quote!(#scrutinee, #pattern #guard)
    }
}

pub fn parse_matches(input: ParseStream) -> syn::Result<MatchesArgs> {
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
pub fn parse_repeat(input: ParseStream) -> syn::Result<(Expr, Expr)> {
    let element = input.parse()?;
    input.parse::<Token![;]>()?;
    let count = input.parse()?;
    Ok((element, count))
}
