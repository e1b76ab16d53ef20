//! The vault file and backups through IPC.

use super::*;

/// The vault file and backups through IPC: the app switches to the vault on request, backs it
/// up, checks and plans a restore, prints the paper kit, and locks on request.
#[test]
fn vault_file_and_backups_through_ipc() {
    let dir = std::env::temp_dir().join(format!("pypi-recovery-ipc-vault-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let script = Script::new();
    let state = AppState {
        vault: Arc::new(pypi_recovery::keychain::FileVault::new(
            dir.join("vault.age"),
            None,
        )),
        ..AppState::new(script.prompts())
    };
    let app = mock_app(state);
    let weak = invoke(
        &app,
        "vault_open",
        serde_json::json!({ "passphrase": "short" }),
    )
    .unwrap_err();
    assert_eq!(weak["code"], "backup_weak_passphrase");
    let opened = invoke(
        &app,
        "vault_open",
        serde_json::json!({ "passphrase": "a long passphrase" }),
    )
    .unwrap();
    assert_eq!(
        (opened["in_use"].clone(), opened["locked"].clone()),
        (true.into(), false.into())
    );

    let link = "otpauth://totp/PyPI:vaulted?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=PyPI";
    invoke(
        &app,
        "totp_import_link",
        serde_json::json!({ "account": null, "link": link }),
    )
    .unwrap();
    invoke(
        &app,
        "codes_import",
        serde_json::json!({ "account": "vaulted", "text": TEST_CODES }),
    )
    .unwrap();
    assert!(dir.join("vault.age").exists());

    let path = dir.join("backup.age");
    let no_file = invoke(
        &app,
        "backup_verify",
        serde_json::json!({ "passphrase": "x" }),
    );
    assert_eq!(no_file.unwrap_err()["code"], "file");
    let export =
        serde_json::json!({ "passphrase": "backup passphrase", "path": "/tmp/elsewhere.age" });
    assert_eq!(
        invoke(&app, "backup_export", export.clone()).unwrap(),
        serde_json::Value::Null
    );
    assert_eq!(script.last_title(), "Save the encrypted backup of vaulted");
    script.answer(&[path.to_str().unwrap().into()]);
    let saved = invoke(&app, "backup_export", export).unwrap();
    assert_eq!(saved["name"], "backup.age");
    let contents = &saved["contents"];
    assert_eq!(contents["accounts"][0]["account"], "vaulted");
    assert_eq!(contents["accounts"][0]["totp"], "PyPI: vaulted");
    assert!(path.exists() && !std::path::Path::new("/tmp/elsewhere.age").exists());
    let just_made = invoke(
        &app,
        "backup_verify",
        serde_json::json!({ "passphrase": "backup passphrase" }),
    );
    assert_eq!(just_made.unwrap()["accounts"][0]["account"], "vaulted");
    script.answer(&[path.to_str().unwrap().into()]);
    let chosen = invoke(&app, "backup_choose_file", serde_json::json!({})).unwrap();
    assert_eq!(chosen, "backup.age");
    let wrong = invoke(
        &app,
        "backup_verify",
        serde_json::json!({ "passphrase": "nope" }),
    )
    .unwrap_err();
    assert_eq!(wrong["code"], "backup_wrong_passphrase");
    let plan = invoke(
        &app,
        "backup_restore",
        serde_json::json!({ "passphrase": "backup passphrase", "apply": false }),
    )
    .unwrap();
    assert!(
        plan["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["change"] == "same"),
        "{plan}"
    );

    // The kit reaches the webview only after the native yes, which names the accounts; an
    // unknown account is refused before any dialog, and a NUL never reaches one.
    let asked = script.asked().len();
    for account in ["nobody", "bad\u{0}name"] {
        let refused = invoke(
            &app,
            "codes_remove",
            serde_json::json!({ "account": account }),
        );
        assert_ne!(refused.unwrap_err()["code"], "cancelled");
        let refused = invoke(
            &app,
            "totp_reveal",
            serde_json::json!({ "account": account }),
        );
        assert_ne!(refused.unwrap_err()["code"], "cancelled");
    }
    assert_eq!(script.asked().len(), asked);
    let refused = invoke(&app, "paper_kit", serde_json::json!({ "includeQr": true }));
    assert_eq!(refused.unwrap_err()["code"], "cancelled");
    assert_eq!(script.asked().len(), asked + 1);
    assert!(script.asked()[asked]["question"]["message"]
        .as_str()
        .unwrap()
        .contains("for vaulted"));
    script.answer(&[true.into()]);
    let kit = invoke(&app, "paper_kit", serde_json::json!({ "includeQr": true })).unwrap();
    assert_eq!(kit[0]["account"], "vaulted");
    assert_eq!(kit[0]["codes"].as_array().unwrap().len(), 3);
    assert!(kit[0]["qr"]["width"].as_u64().unwrap() > 20);

    // A restore that would replace stored items asks natively first.
    script.answer(&[true.into()]);
    invoke(
        &app,
        "codes_import",
        serde_json::json!({ "account": "vaulted", "text": "aaaaaaaaaaaaaaaa\nbbbbbbbbbbbbbbbb" }),
    )
    .unwrap();
    let restore =
        serde_json::json!({ "passphrase": "backup passphrase", "apply": true, "overwrite": true });
    assert_eq!(
        invoke(&app, "backup_restore", restore.clone()).unwrap_err()["code"],
        "cancelled"
    );
    assert_eq!(script.last_title(), "Replace what is stored for vaulted?");
    script.answer(&[true.into()]);
    invoke(&app, "backup_restore", restore).unwrap();
    let listed = invoke(&app, "codes_list", serde_json::json!({})).unwrap();
    assert_eq!(listed[0]["total"], 3, "the backup's three codes are back");

    let locked = invoke(&app, "vault_lock", serde_json::json!({})).unwrap();
    assert_eq!(locked["locked"], true);
    let refused = invoke(&app, "totp_list", serde_json::json!({})).unwrap_err();
    assert_eq!(refused["code"], "vault_locked");
    let wrong = invoke(
        &app,
        "vault_open",
        serde_json::json!({ "passphrase": "not it at all" }),
    )
    .unwrap_err();
    assert_eq!(wrong["code"], "vault_wrong_passphrase");
    let left = invoke(&app, "vault_leave", serde_json::json!({})).unwrap();
    assert_eq!(left["in_use"], false);
    let _ = std::fs::remove_dir_all(&dir);
}
