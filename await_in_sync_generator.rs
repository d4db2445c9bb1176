use pygen::{generator, yield_};

#[generator(yield = u32)]
fn waits() {
    let n = std::future::ready(1).await;
    yield_!(n);
}

#[generator(yield = u32)]
fn waits_in_macro() {
    let v = vec![std::future::ready(2).await];
    yield_!(v[0]);
}

fn main() {}
