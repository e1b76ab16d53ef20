//! Every keychain item fits Windows' Credential Manager (2,560 bytes per credential): the
//! largest key and code set an import accepts, measured in the real Secret Service with
//! `secret-tool`, and an account list that refuses to outgrow one item.

mod support;

use pypi_recovery::codes::CodeSets;
use pypi_recovery::keychain::{FileVault, KeychainError, MAX_ITEM_BYTES};
use pypi_recovery::secret::SecretString;
use pypi_recovery::totp::{Algorithm, TotpBackups, TotpError, TotpKey, MAX_NAME_CHARS};
use support::{secret_tool_lookup, unique};
use time::OffsetDateTime;

/// Four bytes in UTF-8, and JSON leaves it as it is: the most bytes a character can cost.
const WIDEST: char = '𝄞';

fn widest(chars: usize) -> String {
    std::iter::repeat_n(WIDEST, chars).collect()
}

/// A base32 secret of `bytes` bytes.
fn secret_of(bytes: usize) -> String {
    "A".repeat((bytes * 8).div_ceil(5))
}

/// The longest account name accepted (100 characters), made unique by a prefix.
fn longest_account() -> String {
    let prefix = unique("big");
    let rest = 100 - prefix.chars().count();
    format!("{prefix}{}", widest(rest))
}

fn stored_len(service: &str, account: &str) -> usize {
    let out = secret_tool_lookup(service, account);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout.len()
}

#[test]
fn the_largest_key_an_import_accepts_fits_one_credential() {
    let keychain = support::os_keychain();
    let backups = TotpBackups::new(&keychain);
    let account = longest_account();
    let names = widest(MAX_NAME_CHARS);
    let key = TotpKey::new(
        &secret_of(128),
        Some(&names),
        &names,
        Algorithm::Sha512,
        8,
        u64::MAX,
    )
    .unwrap();
    backups
        .import(&account, key, false, OffsetDateTime::now_utc())
        .unwrap();
    let size = stored_len("pypi-recovery-assistant:totp", &account);
    backups.remove(&account).unwrap();
    assert!(size <= MAX_ITEM_BYTES, "{size} bytes");
    // Over half the limit: the bounds are not loose by accident.
    assert!(size > MAX_ITEM_BYTES / 2, "{size} bytes");

    // One more character or byte than that is refused before anything is stored.
    let longer = widest(MAX_NAME_CHARS + 1);
    for (issuer, label) in [(Some(longer.as_str()), "x"), (None, longer.as_str())] {
        let refused = TotpKey::new(&secret_of(20), issuer, label, Algorithm::Sha1, 6, 30);
        assert!(
            matches!(refused, Err(TotpError::NameTooLong)),
            "{refused:?}"
        );
    }
    let refused = TotpKey::new(&secret_of(129), None, "x", Algorithm::Sha1, 6, 30);
    assert!(
        matches!(refused, Err(TotpError::SecretTooLong { bits: 1032 })),
        "{refused:?}"
    );
}

#[test]
fn a_full_code_set_fits_one_credential() {
    let keychain = support::os_keychain();
    let sets = CodeSets::new(&keychain);
    let account = longest_account();
    let codes: Vec<String> = (0..8).map(|i| format!("{i:016x}")).collect();
    sets.import(
        &account,
        codes.join("\n").as_bytes(),
        false,
        OffsetDateTime::now_utc(),
    )
    .unwrap();
    for code in &codes {
        sets.use_code(&account, &SecretString::from(code.clone()))
            .unwrap();
    }
    let size = stored_len("pypi-recovery-assistant:recovery-codes", &account);
    sets.remove(&account).unwrap();
    assert!(size <= MAX_ITEM_BYTES, "{size} bytes");
}

/// In a vault file of its own, so the shared test keyring's lists stay small.
#[test]
fn the_account_list_refuses_to_outgrow_one_credential_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = FileVault::new(dir.path().join("vault.age"), None);
    store
        .create(SecretString::from("a passphrase for this test".to_owned()))
        .unwrap();
    let sets = CodeSets::new(&store);
    let codes = "00aa11bb22cc33dd\n44ee55ff66aa77bb";
    let now = OffsetDateTime::now_utc();
    let name = |i: usize| format!("{i:02}{}", widest(98));
    let mut stored = 0;
    let refusal = loop {
        match sets.import(&name(stored), codes.as_bytes(), false, now) {
            Ok(_) => stored += 1,
            Err(error) => break error,
        }
        assert!(stored < 20, "no limit on the account list");
    };
    // 397 bytes a name in the JSON list: six fit in 2,560, the seventh does not.
    assert_eq!(stored, 6);
    let message = refusal.to_string();
    assert!(
        matches!(
            refusal,
            pypi_recovery::codes::CodesError::Keychain(KeychainError::IndexFull(2780))
        ),
        "{refusal:?}"
    );
    assert!(message.contains("Remove an account"), "{message}");
    let listed: Vec<String> = sets
        .list()
        .unwrap()
        .into_iter()
        .map(|s| s.account)
        .collect();
    assert_eq!(listed, (0..6).map(name).collect::<Vec<_>>());
    assert!(
        sets.summary(&name(6)).is_err(),
        "the refused account's codes were stored"
    );
    // Removing still works, and makes room again.
    assert!(sets.remove(&name(0)).unwrap());
    sets.import(&name(6), codes.as_bytes(), false, now).unwrap();
}
