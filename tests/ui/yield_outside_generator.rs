use pygen::{yield_, yield_from};

fn plain() -> u32 {
    yield_!(1);
    yield_from!(0..3);
    2
}

fn main() {
    plain();
}
