//! Rendering: the public issue exactly as GitHub shows a submitted `account-recovery.yml`
//! form, the form's URL, and the private email to support@pypi.org.

use super::model::Request;
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use serde::Serialize;
use std::fmt::Write as _;

/// The form PyPI's help page links to. No field of that form has an `id`, so nothing but the
/// template and title can be prefilled; the user pastes each field.
pub const FORM_URL: &str = "https://github.com/pypi/support/issues/new?assignees=&labels=account-recovery&template=account-recovery.yml&title=Account+recovery+request";
/// Where the private evidence goes.
pub const SUPPORT_EMAIL: &str = "support@pypi.org";
/// Longer `mailto:` links break in some mail apps; past this, the UI offers copying instead.
pub const MAILTO_LIMIT: usize = 2000;

/// The form's labels and options, exactly as in pypi/support's `account-recovery.yml`.
pub const LABEL_USERNAME: &str = "PyPI Username";
/// Second field.
pub const LABEL_REASON: &str = "Reason for request";
/// Third field.
pub const LABEL_CODES: &str = "Recovery Codes";
/// Its only option.
pub const OPTION_CODES: &str =
    "I never generated or have lost access to the recovery codes for my account";
/// Fourth field.
pub const LABEL_COC: &str = "Code of Conduct";
/// Its only option.
pub const OPTION_COC: &str = "I agree to follow the PSF Code of Conduct";
/// Fifth field.
pub const LABEL_ACK: &str = "Acknowledgement";
/// Its only option.
pub const OPTION_ACK: &str =
    "I understand that it may take a significant amount of time to process my account recovery request.";

/// What GitHub shows for an empty text field of an issue form.
const NO_RESPONSE: &str = "_No response_";

/// The form URL. It is fixed, and well under 2,000 characters.
pub fn form_url() -> &'static str {
    FORM_URL
}

/// The value to paste into the form's username field: the name in backticks, as the form asks.
pub fn username_field(request: &Request) -> String {
    let name = request.clean_username();
    if name.is_empty() {
        String::new()
    } else {
        format!("`{name}`")
    }
}

/// The issue body as GitHub renders a submitted form: `### Label`, a blank line, the value.
pub fn issue_body(request: &Request) -> String {
    let text = |value: String| {
        if value.trim().is_empty() {
            NO_RESPONSE.to_owned()
        } else {
            value.trim().to_owned()
        }
    };
    let checkbox =
        |checked: bool, option: &str| format!("- [{}] {option}", if checked { "x" } else { " " });
    let sections = [
        (LABEL_USERNAME, text(username_field(request))),
        (LABEL_REASON, text(request.reason.replace("\r\n", "\n"))),
        (
            LABEL_CODES,
            checkbox(request.recovery_codes_lost, OPTION_CODES),
        ),
        (LABEL_COC, checkbox(request.code_of_conduct, OPTION_COC)),
        (LABEL_ACK, checkbox(request.acknowledge_delay, OPTION_ACK)),
    ];
    sections
        .iter()
        .map(|(label, value)| format!("### {label}\n\n{value}"))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The issue body rendered to HTML for the preview. Raw HTML in the user's text is shown as
/// text, and only http(s) links survive, so the preview cannot run or load anything. A task
/// list's checkbox is wrapped in a label with its item's text, so a screen reader names it.
pub fn issue_html(request: &Request) -> String {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let markdown = issue_body(request);
    let mut in_unsafe_link = Vec::new();
    let mut in_task_label = false;
    let mut events = Vec::new();
    for event in Parser::new_ext(
        &markdown,
        Options::ENABLE_TASKLISTS | Options::ENABLE_STRIKETHROUGH,
    ) {
        match event {
            Event::Html(html) | Event::InlineHtml(html) => events.push(Event::Text(html)),
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => {
                let safe = dest_url.starts_with("https://") || dest_url.starts_with("http://");
                in_unsafe_link.push(!safe);
                if safe {
                    events.push(event_for_link(dest_url));
                }
            }
            Event::End(TagEnd::Link) | Event::End(TagEnd::Image) => {
                if !in_unsafe_link.pop().unwrap_or(true) {
                    events.push(Event::End(TagEnd::Link));
                }
            }
            Event::TaskListMarker(checked) => {
                in_task_label = true;
                events.push(Event::InlineHtml(
                    if checked {
                        r#"<label><input disabled="" type="checkbox" checked=""/> "#
                    } else {
                        r#"<label><input disabled="" type="checkbox"/> "#
                    }
                    .into(),
                ));
            }
            // The label holds the item's first line only: no block may sit inside it.
            Event::End(TagEnd::Item | TagEnd::Paragraph) | Event::Rule if in_task_label => {
                in_task_label = false;
                events.push(Event::InlineHtml("</label>".into()));
                events.push(event);
            }
            Event::Start(ref tag) if in_task_label && !is_inline(tag) => {
                in_task_label = false;
                events.push(Event::InlineHtml("</label>".into()));
                events.push(event);
            }
            other => events.push(other),
        }
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html
}

/// Tags that may sit inside a `<label>` (phrasing content); every other one starts a block.
fn is_inline(tag: &pulldown_cmark::Tag<'_>) -> bool {
    use pulldown_cmark::Tag;
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

fn event_for_link(dest_url: pulldown_cmark::CowStr<'_>) -> pulldown_cmark::Event<'_> {
    pulldown_cmark::Event::Start(pulldown_cmark::Tag::Link {
        link_type: pulldown_cmark::LinkType::Inline,
        dest_url,
        title: "".into(),
        id: "".into(),
    })
}

/// The private email's subject line.
pub fn email_subject(request: &Request) -> String {
    let name = request.clean_username();
    format!(
        "PyPI account recovery: {}",
        if name.is_empty() {
            "<your username>"
        } else {
            name
        }
    )
}

/// The private email to support@pypi.org: the username and issue link, the address to use
/// from now on, the evidence, and a warning to keep it private.
pub fn email_body(request: &Request, issue_url: Option<&str>) -> String {
    let name = request.clean_username();
    let name = if name.is_empty() {
        "<your PyPI username>"
    } else {
        name
    };
    let evidence = &request.private;
    let mut out = String::new();
    out.push_str("Hello PyPI support,\n\n");
    let _ = write!(
        out,
        "I have filed a public account-recovery request for the PyPI account \"{name}\":\n{}\n\n",
        issue_url.unwrap_or("<paste the link to your GitHub issue here>")
    );
    let new_email = evidence.new_email.trim();
    if new_email.is_empty() {
        out.push_str("Please reply to this address; it is the one I would like the account to use from now on.\n\n");
    } else {
        let _ = writeln!(
            out,
            "From now on, please associate the account with this email address: {new_email}\n"
        );
    }
    let emails: Vec<&str> = evidence
        .emails
        .iter()
        .map(|e| e.trim())
        .filter(|e| !e.is_empty())
        .collect();
    let projects: Vec<&str> = evidence
        .projects
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect();
    let lines = [
        ("Email addresses the account has used", emails.join(", ")),
        ("Projects I maintain on PyPI", projects.join(", ")),
        (
            "Roughly when I created the account",
            evidence.account_created.trim().to_owned(),
        ),
        ("Other details", evidence.details.trim().to_owned()),
    ];
    if lines.iter().any(|(_, value)| !value.is_empty()) {
        out.push_str("Evidence that the account is mine:\n");
        for (label, value) in lines.iter().filter(|(_, value)| !value.is_empty()) {
            let _ = writeln!(out, "- {label}: {value}");
        }
        out.push('\n');
    }
    out.push_str("This email holds personal information for PyPI support only. Please do not post it or forward it anywhere public, including the GitHub issue.\n\n");
    let _ = writeln!(out, "Thank you,\n{name}");
    out
}

/// A `mailto:` link for the email, or None when it would be too long for mail apps (then
/// the UI offers copying instead).
pub fn mailto_url(request: &Request, issue_url: Option<&str>) -> Option<String> {
    let encode = |text: &str| utf8_percent_encode(text, NON_ALPHANUMERIC).to_string();
    let url = format!(
        "mailto:{SUPPORT_EMAIL}?subject={}&body={}",
        encode(&email_subject(request)),
        encode(&email_body(request, issue_url))
    );
    (url.len() <= MAILTO_LIMIT).then_some(url)
}

/// Everything the preview shows, and the values for each form field's Copy button.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Preview {
    /// The public issue as Markdown ("This will be public").
    pub issue_markdown: String,
    /// The public issue as sanitized HTML.
    pub issue_html: String,
    /// The form URL to open in the browser.
    pub form_url: String,
    /// What to paste into "PyPI Username".
    pub username_field: String,
    /// What to paste into "Reason for request".
    pub reason_field: String,
    /// The email's recipient.
    pub email_to: String,
    /// The email's subject.
    pub email_subject: String,
    /// The email's body ("Only PyPI support will see this").
    pub email_body: String,
    /// The `mailto:` link, when short enough for mail apps.
    pub mailto_url: Option<String>,
}

impl Preview {
    /// Renders every part of the request.
    pub fn of(request: &Request, issue_url: Option<&str>) -> Self {
        Self {
            issue_markdown: issue_body(request),
            issue_html: issue_html(request),
            form_url: FORM_URL.to_owned(),
            username_field: username_field(request),
            reason_field: request.reason.trim().to_owned(),
            email_to: SUPPORT_EMAIL.to_owned(),
            email_subject: email_subject(request),
            email_body: email_body(request, issue_url),
            mailto_url: mailto_url(request, issue_url),
        }
    }
}
