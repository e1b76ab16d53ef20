//! A pasted otpauth:// link (also what a QR code holds).
#![no_main]
libfuzzer_sys::fuzz_target!(|link: &str| {
    if let Ok(key) = pypi_recovery::totp::parse_uri(link) {
        let _ = key.suggested_account();
    }
});
