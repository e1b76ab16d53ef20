//! The CLI's keychain round trip, run against each keychain this machine can reach besides
//! gnome-keyring: Windows' Credential Manager under Wine (`windows.rs`) and KeePassXC's
//! Secret Service (`keepassxc.rs`). `doctor`; `codes import`, `list`, `next`, `use`;
//! `totp import`, `code`; a backup export, removal and restore; and the cleanup.

use super::Result;
use std::path::Path;
use std::process::Output;

pub const PASSPHRASE: &str = "round trip backup passphrase";
pub const CODES: [&str; 3] = ["00aa11bb22cc33dd", "44ee55ff66aa77bb", "8899aabbccddeeff"];
pub const TOTP_SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

/// One way to run the CLI against one keychain.
pub trait Runner {
    /// Who runs it, for messages: "wine", "keepassxc".
    fn name(&self) -> &str;
    /// The folder it runs in, which holds `codes.txt`, `uri.txt` and `backup.age`.
    fn work(&self) -> &Path;
    /// Runs `pypi-recovery args…` with `PYPI_RECOVERY_PASSPHRASE` set to [`PASSPHRASE`].
    fn cli(&self, args: &[&str], stdin: Option<&Path>) -> Result<Output>;

    /// Runs the CLI and returns its stdout, failing with its stderr when it fails.
    fn ok(&self, args: &[&str]) -> Result<String> {
        self.ok_with_stdin(args, None)
    }

    fn ok_with_stdin(&self, args: &[&str], stdin: Option<&Path>) -> Result<String> {
        let out = self.cli(args, stdin)?;
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        if out.status.success() {
            eprintln!("  {} pypi-recovery {}: ok", self.name(), args.join(" "));
            Ok(stdout)
        } else {
            Err(format!(
                "{}: `pypi-recovery {}` failed ({}): {}{stdout}",
                self.name(),
                args.join(" "),
                out.status,
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    }
}

pub fn expect(condition: bool, what: &str) -> Result {
    if condition {
        Ok(())
    } else {
        Err(what.to_owned())
    }
}

/// The round trip. `doctor` must name `backend`; `stored` runs once every secret is stored
/// and restored, before the cleanup, and is given the time the first secret was written.
pub fn run(
    runner: &dyn Runner,
    backend: &str,
    stored: &mut dyn FnMut(std::time::SystemTime) -> Result,
) -> Result {
    let work = runner.work();
    let write =
        |name: &str, text: String| std::fs::write(work.join(name), text).map_err(|e| e.to_string());
    write(
        "codes.txt",
        format!("PyPI recovery codes\r\n{}\r\n", CODES.join("\r\n")),
    )?;
    write(
        "uri.txt",
        format!("otpauth://totp/PyPI:mira?secret={TOTP_SECRET}&issuer=PyPI&digits=8"),
    )?;
    let name = runner.name();

    let doctor = runner.ok(&["doctor"])?;
    let secrets_from = std::time::SystemTime::now();
    expect(
        doctor.contains(&format!("{backend} — available")),
        &format!("{name}: doctor said {doctor:?}"),
    )?;
    runner.ok(&["codes", "import", "--account", "mira", "codes.txt"])?;
    let listed = runner.ok(&["codes", "list", "--json"])?;
    expect(
        listed.contains(r#""remaining":3"#),
        &format!("{name}: list said {listed}"),
    )?;
    expect(
        !CODES.iter().any(|c| listed.contains(c)),
        &format!("{name}: list printed a code"),
    )?;
    let next = runner.ok(&["codes", "next", "--account", "mira"])?;
    expect(
        next.trim() == CODES[0],
        &format!("{name}: next said {next}"),
    )?;
    runner.ok(&["codes", "use", "--account", "mira", CODES[0]])?;
    let next = runner.ok(&["codes", "next", "--account", "mira"])?;
    expect(
        next.trim() == CODES[1],
        &format!("{name}: next after use said {next}"),
    )?;
    runner.ok_with_stdin(
        &["totp", "import", "--account", "mira"],
        Some(&work.join("uri.txt")),
    )?;
    // RFC 6238's SHA1 vector at T=59, 8 digits.
    let code = runner.ok(&["totp", "code", "--account", "mira", "--at", "59"])?;
    expect(
        code.trim() == "94287082",
        &format!("{name}: totp code {code}"),
    )?;
    runner.ok(&["backup", "export", "--out", "backup.age"])?;
    runner.ok(&["codes", "remove", "--account", "mira", "--yes"])?;
    expect(
        !runner.ok(&["codes", "list", "--json"])?.contains("mira"),
        &format!("{name}: remove left the codes"),
    )?;
    runner.ok(&["backup", "restore", "backup.age"])?;
    let restored = runner.ok(&["codes", "list", "--json"])?;
    expect(
        restored.contains(r#""remaining":2"#),
        &format!("{name}: restore gave {restored}"),
    )?;
    stored(secrets_from)?;
    runner.ok(&["codes", "remove", "--account", "mira", "--yes"])?;
    runner.ok(&["totp", "remove", "--account", "mira", "--yes"])?;
    Ok(())
}
