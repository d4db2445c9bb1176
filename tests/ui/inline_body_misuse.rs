// Inside an inline generator, the body's misuses get the errors a
// generator function's body gets, each at its token.
use pygen::{generate, yield_};

fn main() {
    let numbers = vec![1u32, 2];
    let _in_closure = generate!(|| {
        numbers.iter().for_each(|n| {
            yield_!(*n);
        });
    });
    let _wrong_type = generate!(#[generator(yield = u32)] || {
        yield_!("one");
    });
    let _await_in_sync = generate!(|| {
        std::future::ready(()).await;
        yield_!(1u32);
    });
    let _keyword = generate!(|| {
        yield 1u32;
    });
}

fn later_use() {
    // The generator is used after an error in generate!: nothing else is
    // reported.
    let mut g = generate!({
        yield_!(1u32);
    });
    let _ = g.next();
}
