//! Where a pinned driver keeps its body: a place that shared references to
//! the driver do not freeze.
//!
//! A suspended body may hold borrows into itself (`let r = &mut local;`
//! across a yield). Under Rust's aliasing rules (Stacked Borrows and Tree
//! Borrows, as Miri checks them) a shared reference that covers the body's
//! bytes counts as a read of them, and a read through the driver's
//! reference invalidates the body's own `&mut` into itself: its next write
//! through that borrow would be undefined behaviour. Shared references are
//! unavoidable from the outside — `Pin<&mut PinnedGen>` derefs to
//! `&PinnedGen` in safe code, `state(&self)` is public — so the body lives
//! in an `UnsafeCell`, whose bytes a shared reference neither reads nor
//! freezes. Only `&mut` / `Pin<&mut>` access reaches it (`get_mut`): the
//! cell is never read through a shared reference at all.

use core::cell::UnsafeCell;
use core::pin::Pin;

/// A `T` reached only through `&mut` or `Pin<&mut>`, never through `&`.
pub(crate) struct Unfrozen<T> {
    /// Structurally pinned.
    value: UnsafeCell<T>,
}

impl<T> Unfrozen<T> {
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) fn new(value: T) -> Self {
        Unfrozen {
            value: UnsafeCell::new(value),
        }
    }

    /// The value, pinned where the cell is.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) fn get_pin_mut(self: Pin<&mut Self>) -> Pin<&mut T> {
        // SAFETY: `value` is structurally pinned: `Unfrozen` has no `Drop`
        // impl, is not `repr(packed)`, is `Unpin` only when `T` is (auto
        // trait through `UnsafeCell<T>`), and no method moves the value out.
        // `UnsafeCell::get_mut` borrows the value for as long as the `&mut`
        // to the cell, so the usual exclusivity holds.
        unsafe { self.map_unchecked_mut(|cell| cell.value.get_mut()) }
    }
}

// SAFETY: a shared `&Unfrozen<T>` gives no access to the value at all (the
// only accessor takes `Pin<&mut Self>`), so sharing one between threads
// shares nothing of `T`; `T: Sync` is required anyway so that the drivers'
// auto traits stay what they were before the cell (`Sync` when the body is).
unsafe impl<T: Sync> Sync for Unfrozen<T> {}

// Nothing of `T` is reachable through `&Unfrozen<T>`, so a panic observed
// through a shared reference cannot expose a broken `T` either.
impl<T: core::panic::RefUnwindSafe> core::panic::RefUnwindSafe for Unfrozen<T> {}
