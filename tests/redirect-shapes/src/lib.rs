//! A crate that redirects `::pygen` to itself (`extern crate self as
//! pygen`) and swaps the shapes `#[generator]` hands its hidden constructor:
//! every body is held as `Plain`, the shape of a body with neither
//! `yield_catch!` nor `yield_from!`. Unlike the constructor, which is an
//! `unsafe fn`, the shapes are unit structs that safe code can rename.
//!
//! What that gets, natively and under Miri (`scripts/miri.sh`):
//! - a body with `yield_from!` held as `Plain` has no stack of frames: its
//!   first flat delegation panics (`a body that delegates has a stack of
//!   frames`) and the generator is closed;
//! - a body with `yield_catch!` held as `Plain` is dropped in place by a
//!   close or a drop instead of being resumed: its handler does not run
//!   (its destructors do).
//!
//! Both are this crate's own choice, and neither breaks a guarantee of
//! pygen's types: no yield reaches another generator, no frame outlives its
//! body.
#![forbid(unsafe_code)]

extern crate self as pygen;

pub use real::*;

/// pygen's hidden API, with the shapes swapped.
pub mod __private {
    pub use real::__private::*;
    pub use real::__private::{Plain as Catching, Plain as Delegating};
}

/// Re-exported as the expansion names it.
pub use real::__checks;

#[generator(yield = u32)]
fn inner() -> u32 {
    yield_!(1);
    yield_!(2);
    3
}

/// A body with `yield_from!`, held as `Plain`.
#[generator(yield = u32)]
pub fn delegating() {
    yield_!(0);
    let value = yield_from!(inner());
    yield_!(value);
}

/// A body with `yield_catch!`, held as `Plain`; `log` records what ran.
#[generator(yield = u32)]
pub fn catching(log: std::rc::Rc<std::cell::RefCell<Vec<&'static str>>>) {
    struct Dropped(std::rc::Rc<std::cell::RefCell<Vec<&'static str>>>);
    impl Drop for Dropped {
        fn drop(&mut self) {
            self.0.borrow_mut().push("dropped");
        }
    }
    let _guard = Dropped(log.clone());
    if yield_catch!(1).is_err() {
        log.borrow_mut().push("handler");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::panic::{AssertUnwindSafe, catch_unwind};
    use std::rc::Rc;

    #[test]
    fn a_delegating_body_held_as_plain_panics_at_its_delegation() {
        let mut g = delegating();
        assert_eq!(g.next(), Some(0));
        let panic = catch_unwind(AssertUnwindSafe(|| g.next())).unwrap_err();
        let message = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or_default();
        assert!(
            message.contains("a body that delegates has a stack of frames"),
            "{message}"
        );
        assert_eq!(g.state(), GenState::Closed);
        assert_eq!(g.next(), None);
    }

    #[test]
    fn a_catching_body_held_as_plain_is_dropped_without_its_handler() {
        let log = Rc::new(RefCell::new(Vec::new()));
        let mut g = catching(log.clone());
        assert_eq!(g.next(), Some(1));
        assert_eq!(g.close(), Ok(None));
        assert_eq!(*log.borrow(), ["dropped"]);

        let log = Rc::new(RefCell::new(Vec::new()));
        let mut g = catching(log.clone());
        assert_eq!(g.next(), Some(1));
        drop(g);
        assert_eq!(*log.borrow(), ["dropped"]);
    }
}
