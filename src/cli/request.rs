//! `pypi-recovery request …`: check and render a recovery request file.

use super::{fail, print_json, read_input, Failed, Outcome};
use clap::{Subcommand, ValueEnum};
#[cfg(feature = "online")]
use pypi_recovery::online::github::{self, GITHUB_API};
#[cfg(feature = "online")]
use pypi_recovery::online::pypi::{self, PYPI_URL};
use pypi_recovery::request::{self, Preview, Request};
use std::path::{Path, PathBuf};

#[derive(Subcommand)]
pub enum RequestCommand {
    /// Exit 0 when the request is complete and safe to post; otherwise 1, one line per problem on stderr.
    Check {
        /// The request file (JSON, version 1).
        file: PathBuf,
    },
    /// Print the public issue, the form URL, the private email, or the normalised JSON.
    Render {
        /// The request file (JSON, version 1).
        file: PathBuf,
        /// What to print.
        #[arg(long, value_enum)]
        format: Format,
        /// The GitHub issue link, once you have it (goes into the email).
        #[arg(long)]
        issue_url: Option<String>,
    },
    /// After filing: the issue's state, labels explained, and its place in the queue (online).
    #[cfg(feature = "online")]
    Status {
        /// https://github.com/pypi/support/issues/<number>
        issue_url: String,
        /// GitHub's API address (for tests and mirrors).
        #[arg(long, value_name = "URL", default_value = GITHUB_API)]
        github_api: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// PyPI's verification step: exit 0 when the branch named after the token exists in the
    /// public repository, otherwise 1 with the reason (online; a malformed token fails offline).
    #[cfg(feature = "online")]
    Verify {
        /// The project's public repository, such as https://github.com/you/project.
        #[arg(long, value_name = "REPO_URL")]
        repo: String,
        /// The 16-character token from PyPI's email.
        #[arg(long)]
        token: String,
        /// GitHub's API address (for tests and mirrors).
        #[arg(long, value_name = "URL", default_value = GITHUB_API)]
        github_api: String,
    },
    /// Evidence for the private email: your role on each project and the repositories it links (online).
    #[cfg(feature = "online")]
    Evidence {
        /// Your PyPI username.
        #[arg(long)]
        username: String,
        /// A project you maintain (repeatable).
        #[arg(long = "project", value_name = "P", required = true)]
        projects: Vec<String>,
        /// PyPI's address (for tests and mirrors).
        #[arg(long, value_name = "URL", default_value = PYPI_URL)]
        pypi_url: String,
        /// Print JSON: [{"project", "role", "repositories", "first_release", "error"}].
        #[arg(long)]
        json: bool,
    },
    /// Forgot your username? Lists the owners and maintainers of a project you maintain, and its
    /// organization (online).
    #[cfg(feature = "online")]
    Whoami {
        /// A project you maintain.
        #[arg(long)]
        project: String,
        /// PyPI's address (for tests and mirrors).
        #[arg(long, value_name = "URL", default_value = PYPI_URL)]
        pypi_url: String,
        /// Print JSON: {"project", "organization", "roles": [{"user", "role"}]}.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// The public issue body, exactly as GitHub shows it.
    Issue,
    /// The GitHub form URL.
    Url,
    /// The private email to support@pypi.org.
    Email,
    /// The normalised request.
    Json,
}

pub fn run(command: RequestCommand) -> Outcome {
    match command {
        #[cfg(feature = "online")]
        RequestCommand::Status {
            issue_url,
            github_api,
            json,
        } => {
            let client = github::client(&github_api).map_err(fail)?;
            let status =
                github::request_status(&client, &issue_url, time::OffsetDateTime::now_utc())
                    .map_err(fail)?;
            if json {
                print_json(&status, true)?;
            } else {
                let reason = status
                    .state_reason
                    .map(|r| format!(" ({r})"))
                    .unwrap_or_default();
                out!(
                    "{}: {}{reason}, {} comments, filed {}, last activity {}",
                    status.url,
                    status.state,
                    status.comments,
                    status.created_at,
                    status.updated_at
                );
                match (status.queue_position, &status.queue_note) {
                    (Some(n), _) => {
                        out!("Open account-recovery issues filed before yours: {n}");
                    }
                    (None, Some(note)) => out!("Queue position unknown: {note}"),
                    _ => {}
                }
                for line in &status.advice {
                    out!("- {line}");
                }
            }
            Ok(())
        }
        #[cfg(feature = "online")]
        RequestCommand::Verify {
            repo,
            token,
            github_api,
        } => {
            // Both are checked before any request is made.
            let token = github::valid_token(&token).map_err(fail)?;
            let repository = github::parse_repository(&repo).map_err(fail)?;
            let client = github::client(&github_api).map_err(fail)?;
            let check = github::check_branch(&client, &repository, token).map_err(fail)?;
            if check.ok {
                out!("{}", check.message);
                out!("Afterwards, delete the branch: {}", check.commands.delete);
                Ok(())
            } else {
                err!("{}", check.message);
                err!("In a clone of the repository: {}", check.commands.push);
                Err(Failed)
            }
        }
        #[cfg(feature = "online")]
        RequestCommand::Evidence {
            username,
            projects,
            pypi_url,
            json,
        } => {
            let client = pypi::client(&pypi_url).map_err(fail)?;
            let found = pypi::evidence(&client, &username, &projects).map_err(fail)?;
            if json {
                print_json(&found, true)?;
            } else {
                for p in &found {
                    match &p.error {
                        Some(error) => out!("{}: {error}", p.project),
                        None => out!(
                            "{}: {}; first release {}; repositories: {}",
                            p.project,
                            p.role.as_deref().unwrap_or("no role for this user"),
                            p.first_release.as_deref().unwrap_or("none"),
                            if p.repositories.is_empty() {
                                "none".to_owned()
                            } else {
                                p.repositories.join(", ")
                            }
                        ),
                    }
                }
            }
            Ok(())
        }
        #[cfg(feature = "online")]
        RequestCommand::Whoami {
            project,
            pypi_url,
            json,
        } => {
            let client = pypi::client(&pypi_url).map_err(fail)?;
            let found = pypi::project_roles(&client, &project).map_err(fail)?;
            if json {
                out!(
                    "{}",
                    serde_json::to_string_pretty(&found).expect("roles serialise")
                );
                return Ok(());
            }
            if let Some(organization) = &found.organization {
                out!(
                    "{} belongs to the organization {organization}.",
                    found.project
                );
            }
            if found.roles.is_empty() {
                out!("PyPI lists no owners or maintainers for {}.", found.project);
            }
            for role in &found.roles {
                out!("{}: {}", role.role, role.user);
            }
            Ok(())
        }
        RequestCommand::Check { file } => {
            let request = load(&file)?;
            let check = request::check(&request);
            for error in &check.errors {
                err!("{}: {}", error.field, error.message);
            }
            for finding in &check.findings {
                err!("{}: {}", finding.field, finding.message);
            }
            if check.ready() {
                err!("The request is complete and safe to post.");
                Ok(())
            } else {
                Err(Failed)
            }
        }
        RequestCommand::Render {
            file,
            format,
            issue_url,
        } => {
            let request = load(&file)?;
            let preview = Preview::of(&request, issue_url.as_deref());
            match format {
                Format::Issue => out!("{}", preview.issue_markdown),
                Format::Url => out!("{}", preview.form_url),
                Format::Email => out!(
                    "To: {}\nSubject: {}\n\n{}",
                    preview.email_to,
                    preview.email_subject,
                    preview.email_body
                ),
                Format::Json => print_json(&request, true)?,
            }
            let check = request::check(&request);
            if !check.findings.is_empty() {
                err!(
                    "warning: the request is not safe to post yet ({} problems); run `pypi-recovery request check`.",
                    check.findings.len()
                );
            }
            Ok(())
        }
    }
}

fn load(file: &Path) -> Result<Request, Failed> {
    let bytes = read_input(Some(file))?;
    Request::from_json(bytes.expose_secret()).map_err(fail)
}
