//! The online helpers against local servers speaking GitHub's and PyPI's real response shapes:
//! success, ETag revalidation, rate limits, 404, 5xx, slow answers and malformed bodies.

mod support;

use pypi_recovery::online::github::{CloseReason, IssueState};
use pypi_recovery::online::{github, pypi, Client, OnlineError};
use serde_json::json;
use std::time::Duration;
use support::cli;
use support::http::{refused_url, Reply, Server};
use time::macros::datetime;

const TOKEN: &str = "aB3dE5gH7jK9mN1p";

fn issue(state: &str, reason: Option<&str>, labels: &[&str], updated: &str) -> String {
    json!({
        "url": "https://api.github.com/repos/pypi/support/issues/4321",
        "html_url": "https://github.com/pypi/support/issues/4321",
        "number": 4321,
        "title": "Account recovery request",
        "user": {"login": "mira", "type": "User"},
        "labels": labels.iter().map(|l| json!({"id": 1, "name": l, "color": "ededed"})).collect::<Vec<_>>(),
        "state": state,
        "locked": false,
        "comments": 2,
        "created_at": "2026-10-01T12:00:00Z",
        "updated_at": updated,
        "closed_at": null,
        "author_association": "NONE",
        "state_reason": reason,
        "body": "### PyPI Username\n\n`mira`"
    })
    .to_string()
}

const ISSUE_URL: &str = "https://github.com/pypi/support/issues/4321";

#[test]
fn status_reads_the_issue_explains_labels_and_counts_the_queue() {
    let server = Server::start(vec![
        (
            "/repos/pypi/support/issues/4321",
            Reply::json(issue(
                "open",
                None,
                &["account-recovery", "awaiting response", "unverified email"],
                "2026-10-03T09:00:00Z",
            )),
        ),
        (
            "/search/issues",
            Reply::json(r#"{"total_count": 37, "incomplete_results": false, "items": []}"#),
        ),
    ]);
    let output = cli()
        .args([
            "request",
            "status",
            ISSUE_URL,
            "--github-api",
            &server.url,
            "--json",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let status: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(status["state"], "open");
    assert_eq!(status["state_reason"], serde_json::Value::Null);
    assert_eq!(status["comments"], 2);
    assert_eq!(status["created_at"], "2026-10-01T12:00:00Z");
    assert_eq!(status["queue_position"], 37);
    let advice = status["advice"].to_string();
    assert!(advice.contains("waiting for your reply"), "{advice}");
    assert!(
        advice.contains("support@pypi.org") && advice.contains(ISSUE_URL),
        "{advice}"
    );

    let requests = server.requests();
    assert!(requests
        .iter()
        .all(|r| r.contains("user-agent: pypi-recovery-assistant/")));
    let search = requests
        .iter()
        .find(|r| r.starts_with("get /search/issues"))
        .unwrap();
    let decoded = percent_encoding::percent_decode_str(search.lines().next().unwrap())
        .decode_utf8()
        .unwrap()
        .to_string();
    assert!(decoded.contains("repo:pypi/support is:issue is:open label:\"account-recovery\" created:<2026-10-01t12:00:00z"), "{decoded}");
}

#[test]
fn a_closed_request_and_a_quiet_one_get_the_right_advice() {
    let server = Server::start(vec![(
        "/repos/pypi/support/issues/4321",
        Reply::json(issue(
            "closed",
            Some("completed"),
            &["account-recovery"],
            "2026-10-20T09:00:00Z",
        )),
    )]);
    let status = github::request_status(
        &github::client(&server.url).unwrap(),
        ISSUE_URL,
        datetime!(2026-11-24 10:00 UTC),
    )
    .unwrap();
    assert_eq!(
        (status.state, status.state_reason),
        (IssueState::Closed, Some(CloseReason::Completed))
    );
    assert_eq!(status.queue_position, None);
    assert!(status.advice[0].contains("back-in checklist"));
    assert!(!status.follow_up_due, "closed requests need no follow-up");
    assert!(
        server.requests().iter().all(|r| !r.contains("/search/")),
        "no queue search for a closed issue"
    );

    // A reason GitHub adds later is read, not refused, and gets the general advice.
    let newer = Server::start(vec![(
        "/repos/pypi/support/issues/4321",
        Reply::json(issue(
            "closed",
            Some("resolved_elsewhere"),
            &[],
            "2026-10-20T09:00:00Z",
        )),
    )]);
    let status = github::request_status(
        &github::client(&newer.url).unwrap(),
        ISSUE_URL,
        datetime!(2026-11-24 10:00 UTC),
    )
    .unwrap();
    assert_eq!(status.state_reason, Some(CloseReason::Other));
    assert!(
        status.advice[0].contains("Your request is closed."),
        "{:?}",
        status.advice
    );

    let quiet = Server::start(vec![
        (
            "/repos/pypi/support/issues/4321",
            Reply::json(issue(
                "open",
                None,
                &["account-recovery"],
                "2026-11-01T09:00:00Z",
            )),
        ),
        (
            "/search/issues",
            Reply::status("403 Forbidden")
                .header("x-ratelimit-remaining", "0")
                .header("x-ratelimit-reset", "1795000000"),
        ),
    ]);
    let status = github::request_status(
        &github::client(&quiet.url).unwrap(),
        ISSUE_URL,
        datetime!(2026-11-24 10:00 UTC),
    )
    .unwrap();
    assert!(status.follow_up_due);
    assert!(status.advice.iter().any(|a| a.contains("polite comment")));
    assert_eq!(
        status.queue_position, None,
        "a rate-limited search leaves the rest of the status intact"
    );
    assert!(status.queue_note.unwrap().contains("try again after"));
}

#[test]
fn only_support_issue_urls_are_fetched() {
    let server = Server::start(vec![]);
    for url in [
        "https://github.com/pypi/warehouse/issues/1",
        "https://github.com/pypi/support/issues/../../../../etc/passwd",
        "https://github.com/pypi/support/issues/1%20OR%201",
        &format!(
            "https://github.com/pypi/support/issues/{}",
            "9".repeat(5000)
        ),
    ] {
        let output = cli()
            .args(["request", "status", url, "--github-api", &server.url])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{url}");
        assert!(String::from_utf8_lossy(&output.stderr)
            .contains("https://github.com/pypi/support/issues/"));
    }
    assert!(server.requests().is_empty());
}

#[test]
fn etags_are_revalidated_and_304_reuses_the_answer() {
    let server = Server::start(vec![(
        "/y",
        Reply::json(r#"{"n": 2}"#).header("ETag", "W/\"v1\""),
    )]);
    let client = Client::new("GitHub", &server.url).unwrap();
    let first: serde_json::Value = client.get_json("/y").unwrap().unwrap();
    let second: serde_json::Value = client.get_json("/y").unwrap().unwrap();
    assert_eq!(
        (first["n"].clone(), second["n"].clone()),
        (json!(2), json!(2))
    );
    let requests = server.requests();
    assert!(!requests[0].contains("if-none-match"));
    assert!(
        requests[1].contains("if-none-match: w/\"v1\""),
        "{}",
        requests[1]
    );

    // A 304 with nothing cached is an error, never an invented answer.
    let bare = Server::start(vec![("/x", Reply::status("304 Not Modified"))]);
    let fresh = Client::new("GitHub", &bare.url).unwrap();
    assert_eq!(
        fresh.get_json::<serde_json::Value>("/x"),
        Err(OnlineError::Malformed("GitHub"))
    );
}

/// An answer larger than any real one is refused, not read into memory; the ETag cache keeps
/// the latest answers only.
#[test]
fn huge_answers_are_refused_and_the_cache_stays_small() {
    let huge = format!("[{}]", "0,".repeat(17 * 1024 * 1024) + "0");
    let mut routes = vec![("/huge", Reply::json(huge))];
    let paths: Vec<&'static str> = (0..33)
        .map(|i| &*Box::leak(format!("/item/{i}").into_boxed_str()))
        .collect();
    for path in &paths {
        routes.push((path, Reply::json("{}").header("ETag", "\"v\"")));
    }
    let server = Server::start(routes);
    let client = Client::new("PyPI", &server.url).unwrap();
    assert_eq!(
        client.get_json::<serde_json::Value>("/huge"),
        Err(OnlineError::Malformed("PyPI"))
    );
    for path in &paths {
        client.get_json::<serde_json::Value>(path).unwrap();
    }
    // The first answer was dropped when the 33rd came; the latest is still revalidated.
    client.get_json::<serde_json::Value>(paths[0]).unwrap();
    client.get_json::<serde_json::Value>(paths[32]).unwrap();
    let requests = server.requests();
    let last_two = &requests[requests.len() - 2..];
    assert!(!last_two[0].contains("if-none-match"), "{}", last_two[0]);
    assert!(last_two[1].contains("if-none-match"), "{}", last_two[1]);
}

#[test]
fn every_failure_is_typed_with_a_useful_message() {
    let server = Server::start(vec![
        (
            "/limited",
            Reply::status("403 Forbidden")
                .header("x-ratelimit-remaining", "0")
                .header("x-ratelimit-reset", "1795000000"),
        ),
        (
            "/slow-down",
            Reply::status("429 Too Many Requests").header("retry-after", "30"),
        ),
        ("/forbidden", Reply::status("403 Forbidden")),
        ("/broken", Reply::status("502 Bad Gateway")),
        ("/garbled", Reply::json("{\"state\": ")),
        ("/html", Reply::json("<html>maintenance</html>")),
        ("/slow", Reply::json("{}").delayed(Duration::from_secs(3))),
    ]);
    let client = Client::with_timeout("GitHub", &server.url, Duration::from_secs(1)).unwrap();
    let get = |path: &str| client.get_json::<serde_json::Value>(path);
    let limited = get("/limited").unwrap_err();
    assert!(
        matches!(limited, OnlineError::RateLimited { .. }),
        "{limited:?}"
    );
    assert!(
        limited.to_string().contains("try again after") && limited.to_string().contains("UTC"),
        "{limited}"
    );
    assert!(get("/slow-down")
        .unwrap_err()
        .to_string()
        .contains("30 seconds"));
    assert_eq!(get("/forbidden"), Err(OnlineError::Status("GitHub", 403)));
    assert_eq!(get("/broken"), Err(OnlineError::Server("GitHub", 502)));
    assert_eq!(get("/garbled"), Err(OnlineError::Malformed("GitHub")));
    assert_eq!(get("/html"), Err(OnlineError::Malformed("GitHub")));
    assert_eq!(get("/slow"), Err(OnlineError::Timeout("GitHub")));
    assert_eq!(get("/missing"), Ok(None));

    let offline = Client::new("PyPI", &refused_url()).unwrap();
    assert_eq!(
        offline.get_json::<serde_json::Value>("/x"),
        Err(OnlineError::Offline("PyPI"))
    );
    let nowhere = Client::new("PyPI", "http://no-such-host.invalid").unwrap();
    let error = nowhere.get_json::<serde_json::Value>("/x").unwrap_err();
    assert!(
        matches!(error, OnlineError::Dns(_) | OnlineError::Offline(_)),
        "{error:?}"
    );
    assert!(Client::new("PyPI", "file:///etc/passwd").is_err());
}

fn verify(server: &Server, repo: &str, token: &str) -> std::process::Output {
    cli()
        .args([
            "request",
            "verify",
            "--repo",
            repo,
            "--token",
            token,
            "--github-api",
            &server.url,
        ])
        .output()
        .unwrap()
}

#[test]
fn verify_finds_the_branch_and_names_each_usual_mistake() {
    let repo = r#"{"id": 1, "name": "tools", "full_name": "alice/tools", "private": false, "html_url": "https://github.com/alice/tools"}"#;
    let found = Server::start(vec![
        (
            Box::leak(format!("/repos/alice/tools/branches/{TOKEN}").into_boxed_str()),
            Reply::json(format!(
                r#"{{"name": "{TOKEN}", "commit": {{"sha": "0123"}}, "protected": false}}"#
            )),
        ),
        ("/repos/alice/tools", Reply::json(repo)),
    ]);
    let ok = verify(&found, "https://github.com/alice/tools", TOKEN);
    assert_eq!(ok.status.code(), Some(0), "{ok:?}");
    let said = String::from_utf8_lossy(&ok.stdout);
    assert!(
        said.contains("reply to PyPI's email")
            && said.contains(&format!("git push origin --delete {TOKEN}")),
        "{said}"
    );

    let prefixed = Server::start(vec![
        (
            "/repos/alice/tools/branches/",
            Reply::status("404 Not Found"),
        ),
        (
            "/repos/alice/tools/branches?",
            Reply::json(format!(
                r#"[{{"name": "main"}}, {{"name": "alice/{TOKEN}"}}]"#
            )),
        ),
        ("/repos/alice/tools", Reply::json(repo)),
    ]);
    let output = verify(&prefixed, "git@github.com:alice/tools.git", TOKEN);
    assert_eq!(output.status.code(), Some(1));
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(
        said.contains(&format!("alice/{TOKEN}")) && said.contains("exactly"),
        "{said}"
    );
    assert!(
        said.contains(&format!("git push origin HEAD:refs/heads/{TOKEN}")),
        "{said}"
    );

    let private = Server::start(vec![(
        "/repos/alice/tools",
        Reply::json(repo.replace("\"private\": false", "\"private\": true")),
    )]);
    assert!(String::from_utf8_lossy(
        &verify(&private, "https://github.com/alice/tools", TOKEN).stderr
    )
    .contains("is private"));

    let renamed = Server::start(vec![
        (
            "/repos/alice/tools",
            Reply::json(repo.replace("alice/tools", "alice/better-tools")),
        ),
        ("/repos/alice/better-tools/branches?", Reply::json("[]")),
    ]);
    let said =
        String::from_utf8_lossy(&verify(&renamed, "https://github.com/alice/tools", TOKEN).stderr)
            .to_string();
    assert!(said.contains("now called alice/better-tools"), "{said}");

    let gone = Server::start(vec![]);
    assert!(String::from_utf8_lossy(
        &verify(&gone, "https://github.com/alice/tools", TOKEN).stderr
    )
    .contains("deleted, renamed"));

    let elsewhere = Server::start(vec![]);
    let output = verify(&elsewhere, "https://gitlab.com/alice/tools", TOKEN);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("hg bookmark"));
    assert!(elsewhere.requests().is_empty());
}

#[test]
fn a_malformed_token_or_repository_fails_with_no_request() {
    let server = Server::start(vec![]);
    for (repo, token) in [
        ("https://github.com/alice/tools", "short"),
        ("https://github.com/alice/tools", "aB3dE5gH7jK9mN1p/../../x"),
        ("https://github.com/alice/tools", "aB3dE5gH 7jK9mN1"),
        ("https://github.com/alice/tools", &"A".repeat(100_000)[..]),
        ("https://github.com/../../etc", TOKEN),
        ("file:///etc/passwd", TOKEN),
    ] {
        let output = verify(&server, repo, token);
        assert_eq!(output.status.code(), Some(1), "{repo} {token:.20}");
    }
    assert!(server.requests().is_empty(), "{:?}", server.requests());
}

fn project_json(roles: serde_json::Value, urls: serde_json::Value, home: &str) -> String {
    json!({
        "info": {"name": "alice-tools", "version": "1.2", "author": "Alice", "author_email": "", "maintainer": "", "maintainer_email": "", "home_page": home, "project_urls": urls},
        "ownership": {"organization": null, "roles": roles},
        "releases": {
            "1.0": [{"filename": "alice_tools-1.0.tar.gz", "upload_time_iso_8601": "2019-04-02T10:11:12.123456Z"}],
            "1.2": [{"filename": "alice_tools-1.2.tar.gz", "upload_time_iso_8601": "2021-01-01T00:00:00.000000Z"}],
            "0.0.dev": []
        },
        "urls": []
    })
    .to_string()
}

#[test]
fn evidence_reports_each_project_on_its_own() {
    let server = Server::start(vec![
        (
            "/pypi/alice-tools/json",
            Reply::json(project_json(
                json!([{"role": "Owner", "user": "Alice"}, {"role": "Maintainer", "user": "bob"}]),
                json!({"Source": "https://github.com/alice/tools/", "Docs": "https://alice-tools.readthedocs.io", "Tracker": "https://github.com/alice/tools/issues"}),
                "https://codeberg.org/alice/tools-mirror",
            )),
        ),
        (
            "/pypi/bobs-lib/json",
            Reply::json(project_json(
                json!([{"role": "Owner", "user": "bob"}]),
                json!(null),
                "",
            )),
        ),
        ("/pypi/flaky/json", Reply::status("503 Service Unavailable")),
    ]);
    let output = cli()
        .args([
            "request",
            "evidence",
            "--username",
            "alice",
            "--pypi-url",
            &server.url,
            "--json",
        ])
        .args([
            "--project",
            "alice-tools",
            "--project",
            "bobs-lib",
            "--project",
            "missing-one",
            "--project",
            "flaky",
            "--project",
            "../../admin",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let rows: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(rows[0]["project"], "alice-tools");
    assert_eq!(rows[0]["role"], "Owner");
    assert_eq!(
        rows[0]["repositories"],
        json!([
            "https://codeberg.org/alice/tools-mirror",
            "https://github.com/alice/tools"
        ])
    );
    assert_eq!(rows[0]["first_release"], "2019-04-02");
    assert_eq!(rows[0]["error"], serde_json::Value::Null);
    assert_eq!(
        rows[1]["role"],
        serde_json::Value::Null,
        "alice has no role on bobs-lib"
    );
    assert!(rows[2]["error"]
        .as_str()
        .unwrap()
        .contains("no project called"));
    assert!(rows[3]["error"].as_str().unwrap().contains("HTTP 503"));
    assert!(rows[4]["error"]
        .as_str()
        .unwrap()
        .contains("not a valid project name"));
    assert!(server.requests().iter().all(|r| !r.contains("admin")));

    let direct = pypi::evidence(
        &pypi::client(&server.url).unwrap(),
        "alice",
        &["alice-tools".into()],
    )
    .unwrap();
    assert_eq!(direct[0].role.as_deref(), Some("Owner"));
}

/// What PyPI sends is printed with nothing a terminal acts on: a maintainer's name holding an
/// escape sequence that retitles the window, a CSI in C1 form and a right-to-left override.
#[test]
fn names_from_pypi_reach_the_terminal_inert() {
    let hostile = "mira\u{1b}]0;pwned\u{7}\u{9b}2J\u{202e}oof";
    let server = Server::start(vec![(
        "/pypi/tools/json",
        Reply::json(project_json(
            json!([{"role": "Owner", "user": hostile}]),
            json!(null),
            "",
        )),
    )]);
    let out = cli()
        .args([
            "request",
            "whoami",
            "--project",
            "tools",
            "--pypi-url",
            &server.url,
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let printed = String::from_utf8(out.stdout).unwrap();
    for acting in ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}'] {
        assert!(
            !printed.contains(acting),
            "{acting:?} reached the terminal: {printed:?}"
        );
    }
    assert!(
        printed.contains("mira") && printed.contains("oof"),
        "{printed}"
    );
}

#[test]
fn whoami_lists_owners_maintainers_and_the_organization() {
    let mut with_org: serde_json::Value = serde_json::from_str(&project_json(
        json!([{"role": "Owner", "user": "acme-bot"}, {"role": "Maintainer", "user": "mira"}]),
        json!(null),
        "",
    ))
    .unwrap();
    with_org["ownership"]["organization"] = json!("acme");
    let server = Server::start(vec![
        (
            "/pypi/alice-tools/json",
            Reply::json(project_json(
                json!([{"role": "Owner", "user": "Alice"}, {"role": "Maintainer", "user": "bob"}]),
                json!(null),
                "",
            )),
        ),
        ("/pypi/acme-widgets/json", Reply::json(with_org.to_string())),
        ("/pypi/flaky/json", Reply::status("503 Service Unavailable")),
    ]);
    let whoami = |project: &str| {
        cli()
            .args([
                "request",
                "whoami",
                "--project",
                project,
                "--pypi-url",
                &server.url,
                "--json",
            ])
            .output()
            .unwrap()
    };
    let out = whoami("alice-tools");
    assert!(out.status.success(), "{out:?}");
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        found,
        json!({"project": "alice-tools", "organization": null,
               "roles": [{"user": "Alice", "role": "Owner"}, {"user": "bob", "role": "Maintainer"}]})
    );
    let org: serde_json::Value = serde_json::from_slice(&whoami("acme-widgets").stdout).unwrap();
    assert_eq!(org["organization"], "acme");
    assert_eq!(org["roles"][1]["user"], "mira");

    let missing = whoami("no-such-project");
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&missing.stderr).contains("no project called “no-such-project”")
    );
    let flaky = whoami("flaky");
    assert_eq!(flaky.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&flaky.stderr).contains("HTTP 503"));

    let before = server.requests().len();
    for hostile in ["../../admin", "a b", "x?y=1", "", "ü"] {
        let out = whoami(hostile);
        assert_eq!(out.status.code(), Some(1), "{hostile:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("not a valid project name"));
    }
    assert_eq!(server.requests().len(), before, "a hostile name was sent");

    let plain = cli()
        .args([
            "request",
            "whoami",
            "--project",
            "acme-widgets",
            "--pypi-url",
            &server.url,
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&plain.stdout);
    assert!(
        text.contains("organization acme") && text.contains("Maintainer: mira"),
        "{text}"
    );
    let direct = pypi::project_roles(&pypi::client(&server.url).unwrap(), "missing").unwrap_err();
    assert!(matches!(direct, OnlineError::NoProject(name) if name == "missing"));
}
