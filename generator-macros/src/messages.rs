//! What the user is told about each misuse the checks find.
//!
//! The texts live apart from the checks that decide when they apply, so that
//! what pygen says can be read (and reviewed) in one place. The parsers of
//! the attribute (args.rs) and of `generators!` (literal.rs) keep their own
//! syntax errors next to the syntax they describe.

use syn::Item;

/// A `#[generator]` on a trait method without a body.
pub const METHOD_WITHOUT_BODY: &str = "#[generator] needs the function's body, which it turns \
     into the generator; in a trait, declare the method with the generator type it returns, \
     e.g. `fn numbers(&self) -> pygen::Gen<impl pygen::Body<Output = ()>, u32>;`, and put \
     #[generator(yield = u32)] on the method in each impl";

/// A `#[generator]` on an item that is not a function; `kind` from
/// `item_kind`.
pub fn not_a_function(kind: &str) -> String {
    format!("#[generator] applies to a function (`fn name(..) -> R {{ .. }}`), not to {kind}")
}

/// A `#[generator]` on tokens that are not an item at all.
pub fn not_an_item(err: &syn::Error) -> String {
    format!("#[generator] applies to a function (`fn name(..) -> R {{ .. }}`): {err}")
}

/// What an item is, for messages.
pub fn item_kind(item: &Item) -> String {
    let kind = match item {
        Item::Const(_) => "a const",
        Item::Enum(_) => "an enum",
        Item::ExternCrate(_) => "an extern crate",
        Item::ForeignMod(_) => "an extern block",
        Item::Impl(_) => "an impl block (put it on the methods inside)",
        Item::Macro(_) => "a macro invocation",
        Item::Mod(_) => "a module",
        Item::Static(_) => "a static",
        Item::Struct(_) => "a struct",
        Item::Trait(_) => "a trait",
        Item::TraitAlias(_) => "a trait alias",
        Item::Type(_) => "a type alias",
        Item::Union(_) => "a union",
        Item::Use(_) => "a use declaration",
        _ => return "this item".to_owned(),
    };
    kind.to_owned()
}

pub const CONST_FN: &str = "a #[generator] function cannot be `const`: it returns a state \
     machine that runs at run time; remove the `const`";

pub const EXTERN_FN: &str = "a #[generator] function cannot have an `extern` ABI: it returns a \
     Rust generator type; remove the `extern`, and wrap the generator in an `extern` function \
     of its own if foreign code must drive it";

pub const VARIADIC_FN: &str =
    "a #[generator] function cannot be variadic: take a slice or an iterator instead";

/// `primed` on an `async fn`.
pub const PRIMED_ASYNC: &str = "an async generator is primed by awaiting it: drop `primed` and \
     call `.primed().await` where the generator is made";

/// `boxed = Send` on an `async fn`.
pub const BOXED_SEND_ASYNC: &str =
    "an async generator's box is always `Send` (`BoxAsyncGen`): write `boxed`";

/// `boxed` on a signature whose borrows cannot be given one lifetime.
pub const BOXED_ELIDED_LIFETIMES: &str = "a boxed generator borrows every argument, and this \
     signature elides the lifetime of a reference beside others: name them (`fn f<'a, 'b>(x: \
     &'a T, y: &'b U)`), and the box gets a lifetime that all of them outlive";

/// A yield macro inside a closure.
pub fn yield_in_closure(name: &str) -> String {
    format!(
        "`{name}!` cannot be used inside a closure: the closure is a function of its own, \
         which the generator cannot suspend; move the `{name}!` out of it (e.g. replace \
         `iter.for_each(|x| {name}!(x))` with `for x in iter {{ {name}!(x); }}`)"
    )
}

/// A yield macro inside a nested async block.
pub fn yield_in_async_block(name: &str) -> String {
    format!(
        "`{name}!` cannot be used inside a nested async block: the block is a future of its \
         own, which the generator cannot suspend; move the `{name}!` out of it (an async \
         generator — `#[generator] async fn` — can `.await` directly)"
    )
}

/// A yield macro inside a nested `fn`, `const` or `static`.
pub fn yield_in_nested_item(name: &str) -> String {
    format!(
        "`{name}!` cannot be used inside a nested function (or other item): it is code of its \
         own, which the generator cannot suspend; make it a generator too \
         (`#[generator(yield = …)]`) and delegate to it with `yield_from!(inner(..))`"
    )
}

/// A yield macro inside a `const { .. }` block.
pub fn yield_in_const_block(name: &str) -> String {
    format!(
        "`{name}!` cannot be used inside a `const {{ .. }}` block: it is evaluated when the \
         program is compiled, not when the generator runs; move the `{name}!` out of it"
    )
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

/// A yield refused in a standard macro's arguments, for the reason `why`
/// (one of the `YIELD_IN_*` texts below).
pub fn yield_in_standard_macro(name: &str, why: &str) -> String {
    format!("cannot use a yield inside the arguments of `{name}!`: {why}")
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
     wait; make it an async generator (`#[generator(yield = …)] async fn`, or \
     `generate!(async || ..)` inline)";

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

/// `generate!` around something that is not a closure.
pub fn inline_not_a_closure(what: &str, fix: &str) -> String {
    format!(
        "generate! makes a generator from a closure, not from {what}: write {fix}; a plain \
         closure borrows what it uses, a `move` one takes it"
    )
}

/// `generate!(static || ..)`, `const ||`, `for<'a> ||`.
pub fn inline_closure_keyword(keyword: &str) -> String {
    format!("an inline generator's closure cannot be `{keyword}`: remove it")
}

/// An attribute other than one `#[generator(..)]` on the closure.
pub const INLINE_ATTRIBUTE: &str = "generate! reads one attribute on its closure, \
     #[generator(yield = Y, send = S, throw = E, boxed, primed)], which declares the \
     generator's types; put any other attribute on the statement around generate!";

/// `#[generator(boxed = Send)]` inline, where no signature says what the box
/// borrows: `.boxed_send()` does it.
pub const INLINE_BOXED_SEND: &str = "write #[generator(boxed)] here, or call `.boxed_send()` on \
     the generator: an inline generator's box is `Send` when what it captures is";

/// `#[generator]` on a closure, or on a `let` of one: the inline form was
/// meant.
pub const ATTRIBUTE_ON_CLOSURE: &str = "#[generator] makes generator functions; a closure \
     becomes a generator inside generate!: write `generate!(#[generator(yield = u32)] || { .. \
     })`, or `generate!(|| { .. })` to let the yield type be inferred";

/// A recursive delegation whose argument wraps the generic parameter
/// `param` (`passed`): polymorphic recursion.
pub fn polymorphic_recursion(param: &str, passed: &str) -> String {
    format!(
        "this recursion passes `{passed}` where `{param}` has a generic type: each level would \
         be a generator of a new type wrapping the last, without end (rustc would report values \
         too big for the target); erase the argument's type so that every level is the same \
         function: declare `{param}` as a `Box<dyn Trait>`, or pass \
         `Box::new({passed}) as Box<dyn Trait>` (e.g. `Box<dyn Iterator<Item = u64>>`)"
    )
}

/// An inline generator without `yield =` and without any yield.
pub const INLINE_WITHOUT_YIELDS: &str = "this generator never yields, so its yield type cannot \
     be inferred: declare it, e.g. `generate!(#[generator(yield = u32)] || { .. })`";
