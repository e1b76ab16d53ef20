//! "Find my recovery codes on this computer": looks, only when asked, through the user's
//! Downloads, Documents and Desktop for files that hold a set of PyPI recovery codes. It
//! reads only small regular files, follows no symlink, writes nothing, and reports where each
//! set is and how many codes it holds, never a code.

use super::parse::{parse_codes, MAX_INPUT_BYTES};
use crate::files::{read_regular_file, ReadError};
use crate::secret::SecretBytes;
use regex::Regex;
use serde::Serialize;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

/// How deep below each folder the search goes (a file in `Downloads/a/b/c/` is 3 deep).
pub const MAX_DEPTH: usize = 3;
/// The most directory entries one search looks at, so a huge folder cannot stall it.
pub const MAX_ENTRIES: usize = 50_000;
/// How long a search may take before it stops and says so (a slow network drive).
pub const MAX_TIME: std::time::Duration = std::time::Duration::from_secs(20);

/// The site named in PyPI's download name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum CodesSite {
    /// `PyPI-Recovery-Codes-….txt`
    #[serde(rename = "PyPI")]
    Pypi,
    /// `TestPyPI-Recovery-Codes-….txt`
    #[serde(rename = "TestPyPI")]
    Testpypi,
}

impl CodesSite {
    /// The site's own name.
    pub fn name(self) -> &'static str {
        match self {
            CodesSite::Pypi => "PyPI",
            CodesSite::Testpypi => "TestPyPI",
        }
    }
}

/// A file that holds a set of recovery codes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FoundSet {
    /// Where the file is (shown lossily where it is not valid UTF-8).
    #[serde(serialize_with = "lossy_path")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub path: PathBuf,
    /// The account, from PyPI's download name.
    pub account: Option<String>,
    /// The site, from PyPI's download name.
    pub site: Option<CodesSite>,
    /// How many codes it holds.
    pub codes: u32,
}

fn lossy_path<S: serde::Serializer>(path: &Path, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&path.to_string_lossy())
}

/// How far a search has got, for a progress line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FindProgress {
    /// Folders looked into so far.
    pub folders: u32,
    /// Files read so far.
    pub files_read: u32,
    /// Sets found so far.
    pub found: u32,
}

/// What a search found, and what it could not look at.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FindReport {
    /// The sets, in the order found.
    pub sets: Vec<FoundSet>,
    /// The folders searched.
    #[cfg_attr(feature = "specta", specta(type = Vec<String>))]
    pub searched: Vec<PathBuf>,
    /// Folders that could not be opened (no permission, gone).
    pub unreadable_folders: u32,
    /// The search stopped before the end (too many entries, or the caller stopped it).
    pub stopped_early: bool,
}

/// The OS's own Downloads, Documents and Desktop folders that exist. Where the desktop has
/// not configured them (no `user-dirs.dirs` on Linux), the usual names under the home folder.
pub fn default_folders() -> Vec<PathBuf> {
    let home = dirs::home_dir();
    let or_home =
        |dir: Option<PathBuf>, name: &str| dir.or_else(|| home.as_ref().map(|h| h.join(name)));
    let mut folders: Vec<PathBuf> = [
        or_home(dirs::download_dir(), "Downloads"),
        or_home(dirs::document_dir(), "Documents"),
        or_home(dirs::desktop_dir(), "Desktop"),
    ]
    .into_iter()
    .flatten()
    .filter(|dir| dir.is_dir())
    .collect();
    // On a minimal system several of them are the home folder itself.
    folders.dedup();
    folders
}

/// Folders that hold code or caches, never a saved set: skipped so they cannot use up the
/// search's budget.
const SKIPPED: [&str; 4] = [".git", "node_modules", ".cache", "__pycache__"];

/// Searches `folders` (each up to [`MAX_DEPTH`] deep, each with its own [`MAX_ENTRIES`]).
/// `progress` is told after each folder and every 256 entries, and may stop the search (a
/// deadline, or the user cancelling).
pub fn find_code_files(
    folders: &[PathBuf],
    mut progress: impl FnMut(&FindProgress) -> ControlFlow<()>,
) -> FindReport {
    let mut report = FindReport::default();
    let mut counts = FindProgress::default();
    for root in folders {
        // The folder itself may be a link (Downloads on another disk); what is inside is not
        // followed.
        let Ok(root) = root.canonicalize() else {
            report.unreadable_folders += 1;
            continue;
        };
        // XDG may point two of them at the same place (often the home folder).
        if report.searched.contains(&root) {
            continue;
        }
        report.searched.push(root.clone());
        let mut entries = 0usize;
        let mut pending = vec![(root, 0usize)];
        while let Some((dir, depth)) = pending.pop() {
            let Ok(listing) = std::fs::read_dir(&dir) else {
                report.unreadable_folders += 1;
                continue;
            };
            counts.folders += 1;
            for entry in listing.flatten() {
                entries += 1;
                if entries > MAX_ENTRIES {
                    report.stopped_early = true;
                    pending.clear();
                    break;
                }
                if entries.is_multiple_of(256) && progress(&counts).is_break() {
                    report.stopped_early = true;
                    return report;
                }
                let Ok(kind) = entry.file_type() else {
                    continue;
                };
                let path = entry.path();
                if kind.is_dir() && depth < MAX_DEPTH {
                    if !SKIPPED.iter().any(|s| entry.file_name() == *s) {
                        pending.push((path, depth + 1));
                    }
                } else if kind.is_file() {
                    if let Some(set) = examine(&path, &mut counts) {
                        counts.found += 1;
                        report.sets.push(set);
                    }
                }
            }
            if progress(&counts).is_break() {
                report.stopped_early = true;
                return report;
            }
        }
    }
    report
}

fn examine(path: &Path, counts: &mut FindProgress) -> Option<FoundSet> {
    let size = std::fs::symlink_metadata(path).ok()?.len();
    if size > MAX_INPUT_BYTES as u64 || size == 0 {
        return None;
    }
    counts.files_read += 1;
    let bytes = read_small_file(path).ok()?;
    let codes = count_codes(bytes.expose_secret())?;
    let (site, account) = download_name(path);
    // A lone 16-hex line could be anything; PyPI's own file name vouches for it.
    if codes < 2 && site.is_none() {
        return None;
    }
    Some(FoundSet {
        path: path.to_owned(),
        account,
        site,
        codes,
    })
}

/// How many codes `bytes` holds when it is a whole set, as the normal import reads it.
fn count_codes(bytes: &[u8]) -> Option<u32> {
    if bytes.contains(&0) {
        return None;
    }
    let codes = parse_codes(bytes).ok()?;
    // A list of 16-digit numbers is not a set: 8 random codes with no letter a–f at all
    // happen once in 10^26.
    let has_letter = codes
        .iter()
        .any(|c| c.expose_secret().bytes().any(|b| b.is_ascii_alphabetic()));
    has_letter.then_some(codes.len() as u32)
}

/// Reads a found file again for the import: a regular file of at most 64 KiB, opened without
/// following a link or blocking on a FIFO, into a buffer zeroized when dropped.
pub fn read_small_file(path: &Path) -> Result<SecretBytes, ReadError> {
    read_regular_file(path, MAX_INPUT_BYTES as u64)
}

/// PyPI's "Save" name: `{PyPI|TestPyPI}-Recovery-Codes-{username}-{ISO date}.txt`, also
/// with the colons browsers replace and the " (1)" they add to a second download.
static DOWNLOAD_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(test)?pypi-recovery-codes-(.+?)(?:-\d{4}-\d{2}-\d{2}(?:[T _]\d{2}[:_.\-]?\d{2}(?:[:_.\-]?\d{2})?(?:\.\d+)?Z?)?)?(?: ?\(\d+\))?\.txt$",
    )
    .expect("download-name pattern")
});

/// The site and account in PyPI's download name, if the file has one.
pub fn download_name(path: &Path) -> (Option<CodesSite>, Option<String>) {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return (None, None);
    };
    let Some(found) = DOWNLOAD_NAME.captures(name) else {
        return (None, None);
    };
    let site = if found.get(1).is_some() {
        CodesSite::Testpypi
    } else {
        CodesSite::Pypi
    };
    let account = found
        .get(2)
        .map(|m| m.as_str().to_owned())
        .filter(|a| !a.is_empty());
    (Some(site), account)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pypi_download_names_give_the_site_and_account() {
        for (name, site, account) in [
            (
                "PyPI-Recovery-Codes-alice-2024-05-01T12:00:00.txt",
                CodesSite::Pypi,
                "alice",
            ),
            (
                "PyPI-Recovery-Codes-mira-foss-2024-05-01T12_00_00.000Z.txt",
                CodesSite::Pypi,
                "mira-foss",
            ),
            (
                "TestPyPI-Recovery-Codes-bob_2-2025-01-02T03:04:05 (1).txt",
                CodesSite::Testpypi,
                "bob_2",
            ),
            ("pypi-recovery-codes-carol.txt", CodesSite::Pypi, "carol"),
        ] {
            let (s, a) = download_name(Path::new(name));
            assert_eq!((s, a.as_deref()), (Some(site), Some(account)), "{name}");
        }
        assert_eq!(download_name(Path::new("notes.txt")), (None, None));
        assert_eq!(
            download_name(Path::new("PyPI-Recovery-Codes-x.pdf")),
            (None, None)
        );
    }
}
