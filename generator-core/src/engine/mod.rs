//! The engine layer: what crosses a resume ([`signal`]), the slot it
//! crosses through and the waker that carries it ([`channel`]), and the
//! stack of direct delegations — the frames' type-erased header
//! ([`header`]) and how the stack runs ([`stack`]).

//! # Inlining
//!
//! The attributes across the crate follow four rules, measured with the
//! benchmark gate (`bench/baseline.tsv`); a function whose attribute breaks
//! one says why beside it, with its numbers.
//!
//! 1. **The resume path is `#[inline(always)]` end to end** in an
//!    optimized build: `Iterator::next` / `Stream::poll_next` / `resume` /
//!    `send` → the driver's step (`handle/driver.rs`) → `channel::poll_body`
//!    → `poll_under` → the body's `poll`, and for a body with `yield_from!`
//!    the frames' runs (`stack.rs`). A consumer that drives one generator
//!    then holds the whole resume in its loop, where the channel is stack
//!    traffic LLVM removes. The attribute is written
//!    `#[cfg_attr(not(debug_assertions), inline(always))]`: a debug build
//!    inlines `always` functions too, which copied the whole resume path
//!    into each generator's `next` and `fold` (22.5 KB of `.text` per
//!    generator, against 10.2 KB without; async-stream 5.3 KB:
//!    `scripts/build_cost.py`), and gains nothing from it. A release build
//!    with `debug-assertions = true` gets the hint-free path too.
//! 2. **What runs once per generator or per error is out of the way**: the
//!    async close of a dropped generator is `#[cold]` `#[inline(never)]`;
//!    errors and broken invariants go through `util/panics.rs`, whose
//!    functions are cold.
//! 3. **`#[inline]` where leaving it to LLVM made a cell hang on how the
//!    crate was split into codegen units** (a generic function in another
//!    unit than its caller cannot be inlined in the default profile).
//! 4. **Nothing in a yield that would make a body's poll too big to
//!    inline**: checks that a release build would carry in every yield are
//!    debug-only (`channel::channel`), and a yield stores a marker instead
//!    of calling a panic.

pub(crate) mod channel;
pub(crate) mod header;
pub(crate) mod signal;
pub(crate) mod stack;
