//! The path finder's questions, asked only when they matter. The UI renders what this returns
//! and sends back the answers; it knows no rule of its own.

use super::path::{
    find_path, EmailAccess, Factor, Network, PasswordState, PathAdvice, Site, Situation, YesNo,
};
use serde::{Deserialize, Serialize};

/// The answers so far; `None` for a question not answered (or not asked).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Answers {
    /// Which PyPI.
    pub site: Option<Site>,
    /// Is it the user's own account?
    pub own_account: Option<YesNo>,
    /// May someone else control it?
    pub compromised: Option<YesNo>,
    /// Can they read the account's email?
    pub email: Option<EmailAccess>,
    /// Do they know the password?
    pub password: Option<PasswordState>,
    /// An authenticator app.
    pub totp: Option<Factor>,
    /// A security key or passkey.
    pub security_key: Option<Factor>,
    /// Unused recovery codes at hand.
    pub recovery_codes: Option<YesNo>,
    /// The network they would sign in from.
    pub network: Option<Network>,
}

/// Which answer a question fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum QuestionId {
    /// [`Answers::site`].
    Site,
    /// [`Answers::own_account`].
    OwnAccount,
    /// [`Answers::compromised`].
    Compromised,
    /// [`Answers::email`].
    Email,
    /// [`Answers::password`].
    Password,
    /// [`Answers::totp`].
    Totp,
    /// [`Answers::security_key`].
    SecurityKey,
    /// [`Answers::recovery_codes`].
    RecoveryCodes,
    /// [`Answers::network`].
    Network,
}

/// One possible answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Choice {
    /// The value sent back in [`Answers`] (the CLI's spelling, snake_case).
    pub value: &'static str,
    /// What the user reads.
    pub label: &'static str,
}

/// A question in plain words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Question {
    /// The answer it fills.
    pub id: QuestionId,
    /// The question.
    pub legend: &'static str,
    /// A line of help under it, if any.
    pub hint: Option<&'static str>,
    /// The answers to choose from.
    pub choices: Vec<Choice>,
    /// What the user chose, echoed so the UI needs no mapping of its own.
    pub answer: Option<String>,
}

/// What to show now: the questions that matter so far (answered ones first, then at most one
/// unanswered), and the advice once nothing that matters is left unanswered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PathStep {
    /// The questions to show, in order.
    pub questions: Vec<Question>,
    /// The advice, when every question that matters is answered.
    pub advice: Option<PathAdvice>,
}

/// The questions that matter for `answers`, and the advice when they are all answered.
pub fn path_step(answers: &Answers) -> PathStep {
    // Only answers to questions that matter count: one left over from before an earlier
    // answer changed must not steer the path.
    let mut kept = Answers::default();
    let mut questions = Vec::new();
    for id in ORDER {
        if !matters(id, &kept) {
            continue;
        }
        keep(id, answers, &mut kept);
        let question = question(id, &kept);
        let unanswered = question.answer.is_none();
        questions.push(question);
        if unanswered {
            return PathStep {
                questions,
                advice: None,
            };
        }
    }
    PathStep {
        questions,
        advice: Some(find_path(&situation(&kept))),
    }
}

fn keep(id: QuestionId, from: &Answers, to: &mut Answers) {
    match id {
        QuestionId::Site => to.site = from.site,
        QuestionId::OwnAccount => to.own_account = from.own_account,
        QuestionId::Compromised => to.compromised = from.compromised,
        QuestionId::Email => to.email = from.email,
        QuestionId::Password => to.password = from.password,
        QuestionId::Totp => to.totp = from.totp,
        QuestionId::SecurityKey => to.security_key = from.security_key,
        QuestionId::RecoveryCodes => to.recovery_codes = from.recovery_codes,
        QuestionId::Network => to.network = from.network,
    }
}

const ORDER: [QuestionId; 9] = [
    QuestionId::Site,
    QuestionId::OwnAccount,
    QuestionId::Compromised,
    QuestionId::Email,
    QuestionId::Password,
    QuestionId::Totp,
    QuestionId::SecurityKey,
    QuestionId::RecoveryCodes,
    QuestionId::Network,
];

/// Whether a question can change the path, given the answers before it.
fn matters(id: QuestionId, a: &Answers) -> bool {
    let recovering = a.own_account == Some(YesNo::Yes) && a.compromised == Some(YesNo::No);
    // A forgotten password with no mailbox needs support whatever the second factor.
    let password_step =
        a.password == Some(PasswordState::Known) || a.email == Some(EmailAccess::Yes);
    let key_at_hand = a.security_key == Some(Factor::Have);
    let two_factor_on = a.totp != Some(Factor::None) || a.security_key != Some(Factor::None);
    match id {
        QuestionId::Site | QuestionId::OwnAccount => true,
        QuestionId::Compromised => a.own_account == Some(YesNo::Yes),
        QuestionId::Email | QuestionId::Password => recovering,
        QuestionId::Totp | QuestionId::SecurityKey => recovering && password_step,
        QuestionId::RecoveryCodes => {
            recovering
                && password_step
                && two_factor_on
                && !key_at_hand
                && a.totp != Some(Factor::Have)
        }
        // Only a TOTP code or a recovery code needs the email or a known network.
        QuestionId::Network => {
            recovering
                && password_step
                && !key_at_hand
                && a.email != Some(EmailAccess::Yes)
                && (a.totp == Some(Factor::Have) || a.recovery_codes == Some(YesNo::Yes))
        }
    }
}

/// The complete situation, with what was not asked at its default.
fn situation(a: &Answers) -> Situation {
    Situation {
        site: a.site.unwrap_or_default(),
        own_account: a.own_account != Some(YesNo::No),
        compromised: a.compromised == Some(YesNo::Yes),
        email: a.email.unwrap_or(EmailAccess::No),
        password: a.password.unwrap_or(PasswordState::Forgotten),
        totp: a.totp.unwrap_or_default(),
        security_key: a.security_key.unwrap_or_default(),
        recovery_codes: a.recovery_codes == Some(YesNo::Yes),
        network: a.network.unwrap_or_default(),
    }
}

fn choice(value: &'static str, label: &'static str) -> Choice {
    Choice { value, label }
}

/// The serde spelling of an answer, so `answer` matches a choice's `value`.
fn spelled<T: Serialize>(value: Option<T>) -> Option<String> {
    serde_json::to_value(value?)
        .ok()?
        .as_str()
        .map(str::to_owned)
}

fn question(id: QuestionId, a: &Answers) -> Question {
    let factor = |what: &'static str| {
        vec![
            choice("none", what),
            choice("have", "It is set up, and I have it"),
            choice("lost", "It is set up, and I lost it"),
        ]
    };
    let (legend, hint, choices, answer) = match id {
        QuestionId::Site => (
            "Which site is the account on?",
            Some("TestPyPI accounts are separate from PyPI's."),
            vec![
                choice("pypi", "PyPI (pypi.org)"),
                choice("testpypi", "TestPyPI (test.pypi.org)"),
            ],
            spelled(a.site),
        ),
        QuestionId::OwnAccount => (
            "Is it your own account?",
            None,
            vec![
                choice("yes", "Yes, it is mine"),
                choice(
                    "no",
                    "No, it belongs to someone else (a former colleague, an employer, an old maintainer)",
                ),
            ],
            spelled(a.own_account),
        ),
        QuestionId::Compromised => (
            "Do you think someone else has taken over your account?",
            None,
            vec![choice("no", "No"), choice("yes", "Yes, or I am not sure")],
            spelled(a.compromised),
        ),
        QuestionId::Email => (
            "Can you still read email sent to the account's address?",
            None,
            vec![
                choice("yes", "Yes"),
                choice("no", "No, I lost access to it"),
                choice("never_verified", "The address was never verified"),
            ],
            spelled(a.email),
        ),
        QuestionId::Password => (
            "Do you know the account's password?",
            None,
            vec![choice("known", "Yes"), choice("forgotten", "No, I forgot it")],
            spelled(a.password),
        ),
        QuestionId::Totp => (
            "An authenticator app (TOTP) for this account",
            Some("The app on your phone that shows a 6-digit code."),
            factor("I never set one up"),
            spelled(a.totp),
        ),
        QuestionId::SecurityKey => (
            "A security key or passkey for this account",
            Some("A USB or NFC key, or a passkey kept by your phone, computer or password manager."),
            factor("I never set one up"),
            spelled(a.security_key),
        ),
        QuestionId::RecoveryCodes => (
            "Do you have an unused recovery code?",
            Some("PyPI gave you 8 when you turned on 2FA. The Recovery codes area can look for a saved file on this computer."),
            vec![
                choice("yes", "Yes"),
                choice("no", "No, I never saved them or lost them"),
            ],
            spelled(a.recovery_codes),
        ),
        QuestionId::Network => (
            "Where would you sign in from?",
            Some("Since November 2025 PyPI emails a confirmation link when a code is used from a network it has not seen for your account."),
            vec![
                choice("known", "A network I have signed in to PyPI from before (home, office)"),
                choice("new", "A new network, or I am not sure"),
            ],
            spelled(a.network),
        ),
    };
    Question {
        id,
        legend,
        hint,
        choices,
        answer,
    }
}
