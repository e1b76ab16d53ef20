//! Secret types: the only way recovery codes, TOTP secrets and passwords travel through the core.
//!
//! A [`Secret`] prints `[REDACTED]` in `Debug`, wipes its memory on drop, and has no
//! `Serialize` implementation, so it cannot reach a log, an error message or the webview by
//! accident. Reading it takes an explicit, greppable [`Secret::expose_secret`].

use std::fmt;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// A value that must never be printed, logged, serialized or left behind in memory.
#[derive(Clone, Default, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct Secret<T: Zeroize>(T);

/// A secret piece of text: a password, a recovery code, a base32 TOTP secret.
pub type SecretString = Secret<String>;

/// Secret bytes: the serialized contents of a keychain item.
pub type SecretBytes = Secret<Vec<u8>>;

impl<T: Zeroize> Secret<T> {
    /// Wraps a value; the caller should not keep another copy of it.
    pub fn new(value: T) -> Self {
        Self(value)
    }

    /// Reads the secret. Every call site is a place where a secret leaves its wrapper,
    /// so keep them few and easy to audit (`grep expose_secret`).
    pub fn expose_secret(&self) -> &T {
        &self.0
    }

    /// Lets a decoder write the secret straight into its wrapper, so no unwrapped copy exists.
    pub fn expose_secret_mut(&mut self) -> &mut T {
        &mut self.0
    }
}

impl<T: Zeroize> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[REDACTED]")
    }
}

impl From<String> for SecretString {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for SecretString {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl From<Vec<u8>> for SecretBytes {
    fn from(value: Vec<u8>) -> Self {
        Self(value)
    }
}

/// A secret as it is shown to be read or typed: groups of four characters with a space
/// between ("00aa 11bb 22cc 33dd"). Groups are of characters, never bytes.
pub fn grouped(text: &str) -> String {
    let mut shown = String::with_capacity(text.len() + text.len() / 4);
    for (i, c) in text.chars().enumerate() {
        if i > 0 && i % 4 == 0 {
            shown.push(' ');
        }
        shown.push(c);
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_value() {
        let secret = SecretString::from("0123456789abcdef");
        assert_eq!(format!("{secret:?}"), "[REDACTED]");
        assert_eq!(format!("{:?}", Some(&secret)), "Some([REDACTED])");
        assert_eq!(secret.expose_secret(), "0123456789abcdef");
    }

    #[test]
    fn secrets_are_shown_in_groups_of_four_characters() {
        assert_eq!(super::grouped("00aa11bb22cc33dd"), "00aa 11bb 22cc 33dd");
        assert_eq!(super::grouped("JBSWY3DPE"), "JBSW Y3DP E");
        assert_eq!(super::grouped("ключ1"), "ключ 1");
        assert_eq!(super::grouped(""), "");
    }
}
