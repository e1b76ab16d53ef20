//! Authenticator (TOTP) backups: importing a secret from an `otpauth://` link, a QR image or
//! by hand, generating and verifying codes, and handing the secret to a new phone.
//!
//! Every input is normalised and checked here first, because totp-rs refuses several shapes
//! real services issue (lowercase or spaced base32, `=` padding, 80-bit secrets); totp-rs
//! then only computes codes.

mod backups;
mod key;
mod link;
mod qr;

/// How an authenticator is named to the user: "issuer: label", or the label alone.
pub fn title(issuer: Option<&str>, label: &str) -> String {
    match issuer {
        Some(issuer) => format!("{issuer}: {label}"),
        None => label.to_owned(),
    }
}

pub use backups::{
    CurrentCode, Revealed, StoredKey, TotpBackups, TotpSummary, Verification,
    NEXT_CODE_WITHIN_SECONDS,
};
pub use key::{Algorithm, ManualEntry, TotpKey};
pub use link::{parse_uri, MAX_URI_LEN};
pub use qr::{decode_qr_image, read_qr_file, QrMatrix, MAX_IMAGE_BYTES};

use crate::keychain::{KeychainError, KeychainErrorKind};

/// Steps either side of now that still count as a match, as on PyPI.
pub const ACCEPTED_DRIFT_STEPS: u64 = 1;
/// Steps either side of now within which a code means "the clock is off", as on PyPI.
pub const CLOCK_DRIFT_STEPS: u64 = 10;
/// Secrets shorter than this (in bytes) work but are weaker; RFC 4226 asks for 128 bits.
pub const RECOMMENDED_SECRET_BYTES: usize = 16;
/// Secrets shorter than this (80 bits, what GitHub issues) are refused as not real.
pub const MIN_SECRET_BYTES: usize = 10;
/// The longest secret accepted (1,024 bits): twice HMAC-SHA-512's block size, far above what
/// any service issues, and small enough that a key's keychain item always fits
/// [`crate::keychain::MAX_ITEM_BYTES`].
pub const MAX_SECRET_BYTES: usize = 128;
/// The longest issuer and account name in a key, in characters.
pub const MAX_NAME_CHARS: usize = 200;

/// Why an authenticator operation failed. No variant, and no message, holds the secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TotpError {
    /// The text is not an `otpauth://` link.
    #[error("This is not an authenticator link. It should start with otpauth://totp/ — on PyPI's setup page, choose the option to enter the key by hand to see it, or import a screenshot of the QR code instead.")]
    NotOtpauth,
    /// A Google Authenticator bulk export, which packs many accounts in another format.
    #[error("This is a Google Authenticator export (otpauth-migration://), which packs several accounts in another format. Export the PyPI account alone, or set it up again on PyPI and import its QR code.")]
    MigrationExport,
    /// A counter-based HOTP link.
    #[error("This is an HOTP (counter-based) link. PyPI uses time-based (TOTP) codes; import the otpauth://totp/ link from PyPI's setup page.")]
    Hotp,
    /// The link is malformed.
    #[error("This authenticator link is damaged: {0}. Copy it again, or import a screenshot of the QR code.")]
    BadLink(&'static str),
    /// The link or entry is larger than any authenticator link.
    #[error("This is far longer than an authenticator link (over 4,096 characters). Paste only the otpauth:// link.")]
    TooLong,
    /// The issuer or the account name is longer than any real one.
    #[error("The issuer or the account name in this key is over 200 characters. Shorten it, or enter the setup key by hand with a shorter name.")]
    NameTooLong,
    /// The secret is longer than any service issues.
    #[error("This setup key is {bits} bits long; authenticator keys are 80 to 512 bits, and at most 1,024 are accepted. Check that only the key was pasted.")]
    SecretTooLong {
        /// The secret's length in bits.
        bits: usize,
    },
    /// No secret was given.
    #[error("The link has no secret (the secret= part is missing or empty). Copy the whole link, or enter the setup key by hand.")]
    MissingSecret,
    /// The secret is not base32.
    #[error("The secret is not valid base32: it may contain only the letters A–Z and the digits 2–7 (spaces, dashes and = are ignored). Check for a mistyped 0, 1 or 8.")]
    InvalidSecret,
    /// The secret decodes to fewer than 80 bits.
    #[error("The secret is too short to be real ({bits} bits; services issue at least 80). Check that it was copied whole.")]
    SecretTooShort {
        /// How many bits the secret has.
        bits: usize,
    },
    /// An algorithm other than SHA1, SHA256 and SHA512.
    #[error("The algorithm “{0}” is not supported. Authenticator codes use SHA1 (PyPI's), SHA256 or SHA512.")]
    UnsupportedAlgorithm(String),
    /// A digit count outside 6 to 8.
    #[error("Codes with {0} digits are not supported. Authenticator codes have 6 (PyPI's), 7 or 8 digits.")]
    UnsupportedDigits(String),
    /// A period of 0, negative, or not a number.
    #[error(
        "The period must be a whole number of seconds above 0 (PyPI uses 30); this one is “{0}”."
    )]
    BadPeriod(String),
    /// The image is over the size limit.
    #[error("This image is larger than 20 MB. Take a screenshot of just the QR code, or paste the link instead.")]
    ImageTooLarge,
    /// The image has more pixels than any screenshot (a decompression bomb, or a huge scan).
    #[error("This image has more than 40 million pixels. Take a screenshot of just the QR code, or paste the link instead.")]
    ImageTooManyPixels,
    /// The file is not an image we can read.
    #[error("This file is not a PNG or JPEG image that can be read. Save the screenshot as PNG, or paste the link instead.")]
    ImageUnreadable,
    /// No QR code was found in the image.
    #[error("No QR code was found in this image. Use a screenshot that shows the whole code, sharp and unrotated, or paste the link instead.")]
    NoQrCode,
    /// A QR code was found, but it holds something else.
    #[error("The QR code in this image is not an authenticator code (it does not hold an otpauth:// link).")]
    QrNotOtpauth,
    /// The image file could not be read.
    #[error("The image could not be read: {0}")]
    File(String),
    /// The keychain could not be used; nothing was changed.
    #[error(transparent)]
    Keychain(#[from] KeychainError),
    /// The account name cannot be used.
    #[error(
        "Give the account a name: your PyPI username, 1 to 100 characters, with no line breaks."
    )]
    BadAccountName,
    /// No authenticator backup is stored for the account.
    #[error("No authenticator backup is stored for “{0}”. Import one first.")]
    UnknownAccount(String),
    /// The account already has a backup, and replacing it was not confirmed.
    #[error(
        "An authenticator backup for “{0}” is already stored. Confirm that you want to replace it."
    )]
    WouldReplace(String),
    /// The code to verify is not a code of this account's shape.
    #[error("Type the {0}-digit code your authenticator app shows now (digits only; spaces are ignored).")]
    BadCode(u8),
}

/// What kind of authenticator failure it is, for code that reacts to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TotpErrorKind {
    /// The link or entry was refused; nothing was stored.
    ImportRefused,
    /// The image holds no usable QR code, or cannot be read.
    ImageRefused,
    /// The account name cannot be used.
    BadAccount,
    /// No backup is stored for the account.
    UnknownAccount,
    /// A backup is stored, and replacing it was not confirmed.
    WouldReplace,
    /// The typed code does not have the account's shape.
    BadCode,
    /// The keychain could not be used.
    Keychain(KeychainErrorKind),
}

impl TotpError {
    /// What kind of failure this is.
    pub fn kind(&self) -> TotpErrorKind {
        use TotpErrorKind as Kind;
        match self {
            TotpError::NotOtpauth
            | TotpError::MigrationExport
            | TotpError::Hotp
            | TotpError::BadLink(_)
            | TotpError::TooLong
            | TotpError::NameTooLong
            | TotpError::SecretTooLong { .. }
            | TotpError::MissingSecret
            | TotpError::InvalidSecret
            | TotpError::SecretTooShort { .. }
            | TotpError::UnsupportedAlgorithm(_)
            | TotpError::UnsupportedDigits(_)
            | TotpError::BadPeriod(_) => Kind::ImportRefused,
            TotpError::ImageTooLarge
            | TotpError::ImageTooManyPixels
            | TotpError::ImageUnreadable
            | TotpError::NoQrCode
            | TotpError::QrNotOtpauth
            | TotpError::File(_) => Kind::ImageRefused,
            TotpError::Keychain(error) => Kind::Keychain(error.kind()),
            TotpError::BadAccountName => Kind::BadAccount,
            TotpError::UnknownAccount(_) => Kind::UnknownAccount,
            TotpError::WouldReplace(_) => Kind::WouldReplace,
            TotpError::BadCode(_) => Kind::BadCode,
        }
    }
}

/// Quotes a user-supplied parameter in an error without letting a huge or odd value through.
fn quoted(value: &str) -> String {
    let shown: String = value.chars().filter(|c| !c.is_control()).take(16).collect();
    if value.chars().count() > 16 {
        format!("{shown}…")
    } else {
        shown
    }
}

#[cfg(test)]
mod tests {
    /// A link as PyPI's 2FA setup page gives it, for the key and link tests.
    pub(crate) const PYPI: &str = "otpauth://totp/PyPI:alice?digits=6&secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&algorithm=SHA1&issuer=PyPI&period=30";
}
