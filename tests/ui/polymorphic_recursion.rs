// A generic generator that delegates to itself with an argument wrapping
// its own generic parameter: each level a new type, without end. Reported
// at the argument with the fix (erase its type), instead of rustc's
// "values of the type … are too big" inside pygen. The same recursion with
// the argument erased, or passed on as it is, is fine.
use pygen::{generator, yield_, yield_from};

#[generator(yield = u64)]
fn exclude_multiples(p: u64, ints: impl Iterator<Item = u64>) {
    for i in ints {
        if i % p != 0 {
            yield_!(i);
        }
    }
}

#[generator(yield = u64)]
fn sieve(mut ints: impl Iterator<Item = u64>) {
    let Some(p) = ints.next() else { return };
    yield_!(p);
    yield_from!(sieve(exclude_multiples(p, ints)).boxed());
}

#[generator(yield = u64)]
fn drain<I: Iterator<Item = u64>>(mut it: I) {
    if let Some(x) = it.next() {
        yield_!(x);
        yield_from!(drain(&mut it).boxed());
    }
}

// Fine: the argument's type erased, or the parameter passed on unchanged.
#[generator(yield = u64)]
fn sieve_erased(mut ints: impl Iterator<Item = u64>) {
    let Some(p) = ints.next() else { return };
    yield_!(p);
    yield_from!(sieve_erased(Box::new(exclude_multiples(p, ints)) as Box<dyn Iterator<Item = u64>>).boxed());
}

#[generator(yield = u64)]
fn count_down<I: Iterator<Item = u64>>(n: u64, it: I) {
    yield_!(n);
    if n > 0 {
        yield_from!(count_down(n - 1, it).boxed());
    }
}

fn main() {
    let _ = sieve(2..);
    let _ = drain(0..3);
    let _ = sieve_erased(2..);
    let _ = count_down(3, 0..1);
}
