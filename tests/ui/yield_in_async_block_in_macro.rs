// An async block inside another macro's arguments would carry the
// generator's yield handle out of the body: rejected like any nested async.
use std::future::Future;
use std::pin::Pin;

use pygen::{generator, yield_};

type Leaked = Pin<Box<dyn Future<Output = ()>>>;

#[generator(yield = u64)]
fn leak() -> Vec<Leaked> {
    vec![Box::pin(async move {
        yield_!(1);
    }) as Leaked]
}

fn main() {}
