//! The physical limit: hand-written iterators and state machines.

use std::hint::black_box;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::Stream;

use crate::{Cell, Workload, block_on};

pub fn cell(workload: Workload) -> Option<Cell> {
    Some(match workload {
        Workload::A => Cell::new(a_sum, size_of::<Range>),
        Workload::B => Cell::new(b_send, size_of::<Doubler>),
        Workload::C => Cell::new(c_delegate, size_of::<Level<Level<Level<Range>>>>),
        Workload::D => Cell::new(d_create, size_of::<Range>),
        Workload::E => Cell::new(e_borrow, size_of::<Borrowing<'static>>),
        Workload::F => Cell::new(f_stream, size_of::<RangeStream>),
    })
}

pub struct Range {
    next: u64,
    end: u64,
}

impl Range {
    #[inline]
    pub fn new(lo: u64, hi: u64) -> Self {
        Range { next: lo, end: hi }
    }
}

impl Iterator for Range {
    type Item = u64;

    #[inline]
    fn next(&mut self) -> Option<u64> {
        if self.next < self.end {
            let i = self.next;
            self.next += 1;
            Some(i)
        } else {
            None
        }
    }
}

/// B: the state machine of "receive x, answer 2x".
pub struct Doubler {
    started: bool,
}

impl Doubler {
    #[inline]
    fn start(&mut self) -> u64 {
        self.started = true;
        0
    }

    #[inline]
    fn send(&mut self, x: u64) -> Option<u64> {
        self.started.then_some(x * 2)
    }
}

/// C: one level of delegation, by hand: forwards to the next level.
pub struct Level<I>(I);

impl<I: Iterator<Item = u64>> Iterator for Level<I> {
    type Item = u64;

    #[inline]
    fn next(&mut self) -> Option<u64> {
        self.0.next()
    }
}

/// E: an iterator borrowing the caller's data.
pub struct Borrowing<'a> {
    data: &'a [u64],
    at: usize,
}

impl Iterator for Borrowing<'_> {
    type Item = u64;

    #[inline]
    fn next(&mut self) -> Option<u64> {
        let x = *self.data.get(self.at)?;
        self.at += 1;
        Some(x)
    }
}

/// F: a hand-written `Stream`.
pub struct RangeStream(Range);

impl Stream for RangeStream {
    type Item = u64;

    #[inline]
    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<u64>> {
        Poll::Ready(self.0.next())
    }
}

#[inline(never)]
fn a_sum(n: u64, _: &[u64]) -> u64 {
    let mut acc = 0u64;
    for x in Range::new(0, n) {
        acc = acc.wrapping_add(black_box(x));
    }
    acc
}

#[inline(never)]
fn b_send(n: u64, _: &[u64]) -> u64 {
    let mut g = Doubler { started: false };
    let mut acc = g.start();
    for i in 0..n {
        let Some(y) = g.send(black_box(i)) else {
            unreachable!()
        };
        acc = acc.wrapping_add(black_box(y));
    }
    acc
}

#[inline(never)]
fn c_delegate(n: u64, _: &[u64]) -> u64 {
    let mut acc = 0u64;
    for x in Level(Level(Level(Range::new(0, n)))) {
        acc = acc.wrapping_add(black_box(x));
    }
    acc
}

#[inline(never)]
fn d_create(n: u64, _: &[u64]) -> u64 {
    let mut acc = 0u64;
    for i in 0..n {
        let mut g = Range::new(i, i + 10);
        let Some(x) = g.next() else { unreachable!() };
        acc = acc.wrapping_add(black_box(x));
    }
    acc
}

#[inline(never)]
fn e_borrow(_: u64, data: &[u64]) -> u64 {
    let mut acc = 0u64;
    for x in (Borrowing { data, at: 0 }) {
        acc = acc.wrapping_add(black_box(x));
    }
    acc
}

#[inline(never)]
fn f_stream(n: u64, _: &[u64]) -> u64 {
    block_on(crate::consume_stream(RangeStream(Range::new(0, n))))
}
