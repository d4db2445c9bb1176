use pygen::generator;

#[generator(yield = u32)]
struct Numbers;

fn main() {}
