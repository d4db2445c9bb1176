//! [`Recursive`]: a generator written inline that makes more of itself, as
//! a nested Python generator function calls itself.

use alloc::rc::Rc;
use core::fmt;

use crate::body::Body;
use crate::handle::boxed::BoxGen;
use crate::handle::movable::Gen;

/// A closure that can call itself: what an inline generator needs to
/// recurse, since a Rust closure cannot name itself.
///
/// `Recursive::new(|me, arg| ..)` wraps a closure that receives a handle on
/// itself (`me`) besides its argument; `me.call(arg)` calls it again.
/// Written with `pygen::generate!` and
/// [`.boxed()`](crate::Gen::boxed) it is Python's nested recursive
/// generator, capturing the variables around it:
///
/// ```
/// use pygen::{generate, yield_, yield_from, BoxGen, Recursive};
///
/// let children = &vec![vec![1, 2], vec![], vec![]];
/// let names = ["root", "left", "right"];
/// // Python: def walk(node): yield names[node]; for c in children[node]: yield from walk(c)
/// let walk = Recursive::<usize, BoxGen<&str, ()>>::new(|walk, node| {
///     generate!(move || {
///         yield_!(names[node]);
///         for &child in &children[node] {
///             yield_from!(walk.call(child));
///         }
///     })
/// });
/// assert_eq!(walk.call(0).collect::<Vec<_>>(), ["root", "left", "right"]);
/// ```
///
/// A generator that holds a generator of its own type would contain itself,
/// so `call` returns the generator boxed ([`BoxGen`]), as a recursive
/// generator function delegates to `.boxed()`; the closure returns it
/// unboxed. Name the argument's type and
/// the boxed one in the call of `new`, as above (`Recursive::<A, G>::new`,
/// or a type alias): inside the closure,
/// `walk.call(child)` is used before the closure's result is known, and
/// `yield_from!` must know what its delegate returns. The generator is
/// `move`, to keep the handle and the argument it was made with; what it
/// borrows from around it is captured as a reference (`children` above). The handle is a reference-counted pointer to the closure:
/// `call` clones it into the closure's argument (no allocation), so that
/// the generator it makes can keep it.
pub struct Recursive<'f, A, G> {
    make: Rc<dyn Fn(Recursive<'f, A, G>, A) -> G + 'f>,
}

impl<'f, A: 'f, G: 'f> Recursive<'f, A, G> {
    /// Wraps `make`, which receives a handle on itself and the argument,
    /// and returns a generator that `call` boxes into `G`.
    #[must_use]
    pub fn new<T: IntoBoxed<G>>(make: impl Fn(Self, A) -> T + 'f) -> Self {
        Recursive {
            make: Rc::new(move |me, arg| make(me, arg).into_boxed()),
        }
    }

    /// Calls the closure with `arg` (and a handle on itself).
    pub fn call(&self, arg: A) -> G {
        (self.make)(self.clone(), arg)
    }
}

impl<A, G> Clone for Recursive<'_, A, G> {
    fn clone(&self) -> Self {
        Recursive {
            make: Rc::clone(&self.make),
        }
    }
}

impl<A, G> fmt::Debug for Recursive<'_, A, G> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Recursive").finish_non_exhaustive()
    }
}

/// A generator that boxes into `B`: [`Gen`] into [`BoxGen`] (the bound of
/// [`Recursive::new`]).
pub trait IntoBoxed<B> {
    /// The generator, boxed ([`Gen::boxed`]).
    fn into_boxed(self) -> B;
}

impl<'a, F: Body + 'a, Y, S, E> IntoBoxed<BoxGen<'a, Y, F::Output, S, E>> for Gen<F, Y, S, E> {
    fn into_boxed(self) -> BoxGen<'a, Y, F::Output, S, E> {
        self.boxed()
    }
}
