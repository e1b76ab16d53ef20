//! The one error type the UI sees: `{code, message}`, mapped explicitly from each core error.

use pypi_recovery::backup::BackupError;
use pypi_recovery::codes::CodesError;
use pypi_recovery::files::ReadError;
use pypi_recovery::keychain::KeychainError;
use pypi_recovery::online::OnlineError;
use pypi_recovery::request::store::StoreError;
use pypi_recovery::request::RequestError;
use pypi_recovery::strength::HibpError;
use pypi_recovery::totp::TotpError;
use serde::Serialize;

/// An error as the UI receives it. `message` is written for people and never holds a secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct AppError {
    /// What went wrong, for code that reacts to it.
    pub code: ErrorCode,
    /// What went wrong and what to do, for people.
    pub message: String,
}

/// Every failure the UI can tell apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// No D-Bus session, so no Secret Service.
    KeychainNoSession,
    /// No Secret Service provider is running.
    KeychainNoService,
    /// The keychain is locked.
    KeychainLocked,
    /// The keychain refused access.
    KeychainAccessDenied,
    /// The keychain asked the user for permission, and it was declined.
    KeychainDeclined,
    /// The keychain did not answer in time.
    KeychainTimeout,
    /// No supported keychain on this system.
    KeychainUnsupported,
    /// One of our keychain items could not be read.
    KeychainCorrupt,
    /// The list of accounts is full (2,560 bytes, Windows' limit); nothing was changed.
    KeychainIndexFull,
    /// Another keychain failure.
    KeychainFailed,
    /// The recovery codes given could not be imported; nothing was stored.
    CodesImportRefused,
    /// The account name is empty or too long.
    CodesBadAccount,
    /// No codes are stored for the account.
    CodesUnknownAccount,
    /// Every code of the account is used.
    CodesNoneLeft,
    /// The code is not in the account's set.
    CodesNotInSet,
    /// The position does not exist in the set.
    CodesNoSuchCode,
    /// The code is already marked used.
    CodesAlreadyUsed,
    /// A set is already stored and replacing it was not confirmed.
    CodesWouldReplace,
    /// The authenticator link or entry was refused; nothing was stored.
    TotpImportRefused,
    /// The image holds no authenticator QR code, or cannot be read; nothing was stored.
    TotpImageRefused,
    /// The account name is empty or too long.
    TotpBadAccount,
    /// No authenticator backup is stored for the account.
    TotpUnknownAccount,
    /// A backup is already stored and replacing it was not confirmed.
    TotpWouldReplace,
    /// The typed code does not have the account's shape.
    TotpBadCode,
    /// The vault file is locked.
    VaultLocked,
    /// The passphrase does not open the vault file.
    VaultWrongPassphrase,
    /// The vault file cannot be opened or created.
    VaultDamaged,
    /// The passphrase does not open the backup.
    BackupWrongPassphrase,
    /// The backup file is damaged or truncated.
    BackupCorrupt,
    /// The file is not a backup this app can read.
    BackupUnreadable,
    /// The backup is from a newer version of the app.
    BackupUnsupportedVersion,
    /// There is nothing to back up.
    BackupEmpty,
    /// The new backup's passphrase is too short.
    BackupWeakPassphrase,
    /// Restoring would replace accounts, and that was not confirmed.
    BackupWouldOverwrite,
    /// No internet connection (or the service is unreachable).
    OnlineOffline,
    /// The service's name could not be resolved.
    OnlineDns,
    /// The secure connection failed.
    OnlineTls,
    /// The service did not answer in time.
    OnlineTimeout,
    /// The service says it does not exist.
    OnlineNotFound,
    /// The service limits requests; the message says when to retry.
    OnlineRateLimited,
    /// The service failed or answered oddly.
    OnlineFailed,
    /// An address, token or name given cannot be used; nothing was sent.
    OnlineBadInput,
    /// Asked again too soon; the message says when.
    TooSoon,
    /// The clipboard could not be written.
    Clipboard,
    /// The request file is not valid.
    RequestMalformed,
    /// The request file is a format version this app does not read.
    RequestUnsupportedVersion,
    /// The request file is too large.
    RequestTooLarge,
    /// The request holds a secret, so it was not written to disk (draft or export).
    RequestHoldsSecret,
    /// A file could not be read or written; nothing was changed.
    File,
    /// The breach check could not reach the service.
    BreachCheckOffline,
    /// The breach check timed out.
    BreachCheckTimeout,
    /// The breach-check service asked us to slow down.
    BreachCheckRateLimited,
    /// The breach-check service failed or answered oddly.
    BreachCheckFailed,
    /// The user cancelled a native confirmation; nothing was changed.
    Cancelled,
    /// A native prompt is already open; answer it first.
    PromptOpen,
    /// A bug or an interrupted task in the app itself.
    Internal,
}

impl AppError {
    fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    /// The system clipboard refused the copy.
    pub fn clipboard() -> Self {
        Self::new(
            ErrorCode::Clipboard,
            "The clipboard could not be used. Reveal the code and type it instead.",
        )
    }

    /// A found file named by an id the last search did not give.
    pub fn search_again() -> Self {
        Self::new(
            ErrorCode::File,
            "That file is no longer in the list. Search again.",
        )
    }

    /// The file manager could not be opened.
    pub fn file_manager() -> Self {
        Self::new(
            ErrorCode::File,
            "The file manager could not be opened. The file's folder is shown above.",
        )
    }

    /// The status was refreshed less than a minute ago.
    pub fn too_soon(seconds: u64) -> Self {
        Self::new(
            ErrorCode::TooSoon,
            format!("The status was just refreshed. You can refresh again in {seconds} s."),
        )
    }

    /// The user pressed Cancel in a native confirmation.
    pub fn cancelled() -> Self {
        Self::new(ErrorCode::Cancelled, "Cancelled. Nothing was changed.")
    }

    /// A native prompt is already open.
    pub fn prompt_open() -> Self {
        Self::new(
            ErrorCode::PromptOpen,
            "Another question is open in its own window. Answer it first.",
        )
    }

    /// Checking or restoring a backup before one was chosen in the dialog.
    pub fn choose_backup() -> Self {
        Self::new(ErrorCode::File, "Choose the backup file first.")
    }

    /// A failure of the app itself (a background task that did not finish).
    pub fn internal() -> Self {
        Self::new(
            ErrorCode::Internal,
            "Something went wrong inside the app. Please try again; nothing was changed.",
        )
    }
}

impl From<CodesError> for AppError {
    fn from(error: CodesError) -> Self {
        let code = match &error {
            CodesError::Keychain(inner) => return inner.clone().into(),
            CodesError::Import(_) => ErrorCode::CodesImportRefused,
            CodesError::BadAccountName => ErrorCode::CodesBadAccount,
            CodesError::UnknownAccount(_) => ErrorCode::CodesUnknownAccount,
            CodesError::NoneLeft(_) => ErrorCode::CodesNoneLeft,
            CodesError::NotInSet(_) => ErrorCode::CodesNotInSet,
            CodesError::NoSuchCode(_) => ErrorCode::CodesNoSuchCode,
            CodesError::AlreadyUsed => ErrorCode::CodesAlreadyUsed,
            CodesError::WouldReplace(_) => ErrorCode::CodesWouldReplace,
            _ => ErrorCode::Internal,
        };
        Self::new(code, error.to_string())
    }
}

impl From<TotpError> for AppError {
    fn from(error: TotpError) -> Self {
        if let TotpError::Keychain(inner) = error {
            return inner.into();
        }
        let code = match error.code() {
            "totp_import_refused" => ErrorCode::TotpImportRefused,
            "totp_image_refused" => ErrorCode::TotpImageRefused,
            "totp_bad_account" => ErrorCode::TotpBadAccount,
            "totp_unknown_account" => ErrorCode::TotpUnknownAccount,
            "totp_would_replace" => ErrorCode::TotpWouldReplace,
            "totp_bad_code" => ErrorCode::TotpBadCode,
            _ => ErrorCode::Internal,
        };
        Self::new(code, error.to_string())
    }
}

impl From<BackupError> for AppError {
    fn from(error: BackupError) -> Self {
        let code = match &error {
            BackupError::Keychain(inner) => return inner.clone().into(),
            BackupError::File(_) => ErrorCode::File,
            _ => match error.code() {
                "backup_wrong_passphrase" => ErrorCode::BackupWrongPassphrase,
                "backup_corrupt" => ErrorCode::BackupCorrupt,
                "backup_unsupported_version" => ErrorCode::BackupUnsupportedVersion,
                "backup_empty" => ErrorCode::BackupEmpty,
                "backup_weak_passphrase" => ErrorCode::BackupWeakPassphrase,
                "backup_would_overwrite" => ErrorCode::BackupWouldOverwrite,
                "internal" => ErrorCode::Internal,
                _ => ErrorCode::BackupUnreadable,
            },
        };
        Self::new(code, error.to_string())
    }
}

impl From<ReadError> for AppError {
    fn from(error: ReadError) -> Self {
        Self::new(ErrorCode::File, error.to_string())
    }
}

impl From<OnlineError> for AppError {
    fn from(error: OnlineError) -> Self {
        let code = match &error {
            OnlineError::Offline(_) => ErrorCode::OnlineOffline,
            OnlineError::Dns(_) => ErrorCode::OnlineDns,
            OnlineError::Tls(_) => ErrorCode::OnlineTls,
            OnlineError::Timeout(_) => ErrorCode::OnlineTimeout,
            OnlineError::NotFound(_) | OnlineError::NoProject(_) => ErrorCode::OnlineNotFound,
            OnlineError::RateLimited { .. } => ErrorCode::OnlineRateLimited,
            OnlineError::BadInput(_) => ErrorCode::OnlineBadInput,
            _ => ErrorCode::OnlineFailed,
        };
        Self::new(code, error.to_string())
    }
}

impl From<RequestError> for AppError {
    fn from(error: RequestError) -> Self {
        let code = match &error {
            RequestError::Malformed(_) => ErrorCode::RequestMalformed,
            RequestError::UnsupportedVersion(_) => ErrorCode::RequestUnsupportedVersion,
            RequestError::TooLarge => ErrorCode::RequestTooLarge,
            RequestError::File(_) => ErrorCode::File,
            _ => ErrorCode::Internal,
        };
        Self::new(code, error.to_string())
    }
}

impl From<HibpError> for AppError {
    fn from(error: HibpError) -> Self {
        let code = match &error {
            HibpError::Offline => ErrorCode::BreachCheckOffline,
            HibpError::Timeout => ErrorCode::BreachCheckTimeout,
            HibpError::RateLimited(_) => ErrorCode::BreachCheckRateLimited,
            _ => ErrorCode::BreachCheckFailed,
        };
        Self::new(code, error.to_string())
    }
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        let code = match &error {
            StoreError::HoldsSecret { .. } | StoreError::DraftHoldsSecret { .. } => {
                ErrorCode::RequestHoldsSecret
            }
            _ => ErrorCode::File,
        };
        Self::new(code, error.to_string())
    }
}

impl From<KeychainError> for AppError {
    fn from(error: KeychainError) -> Self {
        let code = match &error {
            KeychainError::NoSession => ErrorCode::KeychainNoSession,
            KeychainError::NoService => ErrorCode::KeychainNoService,
            KeychainError::Locked => ErrorCode::KeychainLocked,
            KeychainError::AccessDenied => ErrorCode::KeychainAccessDenied,
            KeychainError::Declined => ErrorCode::KeychainDeclined,
            KeychainError::Timeout(_) => ErrorCode::KeychainTimeout,
            KeychainError::Unsupported => ErrorCode::KeychainUnsupported,
            KeychainError::Corrupt => ErrorCode::KeychainCorrupt,
            KeychainError::VaultLocked => ErrorCode::VaultLocked,
            KeychainError::VaultWrongPassphrase => ErrorCode::VaultWrongPassphrase,
            KeychainError::VaultDamaged(_) => ErrorCode::VaultDamaged,
            KeychainError::IndexFull(_) => ErrorCode::KeychainIndexFull,
            KeychainError::LocalFile(_) => ErrorCode::File,
            _ => ErrorCode::KeychainFailed,
        };
        Self::new(code, error.to_string())
    }
}
