//! Recovery codes: parsing what PyPI hands out, and the vault that remembers which are used.

pub mod find;
mod parse;
mod vault;

pub use parse::{parse_codes, ImportError, CODE_LEN, MAX_CODES, MAX_INPUT_BYTES};
pub use vault::{CodeSet, CodeVault, CodesError, CodesSummary, NextCode, LOW_CODES_THRESHOLD};

/// PyPI's page where a signed-in user generates a new set of recovery codes.
pub const REGENERATE_URL: &str = "https://pypi.org/manage/account/two-factor/";
