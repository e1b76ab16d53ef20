//! Recovery codes through IPC: lists never carry a code, reveals do, found files cross by id.

use super::*;

/// Listing crosses IPC with counts and used marks, never a code; only the explicit reveal
/// carries one. Against the real Secret Service.
#[test]
fn codes_list_never_returns_codes_and_reveal_does() {
    let (state, script) = scripted_state();
    let app = mock_app(state);
    let account = format!("shell-list-{}", std::process::id());
    let imported = invoke(
        &app,
        "codes_import",
        serde_json::json!({ "account": account, "text": TEST_CODES }),
    )
    .expect("import");
    assert_eq!(imported["remaining"], 3);

    let listed = invoke(&app, "codes_list", serde_json::json!({}))
        .unwrap()
        .to_string();
    assert!(listed.contains(&account));
    for code in ["00aa11bb22cc33dd", "44ee55ff66aa77bb", "8899aabbccddeeff"] {
        assert!(!listed.contains(code), "the list leaked a code: {listed}");
    }

    // The first code of an account leaves Rust only after a native yes, once per session.
    let refused = invoke(
        &app,
        "codes_reveal_next",
        serde_json::json!({ "account": account }),
    );
    let refused = refused.unwrap_err();
    assert_eq!(refused["code"], "cancelled");
    assert!(!refused.to_string().contains("00aa11bb"));
    assert_eq!(
        script.last_title(),
        format!("Use the recovery codes for {account}?")
    );
    script.answer(&[true.into()]);
    let revealed = invoke(
        &app,
        "codes_reveal_next",
        serde_json::json!({ "account": account }),
    )
    .unwrap();
    assert_eq!(
        revealed,
        serde_json::json!({
            "index": 0,
            "code": "00aa11bb22cc33dd",
            "grouped": "00aa 11bb 22cc 33dd",
        })
    );
    let again = invoke(
        &app,
        "codes_reveal_next",
        serde_json::json!({ "account": account }),
    );
    assert_eq!(
        again.unwrap()["code"],
        "00aa11bb22cc33dd",
        "asked once, not again"
    );

    let marked = invoke(
        &app,
        "codes_set_used",
        serde_json::json!({ "account": account, "index": 0, "used": true }),
    )
    .unwrap();
    assert_eq!(marked["remaining"], 2);
    assert_eq!(marked["low"], true);
    assert_eq!(marked["used"], serde_json::json!([true, false, false]));

    // Replacing and removing wait for the native confirmation, which names the account;
    // cancelled there, nothing changes, whatever the webview sent.
    let again = invoke(
        &app,
        "codes_import",
        serde_json::json!({ "account": account, "text": TEST_CODES, "replace": true }),
    )
    .unwrap_err();
    assert_eq!(again["code"], "cancelled");
    assert_eq!(
        script.last_title(),
        format!("Replace the recovery codes for {account}?")
    );
    let kept = invoke(&app, "codes_list", serde_json::json!({})).unwrap();
    let kept = kept
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["account"] == account.as_str())
        .unwrap();
    assert_eq!(kept["used"], serde_json::json!([true, false, false]));
    script.answer(&[false.into()]);
    let refused = invoke(
        &app,
        "codes_remove",
        serde_json::json!({ "account": account }),
    );
    assert_eq!(refused.unwrap_err()["code"], "cancelled");
    assert_eq!(
        script.last_title(),
        format!("Remove the recovery codes for {account}?")
    );
    assert!(invoke(&app, "codes_list", serde_json::json!({}))
        .unwrap()
        .to_string()
        .contains(&account));

    script.answer(&[true.into()]);
    let replaced = invoke(
        &app,
        "codes_import",
        serde_json::json!({ "account": account, "text": TEST_CODES }),
    )
    .unwrap();
    assert_eq!(replaced["used"], serde_json::json!([false, false, false]));
    // While one prompt is open, a second is refused rather than stacked over it.
    let prompting = &app.state::<AppState>().prompting;
    prompting.store(true, std::sync::atomic::Ordering::SeqCst);
    let stacked = invoke(
        &app,
        "codes_remove",
        serde_json::json!({ "account": account }),
    );
    assert_eq!(stacked.unwrap_err()["code"], "prompt_open");
    prompting.store(false, std::sync::atomic::Ordering::SeqCst);
    script.answer(&[true.into()]);
    assert_eq!(
        invoke(
            &app,
            "codes_remove",
            serde_json::json!({ "account": account })
        )
        .unwrap(),
        true
    );
    assert_eq!(script.asked().len(), 6, "one prompt per action");
}

/// A refused import reaches the UI as a typed error that names the line, not the code.
#[test]
fn codes_import_refusal_is_typed_and_does_not_echo() {
    let app = mock_app(test_state());
    let error = invoke(
        &app,
        "codes_import",
        serde_json::json!({ "account": "someone", "text": "00aa11bb22cc33dd\n00aa11bb22cc33dz" }),
    )
    .unwrap_err();
    assert_eq!(error["code"], "codes_import_refused");
    let message = error["message"].as_str().unwrap();
    assert!(message.starts_with("Line 2:"), "{message}");
    assert!(!message.contains("00aa11bb"));
}

#[test]
fn codes_errors_serialize_as_code_and_message() {
    use pypi_recovery::codes::CodesError;
    let cases = [
        (
            CodesError::UnknownAccount("alice".into()),
            "codes_unknown_account",
        ),
        (CodesError::NoneLeft("alice".into()), "codes_none_left"),
        (CodesError::NotInSet("alice".into()), "codes_not_in_set"),
        (CodesError::NoSuchCode(9), "codes_no_such_code"),
        (CodesError::AlreadyUsed, "codes_already_used"),
        (
            CodesError::WouldReplace("alice".into()),
            "codes_would_replace",
        ),
        (CodesError::BadAccountName, "codes_bad_account"),
        (
            CodesError::Keychain(KeychainError::Locked),
            "keychain_locked",
        ),
    ];
    for (error, code) in cases {
        let message = error.to_string();
        let json = serde_json::to_value(AppError::from(error)).unwrap();
        assert_eq!(
            (&json["code"], &json["message"]),
            (&code.into(), &message.into())
        );
    }
    assert_eq!(
        serde_json::to_string(&AppError::from(CodesError::NoneLeft("alice".into()))).unwrap(),
        r#"{"code":"codes_none_left","message":"Every recovery code for “alice” is used. Sign in to PyPI and generate a new set.","detail":{"kind":"account","account":"alice"}}"#
    );
}

/// "Find my recovery codes" through IPC: places and counts come back, never a code; a found
/// set is imported by its id (no path from the webview), and an unknown id is refused.
#[test]
fn found_codes_are_named_by_id_and_never_cross_ipc() {
    let folder = tempfile::tempdir().unwrap();
    let codes = [
        "0a1b2c3d4e5f6071",
        "8293a4b5c6d7e8f9",
        "1029384756abcdef",
        "fedcba6574839201",
        "13579bdf2468ace0",
        "0ace2468bdf13579",
        "5a5a5a5a5b5b5b5b",
        "c0c0c0c0d1d1d1d1",
    ];
    let account = format!("shell-find-{}", std::process::id());
    std::fs::write(
        folder.path().join(format!(
            "PyPI-Recovery-Codes-{account}-2025-06-01T09:30:00.txt"
        )),
        codes.join("\n"),
    )
    .unwrap();
    let script = Script::new();
    let app = mock_app(AppState {
        code_folders: Some(vec![folder.path().to_owned()]),
        ..AppState::new(script.prompts())
    });
    let found = invoke(
        &app,
        "codes_find",
        serde_json::json!({ "onProgress": "__CHANNEL__:7" }),
    )
    .unwrap();
    let text = found.to_string();
    assert_eq!(found["sets"][0]["id"], 0);
    assert_eq!(found["sets"][0]["codes"], 8);
    assert_eq!(found["sets"][0]["account"], account.as_str());
    assert_eq!(found["sets"][0]["site"], "PyPI");
    for code in codes {
        assert!(!text.contains(code), "a code crossed IPC: {text}");
    }
    let imported = invoke(
        &app,
        "codes_import_found",
        serde_json::json!({ "id": 0, "account": account }),
    )
    .unwrap();
    assert_eq!(imported["total"], 8);
    let unknown = invoke(
        &app,
        "codes_import_found",
        serde_json::json!({ "id": 5, "account": account }),
    )
    .unwrap_err();
    assert_eq!(unknown["code"], "file");
    assert!(invoke(
        &app,
        "codes_import_found",
        serde_json::json!({ "path": "/etc/passwd", "account": account })
    )
    .is_err());
    script.answer(&[true.into()]);
    invoke(
        &app,
        "codes_remove",
        serde_json::json!({ "account": account }),
    )
    .unwrap();
}
