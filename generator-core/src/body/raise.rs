//! How a thrown error leaves a body: the expansion of `yield_!` and
//! `yield_from!` in a generator with `throw = E` ends in
//! `return Raise::raise(thrown)`. The trait makes that line typecheck only
//! where an error can really arrive, so a generator whose return type is not
//! a `Result` can still delegate to generators (which never raise here:
//! their errors come back inside their return value).

use core::convert::Infallible;

use crate::protocol::state::NoThrow;

/// An error thrown into a generator (`throw(e)`) that reached a plain
/// `yield_!` (or a `yield_from!` of a plain iterator), on its way out as the
/// body's `Err(e.into())`.
///
/// It appears only in compile errors: when a generator declares
/// `throw = E`, its return type must be a `Result<_, X>` with `X: From<E>`,
/// or the body must catch thrown errors with `yield_catch!`.
#[derive(Debug)]
pub struct Thrown<E>(#[doc(hidden)] pub E);

/// Turns what a yield point raised into the body's return value.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "this generator declares a throw type, so its `yield_!` must be able to return the thrown error: `{R}` is not a `Result` whose error type converts from it",
    label = "`throw(e)` makes the body return `Err(e.into())` from here",
    note = "use `yield_catch!(value)` to handle thrown errors in the body, or make the function return `Result<_, X>` where `X: From<E>`"
)]
pub trait Raise<R> {
    fn raise(self) -> R;
}

#[diagnostic::do_not_recommend]
impl<R> Raise<R> for Infallible {
    fn raise(self) -> R {
        match self {}
    }
}

#[diagnostic::do_not_recommend]
impl<T, X, E> Raise<Result<T, X>> for Thrown<E>
where
    X: From<E>,
{
    #[inline]
    fn raise(self) -> Result<T, X> {
        Err(X::from(self.0))
    }
}

/// What a yield point can raise in a generator without a throw type: no
/// value at all.
#[doc(hidden)]
pub trait Absurd {
    fn absurd(self) -> Infallible;
}

impl Absurd for Infallible {
    fn absurd(self) -> Infallible {
        self
    }
}

impl Absurd for Thrown<NoThrow> {
    fn absurd(self) -> Infallible {
        match self.0 {}
    }
}
