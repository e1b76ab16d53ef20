//! Keychain access: one narrow trait over wherever secrets persist.
//!
//! Every feature that stores a secret goes through [`SecretStore`]. The real implementation is
//! [`OsKeychain`] (macOS Keychain, Windows Credential Manager, the Secret Service on Linux).
//! There is deliberately no in-memory or plaintext fallback: when the keychain cannot be
//! reached the caller gets a [`KeychainError`] that says why and what to do, and may choose
//! the [`FileVault`] instead: an age-encrypted file behind the same trait.

mod file;
mod lock;
mod os;

pub use file::{FileVault, AUTO_LOCK_AFTER};
pub use lock::UpdateLock;
pub use os::OsKeychain;

use crate::secret::SecretBytes;
use serde::Serialize;
use std::time::Duration;

/// The service name every item of ours is stored under, so users can find them in their
/// keychain tool and `secret-tool search service …` finds exactly ours.
pub const SERVICE_PREFIX: &str = "pypi-recovery-assistant";

/// How long one keychain operation may take before we give up. A locked collection whose
/// unlock prompt nobody can answer would otherwise hang the CLI and the app.
pub const OPERATION_TIMEOUT: Duration = Duration::from_secs(8);

/// What a keychain item holds. Each kind is a separate item, so removing one never touches another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    /// A throwaway item written and deleted by the availability check.
    Probe,
    /// One account's recovery codes and their used marks.
    RecoveryCodes,
    /// One account's authenticator (TOTP) secret and its parameters.
    Totp,
    /// The names of the accounts that have items of one kind, so they can be listed on
    /// every platform (not every keychain can search).
    Index,
}

impl ItemKind {
    fn service(self) -> String {
        let kind = match self {
            ItemKind::Probe => "probe",
            ItemKind::RecoveryCodes => "recovery-codes",
            ItemKind::Totp => "totp",
            ItemKind::Index => "index",
        };
        format!("{SERVICE_PREFIX}:{kind}")
    }
}

/// Names one keychain item: its kind and the PyPI account it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemId {
    /// What the item holds.
    pub kind: ItemKind,
    /// The PyPI account (or another name the user chose) the item belongs to.
    pub account: String,
}

impl ItemId {
    /// Names the item of `kind` for `account`.
    pub fn new(kind: ItemKind, account: impl Into<String>) -> Self {
        Self {
            kind,
            account: account.into(),
        }
    }

    /// The keychain "service" attribute of this item.
    pub fn service(&self) -> String {
        self.kind.service()
    }
}

/// The largest item the OS keychain is given: Windows' Credential Manager holds at most
/// 2,560 bytes per credential (`CRED_MAX_CREDENTIAL_BLOB_SIZE`, 5 × 512). It is kept on every
/// system, so an item stored on one can be restored on another. The account list is checked
/// against it as it grows; every other item is bounded by what an import accepts
/// (`tests/item_size.rs`).
pub const MAX_ITEM_BYTES: usize = 2560;

/// The account name as stored: trimmed, 1 to 100 characters, no control characters.
/// `None` when it cannot be used.
pub fn account_name(account: &str) -> Option<&str> {
    let trimmed = account.trim();
    let usable = !trimmed.is_empty()
        && trimmed.chars().count() <= 100
        && !trimmed.chars().any(char::is_control);
    usable.then_some(trimmed)
}

/// The narrow interface every secret store implements.
pub trait SecretStore: Send + Sync {
    /// A human name for the backend, such as "Secret Service".
    fn backend(&self) -> &'static str;
    /// Reads an item; `Ok(None)` when it does not exist.
    fn read(&self, item: &ItemId) -> Result<Option<SecretBytes>, KeychainError>;
    /// Creates or replaces an item.
    fn write(&self, item: &ItemId, value: &SecretBytes) -> Result<(), KeychainError>;
    /// Deletes an item; `Ok(false)` when there was nothing to delete.
    fn delete(&self, item: &ItemId) -> Result<bool, KeychainError>;

    /// The accounts that have an item of `kind`, sorted. Call under [`UpdateLock`] when the
    /// result feeds a write.
    fn index(&self, kind: ItemKind) -> Result<Vec<String>, KeychainError> {
        match self.read(&index_item(kind))? {
            Some(bytes) => {
                serde_json::from_slice(bytes.expose_secret()).map_err(|_| KeychainError::Corrupt)
            }
            None => Ok(Vec::new()),
        }
    }

    /// Records that `account` has an item of `kind`. Call under [`UpdateLock`].
    fn add_to_index(&self, kind: ItemKind, account: &str) -> Result<(), KeychainError> {
        let mut accounts = self.index(kind)?;
        if let Err(position) = accounts.binary_search_by(|a| a.as_str().cmp(account)) {
            accounts.insert(position, account.to_owned());
            // The one item that grows with use; the others are bounded by what an import
            // accepts. Shrinking an index that is already over the limit still works.
            let bytes = index_bytes(&accounts)?;
            let size = bytes.expose_secret().len();
            if size > MAX_ITEM_BYTES {
                return Err(KeychainError::IndexFull(size));
            }
            self.write(&index_item(kind), &bytes)?;
        }
        Ok(())
    }

    /// Forgets that `account` has an item of `kind`. Call under [`UpdateLock`].
    fn remove_from_index(&self, kind: ItemKind, account: &str) -> Result<(), KeychainError> {
        let mut accounts = self.index(kind)?;
        let before = accounts.len();
        accounts.retain(|a| a != account);
        if accounts.len() != before {
            self.write(&index_item(kind), &index_bytes(&accounts)?)?;
        }
        Ok(())
    }
}

/// Writes `item` and lists its account, all or nothing: the list first, so a full list stores
/// nothing, and a new account leaves the list again when its item cannot be written.
/// `existed` says whether the item was there before. Call under [`UpdateLock`].
pub fn write_listed(
    store: &dyn SecretStore,
    item: &ItemId,
    value: &SecretBytes,
    existed: bool,
) -> Result<(), KeychainError> {
    store.add_to_index(item.kind, &item.account)?;
    store.write(item, value).inspect_err(|_| {
        if !existed {
            let _ = store.remove_from_index(item.kind, &item.account);
        }
    })
}

fn index_item(kind: ItemKind) -> ItemId {
    ItemId::new(ItemKind::Index, kind.service())
}

fn index_bytes(accounts: &[String]) -> Result<SecretBytes, KeychainError> {
    encode(&accounts)
}

/// One of our records as the JSON of a keychain item. Our records cannot fail to encode (no
/// maps with non-string keys, no fallible `Serialize`), but if one ever did, the failure is an
/// error rather than an empty item written over a good one.
pub(crate) fn encode<T: Serialize>(record: &T) -> Result<SecretBytes, KeychainError> {
    serde_json::to_vec(record)
        .map(SecretBytes::from)
        .map_err(|_| KeychainError::Encode)
}

/// Why the keychain could not be used. Messages say what to do; none holds a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeychainError {
    /// There is no D-Bus session bus, so no Secret Service can be reached (Linux).
    #[error("No D-Bus session was found, so the Secret Service cannot be reached. Log in to a desktop session, or start one with `dbus-run-session` and a keyring daemon such as gnome-keyring.")]
    NoSession,
    /// A D-Bus session exists but nothing provides the Secret Service on it (Linux).
    #[error("No Secret Service is running. Install and start a keyring daemon (for example gnome-keyring or KeePassXC with Secret Service integration), then try again.")]
    NoService,
    /// The keychain or collection is locked and could not be unlocked.
    #[error("The keychain is locked. Unlock it (for example in your desktop's Passwords and Keys tool), then try again.")]
    Locked,
    /// The keychain refused access to our items.
    #[error("The keychain refused access. Allow PyPI Recovery Assistant to use it when your system asks, then try again.")]
    AccessDenied,
    /// The keychain asked the user (to unlock, or to allow access) and was told no, or could
    /// not ask. KeePassXC asks for each entry a new program reads, unless told not to.
    #[error("The keychain asked for permission, to unlock or to let PyPI Recovery Assistant read its entries, and it was declined. Try again and allow it. (KeePassXC asks for each entry; “Allow All & Future” answers once.)")]
    Declined,
    /// The keychain did not answer in time, usually an unlock prompt nobody can see.
    #[error("The keychain did not answer within {0} seconds. If it is asking you to unlock it or to allow access, answer it and try again; otherwise restart your keyring daemon.")]
    Timeout(u64),
    /// This operating system has no keychain we support.
    #[error("This operating system has no supported keychain.")]
    Unsupported,
    /// The item exists but its contents could not be read as ours.
    #[error(
        "A keychain item of ours has contents this version cannot read. It was left untouched."
    )]
    Corrupt,
    /// The vault file is locked (never unlocked, or locked after a while unused).
    #[error("The encrypted vault file is locked. Unlock it with its passphrase.")]
    VaultLocked,
    /// The passphrase does not open the vault file.
    #[error("That passphrase does not open the vault file. Nothing was changed.")]
    VaultWrongPassphrase,
    /// The vault file cannot be read as ours.
    #[error("The vault file cannot be opened: {0}")]
    VaultDamaged(String),
    /// The list of accounts would outgrow one keychain item ([`MAX_ITEM_BYTES`]).
    #[error("There is no room for another account: the list of accounts would take {0} bytes, more than the 2,560 a keychain item holds on Windows (the limit is kept on every system, so what is stored here restores anywhere). Remove an account you no longer use, or use a shorter name. Nothing was changed.")]
    IndexFull(usize),
    /// A file of the app's own (the vault file, the update lock) could not be written.
    #[error("{0} Nothing was changed.")]
    LocalFile(String),
    /// A record of ours could not be encoded (a bug); nothing was written.
    #[error("Something went wrong inside the app: this could not be encoded for the keychain. Nothing was changed.")]
    Encode,
    /// Any other failure reported by the platform; the text comes from the platform, never from our data.
    #[error("The keychain reported an error: {0}")]
    Platform(String),
}

/// What kind of keychain failure it is, for code that reacts to it: the UI's error codes and
/// the availability check's `problem` (in `pypi-recovery doctor --json` too).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum KeychainErrorKind {
    /// No D-Bus session, so no Secret Service.
    NoSession,
    /// No Secret Service provider is running.
    NoService,
    /// The keychain is locked.
    Locked,
    /// The keychain refused access.
    AccessDenied,
    /// A permission prompt was declined.
    Declined,
    /// The keychain did not answer in time.
    Timeout,
    /// No supported keychain on this system.
    Unsupported,
    /// One of our items could not be read.
    Corrupt,
    /// The vault file is locked.
    VaultLocked,
    /// The passphrase does not open the vault file.
    VaultWrongPassphrase,
    /// The vault file cannot be opened or created.
    VaultDamaged,
    /// The list of accounts is full.
    IndexFull,
    /// A file of the app's own could not be written.
    File,
    /// A record could not be encoded (a bug).
    Internal,
    /// Any other failure of the platform.
    Platform,
}

impl KeychainError {
    /// What kind of failure this is.
    pub fn kind(&self) -> KeychainErrorKind {
        use KeychainErrorKind as Kind;
        match self {
            KeychainError::NoSession => Kind::NoSession,
            KeychainError::NoService => Kind::NoService,
            KeychainError::Locked => Kind::Locked,
            KeychainError::AccessDenied => Kind::AccessDenied,
            KeychainError::Declined => Kind::Declined,
            KeychainError::Timeout(_) => Kind::Timeout,
            KeychainError::Unsupported => Kind::Unsupported,
            KeychainError::Corrupt => Kind::Corrupt,
            KeychainError::VaultLocked => Kind::VaultLocked,
            KeychainError::VaultWrongPassphrase => Kind::VaultWrongPassphrase,
            KeychainError::VaultDamaged(_) => Kind::VaultDamaged,
            KeychainError::IndexFull(_) => Kind::IndexFull,
            KeychainError::LocalFile(_) => Kind::File,
            KeychainError::Encode => Kind::Internal,
            KeychainError::Platform(_) => Kind::Platform,
        }
    }
}

/// The result of the availability check shown in the status line and by `pypi-recovery doctor`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct KeychainStatus {
    /// The backend in use, such as "Secret Service".
    pub backend: String,
    /// True when a throwaway item could be stored, read back and deleted.
    pub available: bool,
    /// When unavailable, what kind of failure it was.
    pub problem: Option<KeychainErrorKind>,
    /// A sentence for people: what works, or what is wrong and how to fix it.
    pub message: String,
}

/// Checks that `store` can store, read back and delete a throwaway item.
pub fn check(store: &dyn SecretStore) -> KeychainStatus {
    let backend = store.backend().to_owned();
    match probe(store) {
        Ok(()) => KeychainStatus {
            message: format!("The {backend} is available and can store secrets."),
            backend,
            available: true,
            problem: None,
        },
        Err(error) => KeychainStatus {
            backend,
            available: false,
            problem: Some(error.kind()),
            message: error.to_string(),
        },
    }
}

fn probe(store: &dyn SecretStore) -> Result<(), KeychainError> {
    let item = ItemId::new(ItemKind::Probe, format!("check-{}", std::process::id()));
    let value = SecretBytes::from(b"availability check".to_vec());
    store.write(&item, &value)?;
    let read_back = store.read(&item);
    let deleted = store.delete(&item);
    match read_back? {
        Some(found) if found == value => {}
        _ => {
            return Err(KeychainError::Platform(
                "an item we stored could not be read back".into(),
            ))
        }
    }
    deleted.map(|_| ())
}
