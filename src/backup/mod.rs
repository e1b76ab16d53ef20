//! Encrypted backups of everything in the vault: recovery codes with their used marks, and
//! authenticator secrets with their parameters, in one age file (scrypt passphrase).
//!
//! Inside is a versioned JSON document (described in the README), so `age -d` and any JSON
//! reader are a real way out without this app. Restoring is all or nothing.

pub mod paper;

use crate::codes::{CodeSet, CodeVault, CodesError};
use crate::keychain::{
    self, ItemId, ItemKind, KeychainError, KeychainErrorKind, SecretStore, UpdateLock,
};
use crate::sealed::{self, SealError};
use crate::secret::{SecretBytes, SecretString};
use crate::totp::{Algorithm, StoredKey, TotpError, TotpKey, TotpVault};
use serde::{Deserialize, Serialize};
use std::path::Path;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use zeroize::Zeroize;

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

/// One account's recovery codes in the backup.
#[derive(Serialize, Deserialize, Zeroize)]
#[zeroize(drop)]
#[serde(deny_unknown_fields)]
struct CodesEntry {
    account: String,
    imported: String,
    codes: Vec<String>,
    used: Vec<bool>,
}

/// One account's authenticator secret in the backup.
#[derive(Serialize, Deserialize, Zeroize)]
#[zeroize(drop)]
#[serde(deny_unknown_fields)]
struct TotpEntry {
    account: String,
    imported: String,
    issuer: Option<String>,
    label: String,
    #[zeroize(skip)]
    algorithm: Algorithm,
    digits: u8,
    period: u64,
    /// Base32, no padding, as setup pages show it.
    secret: String,
}

/// The JSON document inside the age file.
#[derive(Serialize, Deserialize, Zeroize)]
#[zeroize(drop)]
struct Document {
    format: String,
    version: u64,
    created: String,
    recovery_codes: Vec<CodesEntry>,
    totp: Vec<TotpEntry>,
}

/// What a backup holds, for people: accounts and counts, never secrets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Contents {
    /// When the backup was made (RFC 3339, UTC).
    pub created: String,
    /// Each account in it, in name order.
    pub accounts: Vec<AccountContents>,
}

/// One account in a backup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AccountContents {
    /// The account name.
    pub account: String,
    /// Its recovery codes, when it has some: `[total, unused]`.
    pub recovery_codes: Option<[u32; 2]>,
    /// Its authenticator's issuer and label, when it has one.
    pub totp: Option<String>,
}

/// What restoring one item would do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// Not stored yet: it will be added.
    Add,
    /// Stored with the same contents: nothing to do.
    Same,
    /// Stored with other contents: replaced only when overwriting is confirmed.
    Replace,
}

/// What a backup item holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum BackedUp {
    /// An account's recovery codes.
    RecoveryCodes,
    /// An account's authenticator key.
    Totp,
}

/// One item of a restore plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PlannedItem {
    /// The account.
    pub account: String,
    /// What it holds.
    pub kind: BackedUp,
    /// What restoring does to it.
    pub change: Change,
}

/// What a restore would change, shown before anything is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RestorePlan {
    /// The backup's contents.
    pub contents: Contents,
    /// Every item, with what restoring does to it.
    pub items: Vec<PlannedItem>,
}

/// Items of a backup, checked and ready to write.
struct Items {
    created: String,
    codes: Vec<(String, CodeSet)>,
    totp: Vec<(String, StoredKey)>,
}

impl Items {
    fn contents(&self) -> Contents {
        let mut accounts: std::collections::BTreeMap<&str, AccountContents> = Default::default();
        let entry = |account: &str| AccountContents {
            account: account.to_owned(),
            recovery_codes: None,
            totp: None,
        };
        for (account, set) in &self.codes {
            let (total, remaining) = set.counts();
            accounts
                .entry(account)
                .or_insert_with(|| entry(account))
                .recovery_codes = Some([total, remaining]);
        }
        for (account, stored) in &self.totp {
            let key = &stored.key;
            accounts
                .entry(account)
                .or_insert_with(|| entry(account))
                .totp = Some(crate::totp::title(key.issuer.as_deref(), &key.label));
        }
        Contents {
            created: self.created.clone(),
            accounts: accounts.into_values().collect(),
        }
    }

    /// Every item as (keychain item, bytes to store).
    fn encoded(&self) -> Result<Vec<(ItemId, SecretBytes)>, KeychainError> {
        let codes = self.codes.iter().map(|(account, set)| {
            Ok((
                ItemId::new(ItemKind::RecoveryCodes, account),
                set.to_bytes()?,
            ))
        });
        let totp = self
            .totp
            .iter()
            .map(|(account, key)| Ok((ItemId::new(ItemKind::Totp, account), key.to_bytes()?)));
        codes.chain(totp).collect()
    }
}

/// Reads every stored item out of `store`.
fn collect(store: &dyn SecretStore, now: OffsetDateTime) -> Result<Items, BackupError> {
    let codes_vault = CodeVault::new(store);
    let totp_vault = TotpVault::new(store);
    let mut items = Items {
        created: now.format(&Rfc3339).unwrap_or_default(),
        codes: Vec::new(),
        totp: Vec::new(),
    };
    for account in store.index(ItemKind::RecoveryCodes)? {
        if let Some(set) = codes_vault.load(&account)? {
            items.codes.push((account, set));
        }
    }
    for account in store.index(ItemKind::Totp)? {
        if let Some(key) = totp_vault.load(&account)? {
            items.totp.push((account, key));
        }
    }
    Ok(items)
}

fn to_document(items: &Items) -> Document {
    Document {
        format: FORMAT.to_owned(),
        version: u64::from(VERSION),
        created: items.created.clone(),
        recovery_codes: items
            .codes
            .iter()
            .map(|(account, set)| {
                let (codes, used, imported) = set.parts();
                CodesEntry {
                    account: account.clone(),
                    imported: imported.to_owned(),
                    codes: codes.iter().map(|c| c.expose_secret().clone()).collect(),
                    used: used.to_vec(),
                }
            })
            .collect(),
        totp: items
            .totp
            .iter()
            .map(|(account, stored)| {
                let key = &stored.key;
                TotpEntry {
                    account: account.clone(),
                    imported: stored.imported.clone(),
                    issuer: key.issuer.clone(),
                    label: key.label.clone(),
                    algorithm: key.algorithm,
                    digits: key.digits,
                    period: key.period,
                    secret: key.secret_base32().expose_secret().clone(),
                }
            })
            .collect(),
    }
}

fn from_document(mut document: Document) -> Result<Items, BackupError> {
    if document.format != FORMAT {
        return Err(BackupError::Malformed(
            "its format field is not ours".into(),
        ));
    }
    if document.version != u64::from(VERSION) {
        return Err(BackupError::UnsupportedVersion(document.version));
    }
    let account = |name: &str, what: &str| -> Result<String, BackupError> {
        keychain::account_name(name)
            .map(str::to_owned)
            .ok_or_else(|| BackupError::Malformed(format!("{what} has an unusable account name")))
    };
    let mut items = Items {
        created: std::mem::take(&mut document.created),
        codes: Vec::new(),
        totp: Vec::new(),
    };
    for entry in &mut document.recovery_codes {
        let name = account(&entry.account, "a set of recovery codes")?;
        let codes = entry
            .codes
            .iter_mut()
            .map(|c| SecretString::from(std::mem::take(c)))
            .collect();
        let set = CodeSet::from_parts(
            codes,
            std::mem::take(&mut entry.used),
            std::mem::take(&mut entry.imported),
        )
        .ok_or_else(|| {
            BackupError::Malformed(format!("the recovery codes of “{name}” are not valid"))
        })?;
        items.codes.push((name, set));
    }
    for entry in &mut document.totp {
        let name = account(&entry.account, "an authenticator secret")?;
        let invalid =
            || BackupError::Malformed(format!("the authenticator secret of “{name}” is not valid"));
        let key = TotpKey::from_parts(
            entry.issuer.take(),
            std::mem::take(&mut entry.label),
            entry.algorithm,
            entry.digits,
            entry.period,
            &entry.secret,
        )
        .ok_or_else(invalid)?;
        items.totp.push((
            name,
            StoredKey {
                key,
                imported: std::mem::take(&mut entry.imported),
            },
        ));
    }
    let mut seen = std::collections::HashSet::new();
    for (kind, name) in items
        .codes
        .iter()
        .map(|(n, _)| ("codes", n))
        .chain(items.totp.iter().map(|(n, _)| ("totp", n)))
    {
        if !seen.insert((kind, name.clone())) {
            return Err(BackupError::Malformed(format!("“{name}” appears twice")));
        }
    }
    Ok(items)
}

/// Encrypts everything in `store` with `passphrase`; returns the age file and its contents.
pub fn export(
    store: &dyn SecretStore,
    passphrase: &SecretString,
    now: OffsetDateTime,
) -> Result<(Vec<u8>, Contents), BackupError> {
    check_new_passphrase(passphrase)?;
    let items = collect(store, now)?;
    if items.codes.is_empty() && items.totp.is_empty() {
        return Err(BackupError::Empty);
    }
    let json = SecretBytes::from(
        serde_json::to_vec_pretty(&to_document(&items))
            .map_err(|_| BackupError::Sealed(SealError::Encrypt))?,
    );
    Ok((
        sealed::seal(
            json.expose_secret(),
            passphrase,
            Some(sealed::BACKUP_WORK_FACTOR),
        )?,
        items.contents(),
    ))
}

/// [`export`] to a file, written atomically.
pub fn export_to_file(
    store: &dyn SecretStore,
    path: &Path,
    passphrase: &SecretString,
    now: OffsetDateTime,
) -> Result<Contents, BackupError> {
    let (file, contents) = export(store, passphrase, now)?;
    crate::files::write_chosen(path, &file)
        .map_err(|e| BackupError::File(format!("{} could not be written: {e}", path.display())))?;
    Ok(contents)
}

/// Reads a backup file, refusing anything larger than a backup can be, and anything that is
/// not a regular file on this computer (a pipe or a device would block; a share is remote).
pub fn read_file(path: &Path) -> Result<Vec<u8>, BackupError> {
    use crate::files::{read_regular_file, ReadError};
    match read_regular_file(path, MAX_BACKUP_BYTES) {
        // Encrypted bytes: no need to keep them in a zeroizing buffer.
        Ok(mut bytes) => Ok(std::mem::take(bytes.expose_secret_mut())),
        Err(ReadError::TooLarge { .. }) => Err(BackupError::TooLarge),
        Err(error) => Err(BackupError::File(format!(
            "{} could not be read: {error}",
            path.display()
        ))),
    }
}

fn decrypt(file: &[u8], passphrase: &SecretString) -> Result<Items, BackupError> {
    if file.len() as u64 > MAX_BACKUP_BYTES {
        return Err(BackupError::TooLarge);
    }
    let json = sealed::open(file, passphrase)?;
    read_document(json.expose_secret())
}

/// Checks a decrypted backup's JSON and every item in it.
fn read_document(json: &[u8]) -> Result<Items, BackupError> {
    let document: Document = serde_json::from_slice(json).map_err(|e| {
        BackupError::Malformed(format!(
            "its JSON does not have the expected shape at line {}",
            e.line()
        ))
    })?;
    from_document(document)
}

/// A decrypted backup's JSON, checked, for the fuzz target.
#[cfg(fuzzing)]
pub fn fuzz_document(json: &[u8]) -> Result<Contents, BackupError> {
    read_document(json).map(|items| items.contents())
}

/// Decrypts a backup and checks every item, without touching the vault.
pub fn verify(file: &[u8], passphrase: &SecretString) -> Result<Contents, BackupError> {
    Ok(decrypt(file, passphrase)?.contents())
}

/// What restoring `file` into `store` would change.
pub fn plan_restore(
    store: &dyn SecretStore,
    file: &[u8],
    passphrase: &SecretString,
) -> Result<RestorePlan, BackupError> {
    let items = decrypt(file, passphrase)?;
    plan(store, &items)
}

/// One item of a backup next to what the store holds for it now.
struct Survey {
    item: ItemId,
    bytes: SecretBytes,
    previous: Option<SecretBytes>,
    change: Change,
}

/// Reads, once, what the store holds for every item of the backup.
fn survey(store: &dyn SecretStore, items: &Items) -> Result<Vec<Survey>, BackupError> {
    let mut surveyed = Vec::new();
    for (item, bytes) in items.encoded()? {
        let previous = store.read(&item)?;
        let change = match &previous {
            None => Change::Add,
            Some(existing) if *existing == bytes => Change::Same,
            Some(_) => Change::Replace,
        };
        surveyed.push(Survey {
            item,
            bytes,
            previous,
            change,
        });
    }
    Ok(surveyed)
}

fn plan(store: &dyn SecretStore, items: &Items) -> Result<RestorePlan, BackupError> {
    Ok(plan_of(items, &survey(store, items)?))
}

fn plan_of(items: &Items, surveyed: &[Survey]) -> RestorePlan {
    RestorePlan {
        contents: items.contents(),
        items: surveyed
            .iter()
            .map(|s| PlannedItem {
                kind: match s.item.kind {
                    ItemKind::Totp => BackedUp::Totp,
                    _ => BackedUp::RecoveryCodes,
                },
                account: s.item.account.clone(),
                change: s.change,
            })
            .collect(),
    }
}

/// Restores `file` into `store`, all or nothing. Items that exist with other contents are
/// replaced only when `overwrite` is true; otherwise nothing at all is written.
pub fn restore(
    store: &dyn SecretStore,
    file: &[u8],
    passphrase: &SecretString,
    overwrite: bool,
) -> Result<RestorePlan, BackupError> {
    restore_if(store, file, passphrase, |_| overwrite)
}

/// [`restore`], replacing only items of the accounts in `confirmed`: what the user was asked
/// about is all that is replaced, even if the store changed while they were asked. Another
/// account that now differs refuses the restore again, naming every account.
pub fn restore_confirmed(
    store: &dyn SecretStore,
    file: &[u8],
    passphrase: &SecretString,
    confirmed: &[String],
) -> Result<RestorePlan, BackupError> {
    restore_if(store, file, passphrase, |conflicts| {
        conflicts.iter().all(|account| confirmed.contains(account))
    })
}

fn restore_if(
    store: &dyn SecretStore,
    file: &[u8],
    passphrase: &SecretString,
    may_replace: impl Fn(&[String]) -> bool,
) -> Result<RestorePlan, BackupError> {
    let items = decrypt(file, passphrase)?;
    let _lock = UpdateLock::acquire()?;
    let surveyed = survey(store, &items)?;
    let plan = plan_of(&items, &surveyed);
    let conflicts: Vec<String> = plan
        .items
        .iter()
        .filter(|i| i.change == Change::Replace)
        .map(|i| i.account.clone())
        .collect();
    if !conflicts.is_empty() && !may_replace(&conflicts) {
        return Err(BackupError::WouldOverwrite(conflicts));
    }
    // What each item held was read in the survey, so a failure halfway puts everything back.
    let mut written: Vec<&Survey> = Vec::new();
    let result = (|| -> Result<(), KeychainError> {
        for entry in surveyed.iter().filter(|s| s.change != Change::Same) {
            store.write(&entry.item, &entry.bytes)?;
            written.push(entry);
            store.add_to_index(entry.item.kind, &entry.item.account)?;
        }
        Ok(())
    })();
    if let Err(error) = result {
        for entry in written.into_iter().rev() {
            let item = &entry.item;
            let _ = match &entry.previous {
                Some(bytes) => store.write(item, bytes),
                None => store
                    .delete(item)
                    .and_then(|_| store.remove_from_index(item.kind, &item.account)),
            };
        }
        return Err(error.into());
    }
    Ok(plan)
}
