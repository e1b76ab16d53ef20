//! Keeps the webview on the app's own pages. Links to the outside world go through the
//! opener plugin, which only opens the allowlisted sites in the system browser.

use tauri::plugin::{Builder, TauriPlugin};
use tauri::{Runtime, Url};

/// A plugin that refuses every navigation away from the bundled UI.
pub fn guard<R: Runtime>() -> TauriPlugin<R> {
    Builder::new("navigation-guard")
        .on_navigation(|_webview, url| is_app_url(url))
        .build()
}

/// True for the origins Tauri serves our own UI (and its isolation frame) from.
pub fn is_app_url(url: &Url) -> bool {
    match url.scheme() {
        "tauri" | "isolation" => true,
        "http" | "https" => url.host_str() == Some("tauri.localhost"),
        _ => false,
    }
}
