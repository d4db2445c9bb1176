// An async generator that keeps an `Rc` across an `.await` (not a yield) is
// not `Send`, so a task driving it cannot be spawned on a multi-threaded
// runtime.
use std::rc::Rc;

use futures::StreamExt;
use pygen::{generator, yield_};

#[generator(yield = u32)]
async fn counts() {
    let counter = Rc::new(1);
    tokio::task::yield_now().await;
    yield_!(*counter);
}

#[tokio::main]
async fn main() {
    let task = tokio::spawn(async {
        let all: Vec<u32> = counts().collect().await;
        all
    });
    let _ = task.await;
}
