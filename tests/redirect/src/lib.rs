//! A crate that redirects `::pygen` to itself (`extern crate self as
//! pygen`) and puts hooks of its own on the paths `yield_from!`'s expansion
//! calls: its dispatch (`DelegateWrap::new`, the `ViaFlat` method) and its
//! checks (`Probe::new`). It is everything an adversary can do there in
//! safe code: a hook gets the delegate and a marker of the generator's
//! types, never the generator's handle (`Co`), and what the dispatch
//! returns is a `Planned` delegation, which is no future and which only the
//! handle itself opens, inside the body, for its own types.
//!
//! Before, the hooks got `&Co`, and with it could build a frame of direct
//! delegation (`Flat`) for any fresh generator of those types, poll it from
//! a future of their own in another body, and drop it while linked (a use
//! after free), or poll it under a generator of other types (a type
//! confusion). Those attacks no longer compile: the trybuild cases
//! `tests/ui/shared_handle_cannot_delegate.rs` and
//! `tests/ui/planned_delegation_is_sealed.rs` are their refusals. What still
//! compiles is here: planning delegations for any types, dropping them,
//! and handing the body a delegation planned elsewhere. The tests check
//! that the generators still do what they say, natively and under Miri
//! (`scripts/miri.sh`).
#![forbid(unsafe_code)]

extern crate self as pygen;

use core::any::Any;
use core::cell::{Cell, RefCell};

pub use real::*;

thread_local! {
    /// How many times each hook ran: `DelegateWrap::new`, `Probe::new`,
    /// the `ViaFlat` method.
    pub static HOOKS: Cell<[u32; 3]> = const { Cell::new([0; 3]) };
    /// A delegation planned outside any body, which the `ViaFlat` hook hands
    /// to the next `yield_from!` of the same type instead of the one
    /// written there.
    static SWAP: RefCell<Option<Box<dyn Any>>> = const { RefCell::new(None) };
}

fn hook(which: usize) {
    HOOKS.with(|hooks| {
        let mut counts = hooks.get();
        counts[which] += 1;
        hooks.set(counts);
    });
}

/// Plans a flat delegation to `count_from(from, to)` outside any body, for
/// the `ViaFlat` hook to hand to the next body that delegates to a fresh
/// `count_from`.
pub fn plan_swap(from: u64, to: u64) {
    use real::__private::ViaFlat as _;
    let planned = (&&&&&real::__private::DelegateWrap::new(count_from(from, to), Types::default()))
        .__pygen_delegate();
    SWAP.with(|swap| *swap.borrow_mut() = Some(Box::new(planned)));
}

/// Plans, outside any generator, a flat delegation to a fresh generator,
/// and drops it: a `Planned` that is never opened does nothing, and a
/// `Flat` that was never polled is not linked.
pub fn plan_and_drop() {
    use real::__private::ViaFlat as _;
    let planned = (&&&&&real::__private::DelegateWrap::new(count_from(0, 3), Types::default()))
        .__pygen_delegate();
    drop(planned);
}

type Types = real::__private::Types<u64, (), NoThrow>;

/// The paths of `::pygen::__private` the expansion calls, with hooks on
/// `DelegateWrap::new` and `new_async`; the rest are pygen's own (the
/// handle, `Co`, must be: the expansion binds it by value under that path,
/// see `tests/ui/co_redirected_to_a_trait_object.rs`).
pub mod __private {
    pub use real::__private::*;

    /// Replaces pygen's `DelegateWrap` type where the expansion calls
    /// `DelegateWrap::new(delegate, types)`: the hook gets the delegate and
    /// a marker of the types, and plans a delegation of its own for them,
    /// which it drops.
    #[allow(non_snake_case)]
    pub mod DelegateWrap {
        use real::__private::{AsyncBody, SyncBody, Types};

        pub fn new<G, Y, S, E>(
            delegate: G,
            types: Types<Y, S, E>,
        ) -> real::__private::DelegateWrap<G, Y, S, E, SyncBody> {
            super::super::hook(0);
            let _empty = (&real::__private::DelegateWrap::new(core::iter::empty::<Y>(), types))
                .__pygen_delegate();
            real::__private::DelegateWrap::new(delegate, types)
        }

        pub fn new_async<G, Y, S, E>(
            delegate: G,
            types: Types<Y, S, E>,
        ) -> real::__private::DelegateWrap<G, Y, S, E, AsyncBody> {
            super::super::hook(0);
            real::__private::DelegateWrap::new_async(delegate, types)
        }

        use real::__private::ViaIterator as _;
    }

    /// Replaces pygen's `ViaFlat` (which the expansion imports from here):
    /// forwards to it, but hands back a delegation planned elsewhere when
    /// one of the same type waits in `SWAP`.
    pub trait ViaFlat {
        type Output;
        fn __pygen_delegate(self) -> Self::Output;
    }

    impl<T> ViaFlat for T
    where
        T: real::__private::ViaFlat,
        T::Output: 'static,
    {
        type Output = T::Output;

        fn __pygen_delegate(self) -> T::Output {
            super::hook(2);
            let planned = real::__private::ViaFlat::__pygen_delegate(self);
            let swapped = super::SWAP.with(|swap| {
                let mut swap = swap.borrow_mut();
                match swap.take()?.downcast::<T::Output>() {
                    Ok(stashed) => Some(*stashed),
                    Err(other) => {
                        *swap = Some(other);
                        None
                    }
                }
            });
            swapped.unwrap_or(planned)
        }
    }
}

/// The facade's checks, with a hook on `Probe::new` and `new_async`.
pub mod __checks {
    pub use real::__checks::*;

    #[allow(non_snake_case)]
    pub mod Probe {
        use real::__private::{AsyncBody, SyncBody, Types};

        pub fn new<G, Y, S, E>(
            delegate: G,
            types: Types<Y, S, E>,
        ) -> real::__checks::Probe<G, Y, S, E, SyncBody> {
            super::super::hook(1);
            real::__checks::Probe::new(delegate, types)
        }

        pub fn new_async<G, Y, S, E>(
            delegate: G,
            types: Types<Y, S, E>,
        ) -> real::__checks::Probe<G, Y, S, E, AsyncBody> {
            super::super::hook(1);
            real::__checks::Probe::new_async(delegate, types)
        }
    }
}

#[generator(yield = u64)]
pub fn count_from(from: u64, to: u64) -> u64 {
    for i in from..to {
        yield_!(i);
    }
    to - from
}

/// A body with each kind of `yield_from!`, every one through the hooks.
#[generator(yield = u64)]
pub fn delegates() -> (u64, Option<u64>, u64) {
    yield_!(100);
    let flat = yield_from!(count_from(0, 2));
    yield_from!(vec![7, 8]);
    let mut borrowed = count_from(10, 12);
    let through_mut = yield_from!(&mut borrowed);
    let last = yield_from!(count_from(20, 21));
    (flat, through_mut, last)
}

/// The same in an async generator, with a stream too.
#[generator(yield = u64)]
pub async fn async_delegates(stream: impl futures_core::Stream<Item = u64>) -> u64 {
    yield_!(100);
    let flat = yield_from!(async_count(0, 2));
    yield_from!(stream);
    yield_from!([7, 8]);
    flat
}

#[generator(yield = u64)]
pub async fn async_count(from: u64, to: u64) -> u64 {
    for i in from..to {
        yield_!(i);
    }
    to - from
}

/// The inline form through the same hooks: a generator, and a generator
/// function, written with `generate!`, each delegating flat.
pub fn inline_delegates(offset: u64) -> impl Iterator<Item = u64> {
    let shifted = generate!(move |n: u64| {
        let back = yield_from!(count_from(offset, offset + n));
        yield_!(back);
    });
    generate!(move || {
        yield_!(100);
        yield_from!(shifted(2));
        yield_from!(vec![7, 8]);
    })
}

/// `yield_from_catch!` and a close that reaches a delegate.
#[generator(yield = u64, send = u64, throw = String)]
pub fn catches() -> Result<&'static str, String> {
    match yield_from_catch!(count_from(0, 5)) {
        Ok(_) => Ok("done"),
        Err(Interrupt::Close) => Ok("closed"),
        Err(Interrupt::Throw(e)) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hooks() -> [u32; 3] {
        HOOKS.with(Cell::get)
    }

    #[test]
    fn delegations_run_as_written_through_the_hooks() {
        let before = hooks();
        let mut g = delegates();
        let items: Vec<u64> = g.by_ref().collect();
        assert_eq!(items, [100, 0, 1, 7, 8, 10, 11, 20]);
        let after = hooks();
        // Each `yield_from!` went through the hooked dispatch and checks;
        // the flat ones through the hooked `ViaFlat` too.
        assert_eq!(after[0] - before[0], 4);
        assert_eq!(after[1] - before[1], 4);
        assert!(after[2] - before[2] >= 2);
    }

    #[test]
    fn return_values_come_through_the_hooks() {
        let mut g = delegates();
        let state = loop {
            match g.resume() {
                Some(GeneratorState::Complete(r)) => break r,
                Some(GeneratorState::Yielded(_)) => {}
                None => panic!("closed before completing"),
            }
        };
        assert_eq!(state, (2, Some(2), 1));
    }

    #[test]
    fn a_delegation_planned_elsewhere_is_just_a_fresh_delegation() {
        // The hook hands the body a flat delegation planned outside it, to
        // another `count_from`: of the body's types, fresh, and opened by
        // the body's own handle, it is what `yield_from!(count_from(50,
        // 53))` would have been.
        plan_swap(50, 53);
        let mut g = delegates();
        let items: Vec<u64> = g.by_ref().collect();
        assert_eq!(items, [100, 50, 51, 52, 7, 8, 10, 11, 20]);
    }

    #[test]
    fn a_planned_delegation_dropped_unopened_does_nothing() {
        plan_and_drop();
        plan_swap(0, 1);
        // Dropped with the thread-local, never opened, at the end of the
        // test; and a body that is closed mid-delegation still closes.
        let mut g = delegates();
        assert_eq!(g.next(), Some(100));
        assert_eq!(g.next(), Some(0));
        assert_eq!(g.close().ok(), Some(None));
    }

    #[test]
    fn close_and_throw_reach_a_delegate_through_the_hooks() {
        let mut g = catches();
        assert_eq!(g.start().ok(), Some(GeneratorState::Yielded(0)));
        assert_eq!(g.close().ok(), Some(Some(Ok("closed"))));
        let mut g = catches();
        assert_eq!(g.start().ok(), Some(GeneratorState::Yielded(0)));
        assert_eq!(
            g.throw("jam".to_string()).ok(),
            Some(GeneratorState::Complete(Err("jam".to_string())))
        );
    }

    #[test]
    fn inline_generators_delegate_through_the_hooks_too() {
        let before = hooks();
        let items: Vec<u64> = inline_delegates(40).collect();
        assert_eq!(items, [100, 40, 41, 2, 7, 8]);
        let after = hooks();
        assert_eq!(after[0] - before[0], 3);
        assert_eq!(after[1] - before[1], 3);
    }

    #[test]
    fn async_delegations_run_as_written_through_the_hooks() {
        use futures::StreamExt as _;
        let before = hooks();
        let g = async_delegates(futures::stream::iter([5, 6]));
        let items: Vec<u64> = futures::executor::block_on(g.collect());
        assert_eq!(items, [100, 0, 1, 5, 6, 7, 8]);
        assert_eq!(hooks()[0] - before[0], 3);
    }
}
