//! Copying secrets: the clipboard clears itself after a while, unless the user has copied
//! something else since (then it is theirs, and we leave it alone).

use crate::AppError;
use pypi_recovery::secret::SecretString;
use serde::Serialize;
use std::time::Duration;
use tauri::{AppHandle, Runtime};
use tauri_plugin_clipboard_manager::ClipboardExt;

/// How long a copied secret stays on the clipboard.
pub const CLEAR_AFTER: Duration = Duration::from_secs(30);

/// The delay actually used. Debug builds accept `PYPI_RECOVERY_CLIPBOARD_SECONDS` so the
/// end-to-end tests can watch the clipboard clear without waiting 30 s; release builds ignore it.
fn clear_after() -> Duration {
    if cfg!(debug_assertions) {
        if let Some(seconds) = std::env::var("PYPI_RECOVERY_CLIPBOARD_SECONDS")
            .ok()
            .and_then(|s| s.parse().ok())
        {
            return Duration::from_secs(seconds);
        }
    }
    CLEAR_AFTER
}

/// What the UI needs to show a countdown; never the secret.
#[derive(Debug, Serialize, specta::Type)]
pub struct Copied {
    /// Which code was copied, when it was a recovery code (0-based).
    pub index: Option<u32>,
    /// Seconds until the clipboard clears itself.
    pub clears_in_seconds: u32,
}

/// Puts `secret` on the clipboard and schedules its removal.
pub fn copy_secret<R: Runtime>(
    app: &AppHandle<R>,
    secret: SecretString,
    index: Option<u32>,
) -> Result<Copied, AppError> {
    let delay = clear_after();
    app.clipboard()
        .write_text(secret.expose_secret().clone())
        .map_err(|_| AppError::clipboard())?;
    let app = app.clone();
    std::thread::spawn(move || {
        std::thread::sleep(delay);
        let still_ours = app
            .clipboard()
            .read_text()
            .is_ok_and(|current| current == *secret.expose_secret());
        if still_ours {
            let _ = app.clipboard().clear();
        }
    });
    Ok(Copied {
        index,
        clears_in_seconds: delay.as_secs() as u32,
    })
}
