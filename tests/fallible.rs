//! Generators whose body fails with `?`: where the error surfaces for each
//! way of consuming them.
//!
//! - As an `Iterator` (a `for` loop, `collect()`) or a `Stream`, a generator
//!   keeps only its yielded values: the body's `Err` is its return value,
//!   which these consumers drop, so the iteration just ends early.
//! - `try_iter()` / `into_try_stream()` / `try_stream()` yield `Ok(y)` for
//!   each value and then the body's `Err(e)` as the last item; an `Ok(t)`
//!   return ends them and is kept (`return_value()`).
//! - The async forms drop and remake their `anext()` future on every poll;
//!   a poll that loses a race loses nothing.

use std::num::ParseIntError;
use std::pin::pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::stream::StreamExt;
use futures::{FutureExt, TryStreamExt};
use pygen::{
    GenState, GeneratorState, TryGenStream, TryIter, generator, yield_, yield_catch, yield_from,
};

/// Parses each word; the first word that is not a number ends the body
/// with its `ParseIntError`.
#[generator(yield = u32)]
fn numbers(text: &'static str) -> Result<(), ParseIntError> {
    for word in text.split_whitespace() {
        yield_!(word.parse()?);
    }
    Ok(())
}

/// Like [`numbers`], but returns how many it parsed.
#[generator(yield = u32)]
fn counted(text: &'static str) -> Result<usize, ParseIntError> {
    let mut count = 0;
    for word in text.split_whitespace() {
        yield_!(word.parse()?);
        count += 1;
    }
    Ok(count)
}

fn parse_error(word: &str) -> ParseIntError {
    word.parse::<u32>().unwrap_err()
}

// ---------------------------------------------------------------------------
// Synchronous: `for` loops
// ---------------------------------------------------------------------------

#[test]
fn a_for_loop_over_the_generator_ends_early_and_never_sees_the_error() {
    let mut seen = Vec::new();
    let mut g = numbers("1 2 x 4");
    for n in &mut g {
        seen.push(n);
    }
    // The loop stopped at the error without a word: only the generator's
    // state says it is over, and the error is gone with the return value.
    assert_eq!(seen, [1, 2]);
    assert_eq!(g.state(), GenState::Closed);
    assert_eq!(g.resume(), None);
}

#[test]
fn the_return_value_is_where_the_error_was() {
    let mut g = numbers("1 x");
    assert_eq!(g.resume(), Some(GeneratorState::Yielded(1)));
    assert_eq!(
        g.resume(),
        Some(GeneratorState::Complete(Err(parse_error("x"))))
    );
}

#[test]
fn a_for_loop_over_try_iter_gets_the_error_as_its_last_item() {
    let mut items = Vec::new();
    for item in numbers("1 2 x 4").try_iter() {
        items.push(item);
    }
    assert_eq!(items, [Ok(1), Ok(2), Err(parse_error("x"))]);
}

#[test]
fn try_iter_with_question_mark_in_the_loop() {
    fn sum(text: &'static str) -> Result<u32, ParseIntError> {
        let mut total = 0;
        for n in numbers(text).try_iter() {
            total += n?;
        }
        Ok(total)
    }
    assert_eq!(sum("1 2 3"), Ok(6));
    assert_eq!(sum("1 two 3"), Err(parse_error("two")));
}

// ---------------------------------------------------------------------------
// Synchronous: `collect()`
// ---------------------------------------------------------------------------

#[test]
fn collect_over_the_generator_drops_the_error() {
    let all: Vec<u32> = numbers("1 2 x 4").collect();
    assert_eq!(all, [1, 2]);
}

#[test]
fn collect_into_a_result_through_try_iter() {
    let failed: Result<Vec<u32>, _> = numbers("1 2 x 4").try_iter().collect();
    assert_eq!(failed, Err(parse_error("x")));

    let parsed: Result<Vec<u32>, _> = numbers("1 2 3").try_iter().collect();
    assert_eq!(parsed, Ok(vec![1, 2, 3]));

    let nothing: Result<Vec<u32>, _> = numbers("").try_iter().collect();
    assert_eq!(nothing, Ok(vec![]));
}

#[test]
fn collect_the_results_themselves() {
    let items: Vec<Result<u32, _>> = numbers("7 y").try_iter().collect();
    assert_eq!(items, [Ok(7), Err(parse_error("y"))]);
}

#[test]
fn an_error_before_the_first_yield_is_the_only_item() {
    let items: Vec<_> = numbers("z 1").try_iter().collect();
    assert_eq!(items, [Err(parse_error("z"))]);
}

#[test]
fn try_iter_is_fused_after_the_error() {
    let mut it = numbers("x").try_iter();
    assert_eq!(it.next(), Some(Err(parse_error("x"))));
    assert_eq!(it.next(), None);
    assert_eq!(it.next(), None);
    assert_eq!(it.return_value(), None);
}

#[test]
fn the_ok_value_is_kept() {
    let mut it = counted("4 5 6").try_iter();
    assert_eq!(it.return_value(), None, "not returned yet");
    let all: Result<Vec<u32>, _> = it.by_ref().collect();
    assert_eq!(all, Ok(vec![4, 5, 6]));
    assert_eq!(it.return_value(), Some(&3));
    assert_eq!(it.next(), None);
    assert_eq!(it.into_return_value(), Some(3));

    // No `Ok` value after an error.
    let mut failed = counted("4 x").try_iter();
    assert_eq!(failed.by_ref().count(), 2);
    assert_eq!(failed.into_return_value(), None);
}

#[test]
fn try_iter_over_a_borrowed_generator_keeps_it() {
    let mut g = numbers("1 2 3 x");
    let first_two: Vec<_> = TryIter::new(&mut g).take(2).collect();
    assert_eq!(first_two, [Ok(1), Ok(2)]);
    assert_eq!(g.state(), GenState::Suspended);
    assert_eq!(g.next(), Some(3));
    let rest: Vec<_> = TryIter::new(&mut g).collect();
    assert_eq!(rest, [Err(parse_error("x"))]);
    assert_eq!(g.state(), GenState::Closed);
}

#[test]
fn into_inner_gives_the_generator_back_to_close_it() {
    #[generator(yield = u32)]
    fn guarded(log: Arc<Mutex<Vec<&'static str>>>) -> Result<(), String> {
        loop {
            if yield_catch!(1).is_err() {
                log.lock().unwrap().push("cleanup");
                return Ok(());
            }
        }
    }

    let log = Arc::new(Mutex::new(Vec::new()));
    let mut it = guarded(log.clone()).try_iter();
    assert_eq!(it.next(), Some(Ok(1)));
    let mut g = it.into_inner();
    assert_eq!(g.close(), Ok(Some(Ok(()))));
    assert_eq!(*log.lock().unwrap(), ["cleanup"]);
}

#[test]
fn the_pinned_form_has_try_iter_too() {
    let mut g = pin!(counted("1 2").into_pinned());
    let mut it = g.as_mut().try_iter();
    assert_eq!(it.next(), Some(Ok(1)));
    assert_eq!(it.next(), Some(Ok(2)));
    assert_eq!(it.next(), None);
    assert_eq!(it.into_return_value(), Some(2));
    assert_eq!(g.state(), GenState::Closed);
}

#[test]
fn an_error_from_a_delegate_surfaces_through_the_delegating_generator() {
    #[generator(yield = u32)]
    fn both(first: &'static str, second: &'static str) -> Result<(), ParseIntError> {
        yield_from!(numbers(first))?;
        yield_from!(numbers(second))?;
        Ok(())
    }

    let items: Vec<_> = both("1 2", "3 q 4").try_iter().collect();
    assert_eq!(items, [Ok(1), Ok(2), Ok(3), Err(parse_error("q"))]);
    assert_eq!(
        both("1", "2").try_iter().collect::<Result<Vec<_>, _>>(),
        Ok(vec![1, 2])
    );
}

#[test]
fn a_thrown_error_ends_the_body_and_so_the_iteration() {
    #[derive(Debug, PartialEq)]
    struct Stop;

    #[generator(yield = u32, throw = Stop)]
    fn endless() -> Result<(), Stop> {
        let mut i = 0;
        loop {
            yield_!(i);
            i += 1;
        }
    }

    let mut g = endless();
    assert_eq!(TryIter::new(&mut g).take(3).count(), 3);
    // `throw` itself reports the completion, `Err(Stop)`, so nothing is
    // left for the iterator.
    assert_eq!(g.throw(Stop), Ok(GeneratorState::Complete(Err(Stop))));
    assert_eq!(TryIter::new(&mut g).next(), None);
}

#[test]
fn a_panic_in_the_body_reaches_the_iterating_code() {
    #[generator(yield = u32)]
    fn doomed() -> Result<(), String> {
        yield_!(1);
        panic!("boom");
    }

    let mut g = doomed();
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        TryIter::new(&mut g).collect::<Vec<_>>()
    }));
    assert!(caught.is_err());
    assert_eq!(g.state(), GenState::Closed);
    assert_eq!(TryIter::new(&mut g).next(), None);
}

// ---------------------------------------------------------------------------
// Async: `Stream` consumers
// ---------------------------------------------------------------------------

/// Fetches "pages" (each an await that really returns `Pending` once);
/// `fail_at` is the page whose fetch fails.
#[generator(yield = String)]
async fn pages(count: u32, fail_at: Option<u32>) -> Result<u32, String> {
    for page in 1..=count {
        tokio::task::yield_now().await;
        if Some(page) == fail_at {
            return Err(format!("page {page}: not found"));
        }
        yield_!(format!("page {page}"));
    }
    Ok(count)
}

#[tokio::test]
async fn a_stream_consumer_of_the_generator_never_sees_the_error() {
    let all: Vec<String> = pages(5, Some(3)).collect().await;
    assert_eq!(all, ["page 1", "page 2"]);

    let mut g = pages(5, Some(2));
    let mut seen = Vec::new();
    while let Some(page) = g.next().await {
        seen.push(page);
    }
    assert_eq!(seen, ["page 1"]);
    assert_eq!(g.state(), GenState::Closed);
}

#[tokio::test]
async fn into_try_stream_ends_with_the_error() {
    let mut s = pages(5, Some(3)).into_try_stream();
    assert_eq!(s.try_next().await, Ok(Some("page 1".to_string())));
    assert_eq!(s.try_next().await, Ok(Some("page 2".to_string())));
    assert_eq!(s.try_next().await, Err("page 3: not found".to_string()));
    assert_eq!(s.next().await, None);
    assert!(futures::stream::FusedStream::is_terminated(&s));
    assert_eq!(s.return_value(), None);
}

#[tokio::test]
async fn while_let_over_into_try_stream_with_question_mark() {
    async fn concat(count: u32, fail_at: Option<u32>) -> Result<String, String> {
        let mut out = String::new();
        let mut s = pages(count, fail_at).into_try_stream();
        while let Some(page) = s.next().await {
            out += &page?;
        }
        Ok(out)
    }
    assert_eq!(concat(2, None).await, Ok("page 1page 2".to_string()));
    assert_eq!(
        concat(4, Some(2)).await,
        Err("page 2: not found".to_string())
    );
}

#[tokio::test]
async fn try_collect_and_collect_over_the_try_stream() {
    let failed: Result<Vec<String>, String> =
        pages(4, Some(4)).into_try_stream().try_collect().await;
    assert_eq!(failed, Err("page 4: not found".to_string()));

    let items: Vec<Result<String, String>> = pages(2, Some(2)).into_try_stream().collect().await;
    assert_eq!(
        items,
        [
            Ok("page 1".to_string()),
            Err("page 2: not found".to_string())
        ]
    );

    let mut s = pages(2, None).into_try_stream();
    let all: Vec<String> = (&mut s).try_collect().await.unwrap();
    assert_eq!(all, ["page 1", "page 2"]);
    assert_eq!(s.into_return_value(), Some(2));
}

#[tokio::test]
async fn try_stream_borrows_the_generator() {
    let mut g = pages(3, Some(3));
    assert_eq!(
        g.try_stream().try_next().await,
        Ok(Some("page 1".to_string()))
    );
    assert_eq!(g.state(), GenState::Suspended);
    assert_eq!(g.next().await, Some("page 2".to_string()));
    let rest: Vec<_> = g.try_stream().collect().await;
    assert_eq!(rest, [Err("page 3: not found".to_string())]);
    assert_eq!(g.state(), GenState::Closed);
}

#[tokio::test]
async fn the_pinned_async_form_has_try_stream_too() {
    let mut g = pin!(pages(2, None).into_pinned());
    let mut s = g.as_mut().try_stream();
    assert_eq!(s.try_next().await, Ok(Some("page 1".to_string())));
    assert_eq!(s.try_next().await, Ok(Some("page 2".to_string())));
    assert_eq!(s.try_next().await, Ok(None));
    assert_eq!(s.return_value(), Some(&2));
    assert_eq!(g.state(), GenState::Closed);
}

#[tokio::test]
async fn a_poll_that_loses_a_race_loses_nothing() {
    /// Waits for each value on a channel before yielding it.
    #[generator(yield = u32)]
    async fn relay(mut rx: tokio::sync::mpsc::Receiver<Result<u32, String>>) -> Result<(), String> {
        while let Some(value) = rx.recv().await {
            yield_!(value?);
        }
        Ok(())
    }

    let (tx, rx) = tokio::sync::mpsc::channel(1);
    let mut s: TryGenStream<_> = relay(rx).into_try_stream();
    // Nothing sent yet: the resume starts, waits, and this poll gives up.
    assert!(s.next().now_or_never().is_none());
    assert!(s.next().now_or_never().is_none());
    tx.send(Ok(1)).await.unwrap();
    assert_eq!(s.next().await, Some(Ok(1)));
    assert!(s.next().now_or_never().is_none());
    tx.send(Err("link down".into())).await.unwrap();
    assert_eq!(s.next().await, Some(Err("link down".to_string())));
    assert_eq!(s.next().await, None);
}

#[tokio::test]
async fn a_try_stream_is_send_and_runs_in_a_spawned_task() {
    let s = pages(3, Some(3)).into_try_stream();
    let handle = tokio::spawn(async move {
        let mut s = s;
        let mut got = Vec::new();
        while let Some(item) = s.next().await {
            got.push(item);
        }
        got
    });
    let got = tokio::time::timeout(Duration::from_secs(10), handle)
        .await
        .expect("the spawned task finishes")
        .unwrap();
    assert_eq!(
        got,
        [
            Ok("page 1".to_string()),
            Ok("page 2".to_string()),
            Err("page 3: not found".to_string())
        ]
    );
}

#[test]
fn a_try_stream_under_futures_block_on() {
    #[generator(yield = u8)]
    async fn bytes() -> std::io::Result<()> {
        yield_!(1);
        futures::future::ready(()).await;
        Err(std::io::Error::other("unplugged"))
    }

    let items: Vec<_> = futures::executor::block_on(bytes().into_try_stream().collect());
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].as_ref().unwrap(), &1);
    assert_eq!(items[1].as_ref().unwrap_err().to_string(), "unplugged");
}
