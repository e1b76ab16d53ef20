//! Password check and passphrases through IPC.

use super::*;

/// The verdict crosses IPC without the password; a costly input still answers.
#[test]
fn password_check_through_ipc_never_returns_the_password() {
    let (app, _dir) = app_with_own_data_dir();
    let verdict = invoke(
        &app,
        "password_check",
        serde_json::json!({ "password": "mirafoss88", "userInputs": ["mirafoss", "", "Mira Foss"] }),
    )
    .unwrap();
    assert_eq!(verdict["pypi_accepts"], false);
    assert!(!verdict.to_string().contains("mirafoss88"));
    let long = "@4!1|3$5$7+".repeat(400);
    let verdict = invoke(
        &app,
        "password_check",
        serde_json::json!({ "password": long, "userInputs": [] }),
    )
    .unwrap();
    assert_eq!(verdict["length"], 4400);
    assert_eq!(verdict["pypi_accepts"], false, "over 4096 characters");
}

#[test]
fn passphrases_have_the_asked_shape() {
    let (app, _dir) = app_with_own_data_dir();
    let generated = invoke(
        &app,
        "passphrase_generate",
        serde_json::json!({ "words": 6, "separator": " " }),
    )
    .unwrap();
    assert_eq!(generated["phrase"].as_str().unwrap().split(' ').count(), 6);
    assert!((generated["entropy_bits"].as_f64().unwrap() - 77.55).abs() < 0.01);
}
