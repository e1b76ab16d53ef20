//! Recovery-code commands. Listing never carries a code; only the explicit reveal does, and
//! copying puts the code on the clipboard from Rust without it ever reaching the webview.

use crate::clipboard::{self, Copied};
use crate::{AppError, AppState};
use pypi_recovery::codes::{CodeVault, CodesSummary};
use serde::Serialize;
use tauri::{AppHandle, Runtime, State};
use time::OffsetDateTime;

/// A code the user explicitly asked to see.
#[derive(Debug, Serialize, specta::Type)]
pub struct RevealedCode {
    /// Its position in the set (0-based, import order).
    pub index: u32,
    /// The code, 16 lowercase hex characters.
    pub code: String,
}

/// Every account with stored codes: counts and used marks, never the codes.
#[tauri::command]
#[specta::specta]
pub async fn codes_list(state: State<'_, AppState>) -> Result<Vec<CodesSummary>, AppError> {
    state
        .blocking(|store| Ok(CodeVault::new(store).list()?))
        .await
}

/// Stores the codes in `text` for `account`, all or nothing.
#[tauri::command]
#[specta::specta]
pub async fn codes_import(
    state: State<'_, AppState>,
    account: String,
    text: String,
    replace: bool,
) -> Result<CodesSummary, AppError> {
    let text = pypi_recovery::secret::SecretString::from(text);
    state
        .blocking(move |store| {
            let input = text.expose_secret().as_bytes();
            Ok(
                CodeVault::new(store).import(
                    &account,
                    input,
                    replace,
                    OffsetDateTime::now_utc(),
                )?,
            )
        })
        .await
}

/// Shows the first unused code: the one explicit path by which a code reaches the UI.
#[tauri::command]
#[specta::specta]
pub async fn codes_reveal_next(
    state: State<'_, AppState>,
    account: String,
) -> Result<RevealedCode, AppError> {
    state
        .blocking(move |store| {
            let next = CodeVault::new(store).next(&account)?;
            Ok(RevealedCode {
                index: next.index as u32,
                code: next.code.expose_secret().clone(),
            })
        })
        .await
}

/// Copies the first unused code to the clipboard, which clears itself after 30 s unless the
/// user has copied something else since.
#[tauri::command]
#[specta::specta]
pub async fn codes_copy_next<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    account: String,
) -> Result<Copied, AppError> {
    let next = state
        .blocking(move |store| Ok(CodeVault::new(store).next(&account)?))
        .await?;
    clipboard::copy_secret(&app, next.code, Some(next.index as u32))
}

/// Marks the code at `index` used, or (with `used: false`) undoes that.
#[tauri::command]
#[specta::specta]
pub async fn codes_set_used(
    state: State<'_, AppState>,
    account: String,
    index: u32,
    used: bool,
) -> Result<CodesSummary, AppError> {
    state
        .blocking(move |store| {
            Ok(CodeVault::new(store).set_used(&account, index as usize, used)?)
        })
        .await
}

/// Removes an account's codes (the UI asks for confirmation first).
#[tauri::command]
#[specta::specta]
pub async fn codes_remove(state: State<'_, AppState>, account: String) -> Result<bool, AppError> {
    state
        .blocking(move |store| Ok(CodeVault::new(store).remove(&account)?))
        .await
}
