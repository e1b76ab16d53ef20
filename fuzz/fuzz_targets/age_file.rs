//! A backup or vault file: the age header and payload, with a known passphrase. (Fuzz builds
//! refuse any real scrypt work factor, so the parser is explored, not scrypt.)
#![no_main]
use pypi_recovery::secret::SecretString;
libfuzzer_sys::fuzz_target!(|file: &[u8]| {
    let _ = pypi_recovery::sealed::open(file, &SecretString::from("correct horse battery"));
});
