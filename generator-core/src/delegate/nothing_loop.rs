//! `yield_from!` of a generator that takes nothing (`send = ()`, no throw
//! type) from one that does.

use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

use crate::body::raise::Thrown;
use crate::delegate::generator_loop::LoopAt;
use crate::delegate::outcome::{Delegated, Same};
use crate::engine::channel::channel;
use crate::engine::signal::{Input, Output};
use crate::protocol::generator::Generator;
use crate::protocol::state::{GeneratorState, NoThrow};
use crate::util::types::Types;

/// What a [`NothingLoop`] evaluates to once its delegate completes (`Some`)
/// or was found already closed (`None`).
#[doc(hidden)]
pub trait Finish<R> {
    type Output;
    fn finish(returned: Option<R>) -> Self::Output;
}

/// A fresh generator delegated to by value: its return value.
#[doc(hidden)]
#[derive(Debug)]
pub enum Fresh {}

impl<R> Finish<R> for Fresh {
    type Output = R;
    fn finish(returned: Option<R>) -> R {
        match returned {
            Some(r) => r,
            None => crate::util::panics::invariant("a fresh delegate completes before it closes"),
        }
    }
}

/// A generator delegated to through `&mut`: `Option` of its return value.
#[doc(hidden)]
#[derive(Debug)]
pub enum Borrowed {}

impl<R> Finish<R> for Borrowed {
    type Output = Option<R>;
    fn finish(returned: Option<R>) -> Option<R> {
        returned
    }
}

/// The future of `yield_from!` of a generator that takes nothing: a loop
/// that resumes it with `next()` and re-yields what it yields.
#[doc(hidden)]
pub struct NothingLoop<G, Y, S, E, M> {
    delegate: G,
    at: LoopAt<Y, S>,
    types: Types<Y, S, E>,
    finish: core::marker::PhantomData<fn() -> M>,
}

impl<G, Y, S, E, M> NothingLoop<G, Y, S, E, M> {
    pub(crate) fn new(delegate: G) -> Self {
        NothingLoop {
            delegate,
            at: LoopAt::Start,
            types: Types::default(),
            finish: core::marker::PhantomData,
        }
    }
}

impl<G: Unpin, Y, S, E, M> Unpin for NothingLoop<G, Y, S, E, M> {}

impl<G, Y, S, E, M> Future for NothingLoop<G, Y, S, E, M>
where
    G: Generator<Yield = Y, Send = (), Throw = NoThrow> + Unpin,
    M: Finish<G::Return>,
{
    type Output = Delegated<M::Output, Thrown<E>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let Some(channel) = channel::<Y, S, E>(cx) else {
            return Poll::Pending;
        };
        let mut g = Pin::new(&mut this.delegate);
        loop {
            let step = match core::mem::replace(&mut this.at, LoopAt::Waiting) {
                LoopAt::Start => g.as_mut().resume(),
                LoopAt::Leave(output) => {
                    channel.output = output;
                    return Poll::Pending;
                }
                LoopAt::Waiting => match channel.input.take() {
                    Some(Input::Next(_)) => g.as_mut().resume(),
                    // The delegate cannot take it: back to the caller, and
                    // the delegation stays where it was.
                    Some(Input::Send(s)) => {
                        this.at = LoopAt::Leave(Output::Rejected(s));
                        continue;
                    }
                    // Nor this: raised here, in the delegating body.
                    Some(Input::Throw(e)) => return Poll::Ready(Delegated::Raised(Thrown(e))),
                    Some(Input::Close) => match g.as_mut().close() {
                        Ok(Some(r)) => {
                            return Poll::Ready(Delegated::ClosedWith(Same(M::finish(Some(r)))));
                        }
                        Ok(None) => return Poll::Ready(Delegated::Closed),
                        Err(ignored) => {
                            this.at = LoopAt::Leave(Output::Yielded(ignored.into_inner()));
                            continue;
                        }
                    },
                    // Polled again without a value: see `Suspend`.
                    None => {
                        channel.output = Output::Missing;
                        return Poll::Pending;
                    }
                },
            };
            match step {
                Some(GeneratorState::Yielded(y)) => this.at = LoopAt::Leave(Output::Yielded(y)),
                Some(GeneratorState::Complete(r)) => {
                    return Poll::Ready(Delegated::Returned(M::finish(Some(r))));
                }
                None => return Poll::Ready(Delegated::Returned(M::finish(None))),
            }
        }
    }
}
