//! The stored authenticator backups: one keychain item per account, beside (never inside) the
//! account's recovery codes, so losing or removing one leaves the other.

use super::{Algorithm, QrMatrix, TotpError, TotpKey};
use crate::keychain::{self, ItemId, ItemKind, SecretStore, UpdateLock};
use crate::secret::{SecretBytes, SecretString};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use zeroize::Zeroize;

/// What the list shows for an account; never the secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TotpSummary {
    /// The account name the backup is stored under.
    pub account: String,
    /// Who issued the secret, such as "PyPI".
    pub issuer: Option<String>,
    /// The account name in the original link.
    pub label: String,
    /// The HMAC algorithm.
    pub algorithm: Algorithm,
    /// Digits per code.
    pub digits: u8,
    /// Seconds per code.
    pub period: u32,
    /// Bits of secret; under 128 is weaker (see `weak`).
    pub secret_bits: u32,
    /// True for secrets under 128 bits: they work, but are easier to guess.
    pub weak: bool,
    /// When the backup was imported (RFC 3339, UTC).
    pub imported: String,
}

impl TotpSummary {
    /// How the authenticator is named to the user: "issuer: label", or the label alone.
    pub fn title(&self) -> String {
        super::title(self.issuer.as_deref(), &self.label)
    }
}

/// The next code is given only this close to the end of a period, when the app shows it.
pub const NEXT_CODE_WITHIN_SECONDS: u64 = 10;

/// The code for an instant, with what a countdown needs.
#[derive(Debug)]
pub struct CurrentCode {
    /// The code now.
    pub code: SecretString,
    /// The code of the next period, only in its last [`NEXT_CODE_WITHIN_SECONDS`]: earlier, a
    /// code shown for later would be typed too soon.
    pub next: Option<SecretString>,
    /// Seconds until `next` takes over.
    pub seconds_left: u64,
    /// Seconds per code.
    pub period: u64,
}

/// The secret in forms a new phone accepts, for an explicit "move to a new phone".
#[derive(Debug)]
pub struct Revealed {
    /// An `otpauth://totp/` link.
    pub uri: SecretString,
    /// The secret alone in base32, for apps that take a typed setup key.
    pub secret: SecretString,
    /// The link as a QR code.
    pub qr: Option<QrMatrix>,
}

/// How a code typed from the phone compares with this backup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verification {
    /// The same code, now or one step either side (which PyPI accepts too).
    Match {
        /// Steps between the phone's code and now: negative when the phone is behind.
        steps: i64,
    },
    /// The code of 2 to 10 steps away: the backup is right, a clock is wrong.
    ClockOff {
        /// Steps between the phone's code and now: negative when the phone is behind.
        steps: i64,
        /// The same in seconds.
        seconds: i64,
    },
    /// Not a code of this backup within 10 steps.
    NoMatch,
}

impl Verification {
    /// True when PyPI would accept the code with this backup.
    pub fn is_match(&self) -> bool {
        matches!(self, Verification::Match { .. })
    }

    /// What it means, for people.
    pub fn message(&self) -> String {
        match *self {
            Verification::Match { steps: 0 } => {
                "It matches: this backup makes the same codes as your phone.".into()
            }
            Verification::Match { steps } => format!(
                "It matches: this backup makes the same codes as your phone (the code was one step {}, which PyPI accepts too).",
                if steps < 0 { "old" } else { "early" }
            ),
            Verification::ClockOff { seconds, .. } => format!(
                "That code is from {} seconds {}: your phone's or this computer's clock is off. The backup itself is right. Turn on automatic date and time on both, then check again.",
                seconds.unsigned_abs(),
                if seconds < 0 { "ago" } else { "ahead" }
            ),
            Verification::NoMatch => "That code does not match this backup, even allowing for clocks up to 5 minutes apart. Check that you typed the code of the same account, or import the backup again.".into(),
        }
    }
}

/// The keychain item's JSON. Borrowed on the way out, owned (and wiped) on the way in.
#[derive(Serialize)]
struct StoredOut<'a> {
    version: u8,
    imported: &'a str,
    issuer: Option<&'a str>,
    label: &'a str,
    algorithm: Algorithm,
    digits: u8,
    period: u64,
    secret: &'a str,
}

#[derive(Deserialize, Zeroize)]
#[zeroize(drop)]
struct StoredIn {
    version: u8,
    imported: String,
    issuer: Option<String>,
    label: String,
    #[zeroize(skip)]
    algorithm: Algorithm,
    digits: u8,
    period: u64,
    secret: String,
}

/// One stored backup: the key and when it was imported.
#[derive(Debug, Clone)]
pub struct StoredKey {
    /// The key.
    pub key: TotpKey,
    /// When it was imported (RFC 3339, UTC).
    pub imported: String,
}

impl StoredKey {
    fn summary(&self, account: &str) -> TotpSummary {
        let key = &self.key;
        TotpSummary {
            account: account.to_owned(),
            issuer: key.issuer.clone(),
            label: key.label.clone(),
            algorithm: key.algorithm,
            digits: key.digits,
            period: u32::try_from(key.period).unwrap_or(u32::MAX),
            secret_bits: key.secret_bits(),
            weak: key.is_weak(),
            imported: self.imported.clone(),
        }
    }

    pub(crate) fn to_bytes(&self) -> Result<SecretBytes, keychain::KeychainError> {
        let secret = self.key.secret_base32();
        let out = StoredOut {
            version: 1,
            imported: &self.imported,
            issuer: self.key.issuer.as_deref(),
            label: &self.key.label,
            algorithm: self.key.algorithm,
            digits: self.key.digits,
            period: self.key.period,
            secret: secret.expose_secret(),
        };
        keychain::encode(&out)
    }

    pub(crate) fn from_bytes(bytes: &SecretBytes) -> Result<Self, TotpError> {
        let corrupt = || TotpError::Keychain(keychain::KeychainError::Corrupt);
        let mut stored: StoredIn =
            serde_json::from_slice(bytes.expose_secret()).map_err(|_| corrupt())?;
        if stored.version != 1 {
            return Err(corrupt());
        }
        let key = TotpKey::from_parts(
            stored.issuer.take(),
            std::mem::take(&mut stored.label),
            stored.algorithm,
            stored.digits,
            stored.period,
            &stored.secret,
        )
        .ok_or_else(corrupt)?;
        Ok(Self {
            key,
            imported: std::mem::take(&mut stored.imported),
        })
    }
}

/// Authenticator backups for every account, kept in a [`SecretStore`].
pub struct TotpBackups<'a> {
    store: &'a dyn SecretStore,
}

impl<'a> TotpBackups<'a> {
    /// The authenticator backups kept in `store` (the keychain or the vault file).
    pub fn new(store: &'a dyn SecretStore) -> Self {
        Self { store }
    }

    /// Stores `key` for `account`. An existing backup is replaced only when `replace` is true.
    pub fn import(
        &self,
        account: &str,
        key: TotpKey,
        replace: bool,
        now: OffsetDateTime,
    ) -> Result<TotpSummary, TotpError> {
        let account = valid_account(account)?;
        let _lock = UpdateLock::acquire()?;
        let item = ItemId::new(ItemKind::Totp, account);
        let existed = self.store.read(&item)?.is_some();
        if existed && !replace {
            return Err(TotpError::WouldReplace(account.to_owned()));
        }
        let stored = StoredKey {
            key,
            imported: crate::timestamp(now),
        };
        keychain::write_listed(self.store, &item, &stored.to_bytes()?, existed)?;
        Ok(stored.summary(account))
    }

    /// Every account with a backup, in name order, without secrets.
    pub fn list(&self) -> Result<Vec<TotpSummary>, TotpError> {
        let mut summaries = Vec::new();
        for account in self.store.index(ItemKind::Totp)? {
            if let Some(stored) = self.load(&account)? {
                summaries.push(stored.summary(&account));
            }
        }
        Ok(summaries)
    }

    /// The summary for one account.
    pub fn summary(&self, account: &str) -> Result<TotpSummary, TotpError> {
        let account = valid_account(account)?;
        Ok(self.require(account)?.summary(account))
    }

    /// The stored key itself, for export and for showing it to a new phone.
    pub fn key(&self, account: &str) -> Result<StoredKey, TotpError> {
        self.require(valid_account(account)?)
    }

    /// The code at `at` (Unix seconds) and the one after it.
    pub fn code(&self, account: &str, at: u64) -> Result<CurrentCode, TotpError> {
        let key = self.key(account)?.key;
        let seconds_left = key.seconds_left(at);
        Ok(CurrentCode {
            code: key.code_at(at),
            next: (seconds_left <= NEXT_CODE_WITHIN_SECONDS)
                .then(|| key.code_at(at.saturating_add(seconds_left))),
            seconds_left,
            period: key.period,
        })
    }

    /// Compares a code typed from the phone with the backup at `at`.
    pub fn verify(
        &self,
        account: &str,
        typed: &SecretString,
        at: u64,
    ) -> Result<Verification, TotpError> {
        self.key(account)?.key.verify(typed, at)
    }

    /// The secret as a link, as text and as a QR code, for a new phone.
    pub fn reveal(&self, account: &str) -> Result<Revealed, TotpError> {
        let key = self.key(account)?.key;
        let uri = key.to_uri();
        Ok(Revealed {
            qr: QrMatrix::encode(&uri),
            secret: key.secret_base32(),
            uri,
        })
    }

    /// Removes an account's backup. Returns false when there was none.
    pub fn remove(&self, account: &str) -> Result<bool, TotpError> {
        let account = valid_account(account)?;
        let _lock = UpdateLock::acquire()?;
        let removed = self.store.delete(&ItemId::new(ItemKind::Totp, account))?;
        self.store.remove_from_index(ItemKind::Totp, account)?;
        Ok(removed)
    }

    pub(crate) fn load(&self, account: &str) -> Result<Option<StoredKey>, TotpError> {
        match self.store.read(&ItemId::new(ItemKind::Totp, account))? {
            Some(bytes) => Ok(Some(StoredKey::from_bytes(&bytes)?)),
            None => Ok(None),
        }
    }

    fn require(&self, account: &str) -> Result<StoredKey, TotpError> {
        self.load(account)?
            .ok_or_else(|| TotpError::UnknownAccount(account.to_owned()))
    }
}

fn valid_account(account: &str) -> Result<&str, TotpError> {
    keychain::account_name(account).ok_or(TotpError::BadAccountName)
}
