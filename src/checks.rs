//! Compile-time checks of a `yield_from!` argument. Not a public API.
//!
//! `yield_from!(g)` picks how to delegate by autoref specialization (see
//! generator-core's `delegate.rs`): when no way fits, rustc would only say
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

use core::marker::PhantomData;

use generator_core::__private::Types as CoTypes;
use generator_core::__private::{
    Absurd, AsyncBody, DelegateWrap, Rejected, SyncBody, ViaFlat, ViaGenerator, ViaIterator,
    ViaStream, ViaTakesNothing,
};
use generator_core::Generator;

/// Invariant in all four, and `Send + Sync` whatever they are.
type Types<Y, S, E, K> = PhantomData<fn(Y, S, E, K) -> (Y, S, E, K)>;

/// The argument of one `yield_from!`, typed by the delegating generator.
#[derive(Debug)]
pub struct Probe<G, Y, S, E, K> {
    delegate: G,
    types: Types<Y, S, E, K>,
}

impl<G, Y, S, E> Probe<G, Y, S, E, SyncBody> {
    #[inline(always)]
    pub fn new(delegate: G, _types: CoTypes<Y, S, E>) -> Self {
        Probe {
            delegate,
            types: PhantomData,
        }
    }
}

impl<G, Y, S, E> Probe<G, Y, S, E, AsyncBody> {
    #[inline(always)]
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

type FineVerdict<D> = Verdict<
    D,
    (
        (Fine, Fine),
        (Fine, Fine),
        (Fine, Fine),
        Fine,
        Fine,
        Fine,
        Fine,
    ),
>;

impl<D, C> Verdict<D, C> {
    #[inline(always)]
    fn new() -> Self {
        Verdict {
            marker: PhantomData,
        }
    }
}

impl<D, Yi, Se, Th, Ne, Pi, Fl, Ki> Verdict<D, (Yi, Se, Th, Ne, Pi, Fl, Ki)> {
    #[inline(always)]
    pub fn yields(&self) -> PhantomData<Yi> {
        PhantomData
    }
    #[inline(always)]
    pub fn sends(&self) -> PhantomData<Se> {
        PhantomData
    }
    #[inline(always)]
    pub fn throws(&self) -> PhantomData<Th> {
        PhantomData
    }
    #[inline(always)]
    pub fn next(&self) -> PhantomData<Ne> {
        PhantomData
    }
    #[inline(always)]
    pub fn pinning(&self) -> PhantomData<Pi> {
        PhantomData
    }
    #[inline(always)]
    pub fn flavor(&self) -> PhantomData<Fl> {
        PhantomData
    }
    #[inline(always)]
    pub fn kind(&self) -> PhantomData<Ki> {
        PhantomData
    }
}

impl<C> Verdict<Keep, C> {
    /// What to delegate to: the argument.
    #[inline(always)]
    pub fn delegate<G, Y, S, E, K>(self, probe: Probe<G, Y, S, E, K>) -> G {
        probe.delegate
    }
}

impl<C> Verdict<Replace, C> {
    /// What to delegate to: a generator that never runs, of the delegating
    /// generator's types, whose return type is whatever the `yield_from!`
    /// is expected to evaluate to; one of the checks has failed.
    #[inline(always)]
    pub fn delegate<G, Y, S, E, K, R>(self, _: Probe<G, Y, S, E, K>) -> Rejected<R, Y, S, E> {
        Rejected::new()
    }
}

/// Stands for a yield that could not be expanded, after its error was
/// reported: a value of any type, never produced.
#[inline(always)]
pub fn absent<T>() -> T {
    unreachable!("pygen: a rejected yield ran")
}

/// The error arm of a yield in a generator without a throw type, which
/// cannot run: `raised` has no value. Returns the type of the other arm, so
/// that the user's code has no expression of an uninhabited type (Rust
/// before 1.86 warns about one as unreachable code).
#[inline(always)]
#[allow(unreachable_code)]
pub fn absurd<T, V: Absurd>(raised: V) -> T {
    match raised.absurd() {}
}

// --- the probe's levels ------------------------------------------------------

/// Level 10: flat delegation applies.
pub trait CheckFlat {
    type Verdict;
    fn __pygen_check(self) -> Self::Verdict;
}

impl<'a, G, Y, S, E, K> CheckFlat for &'a &'a &'a &'a &'a &'a &'a &'a &'a &'a Probe<G, Y, S, E, K>
where
    &'a &'a &'a &'a &'a DelegateWrap<G, Y, S, E, K>: ViaFlat,
{
    type Verdict = FineVerdict<Keep>;
    #[inline(always)]
    fn __pygen_check(self) -> Self::Verdict {
        Verdict::new()
    }
}

/// Level 9: delegation to a [`Generator`] applies.
pub trait CheckGenerator {
    type Verdict;
    fn __pygen_check(self) -> Self::Verdict;
}

impl<'a, G, Y, S, E, K> CheckGenerator for &'a &'a &'a &'a &'a &'a &'a &'a &'a Probe<G, Y, S, E, K>
where
    &'a &'a &'a &'a DelegateWrap<G, Y, S, E, K>: ViaGenerator,
{
    type Verdict = FineVerdict<Keep>;
    #[inline(always)]
    fn __pygen_check(self) -> Self::Verdict {
        Verdict::new()
    }
}

/// Level 8: delegation to a generator that takes nothing applies.
pub trait CheckTakesNothing {
    type Verdict;
    fn __pygen_check(self) -> Self::Verdict;
}

impl<'a, G, Y, S, E, K> CheckTakesNothing for &'a &'a &'a &'a &'a &'a &'a &'a Probe<G, Y, S, E, K>
where
    &'a &'a &'a DelegateWrap<G, Y, S, E, K>: ViaTakesNothing,
{
    type Verdict = FineVerdict<Keep>;
    #[inline(always)]
    fn __pygen_check(self) -> Self::Verdict {
        Verdict::new()
    }
}

/// Level 7: a [`Generator`] of the same types that cannot be resumed from
/// here (its send type has no `Default`, or it is not `Unpin`).
pub trait CheckResumable {
    type Verdict;
    fn __pygen_check(self) -> Self::Verdict;
}

impl<G, Y, S, E, K> CheckResumable for &&&&&&&Probe<G, Y, S, E, K>
where
    G: Generator<Yield = Y, Send = S, Throw = E>,
{
    type Verdict = Verdict<Replace, ((Fine, Fine), (Fine, Fine), (Fine, Fine), S, G, Fine, Fine)>;
    #[inline(always)]
    fn __pygen_check(self) -> Self::Verdict {
        Verdict::new()
    }
}

/// Level 6: a [`Generator`] of other types.
pub trait CheckGeneratorTypes {
    type Verdict;
    fn __pygen_check(self) -> Self::Verdict;
}

impl<G, Y, S, E, K> CheckGeneratorTypes for &&&&&&Probe<G, Y, S, E, K>
where
    G: Generator,
{
    type Verdict = Verdict<
        Replace,
        (
            (G::Yield, Y),
            (G::Send, S),
            (G::Throw, E),
            Fine,
            Fine,
            Fine,
            Fine,
        ),
    >;
    #[inline(always)]
    fn __pygen_check(self) -> Self::Verdict {
        Verdict::new()
    }
}

/// Level 5: an async generator of this crate that cannot be delegated to
/// flat: of other types, or from a synchronous generator.
pub trait CheckAsyncGen {
    type Verdict;
    fn __pygen_check(self) -> Self::Verdict;
}

#[cfg(feature = "alloc")]
impl<F, Y2, S2, E2, Y, S, E> CheckAsyncGen
    for &&&&&Probe<generator_core::AsyncGen<F, Y2, S2, E2>, Y, S, E, AsyncBody>
where
    F: core::future::Future,
{
    type Verdict = Verdict<Replace, ((Y2, Y), (S2, S), (E2, E), Fine, Fine, Fine, Fine)>;
    #[inline(always)]
    fn __pygen_check(self) -> Self::Verdict {
        Verdict::new()
    }
}

#[cfg(feature = "alloc")]
impl<F, Y2, S2, E2, Y, S, E> CheckAsyncGen
    for &&&&&Probe<generator_core::AsyncGen<F, Y2, S2, E2>, Y, S, E, SyncBody>
where
    F: core::future::Future,
{
    type Verdict = Verdict<
        Replace,
        (
            (Fine, Fine),
            (Fine, Fine),
            (Fine, Fine),
            Fine,
            Fine,
            generator_core::AsyncGen<F, Y2, S2, E2>,
            Fine,
        ),
    >;
    #[inline(always)]
    fn __pygen_check(self) -> Self::Verdict {
        Verdict::new()
    }
}

/// Level 4: delegation to a stream applies (async generators).
pub trait CheckStream {
    type Verdict;
    fn __pygen_check(self) -> Self::Verdict;
}

impl<'a, G, Y, S, E, K> CheckStream for &'a &'a &'a &'a Probe<G, Y, S, E, K>
where
    &'a &'a DelegateWrap<G, Y, S, E, K>: ViaStream,
{
    type Verdict = FineVerdict<Keep>;
    #[inline(always)]
    fn __pygen_check(self) -> Self::Verdict {
        Verdict::new()
    }
}

/// Level 3: delegation to an iterator applies.
pub trait CheckIterator {
    type Verdict;
    fn __pygen_check(self) -> Self::Verdict;
}

impl<'a, G, Y, S, E, K> CheckIterator for &'a &'a &'a Probe<G, Y, S, E, K>
where
    &'a DelegateWrap<G, Y, S, E, K>: ViaIterator,
{
    type Verdict = FineVerdict<Keep>;
    #[inline(always)]
    fn __pygen_check(self) -> Self::Verdict {
        Verdict::new()
    }
}

/// Level 2: an iterator of another item type.
pub trait CheckIteratorItem {
    type Verdict;
    fn __pygen_check(self) -> Self::Verdict;
}

impl<G, Y, S, E, K> CheckIteratorItem for &&Probe<G, Y, S, E, K>
where
    G: IntoIterator,
{
    type Verdict = Verdict<
        Replace,
        (
            (G::Item, Y),
            (Fine, Fine),
            (Fine, Fine),
            Fine,
            Fine,
            Fine,
            Fine,
        ),
    >;
    #[inline(always)]
    fn __pygen_check(self) -> Self::Verdict {
        Verdict::new()
    }
}

/// Level 1: anything else.
pub trait CheckAnything {
    type Verdict;
    fn __pygen_check(self) -> Self::Verdict;
}

impl<G, Y, S, E, K> CheckAnything for &Probe<G, Y, S, E, K> {
    type Verdict = Verdict<
        Replace,
        (
            (Fine, Fine),
            (Fine, Fine),
            (Fine, Fine),
            Fine,
            Fine,
            Fine,
            G,
        ),
    >;
    #[inline(always)]
    fn __pygen_check(self) -> Self::Verdict {
        Verdict::new()
    }
}

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
    #[inline(always)]
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
    #[inline(always)]
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
    #[inline(always)]
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
    #[inline(always)]
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
    #[inline(always)]
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
    note = "make the delegating function `async` too: `#[generator(yield = …)] async fn …`"
)]
pub trait SyncDelegate {
    #[inline(always)]
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
    #[inline(always)]
    fn check(_: PhantomData<Self>)
    where
        Self: Sized,
    {
    }
}

#[diagnostic::do_not_recommend]
impl Delegable for Fine {}
