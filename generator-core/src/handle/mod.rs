//! The handle layer: the handles users hold. One pinned driver
//! ([`driver`]) with two thin faces ([`pinned`], [`async_pinned`]) and
//! what a resume comes to for their callers ([`outcome`]); one
//! lazily boxed wrapper ([`lazy`]) under the movable handles ([`movable`],
//! [`async_movable`]); the hidden constructor the expansion calls
//! ([`build`]); type-erased generators ([`boxed`]); the adapters for a
//! generator that returns a `Result` ([`fallible`], [`try_iter`],
//! [`try_stream`]); [`shared`]; and [`recursive`], for inline generators
//! that recurse.

pub(crate) mod async_movable;
pub(crate) mod async_pinned;
#[cfg(feature = "alloc")]
pub(crate) mod boxed;
pub(crate) mod build;
pub(crate) mod driver;
#[macro_use]
pub(crate) mod fallible;
pub(crate) mod lazy;
pub(crate) mod movable;
pub(crate) mod outcome;
pub(crate) mod pinned;
#[cfg(feature = "alloc")]
pub(crate) mod recursive;
#[cfg(feature = "alloc")]
pub(crate) mod shared;
pub(crate) mod try_iter;
pub(crate) mod try_stream;
