//! The command list, kept in one place.

/// The one list of commands, expanded into the tauri-specta list (bindings and the real app),
/// or into Tauri's own handler (the mock runtime in tests). Commands generic over the runtime
/// need `::<tauri::Wry>` for specta, and no turbofish for `generate_handler!`.
macro_rules! app_commands {
    (collect_commands) => {
        app_commands!(@list collect_commands [::<tauri::Wry>])
    };
    (generate_handler) => {
        app_commands!(@list generate_handler [])
    };
    (@list $callback:ident [$($wry:tt)*]) => {
        $callback![
            crate::commands::keychain::keychain_status,
            crate::commands::codes::codes_list,
            crate::commands::codes::codes_import,
            crate::commands::codes::codes_reveal_next,
            crate::commands::codes::codes_copy_next $($wry)*,
            crate::commands::codes::codes_set_used,
            crate::commands::codes::codes_remove,
            crate::commands::codes::codes_find,
            crate::commands::codes::codes_import_found,
            crate::commands::codes::codes_show_found,
            crate::commands::totp::totp_list,
            crate::commands::totp::totp_import_link,
            crate::commands::totp::totp_import_image,
            crate::commands::totp::totp_import_manual,
            crate::commands::totp::totp_code,
            crate::commands::totp::totp_copy_code $($wry)*,
            crate::commands::totp::totp_verify,
            crate::commands::totp::totp_reveal,
            crate::commands::totp::totp_remove,
            crate::commands::backup::backup_export,
            crate::commands::backup::backup_verify,
            crate::commands::backup::backup_restore,
            crate::commands::backup::paper_kit,
            crate::commands::backup::backup_choose_file,
            crate::commands::backup::vault_status_get,
            crate::commands::backup::vault_open,
            crate::commands::backup::vault_lock,
            crate::commands::backup::vault_leave,
            crate::commands::online::request_status,
            crate::commands::online::request_tracked_issue,
            crate::commands::online::request_branch_commands,
            crate::commands::online::request_verify,
            crate::commands::online::request_evidence,
            crate::commands::online::request_whoami,
            crate::commands::request::request_path_step,
            crate::commands::request::request_check,
            crate::commands::request::request_preview,
            crate::commands::request::request_load_draft,
            crate::commands::request::request_save_draft,
            crate::commands::request::request_forget_draft,
            crate::commands::request::request_earlier,
            crate::commands::request::request_record_hand_off,
            crate::commands::request::request_export,
            crate::commands::request::request_import,
            crate::commands::request::copy_text $($wry)*,
            crate::commands::password::password_check,
            crate::commands::password::password_pwned,
            crate::commands::password::passphrase_generate,
            crate::commands::password::copy_secret $($wry)*,
        ]
    };
}
