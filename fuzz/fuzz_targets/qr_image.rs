//! A screenshot of a QR code, chosen, dropped or pasted (PNG or JPEG).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = pypi_recovery::totp::decode_qr_image(data);
});
