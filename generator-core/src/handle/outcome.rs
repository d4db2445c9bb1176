//! What a resume of the driver (`driver.rs`) comes to for the caller of
//! each protocol method: the faces turn a [`Step`] into Python's answer
//! with these.

use crate::engine::signal::Step;
use crate::protocol::error::{ResumeError, ResumeErrorKind};
use crate::protocol::state::GeneratorState;

/// What a resume that cannot be rejected or abandoned (start, next, throw)
/// came to, for the caller.
#[cfg_attr(not(debug_assertions), inline(always))]
pub(crate) fn state_after<Y, R, S>(step: Step<Y, R, S>) -> GeneratorState<Y, R> {
    match step {
        Step::Yielded(y) => GeneratorState::Yielded(y),
        Step::Complete(r) => GeneratorState::Complete(r),
        Step::Rejected(_) | Step::Abandoned => {
            crate::util::panics::invariant("only a send is rejected and only a close abandons")
        }
    }
}

/// What a send came to: a value that a delegation could not take comes back
/// in the error.
#[cfg_attr(not(debug_assertions), inline(always))]
pub(crate) fn send_result<Y, R, S>(
    step: Step<Y, R, S>,
) -> Result<GeneratorState<Y, R>, ResumeError<S>> {
    match step {
        Step::Yielded(y) => Ok(GeneratorState::Yielded(y)),
        Step::Complete(r) => Ok(GeneratorState::Complete(r)),
        Step::Rejected(s) => Err(ResumeError::new(ResumeErrorKind::Undeliverable, s)),
        Step::Abandoned => crate::util::panics::invariant("only a close abandons a body"),
    }
}

/// What an async `next()` came to. It may finish a resume that an earlier
/// call began and dropped, such as an `aclose` whose cleanup awaited: if
/// that one drops the body, the generator is closed and there is nothing
/// next.
pub(crate) fn next_result<Y, R, S>(step: Step<Y, R, S>) -> Option<GeneratorState<Y, R>> {
    match step {
        Step::Abandoned => None,
        step => Some(state_after(step)),
    }
}
