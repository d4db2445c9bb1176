// A generator whose send type differs cannot be delegated to: every value
// sent while it runs would have to reach it. (It is an `Iterator` too; it is
// still not taken as a plain iterator.)
use pygen::{generator, yield_, yield_from};

#[generator(yield = u32, send = String)]
fn listener() -> usize {
    let mut heard = 0;
    loop {
        let said = yield_!(0);
        if said.is_empty() {
            return heard;
        }
        heard += 1;
    }
}

#[generator(yield = u32)]
fn host() -> usize {
    yield_from!(listener())
}

fn main() {
    let _ = host();
}
