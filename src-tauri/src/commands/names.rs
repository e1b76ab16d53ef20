/// Every command the UI may call. `build.rs` turns each into an `allow-<name>` permission;
/// a test checks this list against the handler list in `commands/mod.rs`.
#[allow(dead_code)] // read by build.rs and the tests
pub const COMMAND_NAMES: &[&str] = &[
    "keychain_status",
    "codes_list",
    "codes_import",
    "codes_reveal_next",
    "codes_copy_next",
    "codes_set_used",
    "codes_remove",
    "request_find_path",
    "request_check",
    "request_preview",
    "request_load_draft",
    "request_save_draft",
    "request_forget_draft",
    "request_earlier",
    "request_record_hand_off",
    "request_export",
    "request_import",
    "copy_text",
    "password_check",
    "password_pwned",
    "passphrase_generate",
    "copy_secret",
];
