//! What the app holds between commands.

use pypi_recovery::keychain::{OsKeychain, SecretStore};
use std::sync::Arc;

/// Shared state handed to every command.
pub struct AppState {
    /// Where secrets persist. The OS keychain, connected lazily so that it can recover
    /// from being unavailable at start without a restart.
    pub keychain: Arc<dyn SecretStore>,
}

impl AppState {
    /// State backed by the real OS keychain.
    pub fn new() -> Self {
        Self {
            keychain: Arc::new(OsKeychain::new()),
        }
    }
}

impl Default for AppState {
    fn default() -> Self {
        Self::new()
    }
}
