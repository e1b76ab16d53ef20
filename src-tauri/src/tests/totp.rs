//! Authenticator backups through IPC: the secret only through the explicit reveal.

use super::*;

/// The authenticator through IPC: the list never carries the secret; the secret reaches the
/// UI only through the explicit reveal; refusals are typed and never echo it.
#[test]
fn totp_commands_keep_the_secret_out_of_everything_but_reveal() {
    let (state, script) = scripted_state();
    let app = mock_app(state);
    let account = format!("totp-ipc-{}", std::process::id());
    let secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    let link = format!("otpauth://totp/PyPI:{account}?secret={secret}&issuer=PyPI");

    let imported = invoke(
        &app,
        "totp_import_link",
        serde_json::json!({ "account": null, "link": link }),
    )
    .unwrap();
    assert_eq!(
        imported["account"],
        account.as_str(),
        "named after the link"
    );
    assert_eq!(imported["weak"], false);

    let listed = invoke(&app, "totp_list", serde_json::json!({})).unwrap();
    assert!(listed
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["account"] == account.as_str()));
    let code = invoke(&app, "totp_code", serde_json::json!({ "account": account })).unwrap();
    let current = code["code"].as_str().unwrap().to_owned();
    assert_eq!(current.len(), 6);
    assert!(code["seconds_left"].as_u64().unwrap() <= 30);
    for reply in [&imported, &listed, &code] {
        assert!(!reply.to_string().contains(secret), "{reply}");
    }

    let checked = invoke(
        &app,
        "totp_verify",
        serde_json::json!({ "account": account, "code": current }),
    )
    .unwrap();
    assert_eq!(checked["matched"], true, "{checked}");

    // The secret is revealed only once the user says yes natively.
    let cancelled = invoke(
        &app,
        "totp_reveal",
        serde_json::json!({ "account": account }),
    );
    let cancelled = cancelled.unwrap_err();
    assert_eq!(cancelled["code"], "cancelled");
    assert!(!cancelled.to_string().contains(secret));
    assert_eq!(
        script.last_title(),
        format!("Show the setup key for {account}?")
    );
    script.answer(&[true.into()]);
    let revealed = invoke(
        &app,
        "totp_reveal",
        serde_json::json!({ "account": account }),
    )
    .unwrap();
    assert_eq!(
        revealed["secret"],
        "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ"
    );
    assert!(revealed["uri"].as_str().unwrap().contains(secret));
    let width = revealed["qr"]["width"].as_u64().unwrap();
    assert_eq!(
        revealed["qr"]["dark"].as_array().unwrap().len() as u64,
        width * width
    );

    let refused = invoke(
        &app,
        "totp_import_link",
        serde_json::json!({ "account": account, "link": format!("otpauth://hotp/x?secret={secret}") }),
    )
    .unwrap_err();
    assert_eq!(refused["code"], "totp_import_refused");
    assert!(!refused.to_string().contains(secret));

    // Images come as the raw body, the account in a percent-encoded header.
    let raw = |file: &str, account: &str| {
        let mut headers = tauri::http::HeaderMap::new();
        let encoded =
            percent_encoding::utf8_percent_encode(account, percent_encoding::NON_ALPHANUMERIC);
        headers.insert("x-account", encoded.to_string().parse().unwrap());
        let image = std::fs::read(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(file)).unwrap();
        invoke_with(&app, "totp_import_image", InvokeBody::Raw(image), headers)
    };
    let no_qr = raw("../icons/32x32.png", &account).unwrap_err();
    assert_eq!(no_qr["code"], "totp_image_refused");
    let named = format!("Мира {account}");
    let imported = raw("../tests/e2e/pypi-setup-qr.png", &named).unwrap();
    assert_eq!(imported["account"], named.as_str());
    let as_json = serde_json::json!({ "account": null, "image": [137, 80, 78, 71] });
    assert_eq!(
        invoke(&app, "totp_import_image", as_json).unwrap_err()["code"],
        "internal"
    );
    script.answer(&[true.into()]);
    invoke(&app, "totp_remove", serde_json::json!({ "account": named })).unwrap();

    let kept = invoke(
        &app,
        "totp_import_link",
        serde_json::json!({ "account": null, "link": link }),
    );
    assert_eq!(kept.unwrap_err()["code"], "cancelled");
    assert_eq!(
        script.last_title(),
        format!("Replace the authenticator backup for {account}?")
    );
    script.answer(&[true.into()]);
    assert_eq!(
        invoke(
            &app,
            "totp_remove",
            serde_json::json!({ "account": account })
        )
        .unwrap(),
        true
    );
    let gone = invoke(&app, "totp_code", serde_json::json!({ "account": account })).unwrap_err();
    assert_eq!(gone["code"], "totp_unknown_account");
}
