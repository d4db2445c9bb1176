//! The checks of a `yield_from!` argument that the probe (`probe.rs`)
//! selects: one trait each, whose `on_unimplemented` text is the error the
//! user reads at the argument.

// Hidden API, named only by the expansion of `yield_from!`: documented
// where it helps a reader, not item by item.
#![allow(missing_docs)]

use core::marker::PhantomData;

use crate::delegate::probe::Fine;

// --- the checks --------------------------------------------------------------
//
// Each is called as `Check::check(verdict.x())`, a call whose failure rustc
// reports with nothing but the `on_unimplemented` text. The impls that make
// the trait hold are `do_not_recommend`, so rustc does not list them.

/// The delegate yields what the delegating generator yields.
#[diagnostic::on_unimplemented(
    message = "`yield_from!` cannot delegate to something that yields `{Self}` from a generator that yields `{Y}`",
    label = "this yields `{Self}`, but the generator's `yield` type is `{Y}`",
    note = "every value the delegate yields is yielded by the delegating generator, so the types must be the same: change the `yield = …` of one of them, or adapt an iterator's items (`.map(…)`, or `.copied()` for references)"
)]
pub trait SameYield<Y> {
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn check(_: PhantomData<(Self, Y)>)
    where
        Self: Sized,
    {
    }
}

#[diagnostic::do_not_recommend]
impl<T> SameYield<T> for T {}

/// The delegate takes what the delegating generator is sent.
#[diagnostic::on_unimplemented(
    message = "`yield_from!` cannot delegate to a generator with send type `{Self}` from a generator with send type `{S}`",
    label = "this generator's `send` type is `{Self}`, the delegating generator's is `{S}`",
    note = "while it delegates, every value sent to the generator goes on to the delegate, so both need the same `send = …` (no `send` means `()`); to iterate over the other generator instead, write `for v in g {{ yield_!(v); }}`"
)]
pub trait SameSend<S> {
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn check(_: PhantomData<(Self, S)>)
    where
        Self: Sized,
    {
    }
}

#[diagnostic::do_not_recommend]
impl<T> SameSend<T> for T {}

/// The delegate can be thrown what the delegating generator is thrown.
#[diagnostic::on_unimplemented(
    message = "`yield_from!` cannot delegate to a generator with throw type `{Self}` from a generator with throw type `{E}`",
    label = "this generator's `throw` type is `{Self}`, the delegating generator's is `{E}`",
    note = "while it delegates, an error thrown into the generator is thrown into the delegate, so both need the same `throw = …` (no `throw` means `NoThrow`)"
)]
pub trait SameThrow<E> {
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn check(_: PhantomData<(Self, E)>)
    where
        Self: Sized,
    {
    }
}

#[diagnostic::do_not_recommend]
impl<T> SameThrow<T> for T {}

/// Resuming a delegate that is not a fresh generator sends it the default
/// value.
#[diagnostic::on_unimplemented(
    message = "`yield_from!` of an already created generator needs a send type with a default value: `{Self}` does not implement `Default`",
    label = "`yield_from!` resumes this generator with `next()`, which sends `{Self}::default()`",
    note = "delegate to a fresh generator instead (`yield_from!(make_generator())` runs it flat and needs no default), or implement `Default` for the send type"
)]
pub trait ResumedWithNext {
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn check(_: PhantomData<Self>)
    where
        Self: Sized,
    {
    }
}

#[diagnostic::do_not_recommend]
impl<T: Default> ResumedWithNext for T {}

/// A generator delegated to in place must not move.
#[diagnostic::on_unimplemented(
    message = "`yield_from!` cannot delegate to `{Self}` by value: it is not `Unpin`",
    label = "this generator must stay where it is while it runs",
    note = "pin it first: `yield_from!(Box::pin(g))`, or `let mut g = core::pin::pin!(g);` then `yield_from!(g.as_mut())`"
)]
pub trait MovableDelegate {
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn check(_: PhantomData<Self>)
    where
        Self: Sized,
    {
    }
}

#[diagnostic::do_not_recommend]
impl<T: Unpin> MovableDelegate for T {}

/// An async generator is delegated to from an async generator only.
#[diagnostic::on_unimplemented(
    message = "`yield_from!` cannot delegate to an async generator from a synchronous generator",
    label = "this is an async generator (`{Self}`)",
    note = "make the delegating generator async too: `#[generator(yield = …)] async fn …`, or \
            `generate!(async || ..)` inline"
)]
pub trait SyncDelegate {
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn check(_: PhantomData<Self>)
    where
        Self: Sized,
    {
    }
}

#[diagnostic::do_not_recommend]
impl SyncDelegate for Fine {}

/// The delegate is something `yield_from!` accepts at all.
#[diagnostic::on_unimplemented(
    message = "`yield_from!` cannot delegate to `{Self}`: it is not a generator or an iterator",
    label = "expected a generator or an `IntoIterator` of the yielded type",
    note = "`yield_from!` accepts a generator of this crate with the same yield, send and throw types (or `&mut` to one), any `pygen::Generator` with those types, any `IntoIterator` of the yield type and, in an async generator, any `Stream` of it"
)]
pub trait Delegable {
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn check(_: PhantomData<Self>)
    where
        Self: Sized,
    {
    }
}

#[diagnostic::do_not_recommend]
impl Delegable for Fine {}
