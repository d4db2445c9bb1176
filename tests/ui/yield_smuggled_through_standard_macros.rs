// A user macro inside a standard macro's arguments gets the same rule as
// anywhere else: a yield in it is refused (it could wrap it in an async
// block and hand it to another generator).
use pygen::{generator, yield_};

macro_rules! hide {
    ($e:expr) => {{
        let _later = async move {
            let _ = $e;
        };
        true
    }};
}

#[generator(yield = u32)]
fn in_matches_guard() {
    let _ = matches!(Some(0u8), Some(_) if hide!(yield_!(1)));
}

#[generator(yield = u32)]
fn in_vec_repeat() {
    let _ = vec![hide!(yield_!(2)); 1];
}

#[generator(yield = u32)]
fn fine() {
    // Checked piece by piece: these yields are the generator's own.
    let _ = matches!(Some(yield_!(3)), Some(()) if yield_!(4) == ());
    let _ = vec![yield_!(5); 2];
}

fn main() {}
