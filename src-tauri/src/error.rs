//! The one error type the UI sees: `{code, message}`, mapped explicitly from each core error.

use pypi_recovery::codes::CodesError;
use pypi_recovery::keychain::KeychainError;
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
    /// The keychain did not answer in time.
    KeychainTimeout,
    /// No supported keychain on this system.
    KeychainUnsupported,
    /// One of our keychain items could not be read.
    KeychainCorrupt,
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
    /// The clipboard could not be written.
    Clipboard,
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

impl From<KeychainError> for AppError {
    fn from(error: KeychainError) -> Self {
        let code = match &error {
            KeychainError::NoSession => ErrorCode::KeychainNoSession,
            KeychainError::NoService => ErrorCode::KeychainNoService,
            KeychainError::Locked => ErrorCode::KeychainLocked,
            KeychainError::AccessDenied => ErrorCode::KeychainAccessDenied,
            KeychainError::Timeout(_) => ErrorCode::KeychainTimeout,
            KeychainError::Unsupported => ErrorCode::KeychainUnsupported,
            KeychainError::Corrupt => ErrorCode::KeychainCorrupt,
            _ => ErrorCode::KeychainFailed,
        };
        Self::new(code, error.to_string())
    }
}
