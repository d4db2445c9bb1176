//! Recovery for an inline generator whose body does not parse, as while it
//! is being typed (`report.` at the end of a line, a `let` without its `;`).
//!
//! A function-like macro gets no syntax fixups from rust-analyzer, as an
//! attribute does: without recovery, `generate!`'s whole argument would
//! fail to parse, nothing would be expanded, and the editor would know no
//! type in the body. So the closure's header (everything before its body's
//! braces) is parsed on its own, and its body statement by statement: each
//! run of tokens up to a `;` that parses is kept, one that does not is cut
//! before each `let` in it (then before each `if`, loop, `match` or
//! `return` that starts a statement), a piece ending in a dangling `.` is
//! kept without it, and what still does not parse is dropped. Blocks inside
//! (a loop's, an `if`'s, a match arm's) are recovered the same way first,
//! those of them that hold statements (a `;` or a `let` at their top). The syntax error
//! itself is reported as ever; the recovered closure is expanded beside
//! it, so that its locals keep their types (hover, completion after
//! `local.`, which rust-analyzer asks for with a name of its own after the
//! dot).

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};
use quote::quote;
use syn::parse::Parser;
use syn::{Block, ExprClosure, Stmt};

/// The closure in `input`, its body cut down to the statements that parse;
/// `None` when its header does not parse either.
pub fn closure(input: &TokenStream) -> Option<ExprClosure> {
    let tokens: Vec<TokenTree> = input.clone().into_iter().collect();
    let (body, header) = tokens.split_last()?;
    let TokenTree::Group(body) = body else {
        return None;
    };
    if body.delimiter() != Delimiter::Brace {
        return None;
    }
    let header: TokenStream = header.iter().cloned().collect();
    // As an expression: that parse takes the closure's attributes too.
    let syn::Expr::Closure(mut closure) = syn::parse2(quote!(#header {})).ok()? else {
        return None;
    };
    let stmts = statements(fix_blocks(body.stream()));
    let mut block: Block = syn::parse_quote!({});
    block.brace_token = syn::token::Brace(body.delim_span());
    block.stmts = stmts;
    *closure.body = syn::Expr::Block(syn::ExprBlock {
        attrs: Vec::new(),
        label: None,
        block,
    });
    Some(closure)
}

/// The statements of `body` that parse, in order.
fn statements(body: TokenStream) -> Vec<Stmt> {
    let mut stmts = Vec::new();
    for run in runs(body, |tree| is_punct(tree, ';'), true) {
        if let Some(parsed) = parse_stmts(&run) {
            stmts.extend(parsed);
            continue;
        }
        for piece in runs(run, |tree| is_ident(tree, "let"), false) {
            if let Some(parsed) = parse_piece(&piece) {
                stmts.extend(parsed);
                continue;
            }
            // `local.` before an `if` or a loop: cut before its keyword too.
            for part in cut_before_statements(piece) {
                stmts.extend(parse_piece(&part).unwrap_or_default());
            }
        }
    }
    stmts
}

/// `tokens` with every brace group inside recovered: one whose tokens do
/// not parse as statements but hold some (a `;` or a `let` at its top) is
/// cut down to those that parse; any other (a struct literal, a `match`'s
/// arms) keeps its tokens, with its own groups recovered.
fn fix_blocks(tokens: TokenStream) -> TokenStream {
    tokens
        .into_iter()
        .map(|tree| match tree {
            TokenTree::Group(group) if group.delimiter() == Delimiter::Brace => {
                let inner = fix_blocks(group.stream());
                let holds_statements = inner
                    .clone()
                    .into_iter()
                    .any(|tree| is_punct(&tree, ';') || is_ident(&tree, "let"));
                let inner = if holds_statements && parse_stmts(&inner).is_none() {
                    let stmts = statements(inner);
                    quote!(#(#stmts)*)
                } else {
                    inner
                };
                let mut fixed = Group::new(Delimiter::Brace, inner);
                fixed.set_span(group.span());
                TokenTree::Group(fixed)
            }
            TokenTree::Group(group) => {
                let mut fixed = Group::new(group.delimiter(), fix_blocks(group.stream()));
                fixed.set_span(group.span());
                TokenTree::Group(fixed)
            }
            other => other,
        })
        .collect()
}

/// A piece cut out of a run as statements, without a dangling `.`; its last
/// statement ends there (a `;` is added after an expression), since the
/// piece was cut before another statement.
fn parse_piece(piece: &TokenStream) -> Option<Vec<Stmt>> {
    let mut parsed = parse_stmts(&without_dangling_dot(piece.clone()))?;
    if let Some(Stmt::Expr(expr, semi @ None)) = parsed.last_mut() {
        if !is_block_like(expr) {
            *semi = Some(Default::default());
        }
    }
    Some(parsed)
}

/// Whether `expr` ends its statement without a `;` (`if`, loops, `match`,
/// blocks).
fn is_block_like(expr: &syn::Expr) -> bool {
    use syn::Expr;
    matches!(
        expr,
        Expr::If(_)
            | Expr::ForLoop(_)
            | Expr::While(_)
            | Expr::Loop(_)
            | Expr::Match(_)
            | Expr::Block(_)
            | Expr::Unsafe(_)
    )
}

/// `tokens` cut before each keyword that begins a statement (`if`, `for`,
/// `while`, `loop`, `match`, `return`) where it cannot go on an expression
/// (after `else` or `=` it does).
fn cut_before_statements(tokens: TokenStream) -> Vec<TokenStream> {
    const STARTS: [&str; 6] = ["if", "for", "while", "loop", "match", "return"];
    let mut parts = Vec::new();
    let mut current: Vec<TokenTree> = Vec::new();
    for tree in tokens {
        let starts = STARTS.iter().any(|keyword| is_ident(&tree, keyword));
        let continues = current
            .last()
            .is_some_and(|last| is_ident(last, "else") || is_punct(last, '='));
        if starts && !continues && !current.is_empty() {
            parts.push(current.drain(..).collect());
        }
        current.push(tree);
    }
    if !current.is_empty() {
        parts.push(current.into_iter().collect());
    }
    parts
}

/// `tokens` as statements, if they parse as such.
fn parse_stmts(tokens: &TokenStream) -> Option<Vec<Stmt>> {
    Block::parse_within.parse2(tokens.clone()).ok()
}

/// `tokens` cut at each top-level token that `cuts`: after it when `after`
/// (a `;` ends its run), before it otherwise (a `let` begins one).
fn runs(tokens: TokenStream, cuts: impl Fn(&TokenTree) -> bool, after: bool) -> Vec<TokenStream> {
    let mut runs = Vec::new();
    let mut current = Vec::new();
    for tree in tokens {
        let cut = cuts(&tree);
        if cut && !after && !current.is_empty() {
            runs.push(current.drain(..).collect());
        }
        current.push(tree);
        if cut && after {
            runs.push(current.drain(..).collect());
        }
    }
    if !current.is_empty() {
        runs.push(current.into_iter().collect());
    }
    runs
}

/// `tokens` without a last `.` (a method or field being typed), and
/// without a `;` before it.
fn without_dangling_dot(tokens: TokenStream) -> TokenStream {
    let mut trees: Vec<TokenTree> = tokens.into_iter().collect();
    let semi = trees.last().is_some_and(|tree| is_punct(tree, ';'));
    let end = trees.len() - usize::from(semi);
    if end > 0 && is_punct(&trees[end - 1], '.') {
        trees.remove(end - 1);
    }
    trees.into_iter().collect()
}

fn is_punct(tree: &TokenTree, c: char) -> bool {
    matches!(tree, TokenTree::Punct(p) if p.as_char() == c)
}

fn is_ident(tree: &TokenTree, name: &str) -> bool {
    matches!(tree, TokenTree::Ident(ident) if ident == name)
}

#[cfg(test)]
mod tests {
    use super::closure;
    use quote::{ToTokens, quote};

    fn recovered(input: proc_macro2::TokenStream) -> String {
        closure(&input)
            .expect("recovered")
            .body
            .to_token_stream()
            .to_string()
    }

    #[test]
    fn a_dangling_dot_is_dropped_and_the_rest_kept() {
        let body = recovered(quote!(move || {
            let a = 1;
            a.
            let b = a + 1;
            b
        }));
        assert_eq!(body, "{ let a = 1 ; a ; let b = a + 1 ; b }");
    }

    #[test]
    fn blocks_inside_are_recovered_and_other_braces_kept() {
        let body = recovered(quote!(|| {
            let p = Point { x: 1, y: 2 };
            for i in 0..p.x {
                i.
                let j = match i { 0 => 1, _ => 2 };
            }
        }));
        assert_eq!(
            body,
            "{ let p = Point { x : 1 , y : 2 } ; for i in 0 .. p . x { i ; \
             let j = match i { 0 => 1 , _ => 2 } ; } }"
        );
    }

    #[test]
    fn the_closure_keeps_its_attribute() {
        let recovered = closure(&quote!(
            #[generator(yield = i64)]
            move || {
                let report = summarize();
                report.
                let command = yield_!(report.mean());
            }
        ))
        .expect("recovered");
        assert_eq!(recovered.attrs.len(), 1);
        assert_eq!(
            recovered.body.to_token_stream().to_string(),
            "{ let report = summarize () ; report ; let command = yield_ ! (report . mean ()) ; }"
        );
    }

    #[test]
    fn a_piece_before_an_if_or_a_loop_is_cut_off() {
        let body = recovered(quote!(|| {
            let c = 1;
            c.placeholder
            if c > 0 { yield_!(c); }
            c.
            for i in 0..c {}
        }));
        assert_eq!(
            body,
            "{ let c = 1 ; c . placeholder ; if c > 0 { yield_ ! (c) ; } c ; for i in 0 .. c { } }"
        );
    }

    #[test]
    fn a_header_that_does_not_parse_is_not_recovered() {
        assert!(closure(&quote!(| | | { 1 })).is_none());
        assert!(closure(&quote!(foo())).is_none());
    }
}
