//! The recovery request: rendering as GitHub shows it, the safety guard on real leak shapes
//! and on ordinary prose, and the CLI contract.

mod support;

use pypi_recovery::request::{
    self, issue_body, issue_html, FindingKind, Preview, Request, RequestError,
};
use support::cli;

fn request() -> Request {
    Request::from_json(
        br#"{"version": 1, "username": "mirafoss", "reason": "Lost access to email address",
            "recovery_codes_lost": true, "code_of_conduct": true, "acknowledge_delay": true,
            "private": {"emails": ["mira@foss.example"], "new_email": "mira.new@foss.example",
                        "projects": ["foss-widgets"], "account_created": "2020", "details": ""}}"#,
    )
    .unwrap()
}

/// Character for character what GitHub renders for a submitted account-recovery.yml form
/// (labels and options from pypi/support, in the form's order).
#[test]
fn the_issue_body_is_what_github_renders() {
    let expected = "### PyPI Username\n\n`mirafoss`\n\n\
### Reason for request\n\nLost access to email address\n\n\
### Recovery Codes\n\n- [x] I never generated or have lost access to the recovery codes for my account\n\n\
### Code of Conduct\n\n- [x] I agree to follow the PSF Code of Conduct\n\n\
### Acknowledgement\n\n- [x] I understand that it may take a significant amount of time to process my account recovery request.";
    assert_eq!(issue_body(&request()), expected);
}

#[test]
fn backticks_typed_by_the_user_are_not_doubled_and_empty_fields_show_no_response() {
    let mut r = request();
    r.username = " `mirafoss` ".into();
    r.reason = "  ".into();
    r.code_of_conduct = false;
    let body = issue_body(&r);
    assert!(body.starts_with("### PyPI Username\n\n`mirafoss`\n\n"));
    assert!(body.contains("### Reason for request\n\n_No response_\n\n"));
    assert!(body.contains("- [ ] I agree to follow the PSF Code of Conduct"));
}

#[test]
fn the_public_issue_holds_no_private_evidence() {
    let preview = Preview::of(&request(), None);
    for private in [
        "mira@foss.example",
        "mira.new@foss.example",
        "foss-widgets",
        "2020",
    ] {
        assert!(!preview.issue_markdown.contains(private));
        assert!(!preview.issue_html.contains(private));
    }
    assert!(preview.email_body.contains("mira.new@foss.example"));
    assert!(preview.email_body.contains("foss-widgets"));
    assert!(preview
        .email_body
        .contains("<paste the link to your GitHub issue here>"));
    assert!(preview
        .email_body
        .contains("do not post it or forward it anywhere public"));
    let with_link = Preview::of(
        &request(),
        Some("https://github.com/pypi/support/issues/77"),
    );
    assert!(with_link
        .email_body
        .contains("https://github.com/pypi/support/issues/77"));
}

#[test]
fn the_form_url_opens_the_template_and_stays_short() {
    let url = Preview::of(&request(), None).form_url;
    assert!(url.starts_with("https://github.com/pypi/support/issues/new?"));
    assert!(url.contains("template=account-recovery.yml"));
    assert!(url.contains("title=Account+recovery+request"));
    assert!(url.len() < 2000);
}

#[test]
fn the_mailto_link_falls_back_when_too_long() {
    let short = Preview::of(&request(), None);
    let link = short.mailto_url.expect("short email fits");
    assert!(link.starts_with("mailto:support@pypi.org?subject="));
    let mut long = request();
    long.private.details = "x".repeat(3000);
    assert_eq!(Preview::of(&long, None).mailto_url, None);
}

#[test]
fn the_preview_html_is_sanitized() {
    let mut r = request();
    r.reason = "<script>alert(1)</script> <img src=x onerror=alert(1)>\n\nsee [click](javascript:alert(1)) and ![x](https://evil.example/t.png) and [docs](https://pypi.org/help/)".into();
    let html = issue_html(&r);
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("<img"), "{html}");
    assert!(!html.contains("href=\"javascript"), "{html}");
    assert!(html.contains("&lt;script&gt;"));
    assert!(html.contains(r#"<a href="https://pypi.org/help/">docs</a>"#));
    assert!(html.contains("<h3>PyPI Username</h3>"));
    // Each checkbox is named by its item's text (a bare one has no accessible name).
    assert!(html.contains(
        r#"<li><label><input disabled="" type="checkbox" checked=""/> I agree to follow the PSF Code of Conduct</label></li>"#
    ), "{html}");
    assert_eq!(html.matches("<label>").count(), 3, "{html}");
    assert_eq!(html.matches("</label>").count(), 3, "{html}");
    // A task item in the user's own text is labelled too, and a nested list closes the label.
    r.reason = "- [ ] first\n  - [x] nested".into();
    let html = issue_html(&r);
    assert!(
        html.contains(r#"<li><label><input disabled="" type="checkbox"/> first</label>"#),
        "{html}"
    );
    assert_labels_hold_no_block(&html);
    // Whatever block follows the marker in the item, the label closes before it.
    for reason in [
        "- [ ] foo\n  > quote",
        "- [ ]\n  > quote\n  > - [x] inner",
        "- [x] foo\n\n  # heading",
        "- [ ] foo\n\n      code",
        "- [ ] a\n\n- [x] b\n\n  more",
        "* [ ] foo\n  ***",
        "> - [ ] in a quote\n> - [x] *two*",
    ] {
        r.reason = reason.into();
        assert_labels_hold_no_block(&issue_html(&r));
    }
}

/// Every `<label>` is closed before the next one opens, and holds no block element.
fn assert_labels_hold_no_block(html: &str) {
    assert_eq!(
        html.matches("<label>").count(),
        html.matches("</label>").count(),
        "{html}"
    );
    for after_open in html.split("<label>").skip(1) {
        let (inside, _) = after_open
            .split_once("</label>")
            .unwrap_or_else(|| panic!("a label left open: {html}"));
        for block in [
            "<blockquote",
            "<h",
            "<pre",
            "<p>",
            "<ul",
            "<ol",
            "<li",
            "<hr",
        ] {
            assert!(!inside.contains(block), "{block} inside a label: {html}");
        }
    }
}

#[test]
fn validation_gives_field_level_errors() {
    let mut r = Request::empty();
    let fields: Vec<String> = r.validate().into_iter().map(|e| e.field).collect();
    assert_eq!(
        fields,
        [
            "username",
            "reason",
            "recovery_codes_lost",
            "code_of_conduct",
            "acknowledge_delay"
        ]
    );
    r = request();
    assert!(r.validate().is_empty());
    for (name, ok) in [
        ("a", true),
        ("mira.foss_2-x", true),
        (&"a".repeat(50) as &str, true),
        (&"a".repeat(51), false),
        ("-mira", false),
        ("mira.", false),
        ("mira foss", false),
        ("mira@foss.example", false),
        ("mïra", false),
        ("unknown", true),
    ] {
        r.username = name.into();
        assert_eq!(r.validate().is_empty(), ok, "{name}");
    }
    // §12.1: support's own words for an email, placeholders and stray quotes.
    for (name, says) in [
        ("mira@foss.example", "not your email address"),
        ("N/A", "not a placeholder"),
        ("I forgot it", "not a placeholder"),
        ("???", "not a placeholder"),
        ("\"mirafoss\"", "quotes and brackets"),
        ("<mirafoss>", "quotes and brackets"),
    ] {
        r.username = name.into();
        let errors = r.validate();
        assert!(errors[0].message.contains(says), "{name}: {errors:?}");
    }
    r = request();
    r.private.emails = vec!["not an email".into(), String::new()];
    r.private.new_email = "x@y".into();
    let fields: Vec<String> = r.validate().into_iter().map(|e| e.field).collect();
    assert_eq!(fields, ["private.emails[0]", "private.new_email"]);
}

#[test]
fn unknown_fields_versions_and_junk_are_refused_without_echo() {
    assert_eq!(
        Request::from_json(br#"{"version": 2, "username": "a"}"#),
        Err(RequestError::UnsupportedVersion(2))
    );
    let unknown = Request::from_json(br#"{"version": 1, "usernme": "a"}"#)
        .unwrap_err()
        .to_string();
    assert!(unknown.contains("\"usernme\""), "{unknown}");
    let wrong_type =
        Request::from_json(br#"{"version": 1, "code_of_conduct": "0123456789abcdef"}"#)
            .unwrap_err()
            .to_string();
    assert!(!wrong_type.contains("0123456789abcdef"), "{wrong_type}");
    assert!(matches!(
        Request::from_json(b"{not json"),
        Err(RequestError::Malformed(_))
    ));
    assert!(matches!(
        Request::from_json(b""),
        Err(RequestError::Malformed(_))
    ));
    assert!(matches!(
        Request::from_json(br#"{"username": "a"}"#),
        Err(RequestError::Malformed(_))
    ));
    assert_eq!(
        Request::from_json(&vec![b' '; 300 * 1024]),
        Err(RequestError::TooLarge)
    );
    // Only `version` is required; every other field, and all of `private`, is optional.
    assert_eq!(
        Request::from_json(br#"{"version": 1}"#).unwrap(),
        Request::empty()
    );
}

fn kinds(reason: &str) -> Vec<FindingKind> {
    let mut r = request();
    r.reason = reason.into();
    request::scan(&r).into_iter().map(|f| f.kind).collect()
}

/// Shapes that real requests in pypi/support leaked, and the other secrets the guard covers.
#[test]
fn the_guard_catches_what_must_not_be_public() {
    use FindingKind::*;
    let cases: &[(&str, FindingKind)] = &[
        ("My email is mira.foss@gmail.com and I lost access", Email),
        ("address: mira [at] foss [dot] example", Email),
        (
            "please make my secondary e-mail (mira@work.example) the primary",
            Email,
        ),
        (
            "my recovery code 0123456789abcdef did not work",
            RecoveryCode,
        ),
        (
            "I still have 0123 4567 89AB CDEF but it says invalid",
            RecoveryCode,
        ),
        ("code 01234567-89abcdef was refused", RecoveryCode),
        ("my secret was JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", TotpSecret),
        ("the key is JBSW Y3DP EHPK 3PXP", TotpSecret),
        (
            "otpauth://totp/PyPI:mira?secret=JBSWY3DPEHPK3PXP&issuer=PyPI",
            TotpSecret,
        ),
        (
            "my authenticator shows 492 039 but PyPI says invalid",
            OneTimeCode,
        ),
        ("the 2FA code 492039 is rejected", OneTimeCode),
        (
            "I used token pypi-AgEIcHlwaS5vcmcCJDQ5ZTM4ZDk0LTg2 for uploads",
            ApiToken,
        ),
        ("call me on +44 7700 900123", Phone),
        ("my phone number is 415 555 0132 4", Phone),
        ("my password was hunter2", Password),
        ("old password: Tr0ub4dor&3", Password),
        (
            "I pushed branch Xk29fLq83Pz0Ab4C as asked",
            VerificationToken,
        ),
        ("token x7Qp2mZr9KdW4sTb from the email", VerificationToken),
    ];
    for (text, kind) in cases {
        assert!(
            kinds(text).contains(kind),
            "{text:?} should be found as {kind:?}, got {:?}",
            kinds(text)
        );
    }
    let mut r = request();
    r.username = "mira@foss.example".into();
    let findings = request::scan(&r);
    assert!(findings
        .iter()
        .any(|f| f.field == "username" && f.kind == Email));
}

#[test]
fn findings_never_repeat_what_they_found() {
    let secrets = [
        "0123456789abcdef",
        "mira.foss@gmail.com",
        "hunter2",
        "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
        "pypi-AgEIcHlwaS5vcmcCJDQ5ZTM4ZDk0LTg2",
    ];
    let mut r = request();
    r.reason = format!(
        "code {} email {} password is {} secret {} token {}",
        secrets[0], secrets[1], secrets[2], secrets[3], secrets[4]
    );
    let findings = request::scan(&r);
    assert!(findings.len() >= 5);
    let all = serde_json::to_string(&findings).unwrap();
    for secret in secrets {
        assert!(!all.contains(secret), "{all}");
    }
}

/// Realistic reasons that must pass. The false-alarm figure for the closing note comes from here.
const CLEAN_REASONS: &[&str] = &[
    "Lost access to email address",
    "Lost 2FA authentication app or security token",
    "My phone was stolen and I did not save the recovery codes.",
    "I changed jobs and the company email address on the account no longer exists.",
    "The university deleted my student mailbox in 2021, so password reset emails bounce.",
    "My authenticator app was wiped when I reset my phone last month.",
    "I maintain the requests-toolbelt-ng and pyfoo projects; releases 1.2.3 and 2.0.0rc1 were uploaded by me.",
    "Lost my YubiKey 5 NFC while travelling; the backup key was in the same bag.",
    "The domain foss-widgets.example expired in 2023 and someone else registered it.",
    "I never verified my email address on PyPI and now cannot reset my password.",
    "Last release was 0.14.2 in March 2022, built from commit 3f9c2ab on the main branch.",
    "I can sign in to GitHub (same username) and push to the project's repository.",
    "The password reset email never arrives; I checked spam. My password was reset years ago too.",
    "My Google Authenticator codes stopped working after I moved to a new phone without transferring them.",
    "Ich habe den Zugriff auf meine E-Mail-Adresse verloren und kann das Passwort nicht zurücksetzen.",
    "我的手机丢了，无法获取两步验证码。",
    "Perdí el acceso a mi correo electrónico de la universidad.",
    "I forgot my password and the email provider closed my account.",
    "My password was compromised in a breach, so I changed it, but now 2FA fails.",
    "The Authy account holding the TOTP secret was deleted when I changed phone numbers.",
    "The account was created around 2015 for the package django-widgets-extra.",
    "Version 3.10.0 of my package depends on numpy>=1.24 and was released on 2024-05-01.",
    "I have the SSH key for the repository at github.com/mirafoss/foss-widgets and can prove ownership.",
    "Two-factor was set up on a Pixel 4a that no longer boots.",
    "The work email was on an Exchange server that was decommissioned in 2020.",
    "I lost the piece of paper with the recovery codes when I moved house.",
    "My security key was damaged in the wash; I have no other 2FA method.",
    "I can receive email but the 2FA app is gone and I never saved the codes.",
    "Yes, I understand it may take a while. Thanks for your help!",
    "My old email provider (a small ISP) went out of business in 2019.",
    "The project is used by about 3000 other packages according to libraries.io.",
    "I tried 10 times and the account is now rate limited.",
    "The phone with FreeOTP was factory reset by the repair shop.",
    "Lost access after my employer revoked my Microsoft account; code is on GitLab.",
    "I'm the sole maintainer; CI publishes with trusted publishing from GitHub Actions.",
    "I registered in 2012 with an address at a university that has since merged with another one.",
    "The password manager that held my password and 2FA seeds was corrupted.",
    "My account name is the same as on GitHub and GitLab.",
    "The 2FA prompt says my code is invalid even though the clock is synced.",
    "I had a backup in 1Password but the vault was lost with my old laptop.",
    "Lost access to email address after my domain registrar suspended the domain for 30 days.",
    "Please help: the release pipeline for version 21.3.0 is blocked.",
    "I was the owner of the packages foo-bar and baz-qux since 2016.",
    "My recovery codes were stored on a laptop that was stolen on 12 March.",
    "The new phone number is different and SMS backup is not an option on PyPI anyway.",
    "Commit 9fceb02 on the main branch added the trusted publisher config.",
    "I'm locked out since the upgrade to Android 14 removed my authenticator data.",
    "The email account was hacked and deleted by the provider, so I cannot receive anything.",
    "Account created roughly 8 years ago for maintaining sphinx-theme-foo.",
    "I can show the signed git tag v2.4.1 made with my GPG key.",
];

#[test]
fn ordinary_prose_passes_and_false_alarms_are_measured() {
    let flagged: Vec<(&str, Vec<FindingKind>)> = CLEAN_REASONS
        .iter()
        .map(|reason| (*reason, kinds(reason)))
        .filter(|(_, kinds)| !kinds.is_empty())
        .collect();
    let rate = flagged.len() as f64 / CLEAN_REASONS.len() as f64 * 100.0;
    eprintln!(
        "guard false alarms: {} of {} realistic reasons ({rate:.1}%)",
        flagged.len(),
        CLEAN_REASONS.len()
    );
    assert!(flagged.is_empty(), "false alarms: {flagged:?}");
}

#[test]
fn cli_check_and_render_follow_the_contract() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("request.json");
    std::fs::write(&file, request().to_json().unwrap()).unwrap();

    let ok = cli()
        .args(["request", "check"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );

    let issue = cli()
        .args(["request", "render", "--format", "issue"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&issue.stdout),
        issue_body(&request()) + "\n"
    );
    let json = cli()
        .args(["request", "render", "--format", "json"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(Request::from_json(&json.stdout).unwrap(), request());
    let email = cli()
        .args(["request", "render", "--format", "email"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&email.stdout).starts_with("To: support@pypi.org\n"));

    let mut leaky = request();
    leaky.reason = "my recovery code 0123456789abcdef and email mira@x.example".into();
    leaky.acknowledge_delay = false;
    std::fs::write(&file, leaky.to_json().unwrap()).unwrap();
    let refused = cli()
        .args(["request", "check"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(stderr.lines().count(), 3, "one line per problem: {stderr}");
    assert!(!stderr.contains("0123456789abcdef") && !stderr.contains("mira@x.example"));

    std::fs::write(&file, "{not json").unwrap();
    let malformed = cli()
        .args(["request", "check"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(malformed.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&malformed.stderr).contains("not valid JSON"));
    let missing = cli()
        .args(["request", "check"])
        .arg(dir.path().join("absent.json"))
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(1));
    let usage = cli()
        .args(["request", "render"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(usage.status.code(), Some(2));
    let bad_format = cli()
        .args(["request", "render", "--format", "pdf"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(bad_format.status.code(), Some(2));
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// No text panics the guard or any renderer.
        #[test]
        fn guard_and_renderers_never_panic(username in ".{0,80}", reason in ".{0,600}", details in ".{0,200}") {
            let mut r = Request::empty();
            r.username = username;
            r.reason = reason;
            r.private.details = details;
            let _ = request::check(&r);
            let _ = Preview::of(&r, Some("https://github.com/pypi/support/issues/1"));
        }

        /// Any bytes as a request file: a result, never a panic.
        #[test]
        fn parsing_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = Request::from_json(&bytes);
        }
    }
}

/// A request holding a secret is never written: not as the draft, not as an export. The old
/// draft is deleted (it may hold the start of the secret), and the message names the field
/// and the kind, never the secret.
#[test]
fn a_draft_or_export_holding_a_secret_is_not_written() {
    use pypi_recovery::request::store::{write_request, RequestStore, StoreError};
    let dir = tempfile::tempdir().unwrap();
    let store = RequestStore::new(dir.path());
    let mut clean = request();
    store.save_draft(&clean).unwrap();
    let draft = dir.path().join("draft.json");
    for (field, text, what) in [
        (
            "reason",
            "lost 2FA, my token is pypi-AgEIcHlwaS5vcmcCJGFiY2RlZmdoaWprbG1ub3A",
            "API token",
        ),
        ("reason", "codes: 0123456789abcdef", "recovery code"),
        ("details", "my password: Hunter2hunter2!", "password"),
        (
            "details",
            "otpauth://totp/PyPI:mira?secret=JBSWY3DPEHPK3PXP",
            "authenticator secret",
        ),
    ] {
        store.save_draft(&clean).unwrap();
        let mut leaky = request();
        match field {
            "reason" => leaky.reason = text.into(),
            _ => leaky.private.details = text.into(),
        }
        let error = store.save_draft(&leaky).unwrap_err();
        assert!(
            matches!(error, StoreError::DraftHoldsSecret { .. }),
            "{text}"
        );
        let message = error.to_string();
        assert!(
            message.contains(field) && message.contains(what),
            "{message}"
        );
        assert!(!message.contains(text) && !message.contains("0123456789abcdef"));
        assert!(!draft.exists(), "a draft outlived a secret");
        let export = dir.path().join("export.json");
        // An export says what happened to the file, not to the draft.
        let refused = write_request(&export, &leaky).unwrap_err();
        assert!(matches!(refused, StoreError::HoldsSecret { .. }), "{text}");
        let message = refused.to_string();
        assert!(
            message.contains(field) && message.contains(what),
            "{message}"
        );
        assert!(!message.contains("draft"), "{message}");
        assert!(!message.contains(text), "{message}");
        assert!(!export.exists());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }
    // A code typed from paper is caught before it is whole, and the draft saved a moment
    // earlier (holding its start) is deleted, not left behind.
    let mut typing = request();
    typing.reason = "lost my phone, code 0123456789ab".into();
    store.save_draft(&clean).unwrap();
    assert!(matches!(
        store.save_draft(&typing),
        Err(StoreError::DraftHoldsSecret { .. })
    ));
    assert!(!draft.exists(), "the last good draft outlived a secret");
    // Personal data is what drafts are for: emails and phone numbers in the evidence save.
    clean.private.details = "call me on +49 170 1234567".into();
    store.save_draft(&clean).unwrap();
}
