//! GitHub, without a token: the state of the user's pypi/support issue, their place in the
//! queue, and whether the verification branch exists in their repository.

use super::{path_segment, Client, OnlineError};
use crate::request::store::FOLLOW_UP_AFTER_DAYS;
use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// GitHub's REST API.
pub const GITHUB_API: &str = "https://api.github.com";
const ISSUES_PREFIX: &str = "https://github.com/pypi/support/issues/";

/// A client for GitHub's API at `api`.
pub fn client(api: &str) -> Result<Client, OnlineError> {
    Client::new("GitHub", api)
}

/// Reads the issue number from `https://github.com/pypi/support/issues/<number>`; no other
/// address is accepted.
pub fn parse_issue_url(url: &str) -> Result<u64, OnlineError> {
    let refuse = || {
        OnlineError::BadInput(
            "Paste the address of your issue: https://github.com/pypi/support/issues/ followed by its number."
                .into(),
        )
    };
    let address = super::repo_address(url).ok_or_else(refuse)?;
    let on_support = address.host == "github.com"
        && address.url.scheme() == "https"
        && address.owner_and_name == Some(("pypi".into(), "support".into()));
    let mut rest = address.url.path_segments().ok_or_else(refuse)?.skip(2);
    let number = match (on_support, rest.next(), rest.next(), rest.next()) {
        (true, Some("issues"), Some(number), None | Some("")) => number,
        _ => return Err(refuse()),
    };
    if number.is_empty() || number.len() > 9 || !number.bytes().all(|b| b.is_ascii_digit()) {
        return Err(refuse());
    }
    number.parse().map_err(|_| refuse())
}

#[derive(Deserialize)]
struct Label {
    name: String,
}

/// The status is refreshed at most this often (GitHub allows 60 unauthenticated calls an
/// hour, shared by everything on the user's connection).
pub const REFRESH_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

/// The once-a-minute limit on status checks, with the time given by the caller.
#[derive(Debug, Default)]
pub struct RefreshLimit {
    last: std::sync::Mutex<Option<std::time::Instant>>,
}

impl RefreshLimit {
    /// Starts a check at `now`, or says how many whole seconds are left to wait.
    pub fn start(&self, now: std::time::Instant) -> Result<(), u64> {
        let mut last = self.last.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(waited) = last.map(|at| now.saturating_duration_since(at)) {
            if waited < REFRESH_EVERY {
                return Err((REFRESH_EVERY - waited).as_secs() + 1);
            }
        }
        *last = Some(now);
        Ok(())
    }
}

/// Whether an issue is open, as GitHub says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum IssueState {
    /// Still waiting for PyPI.
    Open,
    /// Closed; [`CloseReason`] says how.
    Closed,
}

/// Why GitHub says an issue was closed (or reopened).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum CloseReason {
    /// Done: the account was recovered.
    Completed,
    /// Closed without recovery.
    NotPlanned,
    /// Closed as a duplicate of another issue.
    Duplicate,
    /// Closed once, then opened again.
    Reopened,
    /// A reason GitHub added after this app was written.
    #[serde(other)]
    Other,
}

impl std::fmt::Display for IssueState {
    /// GitHub's word for it, as in its JSON.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            IssueState::Open => "open",
            IssueState::Closed => "closed",
        })
    }
}

impl std::fmt::Display for CloseReason {
    /// GitHub's word for it, as in its JSON.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            CloseReason::Completed => "completed",
            CloseReason::NotPlanned => "not_planned",
            CloseReason::Duplicate => "duplicate",
            CloseReason::Reopened => "reopened",
            CloseReason::Other => "other",
        })
    }
}

/// The fields we read of GitHub's issue object; the rarely absent ones default.
#[derive(Deserialize)]
struct IssueJson {
    number: u64,
    state: IssueState,
    #[serde(default)]
    state_reason: Option<CloseReason>,
    #[serde(default)]
    comments: u32,
    created_at: String,
    #[serde(default)]
    updated_at: Option<String>,
    #[serde(default)]
    labels: Vec<Label>,
}

#[derive(Deserialize)]
struct SearchJson {
    total_count: u32,
}

/// What the app knows about the user's request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RequestStatus {
    /// The issue's address.
    pub url: String,
    /// Open or closed.
    pub state: IssueState,
    /// Why it was closed (null while open, and on issues closed before GitHub kept reasons).
    pub state_reason: Option<CloseReason>,
    /// How many comments it has.
    pub comments: u32,
    /// When it was filed (RFC 3339).
    pub created_at: String,
    /// The last activity (RFC 3339).
    pub updated_at: String,
    /// Its labels.
    pub labels: Vec<String>,
    /// Open account-recovery issues filed before this one, when it is open and GitHub answered.
    pub queue_position: Option<u32>,
    /// Why the queue position is missing, when it is.
    pub queue_note: Option<String>,
    /// What the labels and state mean for the user, in order of importance.
    pub advice: Vec<String>,
    /// True when nothing has happened for 14 days: a polite follow-up is in order.
    pub follow_up_due: bool,
}

/// The state of the issue at `issue_url`, with its place in the queue.
pub fn request_status(
    client: &Client,
    issue_url: &str,
    now: OffsetDateTime,
) -> Result<RequestStatus, OnlineError> {
    let number = parse_issue_url(issue_url)?;
    let issue: IssueJson = client
        .get_json(&format!("/repos/pypi/support/issues/{number}"))?
        .ok_or(OnlineError::NotFound("GitHub"))?;
    let (queue_position, queue_note) = if issue.state == IssueState::Open {
        // The query pypi/support's response-time workflow uses (it then also skips issues
        // already triaged, which needs a token to see).
        let query = format!(
            "repo:pypi/support is:issue is:open label:\"account-recovery\" created:<{}",
            issue.created_at
        );
        let encoded =
            percent_encoding::utf8_percent_encode(&query, percent_encoding::NON_ALPHANUMERIC);
        match client.get_json::<SearchJson>(&format!("/search/issues?q={encoded}&per_page=1")) {
            Ok(Some(found)) => (Some(found.total_count), None),
            Ok(None) => (None, Some("GitHub's search did not answer.".to_owned())),
            Err(error) => (None, Some(error.to_string())),
        }
    } else {
        (None, None)
    };
    Ok(status_of(issue, number, queue_position, queue_note, now))
}

/// Reads an issue's JSON as the status and advice shown to the user.
fn status_of(
    issue: IssueJson,
    number: u64,
    queue_position: Option<u32>,
    queue_note: Option<String>,
    now: OffsetDateTime,
) -> RequestStatus {
    let labels: Vec<String> = issue.labels.into_iter().map(|l| l.name).collect();
    let open = issue.state == IssueState::Open;
    let updated_at = issue.updated_at.unwrap_or_else(|| issue.created_at.clone());
    let updated = OffsetDateTime::parse(&updated_at, &Rfc3339).ok();
    let follow_up_due =
        open && updated.is_some_and(|u| (now - u).whole_days() >= FOLLOW_UP_AFTER_DAYS);
    let mut advice = Vec::new();
    if labels
        .iter()
        .any(|l| l.eq_ignore_ascii_case("awaiting response"))
    {
        advice.push("PyPI is waiting for your reply. Look for their email (check spam too) and answer it by email, not in the issue.".to_owned());
    }
    if labels
        .iter()
        .any(|l| l.eq_ignore_ascii_case("unverified email"))
    {
        advice.push(format!("PyPI could not confirm your email address. Write to support@pypi.org from that address and include the link to your issue: {ISSUES_PREFIX}{number}"));
    }
    match (open, issue.state_reason) {
        (false, Some(CloseReason::Completed)) => advice.push("Your request was closed as completed. Look for PyPI's password-reset email, sign in, and follow the back-in checklist so it does not happen again.".to_owned()),
        (false, Some(CloseReason::NotPlanned)) => advice.push("Your request was closed without recovery. Read the last comment in the issue: it says why, and whether you can ask again.".to_owned()),
        (false, _) => advice.push("Your request is closed. Read the last comment in the issue for what happens next.".to_owned()),
        (true, _) => {}
    }
    if follow_up_due {
        advice.push(format!("Nothing has happened for {FOLLOW_UP_AFTER_DAYS} days or more. A short, polite comment asking whether PyPI needs anything else from you is fine; write it yourself, and never include codes or tokens."));
    }
    RequestStatus {
        url: format!("{ISSUES_PREFIX}{}", issue.number),
        state: issue.state,
        state_reason: issue.state_reason,
        comments: issue.comments,
        created_at: issue.created_at,
        updated_at,
        labels,
        queue_position,
        queue_note,
        advice,
        follow_up_due,
    }
}

/// An issue's JSON (and a search's) as GitHub might send it, for the fuzz target.
#[cfg(fuzzing)]
pub fn fuzz_bodies(issue: &[u8], search: &[u8]) {
    let queue = serde_json::from_slice::<SearchJson>(search).map(|s| s.total_count);
    if let Ok(issue) = serde_json::from_slice::<IssueJson>(issue) {
        let now = OffsetDateTime::UNIX_EPOCH;
        status_of(issue, 1, queue.ok(), None, now);
    }
}

/// PyPI's verification token: exactly 16 ASCII letters and digits. Checked before any request.
pub fn valid_token(token: &str) -> Result<&str, OnlineError> {
    let token = token.trim();
    if token.len() == 16 && token.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(token)
    } else {
        Err(OnlineError::BadInput("The token from PyPI's email is exactly 16 letters and digits. Copy it again from the email, without spaces or quotes.".into()))
    }
}

/// A repository the user named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Repository {
    /// On GitHub: checkable through the API.
    GitHub {
        /// The owner (user or organisation).
        owner: String,
        /// The repository name.
        name: String,
    },
    /// Elsewhere (GitLab, Codeberg, Bitbucket, a self-hosted server): checked by hand.
    Other {
        /// The address as given.
        url: String,
    },
}

/// Reads `https://github.com/owner/repo(.git)` (any case, with or without `www.`),
/// `git@github.com:owner/repo.git`, or any other http(s) or ssh repository address.
pub fn parse_repository(text: &str) -> Result<Repository, OnlineError> {
    let text = text.trim();
    let refuse = || {
        OnlineError::BadInput(
            "Enter the repository's address, such as https://github.com/you/your-project.".into(),
        )
    };
    if text.is_empty()
        || text.len() > 300
        || text.contains("..")
        || text.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(refuse());
    }
    let address = super::repo_address(text).ok_or_else(refuse)?;
    let scheme = address.url.scheme();
    if !matches!(scheme, "https" | "http" | "ssh") {
        return Err(refuse());
    }
    // The address goes into a public request: a token or password in it would be published.
    if address.url.password().is_some() || (scheme != "ssh" && !address.url.username().is_empty()) {
        return Err(OnlineError::BadInput(
            "Remove the user name or token from the address: it would be published with your request.".into(),
        ));
    }
    if address.host != "github.com" {
        return Ok(Repository::Other {
            url: text.to_owned(),
        });
    }
    // Extra parts (…/tree/main) are fine; the repository is the first two.
    let (owner, name) = address.owner_and_name.ok_or_else(refuse)?;
    Ok(Repository::GitHub {
        owner: path_segment(&owner, "GitHub owner")?.to_owned(),
        name: path_segment(&name, "repository name")?.to_owned(),
    })
}

/// The git commands for the verification, to copy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BranchCommands {
    /// Pushes the current commit to a branch named exactly the token.
    pub push: String,
    /// Deletes that branch once PyPI has confirmed.
    pub delete: String,
}

/// The commands for `token` (already validated).
pub fn branch_commands(token: &str) -> BranchCommands {
    BranchCommands {
        push: format!("git push origin HEAD:refs/heads/{token}"),
        delete: format!("git push origin --delete {token}"),
    }
}

#[derive(Deserialize)]
struct RepoJson {
    full_name: String,
    private: bool,
}

#[derive(Deserialize)]
struct BranchJson {
    name: String,
}

/// What the branch check found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BranchCheck {
    /// True when the branch exists in a public repository: reply to PyPI's email now.
    pub ok: bool,
    /// What was found, and what to do.
    pub message: String,
    /// The commands to copy.
    pub commands: BranchCommands,
}

/// Checks that `repository` is public and has a branch named exactly `token`.
pub fn check_branch(
    client: &Client,
    repository: &Repository,
    token: &str,
) -> Result<BranchCheck, OnlineError> {
    let token = valid_token(token)?;
    let commands = branch_commands(token);
    let result = |ok: bool, message: String| BranchCheck {
        ok,
        message,
        commands: commands.clone(),
    };
    let (owner, name) = match repository {
        Repository::GitHub { owner, name } => (owner, name),
        Repository::Other { url } => {
            return Ok(result(false, format!(
                "{url} is not on GitHub, so the app cannot check it. In a clone, run the push command below (Git), or for Mercurial `hg bookmark {token} && hg push -B {token}`. Then open the repository's branch list in your browser and make sure “{token}” is there before replying to PyPI's email."
            )));
        }
    };
    let Some(repo) = client.get_json::<RepoJson>(&format!("/repos/{owner}/{name}"))? else {
        return Ok(result(false, format!(
            "GitHub does not show {owner}/{name}: it was deleted, renamed long ago, or it is private. A private repository cannot serve as proof. If the project moved, reply to PyPI's email and say where, and whether the old repository was renamed or deleted."
        )));
    };
    if repo.private {
        return Ok(result(false, format!("{owner}/{name} is private, so PyPI cannot see the branch. Use a public repository linked from the project, or reply to PyPI's email to say you have none.")));
    }
    let renamed = !repo
        .full_name
        .eq_ignore_ascii_case(&format!("{owner}/{name}"));
    let moved = if renamed {
        format!(
            " The repository is now called {}; mention the rename in your email reply.",
            repo.full_name
        )
    } else {
        String::new()
    };
    let full = &repo.full_name;
    if client
        .get_json::<BranchJson>(&format!("/repos/{full}/branches/{token}"))?
        .is_some()
    {
        return Ok(result(true, format!(
            "The branch “{token}” is in {full}, which is public. Now reply to PyPI's email (not in the public issue) to say it is there. Delete the branch after PyPI confirms.{moved}"
        )));
    }
    // Look for the usual mistakes: a prefixed name (user/TOKEN) or a different case.
    let branches = client
        .get_json::<Vec<BranchJson>>(&format!("/repos/{full}/branches?per_page=100"))?
        .unwrap_or_default();
    if let Some(near) = branches.iter().find(|b| {
        b.name != token
            && b.name
                .to_ascii_lowercase()
                .contains(&token.to_ascii_lowercase())
    }) {
        return Ok(result(false, format!(
            "{full} has a branch “{}”, but PyPI looks for one named exactly “{token}” (same case, no prefix such as “user/”). Push again with the command below.{moved}",
            near.name
        )));
    }
    Ok(result(false, format!(
        "There is no branch named “{token}” in {full} yet. Push it with the command below, then check again. Never post the token in the public issue.{moved}"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_checks_are_at_most_once_a_minute() {
        let limit = RefreshLimit::default();
        let start = std::time::Instant::now();
        let at = |seconds| start + std::time::Duration::from_secs(seconds);
        assert_eq!(limit.start(at(0)), Ok(()));
        assert_eq!(limit.start(at(0)), Err(61));
        assert_eq!(limit.start(at(59)), Err(2));
        assert_eq!(limit.start(at(60)), Ok(()), "a minute later");
        assert_eq!(limit.start(at(90)), Err(31), "counted from the last check");
    }

    #[test]
    fn only_pypi_support_issue_urls_are_accepted() {
        assert_eq!(
            parse_issue_url("https://github.com/pypi/support/issues/4321"),
            Ok(4321)
        );
        assert_eq!(
            parse_issue_url(" https://github.com/pypi/support/issues/4321/#issuecomment-1 "),
            Ok(4321)
        );
        assert_eq!(
            parse_issue_url("https://www.GitHub.com/pypi/support/issues/4321?notification=1"),
            Ok(4321)
        );
        for bad in [
            "https://github.com/pypi/warehouse/issues/4321",
            "http://github.com/pypi/support/issues/4321",
            "https://github.com/pypi/support/issues/",
            "https://github.com/pypi/support/issues/12ab",
            "https://github.com/pypi/support/issues/../../../etc/passwd",
            "https://github.com/pypi/support/issues/1 2",
            "https://github.com/pypi/support/issues/99999999999999999999",
            "https://github.com/pypi/support/issues/4321/comments",
            "https://github.com/pypi/support/pull/4321",
            "https://evil.example/https://github.com/pypi/support/issues/1",
        ] {
            assert!(parse_issue_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn tokens_are_exactly_sixteen_letters_and_digits() {
        assert_eq!(valid_token("aB3dE5gH7jK9mN1p"), Ok("aB3dE5gH7jK9mN1p"));
        for bad in [
            "aB3dE5gH7jK9mN1",
            "aB3dE5gH7jK9mN1pq",
            "aB3dE5gH7jK9mN1!",
            "aB3d E5gH7jK9mN1",
            "../../../../etc/",
            &"a".repeat(10_000),
            "ÄB3dE5gH7jK9mN1p",
        ] {
            assert!(valid_token(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn repositories_are_read_from_the_usual_shapes() {
        let gh = |o: &str, n: &str| Repository::GitHub {
            owner: o.into(),
            name: n.into(),
        };
        assert_eq!(
            parse_repository("https://github.com/alice/tools"),
            Ok(gh("alice", "tools"))
        );
        assert_eq!(
            parse_repository("git@github.com:alice/tools.git"),
            Ok(gh("alice", "tools"))
        );
        assert_eq!(
            parse_repository("https://github.com/alice/tools/tree/main"),
            Ok(gh("alice", "tools"))
        );
        // Host names are case-insensitive, and www. is the same site.
        for same in [
            "https://GitHub.com/alice/tools",
            "https://www.github.com/alice/tools",
            "http://WWW.GITHUB.COM/alice/tools.git/",
            "ssh://git@github.com/alice/tools.git",
            "git@GitHub.com:alice/tools",
            "https://github.com/alice/tools?tab=readme#top",
        ] {
            assert_eq!(parse_repository(same), Ok(gh("alice", "tools")), "{same}");
        }
        for other in [
            "https://gitlab.com/alice/tools",
            "https://github.company.example/alice/tools",
            "git@codeberg.org:alice/tools.git",
        ] {
            assert!(
                matches!(parse_repository(other), Ok(Repository::Other { .. })),
                "{other}"
            );
        }
        for bad in [
            "https://github.com/alice",
            "https://github.com/../etc/passwd",
            "https://github.com/al ice/x",
            "file:///etc/passwd",
            "",
            "https://gitlab.com/a/../../b",
            "https://ghp_secret@github.com/alice/tools",
            "https://alice:hunter2@gitlab.com/alice/tools",
            "git@github.com",
            "https://",
        ] {
            let message = parse_repository(bad).unwrap_err().to_string();
            assert!(
                !message.contains("hunter2") && !message.contains("ghp_"),
                "{message}"
            );
        }
    }

    #[test]
    fn the_commands_use_the_exact_token() {
        let commands = branch_commands("aB3dE5gH7jK9mN1p");
        assert_eq!(
            commands.push,
            "git push origin HEAD:refs/heads/aB3dE5gH7jK9mN1p"
        );
        assert_eq!(commands.delete, "git push origin --delete aB3dE5gH7jK9mN1p");
    }
}
