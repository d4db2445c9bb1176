// A trait of the user's with a method named like the one `yield_from!`
// dispatches through, implemented for every type: method resolution would
// pick it wherever pygen's own impls do not apply (here, for a `Vec`, at
// the first autoref levels) and the delegation would silently do whatever
// it returns. Only pygen's delegation futures are accepted, so this is an
// error at the argument instead.
use pygen::{generator, yield_, yield_from};

mod hijack {
    pub trait Hijack {
        // The output a real delegation has: only the bound on the future
        // itself refuses it.
        fn __pygen_delegate(
            &self,
        ) -> core::future::Ready<pygen::__private::Delegated<(), core::convert::Infallible>> {
            core::future::ready(pygen::__private::Delegated::Returned(()))
        }
    }
    impl<T> Hijack for T {}
}
#[allow(unused_imports)]
use hijack::Hijack as _;

#[generator(yield = u32)]
fn skips() {
    yield_from!(vec![1, 2]);
    yield_!(3);
}

fn main() {
    let _ = skips();
}
