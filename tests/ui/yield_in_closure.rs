use pygen::{generator, yield_, yield_from};

#[generator(yield = u32)]
fn numbers() {
    (0..3).for_each(|n| yield_!(n));
    let delegate = |v: Vec<u32>| yield_from!(v);
    delegate(vec![4]);
}

fn main() {
    let _: Vec<u32> = numbers().collect();
}
