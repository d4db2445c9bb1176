//! The bottom layer, which imports nothing of the crate: the panics the
//! engine raises, the guard that closes a generator a panic unwinds out of,
//! `Unfrozen`, a pinned `Option` known to be `Some`, and the invariant marker
//! of a generator's types.

pub(crate) mod panics;
pub(crate) mod some;
pub(crate) mod types;
pub(crate) mod unfrozen;
pub(crate) mod unwind;
