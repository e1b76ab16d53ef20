//! Keychain commands.

use super::off_main;
use crate::{AppError, AppState};
use pypi_recovery::keychain::{self, KeychainStatus};
use tauri::State;

/// Checks that the OS keychain (never the vault file) can store, read back and delete a throwaway item. Runs off the
/// main thread: a keychain waiting on an unlock prompt must not freeze the window.
#[tauri::command]
#[specta::specta]
pub async fn keychain_status(state: State<'_, AppState>) -> Result<KeychainStatus, AppError> {
    // Always the OS keychain, even while the vault file is in use: this is what tells the
    // user whether they can go back to it.
    let keychain = state.keychain.clone();
    off_main(move || keychain::check(keychain.as_ref())).await
}
