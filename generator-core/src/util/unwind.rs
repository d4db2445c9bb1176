//! What a resume that unwinds (a panic in the body) leaves behind: a closed
//! generator, whose body is never polled again.

/// Writes the closed phase when dropped before [`defuse`](Self::defuse):
/// held across the body's poll, so a panic out of it closes the generator
/// on its way out, and the phase needs no store on the way in.
///
/// Both drivers use it (`PinnedGen` and `PinnedAsyncGen`, each with its own
/// phase type). On the way out of a panic the phase is then known to be
/// closed, so the drop of the generator that follows in the caller's cleanup
/// has no close to run, and LLVM sees that.
pub(crate) struct ClosedOnUnwind<'a, P: Copy> {
    phase: Option<&'a mut P>,
    closed: P,
}

impl<'a, P: Copy> ClosedOnUnwind<'a, P> {
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) fn new(phase: &'a mut P, closed: P) -> Self {
        ClosedOnUnwind {
            phase: Some(phase),
            closed,
        }
    }

    /// The poll returned: hands the phase back for the caller to settle.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) fn defuse(mut self) -> &'a mut P {
        match self.phase.take() {
            Some(phase) => phase,
            None => crate::util::panics::invariant("a resume guard is defused once"),
        }
    }
}

impl<P: Copy> Drop for ClosedOnUnwind<'_, P> {
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn drop(&mut self) {
        if let Some(phase) = self.phase.take() {
            *phase = self.closed;
        }
    }
}
