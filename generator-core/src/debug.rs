//! `Debug` for the generator handles: what a user needs to see in a log or
//! an assertion — which handle, its state, and the types of its protocol —
//! and never its body, whose future has no useful `Debug` (and whose
//! captured values may have none at all).

use core::any::type_name;
use core::fmt;
use core::future::Future;

use crate::state::GenState;
use crate::{AsyncGen, Body, Gen, PinnedAsyncGen, PinnedGen};

/// Writes `Name { state, yield, send, throw, return, .. }`.
fn generator<Y, S, E, R>(f: &mut fmt::Formatter<'_>, name: &str, state: GenState) -> fmt::Result {
    f.debug_struct(name)
        .field("state", &state)
        .field("yield", &type_name::<Y>())
        .field("send", &type_name::<S>())
        .field("throw", &type_name::<E>())
        .field("return", &type_name::<R>())
        .finish_non_exhaustive()
}

impl<F: Body, Y, S, E> fmt::Debug for Gen<F, Y, S, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        generator::<Y, S, E, F::Output>(f, "Gen", self.state())
    }
}

impl<F: Body, Y, S, E> fmt::Debug for PinnedGen<F, Y, S, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        generator::<Y, S, E, F::Output>(f, "PinnedGen", self.state())
    }
}

impl<F: Future, Y, S, E> fmt::Debug for AsyncGen<F, Y, S, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        generator::<Y, S, E, F::Output>(f, "AsyncGen", self.state())
    }
}

impl<F: Future, Y, S, E> fmt::Debug for PinnedAsyncGen<F, Y, S, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        generator::<Y, S, E, F::Output>(f, "PinnedAsyncGen", self.state())
    }
}
