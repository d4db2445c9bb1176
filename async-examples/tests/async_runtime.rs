//! Async generators under real executors: tokio (current-thread,
//! multi-thread, paused clock, `LocalSet`) and `futures::executor`
//! (`block_on`, `LocalPool`).
//!
//! What is pinned down here:
//! - the executor's own waker reaches every future a body awaits (a body
//!   waiting for something another task or thread completes later is woken;
//!   every such test has a deadline so a lost wake-up fails instead of
//!   hanging);
//! - a generator that captures only `Send` state is `Send` (static
//!   assertions) and runs inside `tokio::spawn`, even moving between tasks
//!   while suspended or mid-resume;
//! - with tokio's paused clock, generators that sleep between yields and are
//!   merged run concurrently: total simulated time is the longest one's, not
//!   the sum, and their items interleave in time order;
//! - stream delegates that return `Pending` in the middle, and
//!   `futures::StreamExt` combinators on an `AsyncGen`.

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::stream::{self, StreamExt};
use pygen::{GenState, GeneratorState, Interrupt, generator, yield_, yield_catch, yield_from};
use tokio::time::{Instant, sleep, timeout};

// ---------------------------------------------------------------------------
// Scaffolding
// ---------------------------------------------------------------------------

/// Compiles only when `T: Send`.
fn assert_send<T: Send>(_: &T) {}

/// How long a test waits for a wake-up before calling it lost.
const DEADLINE: Duration = Duration::from_secs(10);

/// `fut`, or a failure if it does not finish within [`DEADLINE`] (under a
/// paused clock the deadline passes as soon as nothing else can run).
async fn within<T>(what: &str, fut: impl Future<Output = T>) -> T {
    match timeout(DEADLINE, fut).await {
        Ok(value) => value,
        Err(_) => panic!("{what}: no progress within {DEADLINE:?}; a wake-up was lost"),
    }
}

/// Runs `f` (which calls `futures::executor::block_on`) on its own thread
/// and fails if it does not finish within [`DEADLINE`]: `block_on` parks its
/// thread until woken, so a lost wake-up would hang forever.
fn on_thread_with_deadline<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(DEADLINE) {
        Ok(value) => value,
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            panic!("block_on did not finish within {DEADLINE:?}: a wake-up was lost")
        }
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
            panic!("the block_on thread panicked")
        }
    }
}

/// Elapsed simulated time in whole milliseconds.
fn ms_since(start: Instant) -> u128 {
    start.elapsed().as_millis()
}

/// Sets its flag when dropped.
struct SetOnDrop(Arc<AtomicBool>);

impl Drop for SetOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

// ---------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------

/// Counts 1..=n, yielding to the executor before each item.
#[generator(yield = u32)]
async fn numbers(n: u32) -> u32 {
    for i in 1..=n {
        tokio::task::yield_now().await;
        yield_!(i);
    }
    n
}

/// An accumulator driven by `asend`, sleeping a little between items.
#[generator(yield = u64, send = u64)]
async fn accumulate(step: Duration) -> u64 {
    let mut total = 0;
    loop {
        sleep(step).await;
        let add = yield_!(total);
        if add == 0 {
            return total;
        }
        total += add;
    }
}

/// What a worker reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Progress {
    name: &'static str,
    step: u32,
    percent: u32,
}

/// A long process: `steps` steps of `step` each, yielding its progress.
#[generator(yield = Progress)]
async fn worker(name: &'static str, step: Duration, steps: u32) -> Duration {
    let start = Instant::now();
    for i in 1..=steps {
        sleep(step).await;
        yield_!(Progress {
            name,
            step: i,
            percent: i * 100 / steps,
        });
    }
    start.elapsed()
}

/// Yields 1, then what the receiver delivers, and returns it.
#[generator(yield = u32)]
async fn relay_tokio(rx: tokio::sync::oneshot::Receiver<u32>) -> u32 {
    yield_!(1);
    let v = rx.await.expect("sender kept");
    yield_!(v);
    v
}

/// The same with futures' oneshot (no tokio anywhere).
#[generator(yield = u32)]
async fn relay_futures(rx: futures::channel::oneshot::Receiver<u32>) -> u32 {
    yield_!(1);
    let v = rx.await.expect("sender kept");
    yield_!(v);
    v
}

/// Yields 0, then everything the stream yields, then 99.
#[generator(yield = u32)]
async fn around<St: futures::Stream<Item = u32>>(inner: St) {
    yield_!(0);
    yield_from!(inner);
    yield_!(99);
}

/// Ticks `n` times, `period` apart, then finishes.
#[generator(yield = (&'static str, u32))]
async fn ticker(name: &'static str, period: Duration, n: u32) {
    for i in 0..n {
        sleep(period).await;
        yield_!((name, i));
    }
}

/// 0, 1, 2, … forever; counts what it produced and flags its drop.
#[generator(yield = u64)]
async fn naturals(produced: Arc<AtomicUsize>, dropped: Arc<AtomicBool>) {
    let _flag = SetOnDrop(dropped);
    let mut n = 0;
    loop {
        tokio::task::yield_now().await;
        produced.fetch_add(1, Ordering::SeqCst);
        yield_!(n);
        n += 1;
    }
}

// ---------------------------------------------------------------------------
// tokio, current thread
// ---------------------------------------------------------------------------

#[tokio::test]
async fn tokio_current_thread_drives_the_whole_protocol() {
    within("protocol", async {
        let mut g = accumulate(Duration::from_millis(1));
        assert_eq!(g.astart().await, Ok(GeneratorState::Yielded(0)));
        assert_eq!(g.asend(5).await, Ok(GeneratorState::Yielded(5)));
        assert_eq!(g.anext().await, Some(GeneratorState::Complete(5)));
        assert_eq!(g.state(), GenState::Closed);

        let all: Vec<u32> = numbers(4).collect().await;
        assert_eq!(all, [1, 2, 3, 4]);

        let mut g = std::pin::pin!(numbers(3).into_pinned());
        assert_eq!(g.as_mut().anext().await, Some(GeneratorState::Yielded(1)));
        assert_eq!(g.as_mut().aclose().await, Ok(None));
        assert_eq!(g.next().await, None);
    })
    .await;
}

#[tokio::test]
async fn tokio_current_thread_wakes_a_body_waiting_for_another_task() {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let sender = tokio::spawn(async move {
        sleep(Duration::from_millis(30)).await;
        tx.send(7).unwrap();
    });
    let mut g = relay_tokio(rx);
    assert_eq!(g.anext().await, Some(GeneratorState::Yielded(1)));
    let started = std::time::Instant::now();
    assert_eq!(
        within("relay", g.anext()).await,
        Some(GeneratorState::Yielded(7))
    );
    assert!(
        started.elapsed() >= Duration::from_millis(20),
        "it did wait"
    );
    assert_eq!(g.anext().await, Some(GeneratorState::Complete(7)));
    sender.await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn aclose_cleanup_that_sleeps_completes_under_tokio() {
    #[generator(yield = u32)]
    async fn uploader(log: Rc<RefCell<Vec<String>>>) -> &'static str {
        let mut sent = 0;
        loop {
            match yield_catch!(sent) {
                Ok(()) => sent += 1,
                Err(Interrupt::Close) => {
                    log.borrow_mut().push(format!("flushing {sent}"));
                    sleep(Duration::from_millis(250)).await;
                    log.borrow_mut().push("flushed".into());
                    return "flushed";
                }
            }
        }
    }

    let log = Rc::new(RefCell::new(Vec::new()));
    let mut g = uploader(log.clone());
    assert_eq!(g.anext().await, Some(GeneratorState::Yielded(0)));
    assert_eq!(g.anext().await, Some(GeneratorState::Yielded(1)));
    let start = Instant::now();
    assert_eq!(within("aclose", g.aclose()).await, Ok(Some("flushed")));
    assert_eq!(ms_since(start), 250, "the cleanup's sleep was awaited");
    assert_eq!(*log.borrow(), ["flushing 1", "flushed"]);
}

// ---------------------------------------------------------------------------
// tokio, multi-thread: Send, spawn
// ---------------------------------------------------------------------------

/// Captures only `Send` state (a `String`, an `Arc<Mutex<_>>` locked only
/// between awaits), so the generator is `Send`.
#[generator(yield = String, send = u32)]
async fn all_send(label: String, seen: Arc<Mutex<Vec<u32>>>) -> usize {
    let mut n = 0;
    loop {
        tokio::task::yield_now().await;
        let sent = yield_!(format!("{label}{n}"));
        if sent == u32::MAX {
            break;
        }
        seen.lock().unwrap().push(sent);
        sleep(Duration::from_millis(1)).await;
        n += 1;
    }
    seen.lock().unwrap().len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn send_generator_is_send_and_runs_in_tokio_spawn() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let g = all_send("item ".to_string(), seen.clone());
    assert_send(&g);
    let pinned = all_send(String::new(), seen.clone()).into_pinned();
    assert_send(&pinned);
    assert_send(&g.boxed());
    assert_send(&numbers(1));
    assert_send(&worker("w", Duration::ZERO, 1));

    let mut g = all_send("item ".to_string(), seen.clone());
    let handle = tokio::spawn(async move {
        let mut got = Vec::new();
        let mut resume = g.astart().await.unwrap();
        for value in 1..=3 {
            match resume {
                GeneratorState::Yielded(s) => got.push(s),
                other => panic!("unexpected {other:?}"),
            }
            resume = g.asend(value).await.unwrap();
        }
        got.push(format!("{resume:?}"));
        (got, g.asend(u32::MAX).await)
    });
    let (got, last) = within("spawned", handle).await.unwrap();
    assert_eq!(got, ["item 0", "item 1", "item 2", "Yielded(\"item 3\")"]);
    assert_eq!(last, Ok(GeneratorState::Complete(3)));
    assert_eq!(*seen.lock().unwrap(), [1, 2, 3]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_generators_in_many_tasks() {
    let tasks: Vec<_> = (0..64u32)
        .map(|k| {
            tokio::spawn(async move {
                let mut g = numbers(100 + k);
                let mut sum = 0u64;
                while let Some(GeneratorState::Yielded(i)) = g.anext().await {
                    sum += u64::from(i);
                }
                (sum, g.state())
            })
        })
        .collect();
    for (k, task) in tasks.into_iter().enumerate() {
        let n = 100 + k as u64;
        let (sum, state) = within("task", task).await.unwrap();
        assert_eq!(sum, n * (n + 1) / 2, "task {k}");
        assert_eq!(state, GenState::Closed);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn suspended_generator_moves_between_tasks() {
    let g = numbers(4);
    let (g, first) = tokio::spawn(async move {
        let mut g = g;
        let first = (g.anext().await, g.anext().await);
        (g, first)
    })
    .await
    .unwrap();
    assert_eq!(
        first,
        (
            Some(GeneratorState::Yielded(1)),
            Some(GeneratorState::Yielded(2))
        )
    );
    assert_eq!(g.state(), GenState::Suspended);
    let rest = tokio::spawn(async move {
        let mut g = g;
        let mut rest = Vec::new();
        while let Some(state) = g.anext().await {
            rest.push(state);
        }
        rest
    })
    .await
    .unwrap();
    assert_eq!(
        rest,
        [
            GeneratorState::Yielded(3),
            GeneratorState::Yielded(4),
            GeneratorState::Complete(4)
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn resume_started_in_one_task_is_finished_in_another() {
    // The body registers task A's waker with the receiver; A gives up (the
    // anext future is dropped by a timeout) and hands the generator to task
    // B, whose anext must re-register B's waker: the value sent later wakes
    // B, and no item is lost.
    let (tx, rx) = tokio::sync::oneshot::channel();
    let mut g = relay_tokio(rx);
    assert_eq!(g.anext().await, Some(GeneratorState::Yielded(1)));
    let g = tokio::spawn(async move {
        let mut g = g;
        assert!(
            timeout(Duration::from_millis(20), g.anext()).await.is_err(),
            "nothing sent yet"
        );
        assert_eq!(g.state(), GenState::Running);
        g
    })
    .await
    .unwrap();
    let b = tokio::spawn(async move {
        let mut g = g;
        let item = g.anext().await;
        (item, g.anext().await)
    });
    sleep(Duration::from_millis(30)).await;
    tx.send(42).unwrap();
    let (item, done) = within("task B", b).await.unwrap();
    assert_eq!(item, Some(GeneratorState::Yielded(42)));
    assert_eq!(done, Some(GeneratorState::Complete(42)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn multi_thread_wakes_a_body_waiting_for_another_task() {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let g = relay_tokio(rx);
    let consumer = tokio::spawn(async move { g.collect::<Vec<u32>>().await });
    tokio::spawn(async move {
        sleep(Duration::from_millis(30)).await;
        tx.send(5).unwrap();
    });
    assert_eq!(within("consumer", consumer).await.unwrap(), [1, 5]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn panic_in_a_spawned_generator_is_the_tasks_panic() {
    #[generator(yield = u32)]
    async fn fails_after(n: u32) {
        for i in 0..n {
            tokio::task::yield_now().await;
            yield_!(i);
        }
        panic!("generator failed after {n} items");
    }
    let handle = tokio::spawn(async move {
        let mut g = fails_after(2);
        while let Some(item) = g.next().await {
            assert!(item < 2);
        }
    });
    let err = within("task", handle).await.unwrap_err();
    assert!(err.is_panic());
    let payload = err.into_panic();
    let msg = payload
        .downcast_ref::<String>()
        .cloned()
        .unwrap_or_default();
    assert_eq!(msg, "generator failed after 2 items");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recursive_boxed_generator_in_spawned_task() {
    /// The leaves of a complete binary tree of `depth`, left to right.
    #[generator(yield = u32)]
    async fn leaves(depth: u32, label: u32) -> u32 {
        if depth == 0 {
            tokio::task::yield_now().await;
            yield_!(label);
            return 1;
        }
        let left = yield_from!(boxed_leaves(depth - 1, label * 2));
        sleep(Duration::from_millis(1)).await;
        let right = yield_from!(boxed_leaves(depth - 1, label * 2 + 1));
        left + right
    }
    // `leaves(..).boxed()` written inside `leaves` does not compile: `boxed`
    // needs the body to be `Send`, which rustc cannot decide for an opaque
    // type inside its own defining function (E0283). A function with the
    // boxed type spelled out breaks the cycle.
    fn boxed_leaves(depth: u32, label: u32) -> pygen::BoxAsyncGen<'static, u32, u32> {
        leaves(depth, label).boxed()
    }
    let g = boxed_leaves(4, 1);
    assert_send(&g);
    let (all, returned) = within(
        "tree",
        tokio::spawn(async move {
            let mut g = g;
            let mut all = Vec::new();
            loop {
                match g.anext().await {
                    Some(GeneratorState::Yielded(x)) => all.push(x),
                    Some(GeneratorState::Complete(n)) => break (all, n),
                    None => panic!("closed without completing"),
                }
            }
        }),
    )
    .await
    .unwrap();
    assert_eq!(all, (16..32).collect::<Vec<_>>());
    assert_eq!(returned, 16);
}

// ---------------------------------------------------------------------------
// tokio: LocalSet for generators that are not Send
// ---------------------------------------------------------------------------

#[tokio::test]
async fn non_send_generator_runs_on_a_local_set() {
    #[generator(yield = usize)]
    async fn shared_counter(counter: Rc<RefCell<usize>>) {
        for _ in 0..3 {
            tokio::task::yield_now().await;
            *counter.borrow_mut() += 1;
            let now = *counter.borrow();
            yield_!(now);
        }
    }
    let counter = Rc::new(RefCell::new(0));
    let local = tokio::task::LocalSet::new();
    let g = shared_counter(counter.clone());
    let got = local
        .run_until(async move {
            tokio::task::spawn_local(async move { g.collect::<Vec<_>>().await })
                .await
                .unwrap()
        })
        .await;
    assert_eq!(got, [1, 2, 3]);
    assert_eq!(*counter.borrow(), 3);
}

// ---------------------------------------------------------------------------
// futures::executor
// ---------------------------------------------------------------------------

#[test]
fn block_on_wakes_a_body_waiting_for_another_thread() {
    let got = on_thread_with_deadline(|| {
        let (tx, rx) = futures::channel::oneshot::channel();
        let sender = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(30));
            tx.send(11).unwrap();
        });
        let mut g = relay_futures(rx);
        let got = futures::executor::block_on(async {
            let mut got = Vec::new();
            while let Some(state) = g.anext().await {
                got.push(state);
            }
            got
        });
        sender.join().unwrap();
        got
    });
    assert_eq!(
        got,
        [
            GeneratorState::Yielded(1),
            GeneratorState::Yielded(11),
            GeneratorState::Complete(11)
        ]
    );
}

#[test]
fn block_on_stream_delegate_fed_by_another_thread() {
    let got = on_thread_with_deadline(|| {
        let (tx, rx) = futures::channel::mpsc::unbounded();
        let producer = std::thread::spawn(move || {
            for i in 1..=3 {
                std::thread::sleep(Duration::from_millis(10));
                tx.unbounded_send(i).unwrap();
            }
            // Dropping the sender ends the stream.
        });
        let got: Vec<u32> = futures::executor::block_on(around(rx).collect());
        producer.join().unwrap();
        got
    });
    assert_eq!(got, [0, 1, 2, 3, 99]);
}

#[test]
fn local_pool_runs_generators_side_by_side() {
    // Two tasks on one `LocalPool`, each consuming a generator whose body
    // gives the other task a turn before every item: the pool re-polls a
    // task only when it is woken, so the items interleave only if the body's
    // wake-up reaches the pool.
    let lines = on_thread_with_deadline(|| {
        use futures::task::LocalSpawnExt;

        #[generator(yield = u32)]
        async fn polite(n: u32) {
            for i in 0..n {
                YieldNow(false).await;
                yield_!(i);
            }
        }

        let mut pool = futures::executor::LocalPool::new();
        let log = Rc::new(RefCell::new(Vec::new()));
        for name in ["a", "b"] {
            let log = log.clone();
            pool.spawner()
                .spawn_local(async move {
                    let mut g = polite(3);
                    while let Some(i) = g.next().await {
                        log.borrow_mut().push(format!("{name}{i}"));
                    }
                })
                .unwrap();
        }
        pool.run();
        log.borrow().clone()
    });
    assert_eq!(lines, ["a0", "b0", "a1", "b1", "a2", "b2"]);
}

/// `Pending` once, waking the task at once (an executor-neutral
/// `yield_now`).
struct YieldNow(bool);

impl Future for YieldNow {
    type Output = ();

    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<()> {
        if self.0 {
            std::task::Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            std::task::Poll::Pending
        }
    }
}

// ---------------------------------------------------------------------------
// Paused clock: concurrency in simulated time
// ---------------------------------------------------------------------------

#[tokio::test(start_paused = true)]
async fn merged_generators_take_the_longest_time_not_the_sum() {
    // A: 3 × 300 ms = 900, B: 4 × 250 ms = 1000, C: 5 × 70 ms = 350;
    // the sum is 2250 ms.
    let start = Instant::now();
    let mut merged = stream::select_all([
        worker("A", Duration::from_millis(300), 3),
        worker("B", Duration::from_millis(250), 4),
        worker("C", Duration::from_millis(70), 5),
    ]);
    let mut events = Vec::new();
    while let Some(p) = within("merged", merged.next()).await {
        events.push((p.name, p.step, ms_since(start)));
    }
    assert_eq!(ms_since(start), 1000, "the longest, not the sum (2250)");
    assert_eq!(
        events,
        [
            ("C", 1, 70),
            ("C", 2, 140),
            ("C", 3, 210),
            ("B", 1, 250),
            ("C", 4, 280),
            ("A", 1, 300),
            ("C", 5, 350),
            ("B", 2, 500),
            ("A", 2, 600),
            ("B", 3, 750),
            ("A", 3, 900),
            ("B", 4, 1000),
        ],
        "interleaved in time order"
    );
}

#[tokio::test(start_paused = true)]
async fn generators_in_separate_tasks_run_concurrently() {
    let start = Instant::now();
    // 1000, 520 and 700 ms; no two events at the same instant.
    let specs = [("video", 200, 5), ("archive", 130, 4), ("upload", 350, 2)];
    let log = Arc::new(Mutex::new(Vec::new()));
    let tasks: Vec<_> = specs
        .into_iter()
        .map(|(name, step, steps)| {
            let log = log.clone();
            tokio::spawn(async move {
                let mut g = worker(name, Duration::from_millis(step), steps);
                loop {
                    match g.anext().await {
                        Some(GeneratorState::Yielded(p)) => {
                            log.lock()
                                .unwrap()
                                .push((p.name, p.percent, ms_since(start)));
                        }
                        Some(GeneratorState::Complete(took)) => break took,
                        None => panic!("closed without completing"),
                    }
                }
            })
        })
        .collect();
    let mut took = Vec::new();
    for task in tasks {
        took.push(within("worker", task).await.unwrap());
    }
    assert_eq!(
        took,
        [
            Duration::from_millis(1000),
            Duration::from_millis(520),
            Duration::from_millis(700)
        ],
        "each worker's own return value: its own duration"
    );
    assert_eq!(ms_since(start), 1000, "the longest, not the sum (2220)");
    assert_eq!(
        *log.lock().unwrap(),
        [
            ("archive", 25, 130),
            ("video", 20, 200),
            ("archive", 50, 260),
            ("upload", 50, 350),
            ("archive", 75, 390),
            ("video", 40, 400),
            ("archive", 100, 520),
            ("video", 60, 600),
            ("upload", 100, 700),
            ("video", 80, 800),
            ("video", 100, 1000),
        ],
        "interleaved in time order"
    );
}

#[tokio::test(start_paused = true)]
async fn tokio_select_losing_anext_loses_no_item() {
    // The consumer races each anext against a 30 ms tick; each item takes
    // 100 ms, so most anext futures are dropped mid-resume (Running) and
    // the next anext finishes the resume.
    let start = Instant::now();
    let mut g = worker("slow", Duration::from_millis(100), 5);
    let mut items = Vec::new();
    let mut ticks = 0;
    loop {
        tokio::select! {
            state = g.anext() => match state {
                Some(GeneratorState::Yielded(p)) => items.push((p.step, ms_since(start))),
                Some(GeneratorState::Complete(took)) => {
                    assert_eq!(took, Duration::from_millis(500));
                    break;
                }
                None => panic!("closed without completing"),
            },
            () = sleep(Duration::from_millis(30)) => {
                ticks += 1;
                assert_eq!(g.state(), GenState::Running);
            }
        }
    }
    assert_eq!(
        items,
        [(1, 100), (2, 200), (3, 300), (4, 400), (5, 500)],
        "every item, once, on time"
    );
    assert_eq!(ticks, 15, "three lost races per item");

    // The same with tokio::time::timeout.
    let mut g = worker("slow", Duration::from_millis(100), 1);
    assert!(timeout(Duration::from_millis(60), g.anext()).await.is_err());
    assert_eq!(g.state(), GenState::Running);
    assert_eq!(
        g.anext().await.and_then(GeneratorState::yielded),
        Some(Progress {
            name: "slow",
            step: 1,
            percent: 100
        })
    );
}

#[tokio::test(start_paused = true)]
async fn yields_after_tokio_select_inside_a_body() {
    // A yield cannot go inside `tokio::select!` (pygen cannot see what the
    // macro does with its arguments: a compile error); the body selects,
    // then yields what it got.
    #[generator(yield = (&'static str, u32))]
    async fn merge_two(
        mut a: tokio::sync::mpsc::Receiver<u32>,
        mut b: tokio::sync::mpsc::Receiver<u32>,
    ) -> u32 {
        let (mut a_open, mut b_open, mut n) = (true, true, 0);
        while a_open || b_open {
            let got = tokio::select! {
                v = a.recv(), if a_open => ("a", v),
                v = b.recv(), if b_open => ("b", v),
            };
            match got {
                (name, Some(v)) => {
                    yield_!((name, v));
                    n += 1;
                }
                ("a", None) => a_open = false,
                (_, None) => b_open = false,
            }
        }
        n
    }
    let (ta, ra) = tokio::sync::mpsc::channel(4);
    let (tb, rb) = tokio::sync::mpsc::channel(4);
    tokio::spawn(async move {
        for i in 0..3 {
            sleep(Duration::from_millis(100)).await;
            ta.send(i).await.unwrap();
        }
    });
    tokio::spawn(async move {
        for i in 0..2 {
            sleep(Duration::from_millis(170)).await;
            tb.send(10 + i).await.unwrap();
        }
    });
    let start = Instant::now();
    let mut g = merge_two(ra, rb);
    let mut got = Vec::new();
    loop {
        match within("merge", g.anext()).await {
            Some(GeneratorState::Yielded(item)) => got.push((item, ms_since(start))),
            Some(GeneratorState::Complete(n)) => {
                assert_eq!(n, 5);
                break;
            }
            None => panic!("closed without completing"),
        }
    }
    assert_eq!(
        got,
        [
            (("a", 0), 100),
            (("b", 10), 170),
            (("a", 1), 200),
            (("a", 2), 300),
            (("b", 11), 340)
        ]
    );
}

// ---------------------------------------------------------------------------
// Stream delegates that wait
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stream_delegate_pending_in_the_middle_is_woken_by_another_task() {
    // A tokio mpsc receiver as a Stream: pending until the producer task,
    // which pauses in the middle, sends again.
    let (tx, mut rx) = tokio::sync::mpsc::channel::<u32>(1);
    let inner = stream::poll_fn(move |cx| rx.poll_recv(cx));
    tokio::spawn(async move {
        tx.send(1).await.unwrap();
        tx.send(2).await.unwrap();
        sleep(Duration::from_millis(30)).await;
        tx.send(3).await.unwrap();
    });
    let got: Vec<u32> = within("delegate", around(inner).collect()).await;
    assert_eq!(got, [0, 1, 2, 3, 99]);
}

#[tokio::test(start_paused = true)]
async fn stream_delegates_of_other_crates_wait_inside_a_generator() {
    // async-stream's stream!, which passes its items through a thread-local,
    // delegated to from ours; and our generator delegated to from theirs.
    let theirs = async_stream::stream! {
        for i in 1..=3u32 {
            sleep(Duration::from_millis(100)).await;
            yield i;
        }
    };
    let start = Instant::now();
    let ours: Vec<(u32, u128)> = around(Box::pin(theirs))
        .map(|x| (x, ms_since(start)))
        .collect()
        .await;
    assert_eq!(ours, [(0, 0), (1, 100), (2, 200), (3, 300), (99, 300)]);

    let start = Instant::now();
    let nested = async_stream::stream! {
        let mut g = std::pin::pin!(ticker("t", Duration::from_millis(50), 3));
        while let Some((_, i)) = g.next().await {
            yield i * 10;
        }
    };
    let got: Vec<u32> = around(Box::pin(nested)).collect().await;
    assert_eq!(got, [0, 0, 10, 20, 99]);
    assert_eq!(ms_since(start), 150);
}

#[tokio::test(start_paused = true)]
async fn flat_delegation_to_generators_that_sleep() {
    #[generator(yield = Progress)]
    async fn pipeline() -> (Duration, Duration) {
        let first = yield_from!(worker("fetch", Duration::from_millis(40), 2));
        let second = yield_from!(worker("store", Duration::from_millis(60), 3));
        (first, second)
    }
    let start = Instant::now();
    let mut g = pipeline();
    let mut names = Vec::new();
    let result = loop {
        match g.anext().await {
            Some(GeneratorState::Yielded(p)) => names.push((p.name, p.step, ms_since(start))),
            Some(GeneratorState::Complete(r)) => break r,
            None => panic!("closed without completing"),
        }
    };
    assert_eq!(
        names,
        [
            ("fetch", 1, 40),
            ("fetch", 2, 80),
            ("store", 1, 140),
            ("store", 2, 200),
            ("store", 3, 260)
        ]
    );
    assert_eq!(
        result,
        (Duration::from_millis(80), Duration::from_millis(180))
    );
}

// ---------------------------------------------------------------------------
// StreamExt combinators
// ---------------------------------------------------------------------------

#[tokio::test]
async fn stream_ext_map_filter_enumerate_fold_chain() {
    let doubled: Vec<u32> = numbers(5).map(|x| x * 2).collect().await;
    assert_eq!(doubled, [2, 4, 6, 8, 10]);

    let odd: Vec<u32> = numbers(6)
        .filter(|x| futures::future::ready(x % 2 == 1))
        .collect()
        .await;
    assert_eq!(odd, [1, 3, 5]);

    let indexed: Vec<(usize, u32)> = numbers(3).enumerate().collect().await;
    assert_eq!(indexed, [(0, 1), (1, 2), (2, 3)]);

    let sum = numbers(10).fold(0, |acc, x| async move { acc + x }).await;
    assert_eq!(sum, 55);

    let chained: Vec<u32> = numbers(2).chain(numbers(3)).collect().await;
    assert_eq!(chained, [1, 2, 1, 2, 3]);

    let (small, large): (Vec<u32>, Vec<u32>) = numbers(6)
        .map(|x| {
            if x <= 3 {
                (Some(x), None)
            } else {
                (None, Some(x))
            }
        })
        .fold((Vec::new(), Vec::new()), |(mut s, mut l), (a, b)| {
            s.extend(a);
            l.extend(b);
            futures::future::ready((s, l))
        })
        .await;
    assert_eq!((small, large), (vec![1, 2, 3], vec![4, 5, 6]));
}

#[tokio::test]
async fn stream_ext_take_stops_and_drops_an_infinite_generator() {
    let produced = Arc::new(AtomicUsize::new(0));
    let dropped = Arc::new(AtomicBool::new(false));
    let first: Vec<u64> = naturals(produced.clone(), dropped.clone())
        .take(3)
        .collect()
        .await;
    assert_eq!(first, [0, 1, 2]);
    assert_eq!(
        produced.load(Ordering::SeqCst),
        3,
        "lazy: no item beyond the third"
    );
    assert!(
        dropped.load(Ordering::SeqCst),
        "dropping the Take dropped the suspended body"
    );

    // by_ref keeps the generator for later.
    let produced = Arc::new(AtomicUsize::new(0));
    let dropped = Arc::new(AtomicBool::new(false));
    let mut g = naturals(produced.clone(), dropped.clone());
    let a: Vec<u64> = g.by_ref().take(2).collect().await;
    let b: Vec<u64> = g.by_ref().skip(1).take(2).collect().await;
    assert_eq!((a, b), (vec![0, 1], vec![3, 4]));
    assert!(!dropped.load(Ordering::SeqCst));
    assert_eq!(g.state(), GenState::Suspended);
    assert_eq!(g.aclose().await, Ok(None));
    assert!(dropped.load(Ordering::SeqCst));
}

#[tokio::test(start_paused = true)]
async fn stream_ext_zip_waits_for_the_slower_side() {
    // Both sides run at once: a pair every 50 ms, not every 30 + 50.
    let start = Instant::now();
    type Tick = (&'static str, u32);
    let pairs: Vec<(Tick, Tick, u128)> = ticker("fast", Duration::from_millis(30), 3)
        .zip(ticker("slow", Duration::from_millis(50), 4))
        .map(|(a, b)| (a, b, ms_since(start)))
        .collect()
        .await;
    assert_eq!(
        pairs,
        [
            (("fast", 0), ("slow", 0), 50),
            (("fast", 1), ("slow", 1), 100),
            (("fast", 2), ("slow", 2), 150)
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn stream_ext_buffer_unordered_runs_other_futures_concurrently() {
    // The generator makes an item every 10 ms; each item becomes a future
    // that sleeps 100 ms × (5 - n). All four run at once: the results come
    // back shortest first, after 410 ms rather than the 1040 ms of one at
    // a time.
    let start = Instant::now();
    let results: Vec<(u32, u128)> = ticker("n", Duration::from_millis(10), 4)
        .map(|(_, i)| {
            let n = i + 1;
            async move {
                sleep(Duration::from_millis(100 * u64::from(5 - n))).await;
                (n * 10, ms_since(start))
            }
        })
        .buffer_unordered(4)
        .collect()
        .await;
    assert_eq!(results, [(40, 140), (30, 230), (20, 320), (10, 410)]);

    // `buffered` keeps the generator's order.
    let start = Instant::now();
    let ordered: Vec<u32> = numbers(4)
        .map(|n| async move {
            sleep(Duration::from_millis(100 * u64::from(5 - n))).await;
            n
        })
        .buffered(4)
        .collect()
        .await;
    assert_eq!(ordered, [1, 2, 3, 4]);
    assert_eq!(ms_since(start), 400);
}

#[tokio::test(start_paused = true)]
async fn stream_ext_for_each_concurrent_and_then() {
    let start = Instant::now();
    let done = Arc::new(Mutex::new(Vec::new()));
    numbers(3)
        .for_each_concurrent(None, |n| {
            let done = done.clone();
            async move {
                sleep(Duration::from_millis(100)).await;
                done.lock().unwrap().push(n);
            }
        })
        .await;
    assert_eq!(ms_since(start), 100, "all three slept at once");
    let mut done = done.lock().unwrap().clone();
    done.sort_unstable();
    assert_eq!(done, [1, 2, 3]);

    let start = Instant::now();
    let then: Vec<u32> = numbers(3)
        .then(|n| async move {
            sleep(Duration::from_millis(10)).await;
            n * n
        })
        .collect()
        .await;
    assert_eq!(then, [1, 4, 9]);
    assert_eq!(ms_since(start), 30, "`then` runs one at a time");
}

// ---------------------------------------------------------------------------
// tokio's async I/O in a body
// ---------------------------------------------------------------------------

#[tokio::test]
async fn body_reads_a_file_with_tokio_fs() {
    use tokio::io::AsyncBufReadExt;

    #[generator(yield = String)]
    async fn lines(path: std::path::PathBuf) -> std::io::Result<usize> {
        let file = tokio::fs::File::open(&path).await?;
        let mut lines = tokio::io::BufReader::new(file).lines();
        let mut n = 0;
        while let Some(line) = lines.next_line().await? {
            n += 1;
            yield_!(line);
        }
        Ok(n)
    }

    let path = std::env::temp_dir().join(format!(
        "pygen-async-runtime-{}-{:?}.txt",
        std::process::id(),
        std::thread::current().id()
    ));
    tokio::fs::write(&path, "first\nsecond\n\nfourth")
        .await
        .unwrap();
    let mut g = lines(path.clone());
    let mut got = Vec::new();
    let count = loop {
        match within("lines", g.anext()).await {
            Some(GeneratorState::Yielded(line)) => got.push(line),
            Some(GeneratorState::Complete(result)) => break result.unwrap(),
            None => panic!("closed without completing"),
        }
    };
    assert_eq!(got, ["first", "second", "", "fourth"]);
    assert_eq!(count, 4);
    tokio::fs::remove_file(&path).await.unwrap();

    // A missing file: the error is the return value, nothing is yielded.
    let mut g = lines(path);
    match g.anext().await {
        Some(GeneratorState::Complete(Err(e))) => {
            assert_eq!(e.kind(), std::io::ErrorKind::NotFound);
        }
        other => panic!("expected the open error, got {other:?}"),
    }
}
