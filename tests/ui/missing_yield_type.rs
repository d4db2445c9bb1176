use pygen::{generator, yield_};

#[generator]
fn no_arguments() {
    yield_!(1);
}

#[generator(send = u32)]
fn no_yield_type() -> u32 {
    let sent = yield_!(1);
    sent + 1
}

fn main() {
    let _ = no_arguments();
    let _ = no_yield_type();
}
