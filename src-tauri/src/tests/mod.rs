//! Shell tests: the IPC surface and the commands through Tauri's mock runtime, one file per
//! domain. Here is what they share: the mock app, `invoke`, and the scripted native prompts.

#[path = "../../../tests/support/sandbox.rs"]
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

mod backup;
mod codes;
mod ipc;
mod keychain;
mod password;
mod request;
mod totp;

/// A set of recovery codes as PyPI gives them, for the tests that store one.
const TEST_CODES: &str =
    "PyPI recovery codes\n00aa11bb22cc33dd\n44ee55ff66aa77bb\n8899aabbccddeeff\n";

fn tempfile_path(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("pypi-recovery-shell-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
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

fn app_with_own_data_dir() -> (App<tauri::test::MockRuntime>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let state = AppState {
        requests: pypi_recovery::request::store::RequestStore::new(dir.path()),
        ..test_state()
    };
    (mock_app(state), dir)
}
