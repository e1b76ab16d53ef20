//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod http;
pub mod sandbox;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The CLI binary built for this test run. It may use the OS keychain, so only in the sandbox.
pub fn cli() -> Command {
    sandbox::require();
    Command::new(env!("CARGO_BIN_EXE_pypi-recovery"))
}

/// Runs the CLI with `stdin` as its input.
pub fn cli_with_input(args: &[&str], stdin: &str) -> Output {
    output_with_input(cli().args(args), stdin)
}

/// Runs `command` with `stdin` as its input and collects its output.
pub fn output_with_input(command: &mut Command, stdin: &str) -> Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("CLI starts");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// The OS keychain, inside `cargo xtask test`'s private session only.
pub fn os_keychain() -> pypi_recovery::keychain::OsKeychain {
    sandbox::require();
    pypi_recovery::keychain::OsKeychain::new()
}

/// Looks an item up with `secret-tool`, a Secret Service client independent of ours.
pub fn secret_tool_lookup(service: &str, account: &str) -> Output {
    Command::new("secret-tool")
        .args(["lookup", "service", service, "username", account])
        .output()
        .expect("secret-tool is installed by `cargo xtask test`")
}

/// A name no other test uses, so tests can share one keyring.
pub fn unique(name: &str) -> String {
    format!(
        "{name}-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos()
    )
}

/// Every regular file under `dir`, except the keyring daemon's own encrypted store.
pub fn files_outside_keyring(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.file_name().is_some_and(|n| n == "keyrings") {
                continue;
            }
            match entry.file_type() {
                Ok(t) if t.is_dir() => stack.push(path),
                Ok(t) if t.is_file() => found.push(path),
                _ => {}
            }
        }
    }
    found
}

/// Asserts that none of `needles` appears in any file under HOME (but the keyring) or in `texts`.
pub fn assert_no_leak(needles: &[&str], texts: &[&str]) {
    let home = PathBuf::from(std::env::var_os("HOME").expect("HOME"));
    assert!(
        home.starts_with(std::env::temp_dir()),
        "tests must run with a temporary HOME (cargo xtask test)"
    );
    for file in files_outside_keyring(&home) {
        let Ok(bytes) = std::fs::read(&file) else {
            continue;
        };
        let content = String::from_utf8_lossy(&bytes).to_lowercase();
        for needle in needles {
            assert!(
                !content.contains(&needle.to_lowercase()),
                "{} holds a secret",
                file.display()
            );
        }
    }
    for text in texts {
        for needle in needles {
            assert!(!text.contains(needle), "output holds a secret: {text}");
        }
    }
}
