//! The stored recovery-code sets: one keychain item per account holding its codes, which are
//! used, and when they were imported.

use super::parse::{parse_codes, ImportError, CODE_LEN};
use crate::keychain::{self, ItemId, ItemKind, KeychainError, SecretStore, UpdateLock};
use crate::secret::{SecretBytes, SecretString};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use zeroize::Zeroize;

/// At this many unused codes or fewer, the app warns and points to PyPI's regenerate page.
pub const LOW_CODES_THRESHOLD: usize = 2;

/// Why a codes operation failed. No variant holds a code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodesError {
    /// The input was refused; nothing was stored.
    #[error(transparent)]
    Import(#[from] ImportError),
    /// The keychain could not be used; nothing was changed.
    #[error(transparent)]
    Keychain(#[from] KeychainError),
    /// No codes are stored for this account.
    #[error("No recovery codes are stored for “{0}”. Import them first.")]
    UnknownAccount(String),
    /// The account name cannot be used.
    #[error(
        "Give the account a name: your PyPI username, 1 to 100 characters, with no line breaks."
    )]
    BadAccountName,
    /// Every code of the account is used.
    #[error("Every recovery code for “{0}” is used. Sign in to PyPI and generate a new set.")]
    NoneLeft(String),
    /// The code given is not one of this account's codes.
    #[error("That code is not one of the recovery codes stored for “{0}”.")]
    NotInSet(String),
    /// The position given does not exist in the set.
    #[error("There is no code number {0} in this set.")]
    NoSuchCode(usize),
    /// The code is already marked used.
    #[error("That code is already marked as used.")]
    AlreadyUsed,
    /// The account already has codes, and replacing them was not confirmed.
    #[error("Recovery codes for “{0}” are already stored. Confirm that you want to replace them with the new set.")]
    WouldReplace(String),
}

/// What the list shows for an account; never the codes themselves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CodesSummary {
    /// The account name.
    pub account: String,
    /// How many codes the set has.
    pub total: u32,
    /// How many are not yet used.
    pub remaining: u32,
    /// When the set was imported (RFC 3339, UTC).
    pub imported: String,
    /// Which positions are used, in import order, so the UI can draw the meter.
    pub used: Vec<bool>,
    /// True when `remaining` is at or below [`LOW_CODES_THRESHOLD`].
    pub low: bool,
}

/// The first unused code, for an explicit reveal or copy.
#[derive(Debug)]
pub struct NextCode {
    /// Its position in the set (0-based, import order).
    pub index: usize,
    /// The code.
    pub code: SecretString,
}

/// One account's stored set.
#[derive(Debug, Clone)]
pub struct CodeSet {
    codes: Vec<SecretString>,
    used: Vec<bool>,
    imported: String,
}

/// The keychain item's JSON. Borrowed on the way out, owned (and wiped) on the way in.
#[derive(Serialize)]
struct StoredOut<'a> {
    version: u8,
    imported: &'a str,
    codes: Vec<&'a str>,
    used: &'a [bool],
}

#[derive(Deserialize, Zeroize)]
#[zeroize(drop)]
struct StoredIn {
    version: u8,
    imported: String,
    codes: Vec<String>,
    used: Vec<bool>,
}

impl CodeSet {
    fn new(codes: Vec<SecretString>, now: OffsetDateTime) -> Self {
        let used = vec![false; codes.len()];
        let imported = crate::timestamp(now);
        Self {
            codes,
            used,
            imported,
        }
    }

    fn summary(&self, account: &str) -> CodesSummary {
        let remaining = self.used.iter().filter(|used| !**used).count();
        CodesSummary {
            account: account.to_owned(),
            total: self.codes.len() as u32,
            remaining: remaining as u32,
            imported: self.imported.clone(),
            used: self.used.clone(),
            low: remaining <= LOW_CODES_THRESHOLD,
        }
    }

    /// Rebuilds a set from a backup's parts; `None` when they are not a valid set.
    pub(crate) fn from_parts(
        codes: Vec<SecretString>,
        used: Vec<bool>,
        imported: String,
    ) -> Option<Self> {
        let set = Self {
            codes,
            used,
            imported,
        };
        Self::from_bytes(&set.to_bytes().ok()?).ok()
    }

    /// The codes, their used marks and the import date, for a backup.
    pub(crate) fn parts(&self) -> (&[SecretString], &[bool], &str) {
        (&self.codes, &self.used, &self.imported)
    }

    /// Counts for a backup's table of contents.
    pub(crate) fn counts(&self) -> (u32, u32) {
        let remaining = self.used.iter().filter(|used| !**used).count();
        (self.codes.len() as u32, remaining as u32)
    }

    pub(crate) fn to_bytes(&self) -> Result<SecretBytes, KeychainError> {
        let out = StoredOut {
            version: 1,
            imported: &self.imported,
            codes: self
                .codes
                .iter()
                .map(|c| c.expose_secret().as_str())
                .collect(),
            used: &self.used,
        };
        keychain::encode(&out)
    }

    pub(crate) fn from_bytes(bytes: &SecretBytes) -> Result<Self, KeychainError> {
        let mut stored: StoredIn =
            serde_json::from_slice(bytes.expose_secret()).map_err(|_| KeychainError::Corrupt)?;
        let valid = stored.version == 1
            && stored.codes.len() == stored.used.len()
            && !stored.codes.is_empty()
            && stored.codes.iter().all(|c| {
                c.len() == CODE_LEN
                    && c.bytes()
                        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
            });
        if !valid {
            return Err(KeychainError::Corrupt);
        }
        Ok(Self {
            codes: stored
                .codes
                .iter_mut()
                .map(|c| SecretString::from(std::mem::take(c)))
                .collect(),
            used: std::mem::take(&mut stored.used),
            imported: std::mem::take(&mut stored.imported),
        })
    }
}

/// Recovery codes for every account, kept in a [`SecretStore`].
pub struct CodeSets<'a> {
    store: &'a dyn SecretStore,
}

impl<'a> CodeSets<'a> {
    /// The code sets kept in `store` (the keychain or the vault file).
    pub fn new(store: &'a dyn SecretStore) -> Self {
        Self { store }
    }

    /// Parses `input` and stores the codes for `account`, all or nothing. An existing set is
    /// replaced only when `replace` is true (PyPI cancels the old set when it makes a new one).
    pub fn import(
        &self,
        account: &str,
        input: &[u8],
        replace: bool,
        now: OffsetDateTime,
    ) -> Result<CodesSummary, CodesError> {
        let account = valid_account(account)?;
        let codes = parse_codes(input)?;
        let _lock = UpdateLock::acquire()?;
        let item = ItemId::new(ItemKind::RecoveryCodes, account);
        let existed = self.store.read(&item)?.is_some();
        if existed && !replace {
            return Err(CodesError::WouldReplace(account.to_owned()));
        }
        let set = CodeSet::new(codes, now);
        keychain::write_listed(self.store, &item, &set.to_bytes()?, existed)?;
        Ok(set.summary(account))
    }

    /// Every account with stored codes, in name order, with counts but no codes.
    pub fn list(&self) -> Result<Vec<CodesSummary>, CodesError> {
        let mut summaries = Vec::new();
        for account in self.store.index(ItemKind::RecoveryCodes)? {
            if let Some(set) = self.load(&account)? {
                summaries.push(set.summary(&account));
            }
        }
        Ok(summaries)
    }

    /// The summary for one account.
    pub fn summary(&self, account: &str) -> Result<CodesSummary, CodesError> {
        let account = valid_account(account)?;
        Ok(self.require(account)?.summary(account))
    }

    /// The first unused code in import order.
    pub fn next(&self, account: &str) -> Result<NextCode, CodesError> {
        let account = valid_account(account)?;
        let set = self.require(account)?;
        let index = set
            .used
            .iter()
            .position(|used| !used)
            .ok_or_else(|| CodesError::NoneLeft(account.to_owned()))?;
        Ok(NextCode {
            index,
            code: set.codes[index].clone(),
        })
    }

    /// Every code with its used mark, in import order: for the printed paper kit only.
    pub fn reveal_all(&self, account: &str) -> Result<Vec<(SecretString, bool)>, CodesError> {
        let set = self.require(valid_account(account)?)?;
        Ok(set
            .codes
            .iter()
            .cloned()
            .zip(set.used.iter().copied())
            .collect())
    }

    /// Marks the code equal to `code` (any case or spacing) as used.
    pub fn use_code(&self, account: &str, code: &SecretString) -> Result<CodesSummary, CodesError> {
        let wanted: SecretString = code
            .expose_secret()
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .flat_map(char::to_lowercase)
            .collect::<String>()
            .into();
        self.update(account, |set| {
            let index = set
                .codes
                .iter()
                .position(|c| c == &wanted)
                .ok_or_else(|| CodesError::NotInSet(account.to_owned()))?;
            if set.used[index] {
                return Err(CodesError::AlreadyUsed);
            }
            set.used[index] = true;
            Ok(())
        })
    }

    /// Sets the used mark of the code at `index`; `false` undoes a mistaken mark.
    pub fn set_used(
        &self,
        account: &str,
        index: usize,
        used: bool,
    ) -> Result<CodesSummary, CodesError> {
        self.update(account, |set| {
            let mark = set
                .used
                .get_mut(index)
                .ok_or(CodesError::NoSuchCode(index + 1))?;
            *mark = used;
            Ok(())
        })
    }

    /// Removes an account's codes. Returns false when there were none.
    pub fn remove(&self, account: &str) -> Result<bool, CodesError> {
        let account = valid_account(account)?;
        let _lock = UpdateLock::acquire()?;
        let removed = self
            .store
            .delete(&ItemId::new(ItemKind::RecoveryCodes, account))?;
        self.store
            .remove_from_index(ItemKind::RecoveryCodes, account)?;
        Ok(removed)
    }

    /// Read-modify-write under the cross-process update lock, so the CLI and the app running
    /// at once never lose each other's "used" marks.
    fn update(
        &self,
        account: &str,
        change: impl FnOnce(&mut CodeSet) -> Result<(), CodesError>,
    ) -> Result<CodesSummary, CodesError> {
        let account = valid_account(account)?;
        let _lock = UpdateLock::acquire()?;
        let mut set = self.require(account)?;
        change(&mut set)?;
        self.store.write(
            &ItemId::new(ItemKind::RecoveryCodes, account),
            &set.to_bytes()?,
        )?;
        Ok(set.summary(account))
    }

    pub(crate) fn load(&self, account: &str) -> Result<Option<CodeSet>, CodesError> {
        let item = ItemId::new(ItemKind::RecoveryCodes, account);
        match self.store.read(&item)? {
            Some(bytes) => Ok(Some(CodeSet::from_bytes(&bytes)?)),
            None => Ok(None),
        }
    }

    fn require(&self, account: &str) -> Result<CodeSet, CodesError> {
        self.load(account)?
            .ok_or_else(|| CodesError::UnknownAccount(account.to_owned()))
    }
}

fn valid_account(account: &str) -> Result<&str, CodesError> {
    keychain::account_name(account).ok_or(CodesError::BadAccountName)
}
