//! Argument parsing and the exit-code contract: 0 success, 1 a refused or failed action,
//! 2 a usage error (clap's own).

/// `println!` for everything the CLI prints, with terminal controls taken out: account names
/// from a backup file, GitHub labels and PyPI names come from outside, and an escape sequence
/// in one could retitle the terminal, move the cursor or hide the lines around it.
macro_rules! out {
    ($($arg:tt)*) => {{
        #[allow(clippy::print_stdout)] // the one place the CLI prints
        let () = println!("{}", $crate::cli::terminal_safe(&format!($($arg)*)));
    }};
}

/// `eprintln!` (and, with `no_newline`, `eprint!`) with terminal controls taken out.
macro_rules! err {
    (no_newline, $($arg:tt)*) => {{
        #[allow(clippy::print_stderr)]
        let () = eprint!("{}", $crate::cli::terminal_safe(&format!($($arg)*)));
    }};
    ($($arg:tt)*) => {{
        #[allow(clippy::print_stderr)]
        let () = eprintln!("{}", $crate::cli::terminal_safe(&format!($($arg)*)));
    }};
}

mod backup;
mod codes;
mod password;
mod path;
mod request;
mod totp;

use clap::{CommandFactory, Parser, Subcommand};
use pypi_recovery::backup::{self as backup_core};
use pypi_recovery::keychain::{self, FileVault, OsKeychain, SecretStore};
use pypi_recovery::secret::{SecretBytes, SecretString};
use std::fmt::Display;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The exit-code contract, shown under `--help` and in the man page.
const EXIT_STATUS: &str = "Exit status:
  0  success
  1  a refused or failed action; the message on stderr says why
  2  a usage error: an unknown command or option, or a missing argument";

#[derive(Parser)]
#[command(
    name = "pypi-recovery",
    version,
    about = "Recover a PyPI account, keep its recovery codes and 2FA backup in the OS keychain, and check passwords offline.",
    after_help = EXIT_STATUS
)]
struct Cli {
    /// Keep secrets in this age-encrypted vault file instead of the OS keychain (for
    /// machines without one). The passphrase comes from PYPI_RECOVERY_PASSPHRASE, or is asked
    /// for on the terminal; a missing file is created.
    #[arg(long, global = true, value_name = "FILE")]
    vault: Option<PathBuf>,
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
    /// Encrypted backups (age format) of every recovery code and authenticator secret.
    #[command(subcommand)]
    Backup(backup::BackupCommand),
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
    #[cfg(feature = "online")]
    Pwned {
        /// The range API's base URL.
        #[arg(long, value_name = "URL")]
        api_url: Option<String>,
        /// Print JSON: {"pwned": bool, "count": N}.
        #[arg(long)]
        json: bool,
    },
    /// Which way back in is yours: reset, sign in (and how), or a support request.
    Path(path::PathArgs),
    /// Check and render an account-recovery request.
    #[command(subcommand)]
    Request(request::RequestCommand),
    /// Print a completion script for bash, zsh, fish, elvish or PowerShell.
    ///
    /// For example: `pypi-recovery completions bash > ~/.local/share/bash-completion/completions/pypi-recovery`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Write the man pages (roff), one per command, into a folder; for packagers.
    #[command(hide = true)]
    Manpages { dir: PathBuf },
}

/// A command's result: the message is already printed; only the exit code is left.
type Outcome = Result<(), Failed>;

/// A failure that has been reported on stderr.
struct Failed;

/// Prints `value` as JSON on stdout, pretty or compact as each command's contract has it.
fn print_json(value: &impl serde::Serialize, pretty: bool) -> Outcome {
    let text = if pretty {
        serde_json::to_string_pretty(value)
    } else {
        serde_json::to_string(value)
    };
    let text = text.map_err(|e| fail(format!("the result could not be written as JSON: {e}")))?;
    out!("{text}");
    Ok(())
}

/// Prints an error on stderr; used as `.map_err(fail)`.
fn fail(error: impl Display) -> Failed {
    err!("error: {error}");
    Failed
}

/// Parses the command line, runs the command, and returns the exit code.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let keychain = OsKeychain::new();
    let vault = cli.vault.map(|path| FileVault::new(path, None));
    // The vault is opened (and its passphrase asked for) only by commands that use it.
    let store = || -> Result<&dyn SecretStore, Failed> {
        match &vault {
            Some(vault) => open_vault(vault).map(|()| vault as &dyn SecretStore),
            None => Ok(&keychain),
        }
    };
    let outcome = match cli.command {
        Command::Doctor { json } => store().and_then(|store| doctor(store, json)),
        Command::Codes(codes::CodesCommand::Find { dirs, json }) => codes::find(dirs, json),
        Command::Codes(command) => store().and_then(|store| codes::run(command, store)),
        Command::Totp(command) => store().and_then(|store| totp::run(command, store)),
        Command::Backup(command) => store().and_then(|store| backup::run(command, store)),
        Command::Request(command) => request::run(command),
        Command::Path(args) => path::run(args),
        Command::Strength { user_inputs, json } => password::strength(&user_inputs, json),
        #[cfg(feature = "online")]
        Command::Pwned { api_url, json } => password::pwned(api_url.as_deref(), json),
        Command::Completions { shell } => completions(shell),
        Command::Manpages { dir } => manpages(&dir),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failed) => ExitCode::from(1),
    }
}

/// Generated scripts go to stdout as they are: they are ours, not text from outside, and a
/// filter must not touch a byte of them.
fn completions(shell: clap_complete::Shell) -> Outcome {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "pypi-recovery", &mut script);
    if shell == clap_complete::Shell::Bash {
        // clap_complete spells the state of a hyphenated binary two ways, so nothing past the
        // first word completes (clap-rs/clap#6421); use the loop's spelling in the arms too.
        let fixed =
            String::from_utf8_lossy(&script).replace("pypi__subcmd__recovery", "pypi__recovery");
        return write_stdout(fixed.as_bytes());
    }
    write_stdout(&script)
}

/// `pypi-recovery.1` and one page per subcommand, as git has; the first page gives the
/// exit-code contract its own EXIT STATUS section.
fn manpages(dir: &Path) -> Outcome {
    let write = |e: std::io::Error| fail(format!("cannot write the man pages: {e}"));
    std::fs::create_dir_all(dir).map_err(write)?;
    let command = Cli::command();
    clap_mangen::generate_to(command.clone(), dir).map_err(write)?;
    let man = clap_mangen::Man::new(command.after_help(""));
    let mut page = Vec::new();
    man.render_title(&mut page).map_err(write)?;
    man.render_name_section(&mut page).map_err(write)?;
    man.render_synopsis_section(&mut page).map_err(write)?;
    man.render_description_section(&mut page).map_err(write)?;
    man.render_options_section(&mut page).map_err(write)?;
    man.render_subcommands_section(&mut page).map_err(write)?;
    page.extend_from_slice(b".SH \"EXIT STATUS\"\n");
    for line in EXIT_STATUS.lines().skip(1) {
        let (code, meaning) = line.trim().split_once("  ").unwrap_or(("", line));
        page.extend_from_slice(format!(".TP\n\\fB{code}\\fR\n{}\n", meaning.trim()).as_bytes());
    }
    man.render_version_section(&mut page).map_err(write)?;
    pypi_recovery::files::write_atomic(&dir.join("pypi-recovery.1"), &page).map_err(write)
}

fn write_stdout(bytes: &[u8]) -> Outcome {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(bytes)
        .and_then(|()| stdout.flush())
        .map_err(|e| fail(format!("cannot write to standard output: {e}")))
}

/// Unlocks the vault file, or creates it when it does not exist yet.
fn open_vault(vault: &FileVault) -> Outcome {
    if vault.exists() {
        let passphrase = passphrase("Vault passphrase: ", false)?;
        vault.unlock(passphrase).map_err(fail)
    } else {
        let passphrase = passphrase("Passphrase for the new vault file: ", true)?;
        backup_core::check_new_passphrase(&passphrase).map_err(fail)?;
        vault.create(passphrase).map_err(fail)?;
        err!(
            "Created a new encrypted vault file at {}.",
            vault.path().display()
        );
        Ok(())
    }
}

/// The passphrase from `PYPI_RECOVERY_PASSPHRASE`, or asked for on the terminal without
/// echo (twice when `twice`, for a new one).
fn passphrase(prompt: &str, twice: bool) -> Result<SecretString, Failed> {
    if let Some(value) = std::env::var_os("PYPI_RECOVERY_PASSPHRASE") {
        return value
            .into_string()
            .map(SecretString::from)
            .map_err(|_| fail("PYPI_RECOVERY_PASSPHRASE is not valid UTF-8"));
    }
    if !std::io::stdin().is_terminal() {
        return Err(fail(
            "no terminal to ask for the passphrase on; set PYPI_RECOVERY_PASSPHRASE",
        ));
    }
    let first = SecretString::from(rpassword::prompt_password(prompt).map_err(fail)?);
    if twice {
        let again =
            SecretString::from(rpassword::prompt_password("Type it again: ").map_err(fail)?);
        if again != first {
            return Err(fail("the two passphrases differ; nothing was changed"));
        }
    }
    Ok(first)
}

fn doctor(store: &dyn SecretStore, json: bool) -> Outcome {
    let status = keychain::check(store);
    if json {
        print_json(&status, true)?;
    } else if status.available {
        out!("Keychain: {} — available.", status.backend);
    } else {
        err!(
            "Keychain: {} — unavailable.\n{}",
            status.backend,
            status.message
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
    match path {
        // A regular file on this computer only: a pipe or device would block, a share is remote.
        Some(path) => pypi_recovery::files::read_regular_file(path, MAX_READ).map_err(|e| {
            let pipe = matches!(e, pypi_recovery::files::ReadError::NotAFile);
            let hint = if pipe {
                " To pipe it in, leave out the file name."
            } else {
                ""
            };
            fail(format!("cannot read {}: {e}{hint}", path.display()))
        }),
        None => {
            let mut buffer = SecretBytes::from(Vec::new());
            std::io::stdin()
                .take(MAX_READ + 1)
                .read_to_end(buffer.expose_secret_mut())
                .map_err(|e| fail(format!("cannot read standard input: {e}")))?;
            Ok(buffer)
        }
    }
}

/// `remove --account NAME [--yes]`: the arguments of every command that deletes a secret.
#[derive(clap::Args)]
struct RemoveArgs {
    /// The account, as `list` shows it.
    #[arg(long)]
    account: String,
    /// Do not ask for confirmation (required when there is no terminal).
    #[arg(long)]
    yes: bool,
}

/// Asks a yes/no question on the terminal. Without a terminal, only `--yes` proceeds.
fn confirm(question: &str, yes: bool) -> Outcome {
    if yes {
        return Ok(());
    }
    if !std::io::stdin().is_terminal() {
        return Err(fail("no terminal to confirm on; add --yes to confirm"));
    }
    err!(no_newline, "{question} [y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer).map_err(fail)?;
    if matches!(answer.trim(), "y" | "Y" | "yes" | "Yes") {
        Ok(())
    } else {
        Err(fail("cancelled; nothing was done"))
    }
}

/// What the CLI prints, with nothing a terminal acts on.
pub(crate) fn terminal_safe(text: &str) -> std::borrow::Cow<'_, str> {
    pypi_recovery::text::inert(text)
}
