//! Soak test: create and drop 10 million generators of each form and show
//! that the process's memory stays flat, i.e. nothing a generator allocates
//! (its one box, the heap data its body holds across a yield, a delegate's
//! state) outlives it.
//!
//! Ignored by default (about a minute in a debug build); run it with
//! `cargo test --test soak -- --ignored --nocapture` (`--release` for
//! seconds). `scripts/sanitize.sh` runs it natively with the default count
//! and again under AddressSanitizer or valgrind with fewer generators.
//! `PYGEN_SOAK_N` changes the count per form.
//!
//! Memory is the resident set size from `/proc/self/status` (Linux), read
//! after a warm-up tenth of the iterations (allocator pools and, under
//! AddressSanitizer, its quarantine fill up there) and again at the end.
//! Every body also counts its drops, so "dropped exactly once" is checked
//! as well.

use std::cell::Cell;
use std::hint::black_box;
use std::pin::pin;

use pygen::{Interrupt, generator, yield_, yield_catch, yield_from};

thread_local! {
    static DROPS: Cell<u64> = const { Cell::new(0) };
}

/// Counts its drops.
struct Counted(#[allow(dead_code)] Vec<u64>);

impl Drop for Counted {
    fn drop(&mut self) {
        DROPS.with(|d| d.set(d.get() + 1));
    }
}

fn drops() -> u64 {
    DROPS.with(Cell::get)
}

/// Holds heap data across its yields; its close handler runs on drop.
#[generator(yield = u64)]
fn leaf(seed: u64) -> u64 {
    let held = Counted(vec![seed; 4]);
    let mut total = 0;
    for i in 0..3 {
        match yield_catch!(seed + i) {
            Ok(()) => total += i,
            Err(Interrupt::Close) => return total + held.0.len() as u64,
        }
    }
    total
}

/// Delegates flat, through `&mut`, and to a plain iterator.
#[generator(yield = u64)]
fn delegating(seed: u64) -> u64 {
    let _held = Counted(vec![seed; 2]);
    let a = yield_from!(leaf(seed));
    let mut by_ref = leaf(seed + 1);
    let b = yield_from!(&mut by_ref).unwrap_or(0);
    yield_from!(vec![seed; 2]);
    yield_!(a + b);
    a + b
}

/// Resident set size in bytes, or `None` off Linux.
fn rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

fn iterations() -> u64 {
    std::env::var("PYGEN_SOAK_N").map_or(10_000_000, |n| {
        n.parse().expect("PYGEN_SOAK_N must be a number")
    })
}

/// Growth allowed between the warm-up and the end: a leak of a single byte
/// per generator (10 MB at 10 million) already shows; a leaked box
/// (16 bytes and more, plus the allocator's header) is far above.
const ALLOWED_GROWTH: u64 = 8 << 20;

/// Runs `one(i)` `n` times after a warm-up and checks memory and drops.
/// `drops_per` is how many `Counted` values one call creates and drops.
fn soak(form: &str, drops_per: u64, one: impl Fn(u64)) {
    let n = iterations();
    let warm_up = (n / 10).max(1);
    for i in 0..warm_up {
        one(i);
    }
    let before = rss();
    let counted = drops();
    for i in 0..n {
        one(i);
    }
    let after = rss();
    assert_eq!(
        drops() - counted,
        n * drops_per,
        "{form}: every body's locals dropped exactly once"
    );
    match (before, after) {
        (Some(before), Some(after)) => {
            let growth = after.saturating_sub(before);
            eprintln!(
                "soak {form:<22} {n} generators: RSS {:.1} MiB -> {:.1} MiB (+{} KiB)",
                before as f64 / 1048576.0,
                after as f64 / 1048576.0,
                growth / 1024,
            );
            assert!(
                growth <= ALLOWED_GROWTH,
                "{form}: resident memory grew by {growth} bytes over {n} generators"
            );
        }
        _ => eprintln!("soak {form}: no /proc/self/status, memory not measured"),
    }
}

#[test]
#[ignore = "soak test: run by scripts/sanitize.sh, or with --ignored"]
fn ten_million_generators_of_each_form_leave_memory_flat() {
    // One test, run in sequence: the RSS is the whole process's.
    soak("unstarted Gen", 0, |i| {
        let g = black_box(leaf(i));
        drop(g);
    });
    soak("started Gen", 1, |i| {
        let mut g = leaf(i);
        black_box(g.next());
        drop(g); // suspended: closed first, the handler runs
    });
    soak("finished Gen", 1, |i| {
        let mut g = leaf(i);
        black_box(g.by_ref().count());
    });
    soak("boxed Gen", 1, |i| {
        let mut g = leaf(i).boxed();
        black_box(g.next());
    });
    soak("pinned", 1, |i| {
        let mut g = pin!(leaf(i).into_pinned());
        black_box(g.as_mut().resume());
    });
    soak("delegating (3 kinds)", 3, |i| {
        let mut g = delegating(i);
        // Into the `&mut` delegate, past the flat one.
        for _ in 0..4 {
            black_box(g.next());
        }
    });
}
