//! A simulator of concurrent processes reporting progress.
//!
//! Three long processes — video processing, data archiving, report upload —
//! are async generators: each works in steps (`tokio::time::sleep`), yields
//! its progress after every step, and takes commands by `asend`. The main
//! program drives all three concurrently, merging their progress as it
//! arrives, and shows a live progress bar per process (or, with `--plain` or
//! when stdout is not a terminal, one line per progress event). Along the
//! way it pauses the archiving while the video is being encoded, resumes it
//! afterwards, and cancels the upload with `aclose()`, whose cleanup (it
//! awaits the removal of the partial upload) runs before the process
//! reports how far it got. At the end it prints each process's result and
//! the total wall time: about the longest process, not the sum.
//!
//! Run it with `cargo run --example simulator` (add `-- --plain` for lines).

use std::collections::VecDeque;
use std::io::IsTerminal;
use std::time::Duration;

use futures::StreamExt;
use futures::stream::FuturesUnordered;
use pygen::{BoxAsyncGen, GeneratorState, Interrupt, generator, yield_catch};
use tokio::time::{Instant, sleep};

/// What the driver can tell a process, by `asend`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Command {
    /// Keep working (what `anext()` sends).
    #[default]
    Continue,
    /// Stop working until resumed.
    Pause,
    /// Work again after a pause.
    Resume,
}

/// One progress report.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    pub percent: u32,
    pub message: String,
}

/// How a process ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Finished { steps: u32 },
    Cancelled { at_percent: u32, cleaned_up: bool },
}

/// One process: `steps` steps of `step_time` each, under a name and with a
/// verb for its messages.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    pub name: &'static str,
    pub verb: &'static str,
    pub steps: u32,
    pub step_time: Duration,
}

/// A process as an async generator. It yields its progress after every
/// step and takes a [`Command`] in return. `aclose()` raises a close at its
/// yield: it cleans up (which takes time, so it awaits) and returns how far
/// it got, which `aclose()` hands back.
#[generator(yield = Progress, send = Command)]
pub async fn process(spec: Spec) -> Outcome {
    let percent = |done: u32| done * 100 / spec.steps;
    let mut done = 0;
    let mut paused = false;
    let mut report = Progress {
        percent: 0,
        message: "starting".to_string(),
    };
    loop {
        match yield_catch!(report) {
            Ok(Command::Pause) => paused = true,
            Ok(Command::Resume) => paused = false,
            Ok(Command::Continue) => {}
            Err(Interrupt::Close) => {
                // Cleanup may await: remove what was half done.
                sleep(spec.step_time).await;
                return Outcome::Cancelled {
                    at_percent: percent(done),
                    cleaned_up: true,
                };
            }
        }
        if done == spec.steps {
            return Outcome::Finished { steps: spec.steps };
        }
        sleep(spec.step_time).await;
        report = if paused {
            Progress {
                percent: percent(done),
                message: "paused".to_string(),
            }
        } else {
            done += 1;
            Progress {
                percent: percent(done),
                message: format!("{} {}/{}", spec.verb, done, spec.steps),
            }
        };
    }
}

/// The three processes of the default run.
pub fn default_specs() -> [Spec; 3] {
    [
        Spec {
            name: "video processing",
            verb: "encoded frame batch",
            steps: 20,
            step_time: Duration::from_millis(250),
        },
        Spec {
            name: "data archiving",
            verb: "archived shard",
            steps: 12,
            step_time: Duration::from_millis(200),
        },
        Spec {
            name: "report upload",
            verb: "uploaded chunk",
            steps: 10,
            step_time: Duration::from_millis(300),
        },
    ]
}

/// What the simulation reports as it runs.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Progress { process: usize, progress: Progress },
    Command { process: usize, command: Command },
    Closing { process: usize },
    Done { process: usize, outcome: Outcome },
}

/// The end of a run.
#[derive(Debug)]
pub struct Report {
    pub outcomes: Vec<(&'static str, Outcome)>,
    pub elapsed: Duration,
}

type Process = BoxAsyncGen<'static, Progress, Outcome, Command>;

/// One step of one process: resume it with `command` (or close it).
async fn step(
    index: usize,
    mut process: Process,
    command: Option<Command>,
) -> (usize, Process, GeneratorState<Progress, Outcome>) {
    let state = match command {
        Some(command) => process
            .asend(command)
            .await
            .expect("a running process takes commands"),
        None => process.astart().await.expect("a new process starts"),
    };
    (index, process, state)
}

/// Closes a process and reports its outcome.
async fn close(
    index: usize,
    mut process: Process,
) -> (usize, Process, GeneratorState<Progress, Outcome>) {
    let outcome = process
        .aclose()
        .await
        .expect("a process finishes when closed")
        .expect("a suspended process returns its outcome when closed");
    (index, process, GeneratorState::Complete(outcome))
}

/// Runs the processes concurrently, telling `on_event` everything that
/// happens. The scenario: archiving pauses while the video is past 25% and
/// not done, and the upload is cancelled with `aclose()` at 60%.
pub async fn simulate(specs: &[Spec], mut on_event: impl FnMut(&Event)) -> Report {
    const VIDEO: usize = 0;
    const ARCHIVE: usize = 1;
    const UPLOAD: usize = 2;
    let start = Instant::now();
    let mut running = FuturesUnordered::new();
    for (index, spec) in specs.iter().enumerate() {
        running.push(futures::future::Either::Left(step(
            index,
            process(*spec).boxed(),
            None,
        )));
    }
    let mut queued: Vec<VecDeque<Command>> = vec![VecDeque::new(); specs.len()];
    let mut archive_paused = false;
    let mut outcomes = vec![None; specs.len()];
    while let Some((index, process, state)) = running.next().await {
        let progress = match state {
            GeneratorState::Complete(outcome) => {
                let event = Event::Done {
                    process: index,
                    outcome: outcome.clone(),
                };
                on_event(&event);
                outcomes[index] = Some(outcome);
                if index == VIDEO && archive_paused {
                    archive_paused = false;
                    queued[ARCHIVE].push_back(Command::Resume);
                }
                continue;
            }
            GeneratorState::Yielded(progress) => progress,
        };
        on_event(&Event::Progress {
            process: index,
            progress: progress.clone(),
        });
        if index == VIDEO && specs.len() > ARCHIVE {
            let busy = (25..100).contains(&progress.percent);
            if busy != archive_paused {
                archive_paused = busy;
                queued[ARCHIVE].push_back(if busy {
                    Command::Pause
                } else {
                    Command::Resume
                });
            }
        }
        if index == UPLOAD && progress.percent >= 60 {
            on_event(&Event::Closing { process: index });
            running.push(futures::future::Either::Right(close(index, process)));
            continue;
        }
        let command = queued[index].pop_front().unwrap_or_default();
        if command != Command::Continue {
            on_event(&Event::Command {
                process: index,
                command,
            });
        }
        running.push(futures::future::Either::Left(step(
            index,
            process,
            Some(command),
        )));
    }
    Report {
        outcomes: specs
            .iter()
            .zip(outcomes)
            .map(|(spec, outcome)| (spec.name, outcome.expect("every process ends")))
            .collect(),
        elapsed: start.elapsed(),
    }
}

/// One line per event, for `--plain` and for logs.
pub fn describe(specs: &[Spec], event: &Event) -> String {
    match event {
        Event::Progress { process, progress } => format!(
            "[{:>16}] {:>3}% {}",
            specs[*process].name, progress.percent, progress.message
        ),
        Event::Command { process, command } => {
            format!("[{:>16}] <- {command:?}", specs[*process].name)
        }
        Event::Closing { process } => format!("[{:>16}] <- aclose()", specs[*process].name),
        Event::Done { process, outcome } => {
            format!("[{:>16}] done: {outcome:?}", specs[*process].name)
        }
    }
}

fn print_summary(report: &Report, specs: &[Spec]) {
    println!();
    println!("summary");
    for (name, outcome) in &report.outcomes {
        println!("  {name:>16}: {outcome:?}");
    }
    let sequential: Duration = specs.iter().map(|s| s.step_time * s.steps).sum();
    println!(
        "  total wall time {:.1} s (the processes' own work adds up to {:.1} s)",
        report.elapsed.as_secs_f64(),
        sequential.as_secs_f64()
    );
}

#[tokio::main]
async fn main() {
    let specs = default_specs();
    let plain = std::env::args().any(|arg| arg == "--plain") || !std::io::stdout().is_terminal();
    let report = if plain {
        simulate(&specs, |event| println!("{}", describe(&specs, event))).await
    } else {
        let bars = indicatif::MultiProgress::new();
        let style =
            indicatif::ProgressStyle::with_template("{prefix:>16} [{bar:30}] {pos:>3}% {msg}")
                .expect("a valid template")
                .progress_chars("=> ");
        let bar: Vec<_> = specs
            .iter()
            .map(|spec| {
                let bar = bars.add(indicatif::ProgressBar::new(100));
                bar.set_style(style.clone());
                bar.set_prefix(spec.name);
                bar
            })
            .collect();
        let report = simulate(&specs, |event| match event {
            Event::Progress { process, progress } => {
                bar[*process].set_position(u64::from(progress.percent));
                bar[*process].set_message(progress.message.clone());
            }
            Event::Command { process, command } => {
                bar[*process].set_message(format!("<- {command:?}"));
            }
            Event::Closing { process } => bar[*process].set_message("<- aclose(): cleaning up"),
            Event::Done { process, outcome } => match outcome {
                Outcome::Finished { .. } => {
                    bar[*process].finish_with_message(format!("{outcome:?}"))
                }
                // Keep the bar where the process stopped.
                Outcome::Cancelled { .. } => {
                    bar[*process].abandon_with_message(format!("{outcome:?}"))
                }
            },
        })
        .await;
        drop(bars);
        report
    };
    print_summary(&report, &specs);
}
