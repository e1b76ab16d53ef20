//! The IPC surface itself: the generated bindings, the isolation hook's table, the ACL list
//! and the capability agree with the commands; errors cross as pinned JSON; navigation and
//! the opener stay inside their allowlists.

use super::*;

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

/// The opener scope in the capability, matched the way the opener plugin matches it (glob
/// patterns over the whole URL): our sites and the exact support address, nothing that only
/// starts like them.
#[test]
fn the_opener_allowlist_matches_exactly() {
    let capability: serde_json::Value =
        serde_json::from_str(include_str!("../../capabilities/main.json")).unwrap();
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
