//! async-stream 0.3: a `Stream`, so the synchronous workloads poll it with a
//! no-op waker (the cheapest driver there is). It cannot receive values, so
//! it has no B; it has no `yield from`, so C re-yields in a loop.

use std::hint::black_box;
use std::pin::{Pin, pin};
use std::task::{Context, Poll, Waker};

use async_stream::stream;
use futures::{Stream, StreamExt};

use crate::{Cell, Workload, block_on};

fn range(lo: u64, hi: u64) -> impl Stream<Item = u64> {
    stream! {
        for i in lo..hi {
            yield i;
        }
    }
}

fn level(inner: impl Stream<Item = u64>) -> impl Stream<Item = u64> {
    stream! {
        let mut inner = pin!(inner);
        while let Some(x) = inner.next().await {
            yield x;
        }
    }
}

fn level3(n: u64) -> impl Stream<Item = u64> {
    level(level(level(range(0, n))))
}

fn borrowing(data: &[u64]) -> impl Stream<Item = u64> + '_ {
    stream! {
        for &x in data {
            yield x;
        }
    }
}

/// One step of a stream used as a synchronous generator.
#[inline(always)]
fn next<S: Stream>(s: Pin<&mut S>) -> Option<S::Item> {
    match s.poll_next(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(item) => item,
        Poll::Pending => unreachable!("a stream that never awaits is never pending"),
    }
}

pub fn cell(workload: Workload) -> Option<Cell> {
    Some(match workload {
        Workload::A | Workload::D => Cell::new(
            if workload == Workload::A {
                a_sum
            } else {
                d_create
            },
            || size_of_val(&range(0, 0)),
        ),
        Workload::B => return None,
        Workload::C => Cell::new(c_delegate, || size_of_val(&level3(0))),
        Workload::E => Cell::new(e_borrow, || size_of_val(&borrowing(&[]))),
        Workload::F => Cell::new(f_stream, || size_of_val(&range(0, 0))),
    })
}

#[inline(never)]
fn a_sum(n: u64, _: &[u64]) -> u64 {
    let mut s = pin!(range(0, n));
    let mut acc = 0u64;
    while let Some(x) = next(s.as_mut()) {
        acc = acc.wrapping_add(black_box(x));
    }
    acc
}

#[inline(never)]
fn c_delegate(n: u64, _: &[u64]) -> u64 {
    let mut s = pin!(level3(n));
    let mut acc = 0u64;
    while let Some(x) = next(s.as_mut()) {
        acc = acc.wrapping_add(black_box(x));
    }
    acc
}

#[inline(never)]
fn d_create(n: u64, _: &[u64]) -> u64 {
    let mut acc = 0u64;
    for i in 0..n {
        let s = pin!(range(i, i + 10));
        let Some(x) = next(s) else { unreachable!() };
        acc = acc.wrapping_add(black_box(x));
    }
    acc
}

#[inline(never)]
fn e_borrow(_: u64, data: &[u64]) -> u64 {
    let mut s = pin!(borrowing(data));
    let mut acc = 0u64;
    while let Some(x) = next(s.as_mut()) {
        acc = acc.wrapping_add(black_box(x));
    }
    acc
}

#[inline(never)]
fn f_stream(n: u64, _: &[u64]) -> u64 {
    block_on(crate::consume_stream(range(0, n)))
}
