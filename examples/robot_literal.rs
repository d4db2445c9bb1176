//! The robot worker of `robot.rs`, written inside `generators! { .. }` with
//! the literal `yield!(v)`: the same generators, the same transcript.
//!
//! `yield` is a reserved keyword, and rustc refuses `yield!(v)` in a
//! function even under an attribute; inside `generators!` it is never parsed
//! by rustc, so the macro can take it. Each function in it carries its
//! `#[generator(..)]` attribute (no import needed for it);
//! `yield_from_catch!` and `yield_catch!` are the usual macros, imported as
//! usual.
//!
//! Run it with `cargo run --example robot_literal`.

use pygen::{GeneratorState, Interrupt, generators, yield_catch, yield_from_catch};

/// What the caller can ask the robot to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Task {
    /// Multiply this number by 10.
    Compute(i64),
    /// Forget every cached result.
    ClearCache,
    /// Run the diagnostics routine, one step per `next()`.
    SelfDiagnostics,
}

/// Something that went wrong outside the robot, raised inside it by `throw`.
#[derive(Debug, Clone, PartialEq)]
pub struct Fault(pub String);

/// What the robot hands out after each step.
#[derive(Debug, Clone, PartialEq)]
pub enum Report {
    Ready,
    Result { input: i64, output: i64 },
    CacheCleared { entries: usize },
    Diagnostic(&'static str),
    DiagnosticsPassed { checks: u32 },
    Recovered(Fault),
    Idle,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Report::Ready => write!(f, "ready for tasks"),
            Report::Result { input, output } => write!(f, "{input} x 10 = {output}"),
            Report::CacheCleared { entries } => write!(f, "cache cleared ({entries} entries)"),
            Report::Diagnostic(step) => write!(f, "diagnostics: {step}"),
            Report::DiagnosticsPassed { checks } => {
                write!(f, "diagnostics passed ({checks} checks)")
            }
            Report::Recovered(Fault(why)) => write!(f, "recovered from fault: {why}"),
            Report::Idle => write!(f, "idle"),
        }
    }
}

/// What the robot returns when it is shut down.
#[derive(Debug, Clone, PartialEq)]
pub struct Shutdown {
    pub tasks_done: u32,
    /// The task the shutdown cut short, if any.
    pub interrupted: Option<Task>,
}

impl std::fmt::Display for Shutdown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.interrupted {
            None => write!(f, "shut down after {} tasks", self.tasks_done),
            Some(task) => write!(
                f,
                "shut down during {task:?}, after {} tasks",
                self.tasks_done
            ),
        }
    }
}

generators! {
    /// The diagnostics routine, like Python's `yield from range(20)`: it takes
    /// nothing (no `send`, no `throw` type), yields one report per step and
    /// returns the number of checks, which becomes the value of the robot's
    /// `yield_from_catch!`.
    #[generator(yield = Report)]
    fn diagnostics() -> u32 {
        let steps = ["motors: ok", "sensors: ok", "battery: 87%"];
        for step in steps {
            yield!(Report::Diagnostic(step));
        }
        steps.len() as u32
    }

    /// The robot itself. `send(Some(task))` gives it work; `next()` (which sends
    /// `None`) just lets it continue.
    #[generator(yield = Report, send = Option<Task>, throw = Fault)]
    pub fn robot_worker() -> Shutdown {
        let mut cache: Vec<(i64, i64)> = Vec::new();
        let mut tasks_done = 0;
        let mut report = Report::Ready;
        loop {
            let task = match yield_catch!(report) {
                Ok(task) => task,
                Err(Interrupt::Throw(fault)) => {
                    report = Report::Recovered(fault);
                    continue;
                }
                // Python's `except GeneratorExit`: finish and say how it went.
                Err(Interrupt::Close) => {
                    return Shutdown {
                        tasks_done,
                        interrupted: None,
                    };
                }
            };
            report = match task {
                None => Report::Idle,
                Some(Task::Compute(input)) => {
                    let output = input * 10;
                    cache.push((input, output));
                    Report::Result { input, output }
                }
                Some(Task::ClearCache) => {
                    let entries = cache.len();
                    cache.clear();
                    Report::CacheCleared { entries }
                }
                // While the diagnostics run, `next()` reaches them; a value sent
                // meanwhile comes back to the caller (they take nothing); a
                // fault or a close is raised here, at the delegation.
                Some(Task::SelfDiagnostics) => match yield_from_catch!(diagnostics()) {
                    Ok(checks) => Report::DiagnosticsPassed { checks },
                    Err(Interrupt::Throw(fault)) => Report::Recovered(fault),
                    Err(Interrupt::Close) => {
                        return Shutdown {
                            tasks_done,
                            interrupted: Some(Task::SelfDiagnostics),
                        };
                    }
                },
            };
            tasks_done += 1;
        }
    }
}

/// Runs a session with the robot and returns its transcript, one line per
/// exchange: what the operator did, then what the robot answered.
pub fn session() -> Vec<String> {
    let mut log = Vec::new();
    let mut say = |who: &str, what: String| log.push(format!("{who:>8} | {what}"));
    let mut robot = robot_worker();
    say(
        "start",
        robot.start().expect("a new robot starts").to_report(),
    );
    for task in [
        Task::Compute(4),
        Task::Compute(-7),
        Task::ClearCache,
        Task::SelfDiagnostics,
    ] {
        let answer = robot
            .send(Some(task.clone()))
            .expect("the robot is running");
        say("send", format!("{task:?} -> {}", answer.to_report()));
    }
    // The diagnostics report one step per next().
    for report in robot.by_ref() {
        let done = !matches!(report, Report::Diagnostic(_));
        say("next", report.to_string());
        if done {
            break;
        }
    }
    let fault = Fault("power surge".into());
    let answer = robot.throw(fault).expect("the robot is running");
    say("throw", format!("power surge -> {}", answer.to_report()));
    // Diagnostics once more, shut down halfway through.
    let answer = robot
        .send(Some(Task::SelfDiagnostics))
        .expect("the robot is running");
    say("send", format!("SelfDiagnostics -> {}", answer.to_report()));
    if let Some(report) = robot.next() {
        say("next", report.to_string());
    }
    match robot.close() {
        Ok(Some(shutdown)) => say("close", shutdown.to_string()),
        other => say("close", format!("unexpected: {other:?}")),
    }
    say("state", format!("{:?}", robot.state()));
    log
}

/// One line for whatever a resume of the robot produced.
trait ToReport {
    fn to_report(&self) -> String;
}

impl ToReport for GeneratorState<Report, Shutdown> {
    fn to_report(&self) -> String {
        match self {
            GeneratorState::Yielded(report) => report.to_string(),
            GeneratorState::Complete(shutdown) => format!("finished: {shutdown:?}"),
        }
    }
}

fn main() {
    for line in session() {
        println!("{line}");
    }
}
