// A generator holds what its arguments borrow until it finishes: its body
// runs at the first resume, not at the call. The error is the borrow alone,
// at the caller: the return type names each lifetime the arguments borrow
// for (`Captures`, see captures.rs in generator-macros), so rustc adds no
// note about edition 2024's capture rules and suggests no `+ use<..>`
// (which could not apply: the body does hold the reference). The fix is
// the README's (Common errors): pass the value, or end the use of the
// generator before the borrowed value changes.
use pygen::{generator, yield_};

#[generator(yield = u32)]
fn count(n: &u32) -> u32 {
    let n = *n;
    for i in 0..n {
        yield_!(i);
    }
    n
}

// The yield type elides its lifetime: the argument's stays elided.
#[generator(yield = &str)]
fn words(text: &str, separator: char) {
    for word in text.split(separator) {
        yield_!(word);
    }
}

struct Counter {
    limit: u32,
}

impl Counter {
    #[generator(yield = u32)]
    fn up_to(&self, step: &u32) {
        let mut i = 0;
        while i < self.limit {
            yield_!(i);
            i += *step;
        }
    }
}

fn main() {
    let mut n = 3;
    let g = count(&n);
    n += 1;
    println!("{} {n}", g.count());

    let mut text = String::from("a b");
    let w = words(&text, ' ');
    text.push_str(" c");
    println!("{}", w.count());

    let mut counter = Counter { limit: 4 };
    let mut step = 1;
    let u = counter.up_to(&step);
    counter.limit = 5;
    step = 2;
    println!("{} {step} {}", u.count(), counter.limit);
}
