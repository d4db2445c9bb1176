//! The log, the counting drop guards and the panic payload shared by the
//! model-based tests (tests/model.rs, tests/model_async.rs).
// Each test crate uses a different part of it.
#![allow(dead_code)]

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// What the scripts ran and which guards they dropped, shared by every
/// generator of one case.
#[derive(Clone, Default)]
pub struct Ctx(pub Rc<Shared>);

#[derive(Default)]
pub struct Shared {
    pub log: RefCell<Vec<String>>,
    pub made: Cell<usize>,
    pub dropped: Cell<usize>,
}

impl Ctx {
    pub fn log(&self, line: String) {
        self.0.log.borrow_mut().push(line);
    }

    pub fn lines(&self) -> Vec<String> {
        self.0.log.borrow().clone()
    }

    pub fn guard(&self, name: String) -> Guard {
        self.0.made.set(self.0.made.get() + 1);
        Guard {
            ctx: self.clone(),
            name,
        }
    }
}

/// The log line of a dropped guard.
pub fn dropped(guard: &str) -> String {
    format!("drop {guard}")
}

/// Logs `drop <name>` when dropped and counts itself.
pub struct Guard {
    ctx: Ctx,
    name: String,
}

impl Drop for Guard {
    fn drop(&mut self) {
        self.ctx.0.dropped.set(self.ctx.0.dropped.get() + 1);
        self.ctx.log(dropped(&self.name));
    }
}

/// The payload of every panic a script asks for.
#[derive(Debug)]
pub struct ModelPanic(pub String);

pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(ModelPanic(msg)) = payload.downcast_ref::<ModelPanic>() {
        msg.clone()
    } else if let Some(msg) = payload.downcast_ref::<&str>() {
        (*msg).to_string()
    } else if let Some(msg) = payload.downcast_ref::<String>() {
        msg.clone()
    } else {
        "<non-string panic payload>".to_string()
    }
}

/// How many cases a model test runs: `PYGEN_MODEL_CASES`, or 20,000.
pub fn cases() -> u32 {
    match std::env::var("PYGEN_MODEL_CASES") {
        Ok(n) => n
            .parse()
            .expect("PYGEN_MODEL_CASES must be a number of cases"),
        Err(_) => 20_000,
    }
}
