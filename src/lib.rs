//! The core of PyPI Recovery Assistant: domain logic shared by the CLI and the desktop shell.
//!
//! Nothing here depends on Tauri. Each domain has its own module with its own error type;
//! front-ends translate those errors, they never invent domain rules of their own.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod backup;
pub mod codes;
pub mod files;
pub mod keychain;
pub mod online;
pub mod request;
pub mod sealed;
pub mod secret;
pub mod strength;
pub mod totp;

/// The name this app uses for itself in keychain items, User-Agent headers and messages.
pub const APP_NAME: &str = "PyPI Recovery Assistant";

/// The app's own data directory (`$XDG_DATA_HOME/pypi-recovery-assistant` on Linux): the
/// update lock, the request draft and the submission log. Never secrets.
pub fn data_dir() -> std::path::PathBuf {
    dirs::data_local_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join(keychain::SERVICE_PREFIX)
}
