//! The hidden constructor the `#[generator]` expansion calls: it hands the
//! body its [`Co`], holds the future the body makes as the expansion's
//! [`Shape`] says, and makes the handle the generator function returns,
//! unstarted. It is `unsafe` for one reason (SAFETY.md, invariant 2): the
//! `Co` must stay in the future the body makes.

use core::future::Future;

use crate::body::Body;
use crate::body::co::Co;
use crate::body::shape::Shape;
use crate::handle::async_movable::AsyncGen;
use crate::handle::movable::Gen;

/// Builds a generator from its body: `Gen` or `AsyncGen`, as the caller's
/// type says. The `#[generator]` expansion is the caller: it hands the body
/// a [`Co`] under a name the body's code cannot spell, which is what keeps
/// every yield inside the generator it belongs to. Not a public API.
///
/// # Safety
///
/// `body` must move the `Co` it receives into the future it returns and use
/// it only there, for the yields of that future's own code: a `Co` kept
/// elsewhere (a static, a captured cell, another generator's body) makes
/// yields of these types that another generator's driver, of other types,
/// would receive (SAFETY.md, invariant 2).
#[doc(hidden)]
#[cfg_attr(not(debug_assertions), inline(always))]
pub unsafe fn from_body<H, K, C, F, Y, S, E>(_shape: K, body: C) -> H
where
    C: FnOnce(Co<Y, S, E>) -> F,
    F: Future,
    K: Shape<F, Y, S, E>,
    H: Handle<K::Body, Y, S, E>,
{
    H::created(K::hold(body(Co::new())))
}

/// The handles [`from_body`] makes. Sealed: it is not re-exported, so no
/// other crate can name it, implement it or call `created`.
pub trait Handle<B, Y, S, E> {
    /// The handle of `body`, not started.
    fn created(body: B) -> Self;
}

impl<B: Body, Y, S, E> Handle<B, Y, S, E> for Gen<B, Y, S, E> {
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn created(body: B) -> Self {
        Gen::created(body)
    }
}

impl<B: Body, Y, S, E> Handle<B, Y, S, E> for AsyncGen<B, Y, S, E> {
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn created(body: B) -> Self {
        AsyncGen::created(body)
    }
}
