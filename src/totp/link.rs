//! Reading an `otpauth://totp/` link as real services and apps write it.

use super::key::{Algorithm, TotpKey};
use super::{quoted, TotpError};
use crate::secret::SecretString;
use percent_encoding::{percent_decode_str, AsciiSet, NON_ALPHANUMERIC};

/// The longest link we read. Real ones are under 300 characters.
pub const MAX_URI_LEN: usize = 4096;

/// Characters escaped in labels and parameters: everything but letters, digits and `-._~`.
pub(super) const URI_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::totp::tests::PYPI;
    use crate::totp::TotpErrorKind;

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
}
