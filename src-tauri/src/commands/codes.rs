//! Recovery-code commands. Listing never carries a code; only the explicit reveal does, and
//! copying puts the code on the clipboard from Rust without it ever reaching the webview.

use super::{import_confirming_replace, off_main, on_store};
use crate::clipboard::{self, Copied};
use crate::prompts::Confirmation;
use crate::{AppError, AppState};
use pypi_recovery::codes::find::{
    default_folders, find_code_files, read_small_file, CodesSite, FindProgress, MAX_TIME,
};
use pypi_recovery::codes::{CodeSets, CodesSummary};
use serde::Serialize;
use std::ops::ControlFlow;
use tauri::ipc::Channel;
use tauri::State;
use time::OffsetDateTime;

/// A code the user explicitly asked to see.
#[derive(Debug, Serialize, specta::Type)]
pub struct RevealedCode {
    /// Its position in the set (0-based, import order).
    pub index: u32,
    /// The code, 16 lowercase hex characters.
    pub code: String,
    /// The code as it is shown, in groups of four.
    pub grouped: String,
}

/// Every account with stored codes: counts and used marks, never the codes.
#[tauri::command]
#[specta::specta]
pub async fn codes_list(state: State<'_, AppState>) -> Result<Vec<CodesSummary>, AppError> {
    state
        .blocking(|store| Ok(CodeSets::new(store).list()?))
        .await
}

/// Stores the codes in `text` for `account`, all or nothing. Replacing a stored set is
/// confirmed natively.
#[tauri::command]
#[specta::specta]
pub async fn codes_import(
    state: State<'_, AppState>,
    account: String,
    text: String,
) -> Result<CodesSummary, AppError> {
    let text = pypi_recovery::secret::SecretString::from(text);
    let question = replace_question(&account);
    import_confirming_replace(&state, question, move |store, replace| {
        let input = text.expose_secret().as_bytes();
        Ok(CodeSets::new(store).import(&account, input, replace, OffsetDateTime::now_utc())?)
    })
    .await
}

fn replace_question(account: &str) -> Confirmation {
    Confirmation {
        title: format!("Replace the recovery codes for {account}?"),
        message: format!(
            "A set is already stored for {account}. It is deleted, and these codes are kept \
             instead. Replace it only if PyPI gave you a new set: the old codes then no longer work."
        ),
        action: "Replace".into(),
    }
}

/// Asks once per account, until the app quits, before its codes are shown or copied: a code
/// signs in in place of the authenticator.
async fn agree_to_use(state: &AppState, account: &str) -> Result<(), AppError> {
    let agreed = |state: &AppState| {
        (state.codes_in_use.lock())
            .unwrap_or_else(|p| p.into_inner())
            .contains(account)
    };
    if agreed(state) {
        return Ok(());
    }
    let name = account.to_owned();
    let summary = state
        .blocking(move |store| Ok(CodeSets::new(store).summary(&name)?))
        .await?;
    state
        .confirm(Confirmation {
            title: format!("Use the recovery codes for {}?", summary.account),
            message: format!(
                "Each code signs in once, in place of your authenticator ({} of {} left). The \
                 app then shows or copies the next one when you ask, until you quit. Go on only \
                 with nobody watching your screen.",
                summary.remaining, summary.total
            ),
            action: "Use them".into(),
        })
        .await?;
    (state.codes_in_use.lock())
        .unwrap_or_else(|p| p.into_inner())
        .insert(summary.account);
    Ok(())
}

/// Shows the first unused code: the one explicit path by which a code reaches the UI.
#[tauri::command]
#[specta::specta]
pub async fn codes_reveal_next(
    state: State<'_, AppState>,
    account: String,
) -> Result<RevealedCode, AppError> {
    agree_to_use(&state, &account).await?;
    state
        .blocking(move |store| {
            let next = CodeSets::new(store).next(&account)?;
            Ok(RevealedCode {
                index: next.index as u32,
                code: next.code.expose_secret().clone(),
                grouped: pypi_recovery::secret::grouped(next.code.expose_secret()),
            })
        })
        .await
}

/// Copies the first unused code to the clipboard, which clears itself after 30 s unless the
/// user has copied something else since.
#[tauri::command]
#[specta::specta]
pub async fn codes_copy_next(
    state: State<'_, AppState>,
    account: String,
) -> Result<Copied, AppError> {
    agree_to_use(&state, &account).await?;
    let next = state
        .blocking(move |store| Ok(CodeSets::new(store).next(&account)?))
        .await?;
    off_main(move || clipboard::copy_secret(next.code, Some(next.index as u32))).await?
}

/// Marks the code at `index` used, or (with `used: false`) undoes that.
#[tauri::command]
#[specta::specta]
pub async fn codes_set_used(
    state: State<'_, AppState>,
    account: String,
    index: u32,
    used: bool,
) -> Result<CodesSummary, AppError> {
    state
        .blocking(move |store| Ok(CodeSets::new(store).set_used(&account, index as usize, used)?))
        .await
}

/// Removes an account's codes, once the user confirms it natively.
#[tauri::command]
#[specta::specta]
pub async fn codes_remove(state: State<'_, AppState>, account: String) -> Result<bool, AppError> {
    let store = state.store();
    let name = account.clone();
    let summary = on_store(
        &store,
        move |store| Ok(CodeSets::new(store).summary(&name)?),
    )
    .await?;
    state
        .confirm(Confirmation {
            title: format!("Remove the recovery codes for {}?", summary.account),
            message: format!(
                "Its {} codes ({} unused) are deleted from the keychain. Keep another copy if \
                 you may still need them.",
                summary.total, summary.remaining
            ),
            action: "Remove".into(),
        })
        .await?;
    state
        .codes_in_use
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .remove(&summary.account);
    on_store(&store, move |store| {
        Ok(CodeSets::new(store).remove(&account)?)
    })
    .await
}

/// A set of codes found on this computer. `id` names it in the commands below; the codes
/// themselves never leave Rust.
#[derive(Debug, Serialize, specta::Type)]
pub struct FoundCodes {
    /// Its position in the last search.
    pub id: u32,
    /// The file's name, for display (the path stays in Rust; `id` names the file).
    pub name: String,
    /// The folder it is in.
    pub folder: String,
    /// The account, from PyPI's download name.
    pub account: Option<String>,
    /// The site, from PyPI's download name.
    pub site: Option<CodesSite>,
    /// How many codes it holds.
    pub codes: u32,
}

/// What a search found.
#[derive(Debug, Serialize, specta::Type)]
pub struct CodesSearch {
    /// The sets found.
    pub sets: Vec<FoundCodes>,
    /// The folders searched.
    pub searched: Vec<String>,
    /// Folders that could not be opened.
    pub unreadable_folders: u32,
    /// The search stopped before the end (too many files, or too slow).
    pub stopped_early: bool,
}

/// Looks for saved recovery codes in Downloads, Documents and Desktop, telling `on_progress`
/// as it goes. Only counts and places come back, never a code.
#[tauri::command]
#[specta::specta]
pub async fn codes_find(
    state: State<'_, AppState>,
    on_progress: Channel<FindProgress>,
) -> Result<CodesSearch, AppError> {
    let folders = state.code_folders.clone();
    let report = off_main(move || {
        let started = std::time::Instant::now();
        let folders = folders.unwrap_or_else(default_folders);
        find_code_files(&folders, |progress| {
            let _ = on_progress.send(progress.clone());
            if started.elapsed() > MAX_TIME {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
    })
    .await?;
    let shown = |path: &std::path::Path| path.display().to_string();
    let sets = report
        .sets
        .iter()
        .zip(0..)
        .map(|(set, id)| FoundCodes {
            id,
            name: set
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            folder: set.path.parent().map(shown).unwrap_or_default(),
            account: set.account.clone(),
            site: set.site,
            codes: set.codes,
        })
        .collect();
    *state.found_codes.lock().unwrap_or_else(|p| p.into_inner()) =
        report.sets.into_iter().map(|s| s.path).collect();
    Ok(CodesSearch {
        sets,
        searched: report.searched.iter().map(|p| shown(p)).collect(),
        unreadable_folders: report.unreadable_folders,
        stopped_early: report.stopped_early,
    })
}

fn found_path(state: &AppState, id: u32) -> Result<std::path::PathBuf, AppError> {
    state
        .found_codes
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(id as usize)
        .cloned()
        .ok_or_else(AppError::search_again)
}

/// Imports a found set for `account` with the normal import: all or nothing, and replacing
/// a stored set only once confirmed natively.
#[tauri::command]
#[specta::specta]
pub async fn codes_import_found(
    state: State<'_, AppState>,
    id: u32,
    account: String,
) -> Result<CodesSummary, AppError> {
    let path = found_path(&state, id)?;
    let question = replace_question(&account);
    import_confirming_replace(&state, question, move |store, replace| {
        let bytes = read_small_file(&path)?;
        Ok(CodeSets::new(store).import(
            &account,
            bytes.expose_secret(),
            replace,
            OffsetDateTime::now_utc(),
        )?)
    })
    .await
}

/// Shows a found file in the system's file manager.
#[tauri::command]
#[specta::specta]
pub async fn codes_show_found(state: State<'_, AppState>, id: u32) -> Result<(), AppError> {
    let path = found_path(&state, id)?;
    off_main(move || tauri_plugin_opener::reveal_item_in_dir(&path))
        .await?
        .map_err(|_| AppError::file_manager())
}
