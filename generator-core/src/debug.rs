//! `Debug` for the generator handles: what a user needs to see in a log or
//! an assertion — which handle, its state, and the types of its protocol —
//! and never its body, whose future has no useful `Debug` (and whose
//! captured values may have none at all).

use core::any::type_name;
use core::fmt;
use core::future::Future;

use crate::protocol::state::GenState;
use crate::{AsyncGen, Body, Gen, PinnedAsyncGen, PinnedGen};

/// Writes `Name { state, yield, send, throw, return, .. }`.
fn generator<Y, S, E, R>(f: &mut fmt::Formatter<'_>, name: &str, state: GenState) -> fmt::Result {
    f.debug_struct(name)
        .field("state", &state)
        .field("yield", &TypeName(type_name::<Y>()))
        .field("send", &TypeName(type_name::<S>()))
        .field("throw", &TypeName(type_name::<E>()))
        .field("return", &TypeName(type_name::<R>()))
        .finish_non_exhaustive()
}

/// A type's name as a user writes it: `Vec<String>`, not
/// `alloc::vec::Vec<alloc::string::String>` (every path segment followed
/// by `::` is left out).
struct TypeName(&'static str);

impl fmt::Debug for TypeName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        while !rest.is_empty() {
            let word = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            let (ident, after) = rest.split_at(word);
            match after.strip_prefix("::") {
                Some(after) if !ident.is_empty() => rest = after,
                _ if ident.is_empty() => {
                    let next = after.chars().next().map_or(0, char::len_utf8);
                    f.write_str(&after[..next])?;
                    rest = &after[next..];
                }
                _ => {
                    f.write_str(ident)?;
                    rest = after;
                }
            }
        }
        Ok(())
    }
}

impl<F: Body, Y, S, E> fmt::Debug for Gen<F, Y, S, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        generator::<Y, S, E, F::Output>(f, "Gen", self.state())
    }
}

impl<F: Body, Y, S, E> fmt::Debug for PinnedGen<F, Y, S, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        generator::<Y, S, E, F::Output>(f, "PinnedGen", self.state())
    }
}

impl<F: Body, Y, S, E> fmt::Debug for AsyncGen<F, Y, S, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        generator::<Y, S, E, F::Output>(f, "AsyncGen", self.state())
    }
}

impl<F: Body, Y, S, E> fmt::Debug for PinnedAsyncGen<F, Y, S, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        generator::<Y, S, E, F::Output>(f, "PinnedAsyncGen", self.state())
    }
}

impl<F: Body, Y, S, E> fmt::Debug for crate::handle::pinned::Iter<'_, F, Y, S, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Iter").finish_non_exhaustive()
    }
}

/// `Debug` for the hidden types the expansion names (the handle a body
/// yields through, its futures, the delegations): their name only, since
/// what they hold is a body, a delegate or a marker of types.
macro_rules! name_only {
    ($($name:literal [$($generics:tt)*] $ty:ty;)*) => {$(
        impl<$($generics)*> fmt::Debug for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct($name).finish_non_exhaustive()
            }
        }
    )*};
}

name_only! {
    "Co" [Y, S, E] crate::body::co::Co<Y, S, E>;
    "Yield" [Y, S, E] crate::body::co::Yield<Y, S, E>;
    "YieldCatch" [Y, S, E] crate::body::co::YieldCatch<Y, S, E>;
    "Abandon" [Y, S, E] crate::body::co::Abandon<Y, S, E>;
    "BodyOf" [F, const C: bool] crate::body::plain::BodyOf<F, C>;
    "DelegateWrap" [G, Y, S, E, K] crate::delegate::dispatch::DelegateWrap<G, Y, S, E, K>;
    "Rejected" [R, Y, S, E] crate::delegate::rejected::Rejected<R, Y, S, E>;
    "Flat" [F: Future, Y, S, E] crate::delegate::flat::Flat<F, Y, S, E>;
    "GeneratorLoop" [G, Y, S, E, P] crate::delegate::generator_loop::GeneratorLoop<G, Y, S, E, P>;
    "StreamLoop" [St, Y, S, E] crate::delegate::stream_loop::StreamLoop<St, Y, S, E>;
    "IterLoop" [I, Y, S, E] crate::delegate::iter_loop::IterLoop<I, Y, S, E>;
    "DelegatingBody" [F, Y, S, E] crate::body::delegating::DelegatingBody<F, Y, S, E>;
}

#[cfg(all(test, feature = "alloc"))]
mod tests {
    use super::TypeName;
    use alloc::format;

    #[test]
    fn type_names_drop_their_paths() {
        for (full, short) in [
            ("u64", "u64"),
            ("alloc::vec::Vec<alloc::string::String>", "Vec<String>"),
            (
                "(u8, core::option::Option<&'static str>)",
                "(u8, Option<&'static str>)",
            ),
            ("dyn core::ops::function::Fn(u8) -> u8", "dyn Fn(u8) -> u8"),
            ("[pygen_core::state::NoThrow; 2]", "[NoThrow; 2]"),
        ] {
            assert_eq!(format!("{:?}", TypeName(full)), short);
        }
    }
}
