//! The robot example's transcript, as `cargo run --example robot` prints it.

#[path = "../examples/robot.rs"]
#[allow(dead_code)]
mod robot;

#[test]
fn robot_session_transcript() {
    let expected = [
        "   start | ready for tasks",
        "    send | Compute(4) -> 4 x 10 = 40",
        "    send | Compute(-7) -> -7 x 10 = -70",
        "    send | ClearCache -> cache cleared (2 entries)",
        "    send | SelfDiagnostics -> diagnostics: motors: ok",
        "    next | diagnostics: sensors: ok",
        "    next | diagnostics: battery: 87%",
        "    next | diagnostics passed (3 checks)",
        "   throw | power surge -> recovered from fault: power surge",
        "    send | SelfDiagnostics -> diagnostics: motors: ok",
        "    next | diagnostics: sensors: ok",
        "   close | shut down during SelfDiagnostics, after 4 tasks",
        "   state | Closed",
    ];
    assert_eq!(robot::session(), expected);
}

#[test]
fn a_fault_during_diagnostics_ends_them_and_the_robot_recovers() {
    use pygen::GeneratorState::Yielded;
    use robot::{Fault, Report, Task};

    let mut robot = robot::robot_worker();
    robot.start().unwrap();
    assert_eq!(
        robot.send(Some(Task::SelfDiagnostics)),
        Ok(Yielded(Report::Diagnostic("motors: ok")))
    );
    // The diagnostics take no thrown error: it is raised at the robot's
    // `yield_from_catch!`, which hands it to the robot.
    let fault = Fault("sensor offline".into());
    assert_eq!(
        robot.throw(fault.clone()),
        Ok(Yielded(Report::Recovered(fault)))
    );
    assert_eq!(robot.next(), Some(Report::Idle));
}

#[test]
fn closing_during_diagnostics_reports_the_interrupted_task() {
    use pygen::GeneratorState::Yielded;
    use robot::{Report, Shutdown, Task};

    let mut robot = robot::robot_worker();
    robot.start().unwrap();
    robot.send(Some(Task::Compute(1))).unwrap();
    assert_eq!(
        robot.send(Some(Task::SelfDiagnostics)),
        Ok(Yielded(Report::Diagnostic("motors: ok")))
    );
    assert_eq!(
        robot.close(),
        Ok(Some(Shutdown {
            tasks_done: 1,
            interrupted: Some(Task::SelfDiagnostics),
        }))
    );
}

#[test]
fn a_task_sent_during_diagnostics_comes_back_to_the_caller() {
    use pygen::ResumeErrorKind;
    use robot::{Report, Task};

    let mut robot = robot::robot_worker();
    robot.start().unwrap();
    robot.send(Some(Task::SelfDiagnostics)).unwrap();
    let refused = robot.send(Some(Task::Compute(3))).unwrap_err();
    assert_eq!(refused.kind(), ResumeErrorKind::Undeliverable);
    assert_eq!(refused.into_inner(), Some(Task::Compute(3)));
    // The diagnostics go on where they were.
    assert_eq!(robot.next(), Some(Report::Diagnostic("sensors: ok")));
}
