//! `pypi-recovery totp …`: the authenticator backup from the command line.

use super::{confirm, fail, print_json, read_input, Failed, Outcome, RemoveArgs};
use clap::Subcommand;
use pypi_recovery::keychain::SecretStore;
use pypi_recovery::secret::SecretString;
use pypi_recovery::totp::{parse_uri, read_qr_file, TotpBackups, TotpKey};
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};
use time::OffsetDateTime;

#[derive(Subcommand)]
pub enum TotpCommand {
    /// Store an authenticator secret: an otpauth:// link on stdin, or a QR code image.
    Import {
        /// The name to store it under, such as your PyPI username.
        #[arg(long)]
        account: String,
        /// A PNG or JPEG screenshot of the QR code, instead of a link on stdin.
        #[arg(long, value_name = "IMAGE")]
        qr: Option<PathBuf>,
        /// Replace a backup already stored for this account.
        #[arg(long)]
        replace: bool,
    },
    /// Print the current code, alone on stdout.
    Code {
        /// The account.
        #[arg(long)]
        account: String,
        /// Compute the code at this instant (Unix seconds) instead of now.
        #[arg(long, value_name = "UNIX_SECONDS")]
        at: Option<u64>,
    },
    /// Check a code from your phone against the backup (±1 step, like PyPI).
    Verify {
        /// The account.
        #[arg(long)]
        account: String,
        /// The code your authenticator app shows.
        code: String,
        /// Check at this instant (Unix seconds) instead of now.
        #[arg(long, value_name = "UNIX_SECONDS")]
        at: Option<u64>,
    },
    /// List stored backups (never the secrets).
    List {
        /// Print JSON: [{"account", "issuer", "label", "algorithm", "digits", "period", …}].
        #[arg(long)]
        json: bool,
    },
    /// Remove an account's backup from the keychain.
    Remove(RemoveArgs),
}

pub fn run(command: TotpCommand, store: &dyn SecretStore) -> Outcome {
    let backups = TotpBackups::new(store);
    match command {
        TotpCommand::Import {
            account,
            qr,
            replace,
        } => {
            let key = read_key(qr)?;
            let summary = backups
                .import(&account, key, replace, OffsetDateTime::now_utc())
                .map_err(fail)?;
            let issuer = summary.issuer.as_deref().unwrap_or("no issuer");
            err!(
                "Stored the authenticator backup for {} ({issuer}, {} digits every {} s) in the {}.",
                summary.account,
                summary.digits,
                summary.period,
                store.backend()
            );
            if summary.weak {
                err!(
                    "Note: this secret has only {} bits (128 or more is recommended). It works, but is easier to guess.",
                    summary.secret_bits
                );
            }
            err!("Check it: `pypi-recovery totp verify --account {} CODE` with the code your phone shows.", summary.account);
            Ok(())
        }
        TotpCommand::Code { account, at } => {
            let current = backups
                .code(&account, at.unwrap_or_else(now))
                .map_err(fail)?;
            // The contract of `totp code`: the code, alone on stdout, because the user asked for it.
            out!("{}", current.code.expose_secret());
            Ok(())
        }
        TotpCommand::Verify { account, code, at } => {
            let verdict = backups
                .verify(&account, &SecretString::from(code), at.unwrap_or_else(now))
                .map_err(fail)?;
            if verdict.is_match() {
                out!("{}", verdict.message());
                Ok(())
            } else {
                Err(fail(verdict.message()))
            }
        }
        TotpCommand::List { json } => {
            let summaries = backups.list().map_err(fail)?;
            if json {
                print_json(&summaries, false)?;
            } else if summaries.is_empty() {
                out!("No authenticator backups are stored yet. Import one with `pypi-recovery totp import --account NAME`.");
            } else {
                for s in &summaries {
                    let weak = if s.weak { ", short secret" } else { "" };
                    out!(
                        "{}: {} {}, {} digits every {} s, {}{weak}, imported {}",
                        s.account,
                        s.issuer.as_deref().unwrap_or("(no issuer)"),
                        s.label,
                        s.digits,
                        s.period,
                        s.algorithm,
                        s.imported
                    );
                }
            }
            Ok(())
        }
        TotpCommand::Remove(RemoveArgs { account, yes }) => {
            let summary = backups.summary(&account).map_err(fail)?;
            let question = format!(
                "Remove the authenticator backup for {} from the keychain? Your phone keeps working, but this copy cannot be brought back.",
                summary.account
            );
            confirm(&question, yes)?;
            backups.remove(&account).map_err(fail)?;
            err!("Removed the authenticator backup for {}.", summary.account);
            Ok(())
        }
    }
}

/// The key from a QR image, or from an otpauth link on stdin.
fn read_key(qr: Option<PathBuf>) -> Result<TotpKey, Failed> {
    let link = match qr {
        Some(path) => read_qr_file(&path).map_err(fail)?,
        None => {
            let input = read_input(None)?;
            let text = std::str::from_utf8(input.expose_secret())
                .map_err(|_| fail("standard input is not text; pipe the otpauth:// link"))?;
            SecretString::from(text)
        }
    };
    parse_uri(link.expose_secret()).map_err(fail)
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
