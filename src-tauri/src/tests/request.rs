//! The recovery request through IPC: drafts, the check and preview, the submission log,
//! request files, after filing, and the path finder.

use super::*;

fn sample_request() -> serde_json::Value {
    serde_json::json!({
        "version": 1, "username": "mirafoss", "reason": "Lost access to email address",
        "recovery_codes_lost": true, "code_of_conduct": true, "acknowledge_delay": true,
        "private": { "emails": ["mira@foss.example"], "new_email": "", "projects": [], "account_created": "", "details": "" }
    })
}

/// The draft is saved atomically with mode 0600, restored, and forgotten on request; a
/// corrupt draft is set aside with a message.
#[test]
fn request_draft_round_trip_and_corruption() {
    let (app, dir) = app_with_own_data_dir();
    assert_eq!(
        invoke(&app, "request_load_draft", serde_json::json!({})).unwrap(),
        serde_json::json!({ "request": null, "notice": null })
    );
    invoke(
        &app,
        "request_save_draft",
        serde_json::json!({ "request": sample_request() }),
    )
    .unwrap();
    let draft = dir.path().join("draft.json");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&draft).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let loaded = invoke(&app, "request_load_draft", serde_json::json!({})).unwrap();
    assert_eq!(loaded["request"], sample_request());
    // A token in the reason: nothing reaches the disk, and the UI is told why.
    let mut leaky = sample_request();
    leaky["reason"] = "pypi-AgEIcHlwaS5vcmcCJGFiY2RlZmdoaWprbG1ub3A leaked".into();
    let refused = invoke(
        &app,
        "request_save_draft",
        serde_json::json!({ "request": leaky }),
    )
    .unwrap_err();
    assert_eq!(refused["code"], "request_holds_secret");
    assert!(!refused.to_string().contains("pypi-AgEI"));
    // The draft saved before it is deleted too: it may hold the start of the secret.
    assert!(!draft.exists());
    invoke(&app, "request_forget_draft", serde_json::json!({})).unwrap();
    assert!(!draft.exists());

    std::fs::write(&draft, "{\"version\": 1, \"reason\": ").unwrap();
    let recovered = invoke(&app, "request_load_draft", serde_json::json!({})).unwrap();
    assert_eq!(recovered["request"], serde_json::Value::Null);
    assert!(recovered["notice"].as_str().unwrap().contains("set aside"));
    let kept: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert!(
        kept.iter()
            .any(|n| n.to_string_lossy().starts_with("draft.unreadable-")),
        "{kept:?}"
    );
}

#[test]
fn request_check_and_preview_through_ipc() {
    let (app, _dir) = app_with_own_data_dir();
    let mut leaky = sample_request();
    leaky["reason"] = "my email is mira@foss.example".into();
    let check = invoke(
        &app,
        "request_check",
        serde_json::json!({ "request": leaky }),
    )
    .unwrap();
    assert_eq!(check["errors"], serde_json::json!([]));
    assert_eq!(check["findings"][0]["field"], "reason");
    assert_eq!(check["findings"][0]["kind"], "email");
    assert!(!check.to_string().contains("mira@foss.example"));

    let preview = invoke(
        &app,
        "request_preview",
        serde_json::json!({ "request": sample_request(), "issueUrl": null }),
    )
    .unwrap();
    assert!(preview["issue_markdown"]
        .as_str()
        .unwrap()
        .starts_with("### PyPI Username\n\n`mirafoss`"));
    assert_eq!(preview["username_field"], "`mirafoss`");
    assert!(preview["email_body"]
        .as_str()
        .unwrap()
        .contains("mira@foss.example"));
    assert!(!preview["issue_markdown"]
        .as_str()
        .unwrap()
        .contains("mira@foss.example"));
}

#[test]
fn hand_offs_are_logged_with_a_follow_up_date() {
    let (app, _dir) = app_with_own_data_dir();
    assert_eq!(
        invoke(
            &app,
            "request_earlier",
            serde_json::json!({ "username": "mirafoss" })
        )
        .unwrap(),
        serde_json::json!([])
    );
    let logged = invoke(
        &app,
        "request_record_hand_off",
        serde_json::json!({ "username": "mirafoss" }),
    )
    .unwrap();
    assert!(logged["follow_up"].as_str().unwrap().len() == 10);
    let earlier = invoke(
        &app,
        "request_earlier",
        serde_json::json!({ "username": "MiraFoss" }),
    )
    .unwrap();
    assert_eq!(earlier.as_array().unwrap().len(), 1);
}

#[test]
fn a_malformed_request_file_is_a_typed_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.json");
    std::fs::write(&path, "{\"version\": 3}").unwrap();
    let script = Script::new();
    let data = tempfile::tempdir().unwrap();
    let app = mock_app(AppState {
        requests: pypi_recovery::request::store::RequestStore::new(data.path()),
        ..AppState::new(script.prompts())
    });
    let import = |picked: &std::path::Path| {
        script.answer(&[picked.to_str().unwrap().into()]);
        invoke(&app, "request_import", serde_json::json!({})).unwrap_err()
    };
    assert_eq!(import(&path)["code"], "request_unsupported_version");
    assert_eq!(import(&dir.path().join("nope.json"))["code"], "file");
    // A FIFO would block a plain read forever, and /dev/zero never end: both are refused.
    let fifo = dir.path().join("fifo.json");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    for path in [fifo.as_path(), std::path::Path::new("/dev/zero")] {
        let refused = import(path);
        assert_eq!(refused["code"], "file", "{path:?}");
        assert!(refused["message"]
            .as_str()
            .unwrap()
            .contains("not a regular file"));
    }
    let big = dir.path().join("big.json");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(1 << 30)
        .unwrap();
    assert_eq!(import(&big)["code"], "request_too_large");
    // Cancelled in the dialog: nothing is read, and that is not an error.
    assert_eq!(
        invoke(&app, "request_import", serde_json::json!({})).unwrap(),
        serde_json::Value::Null
    );
    assert_eq!(script.asked()[0]["kind"], "open");
}

/// No command takes a path from the webview: an injected `path` is ignored, the native
/// dialog decides, and cancelling it writes nothing anywhere.
#[test]
fn request_export_writes_only_where_the_dialog_says() {
    let dir = tempfile::tempdir().unwrap();
    let planted = dir.path().join("bashrc");
    let script = Script::new();
    let app = mock_app(AppState::new(script.prompts()));
    let body = serde_json::json!({ "request": sample_request(), "path": planted });
    assert_eq!(invoke(&app, "request_export", body.clone()).unwrap(), false);
    assert!(!planted.exists());
    assert_eq!(script.asked()[0]["kind"], "save");
    assert_eq!(
        script.asked()[0]["question"]["file_name"],
        "pypi-recovery-request-mirafoss.json"
    );
    let chosen = dir.path().join("chosen.json");
    script.answer(&[chosen.to_str().unwrap().into()]);
    assert_eq!(invoke(&app, "request_export", body).unwrap(), true);
    assert!(chosen.exists() && !planted.exists());
}

/// After filing, through IPC: malformed input is refused before any request, failures are
/// typed, and the status is fetched at most once a minute.
#[test]
fn after_filing_commands_check_input_first_and_limit_refreshes() {
    let app = mock_app(test_state());
    let bad = invoke(
        &app,
        "request_branch_commands",
        serde_json::json!({ "token": "../../x" }),
    )
    .unwrap_err();
    assert_eq!(bad["code"], "online_bad_input");
    let commands = invoke(
        &app,
        "request_branch_commands",
        serde_json::json!({ "token": "aB3dE5gH7jK9mN1p" }),
    )
    .unwrap();
    assert_eq!(
        commands["push"],
        "git push origin HEAD:refs/heads/aB3dE5gH7jK9mN1p"
    );
    let wrong_repo = invoke(
        &app,
        "request_verify",
        serde_json::json!({ "repo": "file:///etc/passwd", "token": "aB3dE5gH7jK9mN1p" }),
    )
    .unwrap_err();
    assert_eq!(wrong_repo["code"], "online_bad_input");

    // Only this test reads the variable: point GitHub at a port nobody listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    std::env::set_var("PYPI_RECOVERY_GITHUB_API", format!("http://{closed}"));
    let not_support = invoke(
        &app,
        "request_status",
        serde_json::json!({ "issueUrl": "https://github.com/pypi/warehouse/issues/1" }),
    )
    .unwrap_err();
    assert_eq!(not_support["code"], "online_bad_input");
    let url = "https://github.com/pypi/support/issues/4321";
    let offline = invoke(
        &app,
        "request_status",
        serde_json::json!({ "issueUrl": url }),
    )
    .unwrap_err();
    assert_eq!(offline["code"], "online_offline", "{offline}");
    let again = invoke(
        &app,
        "request_status",
        serde_json::json!({ "issueUrl": url }),
    )
    .unwrap_err();
    assert_eq!(again["code"], "too_soon");
    assert!(again["message"]
        .as_str()
        .unwrap()
        .contains("refresh again in"));
}

/// The path finder through IPC: questions with their texts, then the advice; the Cyrillic
/// reason from the crash report is checked (off the main thread) without a crash.
#[test]
fn path_step_and_non_english_text_through_ipc() {
    let app = mock_app(test_state());
    let first = invoke(
        &app,
        "request_path_step",
        serde_json::json!({ "answers": {} }),
    )
    .unwrap();
    assert_eq!(first["questions"][0]["id"], "site");
    assert_eq!(first["questions"][0]["choices"][1]["value"], "testpypi");
    assert!(first["advice"].is_null());
    let answers = serde_json::json!({
        "site": "pypi", "own_account": "yes", "compromised": "no", "email": "no",
        "password": "known", "totp": "lost", "security_key": "none",
        "recovery_codes": "yes", "network": "new"
    });
    let done = invoke(
        &app,
        "request_path_step",
        serde_json::json!({ "answers": answers }),
    )
    .unwrap();
    assert_eq!(done["advice"]["path"], "file_request");
    assert_eq!(done["advice"]["reason"], "Lost access to email address");
    let bad = invoke(
        &app,
        "request_path_step",
        serde_json::json!({ "answers": { "email": "maybe" } }),
    );
    assert!(bad.is_err(), "an unknown answer is refused");

    let mut request = sample_request();
    request["reason"] =
        "Перестал работать телефон 12 марта, код не приходит. Заказ 123456789".into();
    let check = invoke(
        &app,
        "request_check",
        serde_json::json!({ "request": request }),
    )
    .unwrap();
    assert_eq!(check["findings"], serde_json::json!([]));
}
