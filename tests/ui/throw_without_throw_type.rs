use pygen::{generator, yield_};

#[generator(yield = u32)]
fn counter() {
    yield_!(1);
}

fn main() {
    let mut g = counter();
    g.start().unwrap();
    let _ = g.throw("stop".to_string());
}
