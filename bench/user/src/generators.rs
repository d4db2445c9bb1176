//! The generator functions, as a user writes them.

use pygen::{generator, yield_, yield_from};

/// The leaf of every delegation chain.
#[generator(yield = u64)]
pub fn range(lo: u64, hi: u64) {
    for i in lo..hi {
        yield_!(i);
    }
}

/// `chain!(name => inner)`: a generator that delegates to `inner`, one level
/// above it.
macro_rules! chain {
    ($($name:ident => $inner:ident),* $(,)?) => {$(
        #[doc = concat!("One more level of delegation above `", stringify!($inner), "`.")]
        #[generator(yield = u64)]
        pub fn $name(n: u64) {
            yield_from!($inner(n));
        }
    )*};
}

/// Depth 1 delegates to `range` directly.
#[generator(yield = u64)]
pub fn depth1(n: u64) {
    yield_from!(range(0, n));
}

chain! {
    depth2 => depth1, depth3 => depth2, depth4 => depth3, depth5 => depth4,
    depth6 => depth5, depth7 => depth6, depth8 => depth7, depth9 => depth8,
    depth10 => depth9, depth11 => depth10, depth12 => depth11, depth13 => depth12,
    depth14 => depth13, depth15 => depth14, depth16 => depth15,
}

/// A perfect binary tree whose leaves hold the values.
#[derive(Debug)]
pub enum Tree {
    Leaf(u64),
    Node(Box<Tree>, Box<Tree>),
}

impl Tree {
    /// A tree of `2^height` leaves holding `0..2^height` in order.
    pub fn perfect(height: u32) -> Tree {
        fn build(height: u32, first: u64) -> Tree {
            if height == 0 {
                Tree::Leaf(first)
            } else {
                let half = 1u64 << (height - 1);
                Tree::Node(
                    Box::new(build(height - 1, first)),
                    Box::new(build(height - 1, first + half)),
                )
            }
        }
        build(height, 0)
    }
}

/// `0..n`, `0` through a delegation and the rest yielded by the body
/// itself: what a body's own yields cost when it also delegates (against
/// `range`, which does not).
#[generator(yield = u64)]
pub fn own_and_delegated(n: u64) {
    yield_from!(range(0, n.min(1)));
    for i in 1..n {
        yield_!(i);
    }
}

/// The leaves of `tree`, left to right: a recursive generator, each level
/// boxed.
#[generator(yield = u64)]
pub fn leaves(tree: &Tree) {
    match tree {
        Tree::Leaf(value) => yield_!(*value),
        Tree::Node(left, right) => {
            yield_from!(leaves(left).boxed());
            yield_from!(leaves(right).boxed());
        }
    }
}

/// An async generator over `0..n`.
#[generator(yield = u64)]
pub async fn async_range(n: u64) {
    for i in 0..n {
        yield_!(i);
    }
}

/// One level of async delegation above [`async_range`].
#[generator(yield = u64)]
pub async fn async_depth1(n: u64) {
    yield_from!(async_range(n));
}

/// [`own_and_delegated`] as an async generator: `0` through a delegation,
/// the rest yielded by the body itself.
#[generator(yield = u64)]
pub async fn async_own_and_delegated(n: u64) {
    yield_from!(async_range(n.min(1)));
    for i in 1..n {
        yield_!(i);
    }
}

/// async-stream's `stream!` over `0..n`, for comparison.
pub fn stream_range(n: u64) -> impl futures::Stream<Item = u64> {
    async_stream::stream! {
        for i in 0..n {
            yield i;
        }
    }
}

/// async-stream's equivalent of [`async_own_and_delegated`]: `0` re-yielded
/// from an inner stream, the rest yielded by the body itself.
pub fn stream_own_and_delegated(n: u64) -> impl futures::Stream<Item = u64> {
    async_stream::stream! {
        let inner = stream_range(n.min(1));
        futures::pin_mut!(inner);
        while let Some(x) = futures::StreamExt::next(&mut inner).await {
            yield x;
        }
        for i in 1..n {
            yield i;
        }
    }
}

/// One level of delegation with async-stream: a `for await` loop re-yields.
pub fn stream_depth1(n: u64) -> impl futures::Stream<Item = u64> {
    async_stream::stream! {
        let inner = stream_range(n);
        futures::pin_mut!(inner);
        while let Some(x) = futures::StreamExt::next(&mut inner).await {
            yield x;
        }
    }
}
