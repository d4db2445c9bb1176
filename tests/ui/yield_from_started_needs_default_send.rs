// Delegating to `&mut g` resumes a generator that already exists with
// `next()`, which sends the default value of the send type.
use pygen::{generator, yield_, yield_from};

struct Command(u32);

#[generator(yield = u32, send = Command)]
fn worker() {
    loop {
        let Command(n) = yield_!(0);
        yield_!(n);
    }
}

#[generator(yield = u32, send = Command)]
fn supervisor() {
    let mut w = worker();
    yield_from!(&mut w);
}

fn main() {
    let _ = supervisor();
}
