//! Encrypted backups of everything stored: recovery codes with their used marks, and
//! authenticator secrets with their parameters, in one age file (scrypt passphrase). The
//! format is in `format`, the all-or-nothing restore in `restore`, the printed kit in `paper`.

mod format;
pub mod paper;
mod restore;

#[cfg(fuzzing)]
pub use format::fuzz_document;
pub use format::{export, export_to_file, read_file, verify, AccountContents, Contents};
pub use restore::{
    plan_restore, restore, restore_confirmed, BackedUp, Change, PlannedItem, RestorePlan,
};

use crate::codes::CodesError;
use crate::keychain::{KeychainError, KeychainErrorKind};
use crate::sealed::SealError;
use crate::secret::SecretString;
use crate::totp::TotpError;

/// The `format` field of every backup.
pub const FORMAT: &str = "pypi-recovery-assistant-backup";
/// The version of the JSON inside this app writes and reads.
pub const VERSION: u8 = 1;
/// The largest backup file we read; a backup of 100 accounts is about 60 KB.
pub const MAX_BACKUP_BYTES: u64 = 16 * 1024 * 1024;
/// Passphrases shorter than this (in characters, not bytes) are refused for a new backup or
/// a new vault file.
pub const MIN_PASSPHRASE_CHARS: usize = 8;

/// The rule for a passphrase that will protect something new: a backup, or a vault file.
pub fn check_new_passphrase(passphrase: &SecretString) -> Result<(), BackupError> {
    match passphrase.expose_secret().chars().count() < MIN_PASSPHRASE_CHARS {
        true => Err(BackupError::WeakPassphrase),
        false => Ok(()),
    }
}

/// Why a backup operation failed. No message holds a secret or the passphrase.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BackupError {
    /// The file could not be decrypted.
    #[error(transparent)]
    Sealed(#[from] SealError),
    /// The decrypted contents are not a backup of ours.
    #[error("The file opened, but it is not a PyPI Recovery Assistant backup ({0}). Nothing was changed.")]
    Malformed(String),
    /// A backup from a newer version of the app.
    #[error("This backup is format version {0}; this app reads version 1. Update the app to restore it. Nothing was changed.")]
    UnsupportedVersion(u64),
    /// The file is larger than any backup.
    #[error("This file is too large to be a backup (over 16 MiB).")]
    TooLarge,
    /// Nothing is stored, so there is nothing to back up.
    #[error(
        "There is nothing to back up yet: no recovery codes or authenticator secrets are stored."
    )]
    Empty,
    /// The new backup's passphrase is too short.
    #[error("Choose a passphrase of at least 8 characters; four random words are best.")]
    WeakPassphrase,
    /// Accounts in the backup already exist with other contents, and overwriting was not confirmed.
    #[error("These already exist with different contents: {}. Confirm to overwrite them, or nothing is restored.", .0.join(", "))]
    WouldOverwrite(Vec<String>),
    /// The keychain (or vault file) could not be used.
    #[error(transparent)]
    Keychain(#[from] KeychainError),
    /// A file could not be read or written.
    #[error("{0}")]
    File(String),
}

impl From<CodesError> for BackupError {
    fn from(error: CodesError) -> Self {
        match error {
            CodesError::Keychain(inner) => inner.into(),
            other => BackupError::Malformed(other.to_string()),
        }
    }
}

impl From<TotpError> for BackupError {
    fn from(error: TotpError) -> Self {
        match error {
            TotpError::Keychain(inner) => inner.into(),
            other => BackupError::Malformed(other.to_string()),
        }
    }
}

/// What kind of backup failure it is, for code that reacts to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackupErrorKind {
    /// The passphrase does not open the backup.
    WrongPassphrase,
    /// The backup is damaged or truncated.
    Corrupt,
    /// Not a backup this app can read (another format, malformed inside, too large).
    Unreadable,
    /// The backup is from a newer version of the app.
    UnsupportedVersion,
    /// There is nothing to back up.
    Empty,
    /// The new backup's passphrase is too short.
    WeakPassphrase,
    /// Restoring would replace accounts, and that was not confirmed.
    WouldOverwrite,
    /// The keychain could not be used.
    Keychain(KeychainErrorKind),
    /// The file could not be read or written.
    File,
    /// A failure of the app itself (encryption failed).
    Internal,
}

impl BackupError {
    /// What kind of failure this is.
    pub fn kind(&self) -> BackupErrorKind {
        use BackupErrorKind as Kind;
        match self {
            BackupError::Sealed(SealError::WrongPassphrase) => Kind::WrongPassphrase,
            BackupError::Sealed(SealError::Corrupt) => Kind::Corrupt,
            BackupError::Sealed(SealError::Encrypt) => Kind::Internal,
            BackupError::Sealed(
                SealError::NotAge | SealError::NotPassphrase | SealError::TooMuchWork,
            )
            | BackupError::Malformed(_)
            | BackupError::TooLarge => Kind::Unreadable,
            BackupError::UnsupportedVersion(_) => Kind::UnsupportedVersion,
            BackupError::Empty => Kind::Empty,
            BackupError::WeakPassphrase => Kind::WeakPassphrase,
            BackupError::WouldOverwrite(_) => Kind::WouldOverwrite,
            BackupError::Keychain(error) => Kind::Keychain(error.kind()),
            BackupError::File(_) => Kind::File,
        }
    }
}
