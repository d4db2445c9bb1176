//! The trace a generator body writes to (Python's `trace` list) and the
//! drop guard that stands for Python's `finally:`, shared by the
//! conformance suites (`mod trace;` from a test crate).
// Each test crate uses a different part of it.
#![allow(dead_code)]

use std::cell::RefCell;
use std::rc::Rc;

/// What a body ran, in order.
#[derive(Clone, Default)]
pub struct Log(Rc<RefCell<Vec<String>>>);

impl Log {
    pub fn push(&self, line: impl Into<String>) {
        self.0.borrow_mut().push(line.into());
    }

    pub fn lines(&self) -> Vec<String> {
        self.0.borrow().clone()
    }

    pub fn count(&self, line: &str) -> usize {
        self.0.borrow().iter().filter(|l| *l == line).count()
    }
}

/// Python's `finally:` — logs `name` when dropped.
pub struct Guard {
    log: Log,
    name: &'static str,
}

impl Guard {
    pub fn new(log: &Log, name: &'static str) -> Self {
        Guard {
            log: log.clone(),
            name,
        }
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        self.log.push(self.name);
    }
}
