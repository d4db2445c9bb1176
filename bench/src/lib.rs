//! The workloads of pygen's side-by-side benchmark, and each
//! implementation of them: a hand-written iterator, pygen (pinned and
//! `Gen`), genawaiter, async-stream and (feature `nightly`) rustc's own
//! coroutines.
//!
//! `benches/instructions.rs` (gungraun) counts the instructions of every
//! cell, `benches/time.rs` (divan) times them; the `pygen-bench` binary
//! (`src/main.rs`) counts allocations in runs of its own, turns the
//! benchmarks' output into `BENCHMARKS.md`, and
//! checks the counts against `bench/baseline.tsv` (the CI gate).
#![cfg_attr(feature = "nightly", feature(coroutines, coroutine_trait))]

mod async_stream_impl;
#[cfg(feature = "nightly")]
mod coroutines;
mod genawaiter_impl;
mod hand;
mod pygen_impl;

use std::hint::black_box;
use std::pin::pin;

use futures::{Stream, StreamExt};

/// The workloads. Every consumer passes every item through `black_box` and
/// adds it to a wrapping sum, the checksum. (A first yielded value that
/// initialises the sum is not black-boxed: `let mut acc = black_box(x)`
/// makes LLVM keep the sum in the stack slot it lent to the `asm!` of
/// `black_box`, one load and store per item that has nothing to do with
/// the generator.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Workload {
    /// Sum of 0..N yielded as u64.
    A,
    /// Resume round trip: send a u64, receive it doubled.
    B,
    /// Three levels of delegation above a leaf that yields N items.
    C,
    /// Create a generator, take one item, drop it; N times.
    D,
    /// A generator borrowing the caller's Vec across yields.
    E,
    /// An async stream of N items consumed under `block_on`.
    F,
}

impl Workload {
    pub const ALL: [Workload; 6] = [
        Workload::A,
        Workload::B,
        Workload::C,
        Workload::D,
        Workload::E,
        Workload::F,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Workload::A => "A",
            Workload::B => "B",
            Workload::C => "C",
            Workload::D => "D",
            Workload::E => "E",
            Workload::F => "F",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Workload::A => "A: sum of 0..N yielded as u64",
            Workload::B => "B: resume round trip (send x, receive 2x)",
            Workload::C => "C: three levels of delegation above a leaf yielding N items",
            Workload::D => "D: create, take one item, drop; N times",
            Workload::E => "E: borrowing the caller's Vec across yields",
            Workload::F => "F: async stream of N items under block_on",
        }
    }

    /// Items per call in the timed runs and under callgrind. Small enough to
    /// stay in cache (E's Vec is 32 KiB), large enough that a generator's
    /// creation is a rounding error (except in D, where it is the point).
    pub fn n(self) -> u64 {
        match self {
            Workload::A | Workload::B | Workload::C | Workload::F => 100_000,
            Workload::D => 20_000,
            Workload::E => 4_096,
        }
    }

    /// Generators a call of `n` items creates (the outermost ones).
    pub fn generators(self, n: u64) -> u64 {
        match self {
            Workload::D => n,
            _ => 1,
        }
    }

    /// What every implementation must return for `n` items over `data`.
    pub fn expected(self, n: u64, data: &[u64]) -> u64 {
        let triangle = (0..n).fold(0u64, u64::wrapping_add);
        match self {
            Workload::A | Workload::C | Workload::D | Workload::F => triangle,
            Workload::B => triangle.wrapping_mul(2),
            Workload::E => data.iter().fold(0u64, |a, &x| a.wrapping_add(x)),
        }
    }

    pub fn parse(s: &str) -> Option<Workload> {
        Workload::ALL
            .into_iter()
            .find(|w| w.key().eq_ignore_ascii_case(s))
    }
}

/// The implementations, in table order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Impl {
    Hand,
    Pinned,
    Movable,
    GenawaiterStack,
    GenawaiterRc,
    AsyncStream,
    Coroutine,
}

impl Impl {
    pub const ALL: [Impl; 7] = [
        Impl::Hand,
        Impl::Pinned,
        Impl::Movable,
        Impl::GenawaiterStack,
        Impl::GenawaiterRc,
        Impl::AsyncStream,
        Impl::Coroutine,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Impl::Hand => "hand",
            Impl::Pinned => "pinned",
            Impl::Movable => "gen",
            Impl::GenawaiterStack => "genawaiter-stack",
            Impl::GenawaiterRc => "genawaiter-rc",
            Impl::AsyncStream => "async-stream",
            Impl::Coroutine => "coroutine",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Impl::Hand => "hand-written",
            Impl::Pinned => "pygen pinned",
            Impl::Movable => "pygen `Gen`",
            Impl::GenawaiterStack => "genawaiter stack",
            Impl::GenawaiterRc => "genawaiter rc",
            Impl::AsyncStream => "async-stream",
            Impl::Coroutine => "nightly coroutine",
        }
    }

    pub fn parse(s: &str) -> Option<Impl> {
        Impl::ALL
            .into_iter()
            .find(|i| i.key().eq_ignore_ascii_case(s))
    }

    /// This implementation's cell for `workload`, if it can do it and is
    /// built into this binary.
    pub fn cell(self, workload: Workload) -> Option<Cell> {
        match self {
            Impl::Hand => hand::cell(workload),
            Impl::Pinned => pygen_impl::pinned::cell(workload),
            Impl::Movable => pygen_impl::movable::cell(workload),
            Impl::GenawaiterStack => genawaiter_impl::stack::cell(workload),
            Impl::GenawaiterRc => genawaiter_impl::rc::cell(workload),
            Impl::AsyncStream => async_stream_impl::cell(workload),
            #[cfg(feature = "nightly")]
            Impl::Coroutine => coroutines::cell(workload),
            #[cfg(not(feature = "nightly"))]
            Impl::Coroutine => None,
        }
    }
}

/// Runs `n` items of a workload over `data` and returns the checksum.
pub type Run = fn(u64, &[u64]) -> u64;

/// One workload done by one implementation.
#[derive(Clone, Copy)]
pub struct Cell {
    pub run: Run,
    /// `size_of` of the generator the consumer holds.
    pub size: fn() -> usize,
    /// `size_of` of the body future alone (pygen only).
    pub body: Option<fn() -> usize>,
}

impl Cell {
    pub fn new(run: Run, size: fn() -> usize) -> Cell {
        Cell {
            run,
            size,
            body: None,
        }
    }

    pub fn body(self, body: fn() -> usize) -> Cell {
        Cell {
            body: Some(body),
            ..self
        }
    }
}

/// The consumer of every `Stream` in F.
pub async fn consume_stream(stream: impl Stream<Item = u64>) -> u64 {
    let mut stream = pin!(stream);
    let mut acc = 0u64;
    while let Some(x) = stream.next().await {
        acc = acc.wrapping_add(black_box(x));
    }
    acc
}

pub use futures::executor::block_on;

/// The caller's data for E (and, unused, for the others).
pub fn data(n: u64) -> Vec<u64> {
    (0..n).map(|i| i.wrapping_mul(0x9E37_79B9) ^ 5).collect()
}

/// The cell `workload/imp` (keys as in [`Workload::key`], [`Impl::key`]).
pub fn find(name: &str) -> Option<(Workload, Impl, Cell)> {
    let (w, i) = name.split_once('/')?;
    let (w, i) = (Workload::parse(w)?, Impl::parse(i)?);
    Some((w, i, i.cell(w)?))
}

/// The workloads rustc's coroutines do (feature `nightly`): listed without
/// the feature too, for the report, which reads their counts from a
/// nightly run.
pub const COROUTINE_WORKLOADS: [Workload; 5] = [
    Workload::A,
    Workload::B,
    Workload::C,
    Workload::D,
    Workload::E,
];

/// Every cell built into this crate, as `workload/imp`.
pub fn names() -> impl Iterator<Item = String> {
    Workload::ALL.into_iter().flat_map(|w| {
        Impl::ALL
            .into_iter()
            .filter(move |i| i.cell(w).is_some())
            .map(move |i| format!("{}/{}", w.key(), i.key()))
    })
}

/// One call of a cell, prepared: its run, its items and the caller's data,
/// after a small warm-up call (so that lazy one-time work is not counted).
pub struct Prepared {
    pub run: Run,
    pub n: u64,
    pub data: Vec<u64>,
}

impl Prepared {
    pub fn new(name: &str) -> Prepared {
        let (workload, _, cell) = find(name).unwrap_or_else(|| panic!("no cell {name}"));
        let n = workload.n();
        let data = data(n);
        let warm = n.min(16);
        black_box((cell.run)(warm, &data[..warm as usize]));
        Prepared {
            run: cell.run,
            n,
            data,
        }
    }

    /// The measured call: the checksum of the run.
    #[inline(never)]
    pub fn run(&self) -> u64 {
        black_box(self.run)(black_box(self.n), black_box(&self.data))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every implementation computes the same thing as the hand-written one,
    /// for a few sizes including the empty run.
    #[test]
    fn every_cell_agrees_with_the_expected_checksum() {
        for workload in Workload::ALL {
            for n in [0, 1, 2, 17, 300] {
                let data = data(n);
                for imp in Impl::ALL {
                    if let Some(cell) = imp.cell(workload) {
                        assert_eq!(
                            (cell.run)(n, &data),
                            workload.expected(n, &data),
                            "{} {} n={n}",
                            workload.key(),
                            imp.key()
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn pygen_cells_cover_every_workload() {
        for workload in Workload::ALL {
            assert!(Impl::Pinned.cell(workload).is_some());
            assert!(Impl::Movable.cell(workload).is_some());
        }
    }
}
