//! Have I Been Pwned's range answer.
#![no_main]
libfuzzer_sys::fuzz_target!(|body: &str| {
    pypi_recovery::strength::fuzz_range(body);
});
