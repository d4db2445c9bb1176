// The expansion calls its constructor in an `unsafe` block of its own, but
// the body's code is outside it: an unsafe operation in a generator's body
// needs the user's own `unsafe`, as anywhere else.
use pygen::{generator, yield_};

unsafe fn read(p: *const u32) -> u32 {
    unsafe { *p }
}

#[generator(yield = u32)]
fn reads(p: *const u32) {
    yield_!(read(p));
}

#[generator(yield = u32)]
async fn reads_async(p: *const u32) {
    let v = read(p);
    yield_!(v);
}

fn main() {
    let _ = (reads, reads_async);
}
