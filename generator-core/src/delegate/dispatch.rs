//! `yield_from!`: delegation to this crate's generators (flat), to any
//! [`Generator`], to streams (in async generators) and to plain iterators.
//!
//! The macro cannot see types, so its expansion is one expression for all
//! of them, `(&&&&&DelegateWrap::new(g, &co)).__pygen_delegate()`, and
//! method resolution picks the impl (autoref specialization): the receiver
//! type `&&&&&DelegateWrap` matches [`ViaFlat`] (a fresh `Gen`, or in an
//! async body a fresh `AsyncGen`, of the same types), one auto-deref matches
//! [`ViaGenerator`], two match [`ViaTakesNothing`] (a generator that takes
//! no sent value and no thrown error, from a generator that has them),
//! three match [`ViaStream`] (async bodies only), four match
//! [`ViaIterator`]. Flat delegation requires the delegate's yield, send and
//! throw types to equal the delegating generator's, which is what makes it
//! sound; every other way drives the delegate through its own protocol.

use core::cell::Cell;
use core::future::Future;

use crate::body::Body;
use crate::body::delegation::{Delegation, sealed};
use crate::delegate::flat::Flat;
#[cfg(feature = "alloc")]
use crate::delegate::generator_loop::Fresh;
use crate::delegate::generator_loop::{Borrowed, GeneratorLoop, PassesAll, Passing, TakesNothing};
use crate::delegate::iter_loop::IterLoop;
use crate::delegate::rejected::Rejected;
use crate::delegate::stream_loop::StreamLoop;
use crate::handle::movable::Gen;
use crate::protocol::generator::Generator;
use crate::protocol::state::NoThrow;
use crate::util::types::Types;

/// Marks the delegate of a synchronous generator's `yield_from!`.
#[doc(hidden)]
#[derive(Debug)]
pub enum SyncBody {}

/// Marks the delegate of an async generator's `yield_from!`: it may also be
/// an async generator or a stream.
#[doc(hidden)]
#[derive(Debug)]
pub enum AsyncBody {}

/// The delegate of one `yield_from!`, typed by the delegating generator and
/// by the kind of its body (`K`).
#[doc(hidden)]
pub struct DelegateWrap<G, Y, S, E, K> {
    delegate: Cell<Option<G>>,
    types: Types<Y, S, E>,
    kind: core::marker::PhantomData<K>,
}

impl<G, Y, S, E> DelegateWrap<G, Y, S, E, SyncBody> {
    #[doc(hidden)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn new(delegate: G, _types: Types<Y, S, E>) -> Self {
        DelegateWrap {
            delegate: Cell::new(Some(delegate)),
            types: Types::default(),
            kind: core::marker::PhantomData,
        }
    }
}

impl<G, Y, S, E> DelegateWrap<G, Y, S, E, AsyncBody> {
    #[doc(hidden)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn new_async(delegate: G, _types: Types<Y, S, E>) -> Self {
        DelegateWrap {
            delegate: Cell::new(Some(delegate)),
            types: Types::default(),
            kind: core::marker::PhantomData,
        }
    }
}

impl<G, Y, S, E, K> DelegateWrap<G, Y, S, E, K> {
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn take(&self) -> G {
        self.delegate
            .take()
            .expect("pygen: a yield_from! delegate is taken once")
    }
}

/// A delegation that `yield_from!`'s dispatch picked, not yet a future:
/// what the `Via*` methods return. Only [`Co::delegate`](crate::__private::Co::delegate), which takes
/// `&mut Co`, opens it into the future the body awaits.
///
/// The dispatch is reached by method resolution and through paths that a
/// user crate can redirect (`::pygen` itself), so what it returns must be
/// harmless in any hands: a `Planned` is not a future, its field is private,
/// and opening it takes a key only this crate can make. Building one for
/// any types gives nothing: the future inside polls yields of those types,
/// and only the `&mut Co` of a body of the same types opens it, in that
/// body.
#[doc(hidden)]
#[must_use = "a planned delegation does nothing until the `Co` opens it"]
pub struct Planned<D>(D);

impl<D> Planned<D> {
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn new(delegation: D) -> Self {
        Planned(delegation)
    }
}

impl<D> core::fmt::Debug for Planned<D> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Planned")
    }
}

impl<D: sealed::Sealed + Future, Y, S, E> Delegation<Y, S, E> for Planned<D>
where
    D: sealed::Of<Y, S, E>,
{
    type Future = D;

    #[cfg_attr(not(debug_assertions), inline(always))]
    fn __pygen_open(self, _: sealed::Key) -> D {
        self.0
    }
}

impl<D: sealed::Sealed> sealed::Sealed for Planned<D> {}

impl<R, Y, S, E, K> ViaFlat for &&&&&DelegateWrap<Rejected<R, Y, S, E>, Y, S, E, K> {
    type Output = Planned<Rejected<R, Y, S, E>>;

    #[cfg_attr(not(debug_assertions), inline(always))]
    fn __pygen_delegate(self) -> Self::Output {
        Planned::new(self.take())
    }
}

impl<R, Y, S, E> sealed::Sealed for Rejected<R, Y, S, E> {}
impl<R, Y, S, E> sealed::Of<Y, S, E> for Rejected<R, Y, S, E> {}

impl<F: Future, Y, S, E> sealed::Sealed for Flat<F, Y, S, E> {}
impl<F: Future, Y, S, E> sealed::Of<Y, S, E> for Flat<F, Y, S, E> {}
impl<G, Y, S, E, P> sealed::Sealed for GeneratorLoop<G, Y, S, E, P> {}
impl<G, Y, S, E, P> sealed::Of<Y, S, E> for GeneratorLoop<G, Y, S, E, P>
where
    G: Generator<Yield = Y> + Unpin,
    G::Send: Default,
    P: Passing<G, S, E>,
{
}
impl<St, Y, S, E> sealed::Sealed for StreamLoop<St, Y, S, E> {}
impl<St, Y, S, E> sealed::Of<Y, S, E> for StreamLoop<St, Y, S, E> where
    St: futures_core::Stream<Item = Y>
{
}
impl<I, Y, S, E> sealed::Sealed for IterLoop<I, Y, S, E> {}
impl<I, Y, S, E> sealed::Of<Y, S, E> for IterLoop<I, Y, S, E> where I: Iterator<Item = Y> {}

/// Delegation to a fresh generator of this crate with the same types: its
/// body is awaited inside the delegating body, under the same channel, so
/// its yields reach the outermost driver directly.
#[doc(hidden)]
pub trait ViaFlat {
    type Output;
    fn __pygen_delegate(self) -> Self::Output;
}

impl<F, Y, S, E, K> ViaFlat for &&&&&DelegateWrap<Gen<F, Y, S, E>, Y, S, E, K>
where
    F: crate::Body,
{
    type Output = Planned<Flat<F, Y, S, E>>;

    #[cfg_attr(not(debug_assertions), inline(always))]
    fn __pygen_delegate(self) -> Self::Output {
        Planned::new(Flat::new(self.take().into_unstarted_body()))
    }
}

/// An async body delegates flat to a fresh async generator of its types.
impl<F, Y, S, E> ViaFlat for &&&&&DelegateWrap<crate::AsyncGen<F, Y, S, E>, Y, S, E, AsyncBody>
where
    F: Body,
{
    type Output = Planned<Flat<F, Y, S, E>>;

    #[cfg_attr(not(debug_assertions), inline(always))]
    fn __pygen_delegate(self) -> Self::Output {
        Planned::new(Flat::new(self.take().into_unstarted_body()))
    }
}

/// Delegation to any [`Generator`] with the same types: a loop that resumes
/// it and re-yields what it yields. Evaluates to `Option<Return>`.
#[doc(hidden)]
pub trait ViaGenerator {
    type Output;
    fn __pygen_delegate(self) -> Self::Output;
}

impl<G, Y, S, E, K> ViaGenerator for &&&&DelegateWrap<G, Y, S, E, K>
where
    G: Generator<Yield = Y, Send = S, Throw = E> + Unpin,
    S: Default,
{
    type Output = Planned<GeneratorLoop<G, Y, S, E, PassesAll>>;

    fn __pygen_delegate(self) -> Self::Output {
        Planned::new(GeneratorLoop::new(self.take()))
    }
}

/// Delegation to a generator that takes nothing — `send = ()` and no throw
/// type, Python's `yield from range(20)`-like sub-generators — from a
/// generator that does take sent values or thrown errors: `next()` passes
/// through to it; a value sent meanwhile comes back to the caller of `send`
/// (`Undeliverable`, the delegation stays where it was); a thrown error is
/// raised in the delegating body at the `yield_from!`; a close closes the
/// delegate first, then the delegating body. A fresh `Gen` evaluates to its
/// return value, `&mut g` to `Option` of it (`None` if it had finished).
#[doc(hidden)]
pub trait ViaTakesNothing {
    type Output;
    fn __pygen_delegate(self) -> Self::Output;
}

#[cfg(feature = "alloc")]
impl<F, Y, S, E, K> ViaTakesNothing for &&&DelegateWrap<Gen<F, Y, (), NoThrow>, Y, S, E, K>
where
    F: crate::Body,
{
    type Output = Planned<GeneratorLoop<Gen<F, Y, (), NoThrow>, Y, S, E, TakesNothing<Fresh>>>;

    fn __pygen_delegate(self) -> Self::Output {
        let delegate = self.take();
        // The same rule as for flat delegation.
        delegate.expect_unstarted();
        Planned::new(GeneratorLoop::new(delegate))
    }
}

impl<'g, G, Y, S, E, K> ViaTakesNothing for &&&DelegateWrap<&'g mut G, Y, S, E, K>
where
    G: Generator<Yield = Y, Send = (), Throw = NoThrow> + Unpin,
{
    type Output = Planned<GeneratorLoop<&'g mut G, Y, S, E, TakesNothing<Borrowed>>>;

    fn __pygen_delegate(self) -> Self::Output {
        Planned::new(GeneratorLoop::new(self.take()))
    }
}

/// Delegation to a `Stream` of the yield type, in an async generator: like
/// a plain iterator, but the stream may wait (the executor's waker reaches
/// it through the body's context).
#[doc(hidden)]
pub trait ViaStream {
    type Output;
    fn __pygen_delegate(self) -> Self::Output;
}

impl<St, Y, S, E> ViaStream for &&DelegateWrap<St, Y, S, E, AsyncBody>
where
    St: futures_core::Stream<Item = Y>,
{
    type Output = Planned<StreamLoop<St, Y, S, E>>;

    fn __pygen_delegate(self) -> Self::Output {
        Planned::new(StreamLoop::new(self.take()))
    }
}

/// Delegation to a plain iterator of the yield type: `next()` passes through;
/// a sent value is handed back to the caller of `send`; a throw or a close
/// is raised in the delegating body at the `yield_from!`, as if it had
/// yielded there itself.
#[doc(hidden)]
pub trait ViaIterator {
    type Output;
    fn __pygen_delegate(self) -> Self::Output;
}

impl<I, Y, S, E, K> ViaIterator for &DelegateWrap<I, Y, S, E, K>
where
    I: IntoIterator<Item = Y>,
{
    type Output = Planned<IterLoop<I::IntoIter, Y, S, E>>;

    fn __pygen_delegate(self) -> Self::Output {
        Planned::new(IterLoop::new(self.take().into_iter()))
    }
}
