//! The robot written with `generators!` and the literal `yield!`
//! (`examples/robot_literal.rs`) prints the transcript of the one written
//! with `#[generator]` and `yield_!` (`examples/robot.rs`).

#[path = "../examples/robot_literal.rs"]
#[allow(dead_code)]
mod robot_literal;

#[path = "../examples/robot.rs"]
#[allow(dead_code)]
mod robot;

#[test]
fn robot_literal_session_transcript() {
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
    assert_eq!(robot_literal::session(), expected);
    assert_eq!(robot_literal::session(), robot::session());
}

#[test]
fn a_fault_during_diagnostics_ends_them_and_the_robot_recovers() {
    use pygen::GeneratorState::Yielded;
    use robot_literal::{Fault, Report, Task};

    let mut robot = robot_literal::robot_worker();
    robot.start().unwrap();
    assert_eq!(
        robot.send(Some(Task::SelfDiagnostics)),
        Ok(Yielded(Report::Diagnostic("motors: ok")))
    );
    let fault = Fault("sensor offline".into());
    assert_eq!(
        robot.throw(fault.clone()),
        Ok(Yielded(Report::Recovered(fault)))
    );
    assert_eq!(robot.next(), Some(Report::Idle));
}
