//! The backup format: a versioned JSON document of every item, inside an age file
//! (scrypt passphrase), so `age -d` and any JSON reader are a real way out without this app.
//! Every item is checked when a backup is read, before anything is written.

use super::{check_new_passphrase, BackupError, FORMAT, MAX_BACKUP_BYTES, VERSION};
use crate::codes::{CodeSet, CodeSets};
use crate::keychain::{self, ItemId, ItemKind, KeychainError, SecretStore};
use crate::sealed::{self, SealError};
use crate::secret::{SecretBytes, SecretString};
use crate::totp::{Algorithm, StoredKey, TotpBackups, TotpKey};
use serde::{Deserialize, Serialize};
use std::path::Path;
use time::OffsetDateTime;
use zeroize::Zeroize;

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

/// Items of a backup, checked and ready to write.
pub(super) struct Items {
    created: String,
    codes: Vec<(String, CodeSet)>,
    totp: Vec<(String, StoredKey)>,
}

impl Items {
    pub(super) fn contents(&self) -> Contents {
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
    pub(super) fn encoded(&self) -> Result<Vec<(ItemId, SecretBytes)>, KeychainError> {
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
    let code_sets = CodeSets::new(store);
    let totp_backups = TotpBackups::new(store);
    let mut items = Items {
        created: crate::timestamp(now),
        codes: Vec::new(),
        totp: Vec::new(),
    };
    for account in store.index(ItemKind::RecoveryCodes)? {
        if let Some(set) = code_sets.load(&account)? {
            items.codes.push((account, set));
        }
    }
    for account in store.index(ItemKind::Totp)? {
        if let Some(key) = totp_backups.load(&account)? {
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

pub(super) fn decrypt(file: &[u8], passphrase: &SecretString) -> Result<Items, BackupError> {
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

/// Decrypts a backup and checks every item, without touching what is stored.
pub fn verify(file: &[u8], passphrase: &SecretString) -> Result<Contents, BackupError> {
    Ok(decrypt(file, passphrase)?.contents())
}
