//! Reading recovery codes in every shape PyPI hands them out, and in the shapes people paste.
//!
//! PyPI generates 8 codes, each `secrets.token_hex(8)`: 16 lowercase hex characters. Its
//! "Save" button downloads one code per line; its "Copy" button puts `PyPI recovery codes`
//! and then the codes on the clipboard. People also paste them upper-cased, in spaced or
//! dashed groups, numbered, with CRLF line ends or a BOM.

use crate::secret::SecretString;

/// Codes in one PyPI set.
pub const MAX_CODES: usize = 8;
/// The largest input we read; a codes file is about 140 bytes.
pub const MAX_INPUT_BYTES: usize = 64 * 1024;
/// Characters in one code.
pub const CODE_LEN: usize = 16;

/// Why an import was refused. Names the line, never the code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// Nothing that looks like a code was found.
    #[error("No recovery codes were found. Paste the codes PyPI showed you, or choose the file PyPI downloaded (PyPI-Recovery-Codes-….txt).")]
    Empty,
    /// The input is larger than any codes file.
    #[error("This is too large to be a recovery-codes file (over 64 KiB). Choose the file PyPI downloaded, or paste just the codes.")]
    TooLarge,
    /// The input is not text.
    #[error("This is not a text file. Choose the .txt file PyPI downloaded, or paste the codes.")]
    NotText,
    /// A line has the wrong number of characters for a code.
    #[error("Line {line}: a recovery code has 16 characters, this one has {found}. Check that it was copied whole.")]
    WrongLength {
        /// 1-based line number.
        line: usize,
        /// How many code characters the line had.
        found: usize,
    },
    /// A line has characters that cannot be in a code.
    #[error("Line {line}: recovery codes contain only the digits 0–9 and the letters a–f, and this line has other characters.")]
    NotHex {
        /// 1-based line number.
        line: usize,
    },
    /// A line looks like an authenticator (TOTP) secret or link.
    #[error("Line {line} looks like an authenticator secret, not a recovery code. Import it in the Authenticator area instead.")]
    LooksLikeTotp {
        /// 1-based line number.
        line: usize,
    },
    /// The same code appears twice.
    #[error("Line {line} repeats a code from line {first}. Each recovery code is different; check the paste.")]
    Duplicate {
        /// 1-based line number of the repeat.
        line: usize,
        /// 1-based line number where the code first appeared.
        first: usize,
    },
    /// More codes than PyPI ever issues at once.
    #[error("Found {found} codes; PyPI issues 8 at a time. Import one set only (the newest one, since generating a new set cancels the old).")]
    TooMany {
        /// How many codes were found.
        found: usize,
    },
}

/// Parses raw input (pasted text or a file's bytes) into 1 to 8 distinct normalised codes,
/// or refuses the whole input. Never panics.
pub fn parse_codes(input: &[u8]) -> Result<Vec<SecretString>, ImportError> {
    if input.len() > MAX_INPUT_BYTES {
        return Err(ImportError::TooLarge);
    }
    let text = std::str::from_utf8(input).map_err(|_| ImportError::NotText)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Each code with the line it came from, so a repeat can name the first one.
    let mut codes: Vec<(SecretString, usize)> = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let Some(candidate) = code_part(raw) else {
            continue;
        };
        let code = normalise(&candidate, line)?;
        let code = SecretString::from(code);
        if let Some(&(_, first)) = codes.iter().find(|(seen, _)| *seen == code) {
            return Err(ImportError::Duplicate { line, first });
        }
        codes.push((code, line));
    }
    match codes.len() {
        0 => Err(ImportError::Empty),
        n if n > MAX_CODES => Err(ImportError::TooMany { found: n }),
        _ => Ok(codes.into_iter().map(|(code, _)| code).collect()),
    }
}

/// Strips what surrounds a code on a line: blank lines, PyPI's clipboard heading, list
/// numbering and bullets. Returns `None` for lines that hold no code.
fn code_part(raw: &str) -> Option<String> {
    let line = raw.trim();
    if line.is_empty() || line.eq_ignore_ascii_case("pypi recovery codes") {
        return None;
    }
    let line = line.trim_start_matches(['-', '*', '•', '#']).trim_start();
    // "1." "2)" "3:" "4 -" "5 " numbering in front of a code. A code written in spaced
    // pairs ("00 aa 11 …") also starts with digits and a space, so strip only when the line
    // as a whole is not already a code.
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=2).contains(&digits) && !is_code(line) {
        let after = line.trim_start_matches(|c: char| c.is_ascii_digit());
        let rest = after.trim_start();
        let rest = rest
            .strip_prefix(['.', ')', ':', '-'])
            .unwrap_or(rest)
            .trim_start();
        if rest.len() < after.len() {
            return Some(rest.to_owned());
        }
    }
    Some(line.to_owned())
}

fn is_code(text: &str) -> bool {
    let mut count = 0;
    for c in text.chars().filter(|c| !c.is_whitespace() && *c != '-') {
        if !c.is_ascii_hexdigit() {
            return false;
        }
        count += 1;
    }
    count == CODE_LEN
}

/// Turns one line's code part into 16 lowercase hex characters, or says what is wrong.
fn normalise(candidate: &str, line: usize) -> Result<String, ImportError> {
    if candidate.to_ascii_lowercase().starts_with("otpauth:") {
        return Err(ImportError::LooksLikeTotp { line });
    }
    let compact: String = candidate
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if looks_like_totp_secret(&compact) {
        return Err(ImportError::LooksLikeTotp { line });
    }
    if !compact.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(ImportError::NotHex { line });
    }
    if compact.len() != CODE_LEN {
        return Err(ImportError::WrongLength {
            line,
            found: compact.len(),
        });
    }
    Ok(compact.to_ascii_lowercase())
}

/// Base32 secrets (letters A–Z and digits 2–7) of 16 or more characters, which would
/// otherwise be reported as "not hex" and confuse the user.
fn looks_like_totp_secret(compact: &str) -> bool {
    let trimmed = compact.trim_end_matches('=');
    trimmed.len() >= 16
        && trimmed
            .chars()
            .all(|c| c.is_ascii_alphabetic() || ('2'..='7').contains(&c))
        && trimmed
            .chars()
            .any(|c| c.is_ascii_alphabetic() && !c.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    const CODES: [&str; 8] = [
        "00aa11bb22cc33dd",
        "44ee55ff66aa77bb",
        "8899aabbccddeeff",
        "0f0e0d0c0b0a0908",
        "1a2b3c4d5e6f7a8b",
        "abcdef0123456789",
        "76543210fedcba98",
        "13579bdf02468ace",
    ];

    fn parsed(input: &str) -> Vec<String> {
        parse_codes(input.as_bytes())
            .expect("accepted")
            .iter()
            .map(|c| c.expose_secret().clone())
            .collect()
    }

    #[test]
    fn accepts_pypis_downloaded_file() {
        assert_eq!(parsed(&(CODES.join("\n") + "\n")), CODES);
    }

    #[test]
    fn accepts_pypis_clipboard_text() {
        assert_eq!(
            parsed(&format!("PyPI recovery codes\n{}", CODES.join("\n"))),
            CODES
        );
    }

    #[test]
    fn accepts_upper_case_groups_numbering_crlf_bom_and_blank_lines() {
        let input = format!(
            "\u{feff}PyPI recovery codes\r\n\r\n1. {}\r\n2) {}\r\n 3: {} \r\n- {}\r\n\r\n* {}\r\n{}\r\n7 - {}\r\n#8 {}\r\n",
            "00AA 11BB 22CC 33DD",
            "44ee-55ff-66aa-77bb",
            "8899aabb ccddeeff",
            CODES[3],
            CODES[4].to_uppercase(),
            "abcd ef01 2345 6789",
            CODES[6],
            CODES[7],
        );
        assert_eq!(parsed(&input), CODES);
    }

    #[test]
    fn accepts_fewer_than_eight() {
        assert_eq!(parsed(&CODES[..7].join("\n")), &CODES[..7]);
        assert_eq!(parsed(CODES[0]), &CODES[..1]);
    }

    fn refusal(input: &str) -> ImportError {
        parse_codes(input.as_bytes()).expect_err("refused")
    }

    #[test]
    fn refuses_what_is_not_a_set_of_codes() {
        assert_eq!(refusal(""), ImportError::Empty);
        assert_eq!(refusal("\n \r\nPyPI recovery codes\n"), ImportError::Empty);
        assert_eq!(
            refusal(&format!("{}\n00aa11bb22cc33d", CODES[0])),
            ImportError::WrongLength { line: 2, found: 15 }
        );
        assert_eq!(
            refusal("00aa11bb22cc33dd00"),
            ImportError::WrongLength { line: 1, found: 18 }
        );
        assert_eq!(refusal("00aa11bb22cc33dg"), ImportError::NotHex { line: 1 });
        assert_eq!(refusal("xyz"), ImportError::NotHex { line: 1 });
        assert_eq!(
            refusal(&format!("{}\n\n{}", CODES[1], CODES[1].to_uppercase())),
            ImportError::Duplicate { line: 3, first: 1 }
        );
        let nine = format!("{}\n0123456789abcdef", CODES.join("\n"));
        assert_eq!(refusal(&nine), ImportError::TooMany { found: 9 });
        assert_eq!(
            refusal("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"),
            ImportError::LooksLikeTotp { line: 1 }
        );
        assert_eq!(
            refusal("otpauth://totp/PyPI:alice?secret=JBSWY3DPEHPK3PXP"),
            ImportError::LooksLikeTotp { line: 1 }
        );
        assert_eq!(
            refusal(&"a".repeat(MAX_INPUT_BYTES + 1)),
            ImportError::TooLarge
        );
        assert_eq!(parse_codes(&[0xff, 0xfe, 0x00]), Err(ImportError::NotText));
    }

    #[test]
    fn refusals_never_repeat_the_code() {
        let secret_ish = "00aa11bb22cc33dd";
        for input in [
            format!("{secret_ish}\n{secret_ish}"),
            format!("{secret_ish}0"),
            format!("{secret_ish}\n{}", CODES.join("\n")),
        ] {
            let message = refusal(&input).to_string();
            assert!(!message.contains(secret_ish), "{message}");
            assert!(!message.contains("00aa"), "{message}");
        }
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any bytes at all: a result, never a panic; and a refusal never quotes the input.
        #[test]
        fn never_panics_and_never_echoes(input in proptest::collection::vec(any::<u8>(), 0..2048)) {
            if let Err(error) = parse_codes(&input) {
                let message = error.to_string();
                let text = String::from_utf8_lossy(&input);
                for line in text.lines().map(str::trim).filter(|l| l.len() >= 8) {
                    prop_assert!(!message.contains(line));
                }
            }
        }

        /// Every valid set of codes, in any case and with grouping spaces, round-trips.
        #[test]
        fn valid_sets_round_trip(codes in proptest::collection::hash_set("[0-9a-f]{16}", 1..=8)) {
            let codes: Vec<String> = codes.into_iter().collect();
            let pasted: Vec<String> = codes.iter().map(|c| format!("{} {}", &c[..8], c[8..].to_uppercase())).collect();
            let parsed = parse_codes(pasted.join("\r\n").as_bytes()).unwrap();
            let parsed: Vec<&String> = parsed.iter().map(|c| c.expose_secret()).collect();
            prop_assert_eq!(parsed, codes.iter().collect::<Vec<_>>());
        }
    }
}
