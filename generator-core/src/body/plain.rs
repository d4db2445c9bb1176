//! The bodies `#[generator]` makes without `yield_from!` ([`BodyOf`]), and
//! the boxed bodies of `BoxGen`: a future, plus whether a close must resume
//! it — known from its type, so that the drop of a generator whose body
//! cannot catch a close compiles to nothing but the drop.

use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

use crate::body::{Body, sealed};

/// A body made by `#[generator]`: the function's `async` block, marked with
/// whether a close must resume it. Polling it polls the block.
#[doc(hidden)]
pub struct BodyOf<F, const CLOSE_RESUMES: bool> {
    /// Structurally pinned.
    future: F,
}

impl<F, const CLOSE_RESUMES: bool> BodyOf<F, CLOSE_RESUMES> {
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) fn new(future: F) -> Self {
        BodyOf { future }
    }
}

impl<F: Future, const CLOSE_RESUMES: bool> Future for BodyOf<F, CLOSE_RESUMES> {
    type Output = F::Output;

    #[cfg_attr(not(debug_assertions), inline(always))]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        // SAFETY: `future` is structurally pinned: `BodyOf` has no `Drop`
        // impl, is not `repr(packed)`, is `Unpin` only when `F` is (auto
        // trait), and never moves `future` out (it has no method that does).
        unsafe { self.map_unchecked_mut(|body| &mut body.future) }.poll(cx)
    }
}

impl<F, const CLOSE_RESUMES: bool> sealed::Sealed for BodyOf<F, CLOSE_RESUMES> {}

impl<F: Future, const CLOSE_RESUMES: bool> Body for BodyOf<F, CLOSE_RESUMES> {
    const CLOSE_RESUMES: bool = CLOSE_RESUMES;
}

/// A boxed body no longer says whether it catches a close: a close always
/// resumes it (for a body that cannot catch one, its `yield_!` then drops it
/// in place, as the skipped resume would have).
#[cfg(feature = "alloc")]
impl<R> sealed::Sealed for Pin<alloc::boxed::Box<dyn Future<Output = R> + '_>> {}

#[cfg(feature = "alloc")]
impl<R> Body for Pin<alloc::boxed::Box<dyn Future<Output = R> + '_>> {
    const CLOSE_RESUMES: bool = true;
}

#[cfg(feature = "alloc")]
impl<R> sealed::Sealed for Pin<alloc::boxed::Box<dyn Future<Output = R> + Send + '_>> {}

#[cfg(feature = "alloc")]
impl<R> Body for Pin<alloc::boxed::Box<dyn Future<Output = R> + Send + '_>> {
    const CLOSE_RESUMES: bool = true;
}
