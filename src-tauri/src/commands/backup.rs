//! Backup and vault-file commands. Passphrases cross IPC because the user typed them here;
//! they are never stored or logged. Files are chosen in native dialogs that Rust opens, so no
//! path ever comes from the webview.

use super::{off_main, on_store};
use crate::prompts::{Confirmation, FileQuestion};
use crate::{AppError, AppState};
use pypi_recovery::backup::{self, BackupError, Contents, RestorePlan};
use pypi_recovery::secret::SecretString;
use pypi_recovery::totp::QrMatrix;
use serde::Serialize;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use time::OffsetDateTime;

const BACKUP_FILES: (&str, &str) = ("Encrypted backup (age)", "age");

/// A backup just written.
#[derive(Debug, Serialize, specta::Type)]
pub struct SavedBackup {
    /// What it holds.
    pub contents: Contents,
    /// The file's name, for the message (display only; the path stays in Rust). It is also
    /// the file "Check backup" opens next.
    pub name: String,
}

/// Encrypts everything stored, then asks in the native save dialog where to write it (named
/// with today's date, in the documents folder). `None` when the user cancels there.
#[tauri::command]
#[specta::specta]
pub async fn backup_export(
    state: tauri::State<'_, AppState>,
    passphrase: String,
) -> Result<Option<SavedBackup>, AppError> {
    let passphrase = SecretString::from(passphrase);
    let now = OffsetDateTime::now_utc();
    // A weak passphrase or an empty keychain is said before any dialog opens.
    let (file, contents) = state
        .blocking(move |store| Ok(backup::export(store, &passphrase, now)?))
        .await?;
    let accounts: Vec<&str> = contents
        .accounts
        .iter()
        .map(|a| a.account.as_str())
        .collect();
    let Some(path) = state
        .save_file(FileQuestion {
            title: format!("Save the encrypted backup of {}", accounts.join(", ")),
            kind: BACKUP_FILES,
            folder: dirs::document_dir().or_else(dirs::home_dir),
            file_name: Some(format!("pypi-recovery-backup-{}.age", now.date())),
        })
        .await?
    else {
        return Ok(None);
    };
    let written = path.clone();
    off_main(move || {
        pypi_recovery::files::write_chosen(&written, &file).map_err(|e| {
            BackupError::File(format!("{} could not be written: {e}", written.display()))
        })
    })
    .await??;
    let name = file_name(&path);
    *state.backup_file.lock().unwrap_or_else(|p| p.into_inner()) = Some(path);
    Ok(Some(SavedBackup { contents, name }))
}

fn file_name(path: &std::path::Path) -> String {
    path.file_name()
        .unwrap_or(path.as_os_str())
        .to_string_lossy()
        .into_owned()
}

/// Asks for the backup file to check or restore in the native open dialog, and remembers
/// it for `backup_verify` and `backup_restore` (a backup just made is remembered too). Its name, or `None` when the user cancels.
#[tauri::command]
#[specta::specta]
pub async fn backup_choose_file(
    state: tauri::State<'_, AppState>,
) -> Result<Option<String>, AppError> {
    let chosen = state
        .open_file(FileQuestion {
            title: "Choose a backup to check or restore".into(),
            kind: BACKUP_FILES,
            folder: dirs::document_dir().or_else(dirs::home_dir),
            file_name: None,
        })
        .await?;
    let name = chosen.as_deref().map(file_name);
    if chosen.is_some() {
        *state.backup_file.lock().unwrap_or_else(|p| p.into_inner()) = chosen;
    }
    Ok(name)
}

fn chosen_backup(state: &AppState) -> Result<PathBuf, AppError> {
    state
        .backup_file
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone()
        .ok_or_else(AppError::choose_backup)
}

/// Decrypts the chosen backup and shows what it holds, without changing anything.
#[tauri::command]
#[specta::specta]
pub async fn backup_verify(
    state: tauri::State<'_, AppState>,
    passphrase: String,
) -> Result<Contents, AppError> {
    let path = chosen_backup(&state)?;
    let passphrase = SecretString::from(passphrase);
    off_main(move || {
        let file = backup::read_file(&path)?;
        Ok(backup::verify(&file, &passphrase)?)
    })
    .await?
}

/// What restoring the chosen backup would change (`apply: false`), or restores it: all or
/// nothing, and replacing what differs only once the user confirms it natively.
#[tauri::command]
#[specta::specta]
pub async fn backup_restore(
    state: tauri::State<'_, AppState>,
    passphrase: String,
    apply: bool,
) -> Result<RestorePlan, AppError> {
    let path = chosen_backup(&state)?;
    let passphrase = Arc::new(SecretString::from(passphrase));
    // Read once, on one store: what the user confirms is what gets written, and where.
    let file = Arc::new(off_main(move || backup::read_file(&path)).await??);
    let store = state.store();
    let attempt = |overwrite: Option<Vec<String>>| {
        let (file, passphrase) = (file.clone(), passphrase.clone());
        on_store(&store, move |store| {
            Ok(match (apply, overwrite) {
                (false, _) => backup::plan_restore(store, &file, &passphrase),
                (true, None) => backup::restore(store, &file, &passphrase, false),
                (true, Some(accounts)) => {
                    backup::restore_confirmed(store, &file, &passphrase, &accounts)
                }
            })
        })
    };
    let restored = match attempt(None).await? {
        Err(BackupError::WouldOverwrite(accounts)) => {
            state
                .confirm(Confirmation {
                    title: format!("Replace what is stored for {}?", accounts.join(", ")),
                    message: "The backup holds other codes or keys for these accounts than \
                              the ones stored now. Restoring deletes the stored ones and keeps \
                              the backup's."
                        .into(),
                    action: "Replace".into(),
                })
                .await?;
            attempt(Some(accounts)).await??
        }
        other => other?,
    };
    if apply {
        // Done with that file: a later call cannot quietly restore it again.
        *state.backup_file.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }
    Ok(restored)
}

/// One account's page of the paper kit.
#[derive(Debug, Serialize, specta::Type)]
pub struct PaperPage {
    /// The account.
    pub account: String,
    /// Its recovery codes with their used marks, in order.
    pub codes: Vec<PaperCode>,
    /// Its authenticator's issuer and label, when it has one.
    pub totp: Option<String>,
    /// Its authenticator as a QR code, when asked for.
    pub qr: Option<QrMatrix>,
}

/// A code on paper.
#[derive(Debug, Serialize, specta::Type)]
pub struct PaperCode {
    /// The code, 16 hex characters.
    pub code: String,
    /// The code as it is shown, in groups of four.
    pub grouped: String,
    /// Already used (printed struck through).
    pub used: bool,
}

/// Everything the paper kit prints: secrets, sent to the webview only once the user
/// confirms it natively.
#[tauri::command]
#[specta::specta]
pub async fn paper_kit(
    state: tauri::State<'_, AppState>,
    include_qr: bool,
) -> Result<Vec<PaperPage>, AppError> {
    let store = state.store();
    let accounts = on_store(&store, |store| Ok(backup::paper::accounts(store)?)).await?;
    // Asked before any secret is gathered: nothing is held while the question is open.
    state
        .confirm(Confirmation {
            title: "Print every recovery code?".into(),
            message: format!(
                "The paper kit shows every stored recovery code{} for {}. Print it with nobody \
                 watching, keep the paper somewhere safe, and close the preview when done.",
                if include_qr {
                    " and each authenticator key as a QR code"
                } else {
                    ""
                },
                accounts.join(", ")
            ),
            action: "Show the kit".into(),
        })
        .await?;
    on_store(&store, move |store| {
        let pages = backup::paper::assemble(store, &accounts, include_qr)?;
        Ok(pages
            .into_iter()
            .map(|page| PaperPage {
                account: page.account,
                codes: (page.codes.into_iter())
                    .map(|(code, used)| PaperCode {
                        code: code.expose_secret().clone(),
                        grouped: pypi_recovery::secret::grouped(code.expose_secret()),
                        used,
                    })
                    .collect(),
                totp: page.totp,
                qr: page.qr,
            })
            .collect())
    })
    .await
}

/// Where secrets are kept right now, for the status line.
#[derive(Debug, Serialize, specta::Type)]
pub struct VaultStatus {
    /// True when the encrypted vault file is in use instead of the OS keychain.
    pub in_use: bool,
    /// True when the vault file exists.
    pub exists: bool,
    /// True when it must be unlocked (never unlocked, or locked after 5 minutes unused).
    pub locked: bool,
    /// Where it is, for the status line (display only: no command takes it back).
    pub location: String,
}

fn vault_status(state: &AppState) -> VaultStatus {
    VaultStatus {
        in_use: state.use_vault.load(Ordering::SeqCst),
        exists: state.vault.exists(),
        locked: state.vault.is_locked(),
        location: state.vault.path().display().to_string(),
    }
}

/// The vault file's state.
#[tauri::command]
#[specta::specta]
pub fn vault_status_get(state: tauri::State<'_, AppState>) -> VaultStatus {
    vault_status(&state)
}

/// Creates the vault file (when it does not exist) or unlocks it, and uses it from now on.
#[tauri::command]
#[specta::specta]
pub async fn vault_open(
    state: tauri::State<'_, AppState>,
    passphrase: String,
) -> Result<VaultStatus, AppError> {
    let passphrase = SecretString::from(passphrase);
    let vault = state.vault.clone();
    off_main(move || -> Result<(), AppError> {
        if vault.exists() {
            Ok(vault.unlock(passphrase)?)
        } else {
            backup::check_new_passphrase(&passphrase)?;
            Ok(vault.create(passphrase)?)
        }
    })
    .await??;
    state.use_vault.store(true, Ordering::SeqCst);
    Ok(vault_status(&state))
}

/// Locks the vault file now: the passphrase and the decrypted items are wiped from memory.
#[tauri::command]
#[specta::specta]
pub fn vault_lock(state: tauri::State<'_, AppState>) -> VaultStatus {
    state.vault.lock();
    vault_status(&state)
}

/// Goes back to the OS keychain (the vault file stays on disk, locked).
#[tauri::command]
#[specta::specta]
pub fn vault_leave(state: tauri::State<'_, AppState>) -> VaultStatus {
    state.vault.lock();
    state.use_vault.store(false, Ordering::SeqCst);
    vault_status(&state)
}
