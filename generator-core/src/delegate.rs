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
use core::convert::Infallible;
use core::future::Future;
use core::marker::PhantomPinned;
use core::pin::Pin;
use core::ptr::NonNull;
use core::task::{Context, Poll};

use crate::channel::{Channel, Input, Output, channel};
use crate::co::Types;
use crate::direct::{FrameNext, Frames, Header};
use crate::movable::Gen;
use crate::protocol::Generator;
use crate::raise::Thrown;
use crate::state::{GenState, GeneratorState, Interrupt, NoThrow};

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
    #[inline(always)]
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
    #[inline(always)]
    pub fn new_async(delegate: G, _types: Types<Y, S, E>) -> Self {
        DelegateWrap {
            delegate: Cell::new(Some(delegate)),
            types: Types::default(),
            kind: core::marker::PhantomData,
        }
    }
}

impl<G, Y, S, E, K> DelegateWrap<G, Y, S, E, K> {
    #[inline(always)]
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
    #[inline(always)]
    fn new(delegation: D) -> Self {
        Planned(delegation)
    }
}

impl<D> core::fmt::Debug for Planned<D> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Planned")
    }
}

/// The delegations a `yield_from!` in a body of yield, send and throw
/// types `Y`, `S`, `E` may await: a [`Planned`] of this module's futures,
/// each only for those types.
///
/// The expansion picks the delegation by method resolution, which a user
/// crate can reach into: a trait of its own with a method of the same name,
/// in scope where the generator is written, is a candidate too, and wins at
/// the first autoref level where none of ours applies. So whatever was
/// picked is passed to [`Co::delegate`](crate::__private::Co::delegate), which accepts only the
/// implementors of this sealed trait: anything else is a compile error, and
/// every future it opens polls yields of the delegating generator's own
/// types only (each is built by one of the impls below, whose bounds make
/// its types the `DelegateWrap`'s; and `Co::delegate` requires them to be
/// the `Co`'s).
#[diagnostic::on_unimplemented(
    message = "`yield_from!` resolved to a method that is not pygen's",
    label = "a `__pygen_delegate` method of another trait was picked for this argument",
    note = "a trait in scope here has a method named `__pygen_delegate`; rename it, or move its \
            `use` out of the generator's module"
)]
#[doc(hidden)]
pub trait Delegation<Y, S, E>: sealed::Sealed {
    type Future: Future;
    /// The future; only [`Co::delegate`](crate::__private::Co::delegate) can make the key.
    fn __pygen_open(self, key: sealed::Key) -> Self::Future;
}

impl<D: sealed::Sealed + Future, Y, S, E> Delegation<Y, S, E> for Planned<D>
where
    D: sealed::Of<Y, S, E>,
{
    type Future = D;

    #[inline(always)]
    fn __pygen_open(self, _: sealed::Key) -> D {
        self.0
    }
}

impl<D: sealed::Sealed> sealed::Sealed for Planned<D> {}

pub(crate) mod sealed {
    pub trait Sealed {}

    /// The delegation futures polling yields of types `Y`, `S`, `E`.
    pub trait Of<Y, S, E> {}

    /// What opens a [`Planned`](super::Planned): public, so that the
    /// trait's method can name it, but only this crate can make one.
    #[derive(Debug)]
    pub struct Key(());

    impl Key {
        #[inline(always)]
        pub(crate) fn new() -> Self {
            Key(())
        }
    }
}

/// What a delegation future comes to, for the expansion of `yield_from!`
/// and `yield_from_catch!` to turn into the value (or the interrupt) of the
/// macro.
///
/// `X` is what the delegation can raise: `Thrown<E>`, or `Infallible` for
/// a delegate that takes every thrown error itself (then a body whose
/// return type is not a `Result` may still delegate). `C` is what a close
/// handler's return value comes in: [`Same`], or [`Impossible`] for the
/// stand-in of a rejected delegation (whose `R` is left to inference, and
/// must not meet the autoref check of [`Failure`] unresolved).
#[doc(hidden)]
#[derive(Debug)]
pub enum Delegated<R, X, C = Same<R>> {
    /// The delegation is over: the delegate's return value (for `&mut g`,
    /// `Option` of it), or `()` for an iterator or a stream.
    Returned(R),
    /// A thrown error the delegate cannot take (a plain iterator, a stream,
    /// a generator that takes nothing), raised at the `yield_from!`.
    Raised(X),
    /// A close reached the delegation and the delegate (closed first)
    /// returned this from its close handler.
    ClosedWith(C),
    /// A close reached the delegation; there is no return value (an
    /// iterator, a stream, a delegate that finished without one).
    Closed,
}

/// What `yield_from_catch!` makes of what a delegation raised.
#[doc(hidden)]
pub trait RaisedAs<E> {
    fn interrupt(self) -> Interrupt<E>;
}

impl<E> RaisedAs<E> for Thrown<E> {
    #[inline(always)]
    fn interrupt(self) -> Interrupt<E> {
        Interrupt::Throw(self.0)
    }
}

impl<E> RaisedAs<E> for Infallible {
    #[inline(always)]
    fn interrupt(self) -> Interrupt<E> {
        match self {}
    }
}

/// What a delegate returned from its close handler.
#[doc(hidden)]
#[derive(Debug)]
pub struct Same<R>(pub R);

/// A close handler's value that cannot exist: the rejected delegation's.
#[doc(hidden)]
#[derive(Debug)]
pub enum Impossible<R> {
    #[doc(hidden)]
    Never(Infallible, core::marker::PhantomData<R>),
}

/// The value inside [`Same`] or [`Impossible`].
#[doc(hidden)]
pub trait ClosedValue<R> {
    fn value(self) -> R;
}

impl<R> ClosedValue<R> for Same<R> {
    #[inline(always)]
    fn value(self) -> R {
        self.0
    }
}

impl<R> ClosedValue<R> for Impossible<R> {
    #[inline(always)]
    fn value(self) -> R {
        match self {
            Impossible::Never(never, _) => match never {},
        }
    }
}

/// Whether what a delegate returned from its close handler is a failure
/// that must reach the caller (an `Err`, or `Some(Err(_))` through `&mut`):
/// the expansion asks by autoref (`(&&Failure(&c)).__pygen_failed()`), so
/// that any return type works and only a `Result` can fail.
#[doc(hidden)]
#[derive(Debug)]
pub struct Failure<'a, C>(pub &'a C);

#[doc(hidden)]
pub trait FailureOfResult {
    fn __pygen_failed(&self) -> bool;
}

#[doc(hidden)]
pub trait FailureOfAny {
    fn __pygen_failed(&self) -> bool;
}

impl<T, X> FailureOfResult for &Failure<'_, Same<Result<T, X>>> {
    #[inline(always)]
    fn __pygen_failed(&self) -> bool {
        self.0.0.is_err()
    }
}

/// What `yield_from!(&mut g)` evaluates to: `Some` of the return value.
impl<T, X> FailureOfResult for &Failure<'_, Same<Option<Result<T, X>>>> {
    #[inline(always)]
    fn __pygen_failed(&self) -> bool {
        matches!(self.0.0, Some(Err(_)))
    }
}

impl<C> FailureOfAny for Failure<'_, C> {
    #[inline(always)]
    fn __pygen_failed(&self) -> bool {
        false
    }
}

/// What a `yield_from!` whose argument failed one of the facade's checks
/// delegates to, after the compile error: it never completes, and its
/// value is of whatever type the `yield_from!` is expected to have.
#[doc(hidden)]
pub struct Rejected<R, Y, S, E> {
    returns: core::marker::PhantomData<fn() -> R>,
    types: Types<Y, S, E>,
}

impl<R, Y, S, E> Rejected<R, Y, S, E> {
    #[doc(hidden)]
    #[inline(always)]
    pub fn new() -> Self {
        Rejected {
            returns: core::marker::PhantomData,
            types: Types::default(),
        }
    }
}

impl<R, Y, S, E> Default for Rejected<R, Y, S, E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<R, Y, S, E, K> ViaFlat for &&&&&DelegateWrap<Rejected<R, Y, S, E>, Y, S, E, K> {
    type Output = Planned<Rejected<R, Y, S, E>>;

    #[inline(always)]
    fn __pygen_delegate(self) -> Self::Output {
        Planned::new(self.take())
    }
}

impl<R, Y, S, E> Future for Rejected<R, Y, S, E> {
    type Output = Delegated<R, Infallible, Impossible<R>>;

    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Self::Output> {
        Poll::Pending
    }
}

impl<R, Y, S, E> sealed::Sealed for Rejected<R, Y, S, E> {}
impl<R, Y, S, E> sealed::Of<Y, S, E> for Rejected<R, Y, S, E> {}

impl<F: Future, Y, S, E> sealed::Sealed for Flat<F, Y, S, E> {}
impl<F: Future, Y, S, E> sealed::Of<Y, S, E> for Flat<F, Y, S, E> {}
impl<G, Y, S, E> sealed::Sealed for GeneratorLoop<G, Y, S, E> {}
impl<G, Y, S, E> sealed::Of<Y, S, E> for GeneratorLoop<G, Y, S, E>
where
    G: Generator<Yield = Y, Send = S, Throw = E> + Unpin,
    S: Default,
{
}
impl<St, Y, S, E> sealed::Sealed for StreamLoop<St, Y, S, E> {}
impl<St, Y, S, E> sealed::Of<Y, S, E> for StreamLoop<St, Y, S, E> where
    St: futures_core::Stream<Item = Y>
{
}
impl<G, Y, S, E, M> sealed::Sealed for NothingLoop<G, Y, S, E, M> {}
impl<G, Y, S, E, M> sealed::Of<Y, S, E> for NothingLoop<G, Y, S, E, M>
where
    G: Generator<Yield = Y, Send = (), Throw = NoThrow> + Unpin,
    M: Finish<G::Return>,
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

    #[inline(always)]
    fn __pygen_delegate(self) -> Self::Output {
        Planned::new(Flat::new(self.take().into_unstarted_body()))
    }
}

/// An async body delegates flat to a fresh async generator of its types.
impl<F, Y, S, E> ViaFlat for &&&&&DelegateWrap<crate::AsyncGen<F, Y, S, E>, Y, S, E, AsyncBody>
where
    F: Future,
{
    type Output = Planned<Flat<F, Y, S, E>>;

    #[inline(always)]
    fn __pygen_delegate(self) -> Self::Output {
        Planned::new(Flat::new(self.take().into_unstarted_body()))
    }
}

/// The future of a flat `yield_from!`: a frame of direct delegation (see
/// `direct.rs`). Its first poll links it on the driver's stack and returns;
/// the driver then polls the delegate's body itself, with the same channel,
/// until it completes; the next poll, from the delegating body, takes the
/// return value.
#[doc(hidden)]
#[repr(C)]
pub struct Flat<F: Future, Y, S, E> {
    /// First: the driver's link points at it, and finds the rest from it.
    header: Header<Y, S, E>,
    at: FlatAt,
    /// The delegate's return value, from its completion until the
    /// delegating body takes it.
    returned: Option<F::Output>,
    /// Structurally pinned; `None` once released (dropped in place).
    body: Option<F>,
    /// The driver holds the frame's address while it is linked.
    pinned: PhantomPinned,
    types: Types<Y, S, E>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum FlatAt {
    /// Not polled yet.
    Fresh,
    /// On the driver's stack: the driver polls the delegate body.
    Linked,
    /// The delegate completed; its value waits in `returned`.
    Done,
    /// A close left the delegate, which was dropped.
    Abandoned,
    /// Released by the driver, or its value taken.
    Over,
}

impl<F: Future, Y, S, E> Flat<F, Y, S, E> {
    #[inline(always)]
    fn new(body: F) -> Self {
        Flat {
            header: Header::new(Self::resume_frame, Self::next_frame, Self::release_frame),
            at: FlatAt::Fresh,
            returned: None,
            body: Some(body),
            pinned: PhantomPinned,
            types: Types::default(),
        }
    }

    /// The frame's `resume` (see [`Header`]): polls the delegate's body
    /// under the resume's channel.
    ///
    /// # Safety
    ///
    /// `frame` is the header of a linked `Flat<F, Y, S, E>` (the driver
    /// calls it only through the header this type filled in), pinned and
    /// alive, which nothing else refers to during the call; `channel` is the
    /// address of the `Channel<Y, S, E>` of the resume in progress, as
    /// `channel::poll_under` requires it.
    unsafe fn resume_frame(
        frame: NonNull<Header<Y, S, E>>,
        channel: NonNull<()>,
    ) -> Poll<Option<NonNull<Header<Y, S, E>>>> {
        // SAFETY: per the contract; the header is the first field of a
        // `repr(C)` `Flat<F, Y, S, E>`, and the pointer was made from a
        // pointer to the whole `Flat` (`Flat::poll`).
        let this = unsafe { frame.cast::<Self>().as_mut() };
        let channel = channel.cast::<Channel<Y, S, E>>();
        // SAFETY: `body` is structurally pinned: the frame is pinned (it
        // is only linked from `Flat::poll`, through `Pin<&mut Self>`), its
        // `Drop` impl (debug builds) moves nothing, it is not
        // `repr(packed)`, is `!Unpin`, and drops `body` only in place.
        let mut body = unsafe { Pin::new_unchecked(&mut this.body) };
        let Some(live) = body.as_mut().as_pin_mut() else {
            crate::panics::invariant("a linked frame has its delegate body")
        };
        // SAFETY: per the contract (every frame on a stack has the types of
        // the generator whose channel it is: flat delegation requires them).
        match unsafe { crate::channel::poll_under(live, channel) } {
            // SAFETY: `this` is a linked frame, pinned (see above).
            Poll::Ready(value) => Poll::Ready(unsafe { this.completed(value) }),
            // SAFETY: the poll is over, so nothing else reaches the channel
            // (its driver waits for us to return).
            Poll::Pending => match unsafe { &mut (*channel.as_ptr()).output } {
                output @ Output::Abandoned => {
                    *output = Output::Empty;
                    // SAFETY: as for `completed` above.
                    Poll::Ready(unsafe { this.abandoned() })
                }
                _ => Poll::Pending,
            },
        }
    }

    /// The frame's `next` (see [`Header`]): polls the delegate's body under
    /// a channel of its own that holds `input` for a `next()`, and returns
    /// what the body left in it.
    ///
    /// # Safety
    ///
    /// As for `resume_frame`, with `frames` the stack the frame is on
    /// instead of a channel, valid for the call and reached by nothing else
    /// while it runs.
    unsafe fn next_frame(
        frame: NonNull<Header<Y, S, E>>,
        frames: NonNull<Frames<Y, S, E>>,
        input: Option<S>,
    ) -> FrameNext<Y, S> {
        // SAFETY: as in `resume_frame`.
        let this = unsafe { frame.cast::<Self>().as_mut() };
        // SAFETY: as in `resume_frame`.
        let mut body = unsafe { Pin::new_unchecked(&mut this.body) };
        let Some(live) = body.as_mut().as_pin_mut() else {
            crate::panics::invariant("a linked frame has its delegate body")
        };
        // The stack goes in the channel for the frames the body links.
        let mut channel = Channel::<Y, S, E>::new(core::ptr::null(), input.map(Input::Next));
        channel.frames = Some(frames);
        // SAFETY: `channel` is a local of this call, of the frame's types,
        // which this function does not touch while the body runs; the stack
        // it carries is valid for the call, per the contract.
        match unsafe { crate::channel::poll_under(live, NonNull::from(&mut channel)) } {
            Poll::Ready(value) => {
                // SAFETY: `this` is a linked frame, pinned (see above).
                unsafe { this.completed(value) };
                FrameNext::Popped
            }
            Poll::Pending => match channel.output {
                // A close cannot come with a `next()`; handled as in
                // `resume_frame` all the same.
                Output::Abandoned => {
                    // SAFETY: as for `completed` above.
                    unsafe { this.abandoned() };
                    FrameNext::Popped
                }
                output => FrameNext::Left(output),
            },
        }
    }

    /// The delegate completed with `value`: it is dropped in place, and its
    /// value waits for the delegating body. The frame below is the new top.
    ///
    /// # Safety
    ///
    /// `self` is pinned: a linked frame, reached from its header.
    #[inline(always)]
    unsafe fn completed(&mut self, value: F::Output) -> Option<NonNull<Header<Y, S, E>>> {
        // SAFETY: `body` is structurally pinned (see `resume_frame`) and
        // `self` is pinned, per the contract: it is dropped in place.
        unsafe { Pin::new_unchecked(&mut self.body) }.set(None);
        self.returned = Some(value);
        self.at = FlatAt::Done;
        self.header.below()
    }

    /// A close reached a yield of the delegate that does not catch it: the
    /// close leaves the delegate, which is dropped in place, and is raised in
    /// the delegating body at its `yield_from!` (Python's `GeneratorExit` out
    /// of the `yield from`), which the driver polls next.
    ///
    /// # Safety
    ///
    /// As for `completed`.
    #[inline(always)]
    unsafe fn abandoned(&mut self) -> Option<NonNull<Header<Y, S, E>>> {
        self.at = FlatAt::Abandoned;
        // SAFETY: as in `completed`: dropped in place.
        unsafe { Pin::new_unchecked(&mut self.body) }.set(None);
        self.header.below()
    }

    /// The frame's `release` (see [`Header`]): drops the delegate's body in
    /// place.
    ///
    /// # Safety
    ///
    /// As for `resume_frame`.
    unsafe fn release_frame(frame: NonNull<Header<Y, S, E>>) {
        // SAFETY: as in `resume_frame`.
        let this = unsafe { frame.cast::<Self>().as_mut() };
        this.at = FlatAt::Over;
        // SAFETY: as in `resume_frame`: dropped in place.
        unsafe { Pin::new_unchecked(&mut this.body) }.set(None);
    }
}

/// A linked frame is on its driver's stack, which will resume it: it must
/// be released or completed before it goes. The crate's drivers always do
/// (a body with frames releases them before its code's future is dropped),
/// so this only catches a frame polled where no `yield_from!` put it, which
/// only the hidden `unsafe` constructors allow; it aborts rather than leave
/// the stack a dangling pointer. Moves nothing: `body` stays pinned.
///
/// With debug assertions only: the mere presence of a `Drop` impl changes
/// how LLVM lays out a delegating body's poll, and measured it cost an
/// async `yield_from!` 13 more instructions per item with fat LTO (95 →
/// 108), and 3 in the default profile, while the safe API cannot get here.
#[cfg(debug_assertions)]
impl<F: Future, Y, S, E> Drop for Flat<F, Y, S, E> {
    #[inline(always)]
    fn drop(&mut self) {
        if self.at == FlatAt::Linked {
            crate::panics::abort_frame("a linked delegation was dropped")
        }
    }
}

impl<F, Y, S, E> Future for Flat<F, Y, S, E>
where
    F: Future,
{
    /// Never raises: a thrown error reaches the delegate, and what the
    /// delegate makes of it comes back inside its return value.
    type Output = Delegated<F::Output, Infallible>;

    #[inline(always)]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // SAFETY: the fields are not moved out of `this` (see
        // `resume_frame` for `body`; the others are not pinned).
        let this = unsafe { self.get_unchecked_mut() };
        let Some(current) = channel::<Y, S, E>(cx) else {
            return Poll::Pending;
        };
        match this.at {
            FlatAt::Fresh => {
                let Some(frames) = current.frames else {
                    crate::panics::invariant("a body that delegates has a stack of frames")
                };
                this.at = FlatAt::Linked;
                let frame = NonNull::from(&mut *this).cast::<Header<Y, S, E>>();
                // SAFETY: `this` is pinned (we are in its `poll`), so it stays
                // where it is until dropped, and it is dropped only with the
                // body that awaits it, which the driver does after releasing
                // its frames (`drop_body`), or after this frame has completed
                // and been popped; the header is its first field (`repr(C)`).
                // `frames` comes from the channel of the driver polling us.
                unsafe { Header::link(frame, frames) };
                Poll::Pending
            }
            FlatAt::Done => {
                this.at = FlatAt::Over;
                let Some(value) = this.returned.take() else {
                    crate::panics::invariant("a completed frame holds its return value")
                };
                if this.header.closing() {
                    // The delegate caught the close and returned: Python then
                    // raises `GeneratorExit` in the delegating body at the
                    // `yield from` (unless the handler failed), which
                    // `yield_from_catch!` catches and `yield_from!` does not.
                    return Poll::Ready(Delegated::ClosedWith(Same(value)));
                }
                Poll::Ready(Delegated::Returned(value))
            }
            FlatAt::Abandoned => {
                this.at = FlatAt::Over;
                Poll::Ready(Delegated::Closed)
            }
            // The driver polls a linked frame's body itself; the delegating
            // body is not polled meanwhile.
            FlatAt::Linked | FlatAt::Over => {
                current.output = Output::Missing;
                Poll::Pending
            }
        }
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
    type Output = Planned<GeneratorLoop<G, Y, S, E>>;

    fn __pygen_delegate(self) -> Self::Output {
        Planned::new(GeneratorLoop {
            delegate: self.take(),
            at: LoopAt::Start,
            types: Types::default(),
        })
    }
}

/// The future of `yield_from!` of a [`Generator`]: a hand-written state
/// machine (it is polled once per item).
#[doc(hidden)]
pub struct GeneratorLoop<G, Y, S, E> {
    delegate: G,
    at: LoopAt<Y, S>,
    types: Types<Y, S, E>,
}

enum LoopAt<Y, S> {
    /// Start the delegate, or resume it with `next()` if it already started.
    Start,
    /// Hand this to the driver and wait for the next input.
    Leave(Output<Y, S>),
    /// Waiting at our own yield point for the driver's input.
    Waiting,
}

impl<G: Unpin, Y, S, E> Unpin for GeneratorLoop<G, Y, S, E> {}

impl<G, Y, S, E> Future for GeneratorLoop<G, Y, S, E>
where
    G: Generator<Yield = Y, Send = S, Throw = E> + Unpin,
    S: Default,
{
    /// Never raises, as for flat delegation.
    type Output = Delegated<Option<G::Return>, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let Some(channel) = channel::<Y, S, E>(cx) else {
            return Poll::Pending;
        };
        let mut g = Pin::new(&mut this.delegate);
        loop {
            let step = match core::mem::replace(&mut this.at, LoopAt::Waiting) {
                LoopAt::Start => match g.as_mut().state() {
                    GenState::Created => g.as_mut().start().ok(),
                    GenState::Suspended | GenState::Running => g.as_mut().resume(),
                    GenState::Closed => None,
                },
                LoopAt::Leave(output) => {
                    channel.output = output;
                    return Poll::Pending;
                }
                LoopAt::Waiting => {
                    let input = channel.input.take();
                    match input {
                        Some(Input::Next(_)) => g.as_mut().resume(),
                        Some(Input::Send(s)) => match g.as_mut().send(s) {
                            Ok(state) => Some(state),
                            // Undeliverable (the delegate delegates to an
                            // iterator), or a delegate that broke the
                            // protocol and closed itself: either way the
                            // value goes back to the caller of `send`.
                            Err(refused) => {
                                this.at = LoopAt::Leave(Output::Rejected(refused.into_inner()));
                                continue;
                            }
                        },
                        Some(Input::Throw(e)) => match g.as_mut().throw(e) {
                            Ok(state) => Some(state),
                            Err(_) => panic!(
                                "yield_from!: the delegate refused a throw while suspended, \
                                 which breaks the Generator protocol"
                            ),
                        },
                        Some(Input::Close) => {
                            // Close the delegate, then raise the close in the
                            // delegating body, or report what the delegate
                            // yielded instead of finishing.
                            match g.as_mut().close() {
                                Ok(Some(r)) => {
                                    return Poll::Ready(Delegated::ClosedWith(Same(Some(r))));
                                }
                                Ok(None) => return Poll::Ready(Delegated::Closed),
                                Err(ignored) => {
                                    this.at = LoopAt::Leave(Output::Yielded(ignored.into_inner()));
                                    continue;
                                }
                            }
                        }
                        // Polled again without a value: see `Suspend`.
                        None => {
                            channel.output = Output::Missing;
                            return Poll::Pending;
                        }
                    }
                }
            };
            match step {
                Some(GeneratorState::Yielded(y)) => this.at = LoopAt::Leave(Output::Yielded(y)),
                Some(GeneratorState::Complete(r)) => {
                    return Poll::Ready(Delegated::Returned(Some(r)));
                }
                None => return Poll::Ready(Delegated::Returned(None)),
            }
        }
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
    type Output = Planned<NothingLoop<Gen<F, Y, (), NoThrow>, Y, S, E, Fresh>>;

    fn __pygen_delegate(self) -> Self::Output {
        let delegate = self.take();
        // The same rule as for flat delegation.
        delegate.expect_unstarted();
        Planned::new(NothingLoop::new(delegate))
    }
}

impl<'g, G, Y, S, E, K> ViaTakesNothing for &&&DelegateWrap<&'g mut G, Y, S, E, K>
where
    G: Generator<Yield = Y, Send = (), Throw = NoThrow> + Unpin,
{
    type Output = Planned<NothingLoop<&'g mut G, Y, S, E, Borrowed>>;

    fn __pygen_delegate(self) -> Self::Output {
        Planned::new(NothingLoop::new(self.take()))
    }
}

/// What a [`NothingLoop`] evaluates to once its delegate completes (`Some`)
/// or was found already closed (`None`).
#[doc(hidden)]
pub trait Finish<R> {
    type Output;
    fn finish(returned: Option<R>) -> Self::Output;
}

/// A fresh generator delegated to by value: its return value.
#[doc(hidden)]
#[derive(Debug)]
pub enum Fresh {}

impl<R> Finish<R> for Fresh {
    type Output = R;
    fn finish(returned: Option<R>) -> R {
        match returned {
            Some(r) => r,
            None => crate::panics::invariant("a fresh delegate completes before it closes"),
        }
    }
}

/// A generator delegated to through `&mut`: `Option` of its return value.
#[doc(hidden)]
#[derive(Debug)]
pub enum Borrowed {}

impl<R> Finish<R> for Borrowed {
    type Output = Option<R>;
    fn finish(returned: Option<R>) -> Option<R> {
        returned
    }
}

/// The future of `yield_from!` of a generator that takes nothing: a loop
/// that resumes it with `next()` and re-yields what it yields.
#[doc(hidden)]
pub struct NothingLoop<G, Y, S, E, M> {
    delegate: G,
    at: LoopAt<Y, S>,
    types: Types<Y, S, E>,
    finish: core::marker::PhantomData<fn() -> M>,
}

impl<G, Y, S, E, M> NothingLoop<G, Y, S, E, M> {
    fn new(delegate: G) -> Self {
        NothingLoop {
            delegate,
            at: LoopAt::Start,
            types: Types::default(),
            finish: core::marker::PhantomData,
        }
    }
}

impl<G: Unpin, Y, S, E, M> Unpin for NothingLoop<G, Y, S, E, M> {}

impl<G, Y, S, E, M> Future for NothingLoop<G, Y, S, E, M>
where
    G: Generator<Yield = Y, Send = (), Throw = NoThrow> + Unpin,
    M: Finish<G::Return>,
{
    type Output = Delegated<M::Output, Thrown<E>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let Some(channel) = channel::<Y, S, E>(cx) else {
            return Poll::Pending;
        };
        let mut g = Pin::new(&mut this.delegate);
        loop {
            let step = match core::mem::replace(&mut this.at, LoopAt::Waiting) {
                LoopAt::Start => g.as_mut().resume(),
                LoopAt::Leave(output) => {
                    channel.output = output;
                    return Poll::Pending;
                }
                LoopAt::Waiting => match channel.input.take() {
                    Some(Input::Next(_)) => g.as_mut().resume(),
                    // The delegate cannot take it: back to the caller, and
                    // the delegation stays where it was.
                    Some(Input::Send(s)) => {
                        this.at = LoopAt::Leave(Output::Rejected(s));
                        continue;
                    }
                    // Nor this: raised here, in the delegating body.
                    Some(Input::Throw(e)) => return Poll::Ready(Delegated::Raised(Thrown(e))),
                    Some(Input::Close) => match g.as_mut().close() {
                        Ok(Some(r)) => {
                            return Poll::Ready(Delegated::ClosedWith(Same(M::finish(Some(r)))));
                        }
                        Ok(None) => return Poll::Ready(Delegated::Closed),
                        Err(ignored) => {
                            this.at = LoopAt::Leave(Output::Yielded(ignored.into_inner()));
                            continue;
                        }
                    },
                    // Polled again without a value: see `Suspend`.
                    None => {
                        channel.output = Output::Missing;
                        return Poll::Pending;
                    }
                },
            };
            match step {
                Some(GeneratorState::Yielded(y)) => this.at = LoopAt::Leave(Output::Yielded(y)),
                Some(GeneratorState::Complete(r)) => {
                    return Poll::Ready(Delegated::Returned(M::finish(Some(r))));
                }
                None => return Poll::Ready(Delegated::Returned(M::finish(None))),
            }
        }
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
        Planned::new(StreamLoop {
            stream: self.take(),
            waiting: false,
            types: Types::default(),
        })
    }
}

/// The future of `yield_from!` of a stream.
#[doc(hidden)]
pub struct StreamLoop<St, Y, S, E> {
    /// Structurally pinned.
    stream: St,
    /// Suspended at our own yield point, waiting for the driver's input.
    waiting: bool,
    types: Types<Y, S, E>,
}

impl<St, Y, S, E> Future for StreamLoop<St, Y, S, E>
where
    St: futures_core::Stream<Item = Y>,
{
    type Output = Delegated<(), Thrown<E>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // SAFETY: `stream` is structurally pinned: `StreamLoop` has no
        // `Drop` impl, is not `repr(packed)`, is `Unpin` only when `St` is,
        // and never moves `stream`; `waiting` is a plain `bool`.
        let this = unsafe { self.get_unchecked_mut() };
        // SAFETY: see above.
        let stream = unsafe { Pin::new_unchecked(&mut this.stream) };
        if this.waiting {
            let Some(channel) = channel::<Y, S, E>(cx) else {
                return Poll::Pending;
            };
            if let Some(stop) = resume_sequence(channel) {
                return stop;
            }
            this.waiting = false;
        }
        match stream.poll_next(cx) {
            Poll::Ready(Some(y)) => {
                if let Some(channel) = channel::<Y, S, E>(cx) {
                    this.waiting = true;
                    channel.output = Output::Yielded(y);
                }
                Poll::Pending
            }
            Poll::Ready(None) => Poll::Ready(Delegated::Returned(())),
            // The stream waits; it registered the executor's waker.
            Poll::Pending => Poll::Pending,
        }
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
        Planned::new(IterLoop {
            iter: self.take().into_iter(),
            waiting: false,
            types: Types::default(),
        })
    }
}

/// The future of `yield_from!` of a plain iterator.
#[doc(hidden)]
pub struct IterLoop<I, Y, S, E> {
    iter: I,
    waiting: bool,
    types: Types<Y, S, E>,
}

// The iterator is never pinned: `Iterator::next` takes `&mut self`.
impl<I, Y, S, E> Unpin for IterLoop<I, Y, S, E> {}

impl<I, Y, S, E> Future for IterLoop<I, Y, S, E>
where
    I: Iterator<Item = Y>,
{
    type Output = Delegated<(), Thrown<E>>;

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let Some(channel) = channel::<Y, S, E>(cx) else {
            return Poll::Pending;
        };
        if this.waiting {
            if let Some(stop) = resume_sequence(channel) {
                return stop;
            }
        }
        match this.iter.next() {
            Some(y) => {
                this.waiting = true;
                channel.output = Output::Yielded(y);
                Poll::Pending
            }
            None => Poll::Ready(Delegated::Returned(())),
        }
    }
}

/// The resume of a `yield_from!` of an iterator or a stream, suspended at
/// its own yield: `None` to go on to the next item (`next()`), or what the
/// delegation does instead. A sent value goes back to the caller of `send`
/// (the delegation stays where it was); a throw or a close is raised in the
/// delegating body, as at a plain `yield_!`.
#[inline(always)]
fn resume_sequence<Y, S, E>(
    channel: &mut Channel<Y, S, E>,
) -> Option<Poll<Delegated<(), Thrown<E>>>> {
    match channel.input.take() {
        Some(Input::Next(_)) => None,
        Some(Input::Send(s)) => {
            channel.output = Output::Rejected(s);
            Some(Poll::Pending)
        }
        Some(Input::Throw(e)) => Some(Poll::Ready(Delegated::Raised(Thrown(e)))),
        Some(Input::Close) => Some(Poll::Ready(Delegated::Closed)),
        // Polled again without a value: see `Suspend`.
        None => {
            channel.output = Output::Missing;
            Some(Poll::Pending)
        }
    }
}
