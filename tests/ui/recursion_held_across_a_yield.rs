// A generator that calls itself and holds the result across a yield would
// contain itself: the error says how to box it.
use pygen::{generator, yield_, yield_from};

struct Tree {
    value: u32,
    children: Vec<Tree>,
}

#[generator(yield = u32)]
fn walk_for(tree: &Tree) {
    yield_!(tree.value);
    for child in &tree.children {
        for x in walk_for(child) {
            yield_!(x);
        }
    }
}

#[generator(yield = u32)]
fn walk_let(tree: &Tree) {
    yield_!(tree.value);
    if let Some(child) = tree.children.first() {
        let inner = walk_let(child);
        yield_!(0);
        yield_from!(inner);
    }
}

// Consumed within one statement, or boxed: fine.
#[generator(yield = u32)]
fn fine(tree: &Tree) -> usize {
    let count = tree.children.iter().map(|c| fine(c).count()).sum();
    for child in &tree.children {
        for x in fine(child).boxed() {
            yield_!(x);
        }
    }
    count
}

// A boxed generator may hold itself.
#[generator(yield = u32, boxed)]
fn boxed_walk(tree: &Tree) {
    for child in &tree.children {
        for x in boxed_walk(child) {
            yield_!(x);
        }
    }
}

fn main() {
    let _ = (walk_for, walk_let, fine, boxed_walk);
}
