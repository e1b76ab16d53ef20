//! Recovery-request commands: the path finder, checking and previewing, the draft, the
//! submission log, and export/import of the request file.

use super::off_main;
use crate::prompts::FileQuestion;
use crate::{AppError, AppState};
use pypi_recovery::request::store::{write_request, Submission};
use pypi_recovery::request::{self, Answers, Check, PathStep, Preview, Request};
use serde::Serialize;
use tauri::State;
use time::OffsetDateTime;

/// The path finder's questions that matter for the answers so far, and the advice once
/// they are all answered.
#[tauri::command]
#[specta::specta]
pub async fn request_path_step(answers: Answers) -> Result<PathStep, AppError> {
    off_main(move || request::path_step(&answers)).await
}

/// Validation errors and guard findings for the request as it stands.
#[tauri::command]
#[specta::specta]
pub async fn request_check(request: Request) -> Result<Check, AppError> {
    off_main(move || request::check(&request)).await
}

/// The public issue (Markdown and sanitized HTML), the form URL and the private email.
#[tauri::command]
#[specta::specta]
pub async fn request_preview(
    request: Request,
    issue_url: Option<String>,
) -> Result<Preview, AppError> {
    off_main(move || Preview::of(&request, issue_url.as_deref())).await
}

/// The draft restored at start, and a message when an unreadable one was set aside.
#[derive(Debug, Serialize, specta::Type)]
pub struct Draft {
    /// The saved request, if there is one.
    pub request: Option<Request>,
    /// Said to the user when the draft could not be read.
    pub notice: Option<String>,
}

/// Restores the autosaved draft.
#[tauri::command]
#[specta::specta]
pub fn request_load_draft(state: State<'_, AppState>) -> Draft {
    match state.requests.load_draft() {
        Ok(request) => Draft {
            request,
            notice: None,
        },
        Err(error) => Draft {
            request: None,
            notice: Some(error.to_string()),
        },
    }
}

/// Autosaves the draft (atomic write, mode 0600).
#[tauri::command]
#[specta::specta]
pub async fn request_save_draft(
    state: State<'_, AppState>,
    request: Request,
) -> Result<(), AppError> {
    let requests = state.requests.clone();
    Ok(off_main(move || requests.save_draft(&request)).await??)
}

/// Deletes the draft ("Forget this draft").
#[tauri::command]
#[specta::specta]
pub fn request_forget_draft(state: State<'_, AppState>) -> Result<(), AppError> {
    Ok(state.requests.forget_draft()?)
}

/// Earlier hand-offs for this username, for the "you already filed one" warning.
#[tauri::command]
#[specta::specta]
pub fn request_earlier(
    state: State<'_, AppState>,
    username: String,
) -> Result<Vec<Submission>, AppError> {
    Ok(state.requests.earlier_for(&username)?)
}

/// Records that the user opened the GitHub form for this request; returns the follow-up date.
#[tauri::command]
#[specta::specta]
pub fn request_record_hand_off(
    state: State<'_, AppState>,
    username: String,
) -> Result<Submission, AppError> {
    Ok(state
        .requests
        .record_submission(&username, OffsetDateTime::now_utc())?)
}

const REQUEST_FILES: (&str, &str) = ("Recovery request", "json");

/// Asks in the native save dialog where to write the request; false when the user cancels.
#[tauri::command]
#[specta::specta]
pub async fn request_export(
    state: State<'_, AppState>,
    request: Request,
) -> Result<bool, AppError> {
    // Only a PyPI username's own characters go into the suggested name.
    let mut name: String = (request.username.chars())
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        .collect();
    if name.is_empty() {
        name = "draft".into();
    }
    let Some(path) = state
        .save_file(FileQuestion {
            title: "Save the recovery request".into(),
            kind: REQUEST_FILES,
            folder: dirs::document_dir().or_else(dirs::home_dir),
            file_name: Some(format!("pypi-recovery-request-{name}.json")),
        })
        .await?
    else {
        return Ok(false);
    };
    off_main(move || write_request(&path, &request)).await??;
    Ok(true)
}

/// Reads a request file the user picks in the native open dialog; `None` when they cancel.
#[tauri::command]
#[specta::specta]
pub async fn request_import(state: State<'_, AppState>) -> Result<Option<Request>, AppError> {
    let Some(path) = state
        .open_file(FileQuestion {
            title: "Open a recovery request".into(),
            kind: REQUEST_FILES,
            folder: dirs::document_dir().or_else(dirs::home_dir),
            file_name: None,
        })
        .await?
    else {
        return Ok(None);
    };
    Ok(Some(off_main(move || Request::read_file(&path)).await??))
}

/// Puts non-secret text (a form field, the email) on the clipboard.
#[tauri::command]
#[specta::specta]
pub async fn copy_text(text: String) -> Result<(), AppError> {
    off_main(move || crate::clipboard::copy_text(text)).await?
}
