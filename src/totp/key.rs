//! An authenticator key, checked once when it is read: its codes, their verification, and
//! the link that sets up a new phone.

use super::{
    quoted, TotpError, Verification, ACCEPTED_DRIFT_STEPS, CLOCK_DRIFT_STEPS, MAX_NAME_CHARS,
    MAX_SECRET_BYTES, MIN_SECRET_BYTES, RECOMMENDED_SECRET_BYTES,
};
use crate::secret::{SecretBytes, SecretString};
use percent_encoding::utf8_percent_encode;
use serde::{Deserialize, Serialize};
use std::fmt;

use super::link::{MAX_URI_LEN, URI_COMPONENT};

/// The HMAC algorithm behind the codes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum Algorithm {
    /// HMAC-SHA1: PyPI's and almost everyone's.
    #[default]
    #[serde(rename = "SHA1")]
    Sha1,
    /// HMAC-SHA256.
    #[serde(rename = "SHA256")]
    Sha256,
    /// HMAC-SHA512.
    #[serde(rename = "SHA512")]
    Sha512,
}

impl Algorithm {
    /// Reads `SHA1`, `sha-256`, `HmacSHA512` and the like.
    pub fn parse(name: &str) -> Result<Self, TotpError> {
        let normal: String = name
            .trim()
            .to_ascii_uppercase()
            .chars()
            .filter(|c| *c != '-' && *c != '_')
            .collect();
        match normal.strip_prefix("HMAC").unwrap_or(&normal) {
            "SHA1" => Ok(Algorithm::Sha1),
            "SHA256" => Ok(Algorithm::Sha256),
            "SHA512" => Ok(Algorithm::Sha512),
            _ => Err(TotpError::UnsupportedAlgorithm(quoted(name))),
        }
    }

    /// The name used in `otpauth://` links.
    pub fn as_str(self) -> &'static str {
        match self {
            Algorithm::Sha1 => "SHA1",
            Algorithm::Sha256 => "SHA256",
            Algorithm::Sha512 => "SHA512",
        }
    }

    fn for_totp_rs(self) -> totp_rs::Algorithm {
        match self {
            Algorithm::Sha1 => totp_rs::Algorithm::SHA1,
            Algorithm::Sha256 => totp_rs::Algorithm::SHA256,
            Algorithm::Sha512 => totp_rs::Algorithm::SHA512,
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a user types when there is no link: the setup key and its parameters.
#[derive(Debug)]
pub struct ManualEntry<'a> {
    /// The setup key in base32, in any case and spacing.
    pub secret: &'a SecretString,
    /// Who issued it, such as "PyPI".
    pub issuer: Option<&'a str>,
    /// The account name the service shows, such as the username.
    pub label: &'a str,
    /// The algorithm name (SHA1 unless the service says otherwise).
    pub algorithm: &'a str,
    /// Digits per code.
    pub digits: u32,
    /// Seconds per code.
    pub period: u64,
}

/// A checked authenticator key: the secret and everything needed to compute its codes.
#[derive(Debug, Clone)]
pub struct TotpKey {
    /// Who issued it, such as "PyPI" (the `issuer=` parameter wins over the label's prefix).
    pub issuer: Option<String>,
    /// The account name in the link's label, such as the PyPI username.
    pub label: String,
    /// The HMAC algorithm.
    pub algorithm: Algorithm,
    /// Digits per code, 6 to 8.
    pub digits: u8,
    /// Seconds per code, at least 1.
    pub period: u64,
    secret: SecretBytes,
}

impl TotpKey {
    /// Checks and assembles a key; `secret` is base32 in any case, spacing or padding.
    pub fn new(
        secret: &str,
        issuer: Option<&str>,
        label: &str,
        algorithm: Algorithm,
        digits: u32,
        period: u64,
    ) -> Result<Self, TotpError> {
        let digits = match u8::try_from(digits) {
            Ok(d @ 6..=8) => d,
            _ => return Err(TotpError::UnsupportedDigits(digits.to_string())),
        };
        if period == 0 {
            return Err(TotpError::BadPeriod("0".into()));
        }
        let clean = |text: &str| {
            let text: String = text.chars().filter(|c| !c.is_control()).collect();
            text.trim().to_owned()
        };
        let (issuer, label) = (issuer.map(clean).filter(|i| !i.is_empty()), clean(label));
        let too_long = |text: &str| text.chars().count() > MAX_NAME_CHARS;
        if too_long(&label) || issuer.as_deref().is_some_and(too_long) {
            return Err(TotpError::NameTooLong);
        }
        Ok(Self {
            issuer,
            label,
            algorithm,
            digits,
            period,
            secret: decode_secret(secret)?,
        })
    }

    /// A key from what the user typed.
    pub fn from_manual(entry: &ManualEntry<'_>) -> Result<Self, TotpError> {
        if entry.secret.expose_secret().len() > MAX_URI_LEN {
            return Err(TotpError::TooLong);
        }
        Self::new(
            entry.secret.expose_secret(),
            entry.issuer,
            entry.label,
            Algorithm::parse(entry.algorithm)?,
            entry.digits,
            entry.period,
        )
    }

    /// Rebuilds a key from stored parts (a keychain item, a backup); `None` when they are not valid.
    /// `secret` is base32 without padding, as [`TotpKey::secret_base32`] writes it.
    pub fn from_parts(
        issuer: Option<String>,
        label: String,
        algorithm: Algorithm,
        digits: u8,
        period: u64,
        secret: &str,
    ) -> Option<Self> {
        let decoded = totp_rs::Secret::try_from_base32(secret).ok()?;
        let secret = SecretBytes::from(decoded.as_bytes().to_vec());
        // Not the import limits on names and length: a key stored before they existed
        // must still read.
        let valid = (6..=8).contains(&digits)
            && period > 0
            && secret.expose_secret().len() >= MIN_SECRET_BYTES;
        valid.then_some(Self {
            issuer,
            label,
            algorithm,
            digits,
            period,
            secret,
        })
    }

    /// The name to store the key under: the one the user gave, or when none (or a blank
    /// one) is given, [`TotpKey::suggested_account`].
    pub fn account_name(&self, given: Option<&str>) -> String {
        given
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .unwrap_or_else(|| self.suggested_account())
            .to_owned()
    }

    /// A name to store the key under when the user gives none: the label's account name,
    /// else the issuer.
    pub fn suggested_account(&self) -> &str {
        match (&self.label, &self.issuer) {
            (label, _) if !label.is_empty() => label,
            (_, Some(issuer)) => issuer,
            _ => "authenticator",
        }
    }

    /// How many bits of secret the key has.
    pub fn secret_bits(&self) -> u32 {
        self.secret.expose_secret().len() as u32 * 8
    }

    /// True for secrets under the 128 bits RFC 4226 asks for (GitHub's 80-bit ones, say).
    pub fn is_weak(&self) -> bool {
        self.secret.expose_secret().len() < RECOMMENDED_SECRET_BYTES
    }

    /// The code for the instant `at` (Unix seconds).
    pub fn code_at(&self, at: u64) -> SecretString {
        SecretString::from(self.totp().generate(at).to_string())
    }

    /// Seconds from `at` until the next code.
    pub fn seconds_left(&self, at: u64) -> u64 {
        self.period - at % self.period
    }

    /// Compares a code typed from the phone with this key's codes around `at`.
    pub fn verify(&self, typed: &SecretString, at: u64) -> Result<Verification, TotpError> {
        let typed: SecretString = typed
            .expose_secret()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .into();
        let shape_ok = typed.expose_secret().len() == usize::from(self.digits)
            && typed.expose_secret().bytes().all(|b| b.is_ascii_digit());
        if !shape_ok {
            return Err(TotpError::BadCode(self.digits));
        }
        let now = at / self.period;
        for distance in 0..=CLOCK_DRIFT_STEPS {
            for counter in [now.checked_sub(distance), now.checked_add(distance)]
                .into_iter()
                .flatten()
            {
                let Some(instant) = counter.checked_mul(self.period) else {
                    continue;
                };
                if self.code_at(instant) == typed {
                    let steps = counter as i64 - now as i64;
                    return Ok(if distance <= ACCEPTED_DRIFT_STEPS {
                        Verification::Match { steps }
                    } else {
                        Verification::ClockOff {
                            steps,
                            seconds: steps.saturating_mul(self.period as i64),
                        }
                    });
                }
            }
        }
        Ok(Verification::NoMatch)
    }

    /// The secret in base32 without padding, as setup pages show it.
    pub fn secret_base32(&self) -> SecretString {
        let secret = totp_rs::Secret::from(self.secret.expose_secret().clone());
        SecretString::from(secret.to_base32())
    }

    /// An `otpauth://totp/` link that any authenticator app imports, for a new phone.
    pub fn to_uri(&self) -> SecretString {
        let encode = |text: &str| utf8_percent_encode(text, URI_COMPONENT).to_string();
        let label = match &self.issuer {
            Some(issuer) => format!("{}:{}", encode(issuer), encode(&self.label)),
            None => encode(&self.label),
        };
        let mut uri = format!(
            "otpauth://totp/{label}?secret={}&algorithm={}&digits={}&period={}",
            self.secret_base32().expose_secret(),
            self.algorithm,
            self.digits,
            self.period
        );
        if let Some(issuer) = &self.issuer {
            uri.push_str("&issuer=");
            uri.push_str(&encode(issuer));
        }
        SecretString::from(uri)
    }

    fn totp(&self) -> totp_rs::Totp {
        // Every parameter was checked in `new`, so the non-compliant builder (which allows
        // 80-bit secrets) cannot produce a key that panics.
        totp_rs::Builder::new()
            .with_algorithm(self.algorithm.for_totp_rs())
            .with_digits(self.digits)
            .with_step_duration(self.period)
            .with_secret(self.secret.expose_secret().clone())
            .build_noncompliant()
    }
}

/// Normalises a base32 secret (case, spaces, dashes, `=` padding) and decodes it.
fn decode_secret(text: &str) -> Result<SecretBytes, TotpError> {
    let cleaned: SecretString = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect::<String>()
        .into();
    let unpadded = cleaned.expose_secret().trim_end_matches('=');
    if unpadded.is_empty() {
        return Err(TotpError::MissingSecret);
    }
    let alphabet_ok = unpadded
        .bytes()
        .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b));
    // Lengths 1, 3 and 6 (mod 8) cannot come from whole bytes.
    if !alphabet_ok || matches!(unpadded.len() % 8, 1 | 3 | 6) {
        return Err(TotpError::InvalidSecret);
    }
    let decoded =
        totp_rs::Secret::try_from_base32(unpadded).map_err(|_| TotpError::InvalidSecret)?;
    let bytes = SecretBytes::from(decoded.as_bytes().to_vec());
    let len = bytes.expose_secret().len();
    if len < MIN_SECRET_BYTES {
        return Err(TotpError::SecretTooShort { bits: len * 8 });
    }
    if len > MAX_SECRET_BYTES {
        return Err(TotpError::SecretTooLong { bits: len * 8 });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::totp::parse_uri;
    use crate::totp::tests::PYPI;

    #[test]
    fn a_key_is_stored_under_the_given_name_or_its_own() {
        let key = parse_uri(PYPI).unwrap();
        assert_eq!(key.account_name(Some(" bob ")), "bob");
        for none in [None, Some(""), Some("   ")] {
            assert_eq!(key.account_name(none), "alice", "{none:?}");
        }
    }

    /// RFC 6238 appendix B: the seeds are the ASCII digits "1234567890" repeated to the
    /// hash's length, 8 digits, 30-second steps.
    #[test]
    fn rfc_6238_vectors() {
        let seed = |len: usize| -> String {
            let bytes: Vec<u8> = b"1234567890".iter().cycle().take(len).copied().collect();
            totp_rs::Secret::from(bytes).to_base32()
        };
        // (instant, SHA1, SHA256, SHA512)
        let vectors = [
            (59, "94287082", "46119246", "90693936"),
            (1111111109, "07081804", "68084774", "25091201"),
            (1111111111, "14050471", "67062674", "99943326"),
            (1234567890, "89005924", "91819424", "93441116"),
            (2000000000, "69279037", "90698825", "38618901"),
            (20000000000, "65353130", "77737706", "47863826"),
        ];
        let cases = vectors.into_iter().flat_map(|(at, sha1, sha256, sha512)| {
            [
                (at, "SHA1", sha1),
                (at, "SHA256", sha256),
                (at, "SHA512", sha512),
            ]
        });
        for (at, algorithm, expected) in cases {
            let algorithm = Algorithm::parse(algorithm).unwrap();
            let len = match algorithm {
                Algorithm::Sha1 => 20,
                Algorithm::Sha256 => 32,
                Algorithm::Sha512 => 64,
            };
            let key = TotpKey::new(&seed(len), None, "rfc", algorithm, 8, 30).unwrap();
            assert_eq!(
                key.code_at(at).expose_secret(),
                expected,
                "{algorithm} at {at}"
            );
        }
    }

    #[test]
    fn verification_allows_one_step_and_names_clock_drift() {
        let key = parse_uri(PYPI).unwrap();
        let at = 1_800_000_015;
        let code = |offset: i64| key.code_at((at as i64 + offset * 30) as u64);
        assert_eq!(
            key.verify(&code(0), at).unwrap(),
            Verification::Match { steps: 0 }
        );
        assert_eq!(
            key.verify(&code(-1), at).unwrap(),
            Verification::Match { steps: -1 }
        );
        assert_eq!(
            key.verify(&code(1), at).unwrap(),
            Verification::Match { steps: 1 }
        );
        let off = key.verify(&code(4), at).unwrap();
        assert_eq!(
            off,
            Verification::ClockOff {
                steps: 4,
                seconds: 120
            }
        );
        assert!(off
            .message()
            .contains("your phone's or this computer's clock is off"));
        assert_eq!(
            key.verify(&code(-10), at).unwrap(),
            Verification::ClockOff {
                steps: -10,
                seconds: -300
            }
        );
        // A code further away (or simply wrong) is not a clock problem.
        let far = code(11);
        if ![-10i64, 10].iter().any(|o| code(*o) == far) {
            assert_eq!(key.verify(&far, at).unwrap(), Verification::NoMatch);
        }
        let spaced = SecretString::from(format!(
            "{} {}",
            &code(0).expose_secret()[..3],
            &code(0).expose_secret()[3..]
        ));
        assert!(key.verify(&spaced, at).unwrap().is_match());
        for bad in ["12345", "1234567", "12a456", ""] {
            assert_eq!(
                key.verify(&SecretString::from(bad), at),
                Err(TotpError::BadCode(6))
            );
        }
    }

    /// The import limits bound what is stored from now on; a key stored before them still reads.
    #[test]
    fn a_key_stored_before_the_import_limits_still_reads() {
        let long = "n".repeat(MAX_NAME_CHARS + 100);
        let secret = "A".repeat((MAX_SECRET_BYTES * 2 * 8).div_ceil(5));
        assert!(TotpKey::new(&secret, None, "x", Algorithm::Sha1, 6, 30).is_err());
        let stored = TotpKey::from_parts(Some(long.clone()), long, Algorithm::Sha1, 6, 30, &secret);
        assert_eq!(stored.map(|k| k.secret_bits()), Some(2048));
    }

    #[test]
    fn extreme_instants_and_periods_do_not_panic() {
        let key =
            TotpKey::new("JBSWY3DPEHPK3PXP", None, "x", Algorithm::Sha1, 6, u64::MAX).unwrap();
        let code = key.code_at(u64::MAX);
        assert_eq!(code.expose_secret().len(), 6);
        assert!(key.verify(&code, u64::MAX).unwrap().is_match());
        assert_eq!(key.seconds_left(u64::MAX - 1), 1);
        let key = TotpKey::new("JBSWY3DPEHPK3PXP", None, "x", Algorithm::Sha1, 6, 1).unwrap();
        assert!(key.verify(&key.code_at(0), 0).unwrap().is_match());
    }
}
