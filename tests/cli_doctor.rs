//! `pypi-recovery doctor`: the keychain check from the command line.

mod support;

use std::process::Command;
use std::time::Instant;
// Guarded: doctor writes and removes a probe item, which must land in the sandbox's keyring.
use support::cli;

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

/// A keyring daemon that D-Bus starts on demand comes up locked (nobody typed its password):
/// doctor says so and what to do, instead of hanging or claiming success.
#[test]
fn doctor_explains_a_locked_keychain() {
    let home = tempfile::tempdir().unwrap();
    let runtime = home.path().join("run");
    std::fs::create_dir(&runtime).unwrap();
    let out = Command::new("dbus-run-session")
        .arg("--")
        .arg(env!("CARGO_BIN_EXE_pypi-recovery"))
        .arg("doctor")
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_RUNTIME_DIR", &runtime)
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("The keychain is locked"), "{stderr}");
}
