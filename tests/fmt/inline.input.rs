// An inline generator as a hurried user types it: rustfmt formats the
// closure and its body like any other code (tests/formatting.rs).
use pygen::{generate, yield_, yield_from};

fn main() {
let limit=3;
    let g = generate!(#[generator(yield = u32, send = String)] move || -> usize {
let mut seen=Vec::new();
        for i in 0..limit { let s = yield_!(i);
                 seen.push(s);}
    yield_from!(  vec![7,8]  );
  seen.len()
    });
        let walk = generate!(|n:u32| { if n>0 {yield_!(n)} });
    let s = generate!(async move||{ yield_!(1u8); std::future::ready(()).await; });
    drop((g, walk, s));
}
