//! `pypi-recovery codes …`: the recovery-code sets from the command line.

use super::{confirm, fail, read_input, Outcome, RemoveArgs};
use clap::Subcommand;
use pypi_recovery::codes::find::{default_folders, find_code_files, MAX_TIME};
use pypi_recovery::codes::{CodeSets, REGENERATE_URL};
use pypi_recovery::keychain::SecretStore;
use pypi_recovery::secret::SecretString;
use std::path::PathBuf;
use time::OffsetDateTime;

#[derive(Subcommand)]
pub enum CodesCommand {
    /// Store an account's recovery codes: PyPI's downloaded file, or its copied text on stdin.
    Import {
        /// The PyPI account the codes belong to.
        #[arg(long)]
        account: String,
        /// The codes file; read from stdin when absent.
        file: Option<PathBuf>,
        /// Replace a set already stored for this account (after generating a new one on PyPI).
        #[arg(long)]
        replace: bool,
    },
    /// List accounts with their remaining and total codes (never the codes).
    List {
        /// Print JSON: [{"account", "total", "remaining", "imported"}].
        #[arg(long)]
        json: bool,
    },
    /// Print the first unused code, alone on stdout.
    Next {
        /// The PyPI account.
        #[arg(long)]
        account: String,
    },
    /// Mark a code as used.
    Use {
        /// The PyPI account.
        #[arg(long)]
        account: String,
        /// The code that was used (any case; spaces and dashes are ignored).
        code: String,
    },
    /// Look for saved sets of recovery codes in Downloads, Documents and Desktop (3 levels
    /// deep, small text files only, no links followed). Prints where each set is and how many
    /// codes it holds, never a code; exits 0 even when nothing is found.
    Find {
        /// Look here instead of the default folders (repeatable).
        #[arg(long = "dir", value_name = "DIR")]
        dirs: Vec<PathBuf>,
        /// Print JSON: [{"path", "account", "site", "codes"}].
        #[arg(long)]
        json: bool,
    },
    /// Remove an account's codes from the keychain.
    Remove(RemoveArgs),
}

/// `codes find`: needs no keychain, so it runs before any store is opened.
pub fn find(dirs: Vec<PathBuf>, json: bool) -> Outcome {
    let folders = if dirs.is_empty() {
        default_folders()
    } else {
        dirs
    };
    let started = std::time::Instant::now();
    let report = find_code_files(&folders, |_| {
        if started.elapsed() > MAX_TIME {
            std::ops::ControlFlow::Break(())
        } else {
            std::ops::ControlFlow::Continue(())
        }
    });
    if json {
        out!(
            "{}",
            serde_json::to_string_pretty(&report.sets).expect("found sets serialise")
        );
    } else if report.sets.is_empty() {
        out!("No saved recovery codes found.");
    } else {
        for set in &report.sets {
            let whose = match (&set.account, set.site) {
                (Some(account), Some(site)) => format!(" ({} account {account})", site.name()),
                (None, Some(site)) => format!(" ({})", site.name()),
                _ => String::new(),
            };
            out!("{}: {} codes{whose}", set.path.display(), set.codes);
        }
    }
    let searched: Vec<String> = report
        .searched
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    err!("Searched {}.", searched.join(", "));
    if report.unreadable_folders > 0 {
        let n = report.unreadable_folders;
        err!(
            "{n} {} could not be opened and {} skipped.",
            if n == 1 { "folder" } else { "folders" },
            if n == 1 { "was" } else { "were" }
        );
    }
    if report.stopped_early {
        err!("The search stopped early: the folders hold too many files, or are slow to read. Try --dir with a narrower folder.");
    }
    Ok(())
}

pub fn run(command: CodesCommand, store: &dyn SecretStore) -> Outcome {
    let sets = CodeSets::new(store);
    match command {
        CodesCommand::Import {
            account,
            file,
            replace,
        } => {
            let input = read_input(file.as_deref())?;
            let summary = sets
                .import(
                    &account,
                    input.expose_secret(),
                    replace,
                    OffsetDateTime::now_utc(),
                )
                .map_err(fail)?;
            err!(
                "Stored {} recovery codes for {} in the {}.",
                summary.total,
                summary.account,
                store.backend()
            );
            Ok(())
        }
        CodesCommand::List { json } => {
            let summaries = sets.list().map_err(fail)?;
            if json {
                let rows: Vec<_> = summaries
                    .iter()
                    .map(|s| {
                        serde_json::json!({
                            "account": s.account,
                            "total": s.total,
                            "remaining": s.remaining,
                            "imported": s.imported,
                        })
                    })
                    .collect();
                out!("{}", serde_json::Value::Array(rows));
            } else if summaries.is_empty() {
                out!("No recovery codes are stored yet. Import them with `pypi-recovery codes import --account NAME FILE`.");
            } else {
                for s in &summaries {
                    let warning = if s.low {
                        "  (few left: generate a new set)"
                    } else {
                        ""
                    };
                    out!(
                        "{}: {} of {} unused, imported {}{warning}",
                        s.account,
                        s.remaining,
                        s.total,
                        s.imported
                    );
                }
            }
            Ok(())
        }
        CodesCommand::Next { account } => {
            let next = sets.next(&account).map_err(fail)?;
            // The contract of `codes next`: the code, alone on stdout, because the user asked for it.
            let code = next.code.expose_secret();
            out!("{code}");
            let summary = sets.summary(&account).map_err(fail)?;
            if summary.low {
                err!(
                    "Only {} unused codes left (this one included). Generate a new set at {REGENERATE_URL}",
                    summary.remaining
                );
            }
            Ok(())
        }
        CodesCommand::Use { account, code } => {
            let summary = sets
                .use_code(&account, &SecretString::from(code))
                .map_err(fail)?;
            err!(
                "Marked as used. {} of {} codes left.",
                summary.remaining,
                summary.total
            );
            if summary.low {
                err!("Few codes left: generate a new set at {REGENERATE_URL}");
            }
            Ok(())
        }
        CodesCommand::Find { dirs, json } => find(dirs, json),
        CodesCommand::Remove(RemoveArgs { account, yes }) => {
            let summary = sets.summary(&account).map_err(fail)?;
            let question = format!(
                "Remove the recovery codes for {} ({} unused) from the keychain? This cannot be undone.",
                summary.account, summary.remaining
            );
            confirm(&question, yes)?;
            sets.remove(&account).map_err(fail)?;
            err!("Removed the recovery codes for {}.", summary.account);
            Ok(())
        }
    }
}
