//! What every part of the expansion needs to know of the generator: the
//! hidden names it introduces (`Hygiene`) and its declared types (`Types`,
//! and `Named` as its return type names them).

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use syn::Type;

/// The names the expansion introduces. They carry `Span::mixed_site()`, so
/// user code can neither see nor shadow them.
pub struct Hygiene {
    pub co: Ident,
    /// The marker of the generator's types that `yield_from!`'s dispatch
    /// gets (`Co::types`), made once, before the body's `async` block.
    pub types: Ident,
    pub body_fn: Ident,
    /// The generator, made before it is boxed or primed.
    pub made: Ident,
    pub value: Ident,
    pub delegate: Ident,
    pub probe: Ident,
    pub verdict: Ident,
    /// The closure every yielded value of an inline generator whose yield
    /// type is inferred goes through.
    pub yielded: Ident,
}

impl Hygiene {
    pub fn new() -> Self {
        let site = Span::mixed_site();
        Hygiene {
            co: Ident::new("__pygen_co", site),
            types: Ident::new("__pygen_types", site),
            body_fn: Ident::new("__pygen_body", site),
            made: Ident::new("__pygen_made", site),
            value: Ident::new("__pygen_value", site),
            delegate: Ident::new("__pygen_delegate", site),
            probe: Ident::new("__pygen_probe", site),
            verdict: Ident::new("__pygen_verdict", site),
            yielded: Ident::new("__pygen_yielded", site),
        }
    }
}

/// The generator's declared types, as the expansion of a yield needs them.
pub struct Types {
    /// `None` when the attribute did not give a usable yield type: every
    /// yield is then `absent` (an error has been reported).
    pub yield_ty: Option<Type>,
    /// Whether the yield type can be written in a `let` (no `impl Trait`),
    /// so that a yielded value is checked against it where it is written.
    pub ascribe_yield: bool,
    pub send_ty: TokenStream,
    pub throw_ty: TokenStream,
    /// Whether the generator declared a throw type: then a thrown error
    /// leaves the body as `Err(e.into())`; without one the error type has
    /// no values and the arm is `match e {}`.
    pub throws: bool,
    /// Set when a yield went through the inline generator's `yielded`
    /// closure (see `infers_yield`), which is then declared.
    pub yields_inferred: std::cell::Cell<bool>,
}

impl Types {
    /// The types the attribute declared (`send` defaults to `()`, `throw`
    /// to `NoThrow`).
    pub fn new(yield_ty: Option<Type>, send_ty: Option<Type>, throw_ty: Option<Type>) -> Self {
        let send_ty = send_ty.map_or_else(|| quote!(()), |ty| quote!(#ty));
        Types {
            ascribe_yield: yield_ty.as_ref().is_some_and(|ty| !mentions_impl_trait(ty)),
            yield_ty,
            send_ty,
            throws: throw_ty.is_some(),
            throw_ty: throw_ty.map_or_else(|| quote!(::pygen::NoThrow), |ty| quote!(#ty)),
            yields_inferred: std::cell::Cell::new(false),
        }
    }

    /// Whether the yield type is inferred (`_`: an inline generator without
    /// `yield =`).
    pub fn infers_yield(&self) -> bool {
        matches!(self.yield_ty, Some(Type::Infer(_)))
    }

    /// The yield type as the generator's type names it: `()` without a
    /// usable one (an error has been reported), every yield then neutral.
    pub fn yield_ty_or_unit(&self) -> TokenStream {
        self.yield_ty
            .as_ref()
            .map_or_else(|| quote!(()), |ty| quote!(#ty))
    }
}

/// The generator's types, as the return type names them.
pub struct Named<'a> {
    pub yield_ty: &'a TokenStream,
    pub return_ty: &'a Type,
    pub send_ty: &'a TokenStream,
    pub throw_ty: &'a TokenStream,
}

/// Whether `ty` contains `impl Trait`, which cannot be written in an
/// expression or a `let`.
pub fn mentions_impl_trait(ty: &Type) -> bool {
    struct Finder(bool);
    impl<'ast> syn::visit::Visit<'ast> for Finder {
        fn visit_type_impl_trait(&mut self, _: &'ast syn::TypeImplTrait) {
            self.0 = true;
        }
    }
    let mut finder = Finder(false);
    syn::visit::Visit::visit_type(&mut finder, ty);
    finder.0
}
