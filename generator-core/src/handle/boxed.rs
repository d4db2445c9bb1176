//! Type-erased generators: a body boxed behind `dyn Future`, which is what
//! a recursive generator needs (a body cannot contain itself, but it can
//! contain a box), and what a `Vec` of stages or a `dyn` trait holds.

use alloc::boxed::Box;
use core::future::Future;
use core::pin::Pin;

use crate::body::Body;
use crate::handle::async_movable::AsyncGen;
use crate::handle::movable::Gen;
use crate::protocol::state::NoThrow;

/// A generator whose body is boxed and type-erased: what [`Gen::boxed`]
/// returns, and what a recursive generator delegates to.
pub type BoxGen<'a, Y, R, S = (), E = NoThrow> =
    Gen<Pin<Box<dyn Future<Output = R> + 'a>>, Y, S, E>;

/// [`BoxGen`] for a `Send` body: what [`Gen::boxed_send`] returns.
pub type BoxGenSend<'a, Y, R, S = (), E = NoThrow> =
    Gen<Pin<Box<dyn Future<Output = R> + Send + 'a>>, Y, S, E>;

/// An async generator whose body is boxed, type-erased and `Send`: what
/// [`AsyncGen::boxed`] returns, for recursive async generators.
pub type BoxAsyncGen<'a, Y, R, S = (), E = NoThrow> =
    AsyncGen<Pin<Box<dyn Future<Output = R> + Send + 'a>>, Y, S, E>;

impl<F, Y, S, E> Gen<F, Y, S, E>
where
    F: Body,
{
    /// Erases the body's type behind one more allocation, which is what a
    /// recursive generator needs: a body cannot contain itself, but it can
    /// contain a box.
    ///
    /// ```
    /// use pygen::{generator, yield_, yield_from, BoxGen};
    ///
    /// struct Tree { value: u32, children: Vec<Tree> }
    ///
    /// #[generator(yield = u32)]
    /// fn walk(tree: &Tree) {
    ///     yield_!(tree.value);
    ///     for child in &tree.children {
    ///         yield_from!(walk(child).boxed());
    ///     }
    /// }
    ///
    /// let tree = Tree { value: 1, children: vec![Tree { value: 2, children: vec![] }] };
    /// assert_eq!(walk(&tree).collect::<Vec<_>>(), [1, 2]);
    /// ```
    ///
    /// # Panics
    ///
    /// When the generator has already started (see [`Gen::into_pinned`]).
    pub fn boxed<'a>(self) -> BoxGen<'a, Y, F::Output, S, E>
    where
        F: 'a,
    {
        Gen {
            repr: self.repr.map_body("Gen::boxed", |body| Box::pin(body) as _),
        }
    }

    /// [`Gen::boxed`] for a body that is `Send`, giving a `Send` generator.
    ///
    /// # Panics
    ///
    /// When the generator has already started (see [`Gen::into_pinned`]).
    pub fn boxed_send<'a>(self) -> BoxGenSend<'a, Y, F::Output, S, E>
    where
        F: Send + 'a,
    {
        Gen {
            repr: self
                .repr
                .map_body("Gen::boxed_send", |body| Box::pin(body) as _),
        }
    }
}

impl<F, Y, S, E> AsyncGen<F, Y, S, E>
where
    F: Body,
{
    /// Erases the body's type behind one more allocation, for recursive
    /// async generators (see [`Gen::boxed`](crate::Gen::boxed)). The body
    /// must be `Send`; rustc cannot check that from inside the generator's
    /// own function, so box the recursive call in a small function that
    /// names the boxed type:
    ///
    /// ```
    /// use futures::StreamExt;
    /// use pygen::{generator, yield_, yield_from, BoxAsyncGen};
    ///
    /// struct Tree { value: u32, children: Vec<Tree> }
    ///
    /// fn walk(tree: &Tree) -> BoxAsyncGen<'_, u32, ()> {
    ///     walk_unboxed(tree).boxed()
    /// }
    ///
    /// #[generator(yield = u32)]
    /// async fn walk_unboxed(tree: &Tree) {
    ///     yield_!(tree.value);
    ///     for child in &tree.children {
    ///         yield_from!(walk(child));
    ///     }
    /// }
    ///
    /// let leaf = |value| Tree { value, children: vec![] };
    /// let tree = Tree { value: 1, children: vec![leaf(2), Tree { value: 3, children: vec![leaf(4)] }] };
    /// let values: Vec<u32> = futures::executor::block_on(walk(&tree).collect());
    /// assert_eq!(values, [1, 2, 3, 4]);
    /// ```
    ///
    /// # Panics
    ///
    /// When the generator has already started.
    pub fn boxed<'a>(self) -> BoxAsyncGen<'a, Y, F::Output, S, E>
    where
        F: Send + 'a,
    {
        AsyncGen {
            repr: self
                .repr
                .map_body("AsyncGen::boxed", |body| Box::pin(body) as _),
        }
    }
}
