//! The path finder: from a few plain answers to the one path that gets the user back in,
//! under PyPI's login rules since November 2025 (pypi-facts §11). Pure and time-free.
//!
//! The rules, in order: someone else's account is not a recovery; a compromised account goes
//! to security. Otherwise the password step works when the password is known, or forgotten
//! with a readable mailbox (the reset link). The 2FA step works with no 2FA, with a security
//! key or passkey, or with a TOTP app or an unused recovery code when either the mailbox can
//! be read (for the "Unrecognized login" link) or the network has signed in before. When
//! both steps work the user signs in; otherwise only support can help.

use serde::{Deserialize, Serialize};

/// Which PyPI the account is on. TestPyPI accounts are separate from PyPI's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Site {
    /// pypi.org.
    #[default]
    Pypi,
    /// test.pypi.org.
    Testpypi,
}

impl Site {
    /// The site's own name.
    pub fn name(self) -> &'static str {
        match self {
            Site::Pypi => "PyPI",
            Site::Testpypi => "TestPyPI",
        }
    }

    fn url(self, path: &str) -> String {
        match self {
            Site::Pypi => format!("https://pypi.org{path}"),
            Site::Testpypi => format!("https://test.pypi.org{path}"),
        }
    }
}

/// Can the user read mail sent to the account's address?
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum EmailAccess {
    /// Yes, they can read it.
    Yes,
    /// No, the mailbox is gone or inaccessible.
    No,
    /// The address was never verified on PyPI, so PyPI sends it nothing that helps.
    NeverVerified,
}

/// Does the user know the password?
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum PasswordState {
    /// They know it.
    Known,
    /// They forgot it.
    Forgotten,
}

/// A second factor (an authenticator app, or a security key or passkey).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Factor {
    /// Never set up on this account.
    #[default]
    None,
    /// Set up, and at hand.
    Have,
    /// Set up, and lost.
    Lost,
}

/// Where the user would sign in from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Network {
    /// A network (home, office) they have signed in from and confirmed before.
    Known,
    /// A new network, or they are not sure.
    #[default]
    New,
}

/// Yes or no, for the questions that are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum YesNo {
    /// Yes.
    Yes,
    /// No.
    No,
}

/// Every answer, with the questions that did not matter at their defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Situation {
    /// Which PyPI.
    pub site: Site,
    /// The account is the user's own.
    pub own_account: bool,
    /// Someone else may control the account.
    pub compromised: bool,
    /// Access to the account's email.
    pub email: EmailAccess,
    /// The password.
    pub password: PasswordState,
    /// An authenticator (TOTP) app.
    pub totp: Factor,
    /// A security key or passkey.
    pub security_key: Factor,
    /// Unused recovery codes are at hand.
    pub recovery_codes: bool,
    /// The network they would sign in from.
    pub network: Network,
}

impl Situation {
    /// The CLI's defaults for everything but the two answers every path needs.
    pub fn new(email: EmailAccess, password: PasswordState) -> Self {
        Self {
            site: Site::Pypi,
            own_account: true,
            compromised: false,
            email,
            password,
            totp: Factor::None,
            security_key: Factor::None,
            recovery_codes: false,
            network: Network::New,
        }
    }

    fn mailbox(&self) -> bool {
        self.email == EmailAccess::Yes
    }

    fn no_two_factor(&self) -> bool {
        self.totp == Factor::None && self.security_key == Factor::None
    }

    /// A TOTP code or a recovery code gets past the new-network confirmation.
    fn phishable_passes(&self) -> bool {
        self.mailbox() || self.network == Network::Known
    }

    /// The authenticator app gets the user in. With the mailbox lost and a security key at
    /// hand, the key wins: it needs neither the email nor a known network.
    fn totp_works(&self) -> bool {
        self.totp == Factor::Have
            && (self.mailbox()
                || self.network == Network::Known && self.security_key != Factor::Have)
    }

    fn password_step(&self) -> bool {
        self.password == PasswordState::Known || self.mailbox()
    }

    fn two_factor_step(&self) -> bool {
        self.no_two_factor()
            || self.security_key == Factor::Have
            || ((self.totp == Factor::Have || self.recovery_codes) && self.phishable_passes())
    }

    /// A TOTP app or codes are at hand, and only the confirmation email stands in the way.
    fn blocked_by_confirmation(&self) -> bool {
        (self.totp == Factor::Have || self.recovery_codes)
            && self.security_key != Factor::Have
            && !self.phishable_passes()
    }
}

/// The way back in. The names are the CLI's contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Path {
    /// Reset the forgotten password through the emailed link, then sign in.
    ResetPassword,
    /// Sign in with the password and the authenticator app (or the password alone).
    SignIn,
    /// Sign in with the password and a security key or passkey.
    SignInSecurityKey,
    /// Sign in with the password and an unused recovery code.
    SignInRecoveryCode,
    /// Only support can help: file an account-recovery request.
    FileRequest,
    /// Someone else may control the account: report it to PyPI's security team.
    ReportCompromise,
    /// The account is someone else's: staff do not hand it over.
    NotAccountRecovery,
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
    /// The form's "Reason for request", for `file_request` only.
    pub reason: Option<String>,
}

/// The form's reason when the mailbox is what blocks.
pub const REASON_EMAIL: &str = "Lost access to email address";
/// The form's reason when the second factor is what blocks.
pub const REASON_TWO_FACTOR: &str = "Lost 2FA authentication app or security token";

const PEP_541: &str = "https://peps.python.org/pep-0541/";

const UNRECOGNIZED_LOGIN: &str = "If PyPI has not seen you sign in from this network, it emails the account's address “Unrecognized login to your PyPI account” and waits. Open that email and click its link, in the same browser: the sign-in goes on. This is not a reason to file a request.";
const REMEMBERED_BROWSER: &str = "First try the browser where you usually sign in to PyPI. If you ticked “Remember this device” there in the last 30 days, PyPI signs that browser in with the password alone: no 2FA step and no email.";
const KNOWN_NETWORK: &str = "Do this from the network you have signed in from before (your home or office): from there PyPI asks for no email confirmation, which you could not read.";
const NEW_ADDRESS: &str = "While signed in, open Account settings, add an email address you can read, verify it, and make it primary, so the next reset or confirmation reaches you.";
const RENEW_TWO_FACTOR: &str = "Once in, replace what you lost: set up 2FA again on a device you have, and generate new recovery codes (the old set stops working). Keep them in the Recovery codes area.";

/// Works out the path for a situation.
pub fn find_path(s: &Situation) -> PathAdvice {
    let mut advice = decide(s);
    if s.site == Site::Testpypi {
        advice.steps.insert(
            0,
            "TestPyPI (test.pypi.org) accounts are separate from PyPI's: their own password, 2FA and recovery codes. Everything here is about the TestPyPI account.".into(),
        );
        if let Some(reason) = &mut advice.reason {
            reason.push_str(" (TestPyPI account)");
        }
    }
    advice
}

fn decide(s: &Situation) -> PathAdvice {
    if !s.own_account {
        return PathAdvice {
            path: Path::NotAccountRecovery,
            title: "This is not an account recovery".into(),
            why: "PyPI's support team recovers an account only for the person it belongs to. They refuse to hand a former colleague's, an employee's or an abandoned account to someone else, because anyone could claim to be its successor.".into(),
            steps: vec![
                "Ask the project's owners to add you as a maintainer or owner (on PyPI: Manage project → Collaborators).".into(),
                "If the project belongs to a company or a team, ask them to move it into a PyPI organization, whose members can change without sharing one account.".into(),
                "If the owners cannot be reached and the project is abandoned, or you want a name someone else holds, make a name request under PEP 541.".into(),
            ],
            link: Some(PEP_541.into()),
            reason: None,
        };
    }
    if s.compromised {
        return PathAdvice {
            path: Path::ReportCompromise,
            title: format!("Report a compromised account to {}'s security team", s.site.name()),
            why: "If someone else may control the account, the fix is not a normal recovery: PyPI's security team can lock it and check what was published.".into(),
            steps: vec![
                "Follow PyPI's security page to report it privately; do not describe it in a public issue.".into(),
                "Check your projects' recent releases for anything you did not upload.".into(),
                "Change the password of the email account too, if it may be affected.".into(),
            ],
            link: Some(s.site.url("/security/")),
            reason: None,
        };
    }
    if s.password_step() && s.two_factor_step() {
        return sign_in(s);
    }
    file_request(s)
}

fn sign_in(s: &Situation) -> PathAdvice {
    let site = s.site.name();
    let second_step = || -> Vec<String> {
        if s.no_two_factor() {
            vec![format!("Without 2FA, {site} signs you in with the password alone. It then asks you to set up 2FA before anything else: do, and save the recovery codes it gives you in the Recovery codes area.")]
        } else if s.totp_works() {
            let mut steps = vec!["Enter the 6-digit code from your authenticator app. If it is refused, check that your phone's clock is right; after 5 wrong codes PyPI makes you wait 5 minutes.".to_owned()];
            if s.mailbox() {
                steps.push(UNRECOGNIZED_LOGIN.into());
            } else {
                steps.push(KNOWN_NETWORK.into());
            }
            steps
        } else if s.security_key == Factor::Have {
            vec!["When PyPI asks for your second factor, use your security key or passkey. It needs no email confirmation, whatever the network.".into()]
        } else {
            let mut steps = vec![
                "When PyPI asks for a 2FA code, choose “Login using recovery codes” and enter one unused code, in lower case.".to_owned(),
                "Mark that code used in the Recovery codes area: each code works once.".into(),
            ];
            if !s.mailbox() {
                steps.push(KNOWN_NETWORK.into());
            } else {
                steps.push(UNRECOGNIZED_LOGIN.into());
            }
            steps
        }
    };
    let mut steps = Vec::new();
    let lost_something = s.totp == Factor::Lost || s.security_key == Factor::Lost;
    let (path, title, why, link) = if s.password == PasswordState::Forgotten {
        steps.push(format!(
            "Open {site}'s reset page and enter your username or the account's email address."
        ));
        steps.push("Follow the link in the email and choose a new password (Password check says whether PyPI will accept it).".into());
        steps.push(format!("Sign in to {site} with the new password."));
        (
            Path::ResetPassword,
            "Reset your password yourself".to_owned(),
            "You can still read the account's email, so PyPI's reset link reaches you. No support request is needed, and there is no wait.".to_owned(),
            s.site.url("/account/reset-password/"),
        )
    } else if s.totp_works() || s.no_two_factor() {
        steps.push(format!(
            "Open {site}'s sign-in page and sign in with your username and password."
        ));
        (
            Path::SignIn,
            "Sign in as usual".to_owned(),
            if s.no_two_factor() {
                "You know the password and the account has no 2FA, so nothing stands in the way."
                    .to_owned()
            } else if !s.mailbox() {
                "You know the password and have your authenticator app. From a network you have signed in from before, PyPI asks for no email confirmation, so the lost mailbox does not stop you there.".to_owned()
            } else {
                "You know the password and have your authenticator app. Since November 2025 PyPI may ask you to confirm a sign-in from a new network by email; that link is all it takes.".to_owned()
            },
            s.site.url("/account/login/"),
        )
    } else if s.security_key == Factor::Have {
        steps.push(format!(
            "Open {site}'s sign-in page and sign in with your username and password."
        ));
        (
            Path::SignInSecurityKey,
            "Sign in with your security key".to_owned(),
            "A security key or passkey replaces the authenticator app, and, unlike a code, it skips PyPI's email confirmation for new networks.".to_owned(),
            s.site.url("/account/login/"),
        )
    } else {
        steps.push(format!(
            "Open {site}'s sign-in page and sign in with your username and password."
        ));
        (
            Path::SignInRecoveryCode,
            "Sign in with a recovery code".to_owned(),
            if !s.mailbox() {
                "A recovery code replaces your lost 2FA device for one sign-in, and from a network you have signed in from before PyPI asks for no email.".to_owned()
            } else {
                "A recovery code replaces your lost 2FA device for one sign-in. From a new network PyPI then emails a confirmation link, and you can read that email.".to_owned()
            },
            s.site.url("/account/login/"),
        )
    };
    steps.extend(second_step());
    if !s.mailbox() {
        steps.push(NEW_ADDRESS.into());
    }
    if lost_something || path == Path::SignInRecoveryCode {
        steps.push(RENEW_TWO_FACTOR.into());
    }
    PathAdvice {
        path,
        title,
        why,
        steps,
        link: Some(link),
        reason: None,
    }
}

fn file_request(s: &Situation) -> PathAdvice {
    let email_blocks_password = !s.password_step();
    let email_blocks_confirmation = !email_blocks_password && s.blocked_by_confirmation();
    let (why, reason) = if email_blocks_password {
        ("PyPI resets a forgotten password only through a link sent to the account's verified address, and you cannot read that mailbox. Only PyPI's support team can help.", REASON_EMAIL)
    } else if email_blocks_confirmation {
        ("Your authenticator app or recovery codes still work, but since November 2025 PyPI asks you to confirm a sign-in with them from a new network through a link it emails to the account's address, and you cannot read that mailbox.", REASON_EMAIL)
    } else {
        ("Your 2FA app or security key is lost and you have no unused recovery code, so only PyPI's support team can remove 2FA from the account.", REASON_TWO_FACTOR)
    };
    let mut steps = Vec::new();
    if s.password_step() {
        steps.push(REMEMBERED_BROWSER.into());
    }
    if email_blocks_confirmation {
        steps.push("If you can get to a network you have signed in to PyPI from before (your home or office), sign in from there: PyPI asks for no email confirmation there. Then add an address you can read and make it primary, and no request is needed.".into());
    }
    let fill_in =
        "fill in the request here; the app checks that nothing private goes into the public issue.";
    steps.push(if steps.is_empty() {
        format!("Now {fill_in}")
    } else {
        format!("If that does not work, {fill_in}")
    });
    steps.extend([
        "Open PyPI's form on GitHub and paste each field where it asks for it.".into(),
        "Send the private email to support@pypi.org with your evidence and the issue link. An address you give for the account must not belong to another PyPI account.".into(),
        "Wait for PyPI's email, and reply to it (not on the issue).".into(),
    ]);
    if s.email == EmailAccess::NeverVerified {
        steps.insert(
            steps.len() - 1,
            "Because your address was never verified, write to support@pypi.org from that address to confirm it is yours, quoting the issue link.".into(),
        );
    }
    PathAdvice {
        path: Path::FileRequest,
        title: "File an account-recovery request".into(),
        why: why.into(),
        steps,
        link: None,
        reason: Some(reason.into()),
    }
}
