//! Hand-written equivalents, the baseline of each workload.

use crate::generators::Tree;

/// The leaves of a tree, left to right, with an explicit stack.
pub struct Leaves<'a> {
    stack: Vec<&'a Tree>,
}

impl<'a> Leaves<'a> {
    pub fn new(tree: &'a Tree) -> Self {
        Leaves { stack: vec![tree] }
    }
}

impl Iterator for Leaves<'_> {
    type Item = u64;

    fn next(&mut self) -> Option<u64> {
        loop {
            match self.stack.pop()? {
                Tree::Leaf(value) => return Some(*value),
                Tree::Node(left, right) => {
                    self.stack.push(right);
                    self.stack.push(left);
                }
            }
        }
    }
}

/// Direct delegation by hand: a stack of type-erased levels of which only
/// the top one is resumed, through its vtable, and popped when it is done.
/// It is what a `yield_from!` chain does, without the generator protocol
/// (no send, throw or close, no state but the levels' own): the reference
/// for what one indirect call per item costs.
pub struct DynStack {
    levels: Vec<Box<dyn Iterator<Item = u64>>>,
}

impl DynStack {
    /// `depth` levels that hold nothing of their own (as a level that only
    /// delegates) under a top level yielding `0..n`.
    pub fn new(depth: usize, n: u64) -> Self {
        let mut levels: Vec<Box<dyn Iterator<Item = u64>>> = Vec::with_capacity(depth + 1);
        for _ in 0..depth {
            levels.push(Box::new(0..0));
        }
        levels.push(Box::new(0..n));
        DynStack { levels }
    }
}

impl Iterator for DynStack {
    type Item = u64;

    fn next(&mut self) -> Option<u64> {
        loop {
            match self.levels.last_mut()?.next() {
                Some(value) => return Some(value),
                None => {
                    self.levels.pop();
                }
            }
        }
    }
}

/// The leaves of a tree, left to right, through a recursive callback: what
/// a walk costs without any iterator at all.
pub fn walk(tree: &Tree, f: &mut impl FnMut(u64)) {
    match tree {
        Tree::Leaf(value) => f(*value),
        Tree::Node(left, right) => {
            walk(left, f);
            walk(right, f);
        }
    }
}

/// `0..n` as a hand-written `Stream`: the floor of an async generator.
pub struct RangeStream {
    next: u64,
    end: u64,
}

impl RangeStream {
    pub fn new(n: u64) -> Self {
        RangeStream { next: 0, end: n }
    }
}

impl futures::Stream for RangeStream {
    type Item = u64;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<u64>> {
        if self.next == self.end {
            return std::task::Poll::Ready(None);
        }
        let value = self.next;
        self.next += 1;
        std::task::Poll::Ready(Some(value))
    }
}
