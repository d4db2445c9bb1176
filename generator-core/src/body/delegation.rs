//! What a `yield_from!` may open: the sealed [`Delegation`] trait that
//! [`Co::delegate`](crate::__private::Co::delegate) accepts, defined here,
//! below the dispatch that implements it (`delegate/dispatch.rs`), so that
//! the handle does not import the dispatch.

use core::future::Future;

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

pub(crate) mod sealed {
    pub trait Sealed {}

    /// The delegation futures polling yields of types `Y`, `S`, `E`.
    pub trait Of<Y, S, E> {}

    /// What opens a [`Planned`](crate::__private::Planned): public, so that the
    /// trait's method can name it, but only this crate can make one.
    #[derive(Debug)]
    pub struct Key(());

    impl Key {
        #[cfg_attr(not(debug_assertions), inline(always))]
        pub(crate) fn new() -> Self {
            Key(())
        }
    }
}
