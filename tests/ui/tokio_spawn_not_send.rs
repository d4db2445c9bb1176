// An async generator that keeps an `Rc` across a yield is not `Send`, so a
// task driving it cannot be spawned on a multi-threaded runtime.
use std::rc::Rc;

use futures::StreamExt;
use pygen::{generator, yield_};

#[generator(yield = u32)]
async fn shared() {
    let counter = Rc::new(1);
    yield_!(*counter);
    tokio::task::yield_now().await;
    yield_!(*counter + 1);
}

#[tokio::main]
async fn main() {
    let task = tokio::spawn(async {
        let total: Vec<u32> = shared().collect().await;
        total
    });
    let _ = task.await;
}
