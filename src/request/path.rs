//! The path finder: from a few plain answers to the one path that gets the user back in.

use serde::{Deserialize, Serialize};

/// Can the user read mail sent to the account's address?
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum EmailAccess {
    /// Yes, they can read it.
    Yes,
    /// No, the mailbox is gone or inaccessible.
    No,
    /// The address was never verified on PyPI.
    NeverVerified,
}

/// The state of the account's two-factor authentication, from the user's side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum TwoFactor {
    /// 2FA is not turned on.
    NotEnabled,
    /// 2FA is on and the device or app is at hand.
    HaveDevice,
    /// 2FA is on and the device or app is lost.
    LostDevice,
}

/// The user's answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Situation {
    /// Someone else may have taken over the account.
    pub compromised: bool,
    /// Access to the account's email.
    pub email: EmailAccess,
    /// Two-factor state.
    pub two_factor: TwoFactor,
    /// Unused recovery codes are at hand (asked only when the 2FA device is lost).
    pub has_recovery_codes: bool,
}

/// The way back in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Path {
    /// Reset the password with PyPI's self-service form; no request needed.
    ResetPassword,
    /// Sign in with a recovery code.
    RecoveryCode,
    /// File an account-recovery request.
    FileRequest,
    /// The account may be compromised: contact PyPI's security team.
    Compromised,
}

/// The path, why, and what to do next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PathAdvice {
    /// The path.
    pub path: Path,
    /// A one-line answer.
    pub title: String,
    /// Why this is the path, in plain words.
    pub why: String,
    /// What to do, in order.
    pub steps: Vec<String>,
    /// The page that starts this path, if any.
    pub link: Option<String>,
    /// A reason to prefill in the request, when one is needed.
    pub suggested_reason: Option<String>,
}

const RESET_URL: &str = "https://pypi.org/account/reset-password/";
const LOGIN_URL: &str = "https://pypi.org/account/login/";
const SECURITY_URL: &str = "https://pypi.org/security/";

/// Works out the path for a situation. Pure, so every case is tested.
pub fn find_path(situation: &Situation) -> PathAdvice {
    if situation.compromised {
        return PathAdvice {
            path: Path::Compromised,
            title: "Report a compromised account to PyPI's security team".into(),
            why: "If someone else may control the account, the fix is not a normal recovery: PyPI's security team can lock it and check what was published.".into(),
            steps: vec![
                "Follow PyPI's security page to report it privately; do not describe it in a public issue.".into(),
                "Check your projects' recent releases for anything you did not upload.".into(),
                "Change the password of the email account too, if it may be affected.".into(),
            ],
            link: Some(SECURITY_URL.into()),
            suggested_reason: None,
        };
    }
    match (situation.two_factor, situation.has_recovery_codes, situation.email) {
        (TwoFactor::LostDevice, true, email) => {
            let mut steps = vec![
                "Sign in with your username and password. When PyPI asks for a 2FA code, choose “Login using recovery codes”.".into(),
                "Enter one unused code, then mark it used in the Recovery codes area.".into(),
                "Once in, set up 2FA again on a device you have, and generate a new set of recovery codes.".into(),
            ];
            if email != EmailAccess::Yes {
                steps.push("While signed in, add an email address you can read and make it primary.".into());
            } else {
                steps.insert(0, "If you also forgot the password, reset it first: the reset link is emailed to you.".into());
            }
            PathAdvice {
                path: Path::RecoveryCode,
                title: "Sign in with a recovery code".into(),
                why: "A recovery code replaces your lost 2FA device for one sign-in, with no request and no wait.".into(),
                steps,
                link: Some(LOGIN_URL.into()),
                suggested_reason: None,
            }
        }
        (TwoFactor::LostDevice, false, email) => file_request(
            "You lost your 2FA device and have no recovery codes, so only PyPI's support team can remove 2FA from the account.",
            "Lost 2FA authentication app or security token, and I never generated or have lost my recovery codes.",
            email,
        ),
        (_, _, EmailAccess::Yes) => PathAdvice {
            path: Path::ResetPassword,
            title: "Reset your password yourself".into(),
            why: "You can still read the account's email, so PyPI's reset link reaches you. No support request is needed, and there is no wait.".into(),
            steps: vec![
                "Open PyPI's reset page and enter your username or email address.".into(),
                "Follow the link in the email, and choose a new password (the Password check area says whether PyPI will accept it).".into(),
                "Then sign in; your 2FA device still works as before.".into(),
            ],
            link: Some(RESET_URL.into()),
            suggested_reason: None,
        },
        (_, _, email) => file_request(
            "You cannot receive PyPI's emails at the account's address, so a password reset cannot reach you. If you can still sign in, add a new address in your account settings instead; otherwise support has to help.",
            "Lost access to email address",
            email,
        ),
    }
}

fn file_request(why: &str, reason: &str, email: EmailAccess) -> PathAdvice {
    let mut steps = vec![
        "Fill in the request here; the app checks that nothing private goes into the public issue."
            .into(),
        "Open PyPI's form on GitHub and paste each field where it asks for it.".into(),
        "Send the private email to support@pypi.org with your evidence and the issue link.".into(),
        "Wait for PyPI's email, and reply to it (not on the issue).".into(),
    ];
    if email == EmailAccess::NeverVerified {
        steps.insert(
            2,
            "Because your address was never verified, write to support@pypi.org from that address to confirm it is yours, quoting the issue link.".into(),
        );
    }
    PathAdvice {
        path: Path::FileRequest,
        title: "File an account-recovery request".into(),
        why: why.into(),
        steps,
        link: None,
        suggested_reason: Some(reason.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn situation(email: EmailAccess, two_factor: TwoFactor, has_recovery_codes: bool) -> Situation {
        Situation {
            compromised: false,
            email,
            two_factor,
            has_recovery_codes,
        }
    }

    #[test]
    fn still_reading_email_means_reset_the_password() {
        // "I still have access to my email, I just want to reset my password."
        for two_factor in [TwoFactor::NotEnabled, TwoFactor::HaveDevice] {
            let advice = find_path(&situation(EmailAccess::Yes, two_factor, false));
            assert_eq!(advice.path, Path::ResetPassword);
            assert_eq!(advice.link.as_deref(), Some(RESET_URL));
            assert_eq!(advice.suggested_reason, None);
        }
    }

    #[test]
    fn lost_device_with_codes_means_sign_in_with_a_code() {
        for email in [
            EmailAccess::Yes,
            EmailAccess::No,
            EmailAccess::NeverVerified,
        ] {
            let advice = find_path(&situation(email, TwoFactor::LostDevice, true));
            assert_eq!(advice.path, Path::RecoveryCode);
        }
        let no_email = find_path(&situation(EmailAccess::No, TwoFactor::LostDevice, true));
        assert!(no_email
            .steps
            .iter()
            .any(|s| s.contains("add an email address")));
    }

    #[test]
    fn lost_device_and_codes_means_a_request() {
        let advice = find_path(&situation(EmailAccess::Yes, TwoFactor::LostDevice, false));
        assert_eq!(advice.path, Path::FileRequest);
        assert!(advice.suggested_reason.unwrap().starts_with("Lost 2FA"));
    }

    #[test]
    fn lost_email_means_a_request() {
        let advice = find_path(&situation(EmailAccess::No, TwoFactor::HaveDevice, false));
        assert_eq!(advice.path, Path::FileRequest);
        assert_eq!(
            advice.suggested_reason.as_deref(),
            Some("Lost access to email address")
        );
        assert!(!advice.steps.iter().any(|s| s.contains("never verified")));
    }

    #[test]
    fn never_verified_email_means_a_request_and_a_confirming_email() {
        let advice = find_path(&situation(
            EmailAccess::NeverVerified,
            TwoFactor::NotEnabled,
            false,
        ));
        assert_eq!(advice.path, Path::FileRequest);
        assert!(advice
            .steps
            .iter()
            .any(|s| s.contains("never verified") && s.contains("support@pypi.org")));
    }

    #[test]
    fn a_compromised_account_goes_to_security_whatever_else_is_true() {
        for email in [EmailAccess::Yes, EmailAccess::No] {
            for two_factor in [TwoFactor::NotEnabled, TwoFactor::LostDevice] {
                let mut s = situation(email, two_factor, true);
                s.compromised = true;
                let advice = find_path(&s);
                assert_eq!(advice.path, Path::Compromised);
                assert_eq!(advice.link.as_deref(), Some(SECURITY_URL));
            }
        }
    }
}
