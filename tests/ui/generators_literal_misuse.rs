// `generators!` takes the literal `yield!(v)` and reports misuses as
// `#[generator]` does, in the spelling used.
use pygen::generators;

generators! {
    #[generator(yield = u32)]
    fn in_closure() {
        (0..3).for_each(|n| yield!(n));
    }

    #[generator(yield = u32)]
    fn keyword() {
        yield 1;
    }

    #[generator(yield = u32)]
    fn wrong_type() {
        yield!("one");
    }

    fn no_attribute() {
        yield!(1);
    }

    struct NotAFunction;
}

fn main() {
    let _ = in_closure();
    let _ = keyword();
    let _ = wrong_type();
}
