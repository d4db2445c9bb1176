// What `yield_from!`'s dispatch returns can be built by anyone, for any
// types (the `DelegateWrap` gets a type marker, not the handle), so it must
// be useless on its own: a `Planned` delegation is not a future, and the
// method that opens it takes a key no other crate can make.
use core::marker::PhantomData;
use pygen::__private::{DelegateWrap, ViaFlat};
use pygen::{generator, yield_};

#[generator(yield = u64)]
fn count() {
    yield_!(1);
}

async fn poll_it_elsewhere() {
    let planned = (&&&&&DelegateWrap::new(count(), PhantomData::<fn(u64, (), pygen::NoThrow) -> (u64, (), pygen::NoThrow)>)).__pygen_delegate();
    planned.await;
}

fn open_it() {
    let planned = (&&&&&DelegateWrap::new(count(), PhantomData::<fn(u64, (), pygen::NoThrow) -> (u64, (), pygen::NoThrow)>)).__pygen_delegate();
    let _future = planned.__pygen_open(());
}

fn main() {
    let _ = (poll_it_elsewhere, open_it);
}
