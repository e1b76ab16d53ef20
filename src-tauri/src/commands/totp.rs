//! Authenticator commands. Listing never carries a secret; the current code goes to the UI
//! when the user opens an account, and the secret itself only on an explicit "move to a new
//! phone". Links and images are parsed in Rust; the UI hands over an image's bytes as the
//! user chose, dropped or pasted it, and keeps nothing.

use super::{import_confirming_replace, off_main, on_store};
use crate::clipboard::{self, Copied};
use crate::prompts::Confirmation;
use crate::{AppError, AppState};
use pypi_recovery::secret::{SecretBytes, SecretString};
use pypi_recovery::totp::{
    decode_qr_image, parse_uri, ManualEntry, QrMatrix, TotpBackups, TotpKey, TotpSummary,
    NEXT_CODE_WITHIN_SECONDS,
};
use serde::{Deserialize, Serialize};
use std::time::{SystemTime, UNIX_EPOCH};
use time::OffsetDateTime;

/// The current code and what a countdown ring needs.
#[derive(Debug, Serialize, specta::Type)]
pub struct TotpCode {
    /// The code now.
    pub code: String,
    /// The next code, only in the last seconds of the period.
    pub next: Option<String>,
    /// Seconds until the code changes.
    pub seconds_left: u32,
    /// Seconds per code.
    pub period: u32,
    /// `next` is given, and shown, from this many seconds before the end of the period.
    pub next_within: u32,
}

/// The result of comparing the phone's code with the backup.
#[derive(Debug, Serialize, specta::Type)]
pub struct TotpCheck {
    /// True when PyPI would accept the phone's code with this backup.
    pub matched: bool,
    /// True when the code belongs 2 to 10 steps away: a clock is wrong, the backup is right.
    pub clock_off: bool,
    /// What it means, for people.
    pub message: String,
}

/// The secret for a new phone, sent only on an explicit action.
#[derive(Debug, Serialize, specta::Type)]
pub struct TotpRevealed {
    /// The otpauth:// link.
    pub uri: String,
    /// The secret in base32, grouped in fours for typing.
    pub secret: String,
    /// The link as a QR code.
    pub qr: Option<QrMatrix>,
}

/// What the user typed in the manual-entry form.
#[derive(Debug, Deserialize, specta::Type)]
pub struct TotpManual {
    /// The setup key in base32.
    pub secret: String,
    /// Who issued it.
    pub issuer: Option<String>,
    /// The account name the service shows.
    pub label: String,
    /// SHA1, SHA256 or SHA512.
    pub algorithm: String,
    /// Digits per code.
    pub digits: u32,
    /// Seconds per code.
    pub period: u32,
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Stores `key` under `account` (the key's own name when none is given). Replacing a stored
/// backup is confirmed natively.
async fn store(
    state: &AppState,
    account: Option<String>,
    key: TotpKey,
) -> Result<TotpSummary, AppError> {
    let account = key.account_name(account.as_deref());
    let question = Confirmation {
        title: format!("Replace the authenticator backup for {account}?"),
        message: format!(
            "A key is already stored for {account}. It is deleted, and this one is kept \
             instead. If the old key is still the one PyPI uses, its codes can no longer be made here."
        ),
        action: "Replace".into(),
    };
    import_confirming_replace(state, question, move |store, replace| {
        let now = OffsetDateTime::now_utc();
        Ok(TotpBackups::new(store).import(&account, key.clone(), replace, now)?)
    })
    .await
}

/// Every account with a backup, without secrets.
#[tauri::command]
#[specta::specta]
pub async fn totp_list(state: tauri::State<'_, AppState>) -> Result<Vec<TotpSummary>, AppError> {
    state
        .blocking(|store| Ok(TotpBackups::new(store).list()?))
        .await
}

/// Stores the key in a pasted otpauth:// link. Without `account`, the link's own name is used.
#[tauri::command]
#[specta::specta]
pub async fn totp_import_link(
    state: tauri::State<'_, AppState>,
    account: Option<String>,
    link: String,
) -> Result<TotpSummary, AppError> {
    let link = SecretString::from(link);
    let key = parse_uri(link.expose_secret())?;
    store(&state, account, key).await
}

/// Stores the key in the QR code of a PNG or JPEG image (a screenshot the user chose,
/// dropped or pasted), sent as the raw request body.
#[tauri::command]
#[specta::specta]
pub async fn totp_import_image(
    state: tauri::State<'_, AppState>,
    upload: ImageUpload,
) -> Result<TotpSummary, AppError> {
    let ImageUpload { account, image } = upload;
    let key = off_main(move || {
        let link = decode_qr_image(image.expose_secret())?;
        parse_uri(link.expose_secret())
    })
    .await??;
    store(&state, account, key).await
}

/// An image sent as the raw IPC body, not as JSON: a JSON array of numbers costs about four
/// bytes per byte, and the isolation pattern encodes it once more. The account to store it
/// under comes in the `x-account` header, percent-encoded (empty: the link's own name).
pub struct ImageUpload {
    account: Option<String>,
    image: SecretBytes,
}

/// The header naming the account for [`ImageUpload`].
pub const ACCOUNT_HEADER: &str = "x-account";

impl<'a, R: tauri::Runtime> tauri::ipc::CommandArg<'a, R> for ImageUpload {
    fn from_command(
        command: tauri::ipc::CommandItem<'a, R>,
    ) -> Result<Self, tauri::ipc::InvokeError> {
        let tauri::ipc::InvokeBody::Raw(bytes) = command.message.payload() else {
            return Err(AppError::internal().into());
        };
        let header = command.message.headers().get(ACCOUNT_HEADER);
        let account = header
            .and_then(|value| value.to_str().ok())
            .map(|text| percent_encoding::percent_decode_str(text).decode_utf8_lossy())
            .map(|name| name.trim().to_owned())
            .filter(|name| !name.is_empty());
        Ok(Self {
            account,
            image: SecretBytes::from(bytes.clone()),
        })
    }
}

/// Not a JSON argument: the bindings leave it out, and the UI sends the bytes itself.
impl specta::function::FunctionArg for ImageUpload {
    fn to_datatype(_: &mut specta::Types) -> Option<specta::datatype::DataType> {
        None
    }
}

/// Stores a key typed by hand.
#[tauri::command]
#[specta::specta]
pub async fn totp_import_manual(
    state: tauri::State<'_, AppState>,
    account: Option<String>,
    entry: TotpManual,
) -> Result<TotpSummary, AppError> {
    let secret = SecretString::from(entry.secret);
    let key = TotpKey::from_manual(&ManualEntry {
        secret: &secret,
        issuer: entry.issuer.as_deref(),
        label: &entry.label,
        algorithm: &entry.algorithm,
        digits: entry.digits,
        period: entry.period.into(),
    })?;
    store(&state, account, key).await
}

/// The current code of an account the user opened.
#[tauri::command]
#[specta::specta]
pub async fn totp_code(
    state: tauri::State<'_, AppState>,
    account: String,
) -> Result<TotpCode, AppError> {
    let current = state
        .blocking(move |store| Ok(TotpBackups::new(store).code(&account, now())?))
        .await?;
    Ok(TotpCode {
        code: current.code.expose_secret().clone(),
        next: current.next.map(|next| next.expose_secret().clone()),
        seconds_left: u32::try_from(current.seconds_left).unwrap_or(u32::MAX),
        period: u32::try_from(current.period).unwrap_or(u32::MAX),
        next_within: u32::try_from(NEXT_CODE_WITHIN_SECONDS).unwrap_or(u32::MAX),
    })
}

/// Copies the current code; the clipboard clears itself like for recovery codes.
#[tauri::command]
#[specta::specta]
pub async fn totp_copy_code(
    state: tauri::State<'_, AppState>,
    account: String,
) -> Result<Copied, AppError> {
    let current = state
        .blocking(move |store| Ok(TotpBackups::new(store).code(&account, now())?))
        .await?;
    off_main(move || clipboard::copy_secret(current.code, None)).await?
}

/// Compares the code the user's phone shows with the backup.
#[tauri::command]
#[specta::specta]
pub async fn totp_verify(
    state: tauri::State<'_, AppState>,
    account: String,
    code: String,
) -> Result<TotpCheck, AppError> {
    let code = SecretString::from(code);
    let verdict = state
        .blocking(move |store| Ok(TotpBackups::new(store).verify(&account, &code, now())?))
        .await?;
    Ok(TotpCheck {
        matched: verdict.is_match(),
        clock_off: matches!(verdict, pypi_recovery::totp::Verification::ClockOff { .. }),
        message: verdict.message(),
    })
}

/// The store now, and the account's name as stored: checked before any dialog opens, and the
/// store kept for the step after it, whatever changes while the user answers.
async fn stored_account(
    state: &AppState,
    account: String,
) -> Result<
    (
        std::sync::Arc<dyn pypi_recovery::keychain::SecretStore>,
        String,
    ),
    AppError,
> {
    let store = state.store();
    let summary = on_store(&store, move |store| {
        Ok(TotpBackups::new(store).summary(&account)?)
    })
    .await?;
    Ok((store, summary.account))
}

/// The secret as a QR code and as text, for setting up a new phone: only once the user
/// confirms it natively.
#[tauri::command]
#[specta::specta]
pub async fn totp_reveal(
    state: tauri::State<'_, AppState>,
    account: String,
) -> Result<TotpRevealed, AppError> {
    let (store, account) = stored_account(&state, account).await?;
    state
        .confirm(Confirmation {
            title: format!("Show the setup key for {account}?"),
            message: "Anyone who sees the QR code or the key can make your codes, forever. Show \
                      it only to set up a new phone, with nobody watching your screen and no \
                      screen sharing on."
                .into(),
            action: "Show the key".into(),
        })
        .await?;
    let revealed = on_store(&store, move |store| {
        Ok(TotpBackups::new(store).reveal(&account)?)
    })
    .await?;
    Ok(TotpRevealed {
        uri: revealed.uri.expose_secret().clone(),
        secret: pypi_recovery::secret::grouped(revealed.secret.expose_secret()),
        qr: revealed.qr,
    })
}

/// Removes an account's backup, once the user confirms it natively.
#[tauri::command]
#[specta::specta]
pub async fn totp_remove(
    state: tauri::State<'_, AppState>,
    account: String,
) -> Result<bool, AppError> {
    let (store, account) = stored_account(&state, account).await?;
    state
        .confirm(Confirmation {
            title: format!("Remove the authenticator backup for {account}?"),
            message: "The key is deleted from the keychain. Without it, only your phone can make \
                      codes for this account."
                .into(),
            action: "Remove".into(),
        })
        .await?;
    on_store(&store, move |store| {
        Ok(TotpBackups::new(store).remove(&account)?)
    })
    .await
}
