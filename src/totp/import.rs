//! Reading an authenticator secret from an `otpauth://` link or from what a user types, and
//! everything a key can do once read: codes, verification, and a link for a new phone.

use super::{
    quoted, TotpError, Verification, ACCEPTED_DRIFT_STEPS, CLOCK_DRIFT_STEPS, MAX_NAME_CHARS,
    MAX_SECRET_BYTES, MIN_SECRET_BYTES, RECOMMENDED_SECRET_BYTES,
};
use crate::secret::{SecretBytes, SecretString};
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The longest link we read. Real ones are under 300 characters.
pub const MAX_URI_LEN: usize = 4096;

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

/// Characters escaped in labels and parameters: everything but letters, digits and `-._~`.
const URI_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Reads an `otpauth://totp/` link, normalising what real services and apps produce.
pub fn parse_uri(input: &str) -> Result<TotpKey, TotpError> {
    let text = input.trim();
    if text.len() > MAX_URI_LEN {
        return Err(TotpError::TooLong);
    }
    let (scheme, rest) = text.split_once(':').ok_or(TotpError::NotOtpauth)?;
    match scheme.to_ascii_lowercase().as_str() {
        "otpauth" => {}
        "otpauth-migration" => return Err(TotpError::MigrationExport),
        _ => return Err(TotpError::NotOtpauth),
    }
    let rest = rest
        .strip_prefix("//")
        .ok_or(TotpError::BadLink("“otpauth:” must be followed by “//”"))?;
    let rest = rest.split('#').next().unwrap_or_default();
    let (kind, rest) = rest
        .split_once('/')
        .ok_or(TotpError::BadLink("it has no “/” after the type"))?;
    match kind.to_ascii_lowercase().as_str() {
        "totp" => {}
        "hotp" => return Err(TotpError::Hotp),
        _ => return Err(TotpError::BadLink("its type is neither totp nor hotp")),
    }
    let (label, query) = rest.split_once('?').unwrap_or((rest, ""));
    let label = decode_component(label, false)?;
    let (label_issuer, account) = match label.split_once(':') {
        Some((issuer, account)) => (Some(issuer.trim().to_owned()), account.trim().to_owned()),
        None => (None, label.trim().to_owned()),
    };

    let mut secret: Option<SecretString> = None;
    let (mut issuer, mut algorithm, mut digits, mut period) = (None, None, None, None);
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = || decode_component(value, true);
        // The first occurrence of a parameter wins; later repeats are ignored.
        match key.to_ascii_lowercase().as_str() {
            "secret" if secret.is_none() => secret = Some(SecretString::from(value()?)),
            "issuer" if issuer.is_none() => issuer = Some(value()?),
            "algorithm" if algorithm.is_none() => algorithm = Some(value()?),
            "digits" if digits.is_none() => digits = Some(value()?),
            "period" if period.is_none() => period = Some(value()?),
            _ => {}
        }
    }
    let secret = secret.ok_or(TotpError::MissingSecret)?;
    let algorithm = match algorithm {
        Some(name) => Algorithm::parse(&name)?,
        None => Algorithm::default(),
    };
    let digits = match digits {
        Some(text) => text
            .trim()
            .parse::<u32>()
            .map_err(|_| TotpError::UnsupportedDigits(quoted(&text)))?,
        None => 6,
    };
    let period = match period {
        Some(text) => text
            .trim()
            .parse::<u64>()
            .map_err(|_| TotpError::BadPeriod(quoted(&text)))?,
        None => 30,
    };
    // The issuer= parameter wins over the label's prefix when both are present.
    let issuer = issuer.filter(|i| !i.trim().is_empty()).or(label_issuer);
    TotpKey::new(
        secret.expose_secret(),
        issuer.as_deref(),
        &account,
        algorithm,
        digits,
        period,
    )
}

/// Percent-decodes one part of a link; in the query, `+` also means a space.
fn decode_component(text: &str, query: bool) -> Result<String, TotpError> {
    let text = if query {
        text.replace('+', " ")
    } else {
        text.to_owned()
    };
    percent_decode_str(&text)
        .decode_utf8()
        .map(|decoded| decoded.into_owned())
        .map_err(|_| TotpError::BadLink("it contains an escape that is not valid UTF-8"))
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
    use crate::totp::TotpErrorKind;

    const PYPI: &str = "otpauth://totp/PyPI:alice?digits=6&secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&algorithm=SHA1&issuer=PyPI&period=30";

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
    fn reads_pypi_links() {
        let key = parse_uri(PYPI).unwrap();
        assert_eq!(key.issuer.as_deref(), Some("PyPI"));
        assert_eq!(key.label, "alice");
        assert_eq!(
            (key.algorithm, key.digits, key.period),
            (Algorithm::Sha1, 6, 30)
        );
        assert_eq!(key.secret_bits(), 160);
        assert!(!key.is_weak());
    }

    #[test]
    fn normalises_what_other_services_issue() {
        let spaced = "otpauth://totp/GitHub%3Aalice%40example.com?secret=jbsw%20y3dp%20ehpk%203pxp%3D%3D%3D%3D%3D%3D&issuer=GitHub";
        let key = parse_uri(spaced).unwrap();
        assert_eq!(key.label, "alice@example.com");
        assert_eq!(key.issuer.as_deref(), Some("GitHub"));
        assert_eq!(key.secret_bits(), 80);
        assert!(key.is_weak());
        assert_eq!(key.secret_base32().expose_secret(), "JBSWY3DPEHPK3PXP");

        // The label's issuer differs from the parameter: the parameter wins, no error.
        let key =
            parse_uri("otpauth://totp/Old%20Name:bob?secret=JBSWY3DPEHPK3PXP&issuer=New+Name")
                .unwrap();
        assert_eq!(key.issuer.as_deref(), Some("New Name"));
        assert_eq!(key.label, "bob");

        let key = parse_uri(
            "OTPAUTH://TOTP/x?SECRET=JBSWY3DPEHPK3PXP&ALGORITHM=sha512&DIGITS=8&PERIOD=60",
        )
        .unwrap();
        assert_eq!(
            (key.algorithm, key.digits, key.period),
            (Algorithm::Sha512, 8, 60)
        );
    }

    #[test]
    fn refusals_name_the_problem_and_never_the_secret() {
        let secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
        let cases = [
            (
                format!("otpauth://hotp/x?secret={secret}&counter=1"),
                TotpErrorKind::ImportRefused,
                "HOTP",
            ),
            (
                "otpauth://totp/x?issuer=PyPI".into(),
                TotpErrorKind::ImportRefused,
                "no secret",
            ),
            (
                format!("otpauth://totp/x?secret={secret}1"),
                TotpErrorKind::ImportRefused,
                "base32",
            ),
            (
                format!("otpauth://totp/x?secret={secret}&digits=9"),
                TotpErrorKind::ImportRefused,
                "9 digits",
            ),
            (
                format!("otpauth://totp/x?secret={secret}&digits=5"),
                TotpErrorKind::ImportRefused,
                "5 digits",
            ),
            (
                format!("otpauth://totp/x?secret={secret}&algorithm=MD5"),
                TotpErrorKind::ImportRefused,
                "MD5",
            ),
            (
                format!("otpauth://totp/x?secret={secret}&period=0"),
                TotpErrorKind::ImportRefused,
                "above 0",
            ),
            (
                format!("otpauth://totp/x?secret={secret}&period=-30"),
                TotpErrorKind::ImportRefused,
                "above 0",
            ),
            (
                format!("https://pypi.org/?secret={secret}"),
                TotpErrorKind::ImportRefused,
                "otpauth://totp/",
            ),
            (
                format!("otpauth-migration://offline?data={secret}"),
                TotpErrorKind::ImportRefused,
                "Google",
            ),
            (
                format!("otpauth://totp/%FF?secret={secret}"),
                TotpErrorKind::ImportRefused,
                "damaged",
            ),
            (
                "otpauth://totp/x?secret=JBSWY3DP".into(),
                TotpErrorKind::ImportRefused,
                "40 bits",
            ),
            (
                format!("otpauth://totp/x?secret={}", "A".repeat(5000)),
                TotpErrorKind::ImportRefused,
                "4,096",
            ),
        ];
        for (input, kind, words) in cases {
            let error = parse_uri(&input).expect_err(&input);
            assert_eq!(error.kind(), kind, "{input}");
            let message = error.to_string();
            assert!(message.contains(words), "{input}: {message}");
            assert!(!message.contains("JBSWY3DP"), "{input}: {message}");
        }
    }

    #[test]
    fn a_new_phone_link_round_trips() {
        let key = parse_uri("otpauth://totp/Py%20PI:al%3Ace?secret=JBSWY3DPEHPK3PXP&issuer=Py%20PI&algorithm=SHA256&digits=7&period=45").unwrap();
        let again = parse_uri(key.to_uri().expose_secret()).unwrap();
        assert_eq!(again.issuer, key.issuer);
        assert_eq!(again.label, "al:ce");
        assert_eq!(
            (again.algorithm, again.digits, again.period),
            (Algorithm::Sha256, 7, 45)
        );
        assert_eq!(again.code_at(1_700_000_000), key.code_at(1_700_000_000));
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
