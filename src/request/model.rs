//! The request model, which is also the draft and export format (versioned JSON).

use serde::{Deserialize, Serialize};

/// The only format version this app reads and writes.
pub const CURRENT_VERSION: u32 = 1;
/// PyPI's longest username.
const MAX_USERNAME: usize = 50;
/// The largest request file we read; a real one is a few KiB.
pub const MAX_REQUEST_BYTES: usize = 256 * 1024;

/// An account-recovery request. Public fields go into the GitHub issue; `private` goes only
/// into the email to support@pypi.org.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct Request {
    /// Format version; always [`CURRENT_VERSION`].
    pub version: u32,
    /// The PyPI username (public).
    #[serde(default)]
    pub username: String,
    /// Why access was lost (public).
    #[serde(default)]
    pub reason: String,
    /// "I never generated or have lost access to the recovery codes for my account".
    #[serde(default)]
    pub recovery_codes_lost: bool,
    /// "I agree to follow the PSF Code of Conduct".
    #[serde(default)]
    pub code_of_conduct: bool,
    /// "I understand that it may take a significant amount of time …".
    #[serde(default)]
    pub acknowledge_delay: bool,
    /// Evidence for support's eyes only.
    #[serde(default)]
    pub private: PrivateEvidence,
}

/// Personal evidence that the account is yours. Every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct PrivateEvidence {
    /// Email addresses the account has used.
    #[serde(default)]
    pub emails: Vec<String>,
    /// The address the account should use from now on.
    #[serde(default)]
    pub new_email: String,
    /// Projects the account maintains.
    #[serde(default)]
    pub projects: Vec<String>,
    /// Roughly when the account was created.
    #[serde(default)]
    pub account_created: String,
    /// Anything else that helps.
    #[serde(default)]
    pub details: String,
}

/// One problem with one field, for inline errors and the error summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FieldError {
    /// The field, as a JSON path: `username`, `private.emails[1]`.
    pub field: String,
    /// What is wrong and how to fix it.
    pub message: String,
}

/// Why a request file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    /// Not JSON, or not our shape. The message never quotes values from the file.
    #[error("The request file is not valid: {0}")]
    Malformed(String),
    /// A version this app does not know.
    #[error("The request file is format version {0}; this app reads version 1. Update the app, or recreate the request.")]
    UnsupportedVersion(u64),
    /// Larger than any real request.
    #[error("The request file is too large (over 256 KiB) to be a recovery request.")]
    TooLarge,
    /// The file itself could not be read (not a regular file, gone).
    #[error("{0}")]
    File(crate::files::ReadError),
}

impl Request {
    /// An empty request (the wizard's starting point).
    pub fn empty() -> Self {
        Self {
            version: CURRENT_VERSION,
            username: String::new(),
            reason: String::new(),
            recovery_codes_lost: false,
            code_of_conduct: false,
            acknowledge_delay: false,
            private: PrivateEvidence::default(),
        }
    }

    /// Reads a request file the user chose: a regular file, its size checked before reading.
    pub fn read_file(path: &std::path::Path) -> Result<Self, RequestError> {
        use crate::files::{read_regular_file, ReadError};
        match read_regular_file(path, MAX_REQUEST_BYTES as u64) {
            Ok(bytes) => Self::from_json(bytes.expose_secret()),
            Err(ReadError::TooLarge { .. }) => Err(RequestError::TooLarge),
            Err(error) => Err(RequestError::File(error)),
        }
    }

    /// Reads a request from JSON, refusing unknown fields and versions.
    pub fn from_json(bytes: &[u8]) -> Result<Self, RequestError> {
        if bytes.len() > MAX_REQUEST_BYTES {
            return Err(RequestError::TooLarge);
        }
        // Read the version first so a future format gets the right message, not "unknown field".
        let value: serde_json::Value = serde_json::from_slice(bytes).map_err(describe)?;
        match value.get("version").map(|v| v.as_u64()) {
            Some(Some(1)) => {}
            Some(Some(other)) => return Err(RequestError::UnsupportedVersion(other)),
            Some(None) => {
                return Err(RequestError::Malformed(
                    "\"version\" must be the number 1".into(),
                ))
            }
            None => {
                return Err(RequestError::Malformed(
                    "it has no \"version\" field".into(),
                ))
            }
        }
        serde_json::from_value(value).map_err(describe)
    }

    /// The normalised request as pretty JSON, which `from_json` reads back. Files are written
    /// through the store, which checks for secrets first.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string_pretty(self)
    }

    /// The username as it goes into the form, without the backticks users sometimes type.
    pub fn clean_username(&self) -> &str {
        self.username.trim().trim_matches('`').trim()
    }

    /// Field-level problems; empty when the request is complete.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let mut push = |field: &str, message: &str| {
            errors.push(FieldError {
                field: field.to_owned(),
                message: message.to_owned(),
            });
        };
        let username = self.clean_username();
        if username.is_empty() {
            push("username", "Enter your PyPI username");
        } else if username.contains('@') {
            push("username", "Your username is not your email address: enter the name you sign in to PyPI with. Your email address goes only in the private email to PyPI support.");
        } else if is_placeholder(username) {
            push("username", "Support needs the username itself, not a placeholder. If you don't know it, use “Forgot your username?” to find it from a project you maintain.");
        } else if username.starts_with(['"', '\'', '<', '[', '(', '{'])
            || username.ends_with(['"', '\'', '>', ']', ')', '}'])
        {
            push(
                "username",
                "Leave out quotes and brackets: the app adds the backticks the form asks for.",
            );
        } else if username.chars().count() > MAX_USERNAME {
            push("username", "PyPI usernames are at most 50 characters");
        } else if !valid_username(username) {
            push("username", "PyPI usernames use only letters, digits, dots, underscores and hyphens, and start and end with a letter or digit");
        }
        if self.reason.trim().is_empty() {
            push(
                "reason",
                "Say why you cannot sign in, for example “Lost access to email address”",
            );
        }
        if !self.recovery_codes_lost {
            push("recovery_codes_lost", "Confirm that you never generated, or have lost, your recovery codes. If you still have one, sign in with it instead.");
        }
        if !self.code_of_conduct {
            push("code_of_conduct", "Agree to follow the PSF Code of Conduct");
        }
        if !self.acknowledge_delay {
            push(
                "acknowledge_delay",
                "Confirm that you understand recovery can take a long time",
            );
        }
        for (i, email) in self.private.emails.iter().enumerate() {
            if !email.trim().is_empty() && !looks_like_email(email.trim()) {
                push(
                    &format!("private.emails[{i}]"),
                    "Enter an email address like name@example.com",
                );
            }
        }
        if !self.private.new_email.trim().is_empty()
            && !looks_like_email(self.private.new_email.trim())
        {
            push(
                "private.new_email",
                "Enter an email address like name@example.com",
            );
        }
        errors
    }
}

/// What people type when they don't know their username (pypi/support, 2025–26). Names
/// that could be real usernames ("unknown", "none") are left alone.
fn is_placeholder(name: &str) -> bool {
    let lower = name.to_lowercase();
    [
        "forgot",
        "don't know",
        "dont know",
        "do not know",
        "not sure",
        "n/a",
        "no idea",
    ]
    .iter()
    .any(|w| lower.contains(w))
        || lower
            .chars()
            .all(|c| matches!(c, '?' | '-' | '.' | '*' | ' '))
}

fn valid_username(name: &str) -> bool {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
    name.chars().all(allowed)
        && name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
        && name
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_alphanumeric())
}

fn looks_like_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !text.chars().any(char::is_whitespace)
}

/// Describes a JSON error by position and category only: serde's own messages can quote the
/// offending value, which might be a secret pasted into the wrong field.
fn describe(error: serde_json::Error) -> RequestError {
    use serde_json::error::Category;
    let at = format!("line {}, column {}", error.line(), error.column());
    let text = error.to_string();
    let message = match error.classify() {
        Category::Syntax | Category::Eof => format!("it is not valid JSON ({at})"),
        Category::Io => "it could not be read".to_owned(),
        Category::Data if text.starts_with("unknown field") => {
            let field = text.split('`').nth(1).unwrap_or("?");
            format!("it has a field this version does not know: \"{field}\"")
        }
        Category::Data => format!(
            "a field has the wrong type, for example text where true or false belongs ({at})"
        ),
    };
    RequestError::Malformed(message)
}
