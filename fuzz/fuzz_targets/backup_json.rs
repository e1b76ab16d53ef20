//! The JSON inside a backup, once decrypted: every item checked before anything is restored.
#![no_main]
libfuzzer_sys::fuzz_target!(|json: &[u8]| {
    let _ = pypi_recovery::backup::fuzz_document(json);
});
