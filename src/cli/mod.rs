//! Argument parsing and the exit-code contract: 0 success, 1 a refused or failed action,
//! 2 a usage error (clap's own).

mod codes;
mod password;
mod request;
mod totp;

use clap::{Parser, Subcommand};
use pypi_recovery::keychain::{self, OsKeychain};
use pypi_recovery::secret::SecretBytes;
use std::fmt::Display;
use std::io::{IsTerminal, Read, Write};
use std::path::Path;
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
    /// Keep PyPI recovery codes in the OS keychain.
    #[command(subcommand)]
    Codes(codes::CodesCommand),
    /// Keep an authenticator (TOTP) backup in the OS keychain and check it against your phone.
    #[command(subcommand)]
    Totp(totp::TotpCommand),
    /// Check a password offline: zxcvbn score, crack times, and whether PyPI accepts it.
    /// Reads the password from stdin (no echo on a terminal).
    Strength {
        /// Your username, full name or email (repeatable); PyPI checks with these.
        #[arg(long = "user-input", value_name = "TEXT")]
        user_inputs: Vec<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Check a password against Have I Been Pwned; only a 5-character hash prefix is sent.
    Pwned {
        /// The range API's base URL.
        #[arg(long, value_name = "URL")]
        api_url: Option<String>,
        /// Print JSON: {"pwned": bool, "count": N}.
        #[arg(long)]
        json: bool,
    },
    /// Check and render an account-recovery request.
    #[command(subcommand)]
    Request(request::RequestCommand),
}

/// A command's result: the message is already printed; only the exit code is left.
type Outcome = Result<(), Failed>;

/// A failure that has been reported on stderr.
struct Failed;

/// Prints an error on stderr; used as `.map_err(fail)`.
fn fail(error: impl Display) -> Failed {
    eprintln!("error: {error}");
    Failed
}

/// Parses the command line, runs the command, and returns the exit code.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let store = OsKeychain::new();
    let outcome = match cli.command {
        Command::Doctor { json } => doctor(&store, json),
        Command::Codes(command) => codes::run(command, &store),
        Command::Totp(command) => totp::run(command, &store),
        Command::Request(command) => request::run(command),
        Command::Strength { user_inputs, json } => password::strength(&user_inputs, json),
        Command::Pwned { api_url, json } => password::pwned(api_url.as_deref(), json),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failed) => ExitCode::from(1),
    }
}

fn doctor(store: &OsKeychain, json: bool) -> Outcome {
    let status = keychain::check(store);
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
        Ok(())
    } else {
        Err(Failed)
    }
}

/// The largest input any command reads from a file or stdin.
const MAX_READ: u64 = 20 * 1024 * 1024;

/// Reads a file, or stdin when `path` is None, into a secret buffer.
fn read_input(path: Option<&Path>) -> Result<SecretBytes, Failed> {
    let mut buffer = Vec::new();
    let result = match path {
        Some(path) => std::fs::File::open(path)
            .and_then(|file| file.take(MAX_READ + 1).read_to_end(&mut buffer))
            .map_err(|e| fail(format!("cannot read {}: {e}", path.display()))),
        None => std::io::stdin()
            .take(MAX_READ + 1)
            .read_to_end(&mut buffer)
            .map_err(|e| fail(format!("cannot read standard input: {e}"))),
    };
    let buffer = SecretBytes::from(buffer);
    result?;
    Ok(buffer)
}

/// Asks a yes/no question on the terminal. Without a terminal, only `--yes` proceeds.
fn confirm(question: &str, yes: bool) -> Outcome {
    if yes {
        return Ok(());
    }
    if !std::io::stdin().is_terminal() {
        return Err(fail("no terminal to confirm on; add --yes to confirm"));
    }
    eprint!("{question} [y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer).map_err(fail)?;
    if matches!(answer.trim(), "y" | "Y" | "yes" | "Yes") {
        Ok(())
    } else {
        Err(fail("cancelled; nothing was removed"))
    }
}
