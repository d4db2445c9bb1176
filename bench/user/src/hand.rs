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
