//! The inline form, `generate!`, beyond the protocol tables (which run
//! every cell over inline generators too, see protocol_table.rs and
//! async_semantics.rs): how it captures, when what it captured is dropped
//! (drop order with the body's locals, on completion, on close, on drop, on
//! a panic), generator functions written inline, recursion through
//! `Recursive`, and inline generators inside other generators.

use std::cell::{Cell, RefCell};
use std::panic::{AssertUnwindSafe, catch_unwind};

use futures::StreamExt;
use futures::executor::block_on;
use pygen::{
    BoxGen, GenState, GeneratorState, Interrupt, Recursive, generate, generator, yield_,
    yield_catch, yield_from,
};

#[path = "support/trace.rs"]
mod trace;
use trace::{Guard, Log};

#[test]
fn a_plain_closure_borrows_what_it_uses() {
    let mut totals = vec![1, 2, 3];
    let offset = 10;
    let g = generate!(|| {
        for t in &totals {
            yield_!(t + offset);
        }
        totals.len()
    });
    assert_eq!(g.collect::<Vec<_>>(), [11, 12, 13]);
    // The borrow ended with the generator: the vector is the caller's again.
    totals.push(4);
    assert_eq!(totals, [1, 2, 3, 4]);
}

#[test]
fn a_plain_closure_mutates_what_it_borrows_mutably() {
    let mut seen = Vec::new();
    let mut g = generate!(
        #[generator(send = u32)]
        || {
            loop {
                let v = yield_!(());
                if v == 0 {
                    break;
                }
                seen.push(v);
            }
        }
    );
    assert_eq!(g.start(), Ok(GeneratorState::Yielded(())));
    assert_eq!(g.send(5), Ok(GeneratorState::Yielded(())));
    assert_eq!(g.send(7), Ok(GeneratorState::Yielded(())));
    assert_eq!(g.send(0), Ok(GeneratorState::Complete(())));
    drop(g);
    assert_eq!(seen, [5, 7]);
}

#[test]
fn a_move_closure_owns_what_it_uses_and_returns_it() {
    let words = vec![String::from("a"), String::from("bc")];
    let mut g = generate!(move || {
        for w in &words {
            yield_!(w.len());
        }
        words
    });
    assert_eq!(g.resume(), Some(GeneratorState::Yielded(1)));
    assert_eq!(g.resume(), Some(GeneratorState::Yielded(2)));
    assert_eq!(
        g.resume(),
        Some(GeneratorState::Complete(vec![
            String::from("a"),
            String::from("bc")
        ]))
    );
}

#[test]
fn captured_values_drop_with_the_body_after_its_locals() {
    for how in ["completes", "closed", "dropped", "panics"] {
        let log = Log::default();
        let captured = Guard::new(&log, "captured");
        let inside = log.clone();
        let mut g = generate!(
            #[generator(send = &str)]
            move || {
                let _captured = &captured;
                let _local = Guard::new(&inside, "local");
                if yield_!(1u32) == "panic" {
                    panic!("asked to");
                }
            }
        );
        assert_eq!(g.start(), Ok(GeneratorState::Yielded(1)));
        assert!(
            log.lines().is_empty(),
            "{how}: nothing dropped while suspended"
        );
        match how {
            "completes" => assert_eq!(g.send("go"), Ok(GeneratorState::Complete(()))),
            "closed" => assert_eq!(g.close(), Ok(None)),
            "dropped" => drop(g),
            _ => {
                let outcome = catch_unwind(AssertUnwindSafe(|| g.send("panic")));
                assert!(outcome.is_err(), "the panic reaches the caller");
                assert_eq!(g.state(), GenState::Closed);
            }
        }
        assert_eq!(log.lines(), ["local", "captured"], "{how}");
    }
}

#[test]
fn a_close_reaches_the_handler_of_an_inline_generator() {
    let log = Log::default();
    let mut g = generate!(|| -> &'static str {
        loop {
            match yield_catch!(1) {
                Ok(()) => log.push("resumed"),
                Err(Interrupt::Close) => {
                    log.push("caught close");
                    return "closed";
                }
                Err(Interrupt::Throw(e)) => match e {},
            }
        }
    });
    assert_eq!(g.start(), Ok(GeneratorState::Yielded(1)));
    assert_eq!(g.close(), Ok(Some("closed")));
    assert_eq!(log.lines(), ["caught close"]);
}

#[test]
fn throw_with_a_declared_throw_type_and_question_mark() {
    fn parse(s: &str) -> Result<u32, String> {
        s.parse().map_err(|_| format!("not a number: {s}"))
    }
    let inputs = ["1", "x"];
    let mut g = generate!(
        #[generator(throw = String)]
        || -> Result<u32, String> {
            let mut sum = 0;
            for s in inputs {
                sum += parse(s)?;
                yield_!(sum);
            }
            Ok(sum)
        }
    );
    assert_eq!(g.start(), Ok(GeneratorState::Yielded(1)));
    assert_eq!(
        g.resume(),
        Some(GeneratorState::Complete(Err(String::from(
            "not a number: x"
        ))))
    );

    let mut thrown = generate!(
        #[generator(throw = String)]
        || -> Result<(), String> {
            yield_!(1u8);
            Ok(())
        }
    );
    assert_eq!(thrown.start(), Ok(GeneratorState::Yielded(1)));
    assert_eq!(
        thrown.throw(String::from("boom")),
        Ok(GeneratorState::Complete(Err(String::from("boom"))))
    );
}

#[test]
fn yield_from_an_inline_generator_gets_its_return_value() {
    let log = Log::default();
    let outer = generate!(|| {
        let inner = generate!(|| {
            yield_!(1);
            yield_!(2);
            "inner done"
        });
        let returned = yield_from!(inner);
        log.push(format!("inner returned {returned}"));
        yield_!(3);
    });
    assert_eq!(outer.collect::<Vec<u32>>(), [1, 2, 3]);
    assert_eq!(log.lines(), ["inner returned inner done"]);
}

#[generator(yield = u32)]
fn with_inline_inside(n: u32) -> u32 {
    let doubled = generate!(move || {
        for i in 0..n {
            yield_!(i * 2);
        }
        n
    });
    yield_!(100);
    yield_from!(doubled)
}

#[test]
fn an_inline_generator_inside_a_generator_function() {
    let mut g = with_inline_inside(3);
    let items: Vec<_> = g.by_ref().collect();
    assert_eq!(items, [100, 0, 2, 4]);
    assert_eq!(g.state(), GenState::Closed);
}

#[test]
fn a_generator_function_written_inline_makes_one_per_call() {
    let base = 10;
    let counter = generate!(|from: u32, to: u32| {
        for i in from..to {
            yield_!(base + i);
        }
    });
    assert_eq!(counter(0, 2).collect::<Vec<_>>(), [10, 11]);
    assert_eq!(counter(5, 7).collect::<Vec<_>>(), [15, 16]);
    // Several at once, each with its own arguments.
    let mut a = counter(0, 3);
    let mut b = counter(100, 103);
    assert_eq!(
        (a.next(), b.next(), a.next()),
        (Some(10), Some(110), Some(11))
    );
}

#[test]
fn a_generator_function_written_inline_keeps_its_arguments_as_long_as_the_generator() {
    // As a generator function's do (Python keeps them in the frame):
    // dropped with the generator, after its locals, not when it is made.
    let log = Log::default();
    let make = generate!(|first: Guard, (second, _third): (Guard, Guard)| {
        let _local = Guard::new(&log, "local");
        yield_!(1u32);
        let _ = (&first, &second);
    });
    let mut g = make(
        Guard::new(&log, "first"),
        (Guard::new(&log, "second"), Guard::new(&log, "third")),
    );
    assert!(
        log.lines().is_empty(),
        "nothing dropped when the generator is made"
    );
    assert_eq!(g.next(), Some(1));
    assert!(
        log.lines().is_empty(),
        "nothing dropped while it is suspended"
    );
    drop(g);
    assert_eq!(log.lines(), ["local", "third", "second", "first"]);
}

#[test]
fn a_generator_function_written_inline_borrows_what_it_uses_and_is_called_again() {
    let names = vec![String::from("a"), String::from("b")];
    let pick = generate!(|i: usize| {
        yield_!(names[i].clone());
    });
    assert_eq!(pick(0).collect::<Vec<_>>(), ["a"]);
    assert_eq!(pick(1).collect::<Vec<_>>(), ["b"]);
    // Borrowed, not taken.
    assert_eq!(names, ["a", "b"]);
}

#[test]
fn an_inline_generator_function_can_be_stored_and_passed() {
    fn drain<G: Iterator<Item = u32>>(make: impl Fn(u32) -> G) -> Vec<u32> {
        (1..3).flat_map(&make).collect()
    }
    let repeat = generate!(|n: u32| {
        for _ in 0..n {
            yield_!(n);
        }
    });
    assert_eq!(drain(repeat), [1, 2, 2]);
}

/// A tree as parallel vectors: children of each node.
fn tree(depth: usize) -> Vec<Vec<usize>> {
    let count = (1 << (depth + 1)) - 1;
    (0..count)
        .map(|i| {
            if 2 * i + 2 < count {
                vec![2 * i + 1, 2 * i + 2]
            } else {
                vec![]
            }
        })
        .collect()
}

#[test]
fn recursive_inline_generators_walk_a_tree() {
    let children = &tree(4);
    let visits = Cell::new(0);
    let visits = &visits;
    let walk = Recursive::<usize, BoxGen<usize, usize>>::new(generate!(|walk, node| {
        visits.set(visits.get() + 1);
        let mut below = 0;
        for &child in &children[node] {
            below += yield_from!(walk.call(child));
        }
        yield_!(node);
        below + 1
    }));
    let mut g = walk.call(0);
    let post_order: Vec<_> = g.by_ref().collect();
    assert_eq!(post_order.len(), 31);
    assert_eq!(post_order[..4], [15, 16, 7, 17]);
    assert_eq!(*post_order.last().unwrap(), 0);
    assert_eq!(visits.get(), 31);
}

#[test]
fn recursion_a_thousand_deep() {
    let depth = if cfg!(miri) { 100 } else { 1000 };
    let down = Recursive::<u32, BoxGen<u32, u32>>::new(generate!(|down, n| {
        if n == 0 {
            yield_!(0);
            return 0;
        }
        let below = yield_from!(down.call(n - 1));
        yield_!(n);
        below + 1
    }));
    let mut g = down.call(depth);
    assert_eq!(g.by_ref().count(), depth as usize + 1);
}

#[test]
fn a_close_reaches_every_level_of_an_inline_recursion() {
    let log = Log::default();
    let log = &log;
    let nest = Recursive::<u32, BoxGen<u32, ()>>::new(generate!(|nest, n| {
        let _guard = Guard::new(log, ["level 0", "level 1", "level 2"][n as usize]);
        if n == 2 {
            yield_!(n);
        } else {
            yield_from!(nest.call(n + 1));
        }
    }));
    let mut g = nest.call(0);
    assert_eq!(g.start(), Ok(GeneratorState::Yielded(2)));
    assert_eq!(g.close(), Ok(None));
    assert_eq!(log.lines(), ["level 2", "level 1", "level 0"]);
}

#[test]
fn async_inline_generators_borrow_and_send() {
    let data = vec![1u32, 2, 3];
    let log = RefCell::new(Vec::new());
    let mut g = generate!(
        #[generator(send = u32)]
        async || -> u32 {
            let mut sum = 0;
            for d in &data {
                sum += yield_!(*d);
                std::future::ready(()).await;
                log.borrow_mut().push(sum);
            }
            sum
        }
    );
    block_on(async {
        assert_eq!(g.astart().await, Ok(GeneratorState::Yielded(1)));
        assert_eq!(g.asend(10).await, Ok(GeneratorState::Yielded(2)));
        assert_eq!(g.asend(20).await, Ok(GeneratorState::Yielded(3)));
        assert_eq!(g.asend(30).await, Ok(GeneratorState::Complete(60)));
    });
    drop(g);
    assert_eq!(log.into_inner(), [10, 30, 60]);
    assert_eq!(data, [1, 2, 3]);
}

#[test]
fn async_inline_generators_are_streams_that_delegate() {
    let children = &tree(2);
    let nodes = generate!(async move || {
        for (node, below) in children.iter().enumerate() {
            yield_!(node);
            yield_from!(generate!(async || {
                for &child in below {
                    yield_!(100 + child);
                }
            }));
        }
    });
    let seen: Vec<_> = block_on(nodes.collect());
    assert_eq!(seen, [0, 101, 102, 1, 103, 104, 2, 105, 106, 3, 4, 5, 6]);
}

#[test]
fn boxed_and_primed_inline_generators() {
    let mut stages: Vec<BoxGen<u32, ()>> = Vec::new();
    for k in 1..3 {
        stages.push(generate!(
            #[generator(boxed)]
            move || {
                yield_!(k);
                yield_!(k * 10);
            }
        ));
    }
    let all: Vec<_> = stages.into_iter().flatten().collect();
    assert_eq!(all, [1, 10, 2, 20]);

    let log = Log::default();
    let mut primed = generate!(
        #[generator(send = &str, primed)]
        || {
            log.push("started");
            loop {
                let line = yield_!(());
                log.push(line);
            }
        }
    );
    assert_eq!(log.lines(), ["started"], "primed runs to the first yield");
    assert_eq!(primed.send("a"), Ok(GeneratorState::Yielded(())));
    drop(primed);
    assert_eq!(log.lines(), ["started", "a"]);
}

#[test]
fn a_yielded_values_temporaries_end_before_the_generator_suspends() {
    // `cell.borrow()` is a temporary of the yielded expression: it ends
    // before the yield, so the caller may borrow the cell mutably while
    // the generator is suspended (with the yield type inferred or declared).
    let cell = RefCell::new(vec![1u32]);
    let mut inferred = generate!(|| {
        yield_!(cell.borrow()[0]);
        yield_!(cell.borrow().len() as u32);
    });
    assert_eq!(inferred.next(), Some(1));
    cell.borrow_mut().push(2);
    assert_eq!(inferred.next(), Some(2));
    let mut declared = generate!(
        #[generator(yield = u32)]
        || {
            yield_!(cell.borrow()[0]);
        }
    );
    assert_eq!(declared.next(), Some(1));
    cell.borrow_mut().push(3);
    assert_eq!(declared.next(), None);
}
