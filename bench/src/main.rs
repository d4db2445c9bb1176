//! Side-by-side benchmark of pygen against a hand-written iterator,
//! genawaiter, async-stream and (feature `nightly`) rustc's own coroutines.
//!
//! ```text
//! pygen-bench run [--rounds R] [--sample-ms T] [--tsv FILE] [--merge FILE]
//!                 [--callgrind FILE]... [--markdown FILE] [--svg FILE]
//!                 [--build LABEL] [--toolchain TEXT] [--command TEXT]
//! pygen-bench list                   workload, implementation and N of every cell
//! pygen-bench one W IMPL [N]         one call of one cell (for callgrind)
//! ```
//!
//! `scripts/bench.sh` runs everything and writes `BENCHMARKS.md` and
//! `bench/ratios.svg`; `scripts/callgrind.sh` counts instructions per item.
#![cfg_attr(feature = "nightly", feature(coroutines, coroutine_trait))]

mod async_stream_impl;
#[cfg(feature = "nightly")]
mod coroutines;
mod counting;
mod genawaiter_impl;
mod hand;
mod pygen_impl;
mod report;

use std::hint::black_box;
use std::pin::pin;
use std::process::ExitCode;

use futures::{Stream, StreamExt};

#[global_allocator]
static ALLOCATOR: counting::Counting = counting::Counting;

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

/// The timed (and, under callgrind, the only collected) region: `reps`
/// calls of one cell. Not inlined, so callgrind can toggle on it.
#[inline(never)]
pub fn measured(run: Run, n: u64, data: &[u64], reps: u32) -> u64 {
    let mut acc = 0u64;
    for _ in 0..reps {
        acc = acc.wrapping_add(black_box(run)(black_box(n), black_box(data)));
    }
    acc
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => report::run(&args[1..]),
        Some("list") => {
            list();
            Ok(())
        }
        Some("one") => one(&args[1..]),
        _ => Err(
            "usage: pygen-bench run [options] | list | one WORKLOAD IMPL [N]\n\
                  (see the top of bench/src/main.rs)"
                .to_string(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("pygen-bench: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Every cell in this binary, one per line: `WORKLOAD IMPL N`.
fn list() {
    for workload in Workload::ALL {
        for imp in Impl::ALL {
            if imp.cell(workload).is_some() {
                println!("{} {} {}", workload.key(), imp.key(), workload.n());
            }
        }
    }
}

/// One call of one cell, after a small warm-up call (so lazy one-time
/// initialisation is not counted), for `scripts/callgrind.sh`. Prints the
/// number of items the measured call handled.
fn one(args: &[String]) -> Result<(), String> {
    let [workload, imp, rest @ ..] = args else {
        return Err("usage: pygen-bench one WORKLOAD IMPL [N]".into());
    };
    let workload = Workload::parse(workload).ok_or(format!("unknown workload {workload}"))?;
    let imp = Impl::parse(imp).ok_or(format!("unknown implementation {imp}"))?;
    let cell = imp
        .cell(workload)
        .ok_or(format!("{} cannot do {}", imp.key(), workload.key()))?;
    let n = match rest {
        [] => workload.n(),
        [n] => n.parse().map_err(|_| format!("bad N {n}"))?,
        _ => return Err("too many arguments".into()),
    };
    let data = data(n);
    let warm = n.min(16);
    black_box((cell.run)(warm, &data[..warm as usize]));
    let got = measured(cell.run, n, &data, 1);
    let expected = workload.expected(n, &data);
    if got != expected {
        return Err(format!(
            "{} {}: checksum {got}, expected {expected}",
            workload.key(),
            imp.key()
        ));
    }
    println!("items={n}");
    Ok(())
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
