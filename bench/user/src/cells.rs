//! Every cell of this crate's benchmarks: a workload and the code that does
//! it, with the number of items one run handles. The instruction counts
//! (`benches/instructions.rs`, gungraun) and the timings (`benches/time.rs`,
//! divan) run the same cells; `pygen-bench report` turns their output into
//! instructions (or nanoseconds) per item.

use crate::consumers;
use crate::generators::Tree;

/// One workload done by one implementation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell {
    pub workload: &'static str,
    pub imp: &'static str,
    /// Items one run yields (leaves, for a tree).
    pub n: u64,
}

const fn cell(workload: &'static str, imp: &'static str, n: u64) -> Cell {
    Cell { workload, imp, n }
}

const N: u64 = 100_000;

/// The cells, in the order the tables list them.
pub const CELLS: &[Cell] = &[
    cell("depth0", "pygen", N),
    cell("depth0", "hand", N),
    cell("own-and-delegated", "pygen", N),
    cell("depth1", "pygen", N),
    cell("depth1", "hand-dyn", N),
    cell("depth2", "pygen", N),
    cell("depth4", "pygen", N),
    cell("depth8", "pygen", N),
    cell("depth16", "pygen", N),
    cell("depth16", "hand-dyn", N),
    cell("tree8", "pygen", 1 << 8),
    cell("tree8", "hand", 1 << 8),
    cell("tree8", "callback", 1 << 8),
    cell("tree16", "pygen", 1 << 16),
    cell("tree16", "hand", 1 << 16),
    cell("tree16", "callback", 1 << 16),
    cell("async", "pygen", N),
    cell("async", "async-stream", N),
    cell("async", "hand", N),
    cell("async-delegate", "pygen", N),
    cell("async-delegate", "async-stream", N),
    cell("async-own-and-delegated", "pygen", N),
    cell("async-own-and-delegated", "async-stream", N),
];

impl Cell {
    /// `workload/imp`, the name the benchmarks report.
    pub fn name(&self) -> String {
        format!("{}/{}", self.workload, self.imp)
    }

    /// The cell named `workload/imp`.
    pub fn find(name: &str) -> Option<Cell> {
        CELLS.iter().copied().find(|c| c.name() == name)
    }

    /// What a run needs before it starts (a tree is built outside).
    pub fn input(&self) -> Input {
        match self.workload.strip_prefix("tree") {
            Some(height) => Input::Tree(Tree::perfect(height.parse().expect("tree height"))),
            None => Input::Items(self.n),
        }
    }

    /// One run: the checksum of what it yielded.
    pub fn run(&self, input: &Input) -> u64 {
        match (self.workload, self.imp, input) {
            ("depth0", "hand", Input::Items(n)) => consumers::hand_range(*n),
            ("own-and-delegated", "pygen", Input::Items(n)) => consumers::own_and_delegated(*n),
            (w, "pygen", Input::Items(n)) if w.starts_with("depth") => {
                consumers::chain(w["depth".len()..].parse().expect("depth"), *n)
            }
            (w, "hand-dyn", Input::Items(n)) if w.starts_with("depth") => {
                consumers::chain_hand_dyn(w["depth".len()..].parse().expect("depth"), *n)
            }
            (_, "pygen", Input::Tree(tree)) => consumers::tree(tree),
            (_, "hand", Input::Tree(tree)) => consumers::tree_hand(tree),
            (_, "callback", Input::Tree(tree)) => consumers::tree_callback(tree),
            ("async", "pygen", Input::Items(n)) => consumers::async_gen(*n),
            ("async", "async-stream", Input::Items(n)) => consumers::stream(*n),
            ("async", "hand", Input::Items(n)) => consumers::hand_stream(*n),
            ("async-delegate", "pygen", Input::Items(n)) => consumers::async_delegate(*n),
            ("async-delegate", "async-stream", Input::Items(n)) => consumers::stream_delegate(*n),
            ("async-own-and-delegated", "pygen", Input::Items(n)) => {
                consumers::async_own_and_delegated(*n)
            }
            ("async-own-and-delegated", "async-stream", Input::Items(n)) => {
                consumers::stream_own_and_delegated(*n)
            }
            _ => panic!("no cell {}", self.name()),
        }
    }

    /// The input, after one run outside the measurement (so that lazy
    /// one-time work, such as resolving the allocator's symbols, is not
    /// counted).
    pub fn prepared(&self) -> Input {
        let input = self.input();
        std::hint::black_box(self.run(&input));
        input
    }
}

/// The input of one run.
#[derive(Debug)]
pub enum Input {
    Items(u64),
    Tree(Tree),
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every implementation of a workload yields the same items.
    #[test]
    fn the_cells_of_a_workload_agree() {
        for cell in CELLS {
            let small = Cell {
                n: cell.n.min(300),
                ..*cell
            };
            let input = match cell.workload {
                w if w.starts_with("tree") => Input::Tree(Tree::perfect(5)),
                _ => Input::Items(small.n),
            };
            let reference = CELLS
                .iter()
                .find(|c| c.workload == cell.workload)
                .expect("a first cell");
            assert_eq!(small.run(&input), reference.run(&input), "{}", cell.name());
        }
    }
}
