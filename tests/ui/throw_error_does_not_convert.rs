// A generator with `throw = E` returns `Err(e.into())` when `e` is thrown at
// a `yield_!`: its error type must convert from `E`.
use pygen::{generator, yield_};

#[derive(Debug)]
struct Fault;

#[derive(Debug)]
enum AppError {
    Parse,
}

#[generator(yield = u32, throw = Fault)]
fn worker() -> Result<(), AppError> {
    yield_!(1);
    Err(AppError::Parse)
}

fn main() {
    let _ = worker();
}
