//! `pypi-recovery backup …`: encrypted backups of every stored code set and TOTP backup.

use super::{confirm, fail, passphrase, Outcome};
use clap::Subcommand;
use pypi_recovery::backup::{self, paper, BackedUp, Change, Contents};
use pypi_recovery::keychain::SecretStore;
use pypi_recovery::secret::grouped;
use pypi_recovery::totp::QrMatrix;
use std::path::PathBuf;
use time::OffsetDateTime;

#[derive(Subcommand)]
pub enum BackupCommand {
    /// Write every recovery code and authenticator secret to one age-encrypted file.
    Export {
        /// The file to write (age format; `age -d` opens it too).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Decrypt a backup and show what it holds (never the secrets).
    Verify {
        /// The backup file.
        file: PathBuf,
    },
    /// Restore a backup into the keychain (or the vault file), all or nothing.
    Restore {
        /// The backup file.
        file: PathBuf,
        /// Replace accounts that already exist with different contents.
        #[arg(long)]
        overwrite: bool,
    },
    /// Print every recovery code (and each authenticator's QR code with --qr) to standard
    /// output, one section per account, to print on paper.
    Paper {
        /// Also print each authenticator's key as a QR code (text blocks).
        #[arg(long)]
        qr: bool,
        /// Do not ask for confirmation (required when there is no terminal).
        #[arg(long)]
        yes: bool,
    },
}

/// The paper kit as text: each account's codes grouped and numbered, used ones marked.
fn print_paper(pages: &[paper::PaperPage]) {
    out!("PyPI recovery paper kit. Keep it somewhere safe; each recovery code works once.");
    for page in pages {
        out!("");
        out!("== {} ==", page.account);
        if !page.codes.is_empty() {
            let used = page.codes.iter().filter(|(_, used)| *used).count();
            out!("Recovery codes ({used} of {} used):", page.codes.len());
            for (i, (code, used)) in page.codes.iter().enumerate() {
                let mark = if *used { "  (used)" } else { "" };
                out!("  {:>2}. {}{mark}", i + 1, grouped(code.expose_secret()));
            }
        }
        if let Some(title) = &page.totp {
            out!("Authenticator: {title}");
        }
        if let Some(qr) = &page.qr {
            out!("{}", qr_text(qr));
        }
    }
}

/// A QR code in half-block characters, two rows per line, dark modules as ink, with the
/// four-module quiet zone scanners need.
fn qr_text(qr: &QrMatrix) -> String {
    const QUIET: usize = 4;
    let width = qr.width as usize;
    let size = width + 2 * QUIET;
    let dark = |x: usize, y: usize| {
        let inside = |v: usize| (QUIET..QUIET + width).contains(&v);
        inside(x) && inside(y) && qr.dark[(y - QUIET) * width + (x - QUIET)]
    };
    let mut text = String::new();
    for y in (0..size).step_by(2) {
        for x in 0..size {
            text.push(match (dark(x, y), dark(x, y + 1)) {
                (true, true) => '█',
                (true, false) => '▀',
                (false, true) => '▄',
                (false, false) => ' ',
            });
        }
        text.push('\n');
    }
    text
}

fn print_contents(contents: &Contents) {
    out!("Backup made {}:", contents.created);
    for account in &contents.accounts {
        let mut parts = Vec::new();
        if let Some([total, unused]) = account.recovery_codes {
            parts.push(format!("{unused} of {total} recovery codes unused"));
        }
        if let Some(totp) = &account.totp {
            parts.push(format!("authenticator ({totp})"));
        }
        out!("  {}: {}", account.account, parts.join("; "));
    }
}

pub fn run(command: BackupCommand, store: &dyn SecretStore) -> Outcome {
    match command {
        BackupCommand::Export { out } => {
            let passphrase = passphrase("Passphrase for the backup: ", true)?;
            let contents =
                backup::export_to_file(store, &out, &passphrase, OffsetDateTime::now_utc())
                    .map_err(fail)?;
            err!(
                "Wrote an encrypted backup of {} account(s) to {}.",
                contents.accounts.len(),
                out.display()
            );
            err!(
                "Check it now: pypi-recovery backup verify {}",
                out.display()
            );
            Ok(())
        }
        BackupCommand::Verify { file } => {
            let bytes = backup::read_file(&file).map_err(fail)?;
            let passphrase = passphrase("Passphrase of the backup: ", false)?;
            let contents = backup::verify(&bytes, &passphrase).map_err(fail)?;
            print_contents(&contents);
            err!("The backup opens and every item in it is valid.");
            Ok(())
        }
        BackupCommand::Restore { file, overwrite } => {
            let bytes = backup::read_file(&file).map_err(fail)?;
            let passphrase = passphrase("Passphrase of the backup: ", false)?;
            let plan = backup::restore(store, &bytes, &passphrase, overwrite).map_err(fail)?;
            for item in &plan.items {
                let what = match item.kind {
                    BackedUp::Totp => "authenticator",
                    BackedUp::RecoveryCodes => "recovery codes",
                };
                let done = match item.change {
                    Change::Add => "added",
                    Change::Same => "already up to date",
                    Change::Replace => "replaced",
                };
                out!("{}: {what} {done}", item.account);
            }
            Ok(())
        }
        BackupCommand::Paper { qr, yes } => {
            let accounts = paper::accounts(store).map_err(fail)?;
            if accounts.is_empty() {
                return Err(fail(
                    "nothing is stored yet; import recovery codes or an authenticator first",
                ));
            }
            // Asked before any secret is gathered or printed.
            let question = format!(
                "Print every recovery code{} for {}?",
                if qr { " and authenticator QR code" } else { "" },
                accounts.join(", ")
            );
            confirm(&question, yes)?;
            let pages = paper::assemble(store, &accounts, qr).map_err(fail)?;
            print_paper(&pages);
            Ok(())
        }
    }
}
