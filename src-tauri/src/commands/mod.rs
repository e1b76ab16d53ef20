//! Commands the UI can call, grouped by domain. Each one translates: it calls one core
//! function and maps the result, nothing more.

pub mod backup;
pub mod codes;
pub mod keychain;
pub mod online;
pub mod password;
pub mod request;
pub mod totp;

use crate::prompts::Confirmation;
use crate::{AppError, AppState, ErrorCode};
use pypi_recovery::keychain::SecretStore;
use std::sync::Arc;

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

/// Runs `op` on `store` off the main thread. A command that asks the user between two steps
/// takes the store once, so that both act on the same one whatever happens meanwhile.
pub async fn on_store<T: Send + 'static>(
    store: &Arc<dyn SecretStore>,
    op: impl FnOnce(&dyn SecretStore) -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    let store = store.clone();
    off_main(move || op(store.as_ref())).await?
}

/// Runs `import` without replacing; when the account already has one stored, asks `question`
/// natively and, only on yes, runs it again replacing. The webview never decides to replace.
pub async fn import_confirming_replace<T: Send + 'static>(
    state: &AppState,
    question: Confirmation,
    import: impl Fn(&dyn SecretStore, bool) -> Result<T, AppError> + Send + Sync + 'static,
) -> Result<T, AppError> {
    let import = Arc::new(import);
    let store = state.store();
    let first = {
        let import = import.clone();
        on_store(&store, move |store| import(store, false)).await
    };
    match first {
        Err(error)
            if matches!(
                error.code,
                ErrorCode::CodesWouldReplace | ErrorCode::TotpWouldReplace
            ) =>
        {
            state.confirm(question).await?;
            on_store(&store, move |store| import(store, true)).await
        }
        other => other,
    }
}

include!("names.rs");
