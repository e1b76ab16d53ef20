//! The keychain status through IPC, against the real Secret Service and an unreachable one.

use super::*;

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
