//! Parsing the attribute's arguments: `yield = Y, send = S, throw = E`, and
//! the flags `boxed` (or `boxed = Send`) and `primed`.

use proc_macro2::{Span, TokenStream};
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Ident, Token, Type};

use crate::errors::Errors;

/// The declared types of a generator. `yield_ty` is `None` only after an
/// error has been reported.
#[derive(Default)]
pub struct GeneratorArgs {
    pub yield_ty: Option<Type>,
    pub send_ty: Option<Type>,
    pub throw_ty: Option<Type>,
    /// `boxed`: the function returns the generator boxed and type-erased.
    pub boxed: Option<Boxed>,
    /// `primed`: the function returns the generator run to its first yield
    /// (Python's `@coroutine`); where the flag is written.
    pub primed: Option<Span>,
}

/// The `boxed` flag: where it is written, and whether the body must be
/// `Send` (`boxed = Send`).
pub struct Boxed {
    pub key: Ident,
    pub send: bool,
}

/// One `key = Type` pair, with `yield` accepted as a key, or a flag alone.
struct Arg {
    key: Ident,
    ty: Option<Type>,
}

impl Parse for Arg {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let key = Ident::parse_any(input)?;
        if input.is_empty() || input.peek(Token![,]) {
            return Ok(Arg { key, ty: None });
        }
        input.parse::<Token![=]>()?;
        let ty = input.parse()?;
        Ok(Arg { key, ty: Some(ty) })
    }
}

const KEYS: [&str; 5] = ["yield", "send", "throw", "boxed", "primed"];
const KEYS_TEXT: &str = "`yield = Type`, `send = Type`, `throw = Type`, `boxed` (or \
                         `boxed = Send`) and `primed`";

/// What a list of types without their keys is told.
const NAMES_THE_TYPES: &str = "#[generator] names the types it declares: write \
     #[generator(yield = Type)], e.g. #[generator(yield = u32)]";

/// Parses the arguments, collecting every misuse (unknown key, duplicate
/// key, missing `yield`) into `errors`. What can be used is returned even
/// then (the first of two `yield`s, say), so that the function still expands
/// and its callers are not flooded with errors of their own.
///
/// `attribute` is where to report a missing yield type: the whole attribute.
pub fn parse(args: TokenStream, attribute: Span, errors: &mut Errors) -> GeneratorArgs {
    let Some(args) = parse_list(args, errors) else {
        return GeneratorArgs::default();
    };
    if args.yield_ty.is_none() {
        errors.push(syn::Error::new(
            attribute,
            "#[generator] needs the type of the values it yields: write \
             #[generator(yield = Type)], e.g. #[generator(yield = u32)]",
        ));
    }
    args
}

/// Parses the arguments as `parse` does, but without requiring `yield =`:
/// an inline generator (`generate!`) infers its yield type when the
/// attribute leaves it out.
pub fn parse_optional_yield(args: TokenStream, errors: &mut Errors) -> GeneratorArgs {
    parse_list(args, errors).unwrap_or_default()
}

/// The arguments, each misuse reported; `None` when they are not a list of
/// arguments at all (reported too).
fn parse_list(args: TokenStream, errors: &mut Errors) -> Option<GeneratorArgs> {
    let pairs = pairs(args, errors)?;
    let mut args = GeneratorArgs::default();
    for Arg { key, ty } in pairs {
        if !flag(&mut args, &key, ty.as_ref(), errors) {
            typed(&mut args, &key, ty, errors);
        }
    }
    Some(args)
}

/// The arguments as `key = Type` pairs and flags; `None`, with an error,
/// when they are not a list of them.
fn pairs(args: TokenStream, errors: &mut Errors) -> Option<Punctuated<Arg, Token![,]>> {
    let pairs = match Punctuated::<Arg, Token![,]>::parse_terminated.parse2(args.clone()) {
        Ok(pairs) => pairs,
        Err(err) => {
            errors.push(if syn::parse2::<Type>(args.clone()).is_ok() {
                syn::Error::new_spanned(args, NAMES_THE_TYPES)
            } else {
                syn::Error::new(
                    err.span(),
                    format!(
                        "{err}; #[generator] takes {KEYS_TEXT}, e.g. #[generator(yield = u32)]"
                    ),
                )
            });
            return None;
        }
    };
    if let [Arg { key, ty: None }] = pairs.iter().collect::<Vec<_>>()[..] {
        if key != "boxed" && key != "primed" {
            // `#[generator(u32)]`: a type where a `key = Type` belongs.
            errors.push(syn::Error::new_spanned(args, NAMES_THE_TYPES));
            return None;
        }
    }
    Some(pairs)
}

/// Takes `yield = Y`, `send = S` or `throw = E` into `args`, reporting an
/// unknown key, a missing type or a key given twice.
fn typed(args: &mut GeneratorArgs, key: &Ident, ty: Option<Type>, errors: &mut Errors) {
    let name = key.to_string();
    let slot = match name.as_str() {
        "yield" => &mut args.yield_ty,
        "send" => &mut args.send_ty,
        "throw" => &mut args.throw_ty,
        other => {
            let hint = KEYS
                .iter()
                .find(|known| is_typo_of(other, known))
                .map(|known| format!(" (did you mean `{known}`?)"))
                .unwrap_or_default();
            errors.push(syn::Error::new_spanned(
                key,
                format!(
                    "unknown #[generator] argument `{other}`{hint}: #[generator] takes {KEYS_TEXT}"
                ),
            ));
            return;
        }
    };
    let Some(ty) = ty else {
        errors.push(syn::Error::new_spanned(
            key,
            format!("`{name}` needs a type: write `{name} = Type`"),
        ));
        return;
    };
    if slot.is_some() {
        errors.push(syn::Error::new_spanned(
            key,
            format!("`{name} = …` is given twice in #[generator]: remove one of them"),
        ));
        return;
    }
    *slot = Some(ty);
}

/// Takes the flags `boxed`, `boxed = Send` and `primed` into `args`:
/// whether `key` was one of them (misused or not).
fn flag(args: &mut GeneratorArgs, key: &Ident, ty: Option<&Type>, errors: &mut Errors) -> bool {
    let name = key.to_string();
    let given_twice = match name.as_str() {
        "boxed" => args.boxed.is_some(),
        "primed" => args.primed.is_some(),
        _ => return false,
    };
    if given_twice {
        errors.push(syn::Error::new_spanned(
            key,
            format!("`{name}` is given twice in #[generator]: remove one of them"),
        ));
        return true;
    }
    let send = match (name.as_str(), ty) {
        (_, None) => false,
        ("boxed", Some(Type::Path(path))) if path.qself.is_none() && path.path.is_ident("Send") => {
            true
        }
        (_, Some(ty)) => {
            let what = if name == "boxed" {
                "`boxed` or `boxed = Send`"
            } else {
                "`primed` alone"
            };
            errors.push(syn::Error::new_spanned(
                ty,
                format!("#[generator] takes {what} here"),
            ));
            return true;
        }
    };
    if name == "boxed" {
        args.boxed = Some(Boxed {
            key: key.clone(),
            send,
        });
    } else {
        args.primed = Some(key.span());
    }
    true
}

/// Whether `word` is one edit (a change, a missing or extra letter, or two
/// swapped letters) away from `known`.
fn is_typo_of(word: &str, known: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (word.chars().collect(), known.chars().collect());
    // One letter more in `long` than in `short`.
    let one_more = |long: &[char], short: &[char]| {
        (0..long.len()).any(|i| long[..i] == short[..i] && long[i + 1..] == short[i..])
    };
    if a.len() == b.len() {
        let diff: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
        match diff.as_slice() {
            [_] => true,
            [i, j] => *j == i + 1 && a[*i] == b[*j] && a[*j] == b[*i],
            _ => false,
        }
    } else if a.len() == b.len() + 1 {
        one_more(&a, &b)
    } else if b.len() == a.len() + 1 {
        one_more(&b, &a)
    } else {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::is_typo_of;

    #[test]
    fn typos() {
        assert!(is_typo_of("sned", "send"));
        assert!(is_typo_of("sent", "send"));
        assert!(is_typo_of("yeild", "yield"));
        assert!(is_typo_of("yiel", "yield"));
        assert!(is_typo_of("throws", "throw"));
        assert!(!is_typo_of("resume", "send"));
        assert!(!is_typo_of("return", "throw"));
    }
}
