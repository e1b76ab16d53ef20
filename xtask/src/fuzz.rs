//! `cargo xtask fuzz [TARGET] [--seconds N] [--asan]`: libFuzzer over every parser that takes
//! outside input (`fuzz/`). Each target starts from its corpus in the repository, which holds
//! the seeds and every input that once crashed (so a fixed crash is retried on every run); what
//! a run discovers goes to a scratch folder, never into the repository by itself.

use crate::{cargo, root, run, Result};
use std::process::Command;

/// Every target, in `fuzz/fuzz_targets/`.
pub const TARGETS: &[&str] = &[
    "recovery_codes",
    "otpauth",
    "qr_image",
    "request_json",
    "request_text",
    "backup_json",
    "age_file",
    "hibp_range",
    "github_issue",
    "pypi_project",
];

/// How long `cargo xtask test` runs each target.
pub const SMOKE_SECONDS: u64 = 5;

/// Parses `[TARGET] [--seconds N] [--asan]` and runs the targets.
pub fn command(args: &[String]) -> Result {
    let mut targets: Vec<&str> = Vec::new();
    let mut seconds = 60;
    let mut asan = false;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seconds" => {
                seconds = (args.next())
                    .and_then(|s| s.parse().ok())
                    .ok_or("--seconds needs a number")?;
            }
            "--asan" => asan = true,
            name => match TARGETS.iter().find(|t| **t == name) {
                Some(target) => targets.push(target),
                None => {
                    return Err(format!(
                        "no fuzz target {name}; they are {}",
                        TARGETS.join(", ")
                    ))
                }
            },
        }
    }
    if targets.is_empty() {
        targets = TARGETS.to_vec();
    }
    fuzz(&targets, seconds, asan)
}

/// Runs each of `targets` for `seconds`; any crash fails, with the input saved.
pub fn fuzz(targets: &[&str], seconds: u64, asan: bool) -> Result {
    install()?;
    let scratch = std::env::temp_dir().join("pypi-recovery-fuzz");
    for target in targets {
        let found = scratch.join(target);
        std::fs::create_dir_all(&found).map_err(|e| e.to_string())?;
        let mut cmd = cargo();
        cmd.current_dir(root().join("fuzz"))
            .args(["fuzz", "run", "-O"]);
        if asan {
            // AddressSanitizer needs unstable flags; stable accepts them with this switch.
            cmd.env("RUSTC_BOOTSTRAP", "1")
                .args(["--sanitizer", "address"]);
        } else {
            cmd.args(["--sanitizer", "none"]);
        }
        cmd.arg(target)
            .arg(&found)
            .arg(format!("corpus/{target}"))
            .args([
                "--",
                &format!("-max_total_time={seconds}"),
                // Outside input is capped well below this everywhere (20 MB images, 32 MiB
                // answers); larger inputs only slow the search down.
                "-max_len=262144",
                "-rss_limit_mb=2048",
                "-timeout=10",
                "-print_final_stats=1",
            ]);
        eprintln!("fuzzing {target} for {seconds} s");
        run(&mut cmd).map_err(|e| {
            format!("{e}\nThe crashing input is in fuzz/artifacts/{target}/: fix it, then add it to fuzz/corpus/{target}/")
        })?;
    }
    Ok(())
}

/// cargo-fuzz lives in ~/.cargo/bin, outside the clone.
fn install() -> Result {
    if Command::new("cargo")
        .args(["fuzz", "--version"])
        .output()
        .is_ok_and(|o| o.status.success())
    {
        return Ok(());
    }
    eprintln!("installing cargo-fuzz (cargo install cargo-fuzz)");
    run(cargo().args(["install", "cargo-fuzz", "--locked", "--version", "^0.13"]))
}
