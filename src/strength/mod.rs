//! Password strength, offline: zxcvbn with PyPI's own acceptance rule, bounded in time.
//!
//! PyPI accepts a password when Python's `zxcvbn` 4.5.0 scores it 2 or more, with the
//! username, full name and email as user inputs (`warehouse/forms.py`). We use zxcvbn-rs and
//! correct the one systematic difference found so far: Python's 4.5.0 measures how guessable
//! a year is from a fixed reference year, 2017, while zxcvbn-rs uses the current year.

#[cfg(feature = "online")]
pub mod hibp;
#[cfg(all(fuzzing, feature = "online"))]
pub use hibp::fuzz_range;
pub mod passphrase;

#[cfg(feature = "online")]
pub use hibp::{check_pwned, Pwned, HIBP_API};

use crate::secret::SecretString;
use serde::Serialize;
use zxcvbn::matching::patterns::MatchPattern;

/// The longest password PyPI accepts.
pub const PYPI_MAX_LENGTH: usize = 4096;
/// The score PyPI requires.
pub const PYPI_MIN_SCORE: u8 = 2;
/// Our stricter advice: this score and at least [`RECOMMENDED_LENGTH`] characters.
pub const RECOMMENDED_SCORE: u8 = 4;
/// See [`RECOMMENDED_SCORE`].
pub const RECOMMENDED_LENGTH: usize = 12;
/// Python zxcvbn 4.5.0's reference year for dates and years.
const PYTHON_REFERENCE_YEAR: i32 = 2017;
/// zxcvbn's floor on the number of years an attacker tries.
const MIN_YEAR_SPACE: i32 = 20;
/// Most characters analysed; zxcvbn-rs itself stops at 100.
const MAX_ANALYZED: usize = 64;
/// zxcvbn's cost grows with every distinct l33t character it must try substituting; past
/// this many in the analysed window, the window shrinks (down to [`MIN_ANALYZED`]).
const MAX_DISTINCT_LEET: usize = 4;
/// The window never shrinks below this many characters.
const MIN_ANALYZED: usize = 16;

/// How long an attacker needs in one scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CrackTime {
    /// Seconds, as a number.
    pub seconds: f64,
    /// The same, in words ("3 hours", "centuries").
    pub display: String,
}

/// The four standard zxcvbn attack scenarios.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CrackTimes {
    /// An online attack throttled to 100 guesses an hour.
    pub online_throttling: CrackTime,
    /// An online attack at 10 guesses a second.
    pub online_no_throttling: CrackTime,
    /// An offline attack on a slow hash (10⁴ guesses a second), like PyPI's.
    pub offline_slow_hashing: CrackTime,
    /// An offline attack on a fast hash (10¹⁰ guesses a second).
    pub offline_fast_hashing: CrackTime,
}

/// The verdict on one password. Holds no part of the password (zxcvbn's matched
/// fragments are never copied out).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Strength {
    /// 0 (too guessable) to 4 (very unguessable).
    pub score: u8,
    /// log10 of the estimated number of guesses.
    pub guesses_log10: f64,
    /// Crack-time estimates.
    pub crack_times: CrackTimes,
    /// Whether PyPI will accept it: score ≥ 2 with the user inputs, at most 4096 characters.
    pub pypi_accepts: bool,
    /// Our stricter advice: score 4 and at least 12 characters.
    pub meets_recommendation: bool,
    /// The main problem, in our words.
    pub warning: Option<String>,
    /// What would help.
    pub suggestions: Vec<String>,
    /// Characters analysed (long or costly passwords are analysed by their start).
    pub analyzed_chars: u32,
    /// The password's length in characters.
    pub length: u32,
}

/// Evaluates `password` with `user_inputs` (username, full name, emails). Never panics;
/// time is bounded by the analysed window.
pub fn evaluate(password: &SecretString, user_inputs: &[&str]) -> Strength {
    let password = password.expose_secret();
    let length = password.chars().count();
    let window = analysed_window(password);
    let entropy = zxcvbn::zxcvbn(window, user_inputs);
    let guesses_log10 = if window.is_empty() {
        0.0
    } else {
        python_guesses_log10(&entropy)
    };
    let score = score_from_log10(guesses_log10);
    let (warning, suggestions) = feedback(score, entropy.feedback(), length);
    Strength {
        score,
        guesses_log10,
        crack_times: crack_times(guesses_log10),
        pypi_accepts: score >= PYPI_MIN_SCORE && length <= PYPI_MAX_LENGTH,
        meets_recommendation: score >= RECOMMENDED_SCORE && length >= RECOMMENDED_LENGTH,
        warning,
        suggestions,
        analyzed_chars: window.chars().count() as u32,
        length: length as u32,
    }
}

/// The start of the password that zxcvbn analyses: at most [`MAX_ANALYZED`] characters,
/// fewer when many distinct l33t characters would make the analysis slow.
fn analysed_window(password: &str) -> &str {
    let prefix = |chars: usize| {
        password
            .char_indices()
            .nth(chars)
            .and_then(|(i, _)| password.get(..i))
            .unwrap_or(password)
    };
    let mut chars = MAX_ANALYZED;
    while chars > MIN_ANALYZED && distinct_leet(prefix(chars)) > MAX_DISTINCT_LEET {
        chars -= 8;
    }
    prefix(chars)
}

fn distinct_leet(text: &str) -> usize {
    const LEET: &str = "4@8({[<3691!|70$5+%2";
    let mut seen: Vec<char> = text.chars().filter(|c| LEET.contains(*c)).collect();
    seen.sort_unstable();
    seen.dedup();
    seen.len()
}

/// zxcvbn's additive term for each extra match in a sequence.
const MIN_GUESSES_BEFORE_GROWING_SEQUENCE: f64 = 10_000.0;

/// Python zxcvbn 4.5.0 and zxcvbn-rs differ on years, in two ways found by comparing them on
/// our corpus:
/// - 4.5.0's "recent year" pattern is `19\d\d|200\d|201\d`, so "2024" is not a year to it:
///   it reads it as a date (about 20 × 365 guesses), where zxcvbn-rs counts 20;
/// - 4.5.0 measures a year's distance from 2017, zxcvbn-rs from the current year.
///
/// When the chosen sequence has such a match, its guesses are replaced by Python's and the
/// total is recomputed with zxcvbn's formula: l! × Π guesses + 10000^(l−1).
fn python_guesses_log10(entropy: &zxcvbn::Entropy) -> f64 {
    let current = time::OffsetDateTime::now_utc().year();
    let space = |year: i32, reference: i32| f64::from((year - reference).abs().max(MIN_YEAR_SPACE));
    let sequence = entropy.sequence();
    let mut corrected = false;
    let mut log_product = 0.0;
    for m in sequence {
        let rust = m.guesses.unwrap_or(1).max(1) as f64;
        let python = match &m.pattern {
            MatchPattern::Regex(regex) if regex.regex_name == "recent_year" => {
                match regex
                    .regex_match
                    .first()
                    .and_then(|y| y.parse::<i32>().ok())
                {
                    // "2020", "2121": Python sees "20" repeated (two digits brute-forced,
                    // 10² + 2, times two repeats), which beats the date reading.
                    Some(year) if year >= 2020 && m.token.get(..2) == m.token.get(2..) => {
                        Some(204.0)
                    }
                    Some(year) if year >= 2020 => Some(f64::from(MIN_YEAR_SPACE) * 365.0),
                    Some(year) => Some(space(year, PYTHON_REFERENCE_YEAR)),
                    None => None,
                }
            }
            MatchPattern::Date(date) => {
                Some(rust * space(date.year, PYTHON_REFERENCE_YEAR) / space(date.year, current))
            }
            _ => None,
        };
        if let Some(python) = python.filter(|p| (p - rust).abs() > f64::EPSILON) {
            corrected = true;
            log_product += python.log10();
        } else {
            log_product += rust.log10();
        }
    }
    if !corrected {
        return entropy.guesses_log10();
    }
    let l = sequence.len() as i32;
    let log_factorial: f64 = (2..=l).map(|k| f64::from(k).log10()).sum();
    let multiplicative = 10f64.powf(log_factorial + log_product);
    (multiplicative + MIN_GUESSES_BEFORE_GROWING_SEQUENCE.powi(l - 1)).log10()
}

/// zxcvbn's thresholds, with its "+5" margin.
fn score_from_log10(log10: f64) -> u8 {
    let guesses = 10f64.powf(log10);
    match guesses {
        g if g < 1e3 + 5.0 => 0,
        g if g < 1e6 + 5.0 => 1,
        g if g < 1e8 + 5.0 => 2,
        g if g < 1e10 + 5.0 => 3,
        _ => 4,
    }
}

fn crack_times(log10: f64) -> CrackTimes {
    let at = |per_second: f64| {
        let seconds = 10f64.powf(log10) / per_second;
        CrackTime {
            seconds,
            display: display_duration(seconds),
        }
    };
    CrackTimes {
        online_throttling: at(100.0 / 3600.0),
        online_no_throttling: at(10.0),
        offline_slow_hashing: at(1e4),
        offline_fast_hashing: at(1e10),
    }
}

/// A duration in words, like zxcvbn's own display.
pub fn display_duration(seconds: f64) -> String {
    const UNITS: [(f64, &str); 6] = [
        (60.0, "second"),
        (3600.0, "minute"),
        (86_400.0, "hour"),
        (2_678_400.0, "day"),
        (32_140_800.0, "month"),
        (3_214_080_000.0, "year"),
    ];
    if seconds < 1.0 {
        return "less than a second".into();
    }
    let mut previous = 1.0;
    for (limit, unit) in UNITS {
        if seconds < limit {
            let n = (seconds / previous).round() as u64;
            return format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
        }
        previous = limit;
    }
    "centuries".into()
}

/// Feedback in our own words, mapped from zxcvbn's categories (never its matched text).
fn feedback(
    score: u8,
    zx: Option<&zxcvbn::feedback::Feedback>,
    length: usize,
) -> (Option<String>, Vec<String>) {
    use zxcvbn::feedback::Warning as W;
    if length == 0 {
        return (
            None,
            vec!["Type a password, or generate a passphrase.".into()],
        );
    }
    if length > PYPI_MAX_LENGTH {
        return (
            Some("PyPI does not accept passwords longer than 4096 characters.".into()),
            vec![],
        );
    }
    let warning = zx.and_then(|f| f.warning()).map(|w| {
        match w {
            W::StraightRowsOfKeysAreEasyToGuess | W::ShortKeyboardPatternsAreEasyToGuess => {
                "Keyboard patterns are among the first things attackers try."
            }
            W::RepeatsLikeAaaAreEasyToGuess | W::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess => {
                "Repeated characters or chunks add very little."
            }
            W::ThisIsATop10Password | W::ThisIsATop100Password | W::ThisIsACommonPassword => {
                "This is one of the most commonly used choices; attackers try it first."
            }
            W::ThisIsSimilarToACommonlyUsedPassword => {
                "This is a small change to a very common choice."
            }
            W::SequencesLikeAbcAreEasyToGuess => "Sequences like abc or 6543 are easy to guess.",
            W::RecentYearsAreEasyToGuess | W::DatesAreOftenEasyToGuess => {
                "Years and dates are easy to guess."
            }
            W::AWordByItselfIsEasyToGuess => "A single word is easy to guess.",
            W::NamesAndSurnamesByThemselvesAreEasyToGuess
            | W::CommonNamesAndSurnamesAreEasyToGuess => {
                "Names are easy to guess, especially yours."
            }
        }
        .to_owned()
    });
    let mut suggestions = Vec::new();
    if score < RECOMMENDED_SCORE {
        suggestions.push(
            "Use four or more random words, or let the generator pick a passphrase.".to_owned(),
        );
    }
    if length < RECOMMENDED_LENGTH {
        suggestions.push("Make it at least 12 characters long.".to_owned());
    }
    if score < PYPI_MIN_SCORE {
        suggestions.push("Avoid your username, your name and your email address in it.".to_owned());
    }
    (warning, suggestions)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(password: &str, inputs: &[&str]) -> Strength {
        evaluate(&SecretString::from(password), inputs)
    }

    #[test]
    fn pypis_rule_with_user_inputs() {
        assert!(!eval("password", &[]).pypi_accepts);
        assert!(eval("correct horse battery staple", &[]).pypi_accepts);
        assert!(eval("mirafoss88", &[]).pypi_accepts);
        assert!(
            !eval(
                "mirafoss88",
                &["mirafoss", "Mira Foss", "mira@foss.example"]
            )
            .pypi_accepts
        );
        assert!(!eval(&"x".repeat(4097), &[]).pypi_accepts);
        assert!(!eval("", &[]).pypi_accepts);
    }

    #[test]
    fn recommendation_is_stricter() {
        let s = eval("correct horse battery staple", &[]);
        assert_eq!(s.score, 4);
        assert!(s.meets_recommendation);
        assert!(!eval("Xk9#mQ2!", &[]).meets_recommendation, "too short");
    }

    #[test]
    fn the_verdict_never_contains_the_password() {
        for password in ["mirafoss88", "hunter2", "Tr0ub4dor&3", "qwertyuiop"] {
            let json = serde_json::to_string(&eval(password, &["mirafoss"])).unwrap();
            assert!(!json.contains(password), "{json}");
        }
    }

    #[test]
    fn costly_inputs_are_analysed_by_a_shorter_start() {
        assert_eq!(
            eval(&"@4!1|3$5$7+".repeat(9), &[]).analyzed_chars,
            MIN_ANALYZED as u32
        );
        assert_eq!(
            eval(&"correcthorse".repeat(9), &[]).analyzed_chars,
            MAX_ANALYZED as u32
        );
        assert_eq!(eval("short", &[]).analyzed_chars, 5);
    }

    #[test]
    fn durations_read_like_zxcvbn() {
        assert_eq!(display_duration(0.5), "less than a second");
        assert_eq!(display_duration(1.0), "1 second");
        assert_eq!(display_duration(7200.0), "2 hours");
        assert_eq!(display_duration(1e12), "centuries");
    }
}
