//! The paper kit: every stored recovery code, and each authenticator's name (with its QR code
//! when asked), one page per account, for printing. The caller confirms with the user first,
//! naming the accounts [`accounts`] gives, and asks [`assemble`] for exactly those.

use super::BackupError;
use crate::codes::CodeSets;
use crate::keychain::SecretStore;
use crate::secret::SecretString;
use crate::totp::{QrMatrix, TotpBackups};
use std::collections::BTreeMap;

/// One account's page.
// No Debug: the QR modules are as good as the authenticator secret.
pub struct PaperPage {
    /// The account.
    pub account: String,
    /// Its recovery codes with their used marks, in order.
    pub codes: Vec<(SecretString, bool)>,
    /// Its authenticator's title ("issuer: label"), when it has one.
    pub totp: Option<String>,
    /// Its authenticator as a QR code, when asked for.
    pub qr: Option<QrMatrix>,
}

/// Every account with codes or an authenticator backup, sorted: what the kit would print.
/// Only their names leave this function.
pub fn accounts(store: &dyn SecretStore) -> Result<Vec<String>, BackupError> {
    let mut accounts: Vec<String> = (CodeSets::new(store).list()?.into_iter())
        .map(|s| s.account)
        .chain(
            TotpBackups::new(store)
                .list()?
                .into_iter()
                .map(|s| s.account),
        )
        .collect();
    accounts.sort();
    accounts.dedup();
    Ok(accounts)
}

/// The pages for `confirmed`, sorted by account: only those, even if another account was
/// added since the user was asked.
pub fn assemble(
    store: &dyn SecretStore,
    confirmed: &[String],
    include_qr: bool,
) -> Result<Vec<PaperPage>, BackupError> {
    let codes = CodeSets::new(store);
    let totp = TotpBackups::new(store);
    let mut pages: BTreeMap<String, PaperPage> = BTreeMap::new();
    fn page<'a>(pages: &'a mut BTreeMap<String, PaperPage>, account: &str) -> &'a mut PaperPage {
        pages
            .entry(account.to_owned())
            .or_insert_with(|| PaperPage {
                account: account.to_owned(),
                codes: Vec::new(),
                totp: None,
                qr: None,
            })
    }
    let asked = |account: &str| confirmed.iter().any(|a| a == account);
    for summary in codes.list()?.into_iter().filter(|s| asked(&s.account)) {
        page(&mut pages, &summary.account).codes = codes.reveal_all(&summary.account)?;
    }
    for summary in totp.list()?.into_iter().filter(|s| asked(&s.account)) {
        let qr = match include_qr {
            true => totp.reveal(&summary.account)?.qr,
            false => None,
        };
        let page = page(&mut pages, &summary.account);
        page.totp = Some(summary.title());
        page.qr = qr;
    }
    Ok(pages.into_values().collect())
}
