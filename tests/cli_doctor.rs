//! `pypi-recovery doctor`: the keychain check from the command line.

use std::process::Command;
use std::time::Instant;

fn cli() -> Command {
    Command::new(env!("CARGO_BIN_EXE_pypi-recovery"))
}

#[test]
fn doctor_reports_the_secret_service_as_available() {
    let out = cli().args(["doctor", "--json"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let status: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(status["available"], true);
    assert_eq!(status["backend"], "Secret Service");
}

#[test]
fn doctor_without_a_session_bus_fails_fast_with_a_way_forward() {
    let empty = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let out = cli()
        .arg("doctor")
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env("XDG_RUNTIME_DIR", empty.path())
        .output()
        .unwrap();
    let elapsed = started.elapsed();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("unavailable"), "{stderr}");
    assert!(
        stderr.contains("dbus-run-session"),
        "says what to do: {stderr}"
    );
    assert!(!stderr.contains("panicked"));
    // Not a timing assertion on speed, only on not hanging: the contract is "under 10 s".
    assert!(elapsed.as_secs() < 10, "took {elapsed:?}");
}

#[test]
fn usage_errors_exit_2() {
    let out = cli().arg("no-such-command").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}
