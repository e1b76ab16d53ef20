//! The clipboard, written from Rust only. A copied secret is marked so that clipboard managers
//! keep it out of their history (KDE's password-manager hint, which Linux managers honour;
//! Windows' history, cloud and monitoring exclusions; macOS's concealed type). It clears
//! itself after a while unless the user has copied something else since (then it is theirs,
//! and we leave it alone), and when the app quits.

use crate::AppError;
use pypi_recovery::secret::SecretString;
use serde::Serialize;
use std::sync::Mutex;
use std::time::Duration;

/// How long a copied secret stays on the clipboard.
pub const CLEAR_AFTER: Duration = Duration::from_secs(30);

/// One connection for the app's lifetime: on X11 and Wayland the owner serves what was copied.
static CLIPBOARD: Mutex<Option<arboard::Clipboard>> = Mutex::new(None);

/// The secret last copied, until it is cleared: to clear it on exit if it is still there.
static PENDING: Mutex<Option<SecretString>> = Mutex::new(None);

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

fn with_clipboard<T>(
    use_it: impl FnOnce(&mut arboard::Clipboard) -> Result<T, arboard::Error>,
) -> Result<T, AppError> {
    let mut guard = CLIPBOARD.lock().unwrap_or_else(|p| p.into_inner());
    let clipboard = match guard.as_mut() {
        Some(clipboard) => clipboard,
        None => guard.insert(arboard::Clipboard::new().map_err(|_| AppError::clipboard())?),
    };
    use_it(clipboard).map_err(|_| AppError::clipboard())
}

/// Puts non-secret text (a form field, the email) on the clipboard, as any app would.
pub fn copy_text(text: String) -> Result<(), AppError> {
    with_clipboard(|clipboard| clipboard.set_text(text))
}

/// What the UI needs to show a countdown; never the secret.
#[derive(Debug, Serialize, specta::Type)]
pub struct Copied {
    /// Which code was copied, when it was a recovery code (0-based).
    pub index: Option<u32>,
    /// Seconds until the clipboard clears itself.
    pub clears_in_seconds: u32,
}

/// Puts `secret` on the clipboard, kept out of clipboard histories, and schedules its removal.
pub fn copy_secret(secret: SecretString, index: Option<u32>) -> Result<Copied, AppError> {
    let delay = clear_after();
    with_clipboard(|clipboard| set_excluded(clipboard, secret.expose_secret()))?;
    *PENDING.lock().unwrap_or_else(|p| p.into_inner()) = Some(secret.clone());
    std::thread::spawn(move || {
        std::thread::sleep(delay);
        clear_if_still(&secret);
        let mut pending = PENDING.lock().unwrap_or_else(|p| p.into_inner());
        if pending.as_ref() == Some(&secret) {
            *pending = None;
        }
    });
    Ok(Copied {
        index,
        clears_in_seconds: delay.as_secs() as u32,
    })
}

/// On quit: a secret copied in the last seconds does not outlive the app.
pub fn clear_on_exit() {
    let pending = PENDING.lock().unwrap_or_else(|p| p.into_inner()).take();
    if let Some(secret) = pending {
        clear_if_still(&secret);
    }
}

fn clear_if_still(secret: &SecretString) {
    // Read through a connection of its own: reading waits for whichever app owns the
    // clipboard now (seconds, on X11), and copying must not wait behind that.
    let Ok(mut reader) = arboard::Clipboard::new() else {
        return;
    };
    let current = SecretString::from(reader.get_text().unwrap_or_default());
    if current == *secret {
        let _ = with_clipboard(|clipboard| clipboard.clear());
    }
}

#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "android", target_os = "emscripten"))
))]
fn set_excluded(clipboard: &mut arboard::Clipboard, text: &str) -> Result<(), arboard::Error> {
    use arboard::SetExtLinux;
    clipboard.set().exclude_from_history().text(text)
}

#[cfg(windows)]
fn set_excluded(clipboard: &mut arboard::Clipboard, text: &str) -> Result<(), arboard::Error> {
    use arboard::SetExtWindows;
    (clipboard.set())
        .exclude_from_history()
        .exclude_from_cloud()
        .exclude_from_monitoring()
        .text(text)
}

#[cfg(target_os = "macos")]
fn set_excluded(clipboard: &mut arboard::Clipboard, text: &str) -> Result<(), arboard::Error> {
    use arboard::SetExtApple;
    clipboard.set().exclude_from_history().text(text)
}
