//! `pygen-user-bench list` prints the workloads (`workload implementation
//! items`); `pygen-user-bench one WORKLOAD IMPL N` runs one of them once
//! outside and once inside [`measured`], which `scripts/callgrind.sh`
//! (with `TOGGLE='*pygen_user_bench::measured*'`) counts.

use pygen_user_bench::consumers;
use pygen_user_bench::generators::Tree;

/// Every workload, its implementations, and how many items a run yields.
const CELLS: &[(&str, &str, u64)] = &[
    ("depth0", "pygen", 100_000),
    ("depth0", "hand", 100_000),
    ("depth1", "pygen", 100_000),
    ("depth1", "hand-dyn", 100_000),
    ("depth2", "pygen", 100_000),
    ("depth4", "pygen", 100_000),
    ("depth8", "pygen", 100_000),
    ("depth16", "pygen", 100_000),
    ("depth16", "hand-dyn", 100_000),
    ("tree8", "pygen", 1 << 8),
    ("tree8", "hand", 1 << 8),
    ("tree16", "pygen", 1 << 16),
    ("tree16", "hand", 1 << 16),
    ("async", "pygen", 100_000),
    ("async", "async-stream", 100_000),
    ("async-delegate", "pygen", 100_000),
    ("async-delegate", "async-stream", 100_000),
];

/// What one run needs before it starts (the tree is built outside).
enum Input {
    Items(u64),
    Tree(Tree),
}

fn input(workload: &str, n: u64) -> Input {
    match workload.strip_prefix("tree") {
        Some(height) => Input::Tree(Tree::perfect(height.parse().expect("tree height"))),
        None => Input::Items(n),
    }
}

fn run(workload: &str, imp: &str, input: &Input) -> u64 {
    match (workload, imp, input) {
        ("depth0", "hand", Input::Items(n)) => consumers::hand_range(*n),
        (w, "pygen", Input::Items(n)) if w.starts_with("depth") => {
            consumers::chain(w["depth".len()..].parse().expect("depth"), *n)
        }
        (w, "hand-dyn", Input::Items(n)) if w.starts_with("depth") => {
            consumers::chain_hand_dyn(w["depth".len()..].parse().expect("depth"), *n)
        }
        (_, "pygen", Input::Tree(tree)) => consumers::tree(tree),
        (_, "hand", Input::Tree(tree)) => consumers::tree_hand(tree),
        ("async", "pygen", Input::Items(n)) => consumers::async_gen(*n),
        ("async", "async-stream", Input::Items(n)) => consumers::stream(*n),
        ("async-delegate", "pygen", Input::Items(n)) => consumers::async_delegate(*n),
        ("async-delegate", "async-stream", Input::Items(n)) => consumers::stream_delegate(*n),
        _ => panic!("no cell {workload} {imp}"),
    }
}

/// The one call callgrind counts.
#[inline(never)]
fn measured(workload: &str, imp: &str, input: &Input) -> u64 {
    run(workload, imp, input)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["list"] => {
            for (w, i, n) in CELLS {
                println!("{w} {i} {n}");
            }
        }
        ["one", w, i, n] => {
            let n: u64 = n.parse().expect("N");
            let input = input(w, n);
            let warm = run(w, i, &input);
            let got = measured(w, i, &input);
            assert_eq!(warm, got);
            println!("items={n}");
        }
        _ => {
            eprintln!("usage: pygen-user-bench list | one WORKLOAD IMPL N");
            std::process::exit(2);
        }
    }
}
