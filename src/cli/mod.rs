//! Argument parsing and the exit-code contract: 0 success, 1 a refused or failed action,
//! 2 a usage error (clap's own).

use clap::{Parser, Subcommand};
use pypi_recovery::keychain::{self, OsKeychain};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "pypi-recovery",
    version,
    about = "Recover a PyPI account, keep its recovery codes and 2FA backup in the OS keychain, and check passwords offline."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check that the OS keychain is reachable and can store secrets.
    Doctor {
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Parses the command line, runs the command, and returns the exit code.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Doctor { json } => doctor(json),
    }
}

fn doctor(json: bool) -> ExitCode {
    let status = keychain::check(&OsKeychain::new());
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&status).unwrap_or_default()
        );
    } else if status.available {
        println!("Keychain: {} — available.", status.backend);
    } else {
        eprintln!(
            "Keychain: {} — unavailable.\n{}",
            status.backend, status.message
        );
    }
    if status.available {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
