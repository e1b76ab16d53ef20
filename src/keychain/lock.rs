//! A cross-process lock around read-modify-write updates of keychain items. Keychains have
//! no compare-and-swap, so without it the CLI and the app could each read a set, mark a
//! different code used, and the second write would silently drop the first mark.

use super::{KeychainError, OPERATION_TIMEOUT};
use std::fs::{File, OpenOptions, TryLockError};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Held for the length of one update; released on drop (or when the process dies).
#[derive(Debug)]
pub struct UpdateLock {
    _file: File,
}

impl UpdateLock {
    /// Waits for the lock, giving up after [`OPERATION_TIMEOUT`].
    pub fn acquire() -> Result<Self, KeychainError> {
        let path = lock_path();
        if let Some(dir) = path.parent() {
            create_private_dir(dir)?;
        }
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| {
                KeychainError::LocalFile(format!(
                    "The update lock {} could not be opened: {}",
                    path.display(),
                    crate::files::describe(&e)
                ))
            })?;
        let deadline = Instant::now() + OPERATION_TIMEOUT;
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(Self { _file: file }),
                Err(TryLockError::WouldBlock) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(TryLockError::WouldBlock) => {
                    return Err(KeychainError::Timeout(OPERATION_TIMEOUT.as_secs()))
                }
                Err(TryLockError::Error(e)) => {
                    return Err(KeychainError::LocalFile(format!(
                        "The update lock could not be taken: {}",
                        crate::files::describe(&e)
                    )))
                }
            }
        }
    }
}

fn lock_path() -> PathBuf {
    crate::data_dir().join("update.lock")
}

fn create_private_dir(dir: &std::path::Path) -> Result<(), KeychainError> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(|e| {
        KeychainError::LocalFile(format!(
            "The folder {} could not be created: {}",
            dir.display(),
            crate::files::describe(&e)
        ))
    })
}
