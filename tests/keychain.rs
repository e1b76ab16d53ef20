//! The keychain layer against the real Secret Service that `cargo xtask test` starts
//! (gnome-keyring in a private D-Bus session), cross-checked with `secret-tool`.

mod support;

use pypi_recovery::keychain::{self, ItemId, ItemKind, SecretStore};
use pypi_recovery::secret::SecretBytes;
use std::process::Command;

fn probe_item(name: &str) -> ItemId {
    ItemId::new(ItemKind::Probe, format!("{name}-{}", std::process::id()))
}

#[test]
fn round_trip_through_the_secret_service() {
    let store = support::os_keychain();
    let item = probe_item("round-trip");
    let value = SecretBytes::from(b"0123456789abcdef".to_vec());
    assert_eq!(store.read(&item).unwrap(), None, "starts empty");
    store.write(&item, &value).unwrap();
    assert_eq!(store.read(&item).unwrap(), Some(value));

    // secret-tool, an independent Secret Service client, sees the same item.
    let looked_up = Command::new("secret-tool")
        .args([
            "lookup",
            "service",
            &item.service(),
            "username",
            &item.account,
        ])
        .output()
        .expect("secret-tool runs");
    assert_eq!(
        String::from_utf8_lossy(&looked_up.stdout),
        "0123456789abcdef"
    );

    let replaced = SecretBytes::from(b"replaced".to_vec());
    store.write(&item, &replaced).unwrap();
    assert_eq!(store.read(&item).unwrap(), Some(replaced));
    assert!(store.delete(&item).unwrap());
    assert!(
        !store.delete(&item).unwrap(),
        "deleting twice reports nothing deleted"
    );
    assert_eq!(store.read(&item).unwrap(), None);
}

#[test]
fn status_reports_available_and_leaves_nothing_behind() {
    let store = support::os_keychain();
    let status = keychain::check(&store);
    assert!(status.available, "{status:?}");
    assert_eq!(status.backend, "Secret Service");
    let leftovers = Command::new("secret-tool")
        .args([
            "search",
            "--all",
            "service",
            &ItemId::new(ItemKind::Probe, "x").service(),
        ])
        .output()
        .unwrap();
    let listing =
        String::from_utf8_lossy(&leftovers.stdout) + String::from_utf8_lossy(&leftovers.stderr);
    assert!(
        !listing.contains("check-"),
        "the probe item was not deleted: {listing}"
    );
}

/// zbus's blocking proxies block on zbus's own tokio runtime when dropped, which panics in a
/// thread that is running an async task. A Tauri command is such a task: the keychain must be
/// safe to use and to drop there.
#[test]
fn the_keychain_can_be_used_and_dropped_inside_an_async_task() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let item = probe_item("async-task");
    let read = runtime.block_on(async {
        let store = support::os_keychain();
        let read = store.read(&item);
        drop(store); // the connection it made goes with it, in this task
        read
    });
    assert_eq!(read.unwrap(), None);
}
