//! Instructions per run of every cell (`pygen_user_bench::cells::CELLS`),
//! counted by gungraun (callgrind): `cargo bench -p pygen-user-bench --bench
//! instructions`, and again with `--profile release-lto`. Each run is
//! prepared (and run once) outside the measurement; `pygen-bench report`
//! divides by the cell's items and gates CI on the result.

use std::hint::black_box;

use gungraun::{library_benchmark, library_benchmark_group, main};
use pygen_user_bench::cells::{Cell, Input};

/// The cell and its prepared input.
fn prepare(name: &str) -> (Cell, Input) {
    let cell = Cell::find(name).unwrap_or_else(|| panic!("no cell {name}"));
    (cell, cell.prepared())
}

// One gungraun benchmark per cell, named after it (gungraun's ids are
// identifiers). `pygen-bench report` fails if a cell has no result, so a
// cell added to `CELLS` must be added here too.
#[library_benchmark]
#[bench::depth0_pygen(args = ("depth0/pygen"), setup = prepare)]
#[bench::depth0_hand(args = ("depth0/hand"), setup = prepare)]
#[bench::own_and_delegated_pygen(args = ("own-and-delegated/pygen"), setup = prepare)]
#[bench::depth1_pygen(args = ("depth1/pygen"), setup = prepare)]
#[bench::depth1_hand_dyn(args = ("depth1/hand-dyn"), setup = prepare)]
#[bench::depth2_pygen(args = ("depth2/pygen"), setup = prepare)]
#[bench::depth4_pygen(args = ("depth4/pygen"), setup = prepare)]
#[bench::depth8_pygen(args = ("depth8/pygen"), setup = prepare)]
#[bench::depth16_pygen(args = ("depth16/pygen"), setup = prepare)]
#[bench::depth16_hand_dyn(args = ("depth16/hand-dyn"), setup = prepare)]
#[bench::tree8_pygen(args = ("tree8/pygen"), setup = prepare)]
#[bench::tree8_hand(args = ("tree8/hand"), setup = prepare)]
#[bench::tree8_callback(args = ("tree8/callback"), setup = prepare)]
#[bench::tree16_pygen(args = ("tree16/pygen"), setup = prepare)]
#[bench::tree16_hand(args = ("tree16/hand"), setup = prepare)]
#[bench::tree16_callback(args = ("tree16/callback"), setup = prepare)]
#[bench::async_pygen(args = ("async/pygen"), setup = prepare)]
#[bench::async_async_stream(args = ("async/async-stream"), setup = prepare)]
#[bench::async_hand(args = ("async/hand"), setup = prepare)]
#[bench::async_delegate_pygen(args = ("async-delegate/pygen"), setup = prepare)]
#[bench::async_delegate_async_stream(args = ("async-delegate/async-stream"), setup = prepare)]
#[bench::async_own_and_delegated_pygen(args = ("async-own-and-delegated/pygen"), setup = prepare)]
#[bench::async_own_and_delegated_async_stream(
    args = ("async-own-and-delegated/async-stream"),
    setup = prepare
)]
fn cell((cell, input): (Cell, Input)) -> u64 {
    let sum = cell.run(black_box(&input));
    // Not dropped here, where it would be counted (a tree's nodes): the
    // process ends after this one call.
    std::mem::forget(input);
    black_box(sum)
}

library_benchmark_group!(name = user, benchmarks = [cell]);

main!(library_benchmark_groups = user);
