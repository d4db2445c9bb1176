//! pygen: the generator functions, and the consumers for the pinned form
//! (`pin!(f().into_pinned())`) and the default movable `Gen` handle.

use std::hint::black_box;
use std::pin::pin;

use pygen::{Gen, GeneratorState, generator, yield_, yield_from};

use crate::{Cell, Workload, block_on, consume_stream};

#[generator(yield = u64)]
pub fn range(lo: u64, hi: u64) {
    for i in lo..hi {
        yield_!(i);
    }
}

#[generator(yield = u64, send = u64)]
pub fn doubler() {
    let mut x = yield_!(0);
    loop {
        x = yield_!(x * 2);
    }
}

#[generator(yield = u64)]
pub fn level1(n: u64) {
    yield_from!(range(0, n));
}

#[generator(yield = u64)]
pub fn level2(n: u64) {
    yield_from!(level1(n));
}

/// C: three levels, each delegating to the next; the leaf is `range`.
#[generator(yield = u64)]
pub fn level3(n: u64) {
    yield_from!(level2(n));
}

/// E: borrows the caller's data across every yield.
#[generator(yield = u64)]
pub fn borrowing(data: &[u64]) {
    for &x in data {
        yield_!(x);
    }
}

/// F: an async generator (a `Stream`); it awaits nothing but its yields,
/// like the other crates' F streams.
#[generator(yield = u64)]
pub async fn arange(lo: u64, hi: u64) {
    for i in lo..hi {
        yield_!(i);
    }
}

/// The size of the body future inside an `AsyncGen`.
pub fn async_body_size<F: pygen::Body, Y, S, E>(_: &pygen::AsyncGen<F, Y, S, E>) -> usize {
    size_of::<F>()
}

/// The size of the body future inside a `Gen`.
pub fn body_size<F: pygen::Body, Y, S, E>(_: &Gen<F, Y, S, E>) -> usize {
    size_of::<F>()
}

pub mod pinned {
    use super::*;

    pub fn cell(workload: Workload) -> Option<Cell> {
        Some(match workload {
            Workload::A => Cell::new(a_sum, || size_of_val(&range(0, 0).into_pinned()))
                .body(|| body_size(&range(0, 0))),
            Workload::B => Cell::new(b_send, || size_of_val(&doubler().into_pinned()))
                .body(|| body_size(&doubler())),
            Workload::C => Cell::new(c_delegate, || size_of_val(&level3(0).into_pinned()))
                .body(|| body_size(&level3(0))),
            Workload::D => Cell::new(d_create, || size_of_val(&range(0, 0).into_pinned()))
                .body(|| body_size(&range(0, 0))),
            Workload::E => Cell::new(e_borrow, || size_of_val(&borrowing(&[]).into_pinned()))
                .body(|| body_size(&borrowing(&[]))),
            Workload::F => Cell::new(f_stream, || size_of_val(&arange(0, 0).into_pinned()))
                .body(|| async_body_size(&arange(0, 0))),
        })
    }

    #[inline(never)]
    fn a_sum(n: u64, _: &[u64]) -> u64 {
        let g = pin!(range(0, n).into_pinned());
        let mut acc = 0u64;
        for x in g.iter() {
            acc = acc.wrapping_add(black_box(x));
        }
        acc
    }

    #[inline(never)]
    fn b_send(n: u64, _: &[u64]) -> u64 {
        let mut g = pin!(doubler().into_pinned());
        let Ok(GeneratorState::Yielded(first)) = g.as_mut().start() else {
            unreachable!()
        };
        let mut acc = first;
        for i in 0..n {
            let Ok(GeneratorState::Yielded(y)) = g.as_mut().send(black_box(i)) else {
                unreachable!()
            };
            acc = acc.wrapping_add(black_box(y));
        }
        acc
    }

    #[inline(never)]
    fn c_delegate(n: u64, _: &[u64]) -> u64 {
        let g = pin!(level3(n).into_pinned());
        let mut acc = 0u64;
        for x in g.iter() {
            acc = acc.wrapping_add(black_box(x));
        }
        acc
    }

    #[inline(never)]
    fn d_create(n: u64, _: &[u64]) -> u64 {
        let mut acc = 0u64;
        for i in 0..n {
            let mut g = pin!(range(i, i + 10).into_pinned());
            let Some(GeneratorState::Yielded(x)) = g.as_mut().resume() else {
                unreachable!()
            };
            acc = acc.wrapping_add(black_box(x));
        }
        acc
    }

    #[inline(never)]
    fn e_borrow(_: u64, data: &[u64]) -> u64 {
        let g = pin!(borrowing(data).into_pinned());
        let mut acc = 0u64;
        for x in g.iter() {
            acc = acc.wrapping_add(black_box(x));
        }
        acc
    }

    /// `consume_stream` pins it: `PinnedAsyncGen` is a `Stream`.
    #[inline(never)]
    fn f_stream(n: u64, _: &[u64]) -> u64 {
        block_on(consume_stream(arange(0, n).into_pinned()))
    }
}

pub mod movable {
    use super::*;

    pub fn cell(workload: Workload) -> Option<Cell> {
        Some(match workload {
            Workload::A => {
                Cell::new(a_sum, || size_of_val(&range(0, 0))).body(|| body_size(&range(0, 0)))
            }
            Workload::B => {
                Cell::new(b_send, || size_of_val(&doubler())).body(|| body_size(&doubler()))
            }
            Workload::C => {
                Cell::new(c_delegate, || size_of_val(&level3(0))).body(|| body_size(&level3(0)))
            }
            Workload::D => {
                Cell::new(d_create, || size_of_val(&range(0, 0))).body(|| body_size(&range(0, 0)))
            }
            Workload::E => Cell::new(e_borrow, || size_of_val(&borrowing(&[])))
                .body(|| body_size(&borrowing(&[]))),
            Workload::F => Cell::new(f_stream, || size_of_val(&arange(0, 0)))
                .body(|| async_body_size(&arange(0, 0))),
        })
    }

    #[inline(never)]
    fn a_sum(n: u64, _: &[u64]) -> u64 {
        let mut acc = 0u64;
        for x in range(0, n) {
            acc = acc.wrapping_add(black_box(x));
        }
        acc
    }

    #[inline(never)]
    fn b_send(n: u64, _: &[u64]) -> u64 {
        let mut g = doubler();
        let Ok(GeneratorState::Yielded(first)) = g.start() else {
            unreachable!()
        };
        let mut acc = first;
        for i in 0..n {
            let Ok(GeneratorState::Yielded(y)) = g.send(black_box(i)) else {
                unreachable!()
            };
            acc = acc.wrapping_add(black_box(y));
        }
        acc
    }

    #[inline(never)]
    fn c_delegate(n: u64, _: &[u64]) -> u64 {
        let mut acc = 0u64;
        for x in level3(n) {
            acc = acc.wrapping_add(black_box(x));
        }
        acc
    }

    #[inline(never)]
    fn d_create(n: u64, _: &[u64]) -> u64 {
        let mut acc = 0u64;
        for i in 0..n {
            let mut g = range(i, i + 10);
            let Some(x) = g.next() else { unreachable!() };
            acc = acc.wrapping_add(black_box(x));
        }
        acc
    }

    #[inline(never)]
    fn e_borrow(_: u64, data: &[u64]) -> u64 {
        let mut acc = 0u64;
        for x in borrowing(data) {
            acc = acc.wrapping_add(black_box(x));
        }
        acc
    }

    #[inline(never)]
    fn f_stream(n: u64, _: &[u64]) -> u64 {
        block_on(consume_stream(arange(0, n)))
    }
}
