//! PyPI's JSON for a project: its owners and maintainers, repositories and releases.
#![no_main]
libfuzzer_sys::fuzz_target!(|body: &[u8]| {
    pypi_recovery::online::pypi::fuzz_body(body);
});
