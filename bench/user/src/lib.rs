//! pygen as a user builds it: the generator functions live in
//! [`generators`], the code that drives them in [`consumers`], and pygen is
//! an ordinary dependency. `scripts/user_bench.sh` counts the instructions
//! per item of every workload with callgrind, in the default release
//! profile and with `codegen-units = 1` + `lto = "fat"` (the workspace's
//! `release-lto` profile), so that no number depends on how rustc happened
//! to split this crate into codegen units.

pub mod consumers;
pub mod generators;
pub mod hand;
