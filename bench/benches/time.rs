//! Wall time of every cell of the side-by-side benchmark, measured by
//! divan: `cargo bench -p pygen-bench --bench time`. Timings move with the
//! machine's load; the instruction counts (`benches/instructions.rs`) do
//! not, and they are what CI checks.

use divan::Bencher;
use divan::counter::ItemsCount;
use pygen_bench::Prepared;

fn main() {
    divan::main();
}

#[divan::bench(args = pygen_bench::names())]
fn cell(bencher: Bencher, name: &str) {
    let prepared = Prepared::new(name);
    bencher
        .counter(ItemsCount::new(prepared.n))
        .bench_local(|| prepared.run());
}
