//! The CLI's keychain round trip, run against each keychain this machine can reach besides
//! gnome-keyring: Windows' Credential Manager under Wine (`windows.rs`), and the Secret
//! Services of KeePassXC (`keepassxc.rs`) and KWallet (`kwallet.rs`). `doctor`;
//! `codes import`, `list`, `next`, `use`; `totp import`, `code`; a backup export, removal and
//! restore; and the cleanup.

use super::{root, Result, Sandbox, XVFB_SERVER_ARGS};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// `cargo xtask PROVIDER --inside WORK CLI`: the part that runs in the virtual display.
pub const INSIDE: &str = "--inside";

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

/// Runs `cargo xtask provider --inside WORK CLI` in a virtual display and a private D-Bus
/// session with no Secret Service, for a provider that brings its own. `work` is made empty
/// first and removed after a success.
pub fn in_display(provider: &str, cli: &Path, prepare: impl FnOnce(&Path) -> Result) -> Result {
    let work = root().join(format!("target/{provider}-round-trip"));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
    prepare(&work)?;
    let sandbox = Sandbox::new(provider)?;
    let xtask = std::env::current_exe().map_err(|e| e.to_string())?;
    let args: Vec<&OsStr> = vec![
        OsStr::new("-a"),
        OsStr::new("-s"),
        OsStr::new(XVFB_SERVER_ARGS),
        xtask.as_os_str(),
        OsStr::new(provider),
        OsStr::new(INSIDE),
        work.as_os_str(),
        cli.as_os_str(),
    ];
    super::run(&mut sandbox.command_without_keyring(OsStr::new("xvfb-run"), &args))?;
    let _ = std::fs::remove_dir_all(&work);
    Ok(())
}

/// The work folder and the CLI that [`in_display`] passes after `--inside`.
pub fn inside_paths(args: &[String]) -> Result<(PathBuf, PathBuf)> {
    match args {
        [_, _, work, cli] => Ok((work.into(), cli.into())),
        _ => Err(format!("usage: cargo xtask {} --inside WORK CLI", args[0])),
    }
}

/// The CLI run directly, inside the session of the provider under test.
pub struct Native {
    pub name: &'static str,
    pub bin: PathBuf,
    pub work: PathBuf,
}

impl Runner for Native {
    fn name(&self) -> &str {
        self.name
    }

    fn work(&self) -> &Path {
        &self.work
    }

    fn cli(&self, args: &[&str], stdin: Option<&Path>) -> Result<Output> {
        let mut command = Command::new(&self.bin);
        if let Some(file) = stdin {
            command.stdin(std::fs::File::open(file).map_err(|e| e.to_string())?);
        }
        command
            .args(args)
            .current_dir(&self.work)
            .env("PYPI_RECOVERY_PASSPHRASE", PASSPHRASE)
            .output()
            .map_err(|e| format!("could not start the CLI: {e}"))
    }
}

/// No code and no TOTP secret in plain text in any file of the session's home or the work
/// folder but the two the round trip reads them from. A provider's own store is searched
/// too: it is encrypted.
pub fn no_secret_in_any_file(runner: &dyn Runner) -> Result {
    let home = PathBuf::from(std::env::var_os("HOME").unwrap_or_default());
    let inputs = ["codes.txt", "uri.txt"].map(OsStr::new);
    let mut pending = vec![home, runner.work().to_owned()];
    let mut files = 0;
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir)
            .map_err(|e| e.to_string())?
            .flatten()
        {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.is_file() && !inputs.contains(&path.file_name().unwrap_or_default()) {
                files += 1;
                let bytes = std::fs::read(&path).unwrap_or_default();
                for secret in CODES.iter().chain([&TOTP_SECRET]) {
                    expect(
                        !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                        &format!(
                            "{}: a secret is in plain text in {}",
                            runner.name(),
                            path.display()
                        ),
                    )?;
                }
            }
        }
    }
    eprintln!(
        "  {}: no secret in the {files} files of the session",
        runner.name()
    );
    Ok(())
}

/// `cargo xtask round-trip`: the round trip against this computer's own keychain, as CI runs
/// it on Windows and macOS (the Credential Manager, the login Keychain). It stores and then
/// removes the account `mira`.
pub fn here() -> Result {
    let backend = if cfg!(windows) {
        "Windows Credential Manager"
    } else if cfg!(target_os = "macos") {
        "macOS Keychain"
    } else {
        "Secret Service"
    };
    let work = root().join("target/native-round-trip");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
    let native = Native {
        name: "native",
        bin: super::build_cli(false)?,
        work: work.clone(),
    };
    run(&native, backend, &mut |_| Ok(()))?;
    let _ = std::fs::remove_dir_all(&work);
    Ok(())
}
