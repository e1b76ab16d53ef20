//! Recovery codes: parsing what PyPI hands out, and the stored sets that remember which are used.

pub mod find;
mod parse;
mod sets;

pub use parse::{parse_codes, ImportError, CODE_LEN, MAX_CODES, MAX_INPUT_BYTES};
pub use sets::{CodeSet, CodeSets, CodesError, CodesSummary, NextCode, LOW_CODES_THRESHOLD};

/// PyPI's page where a signed-in user generates a new set of recovery codes.
pub const REGENERATE_URL: &str = "https://pypi.org/manage/account/two-factor/";
