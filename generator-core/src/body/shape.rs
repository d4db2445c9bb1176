//! What a generator holds its body's future in, as the `#[generator]`
//! expansion asks: the expansion knows from the body's tokens whether a
//! close can be caught in it and whether it delegates, and names the shape
//! that says so. The shapes are sealed: a crate that redirects `::pygen` to
//! itself can name a type of its own, but no such type is a [`Shape`].

use core::future::Future;

use crate::body::delegating::DelegatingBody;
use crate::body::plain::BodyOf;

/// A body without `yield_catch!` and without `yield_from!`: a close can
/// only reach a plain `yield_!`, so closing or dropping the generator drops
/// the body without resuming it.
#[derive(Debug, Clone, Copy)]
pub struct Plain;

/// A body that may catch a close (`yield_catch!`), or any async body: a
/// close resumes it.
#[derive(Debug, Clone, Copy)]
pub struct Catching;

/// A body with `yield_from!`: it keeps the stack of the direct delegations
/// it makes (see `engine/stack.rs`).
#[derive(Debug, Clone, Copy)]
pub struct Delegating;

/// How a shape holds the future `F` of a generator of `Y`, `S`, `E`.
pub trait Shape<F: Future, Y, S, E>: sealed::Sealed {
    /// The body the generator keeps.
    type Body: Future<Output = F::Output>;

    /// Wraps the future, unstarted.
    fn hold(future: F) -> Self::Body;
}

impl<F: Future, Y, S, E> Shape<F, Y, S, E> for Plain {
    type Body = BodyOf<F, false>;

    #[cfg_attr(not(debug_assertions), inline(always))]
    fn hold(future: F) -> Self::Body {
        BodyOf::new(future)
    }
}

impl<F: Future, Y, S, E> Shape<F, Y, S, E> for Catching {
    type Body = BodyOf<F, true>;

    #[cfg_attr(not(debug_assertions), inline(always))]
    fn hold(future: F) -> Self::Body {
        BodyOf::new(future)
    }
}

impl<F: Future, Y, S, E> Shape<F, Y, S, E> for Delegating {
    type Body = DelegatingBody<F, Y, S, E>;

    #[cfg_attr(not(debug_assertions), inline(always))]
    fn hold(future: F) -> Self::Body {
        DelegatingBody::new(future)
    }
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::Plain {}
    impl Sealed for super::Catching {}
    impl Sealed for super::Delegating {}
}
