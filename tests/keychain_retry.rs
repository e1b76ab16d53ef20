//! A keychain that was unreachable becomes usable on the next call, without a new handle
//! (the app must not need a restart). Alone in its own test binary because it changes the
//! process environment.

mod support;

use pypi_recovery::keychain;

#[test]
fn recovers_after_the_session_bus_appears() {
    let address =
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").expect("run inside dbus-run-session");
    let runtime_dir = std::env::var_os("XDG_RUNTIME_DIR");
    let store = support::os_keychain();

    std::env::remove_var("DBUS_SESSION_BUS_ADDRESS");
    std::env::set_var("XDG_RUNTIME_DIR", std::env::temp_dir().join("no-bus-here"));
    let before = keychain::check(&store);
    assert!(!before.available);
    assert_eq!(before.problem, Some(keychain::KeychainErrorKind::NoSession));
    assert!(before.message.contains("D-Bus"), "{}", before.message);

    std::env::set_var("DBUS_SESSION_BUS_ADDRESS", address);
    match runtime_dir {
        Some(dir) => std::env::set_var("XDG_RUNTIME_DIR", dir),
        None => std::env::remove_var("XDG_RUNTIME_DIR"),
    }
    let after = keychain::check(&store);
    assert!(after.available, "{after:?}");
}
