//! What a resume that unwinds (a panic in the body) leaves behind: a closed
//! generator, whose body is never polled again.

use core::pin::Pin;
use core::ptr::NonNull;

use crate::direct::Frames;

/// Writes the closed phase when dropped before [`defuse`](Self::defuse):
/// held across the body's poll, so a panic out of it closes the generator
/// on its way out, and the phase needs no store on the way in.
///
/// Both drivers use it (`PinnedGen` and `PinnedAsyncGen`, each with its own
/// phase type). On the way out of a panic the phase is then known to be
/// closed, so the drop of the generator that follows in the caller's cleanup
/// has no close to run, and LLVM sees that.
///
/// The body is dropped on the way out too (also by a resume that ends it:
/// it drops the guard armed). The panic left
/// the innermost body it ran in (the driver polls a direct delegation's
/// body itself, see `direct.rs`), so the levels that delegate to it are not
/// unwound by it: dropping them here runs their destructors during the
/// unwinding, innermost first, as if the panic had passed through each
/// `yield_from!` — which is what it does when the levels are nested polls.
/// A body without delegations has nothing left to drop by then: the panic
/// unwound through it.
pub(crate) struct ClosedOnUnwind<'a, F, P: Copy> {
    phase: Option<&'a mut P>,
    closed: P,
    body: Pin<&'a mut Option<F>>,
    frames: Option<NonNull<Frames>>,
}

impl<'a, F, P: Copy> ClosedOnUnwind<'a, F, P> {
    #[inline(always)]
    pub(crate) fn new(
        phase: &'a mut P,
        closed: P,
        body: Pin<&'a mut Option<F>>,
        frames: Option<NonNull<Frames>>,
    ) -> Self {
        ClosedOnUnwind {
            phase: Some(phase),
            closed,
            body,
            frames,
        }
    }

    /// The body, to poll while the guard is armed.
    #[inline(always)]
    pub(crate) fn body(&mut self) -> Pin<&mut Option<F>> {
        self.body.as_mut()
    }

    #[inline(always)]
    pub(crate) fn defuse(mut self) -> &'a mut P {
        match self.phase.take() {
            Some(phase) => phase,
            None => crate::panics::invariant("a resume guard is defused once"),
        }
    }
}

impl<F, P: Copy> Drop for ClosedOnUnwind<'_, F, P> {
    #[inline(always)]
    fn drop(&mut self) {
        if let Some(phase) = self.phase.take() {
            *phase = self.closed;
            crate::pinned::drop_body(self.body.as_mut(), self.frames);
        }
    }
}
