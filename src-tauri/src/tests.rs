//! Shell tests: the IPC surface (bindings, error JSON, command list) and the commands through
//! Tauri's mock runtime.

#[path = "../../tests/support/sandbox.rs"]
mod sandbox;

use crate::commands::COMMAND_NAMES;
use crate::{AppError, AppState};
use pypi_recovery::keychain::{ItemId, KeychainError, SecretStore};
use pypi_recovery::secret::SecretBytes;
use std::path::PathBuf;
use std::sync::Arc;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, Manager, WebviewWindowBuilder};

fn bindings_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/bindings.ts")
}

/// The committed TypeScript bindings must be exactly what the Rust commands generate.
/// Run with `UPDATE_BINDINGS=1` (or `cargo xtask bindings`) to regenerate after a change.
#[test]
fn bindings_have_not_drifted() {
    let fresh = tempfile_path("bindings.ts");
    crate::export_bindings(&fresh).expect("export bindings");
    let generated = std::fs::read_to_string(&fresh).unwrap();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(bindings_path(), &generated).unwrap();
    }
    let committed = std::fs::read_to_string(bindings_path()).unwrap_or_default();
    assert!(
        committed == generated,
        "ui/src/lib/bindings.ts is out of date: run `cargo xtask bindings` and commit the result"
    );
    let table_path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/isolation/commands.js");
    let table = crate::isolation_table(&generated);
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&table_path, &table).unwrap();
    }
    assert!(
        std::fs::read_to_string(&table_path).unwrap_or_default() == table,
        "ui/isolation/commands.js is out of date: run `cargo xtask bindings` and commit the result"
    );
}

/// The hook's table names every command once, with the arguments Rust takes.
#[test]
fn the_isolation_table_lists_each_command_with_its_arguments() {
    let fresh = tempfile_path("bindings-isolation.ts");
    crate::export_bindings(&fresh).unwrap();
    let table = crate::isolation_table(&std::fs::read_to_string(&fresh).unwrap());
    for command in COMMAND_NAMES {
        assert_eq!(
            table.matches(&format!("  {command}: {{")).count(),
            1,
            "{command}"
        );
    }
    for line in [
        "  codes_import: { account: \"string\", text: \"string\" },",
        "  codes_find: { onProgress: \"channel\" },",
        "  request_export: { request: \"object\" },",
        "  request_import: {},",
        "  request_preview: { request: \"object\", issueUrl: \"string?\" },",
        "  request_evidence: { username: \"string\", projects: \"array\" },",
        "  backup_restore: { passphrase: \"string\", apply: \"boolean\" },",
    ] {
        assert!(table.contains(line), "{line}\n{table}");
    }
    assert!(
        !table.contains("path:"),
        "no command takes a path:\n{table}"
    );
}

/// Every command in the ACL list has a typed binding, and every binding is in the ACL list.
#[test]
fn acl_command_list_matches_the_handlers() {
    let fresh = tempfile_path("bindings-acl.ts");
    crate::export_bindings(&fresh).unwrap();
    let generated = std::fs::read_to_string(&fresh).unwrap();
    // Calls look like `__TAURI_INVOKE("name"` or, typed, `__TAURI_INVOKE<T>("name"`.
    let mut invoked: Vec<&str> = generated
        .split("__TAURI_INVOKE")
        .skip(2)
        .filter_map(|rest| rest.split('"').nth(1))
        .collect();
    invoked.sort_unstable();
    let mut declared = COMMAND_NAMES.to_vec();
    declared.sort_unstable();
    assert_eq!(invoked, declared);
}

/// The capability grants exactly the commands in the list (one `allow-<name>` each, nothing
/// more), and the UI's Tauri backend calls every one of them: the two hand-kept lists that
/// the compiler does not check.
#[test]
fn the_capability_and_the_tauri_backend_cover_every_command() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let capability: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("capabilities/main.json")).unwrap(),
    )
    .unwrap();
    let mut granted: Vec<String> = capability["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p.as_str())
        .filter_map(|p| p.strip_prefix("allow-"))
        .map(|p| p.replace('-', "_"))
        .collect();
    granted.sort_unstable();
    let mut declared: Vec<String> = COMMAND_NAMES.iter().map(|c| c.to_string()).collect();
    declared.sort_unstable();
    assert_eq!(
        granted, declared,
        "capabilities/main.json against COMMAND_NAMES"
    );

    let tauri_backend =
        std::fs::read_to_string(root.join("../ui/src/lib/tauriBackend.ts")).unwrap();
    for command in COMMAND_NAMES {
        let mut camel = String::new();
        for (i, word) in command.split('_').enumerate() {
            let mut chars = word.chars();
            if i > 0 {
                camel.extend(chars.next().map(|c| c.to_ascii_uppercase()));
            }
            camel.extend(chars);
        }
        // The typed binding, or a raw invoke where the binding cannot send the body.
        assert!(
            tauri_backend.contains(&format!("commands.{camel}("))
                || tauri_backend.contains(&format!("(\"{command}\",")),
            "ui/src/lib/tauriBackend.ts never calls {command} (commands.{camel})"
        );
    }
}

fn tempfile_path(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("pypi-recovery-shell-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// The JSON the UI receives for each keychain failure, pinned.
#[test]
fn keychain_errors_serialize_as_code_and_message() {
    let cases = [
        (KeychainError::NoSession, "keychain_no_session"),
        (KeychainError::NoService, "keychain_no_service"),
        (KeychainError::Locked, "keychain_locked"),
        (KeychainError::AccessDenied, "keychain_access_denied"),
        (KeychainError::Timeout(8), "keychain_timeout"),
        (KeychainError::Unsupported, "keychain_unsupported"),
        (KeychainError::Corrupt, "keychain_corrupt"),
        (
            KeychainError::Platform("bus closed".into()),
            "keychain_failed",
        ),
        // A full disk under the vault file is a file problem, not the keychain's.
        (
            KeychainError::LocalFile("vault.age could not be written: the disk is full.".into()),
            "file",
        ),
    ];
    for (error, code) in cases {
        let message = error.to_string();
        let json = serde_json::to_value(AppError::from(error)).unwrap();
        assert_eq!(
            json,
            serde_json::json!({ "code": code, "message": message, "detail": null })
        );
    }
    assert_eq!(
        serde_json::to_string(&AppError::from(KeychainError::Locked)).unwrap(),
        r#"{"code":"keychain_locked","message":"The keychain is locked. Unlock it (for example in your desktop's Passwords and Keys tool), then try again.","detail":null}"#
    );
    assert_eq!(
        serde_json::to_string(&AppError::internal()).unwrap(),
        r#"{"code":"internal","message":"Something went wrong inside the app. Please try again; nothing was changed.","detail":null}"#
    );
}

/// The answers the native prompts give in a test, through the `ScriptedPrompts` test double
/// (WebDriver and the mock runtime cannot reach a native dialog), and what they were asked.
struct Script {
    dir: tempfile::TempDir,
}

impl Script {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self) -> PathBuf {
        self.dir.path().join("answers")
    }

    fn prompts(&self) -> Arc<dyn crate::prompts::Prompts> {
        Arc::new(crate::prompts::ScriptedPrompts::new(self.path(), None))
    }

    /// The next answers, in order: `true`/`false` for a confirmation, a path for a dialog.
    fn answer(&self, answers: &[serde_json::Value]) {
        let lines: Vec<String> = answers.iter().map(|a| a.to_string()).collect();
        std::fs::write(self.path(), lines.join("\n")).unwrap();
    }

    /// Every question asked so far.
    fn asked(&self) -> Vec<serde_json::Value> {
        let log =
            std::fs::read_to_string(self.dir.path().join("answers.asked")).unwrap_or_default();
        log.lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    fn last_title(&self) -> String {
        let asked = self.asked();
        let last = asked.last().expect("a prompt was shown");
        last["question"]["title"].as_str().unwrap().to_owned()
    }
}

/// State whose prompts all cancel; tests that need a yes use [`scripted_state`].
fn test_state() -> AppState {
    scripted_state().0
}

fn scripted_state() -> (AppState, Script) {
    let script = Script::new();
    (AppState::new(script.prompts()), script)
}

fn mock_app(state: AppState) -> App<tauri::test::MockRuntime> {
    use tauri::generate_handler;
    sandbox::require();
    mock_builder()
        .manage(state)
        .invoke_handler(app_commands!(generate_handler))
        .build(tauri::generate_context!())
        .expect("mock app")
}

fn invoke(
    app: &App<tauri::test::MockRuntime>,
    cmd: &str,
    body: serde_json::Value,
) -> Result<serde_json::Value, serde_json::Value> {
    invoke_with(app, cmd, InvokeBody::Json(body), Default::default())
}

fn invoke_with(
    app: &App<tauri::test::MockRuntime>,
    cmd: &str,
    body: InvokeBody,
    headers: tauri::http::HeaderMap,
) -> Result<serde_json::Value, serde_json::Value> {
    let window = match app.get_webview_window("main") {
        Some(window) => window,
        None => WebviewWindowBuilder::new(app, "main", Default::default())
            .build()
            .unwrap(),
    };
    get_ipc_response(
        &window,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body,
            headers,
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|response| response.deserialize::<serde_json::Value>().unwrap())
}

/// Through the real Secret Service that `cargo xtask test` starts: the status reads available.
#[test]
fn keychain_status_reports_the_real_keychain() {
    let app = mock_app(test_state());
    let status = invoke(&app, "keychain_status", serde_json::json!({})).expect("command succeeds");
    assert_eq!(status["backend"], "Secret Service");
    assert_eq!(status["available"], true, "{status}");
    assert_eq!(status["problem"], serde_json::Value::Null);
}

/// Test double for a failure we cannot provoke inside one test process: a keychain whose
/// daemon is missing. (The real "no D-Bus" path is covered by the CLI tests.)
struct UnreachableKeychainDouble;

impl SecretStore for UnreachableKeychainDouble {
    fn backend(&self) -> &'static str {
        "Secret Service"
    }
    fn read(&self, _: &ItemId) -> Result<Option<SecretBytes>, KeychainError> {
        Err(KeychainError::NoService)
    }
    fn write(&self, _: &ItemId, _: &SecretBytes) -> Result<(), KeychainError> {
        Err(KeychainError::NoService)
    }
    fn delete(&self, _: &ItemId) -> Result<bool, KeychainError> {
        Err(KeychainError::NoService)
    }
}

#[test]
fn keychain_status_explains_an_unreachable_keychain() {
    let app = mock_app(AppState::with_keychain(
        Arc::new(UnreachableKeychainDouble),
        Script::new().prompts(),
    ));
    let status = invoke(&app, "keychain_status", serde_json::json!({})).unwrap();
    assert_eq!(status["available"], false);
    assert_eq!(status["problem"], "no_service");
    assert!(status["message"]
        .as_str()
        .unwrap()
        .contains("keyring daemon"));
}

#[test]
fn navigation_stays_inside_the_app() {
    use crate::navigation::is_app_url;
    let allowed = [
        "tauri://localhost/",
        "http://tauri.localhost/index.html",
        "isolation://localhost/",
    ];
    let refused = [
        "https://pypi.org/",
        "http://localhost:5173/",
        "https://tauri.localhost.evil.example/",
        "file:///etc/passwd",
        "javascript:alert(1)",
    ];
    for url in allowed {
        assert!(is_app_url(&url.parse().unwrap()), "{url} should be allowed");
    }
    for url in refused {
        assert!(
            !is_app_url(&url.parse().unwrap()),
            "{url} should be refused"
        );
    }
}

const TEST_CODES: &str =
    "PyPI recovery codes\n00aa11bb22cc33dd\n44ee55ff66aa77bb\n8899aabbccddeeff\n";

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

fn app_with_own_data_dir() -> (App<tauri::test::MockRuntime>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let state = AppState {
        requests: pypi_recovery::request::store::RequestStore::new(dir.path()),
        ..test_state()
    };
    (mock_app(state), dir)
}

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

/// The verdict crosses IPC without the password; a costly input still answers.
#[test]
fn password_check_through_ipc_never_returns_the_password() {
    let (app, _dir) = app_with_own_data_dir();
    let verdict = invoke(
        &app,
        "password_check",
        serde_json::json!({ "password": "mirafoss88", "userInputs": ["mirafoss", "", "Mira Foss"] }),
    )
    .unwrap();
    assert_eq!(verdict["pypi_accepts"], false);
    assert!(!verdict.to_string().contains("mirafoss88"));
    let long = "@4!1|3$5$7+".repeat(400);
    let verdict = invoke(
        &app,
        "password_check",
        serde_json::json!({ "password": long, "userInputs": [] }),
    )
    .unwrap();
    assert_eq!(verdict["length"], 4400);
    assert_eq!(verdict["pypi_accepts"], false, "over 4096 characters");
}

#[test]
fn passphrases_have_the_asked_shape() {
    let (app, _dir) = app_with_own_data_dir();
    let generated = invoke(
        &app,
        "passphrase_generate",
        serde_json::json!({ "words": 6, "separator": " " }),
    )
    .unwrap();
    assert_eq!(generated["phrase"].as_str().unwrap().split(' ').count(), 6);
    assert!((generated["entropy_bits"].as_f64().unwrap() - 77.55).abs() < 0.01);
}

/// The authenticator through IPC: the list never carries the secret; the secret reaches the
/// UI only through the explicit reveal; refusals are typed and never echo it.
#[test]
fn totp_commands_keep_the_secret_out_of_everything_but_reveal() {
    let (state, script) = scripted_state();
    let app = mock_app(state);
    let account = format!("totp-ipc-{}", std::process::id());
    let secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    let link = format!("otpauth://totp/PyPI:{account}?secret={secret}&issuer=PyPI");

    let imported = invoke(
        &app,
        "totp_import_link",
        serde_json::json!({ "account": null, "link": link }),
    )
    .unwrap();
    assert_eq!(
        imported["account"],
        account.as_str(),
        "named after the link"
    );
    assert_eq!(imported["weak"], false);

    let listed = invoke(&app, "totp_list", serde_json::json!({})).unwrap();
    assert!(listed
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["account"] == account.as_str()));
    let code = invoke(&app, "totp_code", serde_json::json!({ "account": account })).unwrap();
    let current = code["code"].as_str().unwrap().to_owned();
    assert_eq!(current.len(), 6);
    assert!(code["seconds_left"].as_u64().unwrap() <= 30);
    for reply in [&imported, &listed, &code] {
        assert!(!reply.to_string().contains(secret), "{reply}");
    }

    let checked = invoke(
        &app,
        "totp_verify",
        serde_json::json!({ "account": account, "code": current }),
    )
    .unwrap();
    assert_eq!(checked["matched"], true, "{checked}");

    // The secret is revealed only once the user says yes natively.
    let cancelled = invoke(
        &app,
        "totp_reveal",
        serde_json::json!({ "account": account }),
    );
    let cancelled = cancelled.unwrap_err();
    assert_eq!(cancelled["code"], "cancelled");
    assert!(!cancelled.to_string().contains(secret));
    assert_eq!(
        script.last_title(),
        format!("Show the setup key for {account}?")
    );
    script.answer(&[true.into()]);
    let revealed = invoke(
        &app,
        "totp_reveal",
        serde_json::json!({ "account": account }),
    )
    .unwrap();
    assert_eq!(
        revealed["secret"],
        "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ"
    );
    assert!(revealed["uri"].as_str().unwrap().contains(secret));
    let width = revealed["qr"]["width"].as_u64().unwrap();
    assert_eq!(
        revealed["qr"]["dark"].as_array().unwrap().len() as u64,
        width * width
    );

    let refused = invoke(
        &app,
        "totp_import_link",
        serde_json::json!({ "account": account, "link": format!("otpauth://hotp/x?secret={secret}") }),
    )
    .unwrap_err();
    assert_eq!(refused["code"], "totp_import_refused");
    assert!(!refused.to_string().contains(secret));

    // Images come as the raw body, the account in a percent-encoded header.
    let raw = |file: &str, account: &str| {
        let mut headers = tauri::http::HeaderMap::new();
        let encoded =
            percent_encoding::utf8_percent_encode(account, percent_encoding::NON_ALPHANUMERIC);
        headers.insert("x-account", encoded.to_string().parse().unwrap());
        let image = std::fs::read(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(file)).unwrap();
        invoke_with(&app, "totp_import_image", InvokeBody::Raw(image), headers)
    };
    let no_qr = raw("../icons/32x32.png", &account).unwrap_err();
    assert_eq!(no_qr["code"], "totp_image_refused");
    let named = format!("Мира {account}");
    let imported = raw("../tests/e2e/pypi-setup-qr.png", &named).unwrap();
    assert_eq!(imported["account"], named.as_str());
    let as_json = serde_json::json!({ "account": null, "image": [137, 80, 78, 71] });
    assert_eq!(
        invoke(&app, "totp_import_image", as_json).unwrap_err()["code"],
        "internal"
    );
    script.answer(&[true.into()]);
    invoke(&app, "totp_remove", serde_json::json!({ "account": named })).unwrap();

    let kept = invoke(
        &app,
        "totp_import_link",
        serde_json::json!({ "account": null, "link": link }),
    );
    assert_eq!(kept.unwrap_err()["code"], "cancelled");
    assert_eq!(
        script.last_title(),
        format!("Replace the authenticator backup for {account}?")
    );
    script.answer(&[true.into()]);
    assert_eq!(
        invoke(
            &app,
            "totp_remove",
            serde_json::json!({ "account": account })
        )
        .unwrap(),
        true
    );
    let gone = invoke(&app, "totp_code", serde_json::json!({ "account": account })).unwrap_err();
    assert_eq!(gone["code"], "totp_unknown_account");
}

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

/// The opener scope in the capability, matched the way the opener plugin matches it (glob
/// patterns over the whole URL): our sites and the exact support address, nothing that only
/// starts like them.
#[test]
fn the_opener_allowlist_matches_exactly() {
    let capability: serde_json::Value =
        serde_json::from_str(include_str!("../capabilities/main.json")).unwrap();
    let patterns: Vec<glob::Pattern> = capability["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["identifier"] == "opener:allow-open-url")
        .flat_map(|p| p["allow"].as_array().unwrap().clone())
        .map(|entry| glob::Pattern::new(entry["url"].as_str().unwrap()).unwrap())
        .collect();
    let allowed = |url: &str| patterns.iter().any(|p| p.matches(url));
    for url in [
        "https://pypi.org/account/login/",
        "https://test.pypi.org/account/reset-password/",
        "https://peps.python.org/pep-0541/",
        "https://github.com/pypi/support/issues/new?template=account-recovery.yml",
        "mailto:support@pypi.org",
        "mailto:support@pypi.org?subject=Account%20recovery&body=Hello",
    ] {
        assert!(allowed(url), "{url}");
    }
    for url in [
        "mailto:support@pypi.org.evil.example",
        "mailto:support@pypi.orgx?subject=a",
        "mailto:attacker@example.com",
        "https://pypi.org.evil.example/",
        "https://peps.python.org/pep-0008/",
        "https://github.com/pypi/warehouse",
        "http://pypi.org/",
    ] {
        assert!(!allowed(url), "{url}");
    }
}
