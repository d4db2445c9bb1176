//! The model of a body's yields: which macro each one is (`YieldKind`),
//! with what argument and where it was written (`YieldMacro`), and what it
//! is nested in (`Nested`).
//!
//! The checks decide from this model what is wrong with a yield, and the
//! expansion what it becomes; neither has to know how the yield was spelled
//! (a macro call in the body, one in another macro's tokens, or the keyword
//! `yield`).

use proc_macro2::{Group, Ident, Span, TokenStream, TokenTree};
use quote::{ToTokens, quote};
use syn::Macro;

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

/// How a yield macro invocation is delimited: a `yield_! { .. }` statement
/// stays brace-delimited, so that it needs no semicolon where the user wrote
/// none.
///
/// Each carries the span of the invocation's closing delimiter: an
/// expression of the expansion that ends there spans the whole invocation
/// in rustc's messages.
#[derive(Clone, Copy)]
pub enum Delim {
    Paren(Span),
    Brace(Span),
}

impl Delim {
    pub fn end(self) -> Span {
        match self {
            Delim::Paren(end) | Delim::Brace(end) => end,
        }
    }
}

/// One yield, however it was spelled.
pub struct YieldMacro {
    pub kind: YieldKind,
    /// The path the macro was invoked by (`yield_`, `pygen::yield_`…);
    /// `None` for the literal `yield!`, which names no macro.
    pub path: Option<TokenStream>,
    /// The macro's name: where the yield is reported and expanded.
    pub span: Span,
    /// The argument, as written.
    pub tokens: TokenStream,
    pub delim: Delim,
}

impl YieldMacro {
    /// The yield `mac` invokes, if it is one.
    pub fn of(mac: &Macro) -> Option<YieldMacro> {
        let kind = YieldKind::of(mac)?;
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
        Some(YieldMacro {
            kind,
            path,
            span,
            tokens: mac.tokens.clone(),
            delim,
        })
    }

    /// `name!(..)` found in tokens that are not expressions (another
    /// macro's arguments).
    pub fn in_tokens(kind: YieldKind, name: &Ident, group: &Group) -> YieldMacro {
        YieldMacro {
            kind,
            path: (kind != YieldKind::Literal).then(|| quote!(#name)),
            span: name.span(),
            tokens: group.stream(),
            delim: Delim::Paren(group.span_close()),
        }
    }

    /// The keyword spelling `yield value`, taken as the yield it was meant
    /// to be: `yield!(value)` inside `generators!`, `yield_!(value)`
    /// elsewhere.
    pub fn keyword(literal: bool, span: Span, tokens: TokenStream) -> YieldMacro {
        let kind = if literal {
            YieldKind::Literal
        } else {
            YieldKind::Yield
        };
        YieldMacro {
            kind,
            path: (!literal).then(|| quote!(::pygen::yield_)),
            span,
            tokens,
            delim: Delim::Paren(span),
        }
    }

    /// Whether the argument ends in `.` or `::`: an expression cut off
    /// where a member or a path segment is being typed.
    pub fn is_unfinished(&self) -> bool {
        let trees: Vec<TokenTree> = self.tokens.clone().into_iter().collect();
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
}

/// Where a yield would be out of the generator's reach.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Nested {
    Closure,
    AsyncBlock,
    /// A nested `fn` (other than a `#[generator]` one), `const` or `static`.
    Item,
    /// A `const { .. }` block: evaluated at compile time.
    ConstBlock,
    /// Macro arguments that contain a closure or an async block but are not
    /// expressions: reported once for all the yields in them.
    OpaqueTokens,
}

/// What a scan of unparsed macro tokens finds.
#[derive(Default)]
pub struct TokenScan {
    pub yield_span: Option<Span>,
    pub await_span: Option<Span>,
}

impl TokenScan {
    pub fn of(tokens: TokenStream) -> Self {
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
                TokenTree::Ident(ident) if is_inline_call(ident, &mut iter) => {}
                TokenTree::Ident(ident) => {
                    let name = ident.to_string();
                    if previous_dot && name == "await" {
                        self.await_span.get_or_insert(ident.span());
                    } else if YieldKind::of_ident(ident).is_some()
                        && matches!(iter.peek(), Some(TokenTree::Punct(p)) if p.as_char() == '!')
                    {
                        self.yield_span.get_or_insert(ident.span());
                    }
                }
                _ => {}
            }
            previous_dot = is_dot;
        }
    }
}

/// The name of the inline form's macro (`generate!`). Its argument is a
/// generator of its own: the pass over an enclosing body leaves its
/// yields, `.await`s and delegations alone, for its own expansion to check.
pub const INLINE_MACRO: &str = "generate";

/// Whether a macro path names the inline form (`generate!`,
/// `pygen::generate!`).
pub fn is_inline_macro(path: &syn::Path) -> bool {
    path.segments
        .last()
        .is_some_and(|s| s.ident == INLINE_MACRO)
}

/// Whether `ident` begins an invocation of the inline form in unparsed
/// tokens (`generate ! (..)`): then its `!` and its group are taken from
/// `iter`, so that a scan skips them.
pub fn is_inline_call(
    ident: &proc_macro2::Ident,
    iter: &mut std::iter::Peekable<proc_macro2::token_stream::IntoIter>,
) -> bool {
    if ident != INLINE_MACRO
        || !matches!(iter.peek(), Some(TokenTree::Punct(p)) if p.as_char() == '!')
    {
        return false;
    }
    let mut ahead = iter.clone();
    ahead.next();
    if !matches!(ahead.next(), Some(TokenTree::Group(_))) {
        return false;
    }
    iter.next();
    iter.next();
    true
}

/// Whether an identifier that `wanted` accepts appears in `tokens`, inside
/// groups too, but not inside an inline generator's own tokens (see
/// `is_inline_call`).
pub fn mentions_ident(tokens: TokenStream, wanted: &impl Fn(&proc_macro2::Ident) -> bool) -> bool {
    let mut iter = tokens.into_iter().peekable();
    while let Some(tree) = iter.next() {
        let found = match tree {
            TokenTree::Ident(ident) if is_inline_call(&ident, &mut iter) => false,
            TokenTree::Ident(ident) => wanted(&ident),
            TokenTree::Group(group) => mentions_ident(group.stream(), wanted),
            _ => false,
        };
        if found {
            return true;
        }
    }
    false
}

/// Where the first yield (of any spelling) in `tokens` is.
pub fn first_yield(tokens: &impl ToTokens) -> Option<Span> {
    TokenScan::of(tokens.to_token_stream()).yield_span
}

/// Whether an attribute is `#[generator(..)]` (or `#[pygen::generator(..)]`).
pub fn is_generator_attribute(attr: &syn::Attribute) -> bool {
    attr.path()
        .segments
        .last()
        .is_some_and(|s| s.ident == "generator")
}
