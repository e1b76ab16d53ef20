//! `pypi-recovery strength` and `pypi-recovery pwned`: the password read from stdin (one line,
//! with no echo on a terminal), never printed back.

use super::{fail, print_json, Failed, Outcome};
use pypi_recovery::secret::SecretString;
use pypi_recovery::strength;
use std::io::{BufRead, IsTerminal, Read, Write};

/// Reads one line from stdin. On a terminal, echo is turned off while typing.
fn read_password() -> Result<SecretString, Failed> {
    if std::io::stdin().is_terminal() {
        err!(no_newline, "Password: ");
        let _ = std::io::stderr().flush();
        return rpassword::read_password()
            .map(SecretString::from)
            .map_err(fail);
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .take(strength::PYPI_MAX_LENGTH as u64 * 4 + 2)
        .read_line(&mut line)
        .map_err(|e| fail(format!("cannot read standard input: {e}")))?;
    let password = SecretString::from(line.trim_end_matches(['\n', '\r']).to_owned());
    zeroize::Zeroize::zeroize(&mut line);
    Ok(password)
}

pub fn strength(user_inputs: &[String], json: bool) -> Outcome {
    let password = read_password()?;
    let inputs: Vec<&str> = user_inputs.iter().map(String::as_str).collect();
    let verdict = strength::evaluate(&password, &inputs);
    if json {
        return print_json(&verdict, true);
    }
    out!(
        "Score: {}/4 — PyPI {} it.",
        verdict.score,
        if verdict.pypi_accepts {
            "accepts"
        } else {
            "refuses"
        }
    );
    out!(
        "Time to crack offline (slow hash, like PyPI's): {}",
        verdict.crack_times.offline_slow_hashing.display
    );
    if let Some(warning) = &verdict.warning {
        out!("Warning: {warning}");
    }
    for suggestion in &verdict.suggestions {
        out!("- {suggestion}");
    }
    Ok(())
}

#[cfg(feature = "online")]
pub fn pwned(api: Option<&str>, json: bool) -> Outcome {
    let password = read_password()?;
    let client = strength::hibp::client(api.unwrap_or(strength::HIBP_API)).map_err(fail)?;
    let result = strength::check_pwned(&client, &password).map_err(fail)?;
    if json {
        print_json(&result, false)?;
    } else if result.pwned {
        out!(
            "Found in known breaches {} times. Do not use it.",
            result.count
        );
    } else {
        out!("Not found in known breaches.");
    }
    Ok(())
}
