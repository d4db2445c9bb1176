//! `Debug` for every handle: its kind, its state and the types of its
//! protocol, never its body.

use std::pin::pin;

use pygen::{BoxGen, GenState, generator, yield_};

#[generator(yield = u64)]
fn count(n: u64) -> &'static str {
    for i in 0..n {
        yield_!(i);
    }
    "done"
}

#[generator(yield = String, send = u32, throw = std::io::Error)]
async fn lines() -> Result<(), std::io::Error> {
    let _ = yield_!(String::from("a"));
    Ok(())
}

#[test]
fn a_generator_shows_its_state_and_types() {
    let mut g = count(2);
    assert_eq!(
        format!("{g:?}"),
        "Gen { state: Created, yield: u64, send: (), throw: NoThrow, return: &str, .. }"
    );
    g.next();
    assert!(format!("{g:?}").starts_with("Gen { state: Suspended,"));
    g.by_ref().for_each(drop);
    assert_eq!(g.state(), GenState::Closed);
    assert!(format!("{g:?}").starts_with("Gen { state: Closed,"));
}

#[test]
fn every_form_is_debug() {
    let pinned = pin!(count(1).into_pinned());
    assert!(format!("{pinned:?}").starts_with("PinnedGen { state: Created,"));
    let a = lines();
    let text = format!("{a:?}");
    assert_eq!(
        text,
        "AsyncGen { state: Created, yield: String, send: u32, throw: Error, \
         return: Result<(), Error>, .. }"
    );
    let pinned = pin!(lines().into_pinned());
    assert!(format!("{pinned:?}").starts_with("PinnedAsyncGen { state: Created,"));
}

/// What `#[derive(Debug)]` on a user's struct needs.
#[derive(Debug)]
struct Pipeline {
    stage: BoxGen<'static, u64, &'static str>,
}

#[test]
fn a_struct_holding_a_generator_derives_debug() {
    let p = Pipeline {
        stage: count(3).boxed(),
    };
    assert!(format!("{p:?}").starts_with("Pipeline { stage: Gen { state: Created,"));
    assert_eq!(p.stage.state(), GenState::Created);
}
