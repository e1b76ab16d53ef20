//! The desktop shell: thin commands over the `pypi-recovery` core, the app state, and the
//! security wiring (capabilities, navigation guard). Domain logic lives in the core.

#![cfg_attr(not(test), deny(clippy::string_slice))]

#[macro_use]
mod macros;
mod clipboard;
mod commands;
mod error;
mod navigation;
mod state;

pub use error::{AppError, ErrorCode};
pub use state::AppState;

/// The typed IPC surface: commands and types exported to `ui/src/lib/bindings.ts`.
pub fn specta_builder() -> tauri_specta::Builder<tauri::Wry> {
    use tauri_specta::collect_commands;
    tauri_specta::Builder::<tauri::Wry>::new()
        .commands(app_commands!(collect_commands))
        .typ::<AppError>()
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

/// Starts the desktop app.
pub fn run() {
    pypi_recovery::quiet_panics();
    let builder = specta_builder();
    tauri::Builder::default()
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(navigation::guard())
        .manage(AppState::new())
        .invoke_handler(builder.invoke_handler())
        .run(tauri::generate_context!())
        .expect("the desktop app failed to start");
}

#[cfg(test)]
mod tests;
