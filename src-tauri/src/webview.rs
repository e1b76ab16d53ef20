//! WebKitGTK settings for a small form-based app that loads one local bundle: what wry turns on
//! for browsers (WebGL, WebAudio, the back-forward page cache) is off, and pages are cached as
//! by a document viewer. Measured with `cargo xtask bench --app` (README, "Speed and weight").

/// Before Tauri starts: the network process reads its memory-pressure settings when it spawns.
pub fn before_start() {
    #[cfg(target_os = "linux")]
    linux::before_start();
}

/// Once the main window exists.
pub fn tune(window: &tauri::WebviewWindow) {
    #[cfg(target_os = "linux")]
    linux::tune(window);
    #[cfg(not(target_os = "linux"))]
    let _ = window;
}

#[cfg(target_os = "linux")]
mod linux {
    use webkit2gtk::{
        CacheModel, HardwareAccelerationPolicy, MemoryPressureSettings, SettingsExt, WebContextExt,
        WebViewExt, WebsiteDataManager,
    };

    // TEMPORARY (measurement): which levers are on, from PYPI_RECOVERY_WEBKIT.
    fn on(lever: &str) -> bool {
        std::env::var("PYPI_RECOVERY_WEBKIT")
            .map(|v| v.split(',').any(|l| l == lever || l == "all"))
            .unwrap_or(false)
    }

    pub fn before_start() {
        if on("netpressure") {
            let mut settings = MemoryPressureSettings::new();
            settings.set_memory_limit(32);
            WebsiteDataManager::set_memory_pressure_settings(&mut settings);
        }
    }

    pub fn tune(window: &tauri::WebviewWindow) {
        let _ = window.with_webview(|webview| {
            let webview = webview.inner();
            if let Some(settings) = WebViewExt::settings(&webview) {
                if on("noaccel") {
                    settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
                }
                if on("nofeatures") {
                    settings.set_enable_webgl(false);
                    settings.set_enable_webaudio(false);
                    settings.set_enable_page_cache(false);
                }
            }
            if let Some(context) = webview.context() {
                if on("doccache") {
                    context.set_cache_model(CacheModel::DocumentViewer);
                }
                if on("nospell") {
                    context.set_spell_checking_enabled(false);
                }
            }
        });
    }
}
