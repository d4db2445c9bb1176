//! [`Captures`]: how a generator function's return type says what the
//! generator borrows.

/// Says that a type may borrow for the lifetimes `T` names. Every type
/// implements it for every `T`, so it bounds nothing; it names lifetimes in
/// an `impl Trait`.
///
/// A generator holds its arguments from the call until it finishes: its
/// body runs at the first resume, not at the call. So the generator borrows
/// what its arguments borrow, and `#[generator]` writes that into the
/// function's return type: one `Captures` naming each lifetime the
/// arguments borrow for, `&'a ()` for one, `(&'a (), &'b ())` for more (an
/// elided one gets a name of its own, after its argument):
///
/// ```text
/// fn count<'n_>(n: &'n_ u32)
///     -> Gen<impl Body<Output = u32> + Captures<&'n_ ()>, u32, (), NoThrow>
/// ```
///
/// One bound with a type, not one bound per lifetime: rustc refuses two
/// bounds of one trait that differ only in their lifetimes on a return
/// type in a trait's provided method.
///
/// It changes nothing that compiles. It changes what rustc says when a
/// caller changes a value a live generator borrows: without it, rustc
/// reads the capture as implicit and suggests a `+ use<..>` bound that
/// cannot apply (the generator does hold the reference); with it, the
/// error is the borrow alone. A trait method declared to return
/// `Gen<impl Body<Output = R>, Y>` may be implemented by a `#[generator]`
/// method: the bound refines the trait's return type, and the expansion
/// allows `refining_impl_trait` on the method.
pub trait Captures<T: ?Sized> {}

impl<T: ?Sized, U: ?Sized> Captures<U> for T {}
