//! Heap use of generators, counted by a global allocator.
//!
//! The counters are per thread (a `const` thread-local `Cell`, which never
//! allocates or registers a destructor), so tests running in parallel on
//! other threads cannot disturb a measurement, and every measured section is
//! free of printing and of other allocating code of its own.
//!
//! What is claimed (see DESIGN.md, "Allocation"):
//! - creating and dropping an unstarted `Gen` allocates nothing;
//! - a started `Gen` makes exactly one allocation, however many items it
//!   yields, and frees it when it finishes;
//! - the pinned form allocates nothing at all;
//! - flat `yield_from!` delegation (a fresh generator of this crate) adds no
//!   allocation: a three-level chain driven through `Gen` still makes one;
//! - a pinned generator is its body plus at most two words.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::hint::black_box;
use std::mem::size_of;
use std::pin::pin;

use pygen::{Gen, GeneratorState, PinnedGen, generator, yield_, yield_catch, yield_from};

// ---------------------------------------------------------------------------
// The counting allocator
// ---------------------------------------------------------------------------

struct Counting;

thread_local! {
    static ALLOCS: Cell<usize> = const { Cell::new(0) };
    static DEALLOCS: Cell<usize> = const { Cell::new(0) };
}

fn bump(counter: &'static std::thread::LocalKey<Cell<usize>>) {
    // `try_with`: the allocator may run while the thread's locals are torn
    // down; those allocations are simply not counted.
    let _ = counter.try_with(|c| c.set(c.get() + 1));
}

// SAFETY: every call is forwarded unchanged to `System`; counting touches
// only a thread-local `Cell` and never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        bump(&ALLOCS);
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        bump(&ALLOCS);
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        bump(&ALLOCS);
        bump(&DEALLOCS);
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        bump(&DEALLOCS);
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations and deallocations made by this thread so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Counts {
    allocs: usize,
    deallocs: usize,
}

fn counts() -> Counts {
    Counts {
        allocs: ALLOCS.with(Cell::get),
        deallocs: DEALLOCS.with(Cell::get),
    }
}

/// Runs `f` and returns what it allocated and freed on this thread.
fn measure<T>(f: impl FnOnce() -> T) -> (T, Counts) {
    let before = counts();
    let value = f();
    let after = counts();
    (
        value,
        Counts {
            allocs: after.allocs - before.allocs,
            deallocs: after.deallocs - before.deallocs,
        },
    )
}

const NOTHING: Counts = Counts {
    allocs: 0,
    deallocs: 0,
};

const ONE_BOX: Counts = Counts {
    allocs: 1,
    deallocs: 1,
};

#[test]
fn the_counter_counts() {
    let ((), c) = measure(|| drop(black_box(Box::new(5u64))));
    assert_eq!(c, ONE_BOX);
    let ((), c) = measure(|| {
        black_box(5u64);
    });
    assert_eq!(c, NOTHING);
}

// ---------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------

/// How many items the longer runs take: fewer under Miri, which interprets
/// every item (the counts checked do not depend on it).
const MANY: u64 = if cfg!(miri) { 100 } else { 1000 };

#[generator(yield = u64)]
fn numbers(n: u64) -> u64 {
    let mut total = 0;
    for i in 0..n {
        total += i;
        yield_!(i);
    }
    total
}

#[generator(yield = u64)]
fn level3(n: u64) -> u64 {
    let local = [n; 4];
    for i in 0..n {
        yield_!(i + local[0]);
    }
    n
}

#[generator(yield = u64)]
fn level2(n: u64) -> u64 {
    yield_!(2000);
    let r = yield_from!(level3(n));
    yield_from!(0..n);
    r + 1
}

#[generator(yield = u64)]
fn level1(n: u64) -> u64 {
    yield_!(1000);
    let r = yield_from!(level2(n));
    yield_!(1001);
    r + 1
}

#[generator(yield = u64)]
fn by_ref_outer(n: u64) -> Option<u64> {
    let mut inner = numbers(n);
    yield_from!(&mut inner)
}

#[generator(yield = u64)]
fn closable() -> u64 {
    let mut n = 0;
    loop {
        match yield_catch!(n) {
            Ok(()) => n += 1,
            Err(_) => return n,
        }
    }
}

// ---------------------------------------------------------------------------
// Movable form
// ---------------------------------------------------------------------------

#[test]
fn unstarted_gen_allocates_nothing() {
    let ((), c) = measure(|| {
        let g = black_box(numbers(MANY));
        drop(g);
    });
    assert_eq!(c, NOTHING);

    // Closing, throwing away and converting an unstarted one: nothing either.
    let ((), c) = measure(|| {
        let mut g = black_box(closable());
        assert_eq!(g.close(), Ok(None));
        drop(black_box(level1(3)));
        let p = black_box(numbers(3).into_pinned());
        drop(p);
    });
    assert_eq!(c, NOTHING);
}

#[test]
fn started_gen_allocates_once_however_many_items() {
    for n in [1u64, 10, MANY] {
        let (sum, c) = measure(|| {
            let mut g = black_box(numbers(n));
            let mut sum = 0;
            for x in &mut g {
                sum += black_box(x);
            }
            drop(g);
            sum
        });
        assert_eq!(sum, n * (n - 1) / 2);
        assert_eq!(c, ONE_BOX, "n = {n}");
    }
}

#[test]
fn the_allocation_is_made_at_the_first_resume_and_freed_on_completion() {
    let mut g = black_box(numbers(2));
    let (first, c) = measure(|| g.next());
    assert_eq!(first, Some(0));
    assert_eq!(
        c,
        Counts {
            allocs: 1,
            deallocs: 0
        }
    );
    let (rest, c) = measure(|| (g.resume(), g.resume()));
    assert_eq!(
        rest,
        (
            Some(GeneratorState::Yielded(1)),
            Some(GeneratorState::Complete(1))
        )
    );
    // Completion frees the box right away, before the handle is dropped.
    assert_eq!(
        c,
        Counts {
            allocs: 0,
            deallocs: 1
        }
    );
    let ((), c) = measure(|| drop(g));
    assert_eq!(c, NOTHING);
}

#[test]
fn send_close_and_adapters_add_no_allocation() {
    let (value, c) = measure(|| {
        let mut g = black_box(closable());
        g.nth(MANY as usize / 2);
        g.close()
    });
    assert_eq!(value, Ok(Some(MANY / 2)));
    assert_eq!(c, ONE_BOX);

    let (v, c) = measure(|| {
        numbers(MANY)
            .skip(10)
            .step_by(3)
            .take(MANY as usize / 10)
            .map(black_box)
            .sum::<u64>()
    });
    assert_eq!(
        v,
        (0..MANY)
            .skip(10)
            .step_by(3)
            .take(MANY as usize / 10)
            .sum::<u64>()
    );
    assert_eq!(c, ONE_BOX);
}

#[test]
fn flat_three_level_chain_allocates_once() {
    let (items, c) = measure(|| {
        let mut g = black_box(level1(MANY));
        let mut count = 0u64;
        let mut last = 0;
        while let Some(state) = g.resume() {
            match state {
                GeneratorState::Yielded(x) => {
                    count += 1;
                    black_box(x);
                }
                GeneratorState::Complete(r) => last = r,
            }
        }
        (count, last)
    });
    assert_eq!(items, (2 + MANY + MANY + 1, MANY + 2));
    assert_eq!(c, ONE_BOX);

    // Closed in the middle of the innermost level: still one.
    let ((), c) = measure(|| {
        let mut g = black_box(level1(MANY));
        g.nth(MANY as usize / 2);
        assert_eq!(g.close(), Ok(None));
    });
    assert_eq!(c, ONE_BOX);
}

#[test]
fn by_ref_delegation_allocates_per_started_gen() {
    // Not flat: the delegate is a `Gen` of its own, started (and boxed) by
    // the delegation. Driven by `next`, two generators start: two
    // allocations.
    let (n, c) = measure(|| {
        let mut n = 0;
        // A `for` loop calls `next`, not `fold`.
        for x in by_ref_outer(100) {
            black_box(x);
            n += 1;
        }
        n
    });
    assert_eq!(n, 100);
    assert_eq!(
        c,
        Counts {
            allocs: 2,
            deallocs: 2
        }
    );
    // Consumed by `fold` (here through `count`), the outer generator runs
    // pinned on the stack: only the delegate's box remains.
    let (n, c) = measure(|| by_ref_outer(100).map(black_box).count());
    assert_eq!(n, 100);
    assert_eq!(c, ONE_BOX);
}

#[test]
fn boxed_gen_allocates_twice() {
    // `.boxed()` erases the body behind a box of its own (made at once),
    // and the `Gen` around it is boxed at its first resume.
    let (n, c) = measure(|| {
        let mut n = 0;
        // A `for` loop calls `next`, not `fold`.
        for x in numbers(10).boxed() {
            black_box(x);
            n += 1;
        }
        n
    });
    assert_eq!(n, 10);
    assert_eq!(
        c,
        Counts {
            allocs: 2,
            deallocs: 2
        }
    );
    // `fold` runs the unstarted `Gen` pinned on the stack: the body's own
    // box is the only one.
    let (n, c) = measure(|| numbers(10).boxed().map(black_box).count());
    assert_eq!(n, 10);
    assert_eq!(c, ONE_BOX);
}

#[test]
fn fold_of_an_unstarted_gen_allocates_nothing() {
    // `sum`, `for_each`, `collect` go through `fold`, which runs an
    // unstarted body pinned on the stack.
    let (sum, c) = measure(|| numbers(MANY).map(black_box).sum::<u64>());
    assert_eq!(sum, (0..MANY).sum());
    assert_eq!(c, NOTHING);
    // A started one keeps its single box.
    let (sum, c) = measure(|| {
        let mut g = numbers(MANY);
        let first = g.next().unwrap();
        first + g.sum::<u64>()
    });
    assert_eq!(sum, (0..MANY).sum());
    assert_eq!(c, ONE_BOX);
}

// ---------------------------------------------------------------------------
// Pinned form
// ---------------------------------------------------------------------------

#[test]
fn pinned_form_allocates_nothing() {
    let (sum, c) = measure(|| {
        let mut g = pin!(black_box(numbers(MANY)).into_pinned());
        let mut sum = 0;
        while let Some(GeneratorState::Yielded(x)) = g.as_mut().resume() {
            sum += black_box(x);
        }
        sum
    });
    assert_eq!(sum, (MANY - 1) * MANY / 2);
    assert_eq!(c, NOTHING);

    // Flat chains, iterator delegation and close too.
    let (n, c) = measure(|| {
        let mut g = pin!(black_box(level1(MANY)).into_pinned());
        // Into the iterator delegation of `level2`.
        let n = g
            .as_mut()
            .iter()
            .take(MANY as usize * 3 / 2)
            .map(black_box)
            .count();
        assert_eq!(g.as_mut().close(), Ok(None));
        n
    });
    assert_eq!(n, MANY as usize * 3 / 2);
    assert_eq!(c, NOTHING);

    // Dropped suspended (closed by its destructor): nothing.
    let ((), c) = measure(|| {
        let mut g = pin!(black_box(closable()).into_pinned());
        g.as_mut().iter().nth(3);
    });
    assert_eq!(c, NOTHING);
}

// ---------------------------------------------------------------------------
// Sizes
// ---------------------------------------------------------------------------

/// The size of a generator's body type `F`, and of its two handles over it.
fn sizes<F: pygen::Body, Y, S, E>(_: &Gen<F, Y, S, E>) -> (usize, usize, usize) {
    (
        size_of::<F>(),
        size_of::<PinnedGen<F, Y, S, E>>(),
        size_of::<Gen<F, Y, S, E>>(),
    )
}

#[generator(yield = u64)]
fn big_body() {
    let buffer = [7u8; 256];
    for b in buffer.iter() {
        yield_!(u64::from(*b));
    }
}

#[test]
fn pinned_gen_is_its_body_plus_at_most_two_words() {
    const WORD: usize = size_of::<usize>();
    let cases = [
        ("numbers", sizes(&numbers(1))),
        ("level1", sizes(&level1(1))),
        ("closable", sizes(&closable())),
        ("big_body", sizes(&big_body())),
        ("by_ref_outer", sizes(&by_ref_outer(1))),
    ];
    for (name, (body, pinned, movable)) in cases {
        println!("{name}: body {body} B, PinnedGen {pinned} B, Gen {movable} B");
        assert!(
            pinned <= body + 2 * WORD,
            "{name}: PinnedGen {pinned} B > body {body} B + 2 words"
        );
        // The movable handle holds the body inline until the first resume,
        // then only a pointer: it is no bigger than the body plus a tag.
        assert!(
            movable <= body.max(WORD) + 2 * WORD,
            "{name}: Gen {movable} B > body {body} B + 2 words"
        );
    }
    // The body of a flat chain contains the inner bodies inline: it is at
    // least as big as the innermost level's body.
    assert!(sizes(&level1(1)).0 >= sizes(&level3(1)).0);
    assert!(sizes(&big_body()).0 >= 256);
}
