//! The encrypted-file vault: for machines with no keychain (servers, minimal desktops, WSL).
//! Every item lives in one age file (scrypt passphrase), so `age -d` opens it too. The
//! passphrase and the decrypted items are held in memory only while unlocked, and wiped on
//! lock, on drop, and after a while unused.

use super::{ItemId, KeychainError, SecretStore};
use crate::sealed::{self, SealError, VAULT_WORK_FACTOR};
use crate::secret::{SecretBytes, SecretString};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};
use zeroize::Zeroize;

/// The app locks the vault after this long without use.
pub const AUTO_LOCK_AFTER: Duration = Duration::from_secs(5 * 60);
const FORMAT: &str = "pypi-recovery-assistant-vault";

#[derive(Clone, Serialize, Deserialize, Zeroize)]
#[zeroize(drop)]
struct Item {
    service: String,
    account: String,
    /// The item's contents: our items are JSON text.
    value: String,
}

#[derive(Clone, Serialize, Deserialize, Zeroize)]
#[zeroize(drop)]
struct Document {
    format: String,
    version: u8,
    items: Vec<Item>,
}

struct Unlocked {
    passphrase: SecretString,
    document: Document,
    /// The file as we last read or wrote it, to notice another process's change.
    seen: Option<(SystemTime, u64)>,
    last_used: Instant,
}

/// An age-encrypted vault file behind the [`SecretStore`] trait.
pub struct FileVault {
    path: PathBuf,
    auto_lock: Option<Duration>,
    state: Mutex<Option<Unlocked>>,
    /// The time, for auto-lock; tests set it instead of sleeping.
    clock: fn() -> Instant,
}

fn stamp(path: &Path) -> Option<(SystemTime, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

fn damaged(reason: impl Into<String>) -> KeychainError {
    KeychainError::VaultDamaged(reason.into())
}

fn load(path: &Path, passphrase: &SecretString) -> Result<Document, KeychainError> {
    let file = std::fs::read(path)
        .map_err(|e| damaged(format!("{} could not be read: {e}", path.display())))?;
    let json = sealed::open(&file, passphrase).map_err(|e| match e {
        SealError::WrongPassphrase => KeychainError::VaultWrongPassphrase,
        other => damaged(other.to_string()),
    })?;
    let document: Document = serde_json::from_slice(json.expose_secret())
        .map_err(|_| damaged("it is not a vault file of this app"))?;
    if document.format != FORMAT || document.version != 1 {
        return Err(damaged(
            "it is not a vault file of this app, or from a newer version",
        ));
    }
    Ok(document)
}

impl FileVault {
    /// A locked handle on the vault at `path`; `auto_lock` wipes the unlocked state after that
    /// long unused (the CLI, which exits anyway, passes `None`).
    pub fn new(path: impl Into<PathBuf>, auto_lock: Option<Duration>) -> Self {
        Self {
            path: path.into(),
            auto_lock,
            state: Mutex::new(None),
            clock: Instant::now,
        }
    }

    /// The vault file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// True when the vault file exists.
    pub fn exists(&self) -> bool {
        self.path.exists()
    }

    /// Creates an empty vault file protected by `passphrase` and leaves it unlocked.
    /// Refuses to replace an existing file.
    pub fn create(&self, passphrase: SecretString) -> Result<(), KeychainError> {
        if self.exists() {
            return Err(damaged(format!(
                "{} already exists; unlock it instead of creating a new one",
                self.path.display()
            )));
        }
        let document = Document {
            format: FORMAT.into(),
            version: 1,
            items: Vec::new(),
        };
        self.save(&passphrase, &document)?;
        *self.lock_state() = Some(Unlocked {
            passphrase,
            document,
            seen: stamp(&self.path),
            last_used: (self.clock)(),
        });
        Ok(())
    }

    /// Opens the vault with `passphrase`; a wrong one changes nothing.
    pub fn unlock(&self, passphrase: SecretString) -> Result<(), KeychainError> {
        let document = load(&self.path, &passphrase)?;
        *self.lock_state() = Some(Unlocked {
            passphrase,
            document,
            seen: stamp(&self.path),
            last_used: (self.clock)(),
        });
        Ok(())
    }

    /// Forgets the passphrase and the decrypted items.
    pub fn lock(&self) {
        *self.lock_state() = None;
    }

    /// True when the vault must be unlocked before use (including after the auto-lock).
    pub fn is_locked(&self) -> bool {
        let mut state = self.lock_state();
        self.expire(&mut state);
        state.is_none()
    }

    fn lock_state(&self) -> std::sync::MutexGuard<'_, Option<Unlocked>> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn expire(&self, state: &mut Option<Unlocked>) {
        if let (Some(limit), Some(unlocked)) = (self.auto_lock, state.as_ref()) {
            if (self.clock)().saturating_duration_since(unlocked.last_used) >= limit {
                *state = None;
            }
        }
    }

    fn save(&self, passphrase: &SecretString, document: &Document) -> Result<(), KeychainError> {
        let unwritten = |why: String| {
            KeychainError::LocalFile(format!(
                "{} could not be written: {why}",
                self.path.display()
            ))
        };
        let json = SecretBytes::from(
            serde_json::to_vec(document)
                .map_err(|_| unwritten("it could not be encoded".into()))?,
        );
        let sealed = sealed::seal(json.expose_secret(), passphrase, Some(VAULT_WORK_FACTOR))
            .map_err(|e| unwritten(e.to_string()))?;
        crate::files::write_atomic(&self.path, &sealed)
            .map_err(|e| unwritten(crate::files::describe(&e)))
    }

    /// Runs `op` on the unlocked document, reloading it first if another process changed the file.
    fn with_document<T>(
        &self,
        op: impl FnOnce(&mut Unlocked) -> Result<T, KeychainError>,
    ) -> Result<T, KeychainError> {
        let mut state = self.lock_state();
        self.expire(&mut state);
        let unlocked = state.as_mut().ok_or(KeychainError::VaultLocked)?;
        let now_seen = stamp(&self.path);
        if now_seen != unlocked.seen {
            unlocked.document = load(&self.path, &unlocked.passphrase)?;
            unlocked.seen = now_seen;
        }
        unlocked.last_used = (self.clock)();
        op(unlocked)
    }

    fn position(document: &Document, item: &ItemId) -> Option<usize> {
        let service = item.service();
        document
            .items
            .iter()
            .position(|i| i.service == service && i.account == item.account)
    }

    /// Applies a change to a copy, writes it, and only then adopts it: a failed write
    /// leaves both the file and the unlocked state as they were.
    fn change(&self, edit: impl FnOnce(&mut Document) -> bool) -> Result<bool, KeychainError> {
        self.with_document(|unlocked| {
            let mut next = unlocked.document.clone();
            if !edit(&mut next) {
                return Ok(false);
            }
            self.save(&unlocked.passphrase, &next)?;
            unlocked.document = next;
            unlocked.seen = stamp(&self.path);
            Ok(true)
        })
    }
}

impl SecretStore for FileVault {
    fn backend(&self) -> &'static str {
        "encrypted vault file"
    }

    fn read(&self, item: &ItemId) -> Result<Option<SecretBytes>, KeychainError> {
        self.with_document(|unlocked| {
            Ok(Self::position(&unlocked.document, item)
                .map(|i| SecretBytes::from(unlocked.document.items[i].value.as_bytes().to_vec())))
        })
    }

    fn write(&self, item: &ItemId, value: &SecretBytes) -> Result<(), KeychainError> {
        let text = std::str::from_utf8(value.expose_secret())
            .map_err(|_| KeychainError::Platform("the vault file stores text items only".into()))?;
        self.change(|document| {
            let new = Item {
                service: item.service(),
                account: item.account.clone(),
                value: text.to_owned(),
            };
            match Self::position(document, item) {
                Some(i) => document.items[i] = new,
                None => document.items.push(new),
            }
            true
        })
        .map(|_| ())
    }

    fn delete(&self, item: &ItemId) -> Result<bool, KeychainError> {
        self.change(|document| match Self::position(document, item) {
            Some(i) => {
                document.items.remove(i);
                true
            }
            None => false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keychain::ItemKind;

    fn vault() -> (tempfile::TempDir, FileVault) {
        let dir = tempfile::tempdir().unwrap();
        let vault = FileVault::new(dir.path().join("vault.age"), None);
        (dir, vault)
    }

    #[test]
    fn items_round_trip_through_the_encrypted_file() {
        let (_dir, vault) = vault();
        vault
            .create(SecretString::from("a long passphrase"))
            .unwrap();
        let item = ItemId::new(ItemKind::RecoveryCodes, "alice");
        vault
            .write(&item, &SecretBytes::from(b"{\"v\":1}".to_vec()))
            .unwrap();
        let on_disk = std::fs::read(vault.path()).unwrap();
        assert!(on_disk.starts_with(b"age-encryption.org/v1"));
        assert!(!String::from_utf8_lossy(&on_disk).contains("alice"));

        // Another handle (another process) sees it after unlocking.
        let other = FileVault::new(vault.path(), None);
        assert_eq!(other.read(&item), Err(KeychainError::VaultLocked));
        assert_eq!(
            other.unlock(SecretString::from("wrong passphrase")),
            Err(KeychainError::VaultWrongPassphrase)
        );
        other
            .unlock(SecretString::from("a long passphrase"))
            .unwrap();
        assert_eq!(
            other.read(&item).unwrap().unwrap().expose_secret(),
            b"{\"v\":1}"
        );

        // A change through one handle is seen by the other.
        other.delete(&item).unwrap();
        assert_eq!(vault.read(&item).unwrap(), None);
        assert!(!vault.delete(&item).unwrap());
    }

    /// A real full disk: a small tmpfs. Mounting needs root (as in CI); elsewhere the test says
    /// so and stops.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_full_disk_is_named_and_the_vault_is_unchanged() {
        use std::io::Write;
        struct Mounted<'a>(&'a Path);
        impl Drop for Mounted<'_> {
            fn drop(&mut self) {
                let _ = std::process::Command::new("umount").arg(self.0).status();
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=256k", "tmpfs"])
            .arg(dir.path())
            .stderr(std::process::Stdio::null())
            .status();
        if !mounted.is_ok_and(|s| s.success()) {
            eprintln!("skipped: mounting a small tmpfs needs root");
            return;
        }
        let _unmount = Mounted(dir.path());
        let vault = FileVault::new(dir.path().join("vault.age"), None);
        vault
            .create(SecretString::from("a long passphrase"))
            .unwrap();
        let kept = ItemId::new(ItemKind::Totp, "kept");
        vault
            .write(&kept, &SecretBytes::from(b"{\"v\":1}".to_vec()))
            .unwrap();
        let mut filler = std::fs::File::create(dir.path().join("filler")).unwrap();
        while filler.write_all(&[0; 4096]).is_ok() {}

        let error = vault
            .write(
                &ItemId::new(ItemKind::Totp, "more"),
                &SecretBytes::from(vec![b'x'; 8192]),
            )
            .unwrap_err();
        let message = error.to_string();
        assert!(matches!(error, KeychainError::LocalFile(_)), "{error:?}");
        assert!(
            message.contains("the disk is full") && message.ends_with("Nothing was changed."),
            "{message}"
        );
        let other = FileVault::new(vault.path(), None);
        other
            .unlock(SecretString::from("a long passphrase"))
            .unwrap();
        assert_eq!(
            other.read(&kept).unwrap().unwrap().expose_secret(),
            b"{\"v\":1}"
        );
    }

    /// A clock the test moves: minutes since a fixed start.
    static MINUTES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    fn test_clock() -> Instant {
        static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
        let minutes = MINUTES.load(std::sync::atomic::Ordering::SeqCst);
        *START.get_or_init(Instant::now) + Duration::from_secs(60 * minutes)
    }

    #[test]
    fn it_locks_itself_and_on_request() {
        let dir = tempfile::tempdir().unwrap();
        let vault = FileVault {
            clock: test_clock,
            ..FileVault::new(dir.path().join("v.age"), Some(Duration::from_secs(5 * 60)))
        };
        let later = |minutes| MINUTES.fetch_add(minutes, std::sync::atomic::Ordering::SeqCst);
        vault
            .create(SecretString::from("a long passphrase"))
            .unwrap();
        let item = ItemId::new(ItemKind::Totp, "x");
        later(4);
        assert_eq!(vault.read(&item), Ok(None), "4 minutes: still open");
        later(4);
        assert!(!vault.is_locked(), "using it restarted the count");
        later(1);
        assert!(vault.is_locked(), "5 minutes unused");
        assert_eq!(vault.read(&item), Err(KeychainError::VaultLocked));
        vault
            .unlock(SecretString::from("a long passphrase"))
            .unwrap();
        vault.lock();
        assert!(vault.is_locked());
        assert!(
            vault.create(SecretString::from("another one")).is_err(),
            "never replaces a vault"
        );
    }
}
