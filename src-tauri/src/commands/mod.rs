//! Commands the UI can call, grouped by domain. Each one translates: it calls one core
//! function and maps the result, nothing more.

pub mod backup;
pub mod codes;
pub mod keychain;
pub mod online;
pub mod password;
pub mod request;
pub mod totp;

use crate::AppError;

/// Runs `work` on a blocking thread, never on the main thread: a panic there becomes a typed
/// `internal` error for the UI instead of aborting the app and losing the user's last edit.
/// Every command that processes user text goes through this (or `AppState::blocking`).
pub async fn off_main<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|_| AppError::internal())
}

include!("names.rs");
