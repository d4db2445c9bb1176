//! Generator bodies for scripts/ide_check.sh (a generator function, an
//! async one, and one written inline with `generate!`). In each body, `report`
//! (typed by inference from a call of `summarize`, defined here) and
//! `command` (typed only through the expansion: a `yield_!` evaluates to
//! the send type) are hovered, completed after a `.`, and `summarize` is
//! resolved to its definition, in this text and in a copy edited so that
//! the body no longer parses.

use pygen::{generate, generator, yield_};

/// What `summarize` computes from readings.
pub struct Report {
    pub count: usize,
    pub total: i64,
}

impl Report {
    /// The mean of the readings, if there were any.
    pub fn mean_reading(&self) -> Option<i64> {
        (self.count > 0).then(|| self.total / self.count as i64)
    }
}

/// Summarizes `readings`.
pub fn summarize(readings: &[i64]) -> Report {
    Report {
        count: readings.len(),
        total: readings.iter().sum(),
    }
}

/// What the caller sends after each mean.
#[derive(Default)]
pub enum Command {
    #[default]
    Keep,
    Restart,
}

impl Command {
    /// Whether the next mean starts afresh.
    pub fn restarts_window(&self) -> bool {
        matches!(self, Command::Restart)
    }
}

/// A synchronous generator: yields the running mean, restarting the window
/// on `Command::Restart`.
#[generator(yield = i64, send = Command)]
pub fn running_means(readings: Vec<i64>) -> usize {
    let mut start = 0;
    for end in 1..=readings.len() {
        let report = summarize(&readings[start..end]);
        let command = yield_!(report.mean_reading().unwrap_or_default());
        if command.restarts_window() {
            start = end;
        }
    }
    readings.len()
}

/// The same as an async generator, awaiting before each item.
#[generator(yield = i64, send = Command)]
pub async fn running_means_async(readings: Vec<i64>) -> usize {
    let mut start = 0;
    for end in 1..=readings.len() {
        core::future::ready(()).await;
        let async_report = summarize(&readings[start..end]);
        let async_command = yield_!(async_report.mean_reading().unwrap_or_default());
        if async_command.restarts_window() {
            start = end;
        }
    }
    readings.len()
}

/// The same written inline: a `generate!` closure that takes `readings`.
pub fn running_means_inline(readings: Vec<i64>) -> impl Iterator<Item = i64> {
    generate!(
        #[generator(yield = i64, send = Command)]
        move || {
            let mut start = 0;
            for end in 1..=readings.len() {
                let inline_report = summarize(&readings[start..end]);
                let inline_command = yield_!(inline_report.mean_reading().unwrap_or_default());
                if inline_command.restarts_window() {
                    start = end;
                }
            }
        }
    )
}
