//! The body layer: what a generator's code becomes and what it holds —
//! [`Body`] (with the plain and the delegating bodies that implement it),
//! the handle [`Co`](co::Co) its yields go through, the delegations it may
//! open, and how it raises a thrown error.

pub(crate) mod co;
pub(crate) mod delegating;
pub(crate) mod delegation;
pub(crate) mod plain;
pub(crate) mod raise;
pub(crate) mod shape;

use core::future::Future;
use core::pin::Pin;

/// The body of a generator: the future that a `#[generator]` function's
/// code becomes.
///
/// A generator function returns `Gen<impl Body<Output = R>, Y, S, E>` (an
/// `async fn` one `AsyncGen<impl Body<Output = R>, Y, S, E>`); that
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
/// bodies of `BoxGen`, `BoxGenSend` and `BoxAsyncGen`; it cannot be
/// implemented elsewhere.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a generator body (`pygen::Body`)",
    label = "not a `pygen::Body`",
    note = "a `#[generator]` function returns `Gen<impl pygen::Body<Output = R>, Y, S, E>` \
            (an `async fn` one `AsyncGen<impl pygen::Body<Output = R>, Y, S, E>`): \
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
    #[cfg_attr(not(debug_assertions), inline(always))]
    unsafe fn resume_top(self: Pin<&mut Self>, channel: core::ptr::NonNull<()>) -> Top {
        let _ = (self, channel);
        Top::NoFrame
    }
}

pub(crate) mod sealed {
    /// Implemented by the bodies of this crate only.
    pub trait Sealed {}
}

/// What [`DelegatingBody::next_top`] did.
#[doc(hidden)]
#[derive(Debug)]
pub enum Top {
    /// No frame is running: nothing happened; the driver resumes the body.
    NoFrame,
    /// A frame suspended: what it left is in the channel.
    Suspended,
    /// The frames ran until none was left (the last one completed): the
    /// resume goes on in the body's own code, through `poll`, without an
    /// input (a frame took it).
    Continue,
}
