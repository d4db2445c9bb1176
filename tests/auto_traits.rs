//! Auto traits of generators: `Send` / `Sync` follow the state the body
//! holds, `Gen` is always `Unpin`, `PinnedGen` is `Unpin` only when its body
//! is (an `async` body never is). Positive cases are static assertions;
//! negative ones are observed with an inherent-method probe (an inherent
//! method with a trait bound is chosen over a blanket trait method of the
//! same name only when the bound holds), which compiles either way and
//! reports the answer at run time.
//!
//! The compile-fail forms of the negative cases are in `tests/ui/`:
//! `rc_across_yield_is_not_send`, `non_send_argument_is_not_send`,
//! `cell_across_yield_is_not_sync` and `pinned_form_is_not_unpin`.

use std::cell::Cell;
use std::marker::PhantomData;
use std::pin::{Pin, pin};
use std::rc::Rc;
use std::sync::{Arc, Mutex};

use pygen::{BoxGenSend, Gen, GeneratorState, PinnedGen, generator, yield_, yield_from};

// ---------------------------------------------------------------------------
// Static assertions
// ---------------------------------------------------------------------------

fn assert_send<T: Send>(_: &T) {}
fn assert_sync<T: Sync>(_: &T) {}
fn assert_unpin<T: Unpin>(_: &T) {}

// ---------------------------------------------------------------------------
// Run-time probes for the negative cases
// ---------------------------------------------------------------------------

struct Probe<T: ?Sized>(PhantomData<T>);

fn probe<T: ?Sized>(_: &T) -> Probe<T> {
    Probe(PhantomData)
}

trait Fallback {
    fn is_send(&self) -> bool {
        false
    }
    fn is_sync(&self) -> bool {
        false
    }
    fn is_unpin(&self) -> bool {
        false
    }
}

impl<T: ?Sized> Fallback for Probe<T> {}

impl<T: ?Sized + Send> Probe<T> {
    fn is_send(&self) -> bool {
        true
    }
}

impl<T: ?Sized + Sync> Probe<T> {
    fn is_sync(&self) -> bool {
        true
    }
}

impl<T: ?Sized + Unpin> Probe<T> {
    fn is_unpin(&self) -> bool {
        true
    }
}

#[test]
fn probe_self_check() {
    assert!(probe(&1u8).is_send());
    assert!(!probe(&Rc::new(1)).is_send());
    assert!(probe(&1u8).is_sync());
    assert!(!probe(&Cell::new(1)).is_sync());
    assert!(probe(&1u8).is_unpin());
    assert!(!probe(&std::marker::PhantomPinned).is_unpin());
}

// ---------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------

/// Only `Send + Sync` state: a `Vec`, a `String`, an `Arc<Mutex<_>>`.
#[generator(yield = String)]
fn all_send(words: Vec<&'static str>, seen: Arc<Mutex<usize>>) -> usize {
    let mut prefix = String::from(">");
    for w in &words {
        *seen.lock().unwrap() += 1;
        yield_!(format!("{prefix}{w}"));
        prefix.push('>');
    }
    words.len()
}

/// A `Cell` (`Send`, not `Sync`) lives across a yield.
#[generator(yield = u32)]
fn send_not_sync(start: u32) {
    let counter = Cell::new(start);
    loop {
        yield_!(counter.get());
        counter.set(counter.get() + 1);
    }
}

/// An `Rc` lives across a yield: neither `Send` nor `Sync`.
#[generator(yield = u32)]
fn holds_rc(shared: Rc<u32>) {
    let copy = Rc::clone(&shared);
    yield_!(*copy);
    yield_!(*shared);
}

/// An `Rc` is created and dropped between yields, never held across one.
#[generator(yield = u32)]
fn rc_not_across_yield(n: u32) {
    for i in 0..n {
        let value = {
            let rc = Rc::new(i);
            *rc
        };
        yield_!(value);
    }
}

/// Borrows `Sync` data: `Send` because `&T: Send` when `T: Sync`.
#[generator(yield = &'a u32)]
fn borrows<'a>(data: &'a [u32]) {
    for x in data {
        yield_!(x);
    }
}

/// Delegates flat and through `&mut`, everything `Send`.
#[generator(yield = String)]
fn delegating(words: Vec<&'static str>) -> usize {
    let seen = Arc::new(Mutex::new(0));
    let mut inner = all_send(vec!["x", "y"], Arc::clone(&seen));
    let a = yield_from!(all_send(words, Arc::clone(&seen)));
    let b = yield_from!(&mut inner).unwrap_or(0);
    yield_from!(vec![String::from("tail")]);
    a + b + *seen.lock().unwrap()
}

// ---------------------------------------------------------------------------
// Send / Sync
// ---------------------------------------------------------------------------

#[test]
fn send_state_gives_send_and_sync_generators() {
    let g = all_send(vec!["a"], Arc::new(Mutex::new(0)));
    assert_send(&g);
    assert_sync(&g);
    assert_unpin(&g);

    let p = all_send(vec!["a"], Arc::new(Mutex::new(0))).into_pinned();
    assert_send(&p);
    assert_sync(&p);

    let d = delegating(vec!["a"]);
    assert_send(&d);
    assert_sync(&d);

    let data = [1, 2, 3];
    let b = borrows(&data);
    assert_send(&b);
    assert_sync(&b);

    let r = rc_not_across_yield(3);
    assert_send(&r);
    assert_sync(&r);
}

#[test]
fn started_generators_keep_their_auto_traits() {
    let mut g = all_send(vec!["a", "b"], Arc::new(Mutex::new(0)));
    g.next();
    assert_send(&g);
    assert_sync(&g);
    assert_unpin(&g);

    let mut p = Box::pin(all_send(vec!["a", "b"], Arc::new(Mutex::new(0))).into_pinned());
    p.as_mut().resume();
    assert_send(&p);
    assert_sync(&p);
}

#[test]
fn cell_across_yield_is_send_not_sync() {
    let g = send_not_sync(0);
    assert_send(&g);
    assert!(!probe(&g).is_sync());
    assert!(!probe(&g.into_pinned()).is_sync());
}

#[test]
fn rc_across_yield_is_not_send() {
    // Compile-time form (belongs in tests/ui): `std::thread::spawn(move ||
    // holds_rc(Rc::new(1)).count())` must fail with "`Rc<u32>` cannot be
    // sent between threads safely".
    let g = holds_rc(Rc::new(1));
    assert!(!probe(&g).is_send());
    assert!(!probe(&g).is_sync());
    let p = holds_rc(Rc::new(1)).into_pinned();
    assert!(!probe(&p).is_send());
    // Still Unpin as a `Gen`: unpinning never depends on the body.
    assert!(probe(&holds_rc(Rc::new(1))).is_unpin());
}

#[test]
fn boxed_send_is_send_and_boxed_is_not() {
    let g: BoxGenSend<'static, String, usize> =
        all_send(vec!["a"], Arc::new(Mutex::new(0))).boxed_send();
    assert_send(&g);
    let b = all_send(vec!["a"], Arc::new(Mutex::new(0))).boxed();
    // `BoxGen` erases the body to `dyn Future`, which is neither Send nor Sync.
    assert!(!probe(&b).is_send());
    assert_unpin(&b);
}

// ---------------------------------------------------------------------------
// Unpin
// ---------------------------------------------------------------------------

#[test]
fn gen_is_always_unpin() {
    assert_unpin(&all_send(vec![], Arc::new(Mutex::new(0))));
    assert_unpin(&send_not_sync(0));
    assert_unpin(&holds_rc(Rc::new(0)));
    let mut started = send_not_sync(0);
    started.next();
    assert_unpin(&started);
    // Unpin is what makes `Pin::new` (and `&mut g` delegation) possible.
    let mut g = send_not_sync(5);
    assert_eq!(
        pygen::Generator::resume(Pin::new(&mut g)),
        Some(GeneratorState::Yielded(5))
    );
}

#[test]
fn pinned_gen_is_not_unpin_with_an_async_body() {
    // The body is an `async` block, which is never `Unpin`: the pinned form
    // must be pinned before use (the `pin!` below is required).
    let p = send_not_sync(0).into_pinned();
    assert!(!probe(&p).is_unpin());
    assert!(!probe(&holds_rc(Rc::new(1)).into_pinned()).is_unpin());
    let mut p = pin!(p);
    assert_eq!(p.as_mut().resume(), Some(GeneratorState::Yielded(0)));
    // A pinned pointer to it is Unpin, of course.
    assert_unpin(&p);
}

#[test]
fn pinned_gen_follows_its_body_type() {
    // `PinnedGen<F>` is `Unpin` exactly when `F` is (checked on named
    // body types, wrapped as the macro wraps a body, since only the macro
    // builds real ones).
    type Named<F> = pygen::__private::BodyOf<F, false>;
    fn assert_unpin_type<T: Unpin>() {}
    assert_unpin_type::<PinnedGen<Named<std::future::Ready<u8>>, u32>>();
    assert!(Probe::<PinnedGen<Named<std::future::Ready<u8>>, u32>>(PhantomData).is_unpin());
    assert!(!Probe::<PinnedGen<Named<NotUnpinFuture>, u32>>(PhantomData).is_unpin());
    // `Gen` is Unpin whatever the body.
    assert_unpin_type::<Gen<Named<NotUnpinFuture>, u32>>();
}

/// A future that is not `Unpin`.
struct NotUnpinFuture(std::marker::PhantomPinned);

impl std::future::Future for NotUnpinFuture {
    type Output = ();
    fn poll(self: Pin<&mut Self>, _: &mut std::task::Context<'_>) -> std::task::Poll<()> {
        std::task::Poll::Ready(())
    }
}

// ---------------------------------------------------------------------------
// Moving generators to other threads
// ---------------------------------------------------------------------------

#[test]
fn unstarted_generator_consumed_on_another_thread() {
    let seen = Arc::new(Mutex::new(0));
    let g = all_send(vec!["a", "b", "c"], Arc::clone(&seen));
    let items = std::thread::spawn(move || g.collect::<Vec<_>>())
        .join()
        .unwrap();
    assert_eq!(items, [">a", ">>b", ">>>c"]);
    assert_eq!(*seen.lock().unwrap(), 3);
}

#[test]
fn started_generator_finished_on_another_thread() {
    let seen = Arc::new(Mutex::new(0));
    let mut g = all_send(vec!["a", "b", "c"], Arc::clone(&seen));
    assert_eq!(g.next().as_deref(), Some(">a"));
    let (rest, ret) = std::thread::spawn(move || {
        let rest: Vec<String> = g.by_ref().take(2).collect();
        (rest, g.resume())
    })
    .join()
    .unwrap();
    assert_eq!(rest, [">>b", ">>>c"]);
    assert_eq!(ret, Some(GeneratorState::Complete(3)));
    assert_eq!(*seen.lock().unwrap(), 3);
}

#[test]
fn delegating_generator_on_another_thread() {
    let g = delegating(vec!["p", "q"]);
    let (items, ret) = std::thread::spawn(move || {
        let mut g = g;
        let items: Vec<String> = g.by_ref().collect();
        (items, g.state())
    })
    .join()
    .unwrap();
    assert_eq!(items, [">p", ">>q", ">x", ">>y", "tail"]);
    assert_eq!(ret, pygen::GenState::Closed);
}

#[test]
fn boxed_pinned_generator_on_another_thread() {
    let seen = Arc::new(Mutex::new(0));
    let mut p = Box::pin(all_send(vec!["a", "b"], Arc::clone(&seen)).into_pinned());
    assert_eq!(
        p.as_mut().resume(),
        Some(GeneratorState::Yielded(">a".to_string()))
    );
    let items = std::thread::spawn(move || p.as_mut().iter().collect::<Vec<_>>())
        .join()
        .unwrap();
    assert_eq!(items, [">>b"]);
}

#[test]
fn generator_type_is_nameable_for_a_send_bound() {
    // A function generic over a Send generator accepts ours.
    fn run_elsewhere<G>(g: G) -> Vec<G::Item>
    where
        G: Iterator + Send + 'static,
        G::Item: Send,
    {
        std::thread::spawn(move || g.collect()).join().unwrap()
    }
    fn boxed(n: u32) -> Gen<impl pygen::Body<Output = ()> + Send, u32> {
        rc_not_across_yield(n)
    }
    assert_eq!(run_elsewhere(boxed(3)), [0, 1, 2]);
    assert_eq!(run_elsewhere(send_not_sync(7).take(2)), [7, 8]);
}

// ---------------------------------------------------------------------------
// Async generators: the same rules for `AsyncGen` and `PinnedAsyncGen`
// ---------------------------------------------------------------------------

#[generator(yield = usize)]
async fn async_all_send(words: Vec<&'static str>) -> usize {
    for w in &words {
        std::future::ready(()).await;
        yield_!(w.len());
    }
    words.len()
}

#[generator(yield = u32)]
async fn async_rc_across_await(shared: Rc<u32>) {
    std::future::ready(()).await;
    yield_!(*shared);
}

#[generator(yield = u32)]
async fn async_cell_across_yield(start: u32) {
    let c = Cell::new(start);
    yield_!(c.get());
    c.set(c.get() + 1);
    yield_!(c.get());
}

#[test]
fn async_generators_follow_their_captured_state() {
    let g = async_all_send(vec!["a", "bb"]);
    assert_send(&g);
    assert_sync(&g);
    assert_unpin(&g);
    let pinned = async_all_send(vec!["a"]).into_pinned();
    assert_send(&pinned);
    assert_sync(&pinned);
    // The async body is not `Unpin`, so neither is the pinned form.
    assert!(!probe(&pinned).is_unpin());

    let rc = async_rc_across_await(Rc::new(1));
    assert!(!probe(&rc).is_send());
    assert!(!probe(&rc).is_sync());
    assert_unpin(&rc);

    let cell = async_cell_across_yield(1);
    assert_send(&cell);
    assert!(!probe(&cell).is_sync());
    let cell_pinned = async_cell_across_yield(1).into_pinned();
    assert_send(&cell_pinned);
    assert!(!probe(&cell_pinned).is_sync());
}

#[test]
fn a_started_async_generator_keeps_its_auto_traits() {
    futures::executor::block_on(async {
        let mut g = async_all_send(vec!["abc"]);
        assert_eq!(g.anext().await, Some(GeneratorState::Yielded(3)));
        assert_send(&g);
        assert_sync(&g);
        assert_unpin(&g);
    });
}

// ---------------------------------------------------------------------------
// The inline form: what it captures decides, as for a closure. (The probe
// cannot observe a negative answer here: the inline form's type is not
// opaque, and rustc reports a failed bound of the inherent method instead of
// falling back; the negative cases are tests/ui/inline_*.)
// ---------------------------------------------------------------------------

#[test]
fn inline_generators_follow_what_they_capture() {
    let words = vec!["a", "bc"];
    let seen = Arc::new(Mutex::new(0));
    // By reference: `&Vec<&str>` is Send and Sync.
    let by_ref = pygen::generate!(|| {
        for w in &words {
            *seen.lock().unwrap() += 1;
            yield_!(w.len());
        }
    });
    assert_send(&by_ref);
    assert_sync(&by_ref);
    assert_unpin(&by_ref);
    assert_eq!(by_ref.collect::<Vec<_>>(), [1, 2]);

    // A `Cell` held across a yield: Send, not Sync (`Sync` is refused in
    // tests/ui/inline_cell_is_not_sync.rs, `Send` of a captured `Rc` in
    // tests/ui/inline_rc_capture_is_not_send.rs).
    let counter = Arc::new(Mutex::new(0u32));
    let cell = pygen::generate!(move || {
        let local = Cell::new(1u32);
        yield_!(local.get());
        *counter.lock().unwrap() = local.get();
    });
    assert_send(&cell);

    // An async one, moved onto another thread and driven there.
    let items = vec![1u32, 2];
    let stream = pygen::generate!(async move || {
        for i in items {
            yield_!(i);
        }
    });
    assert_send(&stream);
    let collected = std::thread::spawn(move || {
        use futures::StreamExt;
        futures::executor::block_on(stream.collect::<Vec<_>>())
    })
    .join()
    .unwrap();
    assert_eq!(collected, [1, 2]);
}
