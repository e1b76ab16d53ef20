//! Where the wizard keeps its draft and the log of hand-offs. Drafts hold personal data
//! (email addresses), never secrets: they are written atomically with mode 0600.

use super::model::Request;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use time::{Duration, OffsetDateTime};

/// Days after a hand-off before the app suggests a polite follow-up.
pub const FOLLOW_UP_AFTER_DAYS: i64 = 14;

/// Why a draft or the log could not be read or written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// Writing failed; the previous file is untouched.
    #[error("The file could not be saved: {0} The previous one is untouched.")]
    Write(String),
    /// The request holds a secret, so the file (an export) was not written.
    #[error("Not saved: the {field} holds what looks like {what}, and a request file never holds a secret. Remove it, then save again.")]
    HoldsSecret {
        /// Which field ("reason", "details", …).
        field: &'static str,
        /// What it looks like ("a recovery code").
        what: &'static str,
    },
    /// The request holds a secret, so the draft was not saved, and any saved draft was deleted.
    #[error("Not saved to disk, and any saved draft was deleted: the {field} holds what looks like {what}. Remove it and saving resumes; until then this request lives only in this window.")]
    DraftHoldsSecret {
        /// Which field ("reason", "details", …).
        field: &'static str,
        /// What it looks like ("a recovery code").
        what: &'static str,
    },
    /// The list of earlier hand-offs was unreadable and has been moved aside; nothing was
    /// written over it.
    #[error("The list of your earlier hand-offs could not be read, so it was set aside as {0}. Nothing else was changed; the next hand-off starts a new list.")]
    LogSetAside(String),
    /// The draft was unreadable and has been moved aside.
    #[error("The saved draft could not be read, so it was set aside as {0}. You can start again.")]
    SetAside(String),
}

/// Writes a request file (the draft or an export), atomically and readable only by the user.
/// A request holding a secret (a code, a token, a stated password) is not written: drafts and
/// exports hold personal data, never secrets.
pub fn write_request(path: &Path, request: &Request) -> Result<(), StoreError> {
    if let Some((field, kind)) = super::guard::first_secret(request) {
        return Err(StoreError::HoldsSecret {
            field,
            what: kind.noun(),
        });
    }
    crate::files::write_chosen(path, &pretty_json(request)?)
        .map_err(|e| StoreError::Write(crate::files::describe(&e)))
}

/// The draft file and the submission log in one directory.
#[derive(Clone)]
pub struct RequestStore {
    dir: PathBuf,
}

/// One hand-off of a request to GitHub.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Submission {
    /// The PyPI username of the request.
    pub username: String,
    /// When the user opened the form (RFC 3339, UTC).
    pub handed_off: String,
    /// The issue link, once the user has it.
    pub issue_url: Option<String>,
    /// When to follow up if nothing has happened (RFC 3339 date).
    pub follow_up: String,
}

impl RequestStore {
    /// A store in `dir` (the app's data directory).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    fn draft_path(&self) -> PathBuf {
        self.dir.join("draft.json")
    }

    fn log_path(&self) -> PathBuf {
        self.dir.join("submissions.json")
    }

    /// Saves the draft atomically (temp file, fsync, rename), readable only by the user, unless
    /// it holds a secret.
    pub fn save_draft(&self, request: &Request) -> Result<(), StoreError> {
        match write_request(&self.draft_path(), request) {
            Err(StoreError::HoldsSecret { field, what }) => {
                // An earlier save may hold the start of what is now a whole code (typed from
                // paper, saved mid-way): that draft must not outlive it.
                let _ = std::fs::remove_file(self.draft_path());
                Err(StoreError::DraftHoldsSecret { field, what })
            }
            result => result,
        }
    }

    /// The saved draft, if any. An unreadable draft is renamed aside (never deleted, never
    /// a crash) and reported.
    pub fn load_draft(&self) -> Result<Option<Request>, StoreError> {
        let path = self.draft_path();
        let Ok(bytes) = std::fs::read(&path) else {
            return Ok(None);
        };
        match Request::from_json(&bytes) {
            Ok(request) => Ok(Some(request)),
            Err(_) => Err(StoreError::SetAside(self.set_aside(&path, "draft")?)),
        }
    }

    /// Renames an unreadable file to `{name}.unreadable-{time}.json` beside it (never deleted:
    /// the user may want it back) and returns the new path. An earlier one set aside in the
    /// same second keeps its name: a rename would replace it.
    fn set_aside(&self, path: &Path, name: &str) -> Result<String, StoreError> {
        let time = OffsetDateTime::now_utc().unix_timestamp();
        let aside = (0u32..)
            .map(|n| match n {
                0 => self.dir.join(format!("{name}.unreadable-{time}.json")),
                n => self.dir.join(format!("{name}.unreadable-{time}-{n}.json")),
            })
            .find(|candidate| !candidate.exists())
            .ok_or_else(|| StoreError::Write("no free name to set it aside under.".into()))?;
        std::fs::rename(path, &aside).map_err(|e| StoreError::Write(crate::files::describe(&e)))?;
        Ok(aside.display().to_string())
    }

    /// Deletes the draft ("Forget this draft").
    pub fn forget_draft(&self) -> Result<(), StoreError> {
        match std::fs::remove_file(self.draft_path()) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                Err(StoreError::Write(crate::files::describe(&e)))
            }
            _ => Ok(()),
        }
    }

    /// Every recorded hand-off, oldest first.
    /// None yet is an empty list; an unreadable one is set aside and reported, so it is never
    /// silently replaced by a new list.
    pub fn submissions(&self) -> Result<Vec<Submission>, StoreError> {
        let path = self.log_path();
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            // Unreadable is not empty: a new list must not be written over it.
            Err(e) => return Err(StoreError::Write(crate::files::describe(&e))),
        };
        serde_json::from_slice(&bytes).or_else(|_| {
            Err(StoreError::LogSetAside(
                self.set_aside(&path, "submissions")?,
            ))
        })
    }

    /// Earlier hand-offs for the same username (case-insensitive), for the duplicate warning.
    pub fn earlier_for(&self, username: &str) -> Result<Vec<Submission>, StoreError> {
        Ok(self
            .submissions()?
            .into_iter()
            .filter(|s| s.username.eq_ignore_ascii_case(username.trim()))
            .collect())
    }

    /// Records a hand-off at `now`; the follow-up date is 14 days later.
    pub fn record_submission(
        &self,
        username: &str,
        now: OffsetDateTime,
    ) -> Result<Submission, StoreError> {
        let submission = Submission {
            username: username.trim().to_owned(),
            handed_off: crate::timestamp(now),
            issue_url: None,
            follow_up: (now + Duration::days(FOLLOW_UP_AFTER_DAYS))
                .date()
                .to_string(),
        };
        // Read, change, write under the same cross-process lock as the stored codes and TOTP
        // backups: two windows (or the app and the CLI) recording at once would otherwise lose
        // one of the two.
        let _lock = lock()?;
        let mut all = self.submissions()?;
        all.push(submission.clone());
        write_atomic(&self.log_path(), &pretty_json(&all)?)?;
        Ok(submission)
    }
}

impl RequestStore {
    /// Remembers the issue link the user tracked, on the newest hand-off that has none, so
    /// "Track my request" can offer it next time.
    pub fn remember_issue_url(&self, url: &str) -> Result<(), StoreError> {
        let _lock = lock()?;
        let mut all = self.submissions()?;
        if all.iter().any(|s| s.issue_url.as_deref() == Some(url)) {
            return Ok(());
        }
        if let Some(newest) = all.iter_mut().rev().find(|s| s.issue_url.is_none()) {
            newest.issue_url = Some(url.to_owned());
            write_atomic(&self.log_path(), &pretty_json(&all)?)?;
        }
        Ok(())
    }

    /// The newest issue link in the submission log.
    pub fn latest_issue_url(&self) -> Result<Option<String>, StoreError> {
        Ok(self
            .submissions()?
            .into_iter()
            .rev()
            .find_map(|s| s.issue_url))
    }
}

fn lock() -> Result<crate::keychain::UpdateLock, StoreError> {
    crate::keychain::UpdateLock::acquire().map_err(|e| StoreError::Write(e.to_string()))
}

/// A file's JSON. Our records cannot fail to encode, but if one ever did, nothing is written
/// rather than an empty file over a good one.
fn pretty_json<T: Serialize>(value: &T) -> Result<Vec<u8>, StoreError> {
    serde_json::to_vec_pretty(value)
        .map_err(|_| StoreError::Write("it could not be encoded.".into()))
}

/// Writes `bytes` to `path` so that a crash leaves either the old file or the new one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    crate::files::write_atomic(path, bytes)
        .map_err(|e| StoreError::Write(crate::files::describe(&e)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn hand_offs_get_a_follow_up_date_fourteen_days_later_and_are_found_again() {
        let dir = tempfile::tempdir().unwrap();
        let store = RequestStore::new(dir.path());
        let first = store
            .record_submission("mirafoss", datetime!(2026-11-23 22:30 UTC))
            .unwrap();
        assert_eq!(first.handed_off, "2026-11-23T22:30:00Z");
        assert_eq!(first.follow_up, "2026-12-07");
        store
            .record_submission("other", datetime!(2026-12-30 0:00 UTC))
            .unwrap();
        assert_eq!(store.earlier_for(" MiraFoss ").unwrap(), vec![first]);
        assert_eq!(store.submissions().unwrap().len(), 2);
    }

    /// A damaged log is kept aside, said so, and never overwritten by the next hand-off.
    #[test]
    fn an_unreadable_log_is_set_aside_with_a_message() {
        let dir = tempfile::tempdir().unwrap();
        let store = RequestStore::new(dir.path());
        store
            .record_submission("alice", datetime!(2026-11-01 10:00 UTC))
            .unwrap();
        let damaged = b"[{\"username\": \"alice\", \"handed_off\":";
        std::fs::write(store.log_path(), damaged).unwrap();

        let error = store.record_submission("bob", datetime!(2026-11-02 10:00 UTC));
        let Err(StoreError::LogSetAside(aside)) = error else {
            panic!("{error:?}");
        };
        assert_eq!(std::fs::read(&aside).unwrap(), damaged, "kept as it was");
        assert!(!store.log_path().exists(), "nothing written in its place");
        assert!(StoreError::LogSetAside(aside.clone())
            .to_string()
            .contains(&aside));

        // Then a fresh list starts; the reading calls report a damaged log the same way.
        store
            .record_submission("bob", datetime!(2026-11-02 10:00 UTC))
            .unwrap();
        assert_eq!(store.submissions().unwrap().len(), 1);
        std::fs::write(store.log_path(), b"not json").unwrap();
        assert!(matches!(
            store.latest_issue_url(),
            Err(StoreError::LogSetAside(_))
        ));
        assert_eq!(store.earlier_for("bob").unwrap(), []);
        let aside = std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| {
                let name = e.as_ref().unwrap().file_name();
                name.to_string_lossy()
                    .starts_with("submissions.unreadable-")
            })
            .count();
        assert_eq!(
            aside, 2,
            "both damaged logs are kept, even within one second"
        );
    }

    /// A log that cannot be read at all (here a folder in its place) is not an empty one.
    #[test]
    fn an_unreadable_log_is_never_written_over() {
        let dir = tempfile::tempdir().unwrap();
        let store = RequestStore::new(dir.path());
        std::fs::create_dir_all(store.log_path().join("kept")).unwrap();
        let read = store.earlier_for("bob");
        assert!(
            matches!(read, Err(StoreError::Write(_))),
            "not an empty list: {read:?}"
        );
        let error = store.record_submission("bob", datetime!(2026-11-02 10:00 UTC));
        assert!(matches!(error, Err(StoreError::Write(_))), "{error:?}");
        assert!(store.log_path().join("kept").exists());
    }

    #[test]
    fn a_tracked_issue_link_is_remembered_on_the_newest_hand_off() {
        let dir = tempfile::tempdir().unwrap();
        let store = RequestStore::new(dir.path());
        let url = "https://github.com/pypi/support/issues/4321";
        store.remember_issue_url(url).unwrap();
        assert_eq!(
            store.latest_issue_url().unwrap(),
            None,
            "no hand-off to attach it to"
        );
        store
            .record_submission("alice", datetime!(2026-11-01 10:00 UTC))
            .unwrap();
        store
            .record_submission("alice", datetime!(2026-11-02 10:00 UTC))
            .unwrap();
        store.remember_issue_url(url).unwrap();
        store.remember_issue_url(url).unwrap();
        let log = store.submissions().unwrap();
        assert_eq!(log[0].issue_url, None);
        assert_eq!(log[1].issue_url.as_deref(), Some(url));
        assert_eq!(store.latest_issue_url().unwrap().as_deref(), Some(url));
    }

    /// Hand-offs recorded at the same moment from several places are all kept.
    #[test]
    fn concurrent_hand_offs_are_all_recorded() {
        let dir = tempfile::tempdir().unwrap();
        let store = RequestStore::new(dir.path());
        std::thread::scope(|scope| {
            for thread in 0..6 {
                let store = store.clone();
                scope.spawn(move || {
                    for i in 0..8 {
                        let name = format!("user{thread}x{i}");
                        store
                            .record_submission(&name, datetime!(2026-12-01 10:00 UTC))
                            .unwrap();
                    }
                });
            }
        });
        assert_eq!(store.submissions().unwrap().len(), 48);
    }
}
