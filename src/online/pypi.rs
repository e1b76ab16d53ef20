//! PyPI's public JSON API, for evidence: which projects the account holds, in what role, and
//! which public repositories they link.

use super::{path_segment, Client, OnlineError};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// PyPI itself.
pub const PYPI_URL: &str = "https://pypi.org";
/// The most projects one run looks up.
pub const MAX_PROJECTS: usize = 50;
/// Hosts whose links count as public source repositories.
const CODE_HOSTS: [&str; 4] = ["github.com", "gitlab.com", "codeberg.org", "bitbucket.org"];

#[derive(Deserialize)]
struct ProjectJson {
    info: Info,
    #[serde(default)]
    ownership: Option<Ownership>,
    #[serde(default)]
    releases: HashMap<String, Vec<FileJson>>,
}

#[derive(Deserialize)]
struct Info {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    project_urls: Option<HashMap<String, Option<String>>>,
    #[serde(default)]
    home_page: Option<String>,
}

#[derive(Deserialize)]
struct Ownership {
    #[serde(default)]
    roles: Vec<Role>,
    #[serde(default)]
    organization: Option<Organization>,
}

/// PyPI gives the organization's name; an object with a `name` is read too.
#[derive(Deserialize)]
#[serde(untagged)]
enum Organization {
    Name(String),
    Object { name: String },
}

/// One owner or maintainer of a project, as PyPI lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Role {
    /// The PyPI username.
    pub user: String,
    /// "Owner" or "Maintainer".
    pub role: String,
}

/// Who PyPI says maintains a project: for "Forgot your username?".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ProjectRoles {
    /// The project, as PyPI names it.
    pub project: String,
    /// The organization that holds it, if any.
    pub organization: Option<String>,
    /// Its owners and maintainers.
    pub roles: Vec<Role>,
}

#[derive(Deserialize)]
struct FileJson {
    #[serde(default)]
    upload_time_iso_8601: Option<String>,
}

/// What PyPI says about one project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ProjectEvidence {
    /// The project name as asked.
    pub project: String,
    /// The user's role on it ("Owner", "Maintainer"), or null when PyPI does not list them.
    pub role: Option<String>,
    /// Public source repositories it links (GitHub, GitLab, Codeberg, Bitbucket).
    pub repositories: Vec<String>,
    /// The date of its first upload (YYYY-MM-DD).
    pub first_release: Option<String>,
    /// Why this project could not be looked up; the others are unaffected.
    pub error: Option<String>,
}

/// A client for PyPI at `base`.
pub fn client(base: &str) -> Result<Client, OnlineError> {
    Client::new("PyPI", base)
}

/// The owners and maintainers of `project` (and its organization), from `ownership` in
/// PyPI's JSON API. A name that cannot be a project is refused before any request.
pub fn project_roles(client: &Client, project: &str) -> Result<ProjectRoles, OnlineError> {
    let name = path_segment(project.trim(), "project name")?;
    let json = client
        .get_json::<ProjectJson>(&format!("/pypi/{name}/json"))?
        .ok_or_else(|| OnlineError::NoProject(name.to_owned()))?;
    Ok(roles_of(name, json))
}

/// A project's JSON as PyPI might send it, read both ways the app reads it, for the fuzz target.
#[cfg(fuzzing)]
pub fn fuzz_body(body: &[u8]) {
    if let Ok(json) = serde_json::from_slice::<ProjectJson>(body) {
        roles_of("project", json);
    }
    if let Ok(json) = serde_json::from_slice::<ProjectJson>(body) {
        read_project("project", "mirafoss", json);
    }
}

fn roles_of(name: &str, json: ProjectJson) -> ProjectRoles {
    let ownership = json.ownership;
    ProjectRoles {
        project: json.info.name.unwrap_or_else(|| name.to_owned()),
        organization: ownership
            .as_ref()
            .and_then(|o| o.organization.as_ref())
            .map(|o| match o {
                Organization::Name(name) | Organization::Object { name } => name.clone(),
            }),
        roles: ownership.map(|o| o.roles).unwrap_or_default(),
    }
}

/// Looks up each project; a missing or failing one is reported on its own line.
pub fn evidence(
    client: &Client,
    username: &str,
    projects: &[String],
) -> Result<Vec<ProjectEvidence>, OnlineError> {
    let username = path_segment(username.trim(), "PyPI username")?;
    if projects.len() > MAX_PROJECTS {
        return Err(OnlineError::BadInput(format!(
            "Look up at most {MAX_PROJECTS} projects at a time."
        )));
    }
    Ok(projects
        .iter()
        .map(|project| {
            let blank = |error: String| ProjectEvidence {
                project: project.clone(),
                role: None,
                repositories: Vec::new(),
                first_release: None,
                error: Some(error),
            };
            let name = match path_segment(project.trim(), "project name") {
                Ok(name) => name,
                Err(error) => return blank(error.to_string()),
            };
            match client.get_json::<ProjectJson>(&format!("/pypi/{name}/json")) {
                Ok(Some(json)) => read_project(project, username, json),
                Ok(None) => blank(format!("PyPI has no project called “{name}”.")),
                Err(error) => blank(error.to_string()),
            }
        })
        .collect())
}

fn read_project(project: &str, username: &str, json: ProjectJson) -> ProjectEvidence {
    let role = json.ownership.and_then(|o| {
        o.roles
            .into_iter()
            .find(|r| r.user.eq_ignore_ascii_case(username))
            .map(|r| r.role)
    });
    let mut repositories: Vec<String> = Vec::new();
    let links = json
        .info
        .project_urls
        .unwrap_or_default()
        .into_values()
        .flatten()
        .chain(json.info.home_page);
    for link in links {
        if let Some(repo) = repository_url(&link) {
            if !repositories.contains(&repo) {
                repositories.push(repo);
            }
        }
    }
    repositories.sort();
    let first_release = json
        .releases
        .values()
        .flatten()
        .filter_map(|f| f.upload_time_iso_8601.as_deref())
        .filter_map(|t| t.get(..10))
        .min()
        .map(str::to_owned);
    ProjectEvidence {
        project: project.to_owned(),
        role,
        repositories,
        first_release,
        error: None,
    }
}

/// `https://host/owner/repo` for a link into a known code host, else `None`.
fn repository_url(link: &str) -> Option<String> {
    let address = super::repo_address(link)?;
    let (owner, name) = address.owner_and_name?;
    let web = matches!(address.url.scheme(), "https" | "http");
    (web && CODE_HOSTS.contains(&address.host.as_str()))
        .then(|| format!("https://{}/{owner}/{name}", address.host))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repository_links_are_recognised_and_normalised() {
        assert_eq!(
            repository_url("https://github.com/alice/tools/issues"),
            Some("https://github.com/alice/tools".into())
        );
        assert_eq!(
            repository_url("http://www.GitHub.com/alice/tools.git"),
            Some("https://github.com/alice/tools".into())
        );
        assert_eq!(
            repository_url("https://codeberg.org/a/b#readme"),
            Some("https://codeberg.org/a/b".into())
        );
        assert_eq!(repository_url("https://alice.dev/tools"), None);
        assert_eq!(repository_url("https://github.com/alice"), None);
    }
}
