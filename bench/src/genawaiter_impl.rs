//! genawaiter 0.99, `stack` and `rc` flavours. genawaiter has no `yield
//! from`: C re-yields what the next level yields in a loop.

use std::hint::black_box;

use genawaiter::GeneratorState;

use crate::{Cell, Workload, block_on};

pub mod stack {
    use super::*;
    use genawaiter::stack::{Co, Gen, Shelf, let_gen_using};

    async fn range(co: Co<'_, u64>, lo: u64, hi: u64) {
        for i in lo..hi {
            co.yield_(i).await;
        }
    }

    async fn doubler(co: Co<'_, u64, u64>) {
        let mut x = co.yield_(0).await;
        loop {
            x = co.yield_(x * 2).await;
        }
    }

    async fn level1(co: Co<'_, u64>, n: u64) {
        let_gen_using!(inner, |co| range(co, 0, n));
        for x in inner {
            co.yield_(x).await;
        }
    }

    async fn level2(co: Co<'_, u64>, n: u64) {
        let_gen_using!(inner, |co| level1(co, n));
        for x in inner {
            co.yield_(x).await;
        }
    }

    async fn level3(co: Co<'_, u64>, n: u64) {
        let_gen_using!(inner, |co| level2(co, n));
        for x in inner {
            co.yield_(x).await;
        }
    }

    async fn borrowing(co: Co<'_, u64>, data: &[u64]) {
        for &x in data {
            co.yield_(x).await;
        }
    }

    /// The stack flavour's generator is the `Shelf` (the state, pinned where
    /// it is declared) plus the `Gen` handle pointing at it.
    fn size<F: Future + 'static>(_: impl FnOnce(Co<'static, u64>) -> F) -> usize {
        size_of::<Shelf<u64, (), F>>() + size_of::<Gen<'static, u64, (), F>>()
    }

    fn size_send<F: Future + 'static>(_: impl FnOnce(Co<'static, u64, u64>) -> F) -> usize {
        size_of::<Shelf<u64, u64, F>>() + size_of::<Gen<'static, u64, u64, F>>()
    }

    pub fn cell(workload: Workload) -> Option<Cell> {
        Some(match workload {
            Workload::A | Workload::D => Cell::new(
                if workload == Workload::A {
                    a_sum
                } else {
                    d_create
                },
                || size(|co| range(co, 0, 0)),
            ),
            Workload::B => Cell::new(b_send, || size_send(doubler)),
            Workload::C => Cell::new(c_delegate, || size(|co| level3(co, 0))),
            Workload::E => Cell::new(e_borrow, || size(|co| borrowing(co, &[]))),
            Workload::F => Cell::new(f_stream, || size(|co| range(co, 0, 0))),
        })
    }

    #[inline(never)]
    fn a_sum(n: u64, _: &[u64]) -> u64 {
        let_gen_using!(g, |co| range(co, 0, n));
        let mut acc = 0u64;
        for x in g {
            acc = acc.wrapping_add(black_box(x));
        }
        acc
    }

    #[inline(never)]
    fn b_send(n: u64, _: &[u64]) -> u64 {
        let_gen_using!(g, doubler);
        // genawaiter drops the first resume argument, as Python's first `next`.
        let GeneratorState::Yielded(first) = g.resume_with(0) else {
            unreachable!()
        };
        let mut acc = first;
        for i in 0..n {
            let GeneratorState::Yielded(y) = g.resume_with(black_box(i)) else {
                unreachable!()
            };
            acc = acc.wrapping_add(black_box(y));
        }
        acc
    }

    #[inline(never)]
    fn c_delegate(n: u64, _: &[u64]) -> u64 {
        let_gen_using!(g, |co| level3(co, n));
        let mut acc = 0u64;
        for x in g {
            acc = acc.wrapping_add(black_box(x));
        }
        acc
    }

    #[inline(never)]
    fn d_create(n: u64, _: &[u64]) -> u64 {
        let mut acc = 0u64;
        for i in 0..n {
            let_gen_using!(g, |co| range(co, i, i + 10));
            let GeneratorState::Yielded(x) = g.resume() else {
                unreachable!()
            };
            acc = acc.wrapping_add(black_box(x));
        }
        acc
    }

    #[inline(never)]
    fn e_borrow(_: u64, data: &[u64]) -> u64 {
        let_gen_using!(g, |co| borrowing(co, data));
        let mut acc = 0u64;
        for x in g {
            acc = acc.wrapping_add(black_box(x));
        }
        acc
    }

    #[inline(never)]
    fn f_stream(n: u64, _: &[u64]) -> u64 {
        let_gen_using!(g, |co| range(co, 0, n));
        block_on(crate::consume_stream(g))
    }
}

pub mod rc {
    use super::*;
    use genawaiter::rc::{Co, Gen};

    async fn range(co: Co<u64>, lo: u64, hi: u64) {
        for i in lo..hi {
            co.yield_(i).await;
        }
    }

    async fn doubler(co: Co<u64, u64>) {
        let mut x = co.yield_(0).await;
        loop {
            x = co.yield_(x * 2).await;
        }
    }

    async fn level1(co: Co<u64>, n: u64) {
        for x in Gen::new(|co| range(co, 0, n)) {
            co.yield_(x).await;
        }
    }

    async fn level2(co: Co<u64>, n: u64) {
        for x in Gen::new(|co| level1(co, n)) {
            co.yield_(x).await;
        }
    }

    async fn level3(co: Co<u64>, n: u64) {
        for x in Gen::new(|co| level2(co, n)) {
            co.yield_(x).await;
        }
    }

    async fn borrowing(co: Co<u64>, data: &[u64]) {
        for &x in data {
            co.yield_(x).await;
        }
    }

    pub fn cell(workload: Workload) -> Option<Cell> {
        Some(match workload {
            Workload::A => Cell::new(a_sum, || size_of_val(&Gen::new(|co| range(co, 0, 0)))),
            Workload::B => Cell::new(b_send, || size_of_val(&Gen::new(doubler))),
            Workload::C => Cell::new(c_delegate, || size_of_val(&Gen::new(|co| level3(co, 0)))),
            Workload::D => Cell::new(d_create, || size_of_val(&Gen::new(|co| range(co, 0, 0)))),
            Workload::E => Cell::new(e_borrow, || size_of_val(&Gen::new(|co| borrowing(co, &[])))),
            Workload::F => Cell::new(f_stream, || size_of_val(&Gen::new(|co| range(co, 0, 0)))),
        })
    }

    #[inline(never)]
    fn a_sum(n: u64, _: &[u64]) -> u64 {
        let mut acc = 0u64;
        for x in Gen::new(|co| range(co, 0, n)) {
            acc = acc.wrapping_add(black_box(x));
        }
        acc
    }

    #[inline(never)]
    fn b_send(n: u64, _: &[u64]) -> u64 {
        let mut g = Gen::new(doubler);
        let GeneratorState::Yielded(first) = g.resume_with(0) else {
            unreachable!()
        };
        let mut acc = first;
        for i in 0..n {
            let GeneratorState::Yielded(y) = g.resume_with(black_box(i)) else {
                unreachable!()
            };
            acc = acc.wrapping_add(black_box(y));
        }
        acc
    }

    #[inline(never)]
    fn c_delegate(n: u64, _: &[u64]) -> u64 {
        let mut acc = 0u64;
        for x in Gen::new(|co| level3(co, n)) {
            acc = acc.wrapping_add(black_box(x));
        }
        acc
    }

    #[inline(never)]
    fn d_create(n: u64, _: &[u64]) -> u64 {
        let mut acc = 0u64;
        for i in 0..n {
            let mut g = Gen::new(|co| range(co, i, i + 10));
            let GeneratorState::Yielded(x) = g.resume() else {
                unreachable!()
            };
            acc = acc.wrapping_add(black_box(x));
        }
        acc
    }

    #[inline(never)]
    fn e_borrow(_: u64, data: &[u64]) -> u64 {
        let mut acc = 0u64;
        for x in Gen::new(|co| borrowing(co, data)) {
            acc = acc.wrapping_add(black_box(x));
        }
        acc
    }

    #[inline(never)]
    fn f_stream(n: u64, _: &[u64]) -> u64 {
        block_on(crate::consume_stream(Gen::new(|co| range(co, 0, n))))
    }
}
