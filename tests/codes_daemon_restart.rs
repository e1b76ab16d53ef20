//! Stored codes survive a restart of the keyring daemon (they are on disk, not in memory),
//! and the same handle reconnects. Alone in its binary: it restarts the shared daemon.

mod support;

use pypi_recovery::codes::CodeSets;
use std::process::Command;
use time::macros::datetime;

#[test]
fn codes_survive_a_daemon_restart() {
    let password =
        std::env::var("PYPI_RECOVERY_TEST_KEYRING_PASSWORD").expect("set by cargo xtask test");
    let store = support::os_keychain();
    let sets = CodeSets::new(&store);
    let account = support::unique("restart");
    sets.import(
        &account,
        b"00aa11bb22cc33dd\n44ee55ff66aa77bb",
        false,
        datetime!(2026-11-23 0:00 UTC),
    )
    .unwrap();

    let restart = Command::new("sh")
        .arg("-c")
        // Kill only the daemon that owns the Secret Service name on *this* session bus.
        .arg("pid=$(dbus-send --session --print-reply --dest=org.freedesktop.DBus / org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets | awk '/uint32/{print $2}') && kill \"$pid\" && sleep 0.5 && printf %s \"$PW\" | gnome-keyring-daemon --replace --unlock --components=secrets >/dev/null")
        .env("PW", password)
        .status()
        .unwrap();
    assert!(restart.success());

    let next = sets
        .next(&account)
        .or_else(|_| sets.next(&account))
        .unwrap();
    assert_eq!(next.code.expose_secret(), "00aa11bb22cc33dd");
    sets.remove(&account).unwrap();
}
