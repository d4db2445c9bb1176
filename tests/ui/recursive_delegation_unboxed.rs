// A generator that delegates to itself without `.boxed()` would contain
// itself; the error says so in terms of generators (not rustc's E0733
// about async blocks), at the call, with the fix.
use pygen::{generator, yield_, yield_from};

#[generator(yield = u32)]
fn countdown(n: u32) {
    yield_!(n);
    if n > 0 {
        yield_from!(countdown(n - 1));
    }
}

struct Tree(Vec<Tree>);

impl Tree {
    #[generator(yield = usize)]
    fn sizes(&self) {
        yield_!(self.0.len());
        for _ in &self.0 {
            yield_from!(self.sizes());
        }
    }
}

fn main() {
    let _ = countdown(3);
    let _ = Tree(Vec::new()).sizes();
}
