//! The desktop shell: thin commands over the `pypi-recovery` core, the app state, and the
//! security wiring (capabilities, navigation guard). Domain logic lives in the core.

#![cfg_attr(not(test), deny(clippy::string_slice))]

#[macro_use]
mod macros;
mod clipboard;
mod commands;
mod error;
mod navigation;
mod prompts;
mod state;
mod webview;

use std::fmt::Write as _;

pub use error::{AppError, ErrorCode};
pub use state::AppState;

/// The typed IPC surface: commands and types exported to `ui/src/lib/bindings.ts`.
pub fn specta_builder() -> tauri_specta::Builder<tauri::Wry> {
    use tauri_specta::collect_commands;
    tauri_specta::Builder::<tauri::Wry>::new()
        .commands(app_commands!(collect_commands))
        .typ::<AppError>()
        // The core's limits, so the UI can pre-check with the same numbers.
        .constant(
            "MIN_PASSPHRASE_CHARS",
            pypi_recovery::backup::MIN_PASSPHRASE_CHARS,
        )
        .constant("MAX_QR_IMAGE_BYTES", pypi_recovery::totp::MAX_IMAGE_BYTES)
        .constant("MAX_CODES_BYTES", pypi_recovery::codes::MAX_INPUT_BYTES)
        // The form's checkbox texts, each keyed by the request field it sets.
        .constant(
            "FORM_OPTIONS",
            serde_json::json!({
                "recovery_codes_lost": pypi_recovery::request::OPTION_CODES,
                "code_of_conduct": pypi_recovery::request::OPTION_COC,
                "acknowledge_delay": pypi_recovery::request::OPTION_ACK,
            }),
        )
}

/// Writes the TypeScript bindings for the UI to `path`.
pub fn export_bindings(path: &std::path::Path) -> std::io::Result<()> {
    specta_builder()
        .export(
            specta_typescript::Typescript::default()
                .header("// Generated from Rust by tauri-specta (`cargo xtask bindings`). Do not edit.\n// @ts-nocheck"),
            path,
        )
        .map_err(|error| std::io::Error::other(error.to_string()))
}

/// The isolation hook's table of every command and its arguments' JSON types, read from the
/// generated bindings (one line per command), so that the hook can refuse a call with an
/// argument the command does not take, such as a `path`.
pub fn isolation_table(bindings: &str) -> String {
    let mut table = String::from(
        "// Generated from the Rust commands (`cargo xtask bindings`). Do not edit.\n\
         // Each command the UI may call, and its arguments' JSON types (`?`: may be null).\n\
         const COMMAND_ARGUMENTS = Object.freeze({\n",
    );
    for line in bindings.lines() {
        let Some((_, call)) = line.split_once("__TAURI_INVOKE") else {
            continue;
        };
        let (Some(params), Some(command)) = (
            line.split_once(": (")
                .and_then(|(_, rest)| rest.split_once(") =>"))
                .map(|(params, _)| params),
            call.split('"').nth(1),
        ) else {
            continue;
        };
        let arguments: Vec<String> = params
            .split(", ")
            .filter_map(|param| param.split_once(": "))
            .map(|(name, ts)| format!("{name}: \"{}\"", json_type(ts)))
            .collect();
        let arguments = match arguments.is_empty() {
            true => "{}".to_owned(),
            false => format!("{{ {} }}", arguments.join(", ")),
        };
        let _ = writeln!(table, "  {command}: {arguments},");
    }
    table.push_str("});\n");
    table
}

/// The JSON type a TypeScript parameter type arrives as.
fn json_type(ts: &str) -> String {
    let (base, optional) = match ts.strip_suffix(" | null") {
        Some(base) => (base, "?"),
        None => (ts, ""),
    };
    let kind = match base {
        "string" | "boolean" | "number" => base,
        _ if base.ends_with("[]") => "array",
        _ if base.starts_with("Channel<") => "channel",
        _ => "object",
    };
    format!("{kind}{optional}")
}

/// Starts the desktop app.
pub fn run() {
    use tauri::Manager;
    pypi_recovery::quiet_panics();
    pypi_recovery::protect_memory();
    let builder = specta_builder();
    webview::before_start();
    tauri::Builder::default()
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(navigation::guard())
        .setup(|app| {
            app.manage(AppState::new(prompts::for_app(app.handle().clone())));
            if let Some(window) = app.get_webview_window("main") {
                webview::tune(&window);
            }
            Ok(())
        })
        .invoke_handler(builder.invoke_handler())
        .build(tauri::generate_context!())
        .expect("the desktop app failed to start")
        .run(|_, event| {
            if let tauri::RunEvent::Exit = event {
                clipboard::clear_on_exit();
            }
        });
}

#[cfg(test)]
mod tests;
