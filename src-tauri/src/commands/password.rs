//! Password-check commands. The password crosses IPC only because the user typed it here;
//! it is never stored or logged, and the verdict never contains it.

use super::off_main;
use crate::clipboard::{self, Copied};
use crate::AppError;
use pypi_recovery::secret::SecretString;
use pypi_recovery::strength::passphrase::{self, os_random};
use pypi_recovery::strength::{self, Pwned, Strength, HIBP_API};
use serde::Serialize;

/// zxcvbn's verdict and PyPI's rule, computed off the main thread.
#[tauri::command]
#[specta::specta]
pub async fn password_check(
    password: String,
    user_inputs: Vec<String>,
) -> Result<Strength, AppError> {
    let password = SecretString::from(password);
    off_main(move || {
        let inputs: Vec<&str> = user_inputs
            .iter()
            .map(String::as_str)
            .filter(|s| !s.trim().is_empty())
            .collect();
        strength::evaluate(&password, &inputs)
    })
    .await
}

/// The opt-in breach check: only a 5-character SHA-1 prefix leaves the machine.
#[tauri::command]
#[specta::specta]
pub async fn password_pwned(password: String) -> Result<Pwned, AppError> {
    let password = SecretString::from(password);
    let api = std::env::var("PYPI_RECOVERY_HIBP_API")
        .ok()
        .filter(|_| cfg!(debug_assertions))
        .unwrap_or_else(|| HIBP_API.to_owned());
    off_main(move || strength::check_pwned(&strength::hibp::client(&api)?, &password))
        .await?
        .map_err(AppError::from)
}

/// A generated passphrase, shown because the user asked for one.
#[derive(Debug, Serialize, specta::Type)]
pub struct GeneratedPassphrase {
    /// The passphrase.
    pub phrase: String,
    /// Its entropy in bits.
    pub entropy_bits: f64,
}

/// Generates a passphrase from the EFF large wordlist with the OS CSPRNG.
#[tauri::command]
#[specta::specta]
pub fn passphrase_generate(words: u32, separator: String) -> GeneratedPassphrase {
    let separator: String = separator.chars().take(3).collect();
    let generated = passphrase::generate(words as usize, &separator, &mut os_random);
    GeneratedPassphrase {
        phrase: generated.phrase.expose_secret().clone(),
        entropy_bits: generated.entropy_bits,
    }
}

/// Copies a password or passphrase; the clipboard clears itself like it does for codes.
#[tauri::command]
#[specta::specta]
pub async fn copy_secret(text: String) -> Result<Copied, AppError> {
    let text = SecretString::from(text);
    off_main(move || clipboard::copy_secret(text, None)).await?
}
