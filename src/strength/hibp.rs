//! The Have I Been Pwned "Pwned Passwords" range API (k-anonymity): only the first five hex
//! characters of the password's SHA-1 leave the machine, and only when the user asks.

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

/// Why the check could not be done. Nothing was learned about the password.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HibpError {
    /// No connection could be made (offline, DNS, refused).
    #[error(
        "Could not reach the breach-check service. Check your internet connection and try again."
    )]
    Offline,
    /// The service did not answer in time.
    #[error("The breach-check service did not answer in time. Try again in a moment.")]
    Timeout,
    /// Too many requests.
    #[error("The breach-check service asks us to slow down. Try again in {0} seconds.")]
    RateLimited(u64),
    /// The service failed.
    #[error("The breach-check service is having problems (HTTP {0}). Try again later.")]
    Server(u16),
    /// The answer was not in the documented format.
    #[error("The breach-check service sent an answer this app cannot read.")]
    Malformed,
    /// The base URL is not usable.
    #[error("The breach-check address is not a valid http(s) URL.")]
    BadUrl,
}

/// Looks the password up by the first five hex characters of its SHA-1, with padding on.
pub fn check_pwned(
    password: &SecretString,
    api: &str,
    timeout: Duration,
) -> Result<Pwned, HibpError> {
    if !(api.starts_with("https://") || api.starts_with("http://")) {
        return Err(HibpError::BadUrl);
    }
    let digest = Sha1::digest(password.expose_secret().as_bytes());
    let hex = Zeroizing::new(
        digest
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect::<String>(),
    );
    let (prefix, suffix) = hex.split_at(5);
    let client = reqwest::blocking::Client::builder()
        .connect_timeout(timeout)
        .timeout(timeout)
        .user_agent(concat!(
            "pypi-recovery-assistant/",
            env!("CARGO_PKG_VERSION"),
            " (+https://github.com/pypi-recovery/pypi-recovery-assistant)"
        ))
        .https_only(api.starts_with("https://"))
        .build()
        .map_err(|_| HibpError::Offline)?;
    let response = client
        .get(format!("{}/range/{prefix}", api.trim_end_matches('/')))
        .header("Add-Padding", "true")
        .send()
        .map_err(|e| {
            if e.is_timeout() {
                HibpError::Timeout
            } else {
                HibpError::Offline
            }
        })?;
    let status = response.status();
    if status.as_u16() == 429 {
        let retry = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(60);
        return Err(HibpError::RateLimited(retry));
    }
    if !status.is_success() {
        return Err(HibpError::Server(status.as_u16()));
    }
    // A range answer with padding is 20 to 40 KB; 1 MiB is more than any real one.
    let body = crate::online::read_capped(response, 1024 * 1024).map_err(|e| {
        if e.kind() == std::io::ErrorKind::TimedOut {
            HibpError::Timeout
        } else {
            HibpError::Malformed
        }
    })?;
    count_in_range(&body, suffix).map(|count| Pwned {
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
/// (count 0) and case.
fn count_in_range(body: &str, suffix: &str) -> Result<u32, HibpError> {
    for line in body.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (candidate, count) = line.split_once(':').ok_or(HibpError::Malformed)?;
        let count: u64 = count.trim().parse().map_err(|_| HibpError::Malformed)?;
        if candidate.len() != 35 || !candidate.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(HibpError::Malformed);
        }
        if count > 0 && candidate.eq_ignore_ascii_case(suffix) {
            return Ok(u32::try_from(count).unwrap_or(u32::MAX));
        }
    }
    Ok(0)
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
        assert_eq!(count_in_range(&body, suffix), Ok(5));
        let padded_only = format!("{suffix}:0\r\n");
        assert_eq!(
            count_in_range(&padded_only, suffix),
            Ok(0),
            "count-0 lines are padding"
        );
        assert_eq!(count_in_range("", suffix), Ok(0));
        assert_eq!(count_in_range("<html>", suffix), Err(HibpError::Malformed));
        assert_eq!(count_in_range("ABC:12", suffix), Err(HibpError::Malformed));
    }
}
