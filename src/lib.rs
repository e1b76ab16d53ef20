//! The core of PyPI Recovery Assistant: domain logic shared by the CLI and the desktop shell.
//!
//! Nothing here depends on Tauri. Each domain has its own module with its own error type;
//! front-ends translate those errors, they never invent domain rules of their own.

#![deny(missing_docs)]
// Slicing a `str` by byte offset panics inside a multi-byte character; user text here is in
// every script. Use `get`, char boundaries or char iterators instead.
#![cfg_attr(not(test), deny(clippy::string_slice))]

pub mod backup;
pub mod codes;
pub mod files;
pub mod keychain;
#[cfg(feature = "online")]
pub mod online;
pub mod request;
pub mod sealed;
pub mod secret;
pub mod strength;
pub mod text;
pub mod totp;

/// The name this app uses for itself in keychain items, User-Agent headers and messages.
pub const APP_NAME: &str = "PyPI Recovery Assistant";

/// Replaces Rust's panic message with one that says only where the panic happened. The
/// default message quotes its payload, and a payload can quote user input (a string-slicing
/// panic prints the text around the cut), which may hold a code or a password.
pub fn quiet_panics() {
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("{APP_NAME}: internal error{at}. Please report it; no input is shown here.");
    }));
}

/// Keeps this process's memory, which holds revealed codes and keys, off the disk when it
/// crashes: no core dump, whatever the system's default (a panic aborts in release builds).
/// On Linux the process is also not dumpable, so another program of the same user cannot
/// attach a debugger to read it. Failures are ignored: the app works the same without it.
pub fn protect_memory() {
    #[cfg(unix)]
    {
        use rustix::process::{setrlimit, Resource, Rlimit};
        let none = Rlimit {
            current: Some(0),
            maximum: Some(0),
        };
        let _ = setrlimit(Resource::Core, none);
    }
    #[cfg(target_os = "linux")]
    let _ = rustix::process::set_dumpable_behavior(rustix::process::DumpableBehavior::NotDumpable);
}

/// `at` as the RFC 3339 text every stored record uses (`2026-12-04T14:30:00Z`). That fails
/// only for an offset with seconds in it (or a year past 9999); such a clock gets `time`'s own
/// text rather than an empty field.
pub fn timestamp(at: time::OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| at.to_string())
}

/// The app's own data directory (`$XDG_DATA_HOME/pypi-recovery-assistant` on Linux): the
/// update lock, the request draft and the submission log. Never secrets. Never the shared
/// temporary directory either, where another user could plant the lock or read the draft:
/// without a data directory it is a hidden folder in the home folder, or in the current one.
pub fn data_dir() -> std::path::PathBuf {
    match dirs::data_local_dir() {
        Some(dir) => dir.join(keychain::SERVICE_PREFIX),
        None => dirs::home_dir()
            .unwrap_or_else(|| std::path::PathBuf::from("."))
            .join(format!(".{}", keychain::SERVICE_PREFIX)),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_timestamp_is_rfc_3339_and_never_empty() {
        use time::macros::datetime;
        assert_eq!(
            super::timestamp(datetime!(2026-12-04 14:30 UTC)),
            "2026-12-04T14:30:00Z"
        );
        // RFC 3339 has no seconds in an offset.
        let odd = super::timestamp(datetime!(2026-12-04 14:30 +01:00:30));
        assert!(odd.starts_with("2026-12-04 14:30:00"), "{odd}");
    }

    #[cfg(unix)]
    #[test]
    fn a_protected_process_writes_no_core_dump() {
        use rustix::process::{getrlimit, Resource};
        super::protect_memory();
        let limit = getrlimit(Resource::Core);
        assert_eq!((limit.current, limit.maximum), (Some(0), Some(0)));
        #[cfg(target_os = "linux")]
        assert_eq!(
            rustix::process::dumpable_behavior().unwrap(),
            rustix::process::DumpableBehavior::NotDumpable
        );
    }
}
