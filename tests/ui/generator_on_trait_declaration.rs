use pygen::generator;

trait Numbers {
    #[generator(yield = u32)]
    fn numbers(&self);
}

fn main() {}
