//! What a synchronous generator's body is: a future, plus whether a close
//! must resume it — known from its type, so that the drop of a generator
//! whose body cannot catch a close compiles to nothing but the drop.

use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

/// The body of a synchronous generator: the future that a `#[generator]`
/// function's code becomes.
///
/// A generator function returns `Gen<impl Body<Output = R>, Y, S, E>`; that
/// is how to name its type in a trait:
///
/// ```
/// use pygen::{generator, yield_, Body, Gen};
///
/// trait Numbers {
///     fn numbers(&self) -> Gen<impl Body<Output = ()>, u32>;
/// }
///
/// struct Upto(u32);
///
/// impl Numbers for Upto {
///     #[generator(yield = u32)]
///     fn numbers(&self) {
///         for i in 0..self.0 {
///             yield_!(i);
///         }
///     }
/// }
///
/// assert_eq!(Upto(3).numbers().collect::<Vec<_>>(), [0, 1, 2]);
/// ```
///
/// It is implemented by the bodies `#[generator]` makes and by the boxed
/// bodies of `BoxGen` and `BoxGenSend`; it cannot be implemented elsewhere.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a generator body (`pygen::Body`)",
    label = "not a `pygen::Body`",
    note = "a `#[generator]` function returns `Gen<impl pygen::Body<Output = R>, Y, S, E>`: \
            write `impl pygen::Body<Output = ..>`, not `impl Future<Output = ..>`, to name its type"
)]
pub trait Body: Future + sealed::Sealed {
    /// Whether a close must resume the body: false only for a
    /// `#[generator]` body without `yield_catch!` and without `yield_from!`,
    /// where a close can only reach a plain `yield_!`, which drops the body
    /// in place anyway (then `close` and `drop` skip the resume, and the
    /// body's code stays out of `drop`); always true for a boxed body.
    #[doc(hidden)]
    const CLOSE_RESUMES: bool;

    /// Whether the body may have direct delegations on a stack of its own
    /// (it has `yield_from!`): only then does `next()` try
    /// [`resume_top`](Body::resume_top) first.
    #[doc(hidden)]
    const DELEGATES: bool = false;

    /// `next()` straight to the innermost direct delegation, when one is
    /// running: runs the frames of the body's stack under `channel`, from
    /// the top one down, without polling the body's own code (see
    /// `DelegatingBody::next_top`).
    ///
    /// # Safety
    ///
    /// `channel` must be the address of a `Channel<Y, S, E>` of the types
    /// of the generator that drives this body, made by its driver for a
    /// `next()` and valid for the call, which nothing else reaches while it
    /// runs, as `channel::poll_under` requires of it.
    #[doc(hidden)]
    #[inline(always)]
    unsafe fn resume_top(
        self: Pin<&mut Self>,
        channel: core::ptr::NonNull<()>,
    ) -> crate::direct::Top {
        let _ = (self, channel);
        crate::direct::Top::NoFrame
    }
}

mod sealed {
    pub trait Sealed {}
}

/// A body made by `#[generator]`: the function's `async` block, marked with
/// whether a close must resume it. Polling it polls the block.
#[doc(hidden)]
pub struct BodyOf<F, const CLOSE_RESUMES: bool> {
    /// Structurally pinned.
    future: F,
}

impl<F, const CLOSE_RESUMES: bool> BodyOf<F, CLOSE_RESUMES> {
    #[inline(always)]
    pub(crate) fn new(future: F) -> Self {
        BodyOf { future }
    }
}

impl<F: Future, const CLOSE_RESUMES: bool> Future for BodyOf<F, CLOSE_RESUMES> {
    type Output = F::Output;

    #[inline(always)]
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

impl<F, Y, S, E> sealed::Sealed for crate::direct::DelegatingBody<F, Y, S, E> {}

/// A body with `yield_from!`: a delegate may catch a close.
impl<F: Future, Y, S, E> Body for crate::direct::DelegatingBody<F, Y, S, E> {
    const CLOSE_RESUMES: bool = true;
    const DELEGATES: bool = true;

    #[inline(always)]
    unsafe fn resume_top(
        self: Pin<&mut Self>,
        channel: core::ptr::NonNull<()>,
    ) -> crate::direct::Top {
        // SAFETY: the contract of `resume_top`, which is that of
        // `DelegatingBody::next_top` with the types made explicit.
        unsafe { self.next_top(channel.cast()) }
    }
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
