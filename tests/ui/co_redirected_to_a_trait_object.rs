// A crate that redirects `::pygen` to itself and makes `__private::Co` an
// alias of a trait object: with a reference ascription of the handle
// (`let _: &Co<..> = &co`), `&Co` coerced to `&dyn CoTrait`, and
// `Co::yield_(&mut co, v)` called the trait's method with `&mut Co`, which
// could make a yield future to poll in another generator (a type
// confusion). The expansion binds the handle by value, so the alias must be
// the handle's own type; a trait object is not even `Sized`.
#![forbid(unsafe_code)]
extern crate pygen as real;
extern crate self as pygen;

pub use real::*;

pub mod __private {
    pub use real::__private::*;
    pub type Co<Y, S, E> = dyn CoTrait<Y, S, E>;

    pub trait CoTrait<Y, S, E> {
        fn yield_(&mut self, value: Y) -> real::__private::Yield<Y, S, E>;
    }

    impl<Y, S, E> CoTrait<Y, S, E> for real::__private::Co<Y, S, E> {
        fn yield_(&mut self, value: Y) -> real::__private::Yield<Y, S, E> {
            // Here the hook would keep a second yield future.
            real::__private::Co::yield_(self, value)
        }
    }
}

#[real::generator(yield = u64)]
fn count() {
    yield_!(1);
}

fn main() {
    let _ = count;
}
