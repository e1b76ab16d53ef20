//! Restoring a backup as one transaction: what it would change is shown first, accounts
//! that differ are replaced only when confirmed, and a failure halfway puts back what each
//! item held.

use super::format::{decrypt, Contents, Items};
use super::BackupError;
use crate::keychain::{ItemId, ItemKind, KeychainError, SecretStore, UpdateLock};
use crate::secret::{SecretBytes, SecretString};
use serde::Serialize;

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
