//! A pinned `Option` that is known to hold its value: what the driver's
//! body (`handle/driver.rs`, `live`) and a linked frame's delegate body
//! (`delegate/flat.rs`, `Flat::linked_body`) are, each by an invariant of
//! its own, on every resume.

use core::pin::Pin;

/// The value of a pinned `Option` that holds one, without a test (the test
/// cost every resume 2 instructions per item).
///
/// # Safety
///
/// `option` must be `Some`. A debug build checks it (the precondition check
/// of `unreachable_unchecked`).
#[cfg_attr(not(debug_assertions), inline(always))]
pub(crate) unsafe fn some_unchecked<T>(option: Pin<&mut Option<T>>) -> Pin<&mut T> {
    match option.as_pin_mut() {
        Some(value) => value,
        // SAFETY: per the contract, `option` is `Some`.
        None => unsafe { core::hint::unreachable_unchecked() },
    }
}
