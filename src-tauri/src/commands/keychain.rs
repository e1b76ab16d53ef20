//! Keychain commands.

use crate::{AppError, AppState};
use pypi_recovery::keychain::{self, KeychainStatus};
use tauri::State;

/// Checks that the OS keychain can store, read back and delete a throwaway item. Runs off the
/// main thread: a keychain waiting on an unlock prompt must not freeze the window.
#[tauri::command]
#[specta::specta]
pub async fn keychain_status(state: State<'_, AppState>) -> Result<KeychainStatus, AppError> {
    state.blocking(|store| Ok(keychain::check(store))).await
}
