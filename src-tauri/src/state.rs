//! What the app holds between commands.

use crate::commands::online::OnlineClients;
use crate::commands::{off_main, on_store};
use crate::prompts::{Confirmation, FileQuestion, Prompts};
use crate::AppError;
use pypi_recovery::data_dir;
use pypi_recovery::keychain::{FileVault, OsKeychain, SecretStore, AUTO_LOCK_AFTER};
use pypi_recovery::request::store::RequestStore;
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// Shared state handed to every command.
pub struct AppState {
    /// The OS keychain, connected lazily so that it can recover from being unavailable at
    /// start without a restart.
    pub keychain: Arc<dyn SecretStore>,
    /// The encrypted vault file, used instead of the keychain only when the user chooses it.
    pub vault: Arc<FileVault>,
    /// True once the user has chosen the vault file for this session.
    pub use_vault: AtomicBool,
    /// The request draft and the submission log, in the app's data directory.
    pub requests: RequestStore,
    /// Status checks: GitHub is asked at most once a minute.
    pub status_refresh: pypi_recovery::online::github::RefreshLimit,
    /// The GitHub and PyPI clients, kept for their ETag caches.
    pub online: Arc<OnlineClients>,
    /// Files the last "find my recovery codes" found; the UI names them by position, so no
    /// path ever comes from the webview.
    pub found_codes: Mutex<Vec<PathBuf>>,
    /// Where that search looks: the OS's Downloads, Documents and Desktop when `None`;
    /// tests give their own folders so they never read the developer's.
    pub code_folders: Option<Vec<PathBuf>>,
    /// The native file dialogs and confirmations.
    pub prompts: Arc<dyn Prompts>,
    /// The backup file the user last chose to check or restore, in the native dialog.
    pub backup_file: Mutex<Option<PathBuf>>,
    /// Accounts whose recovery codes the user agreed to show or copy, until the app quits.
    pub codes_in_use: Mutex<HashSet<String>>,
    /// True while a native prompt is open: one at a time, so that a second one (asked by a
    /// script, say) can never stand in for the one the user is answering.
    pub(crate) prompting: AtomicBool,
}

/// Marks a prompt open until dropped.
struct Prompting<'a>(&'a AtomicBool);

impl Drop for Prompting<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::SeqCst);
    }
}

impl AppState {
    /// Where secrets go right now: the OS keychain, or the vault file the user chose.
    pub fn store(&self) -> Arc<dyn SecretStore> {
        if self.use_vault.load(Ordering::SeqCst) {
            self.vault.clone()
        } else {
            self.keychain.clone()
        }
    }

    /// Runs a keychain operation off the async runtime's threads: the keychain can block
    /// (an unlock prompt, a slow daemon) and must never freeze the window.
    pub async fn blocking<T: Send + 'static>(
        &self,
        op: impl FnOnce(&dyn SecretStore) -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, AppError> {
        on_store(&self.store(), op).await
    }

    /// Runs `ask` on a blocking thread as the one open prompt; refused while another is open.
    async fn prompt<T: Send + 'static>(
        &self,
        ask: impl FnOnce(&dyn Prompts) -> T + Send + 'static,
    ) -> Result<T, AppError> {
        if self.prompting.swap(true, Ordering::SeqCst) {
            return Err(AppError::prompt_open());
        }
        let _open = Prompting(&self.prompting);
        let prompts = self.prompts.clone();
        off_main(move || ask(prompts.as_ref())).await
    }

    /// Asks `question` natively; `Err(cancelled)` unless the user pressed the action button.
    pub async fn confirm(&self, question: Confirmation) -> Result<(), AppError> {
        if self
            .prompt(move |prompts| prompts.confirm(&question))
            .await?
        {
            Ok(())
        } else {
            Err(AppError::cancelled())
        }
    }

    /// The file the user picks in the native open dialog; `None` when they cancel.
    pub async fn open_file(&self, question: FileQuestion) -> Result<Option<PathBuf>, AppError> {
        self.prompt(move |prompts| prompts.open_file(&question))
            .await
    }

    /// Where the user chooses to save in the native dialog; `None` when they cancel.
    pub async fn save_file(&self, question: FileQuestion) -> Result<Option<PathBuf>, AppError> {
        self.prompt(move |prompts| prompts.save_file(&question))
            .await
    }

    /// State over `keychain` and `prompts`, with the vault file in the app's data directory.
    pub fn with_keychain(keychain: Arc<dyn SecretStore>, prompts: Arc<dyn Prompts>) -> Self {
        Self {
            keychain,
            vault: Arc::new(FileVault::new(
                data_dir().join("vault.age"),
                Some(AUTO_LOCK_AFTER),
            )),
            use_vault: AtomicBool::new(false),
            requests: RequestStore::new(data_dir()),
            status_refresh: Default::default(),
            online: Arc::default(),
            found_codes: Mutex::default(),
            code_folders: None,
            prompts,
            backup_file: Mutex::default(),
            codes_in_use: Mutex::default(),
            prompting: AtomicBool::new(false),
        }
    }

    /// State backed by the real OS keychain.
    pub fn new(prompts: Arc<dyn Prompts>) -> Self {
        Self::with_keychain(Arc::new(OsKeychain::new()), prompts)
    }
}
