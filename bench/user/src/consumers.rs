//! The code that drives the generators, as a user writes it: a `for` loop
//! over a generator, `StreamExt::next` over an async one.

use std::hint::black_box;

use futures::{Stream, StreamExt};

use crate::generators::{self, Tree};
use crate::hand::{DynStack, Leaves, RangeStream, walk};

/// Sums what an iterator yields, each item through `black_box`.
fn sum(items: impl Iterator<Item = u64>) -> u64 {
    let mut acc = 0u64;
    for x in items {
        acc = acc.wrapping_add(black_box(x));
    }
    acc
}

/// Sums what a stream yields, driven by `futures`' `block_on`.
fn sum_stream(stream: impl Stream<Item = u64>) -> u64 {
    futures::executor::block_on(async {
        let mut stream = std::pin::pin!(stream);
        let mut acc = 0u64;
        while let Some(x) = stream.next().await {
            acc = acc.wrapping_add(black_box(x));
        }
        acc
    })
}

/// The hand-written baseline of the delegation chains: a range.
pub fn hand_range(n: u64) -> u64 {
    sum(0..n)
}

/// `n` items through a chain of `depth` delegations (0: `range` itself).
pub fn chain(depth: u32, n: u64) -> u64 {
    use generators::*;
    match depth {
        0 => sum(range(0, n)),
        1 => sum(depth1(n)),
        2 => sum(depth2(n)),
        4 => sum(depth4(n)),
        8 => sum(depth8(n)),
        16 => sum(depth16(n)),
        other => panic!("no chain of depth {other}"),
    }
}

/// `0..n` from a body that yields its own items and also delegates once.
pub fn own_and_delegated(n: u64) -> u64 {
    sum(generators::own_and_delegated(n))
}

/// The same chain by hand: `depth` type-erased levels, the top one resumed
/// through its vtable.
pub fn chain_hand_dyn(depth: usize, n: u64) -> u64 {
    sum(DynStack::new(depth, n))
}

/// The tree's leaves through the recursive, boxed generator.
pub fn tree(tree: &Tree) -> u64 {
    sum(generators::leaves(tree))
}

/// The tree's leaves through the hand-written explicit-stack iterator.
pub fn tree_hand(tree: &Tree) -> u64 {
    sum(Leaves::new(tree))
}

/// The tree's leaves through a recursive callback.
pub fn tree_callback(tree: &Tree) -> u64 {
    let mut acc = 0u64;
    walk(tree, &mut |x| acc = acc.wrapping_add(black_box(x)));
    acc
}

/// A hand-written `Stream` over `0..n`.
pub fn hand_stream(n: u64) -> u64 {
    sum_stream(RangeStream::new(n))
}

/// An async generator, consumed as a `Stream`.
pub fn async_gen(n: u64) -> u64 {
    sum_stream(generators::async_range(n))
}

/// One async delegation level.
pub fn async_delegate(n: u64) -> u64 {
    sum_stream(generators::async_depth1(n))
}

/// async-stream's equivalent of [`async_gen`].
pub fn stream(n: u64) -> u64 {
    sum_stream(generators::stream_range(n))
}

/// async-stream's equivalent of [`async_delegate`].
pub fn stream_delegate(n: u64) -> u64 {
    sum_stream(generators::stream_depth1(n))
}

/// An async body's own yields, in a body that also delegates once.
pub fn async_own_and_delegated(n: u64) -> u64 {
    sum_stream(generators::async_own_and_delegated(n))
}

/// async-stream's equivalent of [`async_own_and_delegated`].
pub fn stream_own_and_delegated(n: u64) -> u64 {
    sum_stream(generators::stream_own_and_delegated(n))
}
