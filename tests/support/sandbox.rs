//! The guard for tests that use the OS keychain. `cargo xtask test` runs them in a sandbox: a
//! private D-Bus session with its own unlocked gnome-keyring, and a temporary HOME. Run by a
//! plain `cargo test`, they would write their items into the developer's own login keyring.

/// Stops the test at once, with what to do instead, unless it runs inside that sandbox.
pub fn require() {
    let marked = std::env::var_os("PYPI_RECOVERY_TEST_KEYRING_PASSWORD").is_some();
    let home_is_temporary = std::env::var_os("HOME")
        .is_some_and(|home| std::path::Path::new(&home).starts_with(std::env::temp_dir()));
    assert!(
        marked && home_is_temporary,
        "this test uses the OS keychain and would write into your own login keyring: \
         run it with `cargo xtask test`, which gives it a private keyring"
    );
}
