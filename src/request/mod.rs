//! The account-recovery request: which path the user needs, the request model and its
//! validation, the safety guard over everything public, and rendering of the public issue,
//! the form URL and the private email to support@pypi.org.

mod guard;
mod model;
mod path;
mod questions;
mod render;
pub mod store;

pub use guard::{scan, Finding, FindingKind};
pub use model::{FieldError, PrivateEvidence, Request, RequestError, CURRENT_VERSION};
pub use path::{
    find_path, EmailAccess, Factor, Network, PasswordState, Path, PathAdvice, Site, Situation,
    YesNo, REASON_EMAIL, REASON_TWO_FACTOR,
};
pub use questions::{path_step, Answers, Choice, PathStep, Question, QuestionId};
pub use render::{
    email_body, email_subject, form_url, issue_body, issue_html, mailto_url, Preview, FORM_URL,
    MAILTO_LIMIT, OPTION_ACK, OPTION_COC, OPTION_CODES, SUPPORT_EMAIL,
};

/// Everything that stops a request from being ready: validation errors and guard findings.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Check {
    /// Missing or malformed fields.
    pub errors: Vec<FieldError>,
    /// Things in public fields that must not be posted.
    pub findings: Vec<Finding>,
}

impl Check {
    /// True when the request is complete and safe to post.
    pub fn ready(&self) -> bool {
        self.errors.is_empty() && self.findings.is_empty()
    }
}

/// Validates the request and scans its public fields.
pub fn check(request: &Request) -> Check {
    Check {
        errors: request.validate(),
        findings: scan(request),
    }
}
