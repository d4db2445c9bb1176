//! Beazley's broadcast pipeline (his `cobroadcast.py` and `cobroadcast2.py`,
//! from "A Curious Course on Coroutines and Concurrency"): `follow` pushes
//! each line of a log into `broadcast`, which sends it to three `grep`s,
//! which send the lines that match to a `printer`. In the first variant
//! each `grep` has a printer of its own; in the second they share one.
//!
//! What the port uses, where Python has it built in:
//! - `#[generator(primed)]` is Python's `@coroutine`: the generator comes
//!   back already run to its first `yield_!(())`, ready for `send`.
//! - `#[generator(boxed)]` returns a generator whose type can be named
//!   (`BoxGen`), so that the `grep`s go in one `Vec`.
//! - [`Shared`] is one generator several others send to (Python passes the
//!   same generator object around); it is a `Generator` itself, so `grep`
//!   takes a printer of its own and the shared one alike.
//!
//! `cargo run --example broadcast` prints what `python3 broadcast.py`
//! prints (`examples/broadcast.out`; `tests/broadcast_example.rs` checks).

use std::pin::Pin;

use pygen::{BoxGen, Generator, Shared, generator, yield_};

/// A stage of the pipeline: it takes lines and yields nothing.
type Sink = BoxGen<'static, (), (), String>;

/// Pushes every line into `target`.
fn follow(lines: &[&str], target: &mut Sink) {
    for line in lines {
        target
            .send((*line).to_string())
            .expect("the pipeline takes every line");
    }
}

#[generator(yield = (), send = String, boxed, primed)]
fn grep<T>(pattern: &'static str, mut target: T)
where
    T: Generator<Yield = (), Send = String> + Unpin + 'static,
{
    loop {
        let line = yield_!(());
        if line.contains(pattern) {
            Pin::new(&mut target)
                .send(line)
                .expect("the target takes the line");
        }
    }
}

#[generator(yield = (), send = String, boxed, primed)]
fn printer() {
    loop {
        let line = yield_!(());
        print!("{line}");
    }
}

#[generator(yield = (), send = String, boxed, primed)]
fn broadcast(mut targets: Vec<Sink>) {
    loop {
        let item = yield_!(());
        for target in &mut targets {
            target
                .send(item.clone())
                .expect("every target takes the item");
        }
    }
}

const LOG: [&str; 5] = [
    "GET /python/index.html 200\n",
    "GET /ply/docs.html 200\n",
    "GET /swig/python-bindings 404\n",
    "GET /other 200\n",
    "GET /ply/python-lex 200\n",
];

fn main() {
    // Variant 1: one printer per grep (cobroadcast.py).
    follow(
        &LOG,
        &mut broadcast(vec![
            grep("python", printer()),
            grep("ply", printer()),
            grep("swig", printer()),
        ]),
    );
    println!("--");
    // Variant 2: one shared printer (cobroadcast2.py).
    let p = Shared::new(printer());
    follow(
        &LOG,
        &mut broadcast(vec![
            grep("python", p.clone()),
            grep("ply", p.clone()),
            grep("swig", p),
        ]),
    );
}
