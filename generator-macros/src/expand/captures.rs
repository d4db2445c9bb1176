//! What an unboxed generator's return type says it borrows: `+
//! ::pygen::Captures<&'a ()>` naming the lifetime its arguments borrow for,
//! `Captures<(&'a (), &'b (),)>` when they are several.
//!
//! The generator holds every argument until it finishes, so its opaque body
//! type captures each of those lifetimes anyway. Saying so changes nothing
//! that compiles; it changes the error a caller gets when it changes a
//! value the generator still borrows. Left implicit, rustc (2024 capture
//! rules) adds that the call "may capture more lifetimes than intended" and
//! suggests a `+ use<..>` at the attribute, which cannot apply; named, the
//! error is the borrow alone (`tests/ui/borrowed_argument_held.rs`).
//!
//! Named lifetimes are named as written. An elided one in an argument's
//! type (`&T`, `'_`) gets a name after its argument (`n: &u32` becomes
//! `n: &'n_ u32`, declared on the function). A `&self` receiver is left as
//! it is and named `'_`, which is its lifetime wherever elision applies.
//! When the generator's own types elide a lifetime (`yield = &str`),
//! nothing is renamed: elision already resolves it to the one input
//! lifetime (or the receiver's), and so resolves `'_` the same way, while
//! naming the input would leave the elided output "named elsewhere"
//! (rustc's `mismatched_lifetime_syntaxes`).
//!
//! Lifetimes of a higher-ranked type (`fn(&T)`, `Fn(&T)`, `for<'x> ..`)
//! belong to it and are left alone. What the expansion cannot see it
//! cannot name: a lifetime hidden in a path (`Foo` for `Foo<'_>`) keeps
//! rustc's note, and one hidden in the generator's own types (`yield =
//! Cow<str>`) is not known to elide, so the arguments' are named and rustc
//! warns that the output elides a named lifetime (as it warns without
//! pygen when an input is named); a lifetime of the enclosing impl or trait
//! named like a new one (`impl<'n_>`) clashes with it. Write `Cow<'_,
//! str>`; the `_` suffix keeps the clash unlikely.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::visit_mut::{self, VisitMut};
use syn::{FnArg, GenericParam, Lifetime, Pat, Signature};

/// Names the elided lifetimes of `sig`'s arguments and returns the bounds
/// that mention every lifetime they borrow for (empty when none).
/// `outputs` are the generator's types, as its return type names them.
pub fn captures(sig: &mut Signature, outputs: &[&TokenStream]) -> TokenStream {
    let rename = !outputs.iter().any(|ty| elides(ty));
    let mut naming = Naming::new(declared_lifetimes(sig), rename);
    let receiver_elided = naming.scan(sig);
    for fresh in naming.fresh.iter().rev() {
        sig.generics.params.insert(0, syn::parse_quote!(#fresh));
    }
    let mut lifetimes = naming.mentioned;
    lifetimes.extend(naming.fresh);
    if receiver_elided || naming.elided > 0 {
        lifetimes.push(Lifetime::new("'_", Span::call_site()));
    }
    // One bound (see `Captures`: two that differ only in their lifetimes
    // fail in a trait's provided method).
    match lifetimes.as_slice() {
        [] => TokenStream::new(),
        [one] => quote!(+ ::pygen::Captures<&#one ()>),
        _ => quote!(+ ::pygen::Captures<(#(&#lifetimes (),)*)>),
    }
}

/// What the arguments of `sig` borrow for, as written: how many lifetimes
/// they elide (a `&self` receiver's among them) and the named ones, each
/// once. For `#[generator(boxed)]`'s lifetime (boxed.rs).
pub fn borrowed(sig: &Signature) -> (usize, Vec<Lifetime>) {
    let mut naming = Naming::new(Vec::new(), false);
    let receiver_elided = naming.scan(&mut sig.clone());
    (
        naming.elided + usize::from(receiver_elided),
        naming.mentioned,
    )
}

/// Whether `ty` elides a lifetime that elision resolves from the
/// arguments (a type that does not parse is taken to).
fn elides(ty: &TokenStream) -> bool {
    let Ok(mut ty) = syn::parse2::<syn::Type>(ty.clone()) else {
        return true;
    };
    let mut naming = Naming::new(Vec::new(), false);
    naming.visit_type_mut(&mut ty);
    naming.elided > 0
}

/// The lifetimes the function declares, which a new name must not repeat.
fn declared_lifetimes(sig: &Signature) -> Vec<String> {
    sig.generics
        .params
        .iter()
        .filter_map(|param| match param {
            GenericParam::Lifetime(def) => Some(def.lifetime.ident.to_string()),
            _ => None,
        })
        .collect()
}

/// What a lifetime elided in an argument is named after: the argument's
/// name, or its position when its pattern is not a plain name.
fn base_name(pat: &Pat, index: usize) -> String {
    match pat {
        // A raw identifier (`r#type`) may be a keyword, which a lifetime
        // cannot be named.
        Pat::Ident(ident) if !ident.ident.to_string().starts_with("r#") => {
            match ident.ident.to_string().trim_start_matches('_') {
                "" => format!("arg{index}_"),
                name => format!("{name}_"),
            }
        }
        _ => format!("arg{index}_"),
    }
}

/// The pass over one argument's type: names elided lifetimes, and notes
/// every lifetime it mentions.
struct Naming {
    /// Every name given or declared so far.
    taken: Vec<String>,
    /// What the current argument's new lifetimes are named after.
    base: String,
    /// Whether elided lifetimes are named (else only counted in `elided`).
    rename: bool,
    /// How many elided lifetimes were left elided.
    elided: usize,
    /// The lifetimes this pass named, in order.
    fresh: Vec<Lifetime>,
    /// The named lifetimes the arguments mention, each once.
    mentioned: Vec<Lifetime>,
}

impl Naming {
    fn new(taken: Vec<String>, rename: bool) -> Self {
        Naming {
            taken,
            base: String::new(),
            rename,
            elided: 0,
            fresh: Vec::new(),
            mentioned: Vec::new(),
        }
    }

    /// Passes over every argument's type; returns whether the receiver is
    /// a `&self` whose lifetime is elided (left as it is: see the module's
    /// documentation).
    fn scan(&mut self, sig: &mut Signature) -> bool {
        let mut receiver_elided = false;
        for (index, input) in sig.inputs.iter_mut().enumerate() {
            match input {
                FnArg::Receiver(receiver) => match &mut receiver.reference {
                    Some((_, None)) => receiver_elided = true,
                    Some((_, Some(lifetime))) if lifetime.ident == "_" => receiver_elided = true,
                    Some((_, Some(lifetime))) => self.mention(lifetime.clone()),
                    None => {
                        self.base = "self_".to_owned();
                        self.visit_type_mut(&mut receiver.ty);
                    }
                },
                FnArg::Typed(typed) => {
                    self.base = base_name(&typed.pat, index);
                    self.visit_type_mut(&mut typed.ty);
                }
            }
        }
        receiver_elided
    }

    /// A new lifetime for the current argument: `'n_`, then `'n_2`, ...
    fn name(&mut self) -> Lifetime {
        let mut name = self.base.clone();
        let mut count = 1;
        while self.taken.contains(&name) {
            count += 1;
            name = format!("{}{count}", self.base);
        }
        self.taken.push(name.clone());
        let lifetime = Lifetime::new(&format!("'{name}"), Span::call_site());
        self.fresh.push(lifetime.clone());
        lifetime
    }

    fn mention(&mut self, lifetime: Lifetime) {
        let name = lifetime.ident.to_string();
        if name != "static" && !self.mentioned.iter().any(|l| l.ident == name) {
            self.taken.push(name);
            self.mentioned.push(lifetime);
        }
    }
}

impl VisitMut for Naming {
    fn visit_type_reference_mut(&mut self, reference: &mut syn::TypeReference) {
        match &mut reference.lifetime {
            Some(lifetime) => self.visit_lifetime_mut(lifetime),
            None if self.rename => reference.lifetime = Some(self.name()),
            None => self.elided += 1,
        }
        self.visit_type_mut(&mut reference.elem);
    }

    fn visit_lifetime_mut(&mut self, lifetime: &mut Lifetime) {
        if lifetime.ident != "_" {
            self.mention(lifetime.clone());
        } else if self.rename {
            *lifetime = self.name();
        } else {
            self.elided += 1;
        }
    }

    // Higher-ranked: the lifetimes written or elided in these are theirs.
    fn visit_type_bare_fn_mut(&mut self, _: &mut syn::TypeBareFn) {}

    fn visit_parenthesized_generic_arguments_mut(
        &mut self,
        _: &mut syn::ParenthesizedGenericArguments,
    ) {
    }

    fn visit_trait_bound_mut(&mut self, bound: &mut syn::TraitBound) {
        if bound.lifetimes.is_none() {
            visit_mut::visit_trait_bound_mut(self, bound);
        }
    }

    // A macro's tokens are not a type yet.
    fn visit_type_macro_mut(&mut self, _: &mut syn::TypeMacro) {}
}
