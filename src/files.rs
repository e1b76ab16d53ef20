//! Writing files so that a crash, a full disk or a killed process never leaves a half-written one.

use crate::secret::SecretBytes;
use std::io::{Read, Write};
use std::path::Path;
use std::time::{Duration, SystemTime};

/// Temporary files older than this, beside the file being written, are leftovers of a killed
/// write: a vault's may hold secrets the user has since removed (encrypted, but still).
const STALE_AFTER: Duration = Duration::from_secs(10 * 60);

/// Writes `bytes` to `path` (mode 0600, in a 0700 directory it creates if needed): first to a
/// new temporary file beside it, with a random name and exclusive create (so no planted file or
/// link is ever followed or reused), flushed to disk, then renamed over the old file, so a crash
/// at any point leaves either the old file or the new one, whole.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)?;
    let prefix = temp_prefix(path);
    remove_stale(dir, &prefix);
    // tempfile creates with O_EXCL and mode 0600, and removes the file if we fail below.
    let mut file = tempfile::Builder::new()
        .prefix(&prefix)
        .rand_bytes(12)
        .tempfile_in(dir)?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|e| e.error)?;
    if let Ok(dir) = std::fs::File::open(dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// What an I/O failure means, in words for people: a full disk and a folder that refuses
/// writing are named as such (the system's own text for them is cryptic); anything else is the
/// system's text.
pub fn describe(error: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match error.kind() {
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => {
            "the disk is full. Free some space, then try again.".into()
        }
        ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => {
            "the folder cannot be written to (permission denied, or read-only). Check its permissions, then try again.".into()
        }
        _ => format!("{error}."),
    }
}

/// Writes a file the user chose (an export): like [`write_atomic`], but never to a network
/// share, and never over anything that is not a regular file (a link, a folder, a device).
pub fn write_chosen(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if is_network_share(path) {
        return Err(std::io::Error::other(NETWORK_SHARE));
    }
    match std::fs::symlink_metadata(path) {
        Ok(existing) if !existing.is_file() => Err(std::io::Error::other(
            "it is not a regular file; choose another name",
        )),
        _ => write_atomic(path, bytes),
    }
}

const NETWORK_SHARE: &str =
    "it is on a network share, where others may read it on the way; choose a folder on this computer";

/// True for a Windows network (UNC) or device path: `\\server\share\…`, `\\?\UNC\…`,
/// `\\.\…`, `\\?\GLOBALROOT\…`. Secrets and requests are read and written on this computer
/// only. (A drive letter mapped to a share looks local here; only the OS knows.)
pub fn is_network_share(path: &Path) -> bool {
    use std::path::{Component, Prefix};
    match path.components().next() {
        Some(Component::Prefix(prefix)) => matches!(
            prefix.kind(),
            Prefix::UNC(..) | Prefix::VerbatimUNC(..) | Prefix::DeviceNS(..) | Prefix::Verbatim(..)
        ),
        // Only Windows parses prefixes; the same text is refused everywhere all the same.
        _ => path.to_str().is_some_and(|text| text.starts_with(r"\\")),
    }
}

/// Why a file the user chose (or the app found) could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// It is gone, or cannot be opened.
    #[error("The file could not be opened ({0}).")]
    Unreadable(String),
    /// It is a folder, a device, a pipe or a link, not a regular file.
    #[error("This is not a regular file. Choose the file itself.")]
    NotAFile,
    /// It is on a network share (a Windows UNC path).
    #[error(
        "The file is on a network share. Copy it to this computer first, then choose the copy."
    )]
    NetworkShare,
    /// It is larger than any file of its kind.
    #[error("The file is too large ({size} bytes; at most {max}).")]
    TooLarge {
        /// Its size in bytes.
        size: u64,
        /// The most this kind of file may have.
        max: u64,
    },
}

/// Reads a regular file of at most `max` bytes, checked before reading: it never follows a
/// link, never blocks on a FIFO or a device (`/dev/zero` is refused, not read forever), and
/// reads into a buffer that is zeroized when dropped.
pub fn read_regular_file(path: &Path, max: u64) -> Result<SecretBytes, ReadError> {
    let unreadable = |e: std::io::Error| ReadError::Unreadable(e.kind().to_string());
    if is_network_share(path) {
        return Err(ReadError::NetworkShare);
    }
    let before = std::fs::symlink_metadata(path).map_err(unreadable)?;
    if !before.is_file() {
        return Err(ReadError::NotAFile);
    }
    if before.len() > max {
        return Err(ReadError::TooLarge {
            size: before.len(),
            max,
        });
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(unreadable)?;
    let after = file.metadata().map_err(unreadable)?;
    if !after.is_file() || !same_file(&before, &after) {
        return Err(ReadError::NotAFile);
    }
    // Sized up front: a growing Vec would leave unzeroized copies of the bytes behind.
    let mut buffer = SecretBytes::from(Vec::with_capacity(
        usize::try_from(after.len().min(max)).unwrap_or(0) + 1,
    ));
    file.take(max + 1)
        .read_to_end(buffer.expose_secret_mut())
        .map_err(unreadable)?;
    let size = buffer.expose_secret().len() as u64;
    if size > max {
        return Err(ReadError::TooLarge { size, max });
    }
    Ok(buffer)
}

#[cfg(unix)]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    a.len() == b.len()
}

/// `.NAME.tmp-`: the start of every temporary file for `path`, now and in earlier versions.
fn temp_prefix(path: &Path) -> String {
    format!(
        ".{}.tmp-",
        path.file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or("file".into())
    )
}

/// Removes temporary files for the same target that a killed write left behind. Fresh ones
/// may belong to a write in progress in another process, so they stay.
fn remove_stale(dir: &Path, prefix: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        // Ours only: the prefix, then 12 random alphanumerics (now) or a process id (before).
        let Some(tail) = name.strip_prefix(prefix) else {
            continue;
        };
        let ours = (tail.len() == 12 && tail.bytes().all(|b| b.is_ascii_alphanumeric()))
            || (!tail.is_empty() && tail.bytes().all(|b| b.is_ascii_digit()));
        if !ours {
            continue;
        }
        let stale = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|modified| now.duration_since(modified).ok())
            .is_some_and(|age| age > STALE_AFTER);
        if stale {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The errors a full disk, a quota and a read-only mount give, as the kernel reports them.
    #[cfg(unix)]
    #[test]
    fn a_full_disk_is_named_as_such() {
        for errno in [libc::ENOSPC, libc::EDQUOT] {
            let said = describe(&std::io::Error::from_raw_os_error(errno));
            assert!(said.starts_with("the disk is full."), "{errno}: {said}");
        }
        for errno in [libc::EROFS, libc::EACCES] {
            let said = describe(&std::io::Error::from_raw_os_error(errno));
            assert!(said.contains("cannot be written to"), "{errno}: {said}");
        }
        let other = describe(&std::io::Error::from_raw_os_error(libc::EIO));
        assert!(
            other.ends_with('.') && other.contains("os error"),
            "{other}"
        );
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        // The longest name a file may have, so the temp file's longer name cannot be made.
        let path = dir.path().join("d".repeat(250));
        std::fs::write(&path, b"before").unwrap();
        assert!(write_atomic(&path, b"after").is_err());
        assert_eq!(std::fs::read(&path).unwrap(), b"before");
        assert_eq!(names(dir.path()), vec!["d".repeat(250)]);
    }

    #[cfg(unix)]
    #[test]
    fn a_planted_temp_name_is_never_followed_or_reused() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let victim = outside.path().join("bashrc");
        std::fs::write(&victim, b"original").unwrap();
        let path = dir.path().join("draft.json");
        // The name earlier versions used: `.draft.json.tmp-<pid>`.
        let planted = dir
            .path()
            .join(format!(".draft.json.tmp-{}", std::process::id()));
        std::os::unix::fs::symlink(&victim, &planted).unwrap();
        write_atomic(&path, b"{}").unwrap();
        assert_eq!(std::fs::read(&victim).unwrap(), b"original");
        assert_eq!(std::fs::read(&path).unwrap(), b"{}");
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }

    #[cfg(unix)]
    #[test]
    fn only_small_regular_files_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        assert!(std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success());
        assert_eq!(read_regular_file(&fifo, 100), Err(ReadError::NotAFile));
        assert_eq!(
            read_regular_file(Path::new("/dev/zero"), 100),
            Err(ReadError::NotAFile)
        );
        assert_eq!(read_regular_file(dir.path(), 100), Err(ReadError::NotAFile));
        let link = dir.path().join("link");
        let real = dir.path().join("real");
        std::fs::write(&real, b"hello").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        assert_eq!(read_regular_file(&link, 100), Err(ReadError::NotAFile));
        assert_eq!(
            read_regular_file(&real, 100).unwrap().expose_secret(),
            b"hello"
        );
        assert_eq!(
            read_regular_file(&real, 4),
            Err(ReadError::TooLarge { size: 5, max: 4 })
        );
        assert!(matches!(
            read_regular_file(&dir.path().join("gone"), 4),
            Err(ReadError::Unreadable(_))
        ));
    }

    #[test]
    fn stale_temp_files_are_removed_and_fresh_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.age");
        let stale = dir.path().join(".vault.age.tmp-4242");
        let fresh = dir.path().join(".vault.age.tmp-abcdef123456");
        let other = dir.path().join(".draft.json.tmp-4242");
        // A user's own file that merely starts like ours.
        let users = dir.path().join(".vault.age.tmp-x.txt");
        for file in [&stale, &fresh, &other, &users] {
            std::fs::write(file, b"old snapshot").unwrap();
        }
        let hour_ago = SystemTime::now() - Duration::from_secs(3600);
        for file in [&stale, &other, &users] {
            std::fs::File::options()
                .write(true)
                .open(file)
                .unwrap()
                .set_modified(hour_ago)
                .unwrap();
        }
        write_atomic(&path, b"new").unwrap();
        assert!(!stale.exists(), "a stale temp file was left");
        assert!(fresh.exists(), "a write in progress lost its temp file");
        assert!(other.exists(), "another file's temp was touched");
        // The file's own temp file never lingers either.
        assert_eq!(
            names(dir.path()),
            vec![
                ".draft.json.tmp-4242",
                ".vault.age.tmp-abcdef123456",
                ".vault.age.tmp-x.txt",
                "vault.age"
            ]
        );
    }

    #[test]
    fn network_shares_are_refused_for_reading_and_writing() {
        for share in [
            r"\\server\share\backup.age",
            r"\\?\UNC\server\share\r.json",
            r"\\.\pipe\x",
            r"\\?\GLOBALROOT\Device\Mup\s\x",
        ] {
            let path = Path::new(share);
            assert!(is_network_share(path), "{share}");
            assert_eq!(read_regular_file(path, 100), Err(ReadError::NetworkShare));
            let refused = write_chosen(path, b"{}").unwrap_err().to_string();
            assert!(refused.contains("network share"), "{refused}");
        }
        let dir = tempfile::tempdir().unwrap();
        assert!(!is_network_share(&dir.path().join("backup.age")));
        assert!(
            !is_network_share(Path::new("//usr/share/doc")),
            "POSIX `//` is local"
        );
    }

    #[test]
    fn a_chosen_file_is_never_written_through_a_link_or_over_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("bashrc");
        std::fs::write(&target, "untouched").unwrap();
        let link = dir.path().join("export.json");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert!(write_chosen(&link, b"{}").is_err());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "untouched");
        assert!(write_chosen(dir.path(), b"{}").is_err());
        let fresh = dir.path().join("fresh.json");
        write_chosen(&fresh, b"{}").unwrap();
        assert_eq!(std::fs::read(&fresh).unwrap(), b"{}");
    }
}
