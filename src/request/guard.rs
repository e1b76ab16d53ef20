//! The safety guard: scans every public field for what must never be posted in a public
//! GitHub issue. A finding names the field, the kind and what to do, and never repeats
//! what it found.

use super::model::Request;
use regex::Regex;
use serde::Serialize;
use std::sync::LazyLock;

/// What the guard found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// A PyPI recovery code (16 hex characters, possibly grouped or upper-case).
    RecoveryCode,
    /// A TOTP secret (base32) or an `otpauth://` link.
    TotpSecret,
    /// A 6-digit one-time code mentioned as such.
    OneTimeCode,
    /// A PyPI API token (`pypi-…`).
    ApiToken,
    /// An email address.
    Email,
    /// A phone number.
    Phone,
    /// A password stated in the text.
    Password,
    /// The 16-character verification token from PyPI's email.
    VerificationToken,
}

/// One thing that must come out of a public field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Finding {
    /// The public field: `username` or `reason`.
    pub field: String,
    /// What was found.
    pub kind: FindingKind,
    /// What to do about it, in plain words. Never contains the finding itself.
    pub message: String,
}

impl FindingKind {
    /// A secret (it opens the account, or proves control of it), not personal data. Text
    /// holding one is never written to disk: not in the draft, not in an export.
    pub fn is_secret(self) -> bool {
        !matches!(self, FindingKind::Email | FindingKind::Phone)
    }

    /// What was found, in a few words, for messages that must not repeat it.
    pub fn noun(self) -> &'static str {
        match self {
            FindingKind::RecoveryCode => "a recovery code",
            FindingKind::TotpSecret => "an authenticator secret",
            FindingKind::OneTimeCode => "a one-time code",
            FindingKind::ApiToken => "a PyPI API token",
            FindingKind::Email => "an email address",
            FindingKind::Phone => "a phone number",
            FindingKind::Password => "a password",
            FindingKind::VerificationToken => "PyPI's verification token",
        }
    }

    fn advice(self) -> &'static str {
        match self {
            FindingKind::RecoveryCode => "looks like a recovery code. Remove it: this issue is public, and support burns any code that leaks. If you still have an unused code, sign in with it instead.",
            FindingKind::TotpSecret => "looks like an authenticator secret or setup link. Remove it: anyone who sees it can make your 2FA codes.",
            FindingKind::OneTimeCode => "looks like a one-time 2FA code. Remove it; support never needs one.",
            FindingKind::ApiToken => "looks like a PyPI API token. Remove it, and revoke the token on PyPI if it might have leaked.",
            FindingKind::Email => "contains an email address. Remove it: addresses go only in the private email to support@pypi.org.",
            FindingKind::Phone => "contains what looks like a phone number. Remove it: personal details go only in the private email.",
            FindingKind::Password => "seems to state a password. Remove it, and change that password anywhere you still use it.",
            FindingKind::VerificationToken => "looks like the verification token from PyPI's email. Don't post it: reply to PyPI's email, and push the branch as that email says.",
        }
    }
}

struct Rule {
    kind: FindingKind,
    pattern: Regex,
    /// Extra test on the match, for shapes a regex alone would over-match.
    accept: fn(&str, &str, usize) -> bool,
}

fn always(_: &str, _: &str, _: usize) -> bool {
    true
}

static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    let rule = |kind, pattern: &str, accept| Rule {
        kind,
        pattern: Regex::new(pattern).expect("guard pattern"),
        accept,
    };
    vec![
        rule(
            FindingKind::TotpSecret,
            r"(?i)otpauth://|[?&]secret=[a-z2-7]{8,}",
            always,
        ),
        rule(FindingKind::ApiToken, r"\bpypi-[A-Za-z0-9_\-]{16,}", always),
        rule(
            FindingKind::RecoveryCode,
            r"(?i)\b[0-9a-f]{4}[ \-]?[0-9a-f]{4}[ \-]?[0-9a-f]{4}[ \-]?[0-9a-f]{4}\b",
            has_letters_and_digits,
        ),
        rule(
            FindingKind::TotpSecret,
            r"\b[A-Z2-7]{4}(?:[ ]?[A-Z2-7]{4}){3,}=*",
            base32_secret,
        ),
        rule(
            FindingKind::VerificationToken,
            r"\b[A-Za-z0-9]{16}\b",
            token_like,
        ),
        rule(
            FindingKind::Email,
            r"(?i)\b[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,}\b",
            always,
        ),
        rule(
            FindingKind::Email,
            r"(?i)\b[a-z0-9._%+\-]+\s*[\[(]\s*at\s*[\])]\s*[a-z0-9\-]+\s*[\[(]\s*dot\s*[\])]\s*[a-z]{2,}\b",
            always,
        ),
        rule(FindingKind::Phone, r"\+?\(?\d[\d\s().\-]{7,}\d", phone_like),
        rule(
            FindingKind::OneTimeCode,
            r"\b\d{3} ?\d{3}\b",
            one_time_code_in_context,
        ),
        rule(
            FindingKind::Password,
            r"(?i)\b(?:pass(?:word|wd|phrase)|pwd|pw)\b\s*(?:(?:is|was|were)\s+(?:still\s+)?|[:=]\s*)(\S+)",
            states_a_password,
        ),
    ]
});

fn has_letters_and_digits(found: &str, _: &str, _: usize) -> bool {
    let compact: Vec<char> = found.chars().filter(char::is_ascii_hexdigit).collect();
    compact.iter().any(char::is_ascii_digit) && compact.iter().any(char::is_ascii_alphabetic)
}

fn base32_secret(found: &str, _: &str, _: usize) -> bool {
    let compact: String = found.chars().filter(|c| *c != ' ' && *c != '=').collect();
    let digits = compact.chars().filter(char::is_ascii_digit).count();
    compact.len() >= 16 && (digits >= 2 || compact.len() >= 26)
}

fn token_like(found: &str, _: &str, _: usize) -> bool {
    found.chars().any(|c| c.is_ascii_digit()) && found.chars().any(|c| c.is_ascii_alphabetic())
}

fn phone_like(found: &str, text: &str, start: usize) -> bool {
    let digits = found.chars().filter(char::is_ascii_digit).count();
    if !(9..=15).contains(&digits) {
        return false;
    }
    let near = context(text, start, 40, 0);
    found.starts_with('+')
        || [
            "phone", "mobile", "tel", "call", "whatsapp", "signal", "number",
        ]
        .iter()
        .any(|w| near.contains(w))
}

fn one_time_code_in_context(_found: &str, text: &str, start: usize) -> bool {
    let window = context(text, start, 60, 60);
    [
        "code",
        "otp",
        "2fa",
        "totp",
        "authenticator",
        "one-time",
        "one time",
        "token",
    ]
    .iter()
    .any(|w| window.contains(w))
}

/// The lower-cased text within `before` bytes before and `after` bytes after `at`, widened
/// to whole characters. The window is cut from `text` itself, because lower-casing can change
/// byte lengths, so offsets into a lower-cased copy would point elsewhere.
fn context(text: &str, at: usize, before: usize, after: usize) -> String {
    let from = text.floor_char_boundary(at.saturating_sub(before));
    let to = text.ceil_char_boundary(at.saturating_add(after).min(text.len()));
    text.get(from..to).unwrap_or_default().to_lowercase()
}

/// Words that follow "password was/is" in ordinary sentences about a password.
const PASSWORD_PROSE: &[&str] = &[
    "reset",
    "changed",
    "compromised",
    "stolen",
    "leaked",
    "lost",
    "forgotten",
    "not",
    "never",
    "wrong",
    "incorrect",
    "rejected",
    "correct",
    "accepted",
    "updated",
    "expired",
    "too",
    "also",
    "the",
    "a",
    "an",
    "sent",
    "used",
    "saved",
    "stored",
    "in",
    "on",
    "managed",
    "weak",
    "strong",
    "known",
    "guessed",
    "hacked",
    "taken",
    "working",
    "valid",
    "invalid",
    "fine",
    "ok",
    "okay",
    "right",
    "same",
    "set",
    "generated",
    "random",
    "long",
    "unknown",
    "no",
    "my",
    "only",
    "and",
    "but",
    "because",
    "when",
];

fn states_a_password(found: &str, _: &str, _: usize) -> bool {
    let after_separator = found.contains(':') || found.contains('=');
    let word: String = found
        .split_whitespace()
        .last()
        .unwrap_or("")
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    if word.is_empty() {
        return false;
    }
    after_separator || !PASSWORD_PROSE.contains(&word.as_str())
}

/// Scans the request's public fields (the username and the reason).
pub fn scan(request: &Request) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (field, text) in [
        ("username", request.username.as_str()),
        ("reason", request.reason.as_str()),
    ] {
        for kind in scan_text(text) {
            let label = if field == "username" {
                "The username field"
            } else {
                "The reason"
            };
            findings.push(Finding {
                field: field.to_owned(),
                kind,
                message: format!("{label} {}", kind.advice()),
            });
        }
    }
    findings
}

/// The first secret in any field of the request, public or private, with the field's name.
pub fn first_secret(request: &Request) -> Option<(&'static str, FindingKind)> {
    let p = &request.private;
    let fields = [
        ("username", request.username.as_str()),
        ("reason", request.reason.as_str()),
        ("details", p.details.as_str()),
        ("account_created", p.account_created.as_str()),
        ("new_email", p.new_email.as_str()),
    ];
    let lists = p
        .emails
        .iter()
        .map(|e| ("emails", e.as_str()))
        .chain(p.projects.iter().map(|e| ("projects", e.as_str())));
    fields.into_iter().chain(lists).find_map(|(field, text)| {
        scan_text(text)
            .into_iter()
            .find(|k| k.is_secret())
            .or_else(|| part_of_a_code(text).then_some(FindingKind::RecoveryCode))
            .map(|k| (field, k))
    })
}

/// 12 to 15 hex characters with letters and digits: a recovery code being typed, caught
/// before it is whole. Only for what goes to disk; the public guard asks for whole codes.
fn part_of_a_code(text: &str) -> bool {
    static PARTIAL: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)\b[0-9a-f]{12,15}\b").expect("partial-code pattern"));
    PARTIAL
        .find_iter(text)
        .any(|m| has_letters_and_digits(m.as_str(), text, m.start()))
}

/// The kinds of secret or personal data in `text`, each once, in rule order. Bounded in
/// time by the regex engine (linear) and by the request size limit.
pub fn scan_text(text: &str) -> Vec<FindingKind> {
    let mut kinds: Vec<FindingKind> = Vec::new();
    // Spans already claimed by an earlier (more specific) rule, so a recovery code is not
    // also reported as a verification token.
    let mut claimed: Vec<(usize, usize)> = Vec::new();
    for rule in RULES.iter() {
        for found in rule.pattern.find_iter(text) {
            let span = (found.start(), found.end());
            if claimed.iter().any(|&(s, e)| span.0 < e && s < span.1) {
                continue;
            }
            if (rule.accept)(found.as_str(), text, found.start()) {
                claimed.push(span);
                if !kinds.contains(&rule.kind) {
                    kinds.push(rule.kind);
                }
            }
        }
    }
    kinds
}
