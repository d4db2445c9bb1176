//! What counts as a misuse: each check adds what it finds to `Errors` (or
//! hands back the error of a yield, which the expansion puts where the
//! yield was), and none stops the expansion, so that every misuse of a
//! build is reported at once, each at its own token.
//!
//! The checks of the function as a whole (function.rs) run before the
//! expansion; those of the body (body.rs, and polymorphic.rs for a
//! recursion whose argument wraps a generic parameter) are called by the
//! pass that rewrites it, at each yield, `.await` and macro call it meets, so that
//! what is reported and what is rewritten can never disagree. The texts
//! are in messages.rs.

mod body;
mod function;
mod polymorphic;

pub use body::{
    argument, await_in_sync, calls_itself, delegation_to_itself, keyword_yield, out_of_reach,
    recursive_call, unfinished_argument, yield_in_standard_macro, yield_in_unknown_macro,
};
pub use function::{boxed_send, not_a_function, primed, signature};
pub use polymorphic::{GenericArgs, polymorphic_recursion};
