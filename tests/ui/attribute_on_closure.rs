// `#[generator]` where the inline form was meant: on a closure, on a `let`
// of one, on a block. rustc refuses attributes there (E0658) and still
// runs the attribute, which names generate! once and expands the closure
// as generate! would: nothing else is reported.
use pygen::{generator, yield_};

fn main() {
    let _closure = #[generator(yield = u32)] || {
        yield_!(1);
    };
    #[generator(yield = u32)]
    let _statement = move || {
        yield_!(2);
    };
    let _block = #[generator] {
        yield_!(3u32);
    };
}
