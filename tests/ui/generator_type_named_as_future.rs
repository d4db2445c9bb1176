// A trait naming a generator's type with `impl Future` for the body, the
// spelling of the async form: a synchronous generator's body is a
// `pygen::Body`, and the error says so.
use pygen::{Gen, generator, yield_};

trait Numbers {
    fn numbers(&self) -> Gen<impl std::future::Future<Output = ()>, u32>;
}

struct Upto(u32);

impl Numbers for Upto {
    #[generator(yield = u32)]
    fn numbers(&self) {
        for i in 0..self.0 {
            yield_!(i);
        }
    }
}

fn main() {}
