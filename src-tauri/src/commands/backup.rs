//! Backup and vault-file commands. Passphrases cross IPC because the user typed them here;
//! they are never stored or logged. Files are chosen in the native dialog and read and
//! written in Rust.

use super::off_main;
use crate::{AppError, AppState};
use pypi_recovery::backup::{self, BackupError, Contents, RestorePlan};
use pypi_recovery::codes::CodeVault;
use pypi_recovery::secret::SecretString;
use pypi_recovery::totp::{QrMatrix, TotpVault};
use serde::Serialize;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use time::OffsetDateTime;

/// Writes an encrypted backup of everything stored to `path`.
#[tauri::command]
#[specta::specta]
pub async fn backup_export(
    state: tauri::State<'_, AppState>,
    path: PathBuf,
    passphrase: String,
) -> Result<Contents, AppError> {
    let passphrase = SecretString::from(passphrase);
    state
        .blocking(move |store| {
            Ok(backup::export_to_file(
                store,
                &path,
                &passphrase,
                OffsetDateTime::now_utc(),
            )?)
        })
        .await
}

/// Decrypts a backup and shows what it holds, without changing anything.
#[tauri::command]
#[specta::specta]
pub async fn backup_verify(path: PathBuf, passphrase: String) -> Result<Contents, AppError> {
    let passphrase = SecretString::from(passphrase);
    off_main(move || {
        let file = backup::read_file(&path)?;
        Ok(backup::verify(&file, &passphrase)?)
    })
    .await?
}

/// What restoring a backup would change (`overwrite: false`), or restores it (`true`:
/// replacing what differs). All or nothing either way.
#[tauri::command]
#[specta::specta]
pub async fn backup_restore(
    state: tauri::State<'_, AppState>,
    path: PathBuf,
    passphrase: String,
    apply: bool,
    overwrite: bool,
) -> Result<RestorePlan, AppError> {
    let passphrase = SecretString::from(passphrase);
    state
        .blocking(move |store| {
            let file = backup::read_file(&path)?;
            Ok(if apply {
                backup::restore(store, &file, &passphrase, overwrite)?
            } else {
                backup::plan_restore(store, &file, &passphrase)?
            })
        })
        .await
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
    /// Already used (printed struck through).
    pub used: bool,
}

/// Everything the paper kit prints: secrets, on the user's explicit "Print paper kit".
#[tauri::command]
#[specta::specta]
pub async fn paper_kit(
    state: tauri::State<'_, AppState>,
    include_qr: bool,
) -> Result<Vec<PaperPage>, AppError> {
    state
        .blocking(move |store| {
            let codes = CodeVault::new(store);
            let totp = TotpVault::new(store);
            let mut pages: Vec<PaperPage> = Vec::new();
            let page = |pages: &mut Vec<PaperPage>, account: &str| -> usize {
                pages
                    .iter()
                    .position(|p| p.account == account)
                    .unwrap_or_else(|| {
                        pages.push(PaperPage {
                            account: account.to_owned(),
                            codes: Vec::new(),
                            totp: None,
                            qr: None,
                        });
                        pages.len() - 1
                    })
            };
            for summary in codes.list()? {
                let set = codes.reveal_all(&summary.account)?;
                let i = page(&mut pages, &summary.account);
                pages[i].codes = set
                    .into_iter()
                    .map(|(code, used)| PaperCode {
                        code: code.expose_secret().clone(),
                        used,
                    })
                    .collect();
            }
            for summary in totp.list()? {
                let i = page(&mut pages, &summary.account);
                pages[i].totp = Some(match &summary.issuer {
                    Some(issuer) => format!("{issuer}: {}", summary.label),
                    None => summary.label.clone(),
                });
                if include_qr {
                    pages[i].qr = totp.reveal(&summary.account)?.qr;
                }
            }
            pages.sort_by(|a, b| a.account.cmp(&b.account));
            Ok(pages)
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
    /// Its path.
    pub path: String,
}

fn vault_status(state: &AppState) -> VaultStatus {
    VaultStatus {
        in_use: state.use_vault.load(Ordering::SeqCst),
        exists: state.vault.exists(),
        locked: state.vault.is_locked(),
        path: state.vault.path().display().to_string(),
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
        } else if passphrase.expose_secret().chars().count() < backup::MIN_PASSPHRASE_CHARS {
            Err(BackupError::WeakPassphrase.into())
        } else {
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

/// Where a new backup goes unless the user picks another place: the documents folder (or
/// home), named with today's date.
#[tauri::command]
#[specta::specta]
pub fn backup_suggested_path() -> String {
    let dir = dirs::document_dir()
        .or_else(dirs::home_dir)
        .unwrap_or_default();
    let today = OffsetDateTime::now_utc().date();
    dir.join(format!("pypi-recovery-backup-{today}.age"))
        .display()
        .to_string()
}
