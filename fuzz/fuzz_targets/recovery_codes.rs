//! A pasted or downloaded recovery-codes file.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = pypi_recovery::codes::parse_codes(data);
});
