//! Commands the UI can call, grouped by domain. Each one translates: it calls one core
//! function and maps the result, nothing more.

pub mod backup;
pub mod codes;
pub mod keychain;
pub mod online;
pub mod password;
pub mod request;
pub mod totp;

include!("names.rs");
