//! The hard syntax a `#[generator]` function must accept: generics, where
//! clauses, lifetimes, `impl Trait` arguments, receivers, `?`, borrows held
//! across yields, labels, `match` guards, `let else`, yields inside other
//! macros, nested and recursive generators, and user names that look like
//! the macro's own.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt::{Debug, Display};
use std::num::ParseIntError;
use std::rc::Rc;

use pygen::{GenState, GeneratorState, Interrupt, generator, yield_, yield_catch, yield_from};

// ---------------------------------------------------------------------------
// Generics and where clauses
// ---------------------------------------------------------------------------

#[generator(yield = (K, V))]
fn sorted_pairs<K, V, I>(items: I) -> usize
where
    K: Ord + Clone,
    V: Clone + Debug,
    I: IntoIterator<Item = (K, V)>,
{
    let map: BTreeMap<K, V> = items.into_iter().collect();
    for (k, v) in &map {
        yield_!((k.clone(), v.clone()));
    }
    map.len()
}

#[generator(yield = [T; N])]
fn windows<T: Copy + Default, const N: usize>(items: Vec<T>) {
    for start in 0..items.len().saturating_sub(N - 1) {
        let mut window = [T::default(); N];
        window.copy_from_slice(&items[start..start + N]);
        yield_!(window);
    }
}

#[generator(yield = String)]
fn labelled<'a, T>(label: &'a str, values: &'a [T]) -> &'a str
where
    T: Display + 'a,
{
    for v in values {
        yield_!(format!("{label}={v}"));
    }
    label
}

#[test]
fn generic_functions_with_where_clauses() {
    let mut g = sorted_pairs(vec![(3, "c"), (1, "a"), (2, "b")]);
    assert_eq!(
        g.by_ref().collect::<Vec<_>>(),
        [(1, "a"), (2, "b"), (3, "c")]
    );
    assert_eq!(g.state(), GenState::Closed);

    let mut g = sorted_pairs([("k".to_string(), vec![1])]);
    assert_eq!(
        g.resume(),
        Some(GeneratorState::Yielded(("k".to_string(), vec![1])))
    );
    assert_eq!(g.resume(), Some(GeneratorState::Complete(1)));

    assert_eq!(
        windows::<u8, 2>(vec![1, 2, 3]).collect::<Vec<_>>(),
        [[1, 2], [2, 3]]
    );
    assert_eq!(windows::<u8, 3>(vec![1]).count(), 0);

    let values = [1.5, 2.0];
    let mut g = labelled("x", &values);
    assert_eq!(g.by_ref().collect::<Vec<_>>(), ["x=1.5", "x=2"]);
}

// ---------------------------------------------------------------------------
// Lifetimes in arguments and in the yield type
// ---------------------------------------------------------------------------

#[generator(yield = &'a str)]
fn words<'a>(text: &'a str) -> usize {
    let mut n = 0;
    for w in text.split_whitespace() {
        n += 1;
        yield_!(w);
    }
    n
}

#[generator(yield = (&'a str, &'b str))]
fn zip_words<'a, 'b>(left: &'a str, right: &'b str) {
    for pair in left.split(',').zip(right.split(',')) {
        yield_!(pair);
    }
}

/// Elided lifetime in the yield type, tied to the only input lifetime.
#[generator(yield = &str)]
fn lines(text: &str) {
    for l in text.lines() {
        yield_!(l);
    }
}

#[generator(yield = &'a T)]
fn longest_first<'a, T: ?Sized + AsRef<str>>(a: &'a T, b: &'a T) {
    if a.as_ref().len() >= b.as_ref().len() {
        yield_!(a);
        yield_!(b);
    } else {
        yield_!(b);
        yield_!(a);
    }
}

#[test]
fn lifetimes_in_arguments_and_yield_type() {
    let text = String::from("alpha beta gamma");
    // The yielded `&str`s borrow `text`, not the generator: they outlive it.
    let collected: Vec<&str> = {
        let g = words(&text);
        g.collect()
    };
    assert_eq!(collected, ["alpha", "beta", "gamma"]);
    let mut g = words(&text);
    g.by_ref().for_each(drop);
    assert_eq!(g.resume(), None);

    let left = String::from("a,b");
    let lefts: Vec<&str> = {
        let right = String::from("1,2,3");
        assert_eq!(
            zip_words(&left, &right).collect::<Vec<_>>(),
            [("a", "1"), ("b", "2")]
        );
        // Only `'a` escapes: the `&'b str`s die with `right`.
        zip_words(&left, &right).map(|(l, _)| l).collect()
    };
    assert_eq!(lefts, ["a", "b"]);

    assert_eq!(lines("x\ny").collect::<Vec<_>>(), ["x", "y"]);
    assert_eq!(
        longest_first("ab", "abc").collect::<Vec<_>>(),
        ["abc", "ab"]
    );
}

/// Every kind of argument a lifetime can hide in: the return type names
/// each lifetime borrowed (`Captures`), naming the elided ones after their
/// argument, and leaves the higher-ranked ones (`Fn(&u32)`, `fn(&u32)`) to
/// their types. Compiled under clippy's `-D warnings` too: no
/// `mismatched_lifetime_syntaxes` or `refining_impl_trait` comes of it.
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
#[generator(yield = u32)]
fn borrows_of_every_kind(
    a: &u32,
    _b: &mut Vec<u32>,
    (c, d): (&u32, &u32),
    scale: impl Fn(&u32) -> u32,
    shift: fn(&u32) -> u32,
    boxed: Box<dyn Fn(&u32) -> u32 + '_>,
    r#type: &u8,
    _: &u8,
) {
    yield_!(scale(a) + shift(c) + boxed(d) + u32::from(*r#type));
}

struct Prefix<'p>(&'p str);

impl<'p> Prefix<'p> {
    /// `&self` beside an elided argument: the receiver's lifetime is `'_`.
    #[generator(yield = &'p str)]
    fn parts(&self, text: &str) -> usize {
        yield_!(self.0);
        text.len()
    }

    /// A typed receiver and the impl's lifetime.
    #[generator(yield = &'p str)]
    #[allow(clippy::needless_arbitrary_self_type)]
    fn again(self: &Self, other: &'p str) {
        yield_!(self.0);
        yield_!(other);
    }
}

#[test]
fn borrows_of_every_kind_are_named_in_the_return_type() {
    let mut v = Vec::new();
    let total: Vec<u32> = borrows_of_every_kind(
        &1,
        &mut v,
        (&2, &3),
        |x| x * 10,
        |x| x + 100,
        Box::new(|x| *x),
        &4,
        &5,
    )
    .collect();
    assert_eq!(total, [10 + 102 + 3 + 4]);
    let prefix = Prefix("p");
    let text = String::from("four");
    let mut parts = prefix.parts(&text);
    assert_eq!(parts.next(), Some("p"));
    assert_eq!(parts.resume(), Some(GeneratorState::Complete(4)));
    assert_eq!(prefix.again("o").collect::<Vec<_>>(), ["p", "o"]);
}

// ---------------------------------------------------------------------------
// impl Trait arguments
// ---------------------------------------------------------------------------

#[generator(yield = u32)]
fn mapped(items: impl IntoIterator<Item = u32>, f: impl Fn(u32) -> u32) -> u32 {
    let mut total = 0;
    for x in items {
        let y = f(x);
        total += y;
        yield_!(y);
    }
    total
}

#[generator(yield = String)]
fn shown(items: &[impl Display]) {
    for item in items {
        yield_!(item.to_string());
    }
}

#[test]
fn impl_trait_arguments() {
    let mut g = mapped(1..=3, |x| x * 10);
    assert_eq!(g.by_ref().collect::<Vec<_>>(), [10, 20, 30]);
    let offset = 5;
    let mut g = mapped(vec![1], move |x| x + offset);
    assert_eq!(g.next(), Some(6));
    assert_eq!(g.resume(), Some(GeneratorState::Complete(6)));
    assert_eq!(shown(&[1, 2]).collect::<Vec<_>>(), ["1", "2"]);
}

// ---------------------------------------------------------------------------
// Receivers in impl blocks
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
struct Counter {
    count: u32,
    history: Vec<u32>,
}

impl Counter {
    /// Consumes `self`: the generator owns it and hands it back at the end.
    #[generator(yield = u32)]
    fn into_countdown(mut self) -> Self {
        while self.count > 0 {
            yield_!(self.count);
            self.count -= 1;
        }
        self
    }

    /// Borrows `self` shared, yields borrows of its fields.
    #[generator(yield = &u32)]
    fn history(&self) {
        for h in &self.history {
            yield_!(h);
        }
    }

    /// Borrows `self` mutably and changes it between yields.
    #[generator(yield = u32, send = u32)]
    fn record(&mut self) -> usize {
        loop {
            let v = yield_!(self.count);
            if v == 0 {
                return self.history.len();
            }
            self.count += v;
            self.history.push(v);
        }
    }

    /// `Self` in the yield type.
    #[generator(yield = Self)]
    fn snapshots(&self, n: u32) {
        for i in 0..n {
            yield_!(Counter {
                count: self.count + i,
                history: Vec::new(),
            });
        }
    }
}

struct Stack<T> {
    items: Vec<T>,
}

impl<T: Clone + Debug> Stack<T> {
    #[generator(yield = T)]
    fn popped(&mut self) -> usize {
        let mut n = 0;
        while let Some(top) = self.items.pop() {
            n += 1;
            yield_!(top);
        }
        n
    }

    #[generator(yield = (usize, &T))]
    fn enumerate_where<P>(&self, keep: P)
    where
        P: Fn(&T) -> bool,
    {
        for (i, item) in self.items.iter().enumerate() {
            if keep(item) {
                yield_!((i, item));
            }
        }
    }
}

#[test]
fn receivers_in_impl_blocks() {
    let c = Counter {
        count: 3,
        history: vec![7, 8],
    };
    assert_eq!(c.history().copied().collect::<Vec<_>>(), [7, 8]);
    assert_eq!(c.snapshots(2).map(|s| s.count).collect::<Vec<_>>(), [3, 4]);

    let mut c = c;
    {
        let mut g = c.record();
        assert_eq!(g.start(), Ok(GeneratorState::Yielded(3)));
        assert_eq!(g.send(2), Ok(GeneratorState::Yielded(5)));
        assert_eq!(g.send(0), Ok(GeneratorState::Complete(3)));
    }
    assert_eq!(c.history, [7, 8, 2]);

    let mut g = c.into_countdown();
    assert_eq!(g.by_ref().collect::<Vec<_>>(), [5, 4, 3, 2, 1]);

    let mut g = Counter {
        count: 1,
        history: vec![],
    }
    .into_countdown();
    g.next();
    assert_eq!(
        g.resume(),
        Some(GeneratorState::Complete(Counter {
            count: 0,
            history: vec![]
        }))
    );

    let mut s = Stack {
        items: vec!["a", "bb", "ccc"],
    };
    assert_eq!(
        s.enumerate_where(|x| x.len() != 2).collect::<Vec<_>>(),
        [(0, &"a"), (2, &"ccc")]
    );
    let mut g = s.popped();
    assert_eq!(g.next(), Some("ccc"));
    drop(g);
    assert_eq!(s.items, ["a", "bb"]);
}

// ---------------------------------------------------------------------------
// `?` in bodies
// ---------------------------------------------------------------------------

#[generator(yield = u32)]
fn parse_all(items: Vec<&'static str>) -> Result<u32, ParseIntError> {
    let mut sum = 0;
    for s in items {
        let n: u32 = s.parse()?;
        sum += n;
        yield_!(n);
    }
    Ok(sum)
}

#[generator(yield = u32)]
fn parse_twice(a: Vec<&'static str>, b: Vec<&'static str>) -> Result<u32, ParseIntError> {
    let x = yield_from!(parse_all(a))?;
    let y = yield_from!(parse_all(b))?;
    Ok(x + y)
}

#[derive(Debug, PartialEq)]
enum AppError {
    Parse,
    Thrown(&'static str),
}

impl From<ParseIntError> for AppError {
    fn from(_: ParseIntError) -> Self {
        AppError::Parse
    }
}

impl From<&'static str> for AppError {
    fn from(e: &'static str) -> Self {
        AppError::Thrown(e)
    }
}

/// `?` converting errors, and a thrown error converted with `From` too.
#[generator(yield = u32, throw = &'static str)]
fn parse_or_throw(items: Vec<&'static str>) -> Result<(), AppError> {
    for s in items {
        let n: u32 = s.parse()?;
        yield_!(n);
    }
    Ok(())
}

#[test]
fn question_mark_in_bodies() {
    let mut g = parse_all(vec!["1", "2"]);
    assert_eq!(g.by_ref().collect::<Vec<_>>(), [1, 2]);

    let mut g = parse_all(vec!["1", "x", "3"]);
    assert_eq!(g.next(), Some(1));
    assert!(matches!(g.resume(), Some(GeneratorState::Complete(Err(_)))));
    assert_eq!(g.resume(), None);

    let mut g = parse_twice(vec!["1"], vec!["2", "3"]);
    assert_eq!(g.by_ref().take(3).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(g.resume(), Some(GeneratorState::Complete(Ok(6))));

    let mut g = parse_twice(vec!["1", "?"], vec!["2"]);
    assert_eq!(g.next(), Some(1));
    assert!(matches!(g.resume(), Some(GeneratorState::Complete(Err(_)))));

    let mut g = parse_or_throw(vec!["1", "oops"]);
    g.next();
    assert_eq!(
        g.resume(),
        Some(GeneratorState::Complete(Err(AppError::Parse)))
    );
    let mut g = parse_or_throw(vec!["1", "2"]);
    g.next();
    assert_eq!(
        g.throw("stop"),
        Ok(GeneratorState::Complete(Err(AppError::Thrown("stop"))))
    );
}

// ---------------------------------------------------------------------------
// Borrows held across yields
// ---------------------------------------------------------------------------

#[generator(yield = i32)]
fn borrow_local() -> usize {
    let v = vec![1, 2, 3];
    for x in &v {
        yield_!(*x);
    }
    let first = &v[0];
    yield_!(*first * 10);
    let slice = &v[1..];
    yield_!(slice.iter().sum());
    v.len()
}

#[generator(yield = usize, send = i32)]
fn mutate_local() -> Vec<i32> {
    let mut v = Vec::new();
    let r = &mut v;
    loop {
        let x = yield_!(r.len());
        if x < 0 {
            break;
        }
        r.push(x);
        r.sort_unstable();
    }
    let s = &mut v[..];
    s.reverse();
    yield_!(s.len());
    v
}

#[generator(yield = char)]
fn iterator_local_across_yields(text: String) -> String {
    let mut chars = text.chars().peekable();
    let mut out = String::new();
    while let Some(c) = chars.next() {
        if chars.peek() == Some(&c) {
            continue;
        }
        out.push(c);
        yield_!(c);
    }
    out
}

#[test]
fn borrows_across_yields() {
    let mut g = borrow_local();
    assert_eq!(g.by_ref().collect::<Vec<_>>(), [1, 2, 3, 10, 5]);

    let mut g = mutate_local();
    assert_eq!(g.start(), Ok(GeneratorState::Yielded(0)));
    assert_eq!(g.send(5), Ok(GeneratorState::Yielded(1)));
    assert_eq!(g.send(2), Ok(GeneratorState::Yielded(2)));
    assert_eq!(g.send(9), Ok(GeneratorState::Yielded(3)));
    assert_eq!(g.send(-1), Ok(GeneratorState::Yielded(3)));
    assert_eq!(g.send(0), Ok(GeneratorState::Complete(vec![9, 5, 2])));

    let mut g = iterator_local_across_yields("aabccc".to_string());
    assert_eq!(g.by_ref().collect::<String>(), "abc");
}

// ---------------------------------------------------------------------------
// Control flow: labels, match guards, let else
// ---------------------------------------------------------------------------

#[generator(yield = (u32, u32), send = bool)]
fn labeled(n: u32) -> &'static str {
    'outer: for i in 0..n {
        for j in 0..n {
            if yield_!((i, j)) {
                break 'outer;
            }
            if j == i {
                continue 'outer;
            }
        }
    }
    let found = 'search: {
        for k in 0..n {
            if yield_!((100, k)) {
                break 'search "found";
            }
        }
        "not found"
    };
    let mut k = 0;
    loop {
        k += 1;
        if yield_!((200, k)) {
            break found;
        }
    }
}

#[test]
fn labeled_breaks_across_yields() {
    let mut g = labeled(3);
    assert_eq!(g.start(), Ok(GeneratorState::Yielded((0, 0))));
    assert_eq!(g.send(false), Ok(GeneratorState::Yielded((1, 0))));
    assert_eq!(g.send(false), Ok(GeneratorState::Yielded((1, 1))));
    assert_eq!(g.send(false), Ok(GeneratorState::Yielded((2, 0))));
    assert_eq!(g.send(true), Ok(GeneratorState::Yielded((100, 0))));
    assert_eq!(g.send(false), Ok(GeneratorState::Yielded((100, 1))));
    assert_eq!(g.send(true), Ok(GeneratorState::Yielded((200, 1))));
    assert_eq!(g.send(false), Ok(GeneratorState::Yielded((200, 2))));
    assert_eq!(g.send(true), Ok(GeneratorState::Complete("found")));

    let mut g = labeled(1);
    g.start().unwrap();
    assert_eq!(g.send(false), Ok(GeneratorState::Yielded((100, 0))));
    assert_eq!(g.send(false), Ok(GeneratorState::Yielded((200, 1))));
    assert_eq!(g.send(true), Ok(GeneratorState::Complete("not found")));
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Cmd {
    Add(i32),
    Mul(i32),
    Stop,
}

#[generator(yield = i32, send = Option<Cmd>)]
fn calculator() -> i32 {
    let mut acc = 0;
    loop {
        match yield_!(acc) {
            Some(Cmd::Add(n)) if n < 0 => {
                let _ = yield_!(-1);
                acc += n;
            }
            Some(Cmd::Add(n)) => acc += n,
            Some(Cmd::Mul(n)) if n == yield_!(acc * 1000).map_or(0, |_| n) => acc *= n,
            Some(Cmd::Mul(_)) => acc = 0,
            Some(Cmd::Stop) | None => break,
        }
    }
    match acc {
        x if x > 100 => yield_!(100).map_or(x, |_| 100),
        x => x,
    };
    acc
}

#[test]
fn match_guards_and_arms_with_yields() {
    let mut g = calculator();
    assert_eq!(g.start(), Ok(GeneratorState::Yielded(0)));
    assert_eq!(g.send(Some(Cmd::Add(5))), Ok(GeneratorState::Yielded(5)));
    assert_eq!(g.send(Some(Cmd::Add(-2))), Ok(GeneratorState::Yielded(-1)));
    assert_eq!(g.send(None), Ok(GeneratorState::Yielded(3)));
    // The guard itself yields; a `Some` sent to it keeps the guard true.
    assert_eq!(
        g.send(Some(Cmd::Mul(50))),
        Ok(GeneratorState::Yielded(3000))
    );
    assert_eq!(g.send(Some(Cmd::Stop)), Ok(GeneratorState::Yielded(150)));
    // The guard is false (None sent): the next arm runs.
    assert_eq!(
        g.send(Some(Cmd::Mul(2))),
        Ok(GeneratorState::Yielded(150_000))
    );
    assert_eq!(g.send(None), Ok(GeneratorState::Yielded(0)));
    assert_eq!(g.send(Some(Cmd::Stop)), Ok(GeneratorState::Complete(0)));

    let mut g = calculator();
    g.start().unwrap();
    g.send(Some(Cmd::Add(101))).unwrap();
    // `acc > 100`: the trailing match yields in an arm.
    assert_eq!(g.send(None), Ok(GeneratorState::Yielded(100)));
    assert_eq!(g.send(None), Ok(GeneratorState::Complete(101)));
}

#[generator(yield = u32, send = Option<u32>)]
fn let_else(items: Vec<&'static str>) -> u32 {
    let mut total = 0;
    for s in items {
        let Ok(n) = s.parse::<u32>() else {
            yield_!(0);
            continue;
        };
        let Some(bonus) = yield_!(n) else {
            return total;
        };
        total += n + bonus;
    }
    total
}

#[test]
fn let_else_with_yields() {
    let mut g = let_else(vec!["1", "x", "2"]);
    assert_eq!(g.start(), Ok(GeneratorState::Yielded(1)));
    assert_eq!(g.send(Some(10)), Ok(GeneratorState::Yielded(0)));
    assert_eq!(g.send(Some(99)), Ok(GeneratorState::Yielded(2)));
    assert_eq!(g.send(Some(0)), Ok(GeneratorState::Complete(13)));

    let mut g = let_else(vec!["4", "5"]);
    assert_eq!(g.start(), Ok(GeneratorState::Yielded(4)));
    assert_eq!(g.send(None), Ok(GeneratorState::Complete(0)));
}

// ---------------------------------------------------------------------------
// Yields inside other macros' arguments
// ---------------------------------------------------------------------------

#[generator(yield = u32, send = u32)]
fn inside_macros() -> (Vec<u32>, String, bool, bool) {
    println!("sent: {}", yield_!(1));
    eprintln!("{:?}", vec![yield_!(2)]);
    let v = vec![yield_!(3), yield_!(4) + 1];
    let s = format!("{}-{:?}", yield_!(5), (yield_!(6), v.len()));
    let m = matches!(yield_!(7), 70..=79);
    let n = matches!(yield_!(8), x if x == v[0]);
    assert_eq!(yield_!(9), 90, "assert_eq! with a yield inside");
    write_all(&format!("{}", yield_!(10)));
    (v, s, m, n)
}

fn write_all(_: &str) {}

#[test]
fn yields_inside_macro_arguments() {
    let mut g = inside_macros();
    assert_eq!(g.start(), Ok(GeneratorState::Yielded(1)));
    let sends = [10, 20, 30, 40, 50, 60, 75, 30, 90];
    for (sent, expect) in sends.into_iter().zip(2..) {
        assert_eq!(g.send(sent), Ok(GeneratorState::Yielded(expect)));
    }
    assert_eq!(
        g.send(100),
        Ok(GeneratorState::Complete((
            vec![30, 41],
            "50-(60, 2)".to_string(),
            true,
            true
        )))
    );
}

// ---------------------------------------------------------------------------
// Paths and spellings of the macros
// ---------------------------------------------------------------------------

#[generator(yield = u32)]
fn qualified_paths() -> Option<u32> {
    pygen::yield_!(1);
    let r = pygen::yield_from!(countdown(2));
    let mut c = countdown(1);
    let rest = ::pygen::yield_from!(&mut c);
    match pygen::yield_catch!(r) {
        Ok(()) => rest,
        Err(Interrupt::Close) => None,
    }
}

#[generator(yield = u32)]
fn countdown(from: u32) -> u32 {
    for i in (1..=from).rev() {
        yield_!(i);
    }
    from
}

#[generator(yield = ())]
fn unit_yields() -> u32 {
    yield_!();
    yield_!(());
    let () = yield_!();
    3
}

#[generator(yield = u32)]
fn tail_delegation() -> u32 {
    yield_from!(countdown(2))
}

#[generator(yield = u32)]
fn tail_yield() {
    yield_!(5)
}

#[test]
fn macro_paths_and_tail_positions() {
    let mut g = qualified_paths();
    assert_eq!(g.by_ref().collect::<Vec<_>>(), [1, 2, 1, 1, 2]);
    let mut g = qualified_paths();
    g.by_ref().for_each(drop);
    assert_eq!(g.resume(), None);
    let mut g = qualified_paths();
    assert_eq!(g.by_ref().take(5).count(), 5);
    assert_eq!(g.resume(), Some(GeneratorState::Complete(Some(1))));

    let mut g = unit_yields();
    assert_eq!(g.by_ref().count(), 3);

    let mut g = tail_delegation();
    assert_eq!(g.by_ref().collect::<Vec<_>>(), [2, 1]);
    let mut g = tail_delegation();
    g.nth(1);
    assert_eq!(g.resume(), Some(GeneratorState::Complete(2)));

    assert_eq!(tail_yield().collect::<Vec<_>>(), [5]);
}

// ---------------------------------------------------------------------------
// Nested generator definitions
// ---------------------------------------------------------------------------

#[generator(yield = String)]
fn outer_with_nested(n: u32) -> u32 {
    #[generator(yield = String)]
    fn nested(prefix: &'static str, n: u32) -> u32 {
        for i in 0..n {
            yield_!(format!("{prefix}{i}"));
        }
        n
    }

    /// An ordinary helper fn item next to it.
    fn helper(x: u32) -> u32 {
        x * 2
    }

    let a = yield_from!(nested("flat", n));
    let mut g = nested("ref", helper(n));
    let first = g.next().unwrap_or_default();
    yield_!(first);
    let b = yield_from!(&mut g).unwrap_or(0);
    a + b
}

#[test]
fn generator_defined_inside_a_generator() {
    let mut g = outer_with_nested(1);
    assert_eq!(g.by_ref().collect::<Vec<_>>(), ["flat0", "ref0", "ref1"]);
    let mut g = outer_with_nested(1);
    g.nth(2);
    assert_eq!(g.resume(), Some(GeneratorState::Complete(3)));
}

// ---------------------------------------------------------------------------
// Recursion through .boxed()
// ---------------------------------------------------------------------------

struct Tree {
    value: u32,
    children: Vec<Tree>,
}

fn tree(value: u32, children: Vec<Tree>) -> Tree {
    Tree { value, children }
}

/// Pre-order walk; returns the number of nodes.
#[generator(yield = (usize, u32))]
fn walk(node: &Tree, depth: usize) -> usize {
    yield_!((depth, node.value));
    let mut count = 1;
    for child in &node.children {
        count += yield_from!(walk(child, depth + 1).boxed());
    }
    count
}

/// Post-order walk that delegates to the boxed recursion through `&mut`.
#[generator(yield = u32)]
fn post_order(node: &Tree) {
    for child in &node.children {
        let mut sub = post_order(child).boxed();
        yield_from!(&mut sub);
    }
    yield_!(node.value);
}

fn collect_pre(node: &Tree, depth: usize, out: &mut Vec<(usize, u32)>) -> usize {
    out.push((depth, node.value));
    1 + node
        .children
        .iter()
        .map(|c| collect_pre(c, depth + 1, out))
        .sum::<usize>()
}

fn collect_post(node: &Tree, out: &mut Vec<u32>) {
    for c in &node.children {
        collect_post(c, out);
    }
    out.push(node.value);
}

#[test]
fn recursive_generator_through_boxed() {
    let t = tree(
        1,
        vec![
            tree(2, vec![tree(4, vec![]), tree(5, vec![tree(8, vec![])])]),
            tree(3, vec![tree(6, vec![]), tree(7, vec![])]),
        ],
    );
    let mut expected = Vec::new();
    let expected_count = collect_pre(&t, 0, &mut expected);

    let mut g = walk(&t, 0);
    let mut got = Vec::new();
    let count = loop {
        match g.resume() {
            Some(GeneratorState::Yielded(item)) => got.push(item),
            Some(GeneratorState::Complete(n)) => break n,
            None => unreachable!(),
        }
    };
    assert_eq!(got, expected);
    assert_eq!(count, expected_count);

    let mut expected = Vec::new();
    collect_post(&t, &mut expected);
    assert_eq!(post_order(&t).collect::<Vec<_>>(), expected);

    // Deep recursion: a path of 200 nodes.
    let mut deep = tree(0, vec![]);
    for v in 1..200 {
        deep = tree(v, vec![deep]);
    }
    let mut expected = Vec::new();
    collect_pre(&deep, 0, &mut expected);
    assert_eq!(walk(&deep, 0).collect::<Vec<_>>(), expected);
}

// ---------------------------------------------------------------------------
// yield_from! of a partially consumed `&mut g`
// ---------------------------------------------------------------------------

#[generator(yield = u32)]
fn resume_elsewhere<'a, G>(g: &'a mut G) -> (Option<u32>, Option<u32>)
where
    G: pygen::Generator<Yield = u32, Send = (), Throw = pygen::NoThrow, Return = u32> + Unpin,
{
    yield_!(0);
    let first = yield_from!(&mut *g);
    // Already finished: delegating again yields nothing and gives `None`.
    let second = yield_from!(g);
    (first, second)
}

#[test]
fn yield_from_partially_consumed_by_ref() {
    let mut inner = countdown(4);
    assert_eq!(inner.next(), Some(4));
    assert_eq!(inner.next(), Some(3));
    let mut outer = resume_elsewhere(&mut inner);
    assert_eq!(outer.by_ref().take(3).collect::<Vec<_>>(), [0, 2, 1]);
    assert_eq!(
        outer.resume(),
        Some(GeneratorState::Complete((Some(4), None)))
    );
    drop(outer);
    assert_eq!(inner.state(), GenState::Closed);

    // Inside one body: consume part of a local generator, then delegate.
    #[generator(yield = u32)]
    fn local_partial() -> Option<u32> {
        let mut g = countdown(3);
        let skipped = g.next();
        yield_!(skipped.unwrap_or(0) * 100);
        yield_from!(&mut g)
    }
    let mut g = local_partial();
    assert_eq!(g.by_ref().take(3).collect::<Vec<_>>(), [300, 2, 1]);
    assert_eq!(g.resume(), Some(GeneratorState::Complete(Some(3))));

    // An unstarted `&mut g` is started by the delegation.
    let mut fresh = countdown(1);
    let mut outer = resume_elsewhere(&mut fresh);
    assert_eq!(outer.by_ref().collect::<Vec<_>>(), [0, 1]);
}

// ---------------------------------------------------------------------------
// User names that look like the macro's internal identifiers
// ---------------------------------------------------------------------------

#[allow(non_snake_case)]
#[generator(yield = u32, send = u32)]
fn internal_names(__pygen_co: u32, __pygen_value: Vec<u32>) -> u32 {
    let __pygen_delegate = __pygen_value.clone();
    yield_from!(__pygen_delegate.clone());
    let mut __pygen_co = __pygen_co;
    __pygen_co += yield_!(__pygen_co);
    let __pygen_value = yield_!({
        let __pygen_value = __pygen_delegate.len() as u32;
        __pygen_value * 100
    });
    let r = match yield_!(__pygen_co) {
        __pygen_co if __pygen_co > 0 => __pygen_co + __pygen_value,
        __pygen_delegate => __pygen_delegate,
    };
    yield_from!(
        1..{
            let __pygen_delegate = 1;
            __pygen_delegate + 1
        }
    );
    r + __pygen_delegate.iter().sum::<u32>()
}

#[test]
fn internal_identifier_names_do_not_collide() {
    let mut g = internal_names(7, vec![1, 2]);
    assert_eq!(g.start(), Ok(GeneratorState::Yielded(1)));
    assert_eq!(g.resume(), Some(GeneratorState::Yielded(2)));
    assert_eq!(g.resume(), Some(GeneratorState::Yielded(7)));
    assert_eq!(g.send(3), Ok(GeneratorState::Yielded(200)));
    assert_eq!(g.send(40), Ok(GeneratorState::Yielded(10)));
    assert_eq!(g.send(5), Ok(GeneratorState::Yielded(1)));
    assert_eq!(g.resume(), Some(GeneratorState::Complete(5 + 40 + 3)));
}

// ---------------------------------------------------------------------------
// Odds and ends of signatures
// ---------------------------------------------------------------------------

mod visibility {
    use pygen::{generator, yield_};

    /// Documented, attributed, `pub(crate)`.
    #[must_use]
    #[inline]
    #[generator(yield = u8)]
    pub(crate) fn visible((a, b): (u8, u8), mut step: u8) {
        step = step.max(1);
        let mut x = a;
        while x < b {
            yield_!(x);
            x += step;
        }
    }
}

#[generator(yield = u8)]
fn pattern_args(Wrapper(inner): Wrapper, [first, .., last]: [u8; 4]) -> u8 {
    yield_!(first);
    yield_!(last);
    inner
}

struct Wrapper(u8);

#[test]
fn signature_odds_and_ends() {
    assert_eq!(
        visibility::visible((1, 8), 3).collect::<Vec<_>>(),
        [1, 4, 7]
    );
    let mut g = pattern_args(Wrapper(9), [1, 2, 3, 4]);
    assert_eq!(g.by_ref().collect::<Vec<_>>(), [1, 4]);
    let mut g = pattern_args(Wrapper(9), [1, 2, 3, 4]);
    g.nth(1);
    assert_eq!(g.resume(), Some(GeneratorState::Complete(9)));
}

#[generator(yield = u32, send = bool, throw = String)]
fn catch_in_condition() -> Result<u32, String> {
    let mut n = 0;
    while yield_!(n) {
        n += 1;
    }
    if let Err(Interrupt::Throw(e)) = yield_catch!(n) {
        return Err(e);
    }
    Ok(n)
}

#[test]
fn yields_in_conditions() {
    let mut g = catch_in_condition();
    assert_eq!(g.start(), Ok(GeneratorState::Yielded(0)));
    assert_eq!(g.send(true), Ok(GeneratorState::Yielded(1)));
    assert_eq!(g.send(false), Ok(GeneratorState::Yielded(1)));
    assert_eq!(
        g.throw("e".to_string()),
        Ok(GeneratorState::Complete(Err("e".to_string())))
    );
}

// A brace-delimited yield macro in tail position is the body's value, as a
// brace-delimited macro call is in plain Rust.
#[generator(yield = u32)]
fn brace_tail() -> &'static str {
    yield_from! { countdown_for_tail(2) }
}

#[generator(yield = u32)]
fn countdown_for_tail(from: u32) -> &'static str {
    for i in (1..=from).rev() {
        yield_!(i);
    }
    "liftoff"
}

#[test]
fn brace_delimited_yield_from_in_tail_position_is_the_return_value() {
    let mut g = brace_tail();
    assert_eq!(g.by_ref().collect::<Vec<_>>(), [2, 1]);
    let mut g = brace_tail();
    g.nth(1);
    assert_eq!(g.resume(), Some(GeneratorState::Complete("liftoff")));
}

// Temporaries in a `yield_from!` argument live for the whole delegation, as
// they do in `for x in vec![4].iter()`.
#[generator(yield = u32)]
#[allow(clippy::useless_vec)] // the temporary `Vec` is the point
fn temporaries_in_delegate() {
    yield_from!(vec![4, 5].iter().copied());
}

#[test]
fn temporaries_of_a_yield_from_argument_live_through_the_delegation() {
    assert_eq!(temporaries_in_delegate().collect::<Vec<_>>(), [4, 5]);
}

// ---------------------------------------------------------------------------
// Raw spellings: `r#yield_catch!` is `yield_catch!` everywhere, including in
// the choice of how a close reaches the body
// ---------------------------------------------------------------------------

#[generator(yield = u32)]
fn raw_catch_only(log: Rc<RefCell<Vec<&'static str>>>) -> &'static str {
    match r#yield_catch!(1) {
        Ok(()) => "resumed",
        Err(_) => {
            log.borrow_mut().push("handler ran");
            "closed"
        }
    }
}

#[generator(yield = u32)]
fn raw_delegation(log: Rc<RefCell<Vec<&'static str>>>) {
    let value = r#yield_from!(raw_catch_only(log.clone()));
    log.borrow_mut().push(value);
}

#[test]
fn close_reaches_a_handler_written_with_a_raw_yield_catch() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let mut g = raw_catch_only(log.clone());
    assert_eq!(g.next(), Some(1));
    assert_eq!(g.close(), Ok(Some("closed")));
    assert_eq!(*log.borrow(), ["handler ran"]);
}

#[test]
fn close_reaches_a_delegate_through_a_raw_yield_from() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let mut g = raw_delegation(log.clone());
    assert_eq!(g.next(), Some(1));
    assert_eq!(g.close(), Ok(None));
    assert_eq!(*log.borrow(), ["handler ran"]);
}
