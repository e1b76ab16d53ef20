// Declaring our commands in the app manifest is what makes Tauri check them against the
// capabilities: a command missing from `capabilities/` is refused at runtime.
include!("src/commands/names.rs");

fn main() {
    let manifest = tauri_build::AppManifest::new().commands(COMMAND_NAMES);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("failed to run tauri-build");
}
