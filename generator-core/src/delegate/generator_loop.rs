//! `yield_from!` of any [`Generator`]: a loop that resumes it through its
//! own protocol and re-yields what it yields.

use core::convert::Infallible;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

use crate::delegate::outcome::{Delegated, Same};
use crate::engine::channel::channel;
use crate::engine::signal::{Input, Output};
use crate::protocol::generator::Generator;
use crate::protocol::state::{GenState, GeneratorState};
use crate::util::types::Types;

/// The future of `yield_from!` of a [`Generator`]: a hand-written state
/// machine (it is polled once per item).
#[doc(hidden)]
pub struct GeneratorLoop<G, Y, S, E> {
    delegate: G,
    at: LoopAt<Y, S>,
    types: Types<Y, S, E>,
}

pub(super) enum LoopAt<Y, S> {
    /// Start the delegate, or resume it with `next()` if it already started.
    Start,
    /// Hand this to the driver and wait for the next input.
    Leave(Output<Y, S>),
    /// Waiting at our own yield point for the driver's input.
    Waiting,
}

impl<G, Y, S, E> GeneratorLoop<G, Y, S, E> {
    #[inline(always)]
    pub(crate) fn new(delegate: G) -> Self {
        GeneratorLoop {
            delegate,
            at: LoopAt::Start,
            types: Types::default(),
        }
    }
}

impl<G: Unpin, Y, S, E> Unpin for GeneratorLoop<G, Y, S, E> {}

impl<G, Y, S, E> Future for GeneratorLoop<G, Y, S, E>
where
    G: Generator<Yield = Y, Send = S, Throw = E> + Unpin,
    S: Default,
{
    /// Never raises, as for flat delegation.
    type Output = Delegated<Option<G::Return>, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let Some(channel) = channel::<Y, S, E>(cx) else {
            return Poll::Pending;
        };
        let mut g = Pin::new(&mut this.delegate);
        loop {
            let step = match core::mem::replace(&mut this.at, LoopAt::Waiting) {
                LoopAt::Start => match g.as_mut().state() {
                    GenState::Created => g.as_mut().start().ok(),
                    GenState::Suspended | GenState::Running => g.as_mut().resume(),
                    GenState::Closed => None,
                },
                LoopAt::Leave(output) => {
                    channel.output = output;
                    return Poll::Pending;
                }
                LoopAt::Waiting => {
                    let input = channel.input.take();
                    match input {
                        Some(Input::Next(_)) => g.as_mut().resume(),
                        Some(Input::Send(s)) => match g.as_mut().send(s) {
                            Ok(state) => Some(state),
                            // Undeliverable (the delegate delegates to an
                            // iterator), or a delegate that broke the
                            // protocol and closed itself: either way the
                            // value goes back to the caller of `send`.
                            Err(refused) => {
                                this.at = LoopAt::Leave(Output::Rejected(refused.into_inner()));
                                continue;
                            }
                        },
                        Some(Input::Throw(e)) => match g.as_mut().throw(e) {
                            Ok(state) => Some(state),
                            Err(_) => panic!(
                                "yield_from!: the delegate refused a throw while suspended, \
                                 which breaks the Generator protocol"
                            ),
                        },
                        Some(Input::Close) => {
                            // Close the delegate, then raise the close in the
                            // delegating body, or report what the delegate
                            // yielded instead of finishing.
                            match g.as_mut().close() {
                                Ok(Some(r)) => {
                                    return Poll::Ready(Delegated::ClosedWith(Same(Some(r))));
                                }
                                Ok(None) => return Poll::Ready(Delegated::Closed),
                                Err(ignored) => {
                                    this.at = LoopAt::Leave(Output::Yielded(ignored.into_inner()));
                                    continue;
                                }
                            }
                        }
                        // Polled again without a value: see `Suspend`.
                        None => {
                            channel.output = Output::Missing;
                            return Poll::Pending;
                        }
                    }
                }
            };
            match step {
                Some(GeneratorState::Yielded(y)) => this.at = LoopAt::Leave(Output::Yielded(y)),
                Some(GeneratorState::Complete(r)) => {
                    return Poll::Ready(Delegated::Returned(Some(r)));
                }
                None => return Poll::Ready(Delegated::Returned(None)),
            }
        }
    }
}
