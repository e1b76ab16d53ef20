//! Password strength: agreement with PyPI's own verdict (Python zxcvbn 4.5.0), the HIBP
//! client against a local HTTP server, and the CLI contract.

mod support;

use pypi_recovery::online::{Client, OnlineError, Retry};
use pypi_recovery::secret::SecretString;
use pypi_recovery::strength::{check_pwned, evaluate, hibp};
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;
use support::cli_with_input;
use support::http::{refused_url, Reply, Server};

/// A realistic corpus: common passwords and their variations, names, years and dates,
/// keyboard walks, l33t, passphrases and random strings, some with the user's own details.
fn corpus() -> Vec<(String, Vec<String>)> {
    let words = [
        "password", "dragon", "monkey", "sunshine", "football", "princess", "shadow", "master",
        "letmein", "welcome", "python", "django", "flask", "numpy", "pypi", "github", "summer",
        "winter", "autumn", "purple", "orange", "banana", "cookie", "coffee", "guitar", "pirate",
        "rocket", "castle", "silver", "tiger", "falcon", "phoenix", "matrix", "hunter", "ranger",
        "wizard", "soccer", "hockey", "batman",
    ];
    let names = [
        "mira", "alice", "bob", "carlos", "dana", "erik", "fatima", "george", "hana", "ivan",
    ];
    let years = [
        "1985", "1990", "1999", "2001", "2010", "2017", "2020", "2024", "2026", "1975",
    ];
    let mut cases: Vec<(String, Vec<String>)> = Vec::new();
    let mut add = |p: String, inputs: &[&str]| {
        cases.push((p, inputs.iter().map(|s| s.to_string()).collect()));
    };
    for (i, w) in words.iter().enumerate() {
        let y = years[i % years.len()];
        add(w.to_string(), &[]);
        add(format!("{w}{y}"), &[]);
        add(format!("{w}{}", i * 7 % 100), &[]);
        add(format!("{}{}!", w[..1].to_uppercase(), &w[1..]), &[]);
        add(w.replace('a', "@").replace('o', "0").replace('e', "3"), &[]);
        add(
            format!(
                "{w}{}{}",
                words[(i + 5) % words.len()],
                words[(i + 11) % words.len()]
            ),
            &[],
        );
        add(
            format!(
                "{w} {} {} {}",
                words[(i + 3) % words.len()],
                words[(i + 17) % words.len()],
                words[(i + 23) % words.len()]
            ),
            &[],
        );
        add(format!("{w}{y}{}", &y[2..]), &[]);
    }
    for (i, n) in names.iter().enumerate() {
        let user = format!("{n}foss");
        let full = format!("{} Foss", n[..1].to_uppercase() + &n[1..]);
        let email = format!("{n}@foss.example");
        let inputs = [user.as_str(), full.as_str(), email.as_str()];
        let y = years[i];
        add(format!("{user}{}", i * 11 % 100), &inputs);
        add(format!("{user}{}", i * 11 % 100), &[]);
        add(format!("{n}{y}"), &inputs);
        add(format!("{n}{y}"), &[]);
        add(format!("{}{y}!", full.replace(' ', "")), &inputs);
        add(format!("{n}.{}", words[i]), &inputs);
        add(format!("{n}{}{}", words[i * 3 % words.len()], i), &inputs);
        add(format!("{:02}{:02}{y}", i + 1, (i * 3) % 12 + 1), &[]);
        add(format!("{n}{:02}/{:02}/{y}", i + 3, i % 12 + 1), &[]);
    }
    for walk in [
        "qwerty",
        "qwertyuiop",
        "asdfghjkl",
        "zxcvbnm",
        "1qaz2wsx",
        "qazwsxedc",
        "1q2w3e4r5t",
        "!qaz@wsx",
    ] {
        add(walk.to_string(), &[]);
        add(format!("{walk}123"), &[]);
        add(format!("{}{walk}", walk.to_uppercase()), &[]);
    }
    for seq in [
        "123456",
        "12345678",
        "abcdef",
        "abc123",
        "987654321",
        "aaaaaa",
        "abcabcabc",
        "1111111111",
        "zyxwvu",
    ] {
        add(seq.to_string(), &[]);
        add(format!("{seq}{seq}"), &[]);
    }
    // Pseudo-random strings (a fixed LCG, so the corpus is the same every run).
    let alphabet: Vec<char> = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789!#%&*+-=?"
        .chars()
        .collect();
    let mut state: u64 = 0x5eed;
    for len in [6usize, 7, 8, 9, 10, 12, 14, 16, 20, 24] {
        for _ in 0..6 {
            let s: String = (0..len)
                .map(|_| {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    alphabet[(state >> 33) as usize % alphabet.len()]
                })
                .collect();
            add(s, &[]);
        }
    }
    for phrase in [
        "correct horse battery staple",
        "Tr0ub4dor&3",
        "ilovepython",
        "iloveyou2",
        "pypi-recovery",
        "letmein123!",
        "P@ssw0rd2024",
        "Summer2026!",
        "Password1",
        "changeme",
        "my dog is called rex",
        "the quick brown fox jumps",
    ] {
        add(phrase.to_string(), &[]);
    }
    cases
}

/// PyPI's verdict (Python zxcvbn 4.5.0, score ≥ 2) and ours agree on at least 99% of the corpus.
#[test]
fn pypi_accepts_agrees_with_python_zxcvbn() {
    let cases = corpus();
    let request: Vec<_> = cases
        .iter()
        .map(|(p, inputs)| serde_json::json!({ "password": p, "user_inputs": inputs }))
        .collect();
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/support/zxcvbn_reference.py"
    );
    let mut child = Command::new("python3")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 with zxcvbn==4.5.0 (cargo xtask test installs it)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(serde_json::to_string(&request).unwrap().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "the reference helper failed: pip install zxcvbn==4.5.0"
    );
    let scores: Vec<Option<u8>> = serde_json::from_slice(&out.stdout).unwrap();
    let mut compared = 0;
    let mut disagreements = Vec::new();
    for ((password, inputs), reference) in cases.iter().zip(scores) {
        let Some(reference) = reference else { continue };
        compared += 1;
        let inputs: Vec<&str> = inputs.iter().map(String::as_str).collect();
        let ours = evaluate(&SecretString::from(password.as_str()), &inputs);
        if ours.pypi_accepts != (reference >= 2) {
            disagreements.push((password.clone(), ours.score, reference));
        }
    }
    let agreement = 100.0 * (compared - disagreements.len()) as f64 / compared as f64;
    eprintln!("pypi_accepts agreement with Python zxcvbn 4.5.0: {agreement:.2}% of {compared} cases; disagreements: {disagreements:?}");
    assert!(compared >= 300, "corpus too small: {compared}");
    assert!(agreement >= 99.0, "{agreement:.2}%: {disagreements:?}");
}

const HUNTER2_SHA1: &str = "F3BBBD66A63D4BF1747940578EC3D0103530E21D";

/// A local server answering HIBP's range path with `reply`, and a client for it.
fn hibp_answering(reply: Reply) -> (Server, Client) {
    let server = Server::start(vec![("/range/", reply)]);
    let client = hibp::client(&server.url).unwrap();
    (server, client)
}

#[test]
fn hibp_sends_only_the_prefix_with_padding_and_reads_the_count() {
    let suffix = &HUNTER2_SHA1[5..];
    let body = format!(
        "{}:0\r\n{}:17043\r\n0018A45C4D1DEF81644B54AB7F969B88D65:2\r\n",
        "A".repeat(35),
        suffix.to_lowercase()
    );
    let (server, client) = hibp_answering(Reply::text(body));
    let result = check_pwned(&client, &SecretString::from("hunter2")).unwrap();
    assert_eq!((result.pwned, result.count), (true, 17043));
    let requests = server.requests();
    let [request] = requests.as_slice() else {
        panic!("one request, not {requests:?}");
    };
    assert!(
        request.starts_with(&format!(
            "get /range/{} http/1.1",
            &HUNTER2_SHA1[..5].to_lowercase()
        )),
        "{request}"
    );
    assert!(request.contains("add-padding: true"));
    assert!(request.contains("user-agent: pypi-recovery-assistant/"));
    assert!(
        !request.contains(&suffix.to_lowercase()),
        "the suffix never leaves the machine"
    );
    assert!(!request.contains("hunter2"));
}

#[test]
fn hibp_padding_lines_do_not_count() {
    let (_server, client) = hibp_answering(Reply::text(format!("{}:0\r\n", &HUNTER2_SHA1[5..])));
    let result = check_pwned(&client, &SecretString::from("hunter2")).unwrap();
    assert_eq!((result.pwned, result.count), (false, 0));
}

#[test]
fn hibp_failures_are_the_online_errors() {
    const HIBP: &str = "Have I Been Pwned";
    let secret = SecretString::from("hunter2");
    let check = |reply: Reply| check_pwned(&hibp_answering(reply).1, &secret);
    let limited = check(Reply::status("429 Too Many Requests").header("Retry-After", "7"));
    assert_eq!(
        limited,
        Err(OnlineError::RateLimited {
            service: HIBP,
            retry: Some(Retry::InSeconds(7))
        })
    );
    assert!(
        limited
            .unwrap_err()
            .to_string()
            .contains("try again in 7 seconds"),
        "the message says when"
    );
    assert_eq!(
        check(Reply::status("503 Service Unavailable")),
        Err(OnlineError::Server(HIBP, 503))
    );
    assert_eq!(
        check(Reply::text("<html>not a range</html>")),
        Err(OnlineError::Malformed(HIBP))
    );
    let server = Server::start(vec![(
        "/range/",
        Reply::text("").delayed(Duration::from_secs(3)),
    )]);
    let impatient = Client::with_timeout(HIBP, &server.url, Duration::from_millis(500)).unwrap();
    assert_eq!(
        check_pwned(&impatient, &secret),
        Err(OnlineError::Timeout(HIBP))
    );
    assert_eq!(
        check_pwned(&hibp::client(&refused_url()).unwrap(), &secret),
        Err(OnlineError::Offline(HIBP))
    );
    assert!(matches!(
        hibp::client("ftp://example"),
        Err(OnlineError::BadInput(_))
    ));
}

#[test]
fn cli_strength_and_pwned_contracts() {
    let out = cli_with_input(
        &["strength", "--json", "--user-input", "mirafoss"],
        "mirafoss88\n",
    );
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in [
        "score",
        "guesses_log10",
        "pypi_accepts",
        "meets_recommendation",
        "warning",
        "suggestions",
        "crack_times",
    ] {
        assert!(json.get(key).is_some(), "lacks {key}");
    }
    assert_eq!(json["pypi_accepts"], false);
    assert!(!String::from_utf8_lossy(&out.stdout).contains("mirafoss88"));
    let human = cli_with_input(&["strength"], "correct horse battery staple\n");
    assert!(String::from_utf8_lossy(&human.stdout).contains("PyPI accepts it"));
    let empty = cli_with_input(&["strength", "--json"], "");
    assert!(empty.status.success(), "exit 0 whatever the score");

    let server = Server::start(vec![(
        "/range/",
        Reply::text(format!("{}:3\r\n", &HUNTER2_SHA1[5..])),
    )]);
    let out = cli_with_input(&["pwned", "--api-url", &server.url, "--json"], "hunter2\n");
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap(),
        serde_json::json!({"pwned": true, "count": 3})
    );
    let offline = cli_with_input(&["pwned", "--api-url", &refused_url()], "hunter2\n");
    assert_eq!(offline.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&offline.stderr).contains("internet connection"));
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Any input up to 64 KiB: a verdict, no panic, and the output never holds the password.
        #[test]
        fn any_input_gets_a_verdict_that_does_not_repeat_it(password in ".{8,200}", repeat in 1usize..300) {
            let long = password.repeat(repeat);
            let long: String = long.chars().take(64 * 1024).collect();
            let verdict = evaluate(&SecretString::from(long.as_str()), &["mirafoss"]);
            prop_assert!(verdict.score <= 4);
            let json = serde_json::to_string(&verdict).unwrap();
            prop_assert!(!json.contains(&password));
        }
    }
}
