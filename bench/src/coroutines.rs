//! rustc's own coroutines (nightly only, feature `nightly`). They have no
//! `yield from`: C re-yields in a loop. No async form: no F.

use std::hint::black_box;
use std::ops::{Coroutine, CoroutineState};
use std::pin::{Pin, pin};

use crate::{Cell, Workload};

fn range(lo: u64, hi: u64) -> impl Coroutine<Yield = u64, Return = ()> {
    #[coroutine]
    move || {
        for i in lo..hi {
            yield i;
        }
    }
}

fn doubler() -> impl Coroutine<u64, Yield = u64, Return = ()> {
    #[coroutine]
    |mut x: u64| {
        loop {
            x = yield x * 2;
        }
    }
}

fn level(
    inner: impl Coroutine<Yield = u64, Return = ()>,
) -> impl Coroutine<Yield = u64, Return = ()> {
    #[coroutine]
    static move || {
        let mut inner = pin!(inner);
        while let CoroutineState::Yielded(x) = inner.as_mut().resume(()) {
            yield x;
        }
    }
}

fn level3(n: u64) -> impl Coroutine<Yield = u64, Return = ()> {
    level(level(level(range(0, n))))
}

fn borrowing(data: &[u64]) -> impl Coroutine<Yield = u64, Return = ()> + '_ {
    #[coroutine]
    static move || {
        for &x in data {
            yield x;
        }
    }
}

pub fn cell(workload: Workload) -> Option<Cell> {
    Some(match workload {
        Workload::A => Cell::new(a_sum, || size_of_val(&range(0, 0))),
        Workload::B => Cell::new(b_send, || size_of_val(&doubler())),
        Workload::C => Cell::new(c_delegate, || size_of_val(&level3(0))),
        Workload::D => Cell::new(d_create, || size_of_val(&range(0, 0))),
        Workload::E => Cell::new(e_borrow, || size_of_val(&borrowing(&[]))),
        Workload::F => return None,
    })
}

#[inline(always)]
fn drain<C: Coroutine<Yield = u64, Return = ()>>(mut c: Pin<&mut C>) -> u64 {
    let mut acc = 0u64;
    while let CoroutineState::Yielded(x) = c.as_mut().resume(()) {
        acc = acc.wrapping_add(black_box(x));
    }
    acc
}

#[inline(never)]
fn a_sum(n: u64, _: &[u64]) -> u64 {
    drain(pin!(range(0, n)))
}

#[inline(never)]
fn b_send(n: u64, _: &[u64]) -> u64 {
    let mut g = pin!(doubler());
    let CoroutineState::Yielded(first) = g.as_mut().resume(0) else {
        unreachable!()
    };
    let mut acc = first;
    for i in 0..n {
        let CoroutineState::Yielded(y) = g.as_mut().resume(black_box(i)) else {
            unreachable!()
        };
        acc = acc.wrapping_add(black_box(y));
    }
    acc
}

#[inline(never)]
fn c_delegate(n: u64, _: &[u64]) -> u64 {
    drain(pin!(level3(n)))
}

#[inline(never)]
fn d_create(n: u64, _: &[u64]) -> u64 {
    let mut acc = 0u64;
    for i in 0..n {
        let g = pin!(range(i, i + 10));
        let CoroutineState::Yielded(x) = g.resume(()) else {
            unreachable!()
        };
        acc = acc.wrapping_add(black_box(x));
    }
    acc
}

#[inline(never)]
fn e_borrow(_: u64, data: &[u64]) -> u64 {
    drain(pin!(borrowing(data)))
}
