// The constructor the macro builds a generator with hands the body its
// `Co`. Called by hand, a closure could move the `Co` out and make, in
// another generator's body, yields of these types under that generator's
// channel, of other types. It is an `unsafe fn`: without `unsafe` (which
// `#![forbid(unsafe_code)]` refuses) the call does not compile.
#![forbid(unsafe_code)]

use std::cell::RefCell;
use std::rc::Rc;

use pygen::__private::{from_body, Catching, Co, Plain};
use pygen::{Gen, NoThrow};

fn main() {
    let stash: Rc<RefCell<Option<Co<String, (), NoThrow>>>> = Rc::default();
    let keep = stash.clone();
    let _first: Gen<_, String, (), NoThrow> = from_body(Catching, move |co| {
        *keep.borrow_mut() = Some(co);
        async {}
    });
    let _second: Gen<_, u64, (), NoThrow> = from_body(Plain, move |_co| async move {
        let mut stolen = stash.borrow_mut().take().unwrap();
        let _ = stolen.yield_(String::from("not a u64")).await;
    });
}
