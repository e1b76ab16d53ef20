//! What the app holds between commands.

use crate::AppError;
use pypi_recovery::data_dir;
use pypi_recovery::keychain::{OsKeychain, SecretStore};
use pypi_recovery::request::store::RequestStore;
use std::sync::Arc;

/// Shared state handed to every command.
pub struct AppState {
    /// Where secrets persist. The OS keychain, connected lazily so that it can recover
    /// from being unavailable at start without a restart.
    pub keychain: Arc<dyn SecretStore>,
    /// The request draft and the submission log, in the app's data directory.
    pub requests: RequestStore,
}

impl AppState {
    /// Runs a keychain operation off the async runtime's threads: the keychain can block
    /// (an unlock prompt, a slow daemon) and must never freeze the window.
    pub async fn blocking<T: Send + 'static>(
        &self,
        op: impl FnOnce(&dyn SecretStore) -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, AppError> {
        let store = self.keychain.clone();
        tauri::async_runtime::spawn_blocking(move || op(store.as_ref()))
            .await
            .map_err(|_| AppError::internal())?
    }

    /// State backed by the real OS keychain.
    pub fn new() -> Self {
        Self {
            keychain: Arc::new(OsKeychain::new()),
            requests: RequestStore::new(data_dir()),
        }
    }
}

impl Default for AppState {
    fn default() -> Self {
        Self::new()
    }
}
