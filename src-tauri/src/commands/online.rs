//! After filing: the request's status, the verification branch, and evidence from PyPI. Each
//! runs only when the user asks, off the main thread. Debug builds take the services'
//! addresses from the environment so the end-to-end tests can point them at local servers.

use super::off_main;
use crate::{AppError, AppState};
use pypi_recovery::online::github::{self, BranchCheck, BranchCommands, RequestStatus, GITHUB_API};
use pypi_recovery::online::pypi::{self, ProjectEvidence, ProjectRoles, PYPI_URL};
use pypi_recovery::online::{Client, OnlineError};
use std::sync::{Arc, Mutex};
use std::time::Instant;

fn address(variable: &str, default: &str) -> String {
    std::env::var(variable)
        .ok()
        .filter(|_| cfg!(debug_assertions))
        .unwrap_or_else(|| default.to_owned())
}

/// One client per service for the app's lifetime, so ETags revalidate across refreshes.
/// Made on first use, on a blocking thread (reqwest's blocking client must not be built
/// inside the async runtime).
#[derive(Default)]
pub struct OnlineClients {
    github: Mutex<Option<Arc<Client>>>,
    pypi: Mutex<Option<Arc<Client>>>,
}

impl OnlineClients {
    fn get(
        slot: &Mutex<Option<Arc<Client>>>,
        make: impl FnOnce() -> Result<Client, OnlineError>,
    ) -> Result<Arc<Client>, OnlineError> {
        let mut slot = slot.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(client) = slot.as_ref() {
            return Ok(client.clone());
        }
        let client = Arc::new(make()?);
        *slot = Some(client.clone());
        Ok(client)
    }

    fn github(&self) -> Result<Arc<Client>, OnlineError> {
        Self::get(&self.github, || {
            github::client(&address("PYPI_RECOVERY_GITHUB_API", GITHUB_API))
        })
    }

    fn pypi(&self) -> Result<Arc<Client>, OnlineError> {
        Self::get(&self.pypi, || {
            pypi::client(&address("PYPI_RECOVERY_PYPI_URL", PYPI_URL))
        })
    }
}

/// The issue's state and place in the queue; at most once a minute.
#[tauri::command]
#[specta::specta]
pub async fn request_status(
    state: tauri::State<'_, AppState>,
    issue_url: String,
) -> Result<RequestStatus, AppError> {
    github::parse_issue_url(&issue_url)?;
    state
        .status_refresh
        .start(Instant::now())
        .map_err(AppError::too_soon)?;
    let online = state.online.clone();
    let status = off_main(move || -> Result<_, AppError> {
        Ok(github::request_status(
            &*online.github()?,
            &issue_url,
            time::OffsetDateTime::now_utc(),
        )?)
    })
    .await??;
    // Remembering the link is a convenience; failing to is not worth an error.
    let _ = state.requests.remember_issue_url(&status.url);
    Ok(status)
}

/// The issue link recorded in the submission log, to offer in "Track my request".
#[tauri::command]
#[specta::specta]
pub fn request_tracked_issue(
    state: tauri::State<'_, AppState>,
) -> Result<Option<String>, AppError> {
    Ok(state.requests.latest_issue_url()?)
}

/// The commands to copy for `token`, checked offline first.
#[tauri::command]
#[specta::specta]
pub fn request_branch_commands(token: String) -> Result<BranchCommands, AppError> {
    Ok(github::branch_commands(github::valid_token(&token)?))
}

/// Whether the branch named after the token exists in the public repository.
#[tauri::command]
#[specta::specta]
pub async fn request_verify(
    state: tauri::State<'_, AppState>,
    repo: String,
    token: String,
) -> Result<BranchCheck, AppError> {
    let token = github::valid_token(&token)?.to_owned();
    let repository = github::parse_repository(&repo)?;
    let online = state.online.clone();
    off_main(move || -> Result<_, AppError> {
        Ok(github::check_branch(
            &*online.github()?,
            &repository,
            &token,
        )?)
    })
    .await?
}

/// The user's role on each project and the repositories it links.
#[tauri::command]
#[specta::specta]
pub async fn request_evidence(
    state: tauri::State<'_, AppState>,
    username: String,
    projects: Vec<String>,
) -> Result<Vec<ProjectEvidence>, AppError> {
    let online = state.online.clone();
    off_main(move || -> Result<_, AppError> {
        Ok(pypi::evidence(&*online.pypi()?, &username, &projects)?)
    })
    .await?
}

/// "Forgot your username?": the owners and maintainers of a project, from PyPI.
#[tauri::command]
#[specta::specta]
pub async fn request_whoami(
    state: tauri::State<'_, AppState>,
    project: String,
) -> Result<ProjectRoles, AppError> {
    let online = state.online.clone();
    off_main(move || -> Result<_, AppError> {
        Ok(pypi::project_roles(&*online.pypi()?, &project)?)
    })
    .await?
}
