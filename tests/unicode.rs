//! Text in any script never panics anything that takes user text. The generator mixes real
//! multi-byte scripts, combining marks, right-to-left and zero-width marks, emoji sequences and
//! control characters with digit runs and the words that make the guard look closer, because
//! a byte offset taken near a digit run inside such text is where slicing goes wrong.

mod support;

use proptest::prelude::*;
use pypi_recovery::codes::parse_codes;
use pypi_recovery::online::github;
use pypi_recovery::request::{self, Preview, Request};
use pypi_recovery::secret::SecretString;
use pypi_recovery::strength;
use pypi_recovery::totp::{self, ManualEntry};

/// The reason from the crash report: Cyrillic, then a 9-digit run 40 bytes in.
const CYRILLIC_REASON: &str =
    "Перестал работать телефон 12 марта, код не приходит. Заказ 123456789";

fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        // Scripts where one character is 2, 3 or 4 bytes.
        prop::sample::select(vec![
            "Перестал работать телефон",
            "код не приходит",
            "電話をなくしました",
            "手机丢了，验证码",
            "전화번호를 잃어버렸어요",
            "فقدت هاتفي",
            "איבדתי את הטלפון",
            "टेलीफ़ोन खो गया",
            "Ελληνικά",
            "𝔭𝔞𝔰𝔰𝔴𝔬𝔯𝔡",
            "İstanbul ẞ K Å",
        ])
        .prop_map(str::to_owned),
        // Marks that change nothing visible but everything in byte counts.
        prop::sample::select(vec![
            "e\u{301}",
            "\u{200b}",
            "\u{200d}",
            "\u{200e}",
            "\u{200f}",
            "\u{202e}",
            "\u{feff}",
            "👩\u{200d}💻",
            "🇺🇦",
            "👍🏽",
            "\u{0}",
            "\u{7}",
            "\u{1b}[31m",
            "\r\n",
            "\t",
            "\u{85}",
        ])
        .prop_map(str::to_owned),
        // The guard's trigger words and shapes.
        prop::sample::select(vec![
            "phone",
            "tel:",
            "whatsapp",
            "number",
            "code",
            "2FA",
            "otp",
            "token",
            "password:",
            "pw=",
            "otpauth://",
            "secret=",
            "pypi-",
            "@",
            " (at) ",
            "+",
            "https://github.com/",
        ])
        .prop_map(str::to_owned),
        // Digit runs, hex and base32 runs, of every length that matters.
        "[0-9]{1,16}",
        "[0-9a-f]{4,16}",
        "[A-Z2-7]{4,32}",
        // Anything else.
        ".{0,6}",
        " ",
    ]
}

fn world_text() -> impl Strategy<Value = String> {
    prop::collection::vec(fragment(), 0..40).prop_map(|parts| parts.concat())
}

fn request_with(username: &str, reason: &str, details: &str) -> Request {
    let mut r = Request::empty();
    r.username = username.to_owned();
    r.reason = reason.to_owned();
    r.private.details = details.to_owned();
    r.private.emails = vec![details.to_owned()];
    r.private.projects = vec![username.to_owned()];
    r.private.new_email = reason.to_owned();
    r
}

#[test]
fn the_reported_cyrillic_reason_is_scanned_not_crashed() {
    let request = request_with("mirafoss", CYRILLIC_REASON, "");
    let check = request::check(&request);
    // An order number is not a phone number: no "phone" word nearby in any language we know.
    assert!(check.findings.is_empty(), "{:?}", check.findings);
    let _ = Preview::of(&request, None);
}

#[test]
fn a_phone_number_after_multibyte_text_is_still_found() {
    let reason = "Перестал работать телефон. My phone number is 491701234567";
    let kinds = request::scan(&request_with("mirafoss", reason, ""));
    assert!(
        kinds
            .iter()
            .any(|f| f.kind == request::FindingKind::Phone && f.field == "reason"),
        "{kinds:?}"
    );
}

#[test]
fn the_cli_checks_the_cyrillic_reason_without_crashing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("request.json");
    let mut request = request_with("mirafoss", CYRILLIC_REASON, "");
    request.private = Default::default();
    std::fs::write(&file, request.to_json().unwrap()).unwrap();
    let out = support::cli()
        .args(["request", "check"])
        .arg(&file)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Exit 1 is fine (the confirmations are not ticked); 101 is a panic.
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    /// The guard, validation and every renderer, over every field.
    #[test]
    fn requests_in_any_script_never_panic(username in world_text(), reason in world_text(), details in world_text()) {
        let request = request_with(&username, &reason, &details);
        let check = request::check(&request);
        let preview = Preview::of(&request, Some("https://github.com/pypi/support/issues/1"));
        prop_assert!(!preview.issue_markdown.is_empty());
        let _ = Request::from_json(request.to_json().unwrap().as_bytes());
        let _ = check.ready();
    }

    /// Recovery-code import, otpauth links and hand-typed keys.
    #[test]
    fn secrets_in_any_script_never_panic(text in world_text()) {
        let _ = parse_codes(text.as_bytes());
        let _ = totp::parse_uri(&text);
        let _ = totp::parse_uri(&format!("otpauth://totp/{text}?secret={text}&issuer={text}"));
        let secret = SecretString::from(text.clone());
        let _ = totp::TotpKey::from_manual(&ManualEntry {
            secret: &secret,
            issuer: Some(&text),
            label: &text,
            algorithm: &text,
            digits: 6,
            period: 30,
        });
    }

    /// The password check, with the text as the password and as the user inputs.
    #[test]
    fn passwords_in_any_script_never_panic(text in world_text()) {
        let verdict = strength::evaluate(&SecretString::from(text.clone()), &[&text, "mirafoss"]);
        prop_assert!(verdict.score <= 4);
    }

    /// The links, tokens and repositories typed after filing.
    #[test]
    fn online_inputs_in_any_script_never_panic(text in world_text()) {
        let _ = github::parse_issue_url(&text);
        let _ = github::parse_issue_url(&format!("https://github.com/pypi/support/issues/{text}"));
        let _ = github::valid_token(&text);
        let _ = github::parse_repository(&text);
        let _ = github::parse_repository(&format!("https://github.com/{text}/{text}"));
    }
}

/// A panic names only where it happened, never its message: the message of a slicing panic
/// quotes the text it cut. The test runs itself again as a child that panics on purpose.
#[test]
fn a_panic_never_prints_what_it_was_given() {
    const CANARY: &str = "0123456789abcdef";
    if std::env::var_os("PYPI_RECOVERY_PANIC_CHILD").is_some() {
        pypi_recovery::quiet_panics();
        panic!("slicing {CANARY}");
    }
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "a_panic_never_prints_what_it_was_given",
            "--nocapture",
        ])
        .env("PYPI_RECOVERY_PANIC_CHILD", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("internal error at tests/unicode.rs"),
        "{stderr}"
    );
    assert!(!stderr.contains(CANARY), "{stderr}");
}
