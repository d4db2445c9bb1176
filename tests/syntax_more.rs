//! More of the hard syntax, beyond `tests/syntax.rs`: generators in trait
//! impls (and as trait default methods), associated types in the yield
//! type, async generators in impls, labeled blocks and `continue` across
//! yields, yields in `while let` / `if let` chains, attributes on yields,
//! generators nested in generators at several levels, other receivers, and
//! `generators!` in impl blocks.

use std::rc::Rc;

use pygen::{
    AsyncGen, Body, BoxGen, Gen, GeneratorState, generator, generators, yield_, yield_from,
};

// ---------------------------------------------------------------------------
// Generators in traits and trait impls
// ---------------------------------------------------------------------------

/// A trait whose methods return generators: the declaration names the
/// generator type (`impl Body` is the body), the impls are `#[generator]`s.
trait Source {
    type Item;

    fn items(&self) -> Gen<impl Body<Output = usize>, Self::Item>;

    /// A provided method written as a generator, delegating to the required
    /// one: the yield type is an associated type.
    #[generator(yield = Self::Item)]
    fn twice(&self) -> usize {
        yield_from!(self.items()) + yield_from!(self.items())
    }

    /// A provided method whose arguments borrow for two lifetimes (`self`
    /// and `skip`): the return type names both in one bound, which a
    /// provided method needs (two bounds of one trait that differ only in
    /// their lifetimes do not compile there).
    #[generator(yield = Self::Item)]
    fn skipping(&self, skip: &usize) {
        for item in self.items().skip(*skip) {
            yield_!(item);
        }
    }

    /// The same, async.
    #[generator(yield = Self::Item)]
    async fn skipping_async(&self, skip: &usize) {
        for item in self.items().skip(*skip) {
            yield_!(item);
        }
    }
}

struct Countdown(u32);

impl Source for Countdown {
    type Item = u32;

    #[generator(yield = u32)]
    fn items(&self) -> usize {
        for i in (1..=self.0).rev() {
            yield_!(i);
        }
        self.0 as usize
    }
}

/// A generic impl whose yield type borrows from `self`.
struct Words(Vec<String>);

impl Source for Words {
    type Item = String;

    #[generator(yield = String)]
    fn items(&self) -> usize {
        for w in &self.0 {
            yield_!(w.to_uppercase());
        }
        self.0.len()
    }
}

impl<T: Clone> Source for Vec<T> {
    type Item = T;

    #[generator(yield = T)]
    fn items(&self) -> usize {
        yield_from!(self.iter().cloned());
        self.len()
    }
}

#[test]
fn generators_in_trait_impls_and_default_methods() {
    let c = Countdown(2);
    assert_eq!(c.items().collect::<Vec<_>>(), [2, 1]);
    let mut g = c.twice();
    assert_eq!(g.by_ref().collect::<Vec<_>>(), [2, 1, 2, 1]);
    assert_eq!(g.resume(), None);
    let mut g = c.twice();
    for _ in 0..4 {
        g.next();
    }
    assert_eq!(g.resume(), Some(GeneratorState::Complete(4)));

    let w = Words(vec!["a".into(), "b".into()]);
    assert_eq!(w.twice().collect::<Vec<_>>(), ["A", "B", "A", "B"]);
    assert_eq!(vec!['x'].twice().collect::<String>(), "xx");
    assert_eq!(Countdown(3).skipping(&1).collect::<Vec<_>>(), [2, 1]);
    let skipped = futures::executor::block_on(futures::StreamExt::collect::<Vec<_>>(
        Countdown(3).skipping_async(&2),
    ));
    assert_eq!(skipped, [1]);
}

/// A dyn-compatible trait: the method returns a boxed generator, which the
/// impl builds from a `#[generator]` helper.
trait DynSource {
    fn boxed_items(&self) -> BoxGen<'_, u32, u32>;
}

impl DynSource for Countdown {
    fn boxed_items(&self) -> BoxGen<'_, u32, u32> {
        #[generator(yield = u32)]
        fn up_to(n: u32) -> u32 {
            for i in 0..n {
                yield_!(i);
            }
            n
        }
        up_to(self.0).boxed()
    }
}

#[test]
fn boxed_generators_behind_dyn_traits() {
    let sources: Vec<Box<dyn DynSource>> = vec![Box::new(Countdown(2)), Box::new(Countdown(1))];
    let all: Vec<u32> = sources.iter().flat_map(|s| s.boxed_items()).collect();
    assert_eq!(all, [0, 1, 0]);
}

/// Async generators in trait impls.
trait Ticker {
    fn ticks(&self, n: u32) -> AsyncGen<impl Body<Output = u32>, u32>;
}

struct Every(u32);

impl Ticker for Every {
    #[generator(yield = u32)]
    async fn ticks(&self, n: u32) -> u32 {
        for i in 0..n {
            std::future::ready(()).await;
            yield_!(i * self.0);
        }
        n
    }
}

#[test]
fn async_generators_in_trait_impls() {
    let all: Vec<u32> = futures::executor::block_on(futures::StreamExt::collect(Every(5).ticks(3)));
    assert_eq!(all, [0, 5, 10]);
}

// ---------------------------------------------------------------------------
// Receivers beyond `self`, `&self` and `&mut self`
// ---------------------------------------------------------------------------

struct Shared(Vec<u32>);

impl Shared {
    #[generator(yield = u32)]
    fn from_rc(self: Rc<Self>) -> usize {
        for &v in &self.0 {
            yield_!(v);
        }
        Rc::strong_count(&self)
    }

    #[generator(yield = u32)]
    fn from_box(self: Box<Self>) -> Vec<u32> {
        for &v in &self.0 {
            yield_!(v + 1);
        }
        self.0
    }
}

#[test]
fn rc_and_box_receivers() {
    let shared = Rc::new(Shared(vec![1, 2]));
    let mut g = Rc::clone(&shared).from_rc();
    assert_eq!(g.by_ref().collect::<Vec<_>>(), [1, 2]);
    let mut g = shared.from_rc();
    g.next();
    g.next();
    assert_eq!(g.resume(), Some(GeneratorState::Complete(1)));

    let mut g = Box::new(Shared(vec![5])).from_box();
    assert_eq!(g.next(), Some(6));
    assert_eq!(g.resume(), Some(GeneratorState::Complete(vec![5])));
}

// ---------------------------------------------------------------------------
// Control flow across yields
// ---------------------------------------------------------------------------

/// A labeled block left early with a value, across yields.
#[generator(yield = u32)]
fn labeled_block(limit: u32) -> &'static str {
    let verdict = 'check: {
        for i in 0..10 {
            yield_!(i);
            if i == limit {
                break 'check "limit reached";
            }
        }
        "ran out"
    };
    yield_!(100);
    verdict
}

/// `continue 'rows` from an inner loop and `break 'search value` out of
/// both, with yields on both sides: walks the lower triangle of a 3×3 grid.
#[generator(yield = (u32, u32))]
fn grid(stop_at: (u32, u32)) -> Option<(u32, u32)> {
    'search: {
        'rows: for row in 0..3 {
            for col in 0..3 {
                if col > row {
                    continue 'rows;
                }
                yield_!((row, col));
                if (row, col) == stop_at {
                    break 'search Some((row, col));
                }
            }
        }
        None
    }
}

#[test]
fn labeled_blocks_and_continue_across_yields() {
    let mut g = labeled_block(2);
    assert_eq!(g.by_ref().collect::<Vec<_>>(), [0, 1, 2, 100]);
    let mut g = labeled_block(99);
    assert_eq!(g.by_ref().count(), 11);
    let mut g = labeled_block(0);
    g.next();
    g.next();
    assert_eq!(g.resume(), Some(GeneratorState::Complete("limit reached")));
    drop(g);

    let mut g = grid((9, 9));
    assert_eq!(
        g.by_ref().collect::<Vec<_>>(),
        [(0, 0), (1, 0), (1, 1), (2, 0), (2, 1), (2, 2)]
    );
    let mut g = grid((2, 0));
    assert_eq!(g.by_ref().count(), 4);
    let mut g = grid((1, 1));
    g.by_ref().take(3).for_each(drop);
    assert_eq!(g.resume(), Some(GeneratorState::Complete(Some((1, 1)))));
}

/// Yields in `while let` scrutinees and `if let … else if let` chains: the
/// sent value drives the loop.
#[generator(yield = &'static str, send = Option<i32>)]
fn driven() -> i32 {
    let mut total = 0;
    while let Some(n) = yield_!("next?") {
        total += if let 0 = n {
            yield_!("zero");
            0
        } else if let Some(half) = (n % 2 == 0).then_some(n / 2) {
            yield_!("even");
            half
        } else {
            n
        };
    }
    total
}

#[test]
fn yields_in_while_let_and_if_let_chains() {
    let mut g = driven();
    assert_eq!(g.start(), Ok(GeneratorState::Yielded("next?")));
    assert_eq!(g.send(Some(3)), Ok(GeneratorState::Yielded("next?")));
    assert_eq!(g.send(Some(0)), Ok(GeneratorState::Yielded("zero")));
    assert_eq!(g.send(None), Ok(GeneratorState::Yielded("next?")));
    assert_eq!(g.send(Some(8)), Ok(GeneratorState::Yielded("even")));
    assert_eq!(g.send(None), Ok(GeneratorState::Yielded("next?")));
    assert_eq!(g.send(None), Ok(GeneratorState::Complete(7)));
}

/// Outer attributes on yield statements are kept: a `#[cfg]`-ed out yield
/// does not happen, a lint attribute applies.
#[generator(yield = u32)]
fn attributed() {
    yield_!(1);
    #[cfg(not(test))]
    yield_!(2);
    #[cfg(test)]
    yield_!(3);
    #[allow(unused_must_use)]
    pygen::yield_catch!(4);
    #[allow(unused_must_use)]
    pygen::yield_catch!({
        yield_!(5);
        6
    });
}

#[test]
fn attributes_on_yield_statements_are_kept() {
    assert_eq!(attributed().collect::<Vec<_>>(), [1, 3, 4, 5, 6]);
}

// ---------------------------------------------------------------------------
// Nested generators, several levels deep
// ---------------------------------------------------------------------------

#[generator(yield = String)]
fn nested_levels(n: u32) -> u32 {
    #[generator(yield = String)]
    fn middle(n: u32) -> u32 {
        #[generator(yield = String)]
        fn inner(n: u32) -> u32 {
            for i in 0..n {
                yield_!(format!("inner {i}"));
            }
            n
        }
        // A closure that captures a local held across the yields below,
        // without yielding itself.
        let label = format!("middle {n}");
        let show = |x: u32| format!("{label}: {x}");
        let got = yield_from!(inner(n));
        yield_!(show(got));
        got * 10
    }
    let total = yield_from!(middle(n));
    // An async generator defined (and driven to the end) inside a sync one.
    #[generator(yield = u32)]
    async fn later(n: u32) {
        yield_!(n);
    }
    let from_async: Vec<u32> =
        futures::executor::block_on(futures::StreamExt::collect(later(total)));
    yield_!(format!("async {from_async:?}"));
    total + 1
}

#[test]
fn generators_nested_several_levels() {
    let mut g = nested_levels(2);
    assert_eq!(
        g.by_ref().collect::<Vec<_>>(),
        ["inner 0", "inner 1", "middle 2: 2", "async [20]"]
    );
    let mut g = nested_levels(0);
    g.next();
    g.next();
    assert_eq!(g.resume(), Some(GeneratorState::Complete(1)));
}

// ---------------------------------------------------------------------------
// `generators!` inside an impl block, and `impl Trait` in the return type
// ---------------------------------------------------------------------------

struct Stack(Vec<u32>);

impl Stack {
    generators! {
        #[generator(yield = u32)]
        fn drain_top(&mut self, n: usize) -> impl std::fmt::Debug + use<'_> {
            for _ in 0..n {
                match self.0.pop() {
                    Some(v) => yield!(v),
                    None => break,
                }
            }
            self.0.len()
        }

        #[generator(yield = &u32)]
        pub fn peek_all(&self) {
            for v in self.0.iter().rev() {
                yield!(v);
            }
        }
    }
}

#[test]
fn generators_macro_in_impl_blocks() {
    let mut s = Stack(vec![1, 2, 3]);
    assert_eq!(s.peek_all().copied().collect::<Vec<_>>(), [3, 2, 1]);
    let mut g = s.drain_top(2);
    assert_eq!(g.by_ref().collect::<Vec<_>>(), [3, 2]);
    drop(g);
    let mut g = s.drain_top(5);
    assert_eq!(g.next(), Some(1));
    let done = g.resume().and_then(GeneratorState::complete);
    assert_eq!(format!("{done:?}"), "Some(0)");
}

/// Inside `generators!`, a nested generator takes `yield!` too, and its
/// `#[generator]` needs no import.
mod literal_nested {
    use pygen::{generators, yield_from};

    generators! {
        #[generator(yield = u32)]
        pub fn outer() -> u32 {
            #[generator(yield = u32)]
            fn inner(from: u32) -> u32 {
                yield!(from);
                yield!(from + 1);
                from + 2
            }
            let next = yield_from!(inner(1));
            yield!(next);
            next + 1
        }
    }
}

#[test]
fn nested_generators_inside_generators_macro() {
    let mut g = literal_nested::outer();
    assert_eq!(g.by_ref().collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(g.resume(), None);
    let mut g = literal_nested::outer();
    g.by_ref().take(3).for_each(drop);
    assert_eq!(g.resume(), Some(GeneratorState::Complete(4)));
}

// ---------------------------------------------------------------------------
// A macro of the user's that is named like a yield macro
// ---------------------------------------------------------------------------

/// A user macro called `yield_` that would wrap what it is given in an
/// `async` block. A yield written through it is still the generator's own
/// yield: the expansion never goes through the user's macro (it is only
/// invoked as `yield_!(@__pygen_used)`, so that its import counts as used).
mod shadow {
    macro_rules! wrap_in_async {
        (@ $tag:ident $($tokens:tt)*) => {
            async { $($tokens)* }
        };
    }
    pub(crate) use wrap_in_async as yield_;
}

#[generator(yield = u32)]
#[allow(unused_must_use, clippy::no_effect)]
fn through_a_shadowing_path() -> u32 {
    let sent: () = shadow::yield_!(5);
    let () = sent;
    6
}

#[test]
fn a_user_macro_named_yield_never_receives_the_expansion() {
    let mut g = through_a_shadowing_path();
    assert_eq!(g.start(), Ok(GeneratorState::Yielded(5)));
    assert_eq!(g.resume(), Some(GeneratorState::Complete(6)));
}

/// A `macro_rules!` of the user's that shadows a standard macro's name and
/// puts its arguments in an async block that something else polls: the
/// yields in its arguments are taken out of it and run first, in order, so
/// the user's macro receives only their values (never a yield, which that
/// async block could hand to another generator).
mod shadowed_std {
    use pygen::{GeneratorState, generator, yield_};

    #[allow(unused_macros)]
    macro_rules! vec {
        ($($tokens:tt)*) => {
            futures::executor::block_on(async { ::std::vec![$($tokens)*] })
        };
    }

    #[generator(yield = u32, send = u32)]
    fn collects() -> Vec<u32> {
        vec![yield_!(1), yield_!(2)]
    }

    #[test]
    fn yields_in_a_shadowed_standard_macro_run_before_it() {
        let mut g = collects();
        assert_eq!(g.start(), Ok(GeneratorState::Yielded(1)));
        assert_eq!(g.send(10), Ok(GeneratorState::Yielded(2)));
        assert_eq!(g.send(20), Ok(GeneratorState::Complete(std::vec![10, 20])));
    }
}
