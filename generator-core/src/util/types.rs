//! Small things every layer uses: the invariant marker of a generator's
//! types, and whether the thread is panicking.

use core::marker::PhantomData;

/// Invariant in `Y`, `S` and `E`, and `Send + Sync + Unpin` whatever they are:
/// the handle and the yield futures hold no value of those types themselves
/// except the one being yielded; a channel, a frame or a delegation of one
/// generator's types never passes for another's.
pub type Types<Y, S, E> = PhantomData<fn(Y, S, E) -> (Y, S, E)>;

/// Whether a generator being dropped should skip its close: true while the
/// thread unwinds (a close handler that panicked now would abort).
#[inline]
pub(crate) fn panicking() -> bool {
    #[cfg(feature = "std")]
    {
        std::thread::panicking()
    }
    #[cfg(not(feature = "std"))]
    {
        false
    }
}
