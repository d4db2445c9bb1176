// generate! takes a closure: each near miss is told the closure to write.
use pygen::{generate, yield_};

fn main() {
    let _block = generate!({
        yield_!(1u32);
    });
    let _async_block = generate!(async move {
        yield_!(1u32);
    });
    let _call = generate!(make());
    let _static = generate!(static || {
        yield_!(1u32);
    });
    let _other_attribute = generate!(#[inline] || {
        yield_!(1u32);
    });
    let _boxed_send = generate!(#[generator(boxed = Send)] || {
        yield_!(1u32);
    });
    let _primed_async = generate!(#[generator(primed)] async || {
        yield_!(1u32);
    });
    let _unknown_key = generate!(#[generator(yeild = u32)] || {
        yield_!(1u32);
    });
    let _empty = generate!();
}

fn make() {}

fn no_yields() {
    // Nothing to infer the yield type from.
    let _silent = generate!(|| {
        println!("never yields");
    });
}
