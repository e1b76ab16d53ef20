//! `pypi-recovery backup …`: encrypted backups of the whole vault.

use super::{fail, passphrase, Outcome};
use clap::Subcommand;
use pypi_recovery::backup::{self, BackedUp, Change, Contents};
use pypi_recovery::keychain::SecretStore;
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
    }
}
