//! The signals that cross a resume: what a resume delivers to the yield
//! the body is suspended at ([`Input`]), what the body leaves for the
//! driver ([`Output`]), and what one poll of a body came to ([`Step`]).

/// What a resume delivers to the yield point the body is suspended at.
pub(crate) enum Input<S, E> {
    /// `next()`: the send type's default value, which a `yield_from!` of a
    /// plain iterator may pass on (Python converts `send(None)` to `next`).
    Next(S),
    /// `send(s)`: an explicit value.
    Send(S),
    /// `throw(e)`.
    Throw(E),
    /// `close()`.
    Close,
}

/// What a body left for the driver when it suspended.
pub(crate) enum Output<Y, S> {
    /// Nothing: the body awaited something that is not a yield.
    Empty,
    /// A yield was polled again without a resume's value: a broken
    /// invariant of the drivers, reported by them (a store here instead of
    /// a panic call in every yield keeps bodies small enough to inline).
    Missing,
    /// A `yield_!` handed out this value.
    Yielded(Y),
    /// A `yield_from!` of a plain iterator could not take this sent value;
    /// the body stays suspended where it was.
    Rejected(S),
    /// A close reached a yield that does not catch it: the driver drops the
    /// body in place, which runs the destructors of every live local.
    Abandoned,
}

/// What a synchronous body left when its poll returned `Pending`.
#[cfg_attr(not(debug_assertions), inline(always))]
pub(crate) fn suspended<Y, R, S>(output: Output<Y, S>) -> Step<Y, R, S> {
    match output {
        Output::Yielded(y) => Step::Yielded(y),
        Output::Rejected(s) => Step::Rejected(s),
        Output::Abandoned => Step::Abandoned,
        Output::Empty => crate::util::panics::awaited_foreign_future(),
        Output::Missing => crate::util::panics::resumed_without_value(),
    }
}

/// What one poll of a body came to, from the driver's side.
pub(crate) enum Step<Y, R, S> {
    Yielded(Y),
    Complete(R),
    Rejected(S),
    Abandoned,
}
