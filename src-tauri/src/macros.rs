//! The command list, kept in one place.

/// The one list of commands, expanded by `callback` into the tauri-specta list (bindings and
/// the real app) or Tauri's own handler (the mock runtime in tests, which is generic over `R`).
macro_rules! app_commands {
    ($callback:ident) => {
        $callback![crate::commands::keychain::keychain_status]
    };
}
