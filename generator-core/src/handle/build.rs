//! The hidden constructors the `#[generator]` expansion calls: each hands
//! the body its [`Co`] and keeps the future it makes, unstarted. They are
//! `unsafe` for one reason, the same for all (SAFETY.md, invariant 2): the
//! `Co` must stay in the future the body makes.

use core::future::Future;

use crate::body::co::Co;
use crate::body::delegating::DelegatingBody;
use crate::body::plain::BodyOf;
use crate::handle::async_movable::AsyncGen;
use crate::handle::movable::Gen;

impl<F, Y, S, E, const CLOSE_RESUMES: bool> Gen<BodyOf<F, CLOSE_RESUMES>, Y, S, E>
where
    F: Future,
{
    /// Hands the body its `Co` and keeps the future it makes, unstarted.
    #[inline(always)]
    fn build<C>(body: C) -> Self
    where
        C: FnOnce(Co<Y, S, E>) -> F,
    {
        Gen::created(BodyOf::new(body(Co::new())))
    }
}

impl<F, Y, S, E> Gen<BodyOf<F, true>, Y, S, E>
where
    F: Future,
{
    /// Builds a generator from its body. The `#[generator]` expansion is the
    /// caller: it hands the body a [`Co`] under a name the body's code cannot
    /// spell, which is what keeps every yield inside the generator it
    /// belongs to. Not a public API.
    ///
    /// # Safety
    ///
    /// `body` must move the `Co` it receives into the future it returns and
    /// use it only there, for the yields of that future's own code: a `Co`
    /// kept elsewhere (a static, a captured cell, another generator's body)
    /// makes yields of these types that another generator's driver, of other
    /// types, would receive (SAFETY.md, invariant 2).
    #[doc(hidden)]
    #[inline(always)]
    pub unsafe fn from_body<C>(body: C) -> Self
    where
        C: FnOnce(Co<Y, S, E>) -> F,
    {
        Self::build(body)
    }
}

impl<F, Y, S, E> Gen<DelegatingBody<F, Y, S, E>, Y, S, E>
where
    F: Future,
{
    /// [`Gen::from_body`] for a body with `yield_from!`: it keeps the stack
    /// of the direct delegations it makes (see `engine/stack.rs`). Not a public
    /// API.
    ///
    /// # Safety
    ///
    /// As for [`Gen::from_body`]: the `Co` stays in the future `body` makes.
    #[doc(hidden)]
    #[inline(always)]
    pub unsafe fn from_delegating_body<C>(body: C) -> Self
    where
        C: FnOnce(Co<Y, S, E>) -> F,
    {
        Gen::created(DelegatingBody::new(body(Co::new())))
    }
}

impl<F, Y, S, E> Gen<BodyOf<F, false>, Y, S, E>
where
    F: Future,
{
    /// [`Gen::from_body`] for a body without `yield_catch!` and without
    /// `yield_from!`: a close can only reach a plain `yield_!`, so closing
    /// or dropping it drops the body without resuming it. Not a public API.
    ///
    /// # Safety
    ///
    /// As for [`Gen::from_body`]: the `Co` stays in the future `body` makes.
    #[doc(hidden)]
    #[inline(always)]
    pub unsafe fn from_plain_body<C>(body: C) -> Self
    where
        C: FnOnce(Co<Y, S, E>) -> F,
    {
        Self::build(body)
    }
}

impl<F, Y, S, E> AsyncGen<F, Y, S, E>
where
    F: Future,
{
    /// Builds an async generator from its body; see
    /// [`Gen::from_body`](crate::Gen::from_body). Not a public API.
    ///
    /// # Safety
    ///
    /// As for [`Gen::from_body`](crate::Gen::from_body): the `Co` stays in
    /// the future `body` makes.
    #[doc(hidden)]
    #[inline(always)]
    pub unsafe fn from_body<C>(body: C) -> Self
    where
        C: FnOnce(Co<Y, S, E>) -> F,
    {
        AsyncGen::created(body(Co::new()))
    }
}

impl<F, Y, S, E> AsyncGen<DelegatingBody<F, Y, S, E>, Y, S, E>
where
    F: Future,
{
    /// [`AsyncGen::from_body`] for a body with `yield_from!`: it keeps the
    /// stack of the direct delegations it makes (see `engine/stack.rs`). Not a
    /// public API.
    ///
    /// # Safety
    ///
    /// As for [`Gen::from_body`](crate::Gen::from_body): the `Co` stays in
    /// the future `body` makes.
    #[doc(hidden)]
    #[inline(always)]
    pub unsafe fn from_delegating_body<C>(body: C) -> Self
    where
        C: FnOnce(Co<Y, S, E>) -> F,
    {
        AsyncGen::created(DelegatingBody::new(body(Co::new())))
    }
}
