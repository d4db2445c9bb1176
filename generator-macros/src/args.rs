//! Parsing the attribute's arguments: `yield = Y, send = S, throw = E`.

use proc_macro2::{Span, TokenStream};
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Ident, Token, Type};

/// The declared types of a generator.
pub struct GeneratorArgs {
    pub yield_ty: Type,
    pub send_ty: Option<Type>,
    pub throw_ty: Option<Type>,
}

/// One `key = Type` pair, with `yield` accepted as a key.
struct Arg {
    key: Ident,
    ty: Type,
}

impl Parse for Arg {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let key = Ident::parse_any(input)?;
        input.parse::<Token![=]>()?;
        let ty = input.parse()?;
        Ok(Arg { key, ty })
    }
}

const KEYS: &str = "`yield = Type`, `send = Type` and `throw = Type`";

/// Parses the arguments, collecting every misuse (unknown key, duplicate
/// key, missing `yield`) into one combined error.
pub fn parse(args: TokenStream) -> syn::Result<GeneratorArgs> {
    let pairs = Punctuated::<Arg, Token![,]>::parse_terminated
        .parse2(args)
        .map_err(|err| {
            syn::Error::new(
                err.span(),
                format!("{err}; #[generator] takes {KEYS}, e.g. #[generator(yield = u32)]"),
            )
        })?;
    let mut errors: Option<syn::Error> = None;
    let mut push = |err: syn::Error| match &mut errors {
        Some(all) => all.combine(err),
        None => errors = Some(err),
    };
    let (mut yield_ty, mut send_ty, mut throw_ty) = (None, None, None);
    for Arg { key, ty } in pairs {
        let slot = match key.to_string().as_str() {
            "yield" => &mut yield_ty,
            "send" => &mut send_ty,
            "throw" => &mut throw_ty,
            other => {
                push(syn::Error::new_spanned(
                    &key,
                    format!("unknown #[generator] argument `{other}`: expected {KEYS}"),
                ));
                continue;
            }
        };
        if slot.is_some() {
            push(syn::Error::new_spanned(
                &key,
                format!("`{key}` is given twice in #[generator]"),
            ));
        }
        *slot = Some(ty);
    }
    if yield_ty.is_none() {
        push(syn::Error::new(
            Span::call_site(),
            "#[generator] needs the yield type: write #[generator(yield = Type)]",
        ));
    }
    match (errors, yield_ty) {
        (Some(err), _) => Err(err),
        (None, Some(yield_ty)) => Ok(GeneratorArgs {
            yield_ty,
            send_ty,
            throw_ty,
        }),
        (None, None) => unreachable!("a missing yield type is an error"),
    }
}
