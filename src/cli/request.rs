//! `pypi-recovery request …`: check and render a recovery request file.

use super::{fail, read_input, Failed, Outcome};
use clap::{Subcommand, ValueEnum};
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
        RequestCommand::Check { file } => {
            let request = load(&file)?;
            let check = request::check(&request);
            for error in &check.errors {
                eprintln!("{}: {}", error.field, error.message);
            }
            for finding in &check.findings {
                eprintln!("{}: {}", finding.field, finding.message);
            }
            if check.ready() {
                eprintln!("The request is complete and safe to post.");
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
                Format::Issue => println!("{}", preview.issue_markdown),
                Format::Url => println!("{}", preview.form_url),
                Format::Email => println!(
                    "To: {}\nSubject: {}\n\n{}",
                    preview.email_to, preview.email_subject, preview.email_body
                ),
                Format::Json => println!("{}", request.to_json()),
            }
            let check = request::check(&request);
            if !check.findings.is_empty() {
                eprintln!(
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
