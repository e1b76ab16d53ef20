//! WebKitGTK settings for a small form-based app that loads one local bundle, measured with
//! `cargo xtask bench --app` (README, "Weight and speed"). What paid, on Linux under Xvfb:
//! painting without the GPU (−78 MB: the web process keeps no GL compositor), frames handed
//! over in shared memory instead of DMA-BUF (−9 MB) and JavaScriptCore without its JIT (−7 MB).
//! What did not, and is left at WebKit's default: the document-viewer cache model, the page
//! cache, spell-checking, and the garbage collector's threads.

/// Before Tauri starts, while the process has one thread: WebKit reads these when it starts,
/// and the web and network processes inherit them. A value the user set is kept.
pub fn before_start() {
    #[cfg(target_os = "linux")]
    for (name, value) in [
        ("WEBKIT_DISABLE_DMABUF_RENDERER", "1"),
        // The interpreter is fast enough for a few forms, and without a JIT the process that
        // shows the secrets has no memory that is both writable and executable.
        ("JSC_useJIT", "0"),
    ] {
        if std::env::var_os(name).is_none() {
            std::env::set_var(name, value);
        }
    }
}

/// Once the main window exists.
pub fn tune(window: &tauri::WebviewWindow) {
    #[cfg(target_os = "linux")]
    let _ = window.with_webview(|webview| {
        use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
        if let Some(settings) = WebViewExt::settings(&webview.inner()) {
            // A form needs no GPU; the GL compositor costs the most memory of anything here.
            settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
            // wry turns these on for every app; nothing here draws 3D or plays sound, so they
            // are attack surface only (they cost no measurable memory either way).
            settings.set_enable_webgl(false);
            settings.set_enable_webaudio(false);
        }
    });
    #[cfg(not(target_os = "linux"))]
    let _ = window;
}
