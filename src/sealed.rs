//! Passphrase encryption in the standard age format (scrypt recipient), shared by backups and
//! the file vault, so `age -d` can always open what we write.

use crate::secret::{SecretBytes, SecretString};

/// The scrypt work factor for the file vault (2^16), which re-encrypts on every change:
/// about a quarter of a second here. Exports use age's own target of about one second.
pub const VAULT_WORK_FACTOR: u8 = 16;
/// The scrypt work factor for backups (2^18, under a second here): Go age's own default, so
/// every age opens them, and well under [`MAX_WORK_FACTOR`], so this app on any machine does.
/// (Age's own 1-second target would pick more on a fast machine, past what we open.)
pub const BACKUP_WORK_FACTOR: u8 = 18;
/// The largest work factor we accept when decrypting: 2^20, which is 1 GiB of memory and about
/// 3 s here. Age's own 1-second target gives 2^18 on this (2-core) machine, and Go age's fixed
/// default is 2^18 too; two doublings more still open a backup made on a computer four times
/// faster, while a hostile file can no longer ask for 4 GiB (2^22) or hours of work.
#[cfg(not(fuzzing))]
const MAX_WORK_FACTOR: u8 = 20;
/// Fuzzing explores the header parser, not scrypt: any real work factor is refused at once.
#[cfg(fuzzing)]
const MAX_WORK_FACTOR: u8 = 2;

/// Why an age file could not be opened. None of the messages holds the passphrase.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    /// The file is not in the age format.
    #[error("This file is not an age-encrypted file.")]
    NotAge,
    /// The file is age, but encrypted to a key rather than a passphrase.
    #[error("This file was encrypted to an age key, not with a passphrase, so it cannot be opened here.")]
    NotPassphrase,
    /// The passphrase does not open the file.
    #[error("The passphrase is wrong: it does not open this file. Nothing was changed.")]
    WrongPassphrase,
    /// The file is damaged or truncated.
    #[error(
        "The file is damaged or incomplete (its contents do not check out). Nothing was changed."
    )]
    Corrupt,
    /// The file asks for far more work than any file we write.
    #[error("The file asks for an unreasonable amount of work to decrypt, so it was not opened.")]
    TooMuchWork,
    /// Encryption itself failed (it has no known cause once the recipient exists).
    #[error("The file could not be encrypted, so nothing was written.")]
    Encrypt,
}

fn age_secret(passphrase: &SecretString) -> age::secrecy::SecretString {
    age::secrecy::SecretString::from(passphrase.expose_secret().clone())
}

/// Encrypts `plaintext` with `passphrase`; `work_factor` overrides age's ~1 s target.
pub fn seal(
    plaintext: &[u8],
    passphrase: &SecretString,
    work_factor: Option<u8>,
) -> Result<Vec<u8>, SealError> {
    let mut recipient = age::scrypt::Recipient::new(age_secret(passphrase));
    if let Some(log_n) = work_factor {
        recipient.set_work_factor(log_n);
    }
    // Never an empty file in place of a failure: it would be written over a good vault.
    age::encrypt(&recipient, plaintext).map_err(|_| SealError::Encrypt)
}

/// Decrypts an age file encrypted with a passphrase.
pub fn open(ciphertext: &[u8], passphrase: &SecretString) -> Result<SecretBytes, SealError> {
    if !ciphertext.starts_with(b"age-encryption.org/") {
        return Err(SealError::NotAge);
    }
    let decryptor = age::Decryptor::new_buffered(ciphertext).map_err(classify)?;
    if !decryptor.is_scrypt() {
        return Err(SealError::NotPassphrase);
    }
    let mut identity = age::scrypt::Identity::new(age_secret(passphrase));
    identity.set_max_work_factor(MAX_WORK_FACTOR);
    let mut reader = decryptor
        .decrypt(std::iter::once(&identity as &dyn age::Identity))
        .map_err(classify)?;
    let mut plaintext = SecretBytes::from(Vec::new());
    std::io::Read::read_to_end(&mut reader, plaintext.expose_secret_mut())
        .map_err(|_| SealError::Corrupt)?;
    Ok(plaintext)
}

fn classify(error: age::DecryptError) -> SealError {
    match error {
        age::DecryptError::NoMatchingKeys
        | age::DecryptError::DecryptionFailed
        | age::DecryptError::KeyDecryptionFailed => SealError::WrongPassphrase,
        age::DecryptError::ExcessiveWork { .. } => SealError::TooMuchWork,
        age::DecryptError::UnknownFormat => SealError::NotAge,
        _ => SealError::Corrupt,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_every_failure() {
        let passphrase = SecretString::from("correct horse battery staple");
        let sealed = seal(b"{\"x\":1}", &passphrase, Some(10)).unwrap();
        assert!(sealed.starts_with(b"age-encryption.org/v1\n"));
        assert_eq!(
            open(&sealed, &passphrase).unwrap().expose_secret(),
            b"{\"x\":1}"
        );
        assert_eq!(
            open(&sealed, &SecretString::from("wrong")),
            Err(SealError::WrongPassphrase)
        );
        assert_eq!(
            open(&sealed[..sealed.len() - 5], &passphrase),
            Err(SealError::Corrupt)
        );
        let mut flipped = sealed;
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        assert_eq!(open(&flipped, &passphrase), Err(SealError::Corrupt));
        assert_eq!(open(b"{\"x\":1}", &passphrase), Err(SealError::NotAge));
        assert_eq!(open(b"", &passphrase), Err(SealError::NotAge));
    }

    /// A file whose header asks for more than 2^20 is refused before any scrypt work.
    #[test]
    fn excessive_work_is_refused_before_it_starts() {
        let passphrase = SecretString::from("correct horse battery staple");
        let file = seal(b"secret", &passphrase, Some(10)).unwrap();
        let text = String::from_utf8_lossy(&file).into_owned();
        let stanza = text.lines().find(|l| l.starts_with("-> scrypt ")).unwrap();
        let hostile = text.replacen(stanza, &stanza.replace(" 10", " 21"), 1);
        assert_eq!(
            open(hostile.as_bytes(), &passphrase),
            Err(SealError::TooMuchWork)
        );
    }
}
