//! Instructions per call of every cell of the side-by-side benchmark,
//! counted by gungraun (callgrind): `cargo bench -p pygen-bench --bench
//! instructions` (add `--features nightly` with `cargo +nightly` for rustc's
//! coroutines). Each call is prepared, and warmed up, outside the
//! measurement; `pygen-bench report` divides by the workload's items.

use std::hint::black_box;

use gungraun::{library_benchmark, library_benchmark_group, main};
use pygen_bench::Prepared;

// One gungraun benchmark per cell, named after it (gungraun's ids are
// identifiers): every `workload/imp` of `pygen_bench::names()`.
// `pygen-bench report` fails if a cell has no result.
#[library_benchmark]
#[bench::a_hand(args = ("A/hand"), setup = Prepared::new)]
#[bench::a_pinned(args = ("A/pinned"), setup = Prepared::new)]
#[bench::a_gen(args = ("A/gen"), setup = Prepared::new)]
#[bench::a_genawaiter_stack(args = ("A/genawaiter-stack"), setup = Prepared::new)]
#[bench::a_genawaiter_rc(args = ("A/genawaiter-rc"), setup = Prepared::new)]
#[bench::a_async_stream(args = ("A/async-stream"), setup = Prepared::new)]
#[bench::b_hand(args = ("B/hand"), setup = Prepared::new)]
#[bench::b_pinned(args = ("B/pinned"), setup = Prepared::new)]
#[bench::b_gen(args = ("B/gen"), setup = Prepared::new)]
#[bench::b_genawaiter_stack(args = ("B/genawaiter-stack"), setup = Prepared::new)]
#[bench::b_genawaiter_rc(args = ("B/genawaiter-rc"), setup = Prepared::new)]
#[bench::c_hand(args = ("C/hand"), setup = Prepared::new)]
#[bench::c_pinned(args = ("C/pinned"), setup = Prepared::new)]
#[bench::c_gen(args = ("C/gen"), setup = Prepared::new)]
#[bench::c_genawaiter_stack(args = ("C/genawaiter-stack"), setup = Prepared::new)]
#[bench::c_genawaiter_rc(args = ("C/genawaiter-rc"), setup = Prepared::new)]
#[bench::c_async_stream(args = ("C/async-stream"), setup = Prepared::new)]
#[bench::d_hand(args = ("D/hand"), setup = Prepared::new)]
#[bench::d_pinned(args = ("D/pinned"), setup = Prepared::new)]
#[bench::d_gen(args = ("D/gen"), setup = Prepared::new)]
#[bench::d_genawaiter_stack(args = ("D/genawaiter-stack"), setup = Prepared::new)]
#[bench::d_genawaiter_rc(args = ("D/genawaiter-rc"), setup = Prepared::new)]
#[bench::d_async_stream(args = ("D/async-stream"), setup = Prepared::new)]
#[bench::e_hand(args = ("E/hand"), setup = Prepared::new)]
#[bench::e_pinned(args = ("E/pinned"), setup = Prepared::new)]
#[bench::e_gen(args = ("E/gen"), setup = Prepared::new)]
#[bench::e_genawaiter_stack(args = ("E/genawaiter-stack"), setup = Prepared::new)]
#[bench::e_genawaiter_rc(args = ("E/genawaiter-rc"), setup = Prepared::new)]
#[bench::e_async_stream(args = ("E/async-stream"), setup = Prepared::new)]
#[bench::f_hand(args = ("F/hand"), setup = Prepared::new)]
#[bench::f_pinned(args = ("F/pinned"), setup = Prepared::new)]
#[bench::f_gen(args = ("F/gen"), setup = Prepared::new)]
#[bench::f_genawaiter_stack(args = ("F/genawaiter-stack"), setup = Prepared::new)]
#[bench::f_genawaiter_rc(args = ("F/genawaiter-rc"), setup = Prepared::new)]
#[bench::f_async_stream(args = ("F/async-stream"), setup = Prepared::new)]
fn cell(prepared: Prepared) -> u64 {
    let sum = prepared.run();
    // Not dropped here, where its `Vec` would be counted: the process ends
    // after this one call.
    std::mem::forget(prepared);
    black_box(sum)
}

// rustc's own coroutines, with a nightly toolchain only.
#[cfg(feature = "nightly")]
#[library_benchmark]
#[bench::a_coroutine(args = ("A/coroutine"), setup = Prepared::new)]
#[bench::b_coroutine(args = ("B/coroutine"), setup = Prepared::new)]
#[bench::c_coroutine(args = ("C/coroutine"), setup = Prepared::new)]
#[bench::d_coroutine(args = ("D/coroutine"), setup = Prepared::new)]
#[bench::e_coroutine(args = ("E/coroutine"), setup = Prepared::new)]
fn coroutine(prepared: Prepared) -> u64 {
    let sum = prepared.run();
    std::mem::forget(prepared);
    black_box(sum)
}

#[cfg(not(feature = "nightly"))]
library_benchmark_group!(name = side_by_side, benchmarks = [cell]);
#[cfg(feature = "nightly")]
library_benchmark_group!(name = side_by_side, benchmarks = [cell, coroutine]);

main!(library_benchmark_groups = side_by_side);
