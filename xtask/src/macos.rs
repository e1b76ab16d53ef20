//! The macOS gate: clippy for the core and the CLI on `aarch64-apple-darwin`, which compiles
//! our Keychain code (apple-native-keyring-store). It is the offline build: the online stack
//! (reqwest with rustls on aws-lc-sys) needs a C cross toolchain and Apple's SDK, and this
//! machine has neither. Nothing is linked or run.

use super::{cross_clippy, Result};

pub const TARGET: &str = "aarch64-apple-darwin";

pub fn gate() -> Result {
    cross_clippy(
        TARGET,
        &["--package", "pypi-recovery", "--no-default-features"],
    )
}
