use pygen::{GeneratorState, Interrupt, generator, yield_, yield_catch, yield_from};

#[generator(yield = u64)]
fn fib() {
    let (mut a, mut b) = (0, 1);
    loop {
        yield_!(a);
        (a, b) = (b, a + b);
    }
}

#[generator(yield = u32, send = u32)]
fn acc() -> u32 {
    let mut total = 0;
    loop {
        let v = yield_!(total);
        if v == 0 {
            return total;
        }
        total += v;
    }
}

#[derive(Debug, PartialEq)]
struct Boom;

#[generator(yield = u32, throw = Boom)]
fn thrower() -> Result<u32, Boom> {
    yield_!(1);
    let x = match yield_catch!(2) {
        Ok(()) => 0,
        Err(Interrupt::Throw(Boom)) => 1000,
        Err(Interrupt::Close) => return Ok(7),
    };
    yield_!(x * 2);
    Ok(x)
}

#[generator(yield = u32)]
fn inner() -> &'static str {
    yield_!(1);
    yield_!(2);
    "inner done"
}

#[generator(yield = u32)]
fn outer() -> (&'static str, ()) {
    let r = yield_from!(inner());
    let u = yield_from!(10..12);
    yield_!(println!("{:?}", yield_!(99)).len_hint());
    (r, u)
}

trait LenHint {
    fn len_hint(&self) -> u32;
}
impl LenHint for () {
    fn len_hint(&self) -> u32 {
        5
    }
}

#[generator(yield = &'a str)]
fn words<'a>(text: &'a str) {
    for w in text.split(' ') {
        yield_!(w);
    }
}

struct Bag {
    items: Vec<i32>,
}
impl Bag {
    #[generator(yield = &i32)]
    fn iter(&self) {
        for i in &self.items {
            yield_!(i);
        }
    }
}

#[test]
fn smoke() {
    assert_eq!(fib().take(6).collect::<Vec<_>>(), [0, 1, 1, 2, 3, 5]);
    let mut a = acc();
    assert_eq!(a.start(), Ok(GeneratorState::Yielded(0)));
    assert_eq!(a.send(5), Ok(GeneratorState::Yielded(5)));
    assert_eq!(a.send(0), Ok(GeneratorState::Complete(5)));
    let mut t = thrower();
    assert_eq!(t.next(), Some(1));
    assert_eq!(t.next(), Some(2));
    assert_eq!(t.throw(Boom), Ok(GeneratorState::Yielded(2000)));
    assert_eq!(t.resume(), Some(GeneratorState::Complete(Ok(1000))));
    let mut t = thrower();
    t.next();
    assert_eq!(t.throw(Boom), Ok(GeneratorState::Complete(Err(Boom))));
    let mut t = thrower();
    t.next();
    t.next();
    assert_eq!(t.close(), Ok(Some(Ok(7))));
    let mut o = outer();
    assert_eq!(o.by_ref().collect::<Vec<_>>(), [1, 2, 10, 11, 99, 5]);
    assert_eq!(words("a b c").collect::<Vec<_>>(), ["a", "b", "c"]);
    let bag = Bag { items: vec![1, 2] };
    assert_eq!(bag.iter().copied().sum::<i32>(), 3);
    let mut p = core::pin::pin!(fib().into_pinned());
    assert_eq!(p.as_mut().iter().take(3).collect::<Vec<_>>(), [0, 1, 1]);
}
