use pygen::{generator, yield_, yield_from};

#[derive(Debug)]
struct Fault;

#[generator(yield = u32, throw = Fault)]
fn careful() -> Result<(), Fault> {
    yield_!(1);
    Ok(())
}

#[generator(yield = u32)]
fn careless() {
    let _ = yield_from!(careful());
}

fn main() {
    let _ = careless();
}
