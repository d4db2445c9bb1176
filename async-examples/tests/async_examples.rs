//! The async examples: the simulator's concurrency under tokio's paused
//! clock, and the line streamer on a file the test writes.

#[path = "../examples/simulator.rs"]
#[allow(dead_code)]
mod simulator;

#[path = "../examples/async_lines.rs"]
#[allow(dead_code)]
mod async_lines;

use std::time::Duration;

use futures::StreamExt;
use simulator::{Command, Event, Outcome, Spec};

/// With the clock paused, time only moves when every task waits, so the
/// simulated elapsed time is exact: concurrent processes take as long as the
/// longest, not the sum.
#[tokio::test(start_paused = true)]
async fn processes_run_concurrently_and_interleave() {
    let specs = [
        Spec {
            name: "slow",
            verb: "step",
            steps: 4,
            step_time: Duration::from_millis(500),
        },
        Spec {
            name: "fast",
            verb: "step",
            steps: 5,
            step_time: Duration::from_millis(100),
        },
    ];
    let mut order = Vec::new();
    let report = simulator::simulate(&specs, |event| {
        if let Event::Progress { process, .. } = event {
            order.push(*process);
        }
    })
    .await;
    // The longest process: 4 × 500 ms. The sum would be 2.5 s.
    assert_eq!(report.elapsed, Duration::from_millis(2000));
    assert_eq!(
        report.outcomes,
        [
            ("slow", Outcome::Finished { steps: 4 }),
            ("fast", Outcome::Finished { steps: 5 })
        ]
    );
    // Interleaved: the fast one reports between the slow one's reports.
    let first_slow_step = order.iter().skip(2).position(|&p| p == 0).unwrap() + 2;
    assert!(
        order[2..first_slow_step].iter().all(|&p| p == 1) && first_slow_step > 3,
        "progress should interleave: {order:?}"
    );
}

/// The default scenario: archiving pauses while the video encodes, the
/// upload is closed at 60% and cleans up; the whole run takes about as long
/// as the video, far less than the sum of the work.
#[tokio::test(start_paused = true)]
async fn default_scenario_pauses_resumes_and_closes() {
    let specs = simulator::default_specs();
    let mut events = Vec::new();
    let report = simulator::simulate(&specs, |event| events.push(event.clone())).await;
    let commands: Vec<_> = events
        .iter()
        .filter_map(|event| match event {
            Event::Command { process, command } => Some((*process, *command)),
            _ => None,
        })
        .collect();
    assert_eq!(commands, [(1, Command::Pause), (1, Command::Resume)]);
    assert!(events.contains(&Event::Closing { process: 2 }));
    assert_eq!(
        report.outcomes[0],
        ("video processing", Outcome::Finished { steps: 20 })
    );
    assert_eq!(
        report.outcomes[1],
        ("data archiving", Outcome::Finished { steps: 12 })
    );
    assert_eq!(
        report.outcomes[2],
        (
            "report upload",
            Outcome::Cancelled {
                at_percent: 60,
                cleaned_up: true
            }
        )
    );
    let work: Duration = specs.iter().map(|s| s.step_time * s.steps).sum();
    assert!(report.elapsed < work, "{:?} vs {work:?}", report.elapsed);
    assert!(report.elapsed < Duration::from_secs(15));
}

/// A process takes `Pause`/`Resume` by `asend` and reports while paused.
#[tokio::test(start_paused = true)]
async fn a_process_pauses_and_resumes_on_command() {
    let spec = Spec {
        name: "p",
        verb: "did",
        steps: 2,
        step_time: Duration::from_millis(10),
    };
    let mut p = simulator::process(spec);
    assert_eq!(
        p.astart().await.unwrap().yielded().unwrap().message,
        "starting"
    );
    let paused = p.asend(Command::Pause).await.unwrap().yielded().unwrap();
    assert_eq!((paused.percent, paused.message.as_str()), (0, "paused"));
    let resumed = p.asend(Command::Resume).await.unwrap().yielded().unwrap();
    assert_eq!((resumed.percent, resumed.message.as_str()), (50, "did 1/2"));
    let rest: Vec<_> = p.map(|progress| progress.percent).collect().await;
    assert_eq!(rest, [100]);
}

#[tokio::test]
async fn async_lines_streams_a_file() {
    let dir = std::env::temp_dir().join(format!("pygen-async-lines-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("input.txt");
    std::fs::write(&path, "alpha\nbeta yield\ngamma\nyield delta\n").unwrap();

    let all: Vec<String> = async_lines::lines(path.clone()).collect().await;
    assert_eq!(all, ["alpha", "beta yield", "gamma", "yield delta"]);

    let (found, read) = async_lines::grep(path.clone(), "yield").await.unwrap();
    assert_eq!(found, ["   2: beta yield", "   4: yield delta"]);
    assert_eq!(read, 4);

    let missing = async_lines::grep(dir.join("missing.txt"), "x").await;
    assert_eq!(missing.unwrap_err().kind(), std::io::ErrorKind::NotFound);
    std::fs::remove_dir_all(&dir).unwrap();
}
