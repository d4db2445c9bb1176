// An inline generator being typed (`doubled.` at the end of a line): the
// syntax error is reported, and the rest of the closure is still expanded
// (for an editor's sake), so nothing else is.
use pygen::{generate, yield_};

fn main() {
    let v = vec![1u32, 2];
    let g = generate!(|| {
        for x in &v {
            let doubled = x * 2;
            doubled.
            let _sent = yield_!(doubled);
        }
    });
    let _ = g.count();
}
