//! Turning a validated generator function into one that returns a `Gen`.

pub mod yield_rewrite;

use proc_macro2::TokenStream;
use quote::quote;
use syn::visit_mut::VisitMut;
use syn::{ItemFn, ReturnType, Type};

use crate::args::GeneratorArgs;
use yield_rewrite::{Hygiene, YieldRewrite};

/// The function with its body moved into an `async` block that yields
/// through the channel handle, and its return type replaced by the
/// generator type.
pub fn expand(args: GeneratorArgs, mut function: ItemFn) -> TokenStream {
    let names = Hygiene::new();
    let return_ty: Type = match &function.sig.output {
        ReturnType::Default => syn::parse_quote!(()),
        ReturnType::Type(_, ty) => (**ty).clone(),
    };
    YieldRewrite {
        names: &names,
        throws: args.throw_ty.is_some(),
        return_ty: (!mentions_impl_trait(&return_ty)).then(|| quote!(#return_ty)),
    }
    .visit_block_mut(&mut function.block);

    let yield_ty = &args.yield_ty;
    let send_ty = args.send_ty.map_or_else(|| quote!(()), |ty| quote!(#ty));
    let throw_ty = args
        .throw_ty
        .map_or_else(|| quote!(::pygen::NoThrow), |ty| quote!(#ty));
    function.sig.output = syn::parse_quote! {
        -> ::pygen::Gen<
            impl ::core::future::Future<Output = #return_ty>,
            #yield_ty,
            #send_ty,
            #throw_ty,
        >
    };
    let co = &names.co;
    let stmts = &function.block.stmts;
    let body = quote! {
        {
            ::pygen::Gen::<_, #yield_ty, #send_ty, #throw_ty>::from_body(
                move |#co: ::pygen::__private::Co<#yield_ty, #send_ty, #throw_ty>| async move {
                    #(#stmts)*
                },
            )
        }
    };
    *function.block = syn::parse2(body).expect("the generator body is a block");
    quote!(#function)
}

/// Whether `ty` contains `impl Trait`, which cannot be written in an
/// expression.
fn mentions_impl_trait(ty: &Type) -> bool {
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
