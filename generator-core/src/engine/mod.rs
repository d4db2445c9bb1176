//! The engine layer: what crosses a resume ([`signal`]), the slot it
//! crosses through and the waker that carries it ([`channel`]), and the
//! stack of direct delegations — the frames' type-erased header
//! ([`header`]) and how the stack runs ([`stack`]).

pub(crate) mod channel;
pub(crate) mod header;
pub(crate) mod signal;
pub(crate) mod stack;
