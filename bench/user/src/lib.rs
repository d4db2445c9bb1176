//! pygen as a user builds it: the generator functions live in
//! [`generators`], the code that drives them in [`consumers`], and pygen is
//! an ordinary dependency. The benchmarks (`benches/instructions.rs`, whose
//! instruction counts gate CI, and `benches/time.rs`) run each of
//! [`cells::CELLS`], in the default release profile and with
//! `codegen-units = 1` + `lto = "fat"` (the workspace's `release-lto`
//! profile), so that no number depends on how rustc happened to split this
//! crate into codegen units. No counting allocator here: it changes what
//! LLVM does with the loops it measures.

pub mod cells;
pub mod consumers;
pub mod generators;
pub mod hand;
