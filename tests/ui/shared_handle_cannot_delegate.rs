// `yield_from!`'s dispatch is reached through paths a user crate can
// redirect (even `::pygen`), so it gets the generator's types, never its
// handle; what it returns is a `Planned` delegation, which only the
// handle's `delegate` opens, and that takes `&mut Co` as a yield does. A
// function handed `&Co` can make neither a delegation future nor the
// future a close awaits (both reach the channel of the handle's types).
use core::marker::PhantomData;
use pygen::__private::{Co, DelegateWrap, ViaFlat};
use pygen::{NoThrow, generator, yield_};

#[generator(yield = u64)]
fn count() {
    yield_!(1);
}

fn steal_delegation(co: &Co<u64, (), NoThrow>) -> impl core::future::Future {
    let planned = (&&&&&DelegateWrap::new(count(), PhantomData)).__pygen_delegate();
    Co::delegate(co, planned)
}

fn steal_abandon(co: &Co<u64, (), NoThrow>) -> impl core::future::Future {
    Co::abandon(co)
}

fn main() {
    let _ = (steal_delegation, steal_abandon);
}
