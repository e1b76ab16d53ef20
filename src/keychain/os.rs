//! The operating system's keychain, through keyring-core and one platform store per OS.

use super::{ItemId, KeychainError, SecretStore, OPERATION_TIMEOUT};
use crate::secret::SecretBytes;
use keyring_core::api::CredentialStore;
use keyring_core::Error as KeyringError;
use std::collections::HashMap;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

/// The OS keychain. It connects lazily and reconnects after a failure, so a keychain that
/// was unavailable at start-up (or a keyring daemon that restarted) works on the next call
/// without restarting the app. It never falls back to keyring's in-memory mock store.
#[derive(Default)]
pub struct OsKeychain {
    store: Mutex<Option<Arc<CredentialStore>>>,
}

impl OsKeychain {
    /// Creates a handle; nothing is contacted until the first operation.
    pub fn new() -> Self {
        Self::default()
    }

    fn connected(&self) -> Result<Arc<CredentialStore>, KeychainError> {
        let mut slot = self
            .store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(store) = slot.as_ref() {
            return Ok(store.clone());
        }
        let store = run_with_timeout(connect)?;
        *slot = Some(store.clone());
        Ok(store)
    }

    /// Puts `store` (or nothing) in the slot; the one it replaces is retired.
    fn replace_store(&self, store: Option<Arc<CredentialStore>>) {
        let mut slot = self
            .store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        retire(std::mem::replace(&mut *slot, store));
    }

    /// Runs one operation on the store, dropping the connection when it fails for a reason a
    /// reconnect may cure (a restarted daemon, a closed bus).
    ///
    /// When a fresh session may cure the failure (see [`fresh_session_cures`]), the
    /// operation is tried once more on a fresh connection at once, which then replaces the
    /// stale one.
    fn with_entry<T: Send + 'static>(
        &self,
        item: &ItemId,
        op: impl Fn(keyring_core::Entry) -> Result<T, KeyringError> + Send + 'static,
    ) -> Result<T, KeychainError> {
        let store = self.connected()?;
        let (service, account) = (item.service(), item.account.clone());
        let label = format!("{}: {} ({})", crate::APP_NAME, account, service);
        let result = run_with_timeout(move || {
            let modifiers = modifiers(&label);
            let attempt =
                |store: &CredentialStore| op(store.build(&service, &account, Some(&modifiers))?);
            match attempt(&*store) {
                Err(error) if fresh_session_cures(&error) => {
                    let fresh = connect()?;
                    let value = attempt(&*fresh).map_err(classify)?;
                    Ok((value, Some(fresh)))
                }
                other => other.map(|value| (value, None)).map_err(classify),
            }
        });
        let result = result.map(|(value, fresh)| {
            if fresh.is_some() {
                self.replace_store(fresh);
            }
            value
        });
        if matches!(
            result,
            Err(KeychainError::Platform(_)
                | KeychainError::NoService
                | KeychainError::NoSession
                | KeychainError::Timeout(_))
        ) {
            self.replace_store(None);
        }
        result
    }
}

impl Drop for OsKeychain {
    fn drop(&mut self) {
        retire(
            self.store
                .get_mut()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .take(),
        );
    }
}

/// Drops a connection on a thread of its own. zbus's blocking proxies inside it block on
/// zbus's tokio runtime when they are dropped, and that panics (here: aborts) when the
/// dropping thread is running an async task, as a Tauri command's caller may be.
fn retire(store: Option<Arc<CredentialStore>>) {
    if let Some(store) = store {
        // Without a thread to be had, the store goes down here with the closure.
        let _ = std::thread::Builder::new()
            .name("keychain".into())
            .spawn(move || drop(store));
    }
}

impl SecretStore for OsKeychain {
    fn backend(&self) -> &'static str {
        BACKEND
    }

    fn read(&self, item: &ItemId) -> Result<Option<SecretBytes>, KeychainError> {
        self.with_entry(item, |entry| match entry.get_secret() {
            Ok(bytes) => Ok(Some(SecretBytes::from(bytes))),
            Err(KeyringError::NoEntry) => Ok(None),
            Err(error) => Err(error),
        })
    }

    fn write(&self, item: &ItemId, value: &SecretBytes) -> Result<(), KeychainError> {
        let value = value.clone();
        self.with_entry(item, move |entry| entry.set_secret(value.expose_secret()))
    }

    fn delete(&self, item: &ItemId) -> Result<bool, KeychainError> {
        self.with_entry(item, |entry| match entry.delete_credential() {
            Ok(()) => Ok(true),
            Err(KeyringError::NoEntry) => Ok(false),
            Err(error) => Err(error),
        })
    }
}

/// Runs `op` on its own thread and gives up after [`OPERATION_TIMEOUT`]: an unlock prompt
/// that nobody can answer must not hang the caller.
fn run_with_timeout<T: Send + 'static>(
    op: impl FnOnce() -> Result<T, KeychainError> + Send + 'static,
) -> Result<T, KeychainError> {
    let (sender, receiver) = mpsc::channel();
    std::thread::Builder::new()
        .name("keychain".into())
        .spawn(move || {
            let _ = sender.send(op());
        })
        .map_err(|error| KeychainError::Platform(error.to_string()))?;
    receiver
        .recv_timeout(OPERATION_TIMEOUT)
        .unwrap_or(Err(KeychainError::Timeout(OPERATION_TIMEOUT.as_secs())))
}

#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
const BACKEND: &str = "Secret Service";
#[cfg(target_os = "macos")]
const BACKEND: &str = "macOS Keychain";
#[cfg(target_os = "windows")]
const BACKEND: &str = "Windows Credential Manager";
#[cfg(not(any(
    target_os = "windows",
    target_os = "macos",
    all(unix, not(any(target_os = "ios", target_os = "android")))
)))]
const BACKEND: &str = "no keychain";

/// The store modifiers for an item. Each store accepts only its own keys and refuses the
/// rest (Windows: "Value of 'label' is invalid: unknown key"), so only the Secret Service,
/// whose items show their label in Seahorse and KWallet, gets one. The Windows and macOS
/// stores name items by service and account alone.
#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
fn modifiers(label: &str) -> HashMap<&str, &str> {
    HashMap::from([("label", label)])
}

#[cfg(not(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
)))]
fn modifiers(_label: &str) -> HashMap<&str, &str> {
    HashMap::new()
}

fn connect() -> Result<Arc<CredentialStore>, KeychainError> {
    #[cfg(all(
        unix,
        not(any(target_os = "macos", target_os = "ios", target_os = "android"))
    ))]
    {
        // KWallet refuses a public key of 127 bytes (1 in 256 of ours starts with a zero
        // byte, which the encoding drops); a second key is another draw.
        let store = zbus_secret_service_keyring_store::Store::new()
            .or_else(|error| match refused_public_key(&error) {
                true => zbus_secret_service_keyring_store::Store::new(),
                false => Err(error),
            })
            .map_err(classify)?;
        Ok(store)
    }
    #[cfg(target_os = "macos")]
    {
        let store = apple_native_keyring_store::keychain::Store::new().map_err(classify)?;
        Ok(store)
    }
    #[cfg(target_os = "windows")]
    {
        let store = windows_native_keyring_store::Store::new().map_err(classify)?;
        Ok(store)
    }
    #[cfg(not(any(
        target_os = "windows",
        target_os = "macos",
        all(unix, not(any(target_os = "ios", target_os = "android")))
    )))]
    {
        Err(KeychainError::Unsupported)
    }
}

/// Turns keyring-core's errors into ours. Only the platform's own text is kept; keyring's
/// `BadEncoding` and `BadDataFormat` variants carry the item's bytes and are never printed.
fn classify(error: KeyringError) -> KeychainError {
    match error {
        KeyringError::NoStorageAccess(inner) => classify_platform(&*inner, KeychainError::Locked),
        KeyringError::PlatformFailure(inner) => {
            let fallback = KeychainError::Platform(inner.to_string());
            classify_platform(&*inner, fallback)
        }
        KeyringError::BadEncoding(_) | KeyringError::BadDataFormat(..) => KeychainError::Corrupt,
        KeyringError::NoDefaultStore => KeychainError::Unsupported,
        KeyringError::TooLong(what, limit) => KeychainError::Platform(format!(
            "the {what} is longer than the keychain allows ({limit})"
        )),
        other => KeychainError::Platform(other.to_string()),
    }
}

#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
fn classify_platform(
    inner: &(dyn std::error::Error + Send + Sync + 'static),
    fallback: KeychainError,
) -> KeychainError {
    use secret_service::Error as Ss;
    let Some(error) = inner.downcast_ref::<Ss>() else {
        return fallback;
    };
    match error {
        Ss::Locked | Ss::PromptDisconnected => KeychainError::Locked,
        // The user answered no to the provider's question (KeePassXC's access request, an
        // unlock dialog closed).
        Ss::Prompt => KeychainError::Declined,
        Ss::Unavailable if !has_session_bus() => KeychainError::NoSession,
        Ss::Unavailable => KeychainError::NoService,
        Ss::ZbusFdo(zbus::fdo::Error::AccessDenied(_)) => KeychainError::AccessDenied,
        Ss::ZbusFdo(zbus::fdo::Error::ServiceUnknown(_) | zbus::fdo::Error::NameHasNoOwner(_)) => {
            KeychainError::NoService
        }
        Ss::Zbus(
            zbus::Error::Address(_) | zbus::Error::InputOutput(_) | zbus::Error::Connection(..),
        ) => KeychainError::NoSession,
        Ss::Zbus(zbus::Error::FDO(fdo)) => match &**fdo {
            zbus::fdo::Error::AccessDenied(_) => KeychainError::AccessDenied,
            zbus::fdo::Error::ServiceUnknown(_) | zbus::fdo::Error::NameHasNoOwner(_) => {
                KeychainError::NoService
            }
            _ => fallback,
        },
        _ => fallback,
    }
}

/// True when the same operation on a fresh connection, with a new session and session key,
/// may succeed:
/// - the provider no longer knows our session: its D-Bus error names a missing object or
///   session (KWallet forgets sessions just after a wallet is made, and answers a secret it
///   cannot decrypt with "Can't find session"; Qt names it InvalidObjectPath);
/// - a secret it sent does not decrypt: KWallet derives the session key from the DH shared
///   secret without its leading zero bytes, so 1 session in 256 has a key that differs from
///   ours, and a new session is another draw.
#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
fn fresh_session_cures(error: &KeyringError) -> bool {
    match secret_service_error(error) {
        Some(secret_service::Error::Zbus(zbus::Error::MethodError(name, ..))) => {
            names_lost_session(name.as_str())
        }
        Some(secret_service::Error::Crypto(_)) => true,
        _ => false,
    }
}

#[cfg(not(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
)))]
fn fresh_session_cures(_error: &KeyringError) -> bool {
    false
}

/// True when the provider refused to open a session with our public key (KWallet:
/// "Client public key size is invalid").
#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
fn refused_public_key(error: &KeyringError) -> bool {
    matches!(
        secret_service_error(error),
        Some(secret_service::Error::Zbus(zbus::Error::MethodError(name, ..)))
            if name.as_str() == "org.freedesktop.DBus.Error.InvalidArgs"
    )
}

/// The Secret Service error inside keyring-core's platform error, if it is one.
#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
fn secret_service_error(error: &KeyringError) -> Option<&secret_service::Error> {
    match error {
        KeyringError::PlatformFailure(inner) | KeyringError::NoStorageAccess(inner) => {
            inner.downcast_ref()
        }
        _ => None,
    }
}

/// The D-Bus error names that mean "no such session" from the providers we know.
#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
fn names_lost_session(name: &str) -> bool {
    matches!(
        name,
        "org.freedesktop.Secret.Error.NoSession"
            | "org.freedesktop.DBus.Error.UnknownObject"
            | "org.qtproject.QtDBus.Error.InvalidObjectPath"
    )
}

#[cfg(not(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
)))]
fn classify_platform(
    _inner: &(dyn std::error::Error + Send + Sync + 'static),
    fallback: KeychainError,
) -> KeychainError {
    fallback
}

/// True when a D-Bus session bus address is known, either from the environment or from the
/// standard per-user socket.
#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
fn has_session_bus() -> bool {
    std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|address| !address.is_empty())
        || std::env::var_os("XDG_RUNTIME_DIR")
            .is_some_and(|dir| std::path::Path::new(&dir).join("bus").exists())
}

#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
#[cfg(test)]
mod tests {
    use super::{fresh_session_cures, names_lost_session};
    use keyring_core::Error as KeyringError;

    #[test]
    fn a_forgotten_session_is_told_from_other_errors() {
        for name in [
            "org.qtproject.QtDBus.Error.InvalidObjectPath",
            "org.freedesktop.Secret.Error.NoSession",
            "org.freedesktop.DBus.Error.UnknownObject",
        ] {
            assert!(names_lost_session(name), "{name}");
        }
        for name in [
            "org.freedesktop.Secret.Error.IsLocked",
            "org.freedesktop.DBus.Error.AccessDenied",
            "org.freedesktop.DBus.Error.ServiceUnknown",
        ] {
            assert!(!names_lost_session(name), "{name}");
        }
    }

    #[test]
    fn a_secret_that_does_not_decrypt_is_tried_on_a_fresh_session() {
        let platform = |error: secret_service::Error| KeyringError::PlatformFailure(error.into());
        assert!(fresh_session_cures(&platform(
            secret_service::Error::Crypto("message decryption failed")
        )));
        for other in [
            platform(secret_service::Error::Locked),
            platform(secret_service::Error::Prompt),
            KeyringError::NoEntry,
        ] {
            assert!(!fresh_session_cures(&other), "{other:?}");
        }
    }
}
