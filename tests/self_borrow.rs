//! Bodies that borrow their own locals across a yield, driven through every
//! form. Run under Miri (`scripts/miri.sh`): no driver may form a shared
//! reference over a suspended body, which would invalidate these borrows.

use core::pin::pin;
use pygen::{GenState, GeneratorState, generator, yield_, yield_from};

struct Counter(u32);

impl Counter {
    fn bump(&mut self) -> u32 {
        self.0 += 1;
        self.0
    }
}

#[generator(yield = u32)]
fn counting() {
    let mut c = Counter(0);
    let r = &mut c;
    for _ in 0..3 {
        let v = r.bump();
        yield_!(v);
    }
}

#[generator(yield = u32)]
async fn counting_async() {
    let mut c = Counter(0);
    let r = &mut c;
    for _ in 0..3 {
        let v = r.bump();
        core::future::ready(()).await;
        yield_!(v);
    }
}

#[test]
fn movable_self_borrow_with_state_between_resumes() {
    let mut g = counting();
    let mut seen = Vec::new();
    while let Some(GeneratorState::Yielded(v)) = g.resume() {
        assert_eq!(g.state(), GenState::Suspended);
        seen.push(v);
    }
    assert_eq!(seen, [1, 2, 3]);
    assert_eq!(g.state(), GenState::Closed);
}

#[test]
fn pinned_self_borrow_with_state_between_resumes() {
    let mut g = pin!(counting().into_pinned());
    let mut seen = Vec::new();
    while let Some(GeneratorState::Yielded(v)) = g.as_mut().resume() {
        let shared: &pygen::PinnedGen<_, u32> = &g;
        assert_eq!(shared.state(), GenState::Suspended);
        seen.push(v);
    }
    assert_eq!(seen, [1, 2, 3]);
}

#[test]
fn async_self_borrow_with_state_between_resumes() {
    futures::executor::block_on(async {
        let mut g = counting_async();
        let mut seen = Vec::new();
        while let Some(GeneratorState::Yielded(v)) = g.anext().await {
            assert_eq!(g.state(), GenState::Suspended);
            seen.push(v);
        }
        assert_eq!(seen, [1, 2, 3]);
        let mut p = pin!(counting_async().into_pinned());
        let mut seen = Vec::new();
        while let Some(GeneratorState::Yielded(v)) = p.as_mut().anext().await {
            assert_eq!(p.state(), GenState::Suspended);
            seen.push(v);
        }
        assert_eq!(seen, [1, 2, 3]);
    });
}

#[generator(yield = u32)]
fn continue_started(mut inner: pygen::Gen<impl pygen::Body<Output = ()>, u32>) -> Option<()> {
    yield_!(0);
    yield_from!(&mut inner)
}

#[test]
fn delegation_to_a_started_self_borrowing_generator() {
    let mut inner = counting();
    assert_eq!(inner.next(), Some(1));
    let g = continue_started(inner);
    assert_eq!(g.collect::<Vec<_>>(), [0, 2, 3]);
    let mut local = counting();
    local.next();
    #[generator(yield = u32)]
    fn by_ref_local() {
        let mut g = counting();
        g.next();
        let r = &mut g;
        yield_from!(r);
        yield_!(9);
    }
    assert_eq!(by_ref_local().collect::<Vec<_>>(), [2, 3, 9]);
}
