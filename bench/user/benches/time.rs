//! Wall time of every cell (`pygen_user_bench::cells::CELLS`), measured by
//! divan: `cargo bench -p pygen-user-bench --bench time`. Timings move with
//! the machine's load; the instruction counts (`benches/instructions.rs`)
//! do not, and they are what CI checks.

use divan::counter::ItemsCount;
use divan::{Bencher, black_box};
use pygen_user_bench::cells::{CELLS, Cell};

fn main() {
    divan::main();
}

fn names() -> impl Iterator<Item = String> {
    CELLS.iter().map(Cell::name)
}

#[divan::bench(args = names())]
fn cell(bencher: Bencher, name: &str) {
    let cell = Cell::find(name).expect("a cell");
    let input = cell.prepared();
    bencher
        .counter(ItemsCount::new(cell.n))
        .bench_local(|| cell.run(black_box(&input)));
}
