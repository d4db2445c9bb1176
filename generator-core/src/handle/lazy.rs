//! What a movable handle ([`Gen`](crate::Gen), [`AsyncGen`](crate::AsyncGen))
//! holds: its body inline until the first resume, which moves it into one
//! heap allocation (the pinned driver, boxed), where it may borrow itself
//! across yields; then nothing once it has closed. Written once for both
//! faces: what differs between them is the pinned driver ([`Pinned`]).

#[cfg(feature = "alloc")]
use alloc::boxed::Box;
use core::marker::PhantomData;
#[cfg(feature = "alloc")]
use core::pin::Pin;

use crate::protocol::state::GenState;

/// A pinned driver that a movable handle boxes at its first resume.
pub(crate) trait Pinned {
    /// The body it drives.
    type Body;
    /// A driver of `body`, not started.
    fn new(body: Self::Body) -> Self;
    /// A driver with no body, closed.
    fn closed() -> Self;
    /// Where it is.
    #[cfg_attr(not(feature = "alloc"), allow(dead_code))]
    fn state(&self) -> GenState;
}

/// The states of a movable handle.
///
/// `Started` first and a tag of its own (`repr(u8)`): the test every resume
/// makes first is then one compare of a byte with zero. Left to niches, the
/// tag hid in the body's own niche and took a subtraction and a `cmov` to
/// read, and with `Created` first LLVM tested that first (measured with the
/// phase-store and body-test changes of `driver.rs`: an async generator 37 →
/// 32 instructions per item with fat LTO, 54 → 49 in the default profile).
#[repr(u8)]
pub(crate) enum Lazy<P: Pinned> {
    /// Started: the driver, pinned in its box.
    #[cfg(feature = "alloc")]
    Started(Pin<Box<P>>),
    /// Not started: the body, moved with the handle.
    Created(P::Body),
    /// Closed, its box freed. (Without `alloc` a handle cannot run, so
    /// nothing closes it.) The marker keeps the handle's auto traits and
    /// variance those of the driver's types, as when it holds one.
    #[cfg_attr(not(feature = "alloc"), allow(dead_code))]
    Closed(PhantomData<fn() -> P>),
}

/// What a handle says when a `yield_from!` by value meets it started or
/// finished: the face's own words, since what to write instead differs.
pub(crate) struct Misuse {
    pub(crate) finished: &'static str,
    #[cfg_attr(not(feature = "alloc"), allow(dead_code))]
    pub(crate) started: &'static str,
}

impl Misuse {
    /// What [`Gen`](crate::Gen) says.
    pub(crate) const SYNC: Misuse = Misuse {
        finished: "yield_from!: this generator has already finished, so it has no return value \
                   left to give; delegate to `&mut generator` to get an Option instead",
        started: "yield_from!: this generator has already started; delegate to `&mut generator` \
                  to continue it (its send type must implement Default, as Python resumes it with next())",
    };

    /// What [`AsyncGen`](crate::AsyncGen) says.
    pub(crate) const ASYNC: Misuse = Misuse {
        finished: "yield_from!: this async generator has already finished, so it has no return value left to give",
        started: "yield_from!: this async generator has already started; only a fresh one can be delegated to",
    };
}

impl<P: Pinned> Lazy<P> {
    /// Where the handle is.
    #[inline]
    pub(crate) fn state(&self) -> GenState {
        match self {
            Lazy::Created(_) => GenState::Created,
            #[cfg(feature = "alloc")]
            Lazy::Started(pinned) => pinned.state(),
            Lazy::Closed(_) => GenState::Closed,
        }
    }

    /// The pinned, allocation-free form of an unstarted handle; a closed
    /// one stays closed.
    ///
    /// # Panics
    ///
    /// When it has started (`face` names the handle in the message): its
    /// body lives on the heap and may borrow itself.
    #[cfg_attr(not(feature = "alloc"), allow(unused_variables))]
    pub(crate) fn into_pinned(self, face: &str) -> P {
        match self {
            Lazy::Created(body) => P::new(body),
            Lazy::Closed(_) => P::closed(),
            #[cfg(feature = "alloc")]
            Lazy::Started(_) => crate::util::panics::started_cannot_move(face),
        }
    }

    /// That the handle has not started, for a `yield_from!` by value.
    ///
    /// # Panics
    ///
    /// When it has started or finished, saying what to write instead.
    pub(crate) fn expect_created(&self, misuse: &Misuse) {
        match self {
            Lazy::Created(_) => {}
            Lazy::Closed(_) => crate::util::panics::misused(misuse.finished),
            #[cfg(feature = "alloc")]
            Lazy::Started(_) => crate::util::panics::misused(misuse.started),
        }
    }

    /// The body of an unstarted handle, for flat delegation.
    ///
    /// # Panics
    ///
    /// As [`expect_created`](Self::expect_created).
    pub(crate) fn into_body(self, misuse: &Misuse) -> P::Body {
        self.expect_created(misuse);
        match self {
            Lazy::Created(body) => body,
            _ => crate::util::panics::invariant("an unstarted generator has its body"),
        }
    }
}

#[cfg(feature = "alloc")]
impl<P: Pinned> Lazy<P> {
    /// Closed, with nothing to free.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) fn closed() -> Self {
        Lazy::Closed(PhantomData)
    }

    /// The started driver, boxing the body at the first call; `None` when
    /// closed.
    ///
    /// The box is made inline: the allocation and the move cost less there
    /// than a call that would let the handle's address escape the caller's
    /// loop.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) fn started(&mut self) -> Option<Pin<&mut P>> {
        // Started, almost always: tested first, on its own.
        if matches!(self, Lazy::Started(_)) {
            let Lazy::Started(pinned) = self else {
                crate::util::panics::invariant("a started handle holds its driver")
            };
            return Some(pinned.as_mut());
        }
        if let Lazy::Created(_) = self {
            if let Lazy::Created(body) = core::mem::replace(self, Lazy::closed()) {
                *self = Lazy::Started(Box::pin(P::new(body)));
            }
        }
        match self {
            Lazy::Started(pinned) => Some(pinned.as_mut()),
            _ => None,
        }
    }

    /// Frees the box once the driver has closed.
    ///
    /// Inlined with everything it drops: the box's address then never
    /// reaches a call LLVM cannot see into, so the body's state in it is not
    /// treated as escaped memory (a `black_box` or any opaque call in the
    /// caller's loop would otherwise force every store to it to happen item
    /// by item), and for a body that cannot catch a close LLVM may even
    /// remove the allocation.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) fn release_if_closed(&mut self) {
        if matches!(self, Lazy::Started(pinned) if pinned.state() == GenState::Closed) {
            *self = Lazy::closed();
        }
    }

    /// An unstarted handle's body made into another (boxed), or a closed
    /// one kept closed.
    ///
    /// # Panics
    ///
    /// When it has started (`what` is the method, for the message).
    ///
    /// Out of line: it takes the handle by reference then, and moves the
    /// body once, into its box. Inlined into `Gen::boxed`, LLVM copied the
    /// whole handle onto the stack first (measured: a recursive tree walk,
    /// two `.boxed()` per leaf, 1,202 → 1,184 instructions per leaf with
    /// fat LTO).
    #[inline(never)]
    pub(crate) fn map_body<Q: Pinned>(
        self,
        what: &str,
        f: impl FnOnce(P::Body) -> Q::Body,
    ) -> Lazy<Q> {
        match self {
            Lazy::Created(body) => Lazy::Created(f(body)),
            Lazy::Closed(_) => Lazy::closed(),
            Lazy::Started(_) => crate::util::panics::already_started(what),
        }
    }
}
