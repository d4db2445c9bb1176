//! What counts as a misuse, and what the user is told about it.
//!
//! The signature is checked here; the body is checked by the same pass that
//! rewrites it (expand/yield_rewrite.rs), with the messages below, so that
//! every misuse is reported at once, each at its own token.

use proc_macro2::{Span, TokenStream, TokenTree};
use syn::ItemFn;

/// Every error found, combined into one.
#[derive(Default)]
pub struct Errors(Option<syn::Error>);

impl Errors {
    pub fn push(&mut self, err: syn::Error) {
        match &mut self.0 {
            Some(all) => all.combine(err),
            None => self.0 = Some(err),
        }
    }

    pub fn extend(&mut self, other: Errors) {
        if let Some(err) = other.0 {
            self.push(err);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    pub fn to_compile_error(&self) -> TokenStream {
        self.0
            .as_ref()
            .map(syn::Error::to_compile_error)
            .unwrap_or_default()
    }
}

/// Checks the signature, and takes out what cannot be expanded (`const`,
/// an ABI, a variadic argument) so that the function still expands.
pub fn signature(function: &mut ItemFn) -> Errors {
    let mut errors = Errors::default();
    let sig = &mut function.sig;
    if let Some(constness) = sig.constness.take() {
        errors.push(syn::Error::new(
            constness.span,
            "a #[generator] function cannot be `const`: it returns a state machine that runs at \
             run time; remove the `const`",
        ));
    }
    if let Some(abi) = sig.abi.take() {
        errors.push(syn::Error::new_spanned(
            abi,
            "a #[generator] function cannot have an `extern` ABI: it returns a Rust generator \
             type; remove the `extern`, and wrap the generator in an `extern` function of its own \
             if foreign code must drive it",
        ));
    }
    if let Some(variadic) = sig.variadic.take() {
        errors.push(syn::Error::new_spanned(
            variadic,
            "a #[generator] function cannot be variadic: take a slice or an iterator instead",
        ));
    }
    errors
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

/// A yield macro used where it cannot suspend the generator.
pub fn nested_yield(name: &str, nested: Nested) -> String {
    match nested {
        Nested::Closure => format!(
            "`{name}!` cannot be used inside a closure: the closure is a function of its own, \
             which the generator cannot suspend; move the `{name}!` out of it (e.g. replace \
             `iter.for_each(|x| {name}!(x))` with `for x in iter {{ {name}!(x); }}`)"
        ),
        Nested::AsyncBlock => format!(
            "`{name}!` cannot be used inside a nested async block: the block is a future of its \
             own, which the generator cannot suspend; move the `{name}!` out of it (an async \
             generator — `#[generator] async fn` — can `.await` directly)"
        ),
        Nested::Item => format!(
            "`{name}!` cannot be used inside a nested function (or other item): it is code of its \
             own, which the generator cannot suspend; make it a generator too \
             (`#[generator(yield = …)]`) and delegate to it with `yield_from!(inner(..))`"
        ),
        Nested::ConstBlock => format!(
            "`{name}!` cannot be used inside a `const {{ .. }}` block: it is evaluated when the \
             program is compiled, not when the generator runs; move the `{name}!` out of it"
        ),
        Nested::OpaqueTokens => String::new(),
    }
}

/// A yield in the arguments of a macro pygen does not know.
pub fn yield_in_unknown_macro(name: &str) -> String {
    format!(
        "cannot use a yield inside the arguments of `{name}!`: pygen cannot see what that \
         macro does with them (it could put them in a closure or an async block, where a \
         yield cannot suspend this generator); yield first and pass the value: \
         `let value = yield_!(..); {name}!(value)`. Yields are rewritten inside the standard \
         macros that evaluate their arguments in place (`println!`, `format!`, `vec!`, \
         `assert!`, `matches!`, `write!`…)"
    )
}

/// Why a yield is refused in a standard macro's arguments (after "cannot use
/// a yield inside the arguments of `name!`: ").
pub const YIELD_IN_DBG: &str = "`dbg!` prints the text of the expression it is given; \
     yield first and pass the value: `let value = yield_!(..); dbg!(value)`";
pub const YIELD_IN_FORMAT_ARGS: &str = "the value of `format_args!` borrows its arguments, so \
     they cannot be evaluated before it; yield first and pass the value: \
     `let value = yield_!(..); format_args!(\"{}\", value)`";
pub const YIELD_IN_ASSERT_MESSAGE: &str = "an assertion's message is only evaluated when the \
     assertion fails, and a yield there would always run; yield first and use the value";
pub const YIELD_IN_WRITE_DESTINATION: &str = "yield first and write to the value: \
     `let out = yield_!(..); write!(out, ..)`";
pub const YIELD_AFTER_COMPUTED_DESTINATION: &str = "the destination is evaluated before the \
     arguments, and the yields of the arguments are taken out of the macro to run first; \
     bind the destination to a local first: `let mut out = ..; write!(out, ..)`";
pub const YIELD_WITHOUT_FORMAT_STRING: &str = "its first argument is not a format string \
     literal; yield first and pass the value: `let value = yield_!(..); panic!(\"{}\", value)`";
pub const YIELD_IN_UNPARSED_MACRO: &str = "these arguments do not have the macro's usual \
     shape; yield first and pass the value";

/// A yield whose argument ends in `.` or `::`, as while it is being typed.
pub fn unfinished_argument(name: &str) -> String {
    format!("the argument of `{name}!` is unfinished: it ends in `.` or `::`")
}

/// A `yield_from!` of the generator itself, unboxed.
pub fn recursive_delegation(call: &str) -> String {
    format!(
        "a generator that delegates to itself must box the recursive call: \
         `yield_from!({call}.boxed())` (a generator holds its delegate's state, so unboxed it \
         would contain itself)"
    )
}

/// A call of the generator itself, held across a yield (the iterator of a
/// `for` loop that yields, a local that lives on past a yield), unboxed.
pub fn recursive_call(call: &str) -> String {
    format!(
        "this generator holds a generator of its own function across a yield, so it would \
         contain itself: box the call (`{call}.boxed()`), delegate to it \
         (`yield_from!({call}.boxed())`), or declare the function `#[generator(boxed)]`"
    )
}

pub const AWAIT_IN_SYNC: &str = "`.await` in a synchronous generator: a sync generator cannot \
     wait; make the function `async` for an async generator (`#[generator(yield = …)] async fn`)";

/// A `yield_from!` or `yield_from_catch!` without an argument.
pub fn delegation_without_argument(name: &str) -> String {
    format!(
        "`{name}!` needs the generator or iterator to delegate to: `{name}!(other_generator())`"
    )
}

/// A yield macro whose argument is not one expression.
pub fn yield_argument_shape(name: &str) -> String {
    if name == "yield_from" {
        "`yield_from!` takes one generator or iterator: `yield_from!(g)`; to delegate to \
         several, write one `yield_from!` for each"
            .to_owned()
    } else {
        format!(
            "`{name}!` takes one value: `{name}!(value)`; to yield several values at once, yield \
             a tuple: `{name}!((a, b))`"
        )
    }
}

/// The keyword spelling `yield value`.
pub fn keyword_yield(literal: bool) -> &'static str {
    if literal {
        "`yield value` is not supported here: write `yield!(value)`"
    } else {
        "`yield` is a reserved keyword, unstable as an expression: inside #[generator] write \
         `yield_!(value)` (the `generators! { .. }` macro also accepts `yield!(value)`)"
    }
}

/// The keyword spelling `yield!(value)`, read by rustc as `yield !(value)`.
pub fn keyword_yield_macro(literal: bool) -> &'static str {
    if literal {
        "`yield !(value)`: write `yield!(value)` without a space"
    } else {
        "`yield!(value)` cannot be written in a #[generator] function: rustc reads `yield` as \
         the unstable keyword before the attribute runs; write `yield_!(value)`, or put the \
         function inside `pygen::generators! { .. }`, which accepts `yield!(value)`"
    }
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
                TokenTree::Ident(ident) => {
                    let name = ident.to_string();
                    if previous_dot && name == "await" {
                        self.await_span.get_or_insert(ident.span());
                    } else if crate::expand::yield_rewrite::YieldKind::of_ident(ident).is_some()
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
