//! The one error type the UI sees: `{code, message}`, mapped explicitly from each core error.

use pypi_recovery::backup::{BackupError, BackupErrorKind};
use pypi_recovery::codes::CodesError;
use pypi_recovery::files::ReadError;
use pypi_recovery::keychain::{KeychainError, KeychainErrorKind};
use pypi_recovery::online::{OnlineError, Retry};
use pypi_recovery::request::store::StoreError;
use pypi_recovery::request::RequestError;
use pypi_recovery::totp::{TotpError, TotpErrorKind};
use serde::Serialize;

/// An error as the UI receives it. `message` is written for people and never holds a secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct AppError {
    /// What went wrong, for code that reacts to it.
    pub code: ErrorCode,
    /// What went wrong and what to do, for people.
    pub message: String,
    /// The data behind the message that code reacts to, so the UI never reads it out of text.
    pub detail: Option<ErrorDetail>,
}

/// The structured part of an error, where code needs more than its [`ErrorCode`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ErrorDetail {
    /// Asking again works after this many seconds.
    RetryAfter { seconds: u32 },
    /// The account the error is about.
    Account { account: String },
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
            detail: None,
        }
    }

    fn with(mut self, detail: ErrorDetail) -> Self {
        self.detail = Some(detail);
        self
    }

    fn about(account: &str) -> ErrorDetail {
        ErrorDetail::Account {
            account: account.to_owned(),
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
        .with(ErrorDetail::RetryAfter {
            seconds: u32::try_from(seconds).unwrap_or(u32::MAX),
        })
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
        };
        let detail = match &error {
            CodesError::UnknownAccount(account)
            | CodesError::NoneLeft(account)
            | CodesError::NotInSet(account)
            | CodesError::WouldReplace(account) => Some(Self::about(account)),
            _ => None,
        };
        Self {
            detail,
            ..Self::new(code, error.to_string())
        }
    }
}

impl From<TotpError> for AppError {
    fn from(error: TotpError) -> Self {
        let code = match error.kind() {
            TotpErrorKind::ImportRefused => ErrorCode::TotpImportRefused,
            TotpErrorKind::ImageRefused => ErrorCode::TotpImageRefused,
            TotpErrorKind::BadAccount => ErrorCode::TotpBadAccount,
            TotpErrorKind::UnknownAccount => ErrorCode::TotpUnknownAccount,
            TotpErrorKind::WouldReplace => ErrorCode::TotpWouldReplace,
            TotpErrorKind::BadCode => ErrorCode::TotpBadCode,
            TotpErrorKind::Keychain(kind) => kind.into(),
        };
        let detail = match &error {
            TotpError::UnknownAccount(account) | TotpError::WouldReplace(account) => {
                Some(Self::about(account))
            }
            _ => None,
        };
        Self {
            detail,
            ..Self::new(code, error.to_string())
        }
    }
}

impl From<BackupError> for AppError {
    fn from(error: BackupError) -> Self {
        let code = match error.kind() {
            BackupErrorKind::WrongPassphrase => ErrorCode::BackupWrongPassphrase,
            BackupErrorKind::Corrupt => ErrorCode::BackupCorrupt,
            BackupErrorKind::Unreadable => ErrorCode::BackupUnreadable,
            BackupErrorKind::UnsupportedVersion => ErrorCode::BackupUnsupportedVersion,
            BackupErrorKind::Empty => ErrorCode::BackupEmpty,
            BackupErrorKind::WeakPassphrase => ErrorCode::BackupWeakPassphrase,
            BackupErrorKind::WouldOverwrite => ErrorCode::BackupWouldOverwrite,
            BackupErrorKind::Keychain(kind) => kind.into(),
            BackupErrorKind::File => ErrorCode::File,
            BackupErrorKind::Internal => ErrorCode::Internal,
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
            OnlineError::Server(..) | OnlineError::Status(..) | OnlineError::Malformed(_) => {
                ErrorCode::OnlineFailed
            }
        };
        let detail = match &error {
            OnlineError::RateLimited {
                retry: Some(Retry::InSeconds(seconds)),
                ..
            } => Some(ErrorDetail::RetryAfter {
                seconds: u32::try_from(*seconds).unwrap_or(u32::MAX),
            }),
            _ => None,
        };
        Self {
            detail,
            ..Self::new(code, error.to_string())
        }
    }
}

impl From<RequestError> for AppError {
    fn from(error: RequestError) -> Self {
        let code = match &error {
            RequestError::Malformed(_) => ErrorCode::RequestMalformed,
            RequestError::UnsupportedVersion(_) => ErrorCode::RequestUnsupportedVersion,
            RequestError::TooLarge => ErrorCode::RequestTooLarge,
            RequestError::File(_) => ErrorCode::File,
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
            StoreError::Write(_) | StoreError::SetAside(_) | StoreError::LogSetAside(_) => {
                ErrorCode::File
            }
        };
        Self::new(code, error.to_string())
    }
}

impl From<KeychainError> for AppError {
    fn from(error: KeychainError) -> Self {
        Self::new(error.kind().into(), error.to_string())
    }
}

impl From<KeychainErrorKind> for ErrorCode {
    fn from(kind: KeychainErrorKind) -> Self {
        match kind {
            KeychainErrorKind::NoSession => ErrorCode::KeychainNoSession,
            KeychainErrorKind::NoService => ErrorCode::KeychainNoService,
            KeychainErrorKind::Locked => ErrorCode::KeychainLocked,
            KeychainErrorKind::AccessDenied => ErrorCode::KeychainAccessDenied,
            KeychainErrorKind::Declined => ErrorCode::KeychainDeclined,
            KeychainErrorKind::Timeout => ErrorCode::KeychainTimeout,
            KeychainErrorKind::Unsupported => ErrorCode::KeychainUnsupported,
            KeychainErrorKind::Corrupt => ErrorCode::KeychainCorrupt,
            KeychainErrorKind::VaultLocked => ErrorCode::VaultLocked,
            KeychainErrorKind::VaultWrongPassphrase => ErrorCode::VaultWrongPassphrase,
            KeychainErrorKind::VaultDamaged => ErrorCode::VaultDamaged,
            KeychainErrorKind::IndexFull => ErrorCode::KeychainIndexFull,
            KeychainErrorKind::File => ErrorCode::File,
            KeychainErrorKind::Internal => ErrorCode::Internal,
            KeychainErrorKind::Platform => ErrorCode::KeychainFailed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pypi_recovery::codes::ImportError;
    use pypi_recovery::sealed::SealError;

    /// One failure for every code the UI can receive, with the code it must arrive as. The
    /// list of codes is read from the generated bindings, so a new code without a row here
    /// fails this test, and so does a mapping that sends a failure to the wrong code.
    #[test]
    fn every_error_code_is_pinned_to_its_failure() {
        let keychain = [
            (KeychainError::NoSession, "keychain_no_session"),
            (KeychainError::NoService, "keychain_no_service"),
            (KeychainError::Locked, "keychain_locked"),
            (KeychainError::AccessDenied, "keychain_access_denied"),
            (KeychainError::Declined, "keychain_declined"),
            (KeychainError::Timeout(5), "keychain_timeout"),
            (KeychainError::Unsupported, "keychain_unsupported"),
            (KeychainError::Corrupt, "keychain_corrupt"),
            (KeychainError::IndexFull(3000), "keychain_index_full"),
            (KeychainError::Platform("bus".into()), "keychain_failed"),
            (KeychainError::VaultLocked, "vault_locked"),
            (
                KeychainError::VaultWrongPassphrase,
                "vault_wrong_passphrase",
            ),
            (KeychainError::VaultDamaged("x".into()), "vault_damaged"),
        ]
        .map(|(e, c)| (AppError::from(e), c));
        let codes = [
            (
                CodesError::Import(ImportError::Empty),
                "codes_import_refused",
            ),
            (CodesError::BadAccountName, "codes_bad_account"),
            (
                CodesError::UnknownAccount("a".into()),
                "codes_unknown_account",
            ),
            (CodesError::NoneLeft("a".into()), "codes_none_left"),
            (CodesError::NotInSet("a".into()), "codes_not_in_set"),
            (CodesError::NoSuchCode(9), "codes_no_such_code"),
            (CodesError::AlreadyUsed, "codes_already_used"),
            (CodesError::WouldReplace("a".into()), "codes_would_replace"),
        ]
        .map(|(e, c)| (AppError::from(e), c));
        let totp = [
            (TotpError::NotOtpauth, "totp_import_refused"),
            (TotpError::NoQrCode, "totp_image_refused"),
            (TotpError::BadAccountName, "totp_bad_account"),
            (
                TotpError::UnknownAccount("a".into()),
                "totp_unknown_account",
            ),
            (TotpError::WouldReplace("a".into()), "totp_would_replace"),
            (TotpError::BadCode(6), "totp_bad_code"),
            (
                TotpError::Keychain(KeychainError::Locked),
                "keychain_locked",
            ),
        ]
        .map(|(e, c)| (AppError::from(e), c));
        let backup = [
            (
                BackupError::Sealed(SealError::WrongPassphrase),
                "backup_wrong_passphrase",
            ),
            (BackupError::Sealed(SealError::Corrupt), "backup_corrupt"),
            (BackupError::Malformed("x".into()), "backup_unreadable"),
            (
                BackupError::UnsupportedVersion(9),
                "backup_unsupported_version",
            ),
            (BackupError::Empty, "backup_empty"),
            (BackupError::WeakPassphrase, "backup_weak_passphrase"),
            (
                BackupError::WouldOverwrite(vec!["a".into()]),
                "backup_would_overwrite",
            ),
            (BackupError::File("x".into()), "file"),
            (BackupError::Sealed(SealError::Encrypt), "internal"),
        ]
        .map(|(e, c)| (AppError::from(e), c));
        let online = [
            (OnlineError::Offline("GitHub"), "online_offline"),
            (OnlineError::Dns("GitHub"), "online_dns"),
            (OnlineError::Tls("GitHub"), "online_tls"),
            (OnlineError::Timeout("GitHub"), "online_timeout"),
            (OnlineError::NotFound("GitHub"), "online_not_found"),
            (
                OnlineError::RateLimited {
                    service: "GitHub",
                    retry: None,
                },
                "online_rate_limited",
            ),
            (OnlineError::Server("GitHub", 502), "online_failed"),
            (OnlineError::BadInput("x".into()), "online_bad_input"),
        ]
        .map(|(e, c)| (AppError::from(e), c));
        let request = [
            (RequestError::Malformed("x".into()), "request_malformed"),
            (
                RequestError::UnsupportedVersion(9),
                "request_unsupported_version",
            ),
            (RequestError::TooLarge, "request_too_large"),
        ]
        .map(|(e, c)| (AppError::from(e), c));
        let other = [
            (
                AppError::from(StoreError::HoldsSecret {
                    field: "reason",
                    what: "a recovery code",
                }),
                "request_holds_secret",
            ),
            (AppError::too_soon(30), "too_soon"),
            (AppError::clipboard(), "clipboard"),
            (AppError::cancelled(), "cancelled"),
            (AppError::prompt_open(), "prompt_open"),
            (AppError::internal(), "internal"),
        ];
        let rows: Vec<(AppError, &str)> = keychain
            .into_iter()
            .chain(codes)
            .chain(totp)
            .chain(backup)
            .chain(online)
            .chain(request)
            .chain(other)
            .collect();

        let mut pinned = std::collections::BTreeSet::new();
        for (error, code) in &rows {
            let json = serde_json::to_value(error).unwrap();
            assert_eq!(json["code"], *code, "{error:?}");
            pinned.insert(code.to_string());
        }
        let bindings = include_str!("../../ui/src/lib/bindings.ts");
        let union = bindings
            .split("export type ErrorCode = ")
            .nth(1)
            .expect("ErrorCode in the bindings");
        // One `"code" |` per line, the last ending in `";`; doc comments between them.
        let every: std::collections::BTreeSet<String> = union
            .lines()
            .skip(1)
            .map(str::trim)
            .take_while(|line| !line.is_empty())
            .filter_map(|line| line.strip_prefix('"'))
            .filter_map(|line| line.split('"').next())
            .map(str::to_owned)
            .collect();
        assert_eq!(pinned, every, "every ErrorCode needs a row here");
    }

    /// What code reacts to travels as data beside the message.
    #[test]
    fn the_retry_wait_and_the_account_travel_as_detail() {
        let json = |error: AppError| serde_json::to_value(error).unwrap()["detail"].clone();
        assert_eq!(
            json(AppError::too_soon(42)),
            serde_json::json!({"kind": "retry_after", "seconds": 42})
        );
        assert_eq!(
            json(
                OnlineError::RateLimited {
                    service: "Have I Been Pwned",
                    retry: Some(Retry::InSeconds(7)),
                }
                .into()
            ),
            serde_json::json!({"kind": "retry_after", "seconds": 7})
        );
        assert_eq!(
            json(CodesError::UnknownAccount("alice".into()).into()),
            serde_json::json!({"kind": "account", "account": "alice"})
        );
        assert_eq!(
            json(TotpError::WouldReplace("bob".into()).into()),
            serde_json::json!({"kind": "account", "account": "bob"})
        );
        assert_eq!(json(AppError::internal()), serde_json::Value::Null);
    }
}
