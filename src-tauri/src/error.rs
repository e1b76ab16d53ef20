//! The one error type the UI sees: `{code, message}`, mapped explicitly from each core error.

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

    /// A failure of the app itself (a background task that did not finish).
    pub fn internal() -> Self {
        Self::new(
            ErrorCode::Internal,
            "Something went wrong inside the app. Please try again; nothing was changed.",
        )
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
