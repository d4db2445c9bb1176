//! Compile-time checks of a `yield_from!` argument: the probe. Not a public
//! API; the facade re-exports this module and `checks.rs` as
//! `pygen::__checks`, the path the expansion names.
//!
//! `yield_from!(g)` picks how to delegate by autoref specialization (see
//! `dispatch.rs`, next to this file): when no way fits, rustc would only say
//! that "the method `__pygen_delegate` exists but its trait bounds were not
//! satisfied", and a generator whose send type differs but which happens to
//! be an `Iterator` would silently be delegated to as a plain iterator.
//!
//! So the expansion first *probes* the argument with the same specialization
//! (`(&&&&&&&&&&Probe::new(g, types)).__pygen_check()`), the same rules as the
//! delegation (each level's bound is the delegation trait itself), and gets a
//! `Verdict`: which checks apply, and what to delegate to. The checks are
//! trait-method calls (`SameYield::check(verdict.yields())`): a failing one is
//! an `E0277` carrying this module's `on_unimplemented` message, at the
//! user's argument. A failing verdict hands the delegation an empty
//! generator of the right types, so nothing else is reported.
//!
//! The probe, from the first level tried to the last:
//!
//! | level | the argument is | verdict |
//! |---|---|---|
//! | 10 | a fresh generator of this crate with the same types (flat) | fine |
//! | 9 | a `Generator` with the same types, `Unpin`, send type `Default` | fine |
//! | 8 | a generator (fresh, or `&mut`) that takes nothing: `send = ()`, no throw type | fine |
//! | 7 | a `Generator` with the same types otherwise | needs `Default` send type / `Unpin` |
//! | 6 | a `Generator` with other types | yield, send and throw types must match |
//! | 5 | an `AsyncGen` with other types, or in a sync generator | types must match / needs an async generator |
//! | 4 | a `Stream` of the yield type (async generators) | fine |
//! | 3 | an `IntoIterator` of the yield type | fine |
//! | 2 | an `IntoIterator` of another item type | item type must match |
//! | 1 | anything else | cannot delegate |

// Hidden API, named only by the expansion of `yield_from!`: documented
// where it helps a reader, not item by item.
#![allow(missing_docs)]

use core::marker::PhantomData;

use crate::body::raise::Absurd;
use crate::delegate::dispatch::{
    AsyncBody, DelegateWrap, SyncBody, ViaFlat, ViaGenerator, ViaIterator, ViaStream,
    ViaTakesNothing,
};
use crate::delegate::rejected::Rejected;
use crate::protocol::generator::Generator;
use crate::util::types::Types as CoTypes;

/// Invariant in all four, and `Send + Sync` whatever they are.
type Types<Y, S, E, K> = PhantomData<fn(Y, S, E, K) -> (Y, S, E, K)>;

/// The argument of one `yield_from!`, typed by the delegating generator.
#[derive(Debug)]
pub struct Probe<G, Y, S, E, K> {
    delegate: G,
    types: Types<Y, S, E, K>,
}

impl<G, Y, S, E> Probe<G, Y, S, E, SyncBody> {
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn new(delegate: G, _types: CoTypes<Y, S, E>) -> Self {
        Probe {
            delegate,
            types: PhantomData,
        }
    }
}

impl<G, Y, S, E> Probe<G, Y, S, E, AsyncBody> {
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn new_async(delegate: G, _types: CoTypes<Y, S, E>) -> Self {
        Probe {
            delegate,
            types: PhantomData,
        }
    }
}

/// Stands for a check that does not apply; every check accepts it.
#[derive(Debug, Default)]
pub struct Fine;

/// Delegate to the argument itself.
#[derive(Debug)]
pub struct Keep;

/// Delegate to an empty generator instead: the argument was rejected.
#[derive(Debug)]
pub struct Replace;

/// What the probe found. `D` is [`Keep`] or [`Replace`]; `C` holds, in
/// order, what each check compares: the yield types, the send types, the
/// throw types, the send type resumed with `next()`, the delegate that must
/// be `Unpin`, the async generator that a sync one cannot delegate to, and
/// the delegate of no known kind.
#[derive(Debug)]
pub struct Verdict<D, C> {
    marker: PhantomData<fn() -> (D, C)>,
}

type FineVerdict<D> = Verdict<D, (Both, Both, Both, Fine, Fine, Fine, Fine)>;

/// The pair that every check accepts.
type Both = (Fine, Fine);

impl<D, C> Verdict<D, C> {
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn new() -> Self {
        Verdict {
            marker: PhantomData,
        }
    }
}

impl<D, Yi, Se, Th, Ne, Pi, Fl, Ki> Verdict<D, (Yi, Se, Th, Ne, Pi, Fl, Ki)> {
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn yields(&self) -> PhantomData<Yi> {
        PhantomData
    }
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn sends(&self) -> PhantomData<Se> {
        PhantomData
    }
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn throws(&self) -> PhantomData<Th> {
        PhantomData
    }
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn next(&self) -> PhantomData<Ne> {
        PhantomData
    }
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn pinning(&self) -> PhantomData<Pi> {
        PhantomData
    }
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn flavor(&self) -> PhantomData<Fl> {
        PhantomData
    }
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn kind(&self) -> PhantomData<Ki> {
        PhantomData
    }
}

impl<C> Verdict<Keep, C> {
    /// What to delegate to: the argument.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn delegate<G, Y, S, E, K>(self, probe: Probe<G, Y, S, E, K>) -> G {
        probe.delegate
    }
}

impl<C> Verdict<Replace, C> {
    /// What to delegate to: a generator that never runs, of the delegating
    /// generator's types, whose return type is whatever the `yield_from!`
    /// is expected to evaluate to; one of the checks has failed.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn delegate<G, Y, S, E, K, R>(self, _: Probe<G, Y, S, E, K>) -> Rejected<R, Y, S, E> {
        Rejected::new()
    }
}

/// Stands for a yield that could not be expanded, after its error was
/// reported: a value of any type, never produced.
#[cfg_attr(not(debug_assertions), inline(always))]
pub fn absent<T>() -> T {
    unreachable!("pygen: a rejected yield ran")
}

/// The error arm of a yield in a generator without a throw type, which
/// cannot run: `raised` has no value. Returns the type of the other arm, so
/// that the user's code has no expression of an uninhabited type (Rust
/// before 1.86 warns about one as unreachable code).
#[cfg_attr(not(debug_assertions), inline(always))]
#[allow(unreachable_code)]
pub fn absurd<T, V: Absurd>(raised: V) -> T {
    match raised.absurd() {}
}

/// What a plain yield of a generator that takes no thrown errors evaluates
/// to: the sent value, its result's error being uninhabited. One call in
/// the expansion instead of a `match` with an arm per yield.
#[cfg_attr(not(debug_assertions), inline(always))]
pub fn sent<S, V: Absurd>(result: Result<S, V>) -> S {
    match result {
        Ok(sent) => sent,
        Err(raised) => absurd(raised),
    }
}

// --- the probe's levels ------------------------------------------------------

/// A verdict of a rejected argument: the delegate is replaced, and the
/// checks compare the yield, send and throw types given (each a pair, the
/// delegate's first), the next-resumed send type, the delegate that must be
/// `Unpin`, the async generator a sync one cannot delegate to, and the
/// delegate of no known kind; [`Fine`] where a check does not apply.
type Rejects<Yi, Se, Th, Ne = Fine, Pi = Fine, Fl = Fine, Ki = Fine> =
    Verdict<Replace, (Yi, Se, Th, Ne, Pi, Fl, Ki)>;

/// One level of the probe: a trait of its own (autoref specialization tries
/// the levels' traits in turn, from the most references down) and the
/// impls that give the level's verdict. Each level is one line of the
/// table at the top of this file.
macro_rules! level {
    (
        $(#[$doc:meta])*
        pub trait $name:ident;
        $(
            $(#[$attr:meta])*
            impl[$($generics:tt)*] for $receiver:ty
            $(where [$($bounds:tt)*])?
            => $verdict:ty;
        )+
    ) => {
        $(#[$doc])*
        pub trait $name {
            type Verdict;
            fn __pygen_check(self) -> Self::Verdict;
        }

        $(
            $(#[$attr])*
            impl<$($generics)*> $name for $receiver
            $(where $($bounds)*)?
            {
                type Verdict = $verdict;
                #[cfg_attr(not(debug_assertions), inline(always))]
                fn __pygen_check(self) -> Self::Verdict {
                    Verdict::new()
                }
            }
        )+
    };
}

level! {
    /// Level 10: flat delegation applies.
    pub trait CheckFlat;
    impl['a, G, Y, S, E, K] for &'a &'a &'a &'a &'a &'a &'a &'a &'a &'a Probe<G, Y, S, E, K>
    where [&'a &'a &'a &'a &'a DelegateWrap<G, Y, S, E, K>: ViaFlat]
    => FineVerdict<Keep>;
}

level! {
    /// Level 9: delegation to a [`Generator`] applies.
    pub trait CheckGenerator;
    impl['a, G, Y, S, E, K] for &'a &'a &'a &'a &'a &'a &'a &'a &'a Probe<G, Y, S, E, K>
    where [&'a &'a &'a &'a DelegateWrap<G, Y, S, E, K>: ViaGenerator]
    => FineVerdict<Keep>;
}

level! {
    /// Level 8: delegation to a generator that takes nothing applies.
    pub trait CheckTakesNothing;
    impl['a, G, Y, S, E, K] for &'a &'a &'a &'a &'a &'a &'a &'a Probe<G, Y, S, E, K>
    where [&'a &'a &'a DelegateWrap<G, Y, S, E, K>: ViaTakesNothing]
    => FineVerdict<Keep>;
}

level! {
    /// Level 7: a [`Generator`] of the same types that cannot be resumed
    /// from here (its send type has no `Default`, or it is not `Unpin`).
    pub trait CheckResumable;
    impl[G, Y, S, E, K] for &&&&&&&Probe<G, Y, S, E, K>
    where [G: Generator<Yield = Y, Send = S, Throw = E>]
    => Rejects<Both, Both, Both, S, G>;
}

level! {
    /// Level 6: a [`Generator`] of other types.
    pub trait CheckGeneratorTypes;
    impl[G, Y, S, E, K] for &&&&&&Probe<G, Y, S, E, K>
    where [G: Generator]
    => Rejects<(G::Yield, Y), (G::Send, S), (G::Throw, E)>;
}

level! {
    /// Level 5: an async generator of this crate that cannot be delegated
    /// to flat: of other types, or from a synchronous generator.
    pub trait CheckAsyncGen;
    #[cfg(feature = "alloc")]
    impl[F, Y2, S2, E2, Y, S, E] for &&&&&Probe<crate::AsyncGen<F, Y2, S2, E2>, Y, S, E, AsyncBody>
    where [F: crate::Body]
    => Rejects<(Y2, Y), (S2, S), (E2, E)>;
    #[cfg(feature = "alloc")]
    impl[F, Y2, S2, E2, Y, S, E] for &&&&&Probe<crate::AsyncGen<F, Y2, S2, E2>, Y, S, E, SyncBody>
    where [F: crate::Body]
    => Rejects<Both, Both, Both, Fine, Fine, crate::AsyncGen<F, Y2, S2, E2>>;
}

level! {
    /// Level 4: delegation to a stream applies (async generators).
    pub trait CheckStream;
    impl['a, G, Y, S, E, K] for &'a &'a &'a &'a Probe<G, Y, S, E, K>
    where [&'a &'a DelegateWrap<G, Y, S, E, K>: ViaStream]
    => FineVerdict<Keep>;
}

level! {
    /// Level 3: delegation to an iterator applies.
    pub trait CheckIterator;
    impl['a, G, Y, S, E, K] for &'a &'a &'a Probe<G, Y, S, E, K>
    where [&'a DelegateWrap<G, Y, S, E, K>: ViaIterator]
    => FineVerdict<Keep>;
}

level! {
    /// Level 2: an iterator of another item type.
    pub trait CheckIteratorItem;
    impl[G, Y, S, E, K] for &&Probe<G, Y, S, E, K>
    where [G: IntoIterator]
    => Rejects<(G::Item, Y), Both, Both>;
}

level! {
    /// Level 1: anything else.
    pub trait CheckAnything;
    impl[G, Y, S, E, K] for &Probe<G, Y, S, E, K>
    => Rejects<Both, Both, Both, Fine, Fine, Fine, G>;
}
