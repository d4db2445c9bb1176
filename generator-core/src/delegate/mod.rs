//! The delegate layer: `yield_from!`. The dispatch that picks a delegation
//! for the argument's type ([`dispatch`]) and, written beside it on the
//! same rules, the probe that checks the argument first ([`probe`],
//! [`checks`]: the errors a user reads), the types the expansion reads its
//! result through ([`outcome`]), and the futures a delegation awaits: the
//! flat frame of a fresh generator of the same types ([`flat`]), the loops
//! over any generator ([`generator_loop`], [`nothing_loop`]), a stream
//! ([`stream_loop`]) or an iterator ([`iter_loop`]), and the stand-in of a
//! rejected argument ([`rejected`]).

pub(crate) mod checks;
pub(crate) mod dispatch;
pub(crate) mod flat;
pub(crate) mod generator_loop;
pub(crate) mod iter_loop;
pub(crate) mod outcome;
pub(crate) mod probe;
pub(crate) mod rejected;
pub(crate) mod stream_loop;
