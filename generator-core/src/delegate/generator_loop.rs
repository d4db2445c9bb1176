//! `yield_from!` of any [`Generator`]: a loop that resumes it through its
//! own protocol and re-yields what it yields. One state machine for the two
//! ways it can be delegated to ([`Passing`]): a delegate of the delegating
//! generator's own types takes what that one is sent and thrown; one that
//! takes nothing (`send = ()`, no throw type) hands a sent value back and
//! lets a thrown error be raised in the delegating body.

use core::convert::Infallible;
use core::future::Future;
use core::marker::PhantomData;
use core::pin::Pin;
use core::task::{Context, Poll};

use crate::body::raise::Thrown;
use crate::delegate::outcome::{Delegated, Same};
use crate::engine::channel::channel;
use crate::engine::signal::{Input, Output};
use crate::protocol::generator::Generator;
use crate::protocol::state::{GeneratorState, NoThrow};
use crate::util::types::Types;

/// What a resume of the delegate came to: a state, or `None` once closed.
type Resumed<G> = Option<GeneratorState<<G as Generator>::Yield, <G as Generator>::Return>>;

/// How a [`GeneratorLoop`] passes on what the delegating generator is sent
/// and thrown, and what the delegation evaluates to.
#[doc(hidden)]
pub trait Passing<G: Generator, S, E> {
    /// The value of the `yield_from!`.
    type Value;
    /// What the delegation can raise in the delegating body.
    type Raised;
    /// The value, from the delegate's return value (`None`: it had closed).
    fn finish(returned: Option<G::Return>) -> Self::Value;
    /// Sends `s` to the delegate, or hands it back (`Err`).
    fn send(delegate: Pin<&mut G>, s: S) -> Result<Resumed<G>, S>;
    /// Throws `e` into the delegate, or raises it in the delegating body.
    fn throw(delegate: Pin<&mut G>, e: E) -> Result<Resumed<G>, Self::Raised>;
}

/// A delegate of the delegating generator's own types, through `&mut` or
/// by value: it takes what is sent and thrown; the `yield_from!` evaluates
/// to `Option` of its return value (`None` if it had finished) and never
/// raises.
#[doc(hidden)]
#[derive(Debug)]
pub enum PassesAll {}

impl<G, S, E> Passing<G, S, E> for PassesAll
where
    G: Generator<Send = S, Throw = E>,
{
    type Value = Option<G::Return>;
    type Raised = Infallible;

    fn finish(returned: Option<G::Return>) -> Option<G::Return> {
        returned
    }

    fn send(delegate: Pin<&mut G>, s: S) -> Result<Resumed<G>, S> {
        // Undeliverable (the delegate delegates to an iterator), or a
        // delegate that broke the protocol and closed itself: either way the
        // value goes back to the caller of `send`.
        delegate
            .send(s)
            .map(Some)
            .map_err(|refused| refused.into_inner())
    }

    fn throw(delegate: Pin<&mut G>, e: E) -> Result<Resumed<G>, Infallible> {
        match delegate.throw(e) {
            Ok(state) => Ok(Some(state)),
            Err(_) => panic!(
                "yield_from!: the delegate refused a throw while suspended, \
                 which breaks the Generator protocol"
            ),
        }
    }
}

/// A fresh generator that takes nothing, delegated to by value: the
/// `yield_from!` evaluates to its return value.
#[doc(hidden)]
#[derive(Debug)]
pub enum Fresh {}

/// A generator that takes nothing, delegated to through `&mut`: `Option` of
/// its return value.
#[doc(hidden)]
#[derive(Debug)]
pub enum Borrowed {}

/// What a delegate that takes nothing returns, as the `yield_from!`'s value.
#[doc(hidden)]
pub trait Finish<R> {
    type Value;
    fn finish(returned: Option<R>) -> Self::Value;
}

impl<R> Finish<R> for Fresh {
    type Value = R;
    fn finish(returned: Option<R>) -> R {
        match returned {
            Some(r) => r,
            None => crate::util::panics::invariant("a fresh delegate completes before it closes"),
        }
    }
}

impl<R> Finish<R> for Borrowed {
    type Value = Option<R>;
    fn finish(returned: Option<R>) -> Option<R> {
        returned
    }
}

/// A delegate that takes nothing, fresh or borrowed (`M`): a sent value
/// goes back to the caller of `send` (the delegation stays where it was); a
/// thrown error is raised in the delegating body at the `yield_from!`.
#[doc(hidden)]
#[derive(Debug)]
pub struct TakesNothing<M>(PhantomData<M>, Infallible);

impl<G, S, E, M> Passing<G, S, E> for TakesNothing<M>
where
    G: Generator<Send = (), Throw = NoThrow>,
    M: Finish<G::Return>,
{
    type Value = M::Value;
    type Raised = Thrown<E>;

    fn finish(returned: Option<G::Return>) -> M::Value {
        M::finish(returned)
    }

    fn send(_: Pin<&mut G>, s: S) -> Result<Resumed<G>, S> {
        Err(s)
    }

    fn throw(_: Pin<&mut G>, e: E) -> Result<Resumed<G>, Thrown<E>> {
        Err(Thrown(e))
    }
}

/// The future of `yield_from!` of a [`Generator`]: a hand-written state
/// machine (it is polled once per item).
#[doc(hidden)]
pub struct GeneratorLoop<G, Y, S, E, P> {
    delegate: G,
    at: LoopAt<Y, S>,
    types: Types<Y, S, E>,
    passing: PhantomData<fn() -> P>,
}

enum LoopAt<Y, S> {
    /// Start the delegate, or resume it with `next()` if it already started.
    Start,
    /// Hand this to the driver and wait for the next input.
    Leave(Output<Y, S>),
    /// Waiting at our own yield point for the driver's input.
    Waiting,
}

impl<G, Y, S, E, P> GeneratorLoop<G, Y, S, E, P> {
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) fn new(delegate: G) -> Self {
        GeneratorLoop {
            delegate,
            at: LoopAt::Start,
            types: Types::default(),
            passing: PhantomData,
        }
    }
}

impl<G: Unpin, Y, S, E, P> Unpin for GeneratorLoop<G, Y, S, E, P> {}

impl<G, Y, S, E, P> Future for GeneratorLoop<G, Y, S, E, P>
where
    G: Generator<Yield = Y> + Unpin,
    G::Send: Default,
    P: Passing<G, S, E>,
{
    type Output = Delegated<P::Value, P::Raised>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let Some(channel) = channel::<Y, S, E>(cx) else {
            return Poll::Pending;
        };
        let mut g = Pin::new(&mut this.delegate);
        loop {
            let resumed = match core::mem::replace(&mut this.at, LoopAt::Waiting) {
                LoopAt::Start => g.as_mut().resume(),
                LoopAt::Leave(output) => {
                    channel.output = output;
                    return Poll::Pending;
                }
                LoopAt::Waiting => match channel.input.take() {
                    Some(Input::Next(_)) => g.as_mut().resume(),
                    Some(Input::Send(s)) => match P::send(g.as_mut(), s) {
                        Ok(resumed) => resumed,
                        Err(s) => {
                            this.at = LoopAt::Leave(Output::Rejected(s));
                            continue;
                        }
                    },
                    Some(Input::Throw(e)) => match P::throw(g.as_mut(), e) {
                        Ok(resumed) => resumed,
                        Err(raised) => return Poll::Ready(Delegated::Raised(raised)),
                    },
                    // Close the delegate, then raise the close in the
                    // delegating body, or report what the delegate yielded
                    // instead of finishing.
                    Some(Input::Close) => match g.as_mut().close() {
                        Ok(Some(r)) => {
                            return Poll::Ready(Delegated::ClosedWith(Same(P::finish(Some(r)))));
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
            match resumed {
                Some(GeneratorState::Yielded(y)) => this.at = LoopAt::Leave(Output::Yielded(y)),
                Some(GeneratorState::Complete(r)) => {
                    return Poll::Ready(Delegated::Returned(P::finish(Some(r))));
                }
                None => return Poll::Ready(Delegated::Returned(P::finish(None))),
            }
        }
    }
}
