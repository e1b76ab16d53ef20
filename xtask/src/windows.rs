//! The Windows gate: clippy for the core, the CLI, the desktop shell and xtask on `x86_64-pc-windows-gnu` (Debian's
//! mingw-w64), then the CLI's keychain round trip against the Credential Manager that Wine 8.0
//! implements (`CredWriteW`, `CredReadW`, `CredDeleteW`), in a throwaway Wine prefix.
//!
//! Wine 8.0 lacks `ProcessPrng`, which Rust's std imports from bcryptprimitives.dll, so the
//! harness builds `tests/windows/process_prng_shim.c`: the test double for that one API, put
//! beside the test's copy of the exe and never shipped.

use super::round_trip::{self, expect, Runner, CODES, PASSPHRASE, TOTP_SECRET};
use super::{cargo, cross_clippy, root, run, Result};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const TARGET: &str = "x86_64-pc-windows-gnu";
const WINE: &str = "/usr/lib/wine/wine64";

pub fn gate() -> Result {
    // The core, the CLI, the desktop shell (WebView2, the Credential Manager store) and xtask.
    cross_clippy(TARGET, &["--workspace"])?;
    run(cargo().args([
        "build",
        "--locked",
        "--target",
        TARGET,
        "--package",
        "pypi-recovery",
        "--bin",
        "pypi-recovery",
    ]))?;
    let work = root().join("target/wine-round-trip");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
    std::fs::copy(
        root().join(format!("target/{TARGET}/debug/pypi-recovery.exe")),
        work.join("pypi-recovery.exe"),
    )
    .map_err(|e| e.to_string())?;
    let shim = root().join("tests/windows");
    run(Command::new("x86_64-w64-mingw32-gcc")
        .args(["-shared", "-O2", "-o"])
        .arg(work.join("bcryptprimitives.dll"))
        .arg(shim.join("process_prng_shim.c"))
        .arg(shim.join("process_prng_shim.def"))
        .arg("-ladvapi32"))?;
    let result = round_trip(&work);
    let _ = Command::new("/usr/lib/wine/wineserver")
        .arg("-k")
        .env("WINEPREFIX", work.join("prefix"))
        .status();
    result?;
    let _ = std::fs::remove_dir_all(&work);
    Ok(())
}

struct Wine<'a> {
    work: &'a Path,
}

impl Runner for Wine<'_> {
    fn name(&self) -> &str {
        "wine"
    }

    fn work(&self) -> &Path {
        self.work
    }

    fn cli(&self, args: &[&str], stdin: Option<&Path>) -> Result<Output> {
        let mut command = Command::new("timeout");
        if let Some(file) = stdin {
            command.stdin(std::fs::File::open(file).map_err(|e| e.to_string())?);
        }
        command
            .arg("120")
            .arg(WINE)
            .arg(self.work.join("pypi-recovery.exe"))
            .args(args)
            .current_dir(self.work)
            .env("WINEPREFIX", self.work.join("prefix"))
            .env("WINEDEBUG", "-all")
            .env("WINEDLLOVERRIDES", "bcryptprimitives=n,b;mscoree,mshtml=")
            .env("PYPI_RECOVERY_PASSPHRASE", PASSPHRASE)
            .env_remove("DISPLAY");
        command
            .output()
            .map_err(|e| format!("could not start Wine: {e}"))
    }
}

fn round_trip(work: &Path) -> Result {
    let wine = Wine { work };
    round_trip::run(&wine, "Windows Credential Manager", &mut |secrets_from| {
        network_shares_refused(&wine)?;
        leak_check(&work.join("prefix"), secrets_from)
    })
}

/// Secrets never go to, or come from, a network share (Windows parses the UNC prefix).
fn network_shares_refused(wine: &Wine) -> Result {
    for args in [
        &[
            "backup",
            "export",
            "--out",
            r"\\fileserver\share\backup.age",
        ][..],
        &[
            "codes",
            "import",
            "--account",
            "share",
            r"\\fileserver\share\codes.txt",
        ][..],
    ] {
        let refused = wine.cli(args, None)?;
        let said = String::from_utf8_lossy(&refused.stderr);
        expect(
            !refused.status.success() && said.contains("network share"),
            &format!(
                "`{}` was not refused as a network share: {said}",
                args.join(" ")
            ),
        )?;
    }
    Ok(())
}

/// The ways a secret could sit in a file: as ASCII, as UTF-16LE (Windows' own strings), and
/// as the `hex:30,00,…` text in which Wine's registry files hold binary values (both widths).
fn spellings(secret: &str) -> Vec<Vec<u8>> {
    let utf16: Vec<u8> = secret.bytes().flat_map(|b| [b, 0]).collect();
    let hex = |bytes: &[u8]| {
        bytes
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<Vec<_>>()
            .join(",")
            .into_bytes()
    };
    vec![
        secret.as_bytes().to_vec(),
        hex(&utf16),
        hex(secret.as_bytes()),
        utf16,
    ]
}

/// No code and no TOTP secret in plain text in any file under the Wine prefix that changed
/// since the secrets were first stored (the other ~800 are Wine's own DLLs, copied when the
/// prefix was made): the Credential Manager's registry values are encrypted by Wine.
fn leak_check(prefix: &Path, since: std::time::SystemTime) -> Result {
    let _ = Command::new("/usr/lib/wine/wineserver")
        .arg("-w")
        .env("WINEPREFIX", prefix)
        .status();
    let mut pending: Vec<PathBuf> = vec![prefix.to_owned()];
    let mut files = 0;
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir)
            .map_err(|e| e.to_string())?
            .flatten()
        {
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                pending.push(entry.path());
            } else if kind.is_file() {
                let changed = entry
                    .metadata()
                    .and_then(|m| m.modified())
                    .is_ok_and(|modified| modified >= since);
                if !changed {
                    continue;
                }
                files += 1;
                let mut bytes = std::fs::read(entry.path()).unwrap_or_default();
                // Registry files wrap long hex values with "\\" and a newline: unwrap them.
                bytes.extend(
                    bytes
                        .clone()
                        .into_iter()
                        .filter(|b| !matches!(b, b'\\' | b'\n' | b'\r' | b' ')),
                );
                for secret in CODES.iter().chain([&TOTP_SECRET]) {
                    if spellings(secret)
                        .iter()
                        .any(|form| bytes.windows(form.len()).any(|w| w == form.as_slice()))
                    {
                        return Err(format!(
                            "a secret is in plain text in {}",
                            entry.path().display()
                        ));
                    }
                }
            }
        }
    }
    expect(
        files > 0,
        "wine: the leak check found no file the app changed",
    )?;
    eprintln!("  leak check: no secret in the {files} files of the Wine prefix written since");
    Ok(())
}
