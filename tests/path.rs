//! The path finder under PyPI's login rules since November 2025 (pypi-facts §11), one test
//! per situation from §11–§12, every combination of answers, the questions the UI is shown,
//! and the CLI contract.

mod support;

use pypi_recovery::request::{
    find_path, path_step, Answers, EmailAccess, Factor, Network, PasswordState, Path, PathAdvice,
    QuestionId, Site, Situation, YesNo, REASON_EMAIL, REASON_TWO_FACTOR,
};

fn situation(email: EmailAccess, password: PasswordState) -> Situation {
    Situation::new(email, password)
}

fn has_step(advice: &PathAdvice, words: &str) -> bool {
    advice.steps.iter().any(|s| s.contains(words))
}

const UNRECOGNIZED: &str = "Unrecognized login";
const REMEMBER: &str = "Remember this device";

#[test]
fn a_forgotten_password_with_the_mailbox_is_a_reset() {
    // §12.6: "I just want to reset my password. I still have access to the email."
    let mut s = situation(EmailAccess::Yes, PasswordState::Forgotten);
    s.totp = Factor::Have;
    let advice = find_path(&s);
    assert_eq!(advice.path, Path::ResetPassword);
    assert_eq!(
        advice.link.as_deref(),
        Some("https://pypi.org/account/reset-password/")
    );
    assert_eq!(advice.reason, None);
    assert!(has_step(&advice, UNRECOGNIZED), "{:?}", advice.steps);
}

#[test]
fn a_working_authenticator_signs_in_and_explains_the_unrecognized_login_email() {
    // §12.4: filing because of the unrecognized-login email while 2FA still works.
    let mut s = situation(EmailAccess::Yes, PasswordState::Known);
    s.totp = Factor::Have;
    let advice = find_path(&s);
    assert_eq!(advice.path, Path::SignIn);
    assert!(has_step(&advice, UNRECOGNIZED));
    assert!(has_step(&advice, "click its link"));
    assert!(!has_step(&advice, "make it primary"));
}

#[test]
fn no_two_factor_signs_in_with_the_password_alone() {
    let advice = find_path(&situation(EmailAccess::Yes, PasswordState::Known));
    assert_eq!(advice.path, Path::SignIn);
    assert!(has_step(&advice, "password alone"));
    assert!(
        !has_step(&advice, UNRECOGNIZED),
        "no confirmation without 2FA"
    );
    // The mailbox is lost, but nothing asks for it: sign in, then add a new address.
    let lost = find_path(&situation(EmailAccess::No, PasswordState::Known));
    assert_eq!(lost.path, Path::SignIn);
    assert!(has_step(&lost, "make it primary"));
}

#[test]
fn an_authenticator_without_the_mailbox_works_only_from_a_known_network() {
    let mut s = situation(EmailAccess::No, PasswordState::Known);
    s.totp = Factor::Have;
    s.network = Network::Known;
    let known = find_path(&s);
    assert_eq!(known.path, Path::SignIn);
    assert!(has_step(&known, "make it primary"));
    assert!(has_step(&known, "network you have signed in from before"));
    assert!(!has_step(&known, UNRECOGNIZED), "an email they cannot read");
    assert!(!known.why.contains("that link is all it takes"));

    s.network = Network::New;
    let new = find_path(&s);
    assert_eq!(new.path, Path::FileRequest);
    assert_eq!(new.reason.as_deref(), Some(REASON_EMAIL));
    assert!(has_step(
        &new,
        "network you have signed in to PyPI from before"
    ));
    assert!(has_step(&new, REMEMBER));
}

#[test]
fn recovery_codes_without_the_mailbox_from_a_new_network_need_a_request() {
    // The case: the old rules said "sign in with a recovery code"; since November
    // 2025 that sign-in stops at an email the user cannot read.
    let mut s = situation(EmailAccess::No, PasswordState::Known);
    s.totp = Factor::Lost;
    s.recovery_codes = true;
    let advice = find_path(&s);
    assert_eq!(advice.path, Path::FileRequest);
    assert_eq!(advice.reason.as_deref(), Some(REASON_EMAIL));
    assert!(advice.why.contains("November 2025"));

    s.network = Network::Known;
    let known = find_path(&s);
    assert_eq!(known.path, Path::SignInRecoveryCode);
    assert!(has_step(&known, "make it primary"));
    assert!(has_step(&known, "Login using recovery codes"));
}

#[test]
fn recovery_codes_with_the_mailbox_sign_in_and_confirm_by_email() {
    let mut s = situation(EmailAccess::Yes, PasswordState::Known);
    s.totp = Factor::Lost;
    s.recovery_codes = true;
    let advice = find_path(&s);
    assert_eq!(advice.path, Path::SignInRecoveryCode);
    assert!(has_step(&advice, UNRECOGNIZED));
    assert!(has_step(&advice, "generate new recovery codes"));
}

#[test]
fn a_security_key_skips_the_confirmation_whatever_the_network() {
    for totp in [Factor::None, Factor::Have, Factor::Lost] {
        let mut s = situation(EmailAccess::No, PasswordState::Known);
        s.security_key = Factor::Have;
        s.totp = totp;
        let advice = find_path(&s);
        assert_eq!(advice.path, Path::SignInSecurityKey, "totp {totp:?}");
        assert!(has_step(&advice, "security key"));
        assert!(has_step(&advice, "make it primary"));
    }
}

#[test]
fn a_lost_second_factor_with_no_codes_is_a_request_after_the_remembered_browser() {
    let mut s = situation(EmailAccess::Yes, PasswordState::Known);
    s.totp = Factor::Lost;
    let advice = find_path(&s);
    assert_eq!(advice.path, Path::FileRequest);
    assert_eq!(advice.reason.as_deref(), Some(REASON_TWO_FACTOR));
    let remember = advice.steps.iter().position(|s| s.contains(REMEMBER));
    let fill = advice
        .steps
        .iter()
        .position(|s| s.contains("fill in the request"));
    assert!(remember.unwrap() < fill.unwrap(), "{:?}", advice.steps);
    // A lost security key is a lost second factor too.
    let mut key = situation(EmailAccess::Yes, PasswordState::Known);
    key.security_key = Factor::Lost;
    assert_eq!(find_path(&key).reason.as_deref(), Some(REASON_TWO_FACTOR));
}

#[test]
fn a_forgotten_password_without_the_mailbox_is_a_request_for_the_email() {
    for totp in [Factor::None, Factor::Have, Factor::Lost] {
        let mut s = situation(EmailAccess::No, PasswordState::Forgotten);
        s.totp = totp;
        s.recovery_codes = true;
        s.network = Network::Known;
        let advice = find_path(&s);
        assert_eq!(advice.path, Path::FileRequest);
        assert_eq!(advice.reason.as_deref(), Some(REASON_EMAIL));
        // No password, so no remembered browser can help.
        assert!(!has_step(&advice, REMEMBER));
    }
}

#[test]
fn a_never_verified_address_adds_writing_to_support_from_it() {
    let advice = find_path(&situation(
        EmailAccess::NeverVerified,
        PasswordState::Forgotten,
    ));
    assert_eq!(advice.path, Path::FileRequest);
    assert_eq!(advice.reason.as_deref(), Some(REASON_EMAIL));
    assert!(has_step(&advice, "never verified"));
    assert!(has_step(&advice, "support@pypi.org from that address"));
    let plain = find_path(&situation(EmailAccess::No, PasswordState::Forgotten));
    assert!(!has_step(&plain, "never verified"));
}

#[test]
fn every_request_warns_that_a_new_address_must_be_unused() {
    // §12.8: a new address that another account already uses.
    let advice = find_path(&situation(EmailAccess::No, PasswordState::Forgotten));
    assert!(has_step(&advice, "must not belong to another PyPI account"));
}

#[test]
fn someone_elses_account_is_not_a_recovery() {
    // §12.8: an employer's or former colleague's account.
    let mut s = situation(EmailAccess::No, PasswordState::Forgotten);
    s.own_account = false;
    s.compromised = true;
    let advice = find_path(&s);
    assert_eq!(advice.path, Path::NotAccountRecovery);
    assert!(advice.why.contains("refuse"));
    assert!(has_step(&advice, "maintainer"));
    assert!(has_step(&advice, "organization"));
    assert!(has_step(&advice, "PEP 541"));
    assert_eq!(advice.reason, None);
}

#[test]
fn a_compromised_account_goes_to_security_whatever_else_is_true() {
    let mut s = situation(EmailAccess::Yes, PasswordState::Known);
    s.compromised = true;
    let advice = find_path(&s);
    assert_eq!(advice.path, Path::ReportCompromise);
    assert_eq!(advice.link.as_deref(), Some("https://pypi.org/security/"));
}

#[test]
fn testpypi_is_named_separate_and_in_the_reason() {
    let mut s = situation(EmailAccess::Yes, PasswordState::Known);
    s.site = Site::Testpypi;
    s.totp = Factor::Lost;
    let advice = find_path(&s);
    assert!(advice.steps[0].contains("separate from PyPI's"));
    assert!(advice.reason.as_deref().unwrap().contains("TestPyPI"));
    s.totp = Factor::Have;
    let sign_in = find_path(&s);
    assert_eq!(
        sign_in.link.as_deref(),
        Some("https://test.pypi.org/account/login/")
    );
}

fn every_situation() -> Vec<Situation> {
    let mut all = Vec::new();
    for site in [Site::Pypi, Site::Testpypi] {
        for own_account in [true, false] {
            for compromised in [true, false] {
                for email in [
                    EmailAccess::Yes,
                    EmailAccess::No,
                    EmailAccess::NeverVerified,
                ] {
                    for password in [PasswordState::Known, PasswordState::Forgotten] {
                        for totp in [Factor::None, Factor::Have, Factor::Lost] {
                            for security_key in [Factor::None, Factor::Have, Factor::Lost] {
                                for recovery_codes in [true, false] {
                                    for network in [Network::Known, Network::New] {
                                        all.push(Situation {
                                            site,
                                            own_account,
                                            compromised,
                                            email,
                                            password,
                                            totp,
                                            security_key,
                                            recovery_codes,
                                            network,
                                        });
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    all
}

#[test]
fn every_combination_gets_exactly_one_path_with_steps() {
    let all = every_situation();
    assert_eq!(all.len(), 2 * 2 * 2 * 3 * 2 * 3 * 3 * 2 * 2);
    for s in all {
        let advice = find_path(&s);
        assert!(!advice.title.is_empty() && !advice.why.is_empty(), "{s:?}");
        assert!(!advice.steps.is_empty(), "{s:?}");
        assert!(advice.steps.iter().all(|step| !step.trim().is_empty()));
        let mut unique = advice.steps.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), advice.steps.len(), "a repeated step: {s:?}");
        assert_eq!(
            advice.reason.is_some(),
            advice.path == Path::FileRequest,
            "{s:?}"
        );
        // Nobody is told to sign in with a code that stops at an email they cannot read.
        let two_factor = s.totp != Factor::None || s.security_key != Factor::None;
        if matches!(advice.path, Path::SignIn | Path::SignInRecoveryCode) && two_factor {
            assert!(
                s.email == EmailAccess::Yes || s.network == Network::Known,
                "{s:?} → {:?}",
                advice.path
            );
        }
        if advice.path == Path::ResetPassword {
            assert_eq!(s.email, EmailAccess::Yes, "{s:?}");
        }
    }
}

/// Answers the questions `path_step` asks with the situation's own values.
fn answer_as(s: &Situation) -> (PathAdvice, Vec<QuestionId>) {
    let mut answers = Answers::default();
    let mut asked = Vec::new();
    loop {
        let step = path_step(&answers);
        if let Some(advice) = step.advice {
            return (advice, asked);
        }
        let next = step.questions.last().unwrap();
        assert!(next.answer.is_none());
        assert!(!next.choices.is_empty() && !next.legend.is_empty());
        asked.push(next.id);
        let yes_no = |b: bool| Some(if b { YesNo::Yes } else { YesNo::No });
        match next.id {
            QuestionId::Site => answers.site = Some(s.site),
            QuestionId::OwnAccount => answers.own_account = yes_no(s.own_account),
            QuestionId::Compromised => answers.compromised = yes_no(s.compromised),
            QuestionId::Email => answers.email = Some(s.email),
            QuestionId::Password => answers.password = Some(s.password),
            QuestionId::Totp => answers.totp = Some(s.totp),
            QuestionId::SecurityKey => answers.security_key = Some(s.security_key),
            QuestionId::RecoveryCodes => answers.recovery_codes = yes_no(s.recovery_codes),
            QuestionId::Network => answers.network = Some(s.network),
        }
        assert!(asked.len() <= 9, "asked the same question twice: {asked:?}");
    }
}

#[test]
fn the_questions_left_out_never_change_the_path() {
    for s in every_situation() {
        let (advice, _) = answer_as(&s);
        assert_eq!(advice, find_path(&s), "{s:?}");
    }
}

#[test]
fn the_network_is_asked_only_when_a_code_would_need_the_email() {
    let mut s = situation(EmailAccess::Yes, PasswordState::Known);
    s.totp = Factor::Have;
    assert!(
        !answer_as(&s).1.contains(&QuestionId::Network),
        "mailbox readable"
    );
    s.email = EmailAccess::No;
    assert!(answer_as(&s).1.contains(&QuestionId::Network));
    s.security_key = Factor::Have;
    assert!(
        !answer_as(&s).1.contains(&QuestionId::Network),
        "a key needs no email"
    );
    let mut codes = situation(EmailAccess::No, PasswordState::Known);
    codes.totp = Factor::Lost;
    codes.recovery_codes = false;
    let asked = answer_as(&codes).1;
    assert!(asked.contains(&QuestionId::RecoveryCodes));
    assert!(!asked.contains(&QuestionId::Network), "nothing to confirm");
    let no_password = situation(EmailAccess::No, PasswordState::Forgotten);
    let asked = answer_as(&no_password).1;
    assert!(!asked.contains(&QuestionId::Totp), "{asked:?}");
}

#[test]
fn answered_questions_echo_their_answer_and_the_texts_stay_in_the_core() {
    let answers = Answers {
        site: Some(Site::Testpypi),
        own_account: Some(YesNo::Yes),
        ..Answers::default()
    };
    let step = path_step(&answers);
    assert_eq!(step.questions.len(), 3);
    assert_eq!(step.questions[0].answer.as_deref(), Some("testpypi"));
    assert!(step.questions[0]
        .choices
        .iter()
        .any(|c| c.value == "testpypi"));
    assert_eq!(step.questions[2].id, QuestionId::Compromised);
    assert!(step.advice.is_none());
}

#[test]
fn an_answer_left_over_from_a_question_no_longer_asked_does_not_count() {
    // Network "known" was answered, then a security key turned up: the key decides, and the
    // old network answer is neither shown nor used.
    let answers = Answers {
        site: Some(Site::Pypi),
        own_account: Some(YesNo::Yes),
        compromised: Some(YesNo::No),
        email: Some(EmailAccess::No),
        password: Some(PasswordState::Known),
        totp: Some(Factor::Have),
        security_key: Some(Factor::Have),
        recovery_codes: Some(YesNo::Yes),
        network: Some(Network::Known),
    };
    let step = path_step(&answers);
    assert!(step
        .questions
        .iter()
        .all(|q| q.id != QuestionId::Network && q.id != QuestionId::RecoveryCodes));
    assert_eq!(step.advice.unwrap().path, Path::SignInSecurityKey);
}

#[test]
fn the_cli_follows_the_contract() {
    let run = |args: &[&str]| support::cli().arg("path").args(args).output().unwrap();
    let json = |args: &[&str]| -> serde_json::Value {
        let out = run(&[args, &["--json"]].concat());
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let reset = json(&[
        "--email",
        "yes",
        "--password",
        "forgotten",
        "--totp",
        "have",
    ]);
    let keys: Vec<&str> = reset
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys.len(), 6);
    for key in ["path", "title", "why", "steps", "link", "reason"] {
        assert!(keys.contains(&key), "{keys:?}");
    }
    assert_eq!(reset["path"], "reset_password");
    assert!(reset["reason"].is_null());
    let lost = json(&["--email", "yes", "--password", "known", "--totp", "lost"]);
    assert_eq!(lost["path"], "file_request");
    assert_eq!(lost["reason"], REASON_TWO_FACTOR);
    assert!(lost["link"].is_null());
    let codes = json(&[
        "--email",
        "never-verified",
        "--password",
        "known",
        "--totp",
        "lost",
        "--recovery-codes",
        "yes",
        "--network",
        "known",
    ]);
    assert_eq!(codes["path"], "sign_in_recovery_code");
    let key = json(&[
        "--email",
        "no",
        "--password",
        "known",
        "--security-key",
        "have",
    ]);
    assert_eq!(key["path"], "sign_in_security_key");
    let test = json(&[
        "--email",
        "yes",
        "--password",
        "known",
        "--totp",
        "lost",
        "--site",
        "testpypi",
    ]);
    assert!(test["reason"].as_str().unwrap().contains("TestPyPI"));
    assert_eq!(
        json(&["--email", "yes", "--password", "known", "--not-my-account"])["path"],
        "not_account_recovery"
    );
    assert_eq!(
        json(&["--email", "yes", "--password", "known", "--compromised"])["path"],
        "report_compromise"
    );
    // Usage errors exit 2.
    assert_eq!(run(&["--email", "yes"]).status.code(), Some(2));
    assert_eq!(run(&["--password", "known"]).status.code(), Some(2));
    assert_eq!(
        run(&["--email", "maybe", "--password", "known"])
            .status
            .code(),
        Some(2)
    );
    // Plain text: the title, numbered steps, and the link.
    let text = run(&["--email", "yes", "--password", "known", "--totp", "have"]);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.starts_with("Sign in as usual\n"), "{text}");
    assert!(text.contains("\n1. "));
    assert!(text.contains("https://pypi.org/account/login/"));
}
