//! The Have I Been Pwned "Pwned Passwords" range API (k-anonymity): only the first five hex
//! characters of the password's SHA-1 leave the machine, and only when the user asks.

use crate::online::{Client, OnlineError};
use crate::secret::SecretString;
use serde::Serialize;
use sha1::{Digest, Sha1};
use std::time::Duration;
use zeroize::Zeroizing;

/// The real service. Tests and mirrors pass their own base URL.
pub const HIBP_API: &str = "https://api.pwnedpasswords.com";

/// How often the password appears in known breaches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Pwned {
    /// True when it appears at least once.
    pub pwned: bool,
    /// How many times it appears (the most common passwords appear tens of millions of
    /// times; u32 is plenty, and it crosses to TypeScript as a plain number).
    pub count: u32,
}

/// How long the check may take.
pub const HIBP_TIMEOUT: Duration = Duration::from_secs(10);

/// The client for the service at `api` (overridable for tests and mirrors).
pub fn client(api: &str) -> Result<Client, OnlineError> {
    Client::with_timeout("Have I Been Pwned", api, HIBP_TIMEOUT)
}

/// Looks the password up by the first five hex characters of its SHA-1, with padding on, so
/// the answer's size says nothing either. Nothing is learned about the password on failure.
pub fn check_pwned(client: &Client, password: &SecretString) -> Result<Pwned, OnlineError> {
    let digest = Sha1::digest(password.expose_secret().as_bytes());
    let hex = Zeroizing::new(
        digest
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect::<String>(),
    );
    let (prefix, suffix) = hex.split_at(5);
    let body = client
        .get(&format!("/range/{prefix}"), &[("Add-Padding", "true")])?
        .ok_or(OnlineError::Malformed(client.service()))?;
    let count = count_in_range(&body, suffix).ok_or(OnlineError::Malformed(client.service()))?;
    Ok(Pwned {
        pwned: count > 0,
        count,
    })
}

/// A range body as the service might send it, for the fuzz target.
#[cfg(fuzzing)]
pub fn fuzz_range(body: &str) {
    let _ = count_in_range(body, "1E4C9B93F3F0682250B6CF8331B7EE68FD8");
}

/// Finds `suffix` in a range body (`SUFFIX:COUNT` per line, CRLF), ignoring padding lines
/// (count 0) and case. `None` when the body is not in that format.
fn count_in_range(body: &str, suffix: &str) -> Option<u32> {
    for line in body.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (candidate, count) = line.split_once(':')?;
        let count: u64 = count.trim().parse().ok()?;
        if candidate.len() != 35 || !candidate.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        if count > 0 && candidate.eq_ignore_ascii_case(suffix) {
            return Some(u32::try_from(count).unwrap_or(u32::MAX));
        }
    }
    Some(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_bodies_are_read_as_documented() {
        let suffix = "1E4C9B93F3F0682250B6CF8331B7EE68FD8";
        let body = format!(
            "0018A45C4D1DEF81644B54AB7F969B88D65:3\r\n{}:5\r\n{}:0\r\n",
            suffix.to_lowercase(),
            "0".repeat(35)
        );
        assert_eq!(count_in_range(&body, suffix), Some(5));
        let padded_only = format!("{suffix}:0\r\n");
        assert_eq!(
            count_in_range(&padded_only, suffix),
            Some(0),
            "count-0 lines are padding"
        );
        assert_eq!(count_in_range("", suffix), Some(0));
        assert_eq!(count_in_range("<html>", suffix), None);
        assert_eq!(count_in_range("ABC:12", suffix), None);
    }
}
