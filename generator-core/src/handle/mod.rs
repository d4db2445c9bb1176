//! The handle layer, on top: the handles users hold. The pinned drivers
//! ([`pinned`], [`async_pinned`]), the movable handles that box them at the
//! first resume ([`movable`], [`async_movable`]), the adapters for a
//! generator that returns a `Result` ([`fallible`]), and [`shared`].

pub(crate) mod async_movable;
pub(crate) mod async_pinned;
#[cfg(feature = "alloc")]
pub(crate) mod boxed;
pub(crate) mod build;
pub(crate) mod driver;
pub(crate) mod fallible;
pub(crate) mod lazy;
pub(crate) mod movable;
pub(crate) mod pinned;
#[cfg(feature = "alloc")]
pub(crate) mod shared;
pub(crate) mod try_iter;
pub(crate) mod try_stream;
