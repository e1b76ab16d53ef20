//! Backups and the file vault: round trips through the real `age` CLI both ways, refusals that
//! change nothing, all-or-nothing restore, a process killed mid-write, and no plaintext on disk.

mod support;

use pypi_recovery::backup::{self, BackedUp, BackupError, BackupErrorKind, Change};
use pypi_recovery::codes::CodeSets;
use pypi_recovery::keychain::{FileVault, ItemId, ItemKind, KeychainErrorKind, SecretStore};
use pypi_recovery::sealed::{self, SealError};
use pypi_recovery::secret::SecretString;
use pypi_recovery::totp::{parse_uri, TotpBackups};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use support::{
    assert_no_leak, cli, files_outside_keyring, output_with_input, secret_tool_lookup, unique,
};
use time::macros::datetime;

const PASSPHRASE: &str = "correct horse battery staple";
const CODES: &str = "00aa11bb22cc33dd\n44ee55ff66aa77bb\n8899aabbccddeeff\n";
const SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXQ";

/// Runs the CLI against the vault file `vault` with the test passphrase.
fn with_vault(vault: &Path, args: &[&str], stdin: &str) -> Output {
    output_with_input(
        cli()
            .arg("--vault")
            .arg(vault)
            .args(args)
            .env("PYPI_RECOVERY_PASSPHRASE", PASSPHRASE),
        stdin,
    )
}

/// Exports the vault at `vault` to `out` through the CLI.
fn export(vault: &Path, out: &Path) -> Output {
    with_vault(
        vault,
        &["backup", "export", "--out", out.to_str().unwrap()],
        "",
    )
}

fn ok(output: Output) -> String {
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
}

/// A vault with three codes (one used) and an authenticator for "alice".
fn filled_vault(dir: &Path) -> std::path::PathBuf {
    let vault = dir.join("vault.age");
    ok(with_vault(
        &vault,
        &["codes", "import", "--account", "alice"],
        CODES,
    ));
    ok(with_vault(
        &vault,
        &["codes", "use", "--account", "alice", "44ee55ff66aa77bb"],
        "",
    ));
    let link = format!("otpauth://totp/PyPI:alice?secret={SECRET}&issuer=PyPI");
    ok(with_vault(
        &vault,
        &["totp", "import", "--account", "alice"],
        &link,
    ));
    vault
}

/// Runs the real `age` CLI, which reads passphrases only from a terminal, under `script`.
fn age(args: &str, passphrase_lines: &str) {
    let mut child = Command::new("script")
        .args(["-qec", &format!("age {args}"), "/dev/null"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("script (bsdutils) and age are installed by `cargo xtask test`");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(passphrase_lines.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "age {args}: {output:?}");
}

#[test]
fn exports_open_with_the_age_cli_and_age_cli_files_restore() {
    let dir = tempfile::tempdir().unwrap();
    let vault = filled_vault(dir.path());
    let exported = dir.path().join("backup.age");
    let said = export(&vault, &exported);
    assert!(said.status.success(), "{said:?}");
    assert!(String::from_utf8_lossy(&said.stderr).contains("backup verify"));

    // Our export, opened by age itself: the documented JSON is a real way out.
    let json_path = dir.path().join("backup.json");
    age(
        &format!("-d -o {} {}", json_path.display(), exported.display()),
        &format!("{PASSPHRASE}\n"),
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&json_path).unwrap()).unwrap();
    assert_eq!(json["format"], "pypi-recovery-assistant-backup");
    assert_eq!(json["version"], 1);
    assert_eq!(json["recovery_codes"][0]["account"], "alice");
    assert_eq!(json["recovery_codes"][0]["codes"][1], "44ee55ff66aa77bb");
    assert_eq!(
        json["recovery_codes"][0]["used"],
        serde_json::json!([false, true, false])
    );
    assert_eq!(json["totp"][0]["secret"], SECRET);
    assert_eq!(json["totp"][0]["algorithm"], "SHA1");
    assert_eq!(json["totp"][0]["period"], 30);

    // The same JSON encrypted by age restores into an empty vault.
    let from_age = dir.path().join("from-age.age");
    age(
        &format!("-p -o {} {}", from_age.display(), json_path.display()),
        &format!("{PASSPHRASE}\n{PASSPHRASE}\n"),
    );
    std::fs::remove_file(&json_path).unwrap();
    let fresh = dir.path().join("fresh.age");
    let restored = ok(with_vault(
        &fresh,
        &["backup", "restore", from_age.to_str().unwrap()],
        "",
    ));
    assert!(
        restored.contains("alice: recovery codes added"),
        "{restored}"
    );
    assert!(
        restored.contains("alice: authenticator added"),
        "{restored}"
    );
    let code = |vault: &Path| {
        ok(with_vault(
            vault,
            &["totp", "code", "--account", "alice", "--at", "1900000000"],
            "",
        ))
    };
    assert_eq!(code(&fresh), code(&vault));
    let listed = ok(with_vault(&fresh, &["codes", "list", "--json"], ""));
    assert!(listed.contains("\"remaining\":2"), "{listed}");

    let verified = ok(with_vault(
        &fresh,
        &["backup", "verify", exported.to_str().unwrap()],
        "",
    ));
    assert!(
        verified.contains("alice: 2 of 3 recovery codes unused; authenticator (PyPI: alice)"),
        "{verified}"
    );
}

#[test]
fn a_wrong_passphrase_or_a_damaged_file_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let vault = filled_vault(dir.path());
    let exported = dir.path().join("backup.age");
    ok(export(&vault, &exported));
    let good = std::fs::read(&exported).unwrap();
    // Change the vault after the export, so a restore would have something to change.
    ok(with_vault(
        &vault,
        &["codes", "use", "--account", "alice", "00aa11bb22cc33dd"],
        "",
    ));
    let before = std::fs::read(&vault).unwrap();

    let mut flipped = good.clone();
    let middle = flipped.len() - 20;
    flipped[middle] ^= 0x40;
    let cases: [(&str, Vec<u8>, &str); 4] = [
        (
            "truncated",
            good[..good.len() - 30].to_vec(),
            "damaged or incomplete",
        ),
        ("flipped", flipped, "damaged or incomplete"),
        (
            "not-age",
            b"{\"format\": \"pypi-recovery-assistant-backup\"}".to_vec(),
            "not an age-encrypted file",
        ),
        ("empty", Vec::new(), "not an age-encrypted file"),
    ];
    for (name, bytes, message) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let path = path.to_str().unwrap();
        for args in [
            &["backup", "verify", path][..],
            &["backup", "restore", path, "--overwrite"],
        ] {
            let command = args[1];
            let output = with_vault(&vault, args, "");
            assert_eq!(output.status.code(), Some(1), "{name} {command}");
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(stderr.contains(message), "{name} {command}: {stderr}");
        }
        assert_eq!(
            std::fs::read(&vault).unwrap(),
            before,
            "{name} changed the vault"
        );
    }

    let wrong = cli()
        .args([
            "--vault",
            vault.to_str().unwrap(),
            "backup",
            "restore",
            exported.to_str().unwrap(),
            "--overwrite",
        ])
        .env("PYPI_RECOVERY_PASSPHRASE", "not the passphrase")
        .output()
        .unwrap();
    assert_eq!(wrong.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&wrong.stderr).contains("passphrase does not open the vault file")
    );
    // The backup's own passphrase being wrong (with the vault open) is named as such.
    let store = FileVault::new(&vault, None);
    store.unlock(SecretString::from(PASSPHRASE)).unwrap();
    assert_eq!(
        backup::restore(&store, &good, &SecretString::from("nope nope nope"), true),
        Err(BackupError::Sealed(SealError::WrongPassphrase))
    );
    assert_eq!(
        std::fs::read(&vault).unwrap(),
        before,
        "wrong passphrase changed the vault"
    );
}

#[test]
fn restore_asks_before_overwriting_and_then_replaces() {
    let dir = tempfile::tempdir().unwrap();
    let vault = filled_vault(dir.path());
    let exported = dir.path().join("backup.age");
    ok(export(&vault, &exported));
    ok(with_vault(
        &vault,
        &["codes", "use", "--account", "alice", "00aa11bb22cc33dd"],
        "",
    ));
    let before = std::fs::read(&vault).unwrap();

    let refused = with_vault(
        &vault,
        &["backup", "restore", exported.to_str().unwrap()],
        "",
    );
    assert_eq!(refused.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("already exist with different contents: alice"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&vault).unwrap(), before);

    let store = FileVault::new(&vault, None);
    store.unlock(SecretString::from(PASSPHRASE)).unwrap();
    let plan = backup::plan_restore(
        &store,
        &std::fs::read(&exported).unwrap(),
        &SecretString::from(PASSPHRASE),
    )
    .unwrap();
    let changes: Vec<(BackedUp, Change)> = plan.items.iter().map(|i| (i.kind, i.change)).collect();
    assert_eq!(
        changes,
        [
            (BackedUp::RecoveryCodes, Change::Replace),
            (BackedUp::Totp, Change::Same)
        ]
    );
    // Confirmed for another account only: what differs for alice is not replaced.
    let file = std::fs::read(&exported).unwrap();
    let passphrase = SecretString::from(PASSPHRASE);
    assert_eq!(
        backup::restore_confirmed(&store, &file, &passphrase, &["bob".into()]),
        Err(BackupError::WouldOverwrite(vec!["alice".into()]))
    );
    assert_eq!(std::fs::read(&vault).unwrap(), before);

    let replaced = ok(with_vault(
        &vault,
        &[
            "backup",
            "restore",
            exported.to_str().unwrap(),
            "--overwrite",
        ],
        "",
    ));
    assert!(
        replaced.contains("alice: recovery codes replaced"),
        "{replaced}"
    );
    assert!(
        replaced.contains("alice: authenticator already up to date"),
        "{replaced}"
    );
    let listed = ok(with_vault(&vault, &["codes", "list", "--json"], ""));
    assert!(
        listed.contains("\"remaining\":2"),
        "the used mark made after the export is gone: {listed}"
    );
}

#[test]
fn a_backup_restores_into_the_os_keychain() {
    let dir = tempfile::tempdir().unwrap();
    let account = unique("restored");
    let source = FileVault::new(dir.path().join("source.age"), None);
    source.create(SecretString::from(PASSPHRASE)).unwrap();
    let now = datetime!(2026-11-24 10:00 UTC);
    CodeSets::new(&source)
        .import(&account, CODES.as_bytes(), false, now)
        .unwrap();
    let key = parse_uri(&format!("otpauth://totp/PyPI:{account}?secret={SECRET}")).unwrap();
    TotpBackups::new(&source)
        .import(&account, key, false, now)
        .unwrap();
    let passphrase = SecretString::from(PASSPHRASE);
    let (file, contents) = backup::export(&source, &passphrase, now).unwrap();
    assert_eq!(contents.accounts.len(), 1);
    assert_eq!(contents.accounts[0].recovery_codes, Some([3, 3]));

    let keychain = support::os_keychain();
    let plan = backup::restore(&keychain, &file, &passphrase, false).unwrap();
    assert!(plan.items.iter().all(|i| i.change == Change::Add));
    let found = secret_tool_lookup("pypi-recovery-assistant:totp", &account);
    assert!(found.status.success() && !found.stdout.is_empty());
    assert_eq!(
        TotpBackups::new(&keychain).code(&account, 59).unwrap().code,
        TotpBackups::new(&source).code(&account, 59).unwrap().code
    );
    // Restoring again finds everything up to date.
    let again = backup::restore(&keychain, &file, &passphrase, false).unwrap();
    assert!(again.items.iter().all(|i| i.change == Change::Same));
    CodeSets::new(&keychain).remove(&account).unwrap();
    TotpBackups::new(&keychain).remove(&account).unwrap();
    assert!(keychain
        .read(&ItemId::new(ItemKind::Totp, &account))
        .unwrap()
        .is_none());
}

#[test]
fn malformed_contents_inside_a_good_age_file_are_refused() {
    let passphrase = SecretString::from(PASSPHRASE);
    let seal = |json: &str| sealed::seal(json.as_bytes(), &passphrase, Some(10)).unwrap();
    let cases = [
        (
            r#"{"format":"pypi-recovery-assistant-backup","version":2,"created":"x","recovery_codes":[],"totp":[]}"#,
            "version 2",
        ),
        (
            r#"{"format":"something-else","version":1,"created":"x","recovery_codes":[],"totp":[]}"#,
            "not a PyPI Recovery Assistant backup",
        ),
        (
            r#"{"format":"pypi-recovery-assistant-backup","version":1,"created":"x","recovery_codes":[{"account":"a","imported":"x","codes":["zz"],"used":[false]}],"totp":[]}"#,
            "recovery codes of “a” are not valid",
        ),
        (
            r#"{"format":"pypi-recovery-assistant-backup","version":1,"created":"x","recovery_codes":[],"totp":[{"account":"a","imported":"x","issuer":null,"label":"a","algorithm":"SHA1","digits":9,"period":30,"secret":"JBSWY3DPEHPK3PXP"}]}"#,
            "authenticator secret of “a” is not valid",
        ),
        (r#"[1, 2, 3]"#, "expected shape"),
    ];
    for (json, message) in cases {
        let error = backup::verify(&seal(json), &passphrase).unwrap_err();
        assert!(error.to_string().contains(message), "{json}: {error}");
        assert!(!error.to_string().contains("JBSWY3DP"));
    }
}

/// A process killed at any moment of a vault write leaves the previous vault readable.
#[test]
fn killing_a_vault_write_leaves_the_old_vault_readable() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("vault.age");
    ok(with_vault(
        &vault,
        &["codes", "import", "--account", "first"],
        CODES,
    ));
    let mut seed = 0x2545_f491_u64;
    for round in 0..24 {
        let mut child = cli()
            .args([
                "--vault",
                vault.to_str().unwrap(),
                "codes",
                "import",
                "--account",
            ])
            .arg(format!("round-{round}"))
            .env("PYPI_RECOVERY_PASSPHRASE", PASSPHRASE)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(CODES.as_bytes())
            .unwrap();
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
        std::thread::sleep(std::time::Duration::from_millis((seed >> 33) % 600));
        let _ = child.kill();
        let _ = child.wait();
        let listed = ok(with_vault(&vault, &["codes", "list", "--json"], ""));
        assert!(
            listed.contains("\"account\":\"first\""),
            "round {round}: {listed}"
        );
    }
}

#[test]
fn no_plaintext_secret_is_left_on_disk() {
    let dir = tempfile::Builder::new()
        .prefix("backup-leak")
        .tempdir_in(std::env::var_os("HOME").unwrap())
        .unwrap();
    let vault = filled_vault(dir.path());
    let exported = dir.path().join("backup.age");
    ok(export(&vault, &exported));
    let fresh = dir.path().join("fresh.age");
    ok(with_vault(
        &fresh,
        &["backup", "restore", exported.to_str().unwrap()],
        "",
    ));
    let files = files_outside_keyring(dir.path());
    assert!(files.len() >= 3, "{files:?}");
    assert_no_leak(
        &["00aa11bb22cc33dd", "44ee55ff66aa77bb", SECRET, PASSPHRASE],
        &[],
    );
}

/// Test double, for the one failure a real store cannot be made to produce on cue: one write
/// that fails halfway through a restore (a keychain timing out once). Everything else goes to
/// a real vault file.
struct FailsOnWriteDouble<'a> {
    inner: &'a FileVault,
    /// Writes before the failing one; afterwards writes succeed again.
    writes_left: std::sync::atomic::AtomicUsize,
    failed: std::sync::atomic::AtomicBool,
}

impl SecretStore for FailsOnWriteDouble<'_> {
    fn backend(&self) -> &'static str {
        "test double failing on a later write"
    }
    fn read(
        &self,
        item: &ItemId,
    ) -> Result<Option<pypi_recovery::secret::SecretBytes>, pypi_recovery::keychain::KeychainError>
    {
        self.inner.read(item)
    }
    fn write(
        &self,
        item: &ItemId,
        value: &pypi_recovery::secret::SecretBytes,
    ) -> Result<(), pypi_recovery::keychain::KeychainError> {
        use std::sync::atomic::Ordering;
        if self.writes_left.load(Ordering::SeqCst) == 0 && !self.failed.swap(true, Ordering::SeqCst)
        {
            return Err(pypi_recovery::keychain::KeychainError::Timeout(8));
        }
        let _ = self
            .writes_left
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1));
        self.inner.write(item, value)
    }
    fn delete(&self, item: &ItemId) -> Result<bool, pypi_recovery::keychain::KeychainError> {
        self.inner.delete(item)
    }
}

#[test]
fn a_restore_that_fails_halfway_puts_everything_back() {
    let dir = tempfile::tempdir().unwrap();
    let now = datetime!(2026-11-24 10:00 UTC);
    let passphrase = SecretString::from(PASSPHRASE);
    let source = FileVault::new(dir.path().join("source.age"), None);
    source.create(passphrase.clone()).unwrap();
    for account in ["alice", "bob"] {
        CodeSets::new(&source)
            .import(account, CODES.as_bytes(), false, now)
            .unwrap();
    }
    let key = parse_uri(&format!("otpauth://totp/PyPI:alice?secret={SECRET}")).unwrap();
    TotpBackups::new(&source)
        .import("alice", key, false, now)
        .unwrap();
    let (file, _) = backup::export(&source, &passphrase, now).unwrap();

    let target = FileVault::new(dir.path().join("target.age"), None);
    target.create(passphrase.clone()).unwrap();
    // The target already has a different set for alice, which the restore would replace.
    CodeSets::new(&target)
        .import("alice", b"0f0e0d0c0b0a0908\n", false, now)
        .unwrap();
    let before: Vec<_> = ["alice", "bob"]
        .iter()
        .map(|a| {
            target
                .read(&ItemId::new(ItemKind::RecoveryCodes, *a))
                .unwrap()
        })
        .collect();
    let index_before = target.index(ItemKind::RecoveryCodes).unwrap();

    // Three writes succeed (alice's codes, bob's codes, the index), then one times out.
    let failing = FailsOnWriteDouble {
        inner: &target,
        writes_left: 3.into(),
        failed: false.into(),
    };
    let error = backup::restore(&failing, &file, &passphrase, true).unwrap_err();
    assert_eq!(
        error.kind(),
        BackupErrorKind::Keychain(KeychainErrorKind::Timeout)
    );
    let after: Vec<_> = ["alice", "bob"]
        .iter()
        .map(|a| {
            target
                .read(&ItemId::new(ItemKind::RecoveryCodes, *a))
                .unwrap()
        })
        .collect();
    assert_eq!(after, before, "every item is as it was");
    assert_eq!(target.index(ItemKind::RecoveryCodes).unwrap(), index_before);
    assert!(target
        .read(&ItemId::new(ItemKind::Totp, "alice"))
        .unwrap()
        .is_none());
}

#[test]
fn short_passphrases_empty_vaults_and_huge_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let now = datetime!(2026-11-24 10:00 UTC);
    let vault = FileVault::new(dir.path().join("v.age"), None);
    vault.create(SecretString::from(PASSPHRASE)).unwrap();
    assert_eq!(
        backup::export(&vault, &SecretString::from(PASSPHRASE), now).unwrap_err(),
        BackupError::Empty
    );
    CodeSets::new(&vault)
        .import("alice", CODES.as_bytes(), false, now)
        .unwrap();
    for short in ["", "1234567"] {
        assert_eq!(
            backup::export(&vault, &SecretString::from(short), now).unwrap_err(),
            BackupError::WeakPassphrase
        );
    }
    let huge = dir.path().join("huge.age");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(17 * 1024 * 1024)
        .unwrap();
    assert_eq!(backup::read_file(&huge), Err(BackupError::TooLarge));
    let output = with_vault(
        &dir.path().join("v.age"),
        &["backup", "restore", huge.to_str().unwrap()],
        "",
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("too large"));
    let missing = with_vault(
        &dir.path().join("v.age"),
        &[
            "backup",
            "verify",
            dir.path().join("nope.age").to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("could not be read"));
}

#[test]
fn the_paper_kit_prints_every_code_grouped_after_a_yes() {
    let dir = tempfile::tempdir().unwrap();
    let vault = filled_vault(dir.path());
    let refused = with_vault(&vault, &["backup", "paper"], "");
    assert!(!refused.status.success(), "no terminal and no --yes");
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("--yes"),
        "{refused:?}"
    );
    assert!(
        !String::from_utf8_lossy(&refused.stdout).contains("00aa"),
        "nothing printed before the yes"
    );

    let kit = ok(with_vault(&vault, &["backup", "paper", "--yes"], ""));
    assert!(kit.contains("== alice =="), "{kit}");
    assert!(kit.contains("Recovery codes (1 of 3 used):"), "{kit}");
    assert!(kit.contains(" 1. 00aa 11bb 22cc 33dd\n"), "{kit}");
    assert!(kit.contains(" 2. 44ee 55ff 66aa 77bb  (used)\n"), "{kit}");
    assert!(kit.contains("Authenticator: PyPI: alice"), "{kit}");
    assert!(!kit.contains('█'), "a QR code only with --qr");

    let with_qr = ok(with_vault(
        &vault,
        &["backup", "paper", "--qr", "--yes"],
        "",
    ));
    let art: Vec<&str> = with_qr
        .lines()
        .filter(|line| line.contains('█') || line.contains('▀'))
        .collect();
    assert!(art.len() >= 10, "{with_qr}");
    let link = scan(&art);
    assert!(link.starts_with("otpauth://totp/"), "{link}");
    assert!(link.contains(&format!("secret={SECRET}")), "{link}");

    let empty = with_vault(
        &dir.path().join("empty.age"),
        &["backup", "paper", "--yes"],
        "",
    );
    assert!(!empty.status.success());
    assert!(String::from_utf8_lossy(&empty.stderr).contains("nothing is stored yet"));
}

/// What a scanner reads from a QR code printed in half blocks: each character is two
/// modules, upper and lower, drawn as a PNG at 8 pixels a module.
fn scan(art: &[&str]) -> String {
    const SCALE: u32 = 8;
    let rows: Vec<Vec<bool>> = art
        .iter()
        .flat_map(|line| {
            let halves = |upper: bool| {
                line.chars()
                    .map(move |c| match c {
                        '█' => true,
                        '▀' => upper,
                        '▄' => !upper,
                        _ => false,
                    })
                    .collect::<Vec<_>>()
            };
            [halves(true), halves(false)]
        })
        .collect();
    let width = rows.iter().map(Vec::len).max().unwrap() as u32 + 8;
    let height = rows.len() as u32 + 8;
    let image = image::GrayImage::from_fn(width * SCALE, height * SCALE, |x, y| {
        let (x, y) = ((x / SCALE) as usize, (y / SCALE) as usize);
        let dark = y >= 4 && x >= 4 && rows.get(y - 4).and_then(|r| r.get(x - 4)) == Some(&true);
        image::Luma([if dark { 0 } else { 255 }])
    });
    let mut png = std::io::Cursor::new(Vec::new());
    image.write_to(&mut png, image::ImageFormat::Png).unwrap();
    pypi_recovery::totp::decode_qr_image(png.get_ref())
        .expect("the printed QR code scans")
        .expose_secret()
        .clone()
}
