//! The recovery-code vault against the real Secret Service, through the library and the CLI.

mod support;

use pypi_recovery::codes::{CodeSets, CodesError};
use pypi_recovery::keychain::{ItemId, ItemKind, KeychainError};
use pypi_recovery::secret::SecretString;
use std::process::Command;
use support::{assert_no_leak, cli, cli_with_input, unique};
use time::macros::datetime;

const CODES: [&str; 8] = [
    "00aa11bb22cc33dd",
    "44ee55ff66aa77bb",
    "8899aabbccddeeff",
    "0f0e0d0c0b0a0908",
    "1a2b3c4d5e6f7a8b",
    "abcdef0123456789",
    "76543210fedcba98",
    "13579bdf02468ace",
];

fn pypi_clipboard() -> String {
    format!("PyPI recovery codes\n{}\n", CODES.join("\n"))
}

/// A new account with `CODES` imported through the CLI.
fn account_with_codes(name: &str) -> String {
    let account = unique(name);
    let out = cli_with_input(
        &["codes", "import", "--account", &account],
        &pypi_clipboard(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    account
}

#[test]
fn import_use_undo_and_remove_through_the_library() {
    let store = support::os_keychain();
    let sets = CodeSets::new(&store);
    let account = unique("lib");
    let now = datetime!(2026-11-23 10:00 UTC);

    let summary = sets
        .import(&account, pypi_clipboard().as_bytes(), false, now)
        .unwrap();
    assert_eq!((summary.total, summary.remaining), (8, 8));
    assert_eq!(summary.imported, "2026-11-23T10:00:00Z");

    // The keychain item is ours, visible to another Secret Service client, and within
    // Windows Credential Manager's 2,560-byte limit.
    let item = ItemId::new(ItemKind::RecoveryCodes, &account);
    let raw = Command::new("secret-tool")
        .args(["lookup", "service", &item.service(), "username", &account])
        .output()
        .unwrap();
    assert!(raw.status.success());
    assert!(
        raw.stdout.len() < 1024,
        "item is {} bytes",
        raw.stdout.len()
    );

    assert_eq!(sets.next(&account).unwrap().code.expose_secret(), CODES[0]);
    sets.use_code(&account, &SecretString::from("00AA 11BB-22CC 33DD"))
        .unwrap();
    let next = sets.next(&account).unwrap();
    assert_eq!(
        (next.index, next.code.expose_secret().as_str()),
        (1, CODES[1])
    );
    assert_eq!(
        sets.use_code(&account, &SecretString::from(CODES[0])),
        Err(CodesError::AlreadyUsed)
    );
    assert_eq!(
        sets.use_code(&account, &SecretString::from("ffffffffffffffff")),
        Err(CodesError::NotInSet(account.clone()))
    );

    // Undo a mistaken mark.
    let undone = sets.set_used(&account, 0, false).unwrap();
    assert_eq!(undone.remaining, 8);
    assert_eq!(
        sets.set_used(&account, 8, true),
        Err(CodesError::NoSuchCode(9))
    );

    assert!(sets.list().unwrap().iter().any(|s| s.account == account));
    assert!(sets.remove(&account).unwrap());
    assert!(!sets.list().unwrap().iter().any(|s| s.account == account));
    assert_eq!(
        sets.next(&account).unwrap_err(),
        CodesError::UnknownAccount(account)
    );
}

#[test]
fn a_refused_import_changes_nothing_and_a_new_set_needs_confirmation() {
    let store = support::os_keychain();
    let sets = CodeSets::new(&store);
    let account = unique("replace");
    let now = datetime!(2026-11-23 10:00 UTC);
    sets.import(&account, CODES[..7].join("\n").as_bytes(), false, now)
        .unwrap();
    sets.use_code(&account, &SecretString::from(CODES[0]))
        .unwrap();

    let bad = format!("{}\nnot-a-code", CODES[7]);
    assert!(matches!(
        sets.import(&account, bad.as_bytes(), true, now),
        Err(CodesError::Import(_))
    ));
    assert_eq!(
        sets.import(&account, CODES[7].as_bytes(), false, now),
        Err(CodesError::WouldReplace(account.clone()))
    );
    let kept = sets.summary(&account).unwrap();
    assert_eq!(
        (kept.total, kept.remaining),
        (7, 6),
        "the old set is untouched"
    );

    let replaced = sets
        .import(&account, pypi_clipboard().as_bytes(), true, now)
        .unwrap();
    assert_eq!((replaced.total, replaced.remaining), (8, 8));
    sets.remove(&account).unwrap();
}

#[test]
fn warns_when_two_or_fewer_remain() {
    let store = support::os_keychain();
    let sets = CodeSets::new(&store);
    let account = unique("low");
    sets.import(
        &account,
        CODES[..3].join("\n").as_bytes(),
        false,
        datetime!(2026-01-01 0:00 UTC),
    )
    .unwrap();
    assert!(!sets.summary(&account).unwrap().low);
    let summary = sets
        .use_code(&account, &SecretString::from(CODES[0]))
        .unwrap();
    assert!(summary.low);
    sets.use_code(&account, &SecretString::from(CODES[1]))
        .unwrap();
    sets.use_code(&account, &SecretString::from(CODES[2]))
        .unwrap();
    assert_eq!(
        sets.next(&account).unwrap_err(),
        CodesError::NoneLeft(account.clone())
    );
    sets.remove(&account).unwrap();
}

#[test]
fn a_damaged_item_is_reported_not_trusted() {
    let account = unique("corrupt");
    let item = ItemId::new(ItemKind::RecoveryCodes, &account);
    let mut child = Command::new("secret-tool")
        .args([
            "store",
            "--label",
            "damaged",
            "service",
            &item.service(),
            "username",
            &account,
        ])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"{\"version\":1,\"codes\":[\"nothex\"]}")
        .unwrap();
    assert!(child.wait().unwrap().success());
    let store = support::os_keychain();
    let sets = CodeSets::new(&store);
    assert_eq!(
        sets.next(&account).unwrap_err(),
        CodesError::Keychain(KeychainError::Corrupt)
    );
    sets.remove(&account).unwrap();
}

/// Eight CLI processes mark eight different codes used at the same moment; none is lost.
#[test]
fn racing_writers_lose_no_used_mark() {
    let account = account_with_codes("race");
    let spawned: Vec<_> = CODES
        .iter()
        .map(|code| {
            cli()
                .args(["codes", "use", "--account", &account, code])
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in spawned {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let store = support::os_keychain();
    let summary = CodeSets::new(&store).summary(&account).unwrap();
    assert_eq!(
        summary.remaining, 0,
        "every concurrent mark was kept: {:?}",
        summary.used
    );
    CodeSets::new(&store).remove(&account).unwrap();
}

#[test]
fn cli_contract_and_no_leak_after_a_full_cycle() {
    let account = unique("cycle");
    let mut outputs = Vec::new();
    let dir = tempfile::tempdir().unwrap();
    let file = dir
        .path()
        .join("PyPI-Recovery-Codes-alice-2024-05-01T12:00:00.txt");
    std::fs::write(&file, CODES.join("\n")).unwrap();

    let import = cli()
        .args(["codes", "import", "--account", &account])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        import.status.success(),
        "{}",
        String::from_utf8_lossy(&import.stderr)
    );
    std::fs::remove_file(&file).unwrap();

    let list = cli().args(["codes", "list", "--json"]).output().unwrap();
    let rows: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    let row = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["account"] == account.as_str())
        .unwrap();
    assert_eq!(row["total"], 8);
    assert_eq!(row["remaining"], 8);
    assert_eq!(
        row.as_object().unwrap().len(),
        4,
        "exactly account, total, remaining, imported"
    );

    let next = cli()
        .args(["codes", "next", "--account", &account])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&next.stdout),
        format!("{}\n", CODES[0])
    );
    let used = cli()
        .args(["codes", "use", "--account", &account, CODES[0]])
        .output()
        .unwrap();
    assert!(used.status.success());
    let refused = cli()
        .args(["codes", "use", "--account", &account, "ffffffffffffffff"])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(1));

    let bad = cli_with_input(
        &["codes", "import", "--account", "other"],
        &format!("{}\n{}x\n", CODES[2], CODES[3]),
    );
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("Line 2"));

    // No terminal: remove refuses without --yes, and works with it.
    let no_yes = cli()
        .args(["codes", "remove", "--account", &account])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(no_yes.status.code(), Some(1));
    let removed = cli()
        .args(["codes", "remove", "--account", &account, "--yes"])
        .output()
        .unwrap();
    assert!(removed.status.success());
    let usage = cli().args(["codes", "next"]).output().unwrap();
    assert_eq!(usage.status.code(), Some(2));

    for out in [&import, &list, &used, &refused, &bad, &no_yes, &removed] {
        outputs.push(String::from_utf8_lossy(&out.stdout).into_owned());
        outputs.push(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    outputs.push(String::from_utf8_lossy(&next.stderr).into_owned());
    let texts: Vec<&str> = outputs.iter().map(String::as_str).collect();
    assert_no_leak(&CODES, &texts);
}

#[test]
fn without_a_keychain_every_command_fails_fast_and_says_why() {
    let empty = tempfile::tempdir().unwrap();
    for args in [
        vec!["codes", "list"],
        vec!["codes", "next", "--account", "a"],
        vec!["codes", "use", "--account", "a", CODES[0]],
        vec!["codes", "remove", "--account", "a", "--yes"],
    ] {
        let started = std::time::Instant::now();
        let out = cli()
            .args(&args)
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .env("XDG_RUNTIME_DIR", empty.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("Secret Service"), "{args:?}: {stderr}");
        assert!(started.elapsed().as_secs() < 10);
    }
    let file = empty.path().join("codes.txt");
    std::fs::write(&file, CODES[0]).unwrap();
    let import = cli()
        .args(["codes", "import", "--account", "a"])
        .arg(&file)
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env("XDG_RUNTIME_DIR", empty.path())
        .output()
        .unwrap();
    assert_eq!(import.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&import.stderr).contains("Secret Service"));
}

/// The update lock lives in the app's data folder. When that folder cannot be made (here a
/// file stands where it should be; a full disk or a read-only home stop it the same way), the
/// message names the folder instead of blaming the keychain, and the stored set is unchanged.
#[test]
fn a_data_folder_that_cannot_be_made_is_named_and_not_blamed_on_the_keychain() {
    let account = account_with_codes("no-data-folder");
    let dir = tempfile::tempdir().unwrap();
    let in_the_way = dir.path().join("a-file");
    std::fs::write(&in_the_way, "").unwrap();

    let used = cli()
        .args(["codes", "use", "--account", &account, CODES[0]])
        .env("XDG_DATA_HOME", &in_the_way)
        .output()
        .unwrap();
    assert_eq!(used.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&used.stderr);
    assert!(stderr.contains("could not be created"), "{stderr}");
    assert!(stderr.contains("a-file"), "names the folder: {stderr}");
    assert!(!stderr.to_lowercase().contains("keychain"), "{stderr}");

    let next = cli()
        .args(["codes", "next", "--account", &account])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&next.stdout),
        format!("{}\n", CODES[0]),
        "the code is still unused"
    );
    let _ = cli()
        .args(["codes", "remove", "--account", &account, "--yes"])
        .output();
}
