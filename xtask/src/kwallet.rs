//! The keychain round trip against KWallet's Secret Service (kwalletd5, KDE Frameworks 5.97
//! and later), in a virtual display and a private D-Bus session with no other provider.
//!
//! KWallet has no command that makes a wallet: the first program to open one gets its
//! "new wallet" dialog, which xtask answers as a user would (the classic Blowfish file, then a
//! password typed twice). Then the round trip, and a closed wallet whose unlock dialog is
//! declined, said in words.

use super::round_trip::{self, expect, Native, Runner};
use super::{build_cli, Result};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const WALLET: &str = "kdewallet";
const WALLET_PASSWORD: &str = "provider test wallet";
/// The new-wallet dialog, and where its controls sit in it (KWallet 5.103's layout).
const NEW_WALLET_TITLE: &str = "KDE Wallet Service";
const CLASSIC_RADIO: (i32, i32) = (109, 167);
const FINISH_BUTTON: (i32, i32) = (362, 336);

pub fn gate() -> Result {
    round_trip::in_display("kwallet", &build_cli(false)?, |_| Ok(()))
}

pub fn inside(work: &Path, bin: &Path) -> Result {
    let cli = Native {
        name: "kwallet",
        bin: bin.to_owned(),
        work: work.to_owned(),
    };
    let kwalletd = KWalletD::start()?;
    let result = (|| {
        kwalletd.create_wallet()?;
        round_trip::run(&cli, "Secret Service", &mut |_| {
            round_trip::no_secret_in_any_file(&cli)
        })?;
        cli.ok(&["codes", "import", "--account", "mira", "codes.txt"])?;
        every_session_reads(&cli)?;
        closed_wallet_declined(&cli, &kwalletd)
    })();
    kwalletd.stop();
    result
}

/// How many sessions [`every_session_reads`] opens: KWallet gets 2 in 256 of a client's
/// sessions wrong (a public key one byte short, a session key that differs), so without a
/// retry on a fresh session at least one of 300 fails in 9 runs of 10.
const SESSIONS: usize = 300;

/// Every CLI run opens its own session with its own keys; each one reads the codes.
fn every_session_reads(cli: &Native) -> Result {
    let started = Instant::now();
    for run in 1..=SESSIONS {
        let out = cli.cli(&["codes", "list", "--json"], None)?;
        expect(
            out.status.success() && String::from_utf8_lossy(&out.stdout).contains("mira"),
            &format!(
                "kwallet: session {run} of {SESSIONS} did not read the codes: {}",
                String::from_utf8_lossy(&out.stderr)
            ),
        )?;
    }
    eprintln!(
        "  kwallet: {SESSIONS} sessions each read the codes ({:.1} s)",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// A closed wallet asks for its password when the CLI reads; declining is said in words.
fn closed_wallet_declined(cli: &Native, kwalletd: &KWalletD) -> Result {
    kwalletd.call("close", &[&format!("string:{WALLET}"), "boolean:true"])?;
    let list = Command::new(&cli.bin)
        .args(["codes", "list"])
        .current_dir(&cli.work)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    // Any visible window now is the unlock dialog; Escape is its Cancel.
    let asked = wait_for_window(None);
    if let Ok(window) = &asked {
        let _ = Command::new("xdotool")
            .args(["windowfocus", "--sync", window, "key", "Escape"])
            .status();
    }
    let out = list.wait_with_output().map_err(|e| e.to_string())?;
    asked?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    expect(
        !out.status.success() && stderr.contains("it was declined"),
        &format!(
            "kwallet: unlock declined, yet: exit {}, {stderr}",
            out.status
        ),
    )?;
    eprintln!("  kwallet: unlock dialog declined: said so");
    Ok(())
}

/// The first visible window titled `title` (any title when `None`), within 20 s. Listed
/// and compared here: xdotool's `--name` misses KWallet's titles.
fn wait_for_window(title: Option<&str>) -> Result<String> {
    let started = Instant::now();
    let mut seen = Vec::new();
    while started.elapsed() < Duration::from_secs(20) {
        let ids = Command::new("xdotool")
            .args(["search", "--onlyvisible", "--name", ""])
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default();
        seen.clear();
        for id in ids.split_whitespace() {
            let name = Command::new("xdotool")
                .args(["getwindowname", id])
                .output()
                .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
                .unwrap_or_default();
            if !name.is_empty() && title.is_none_or(|t| t == name) {
                return Ok(id.to_owned());
            }
            seen.push(name);
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    Err(format!(
        "kwallet: no window titled {} appeared (visible: {seen:?})",
        title.unwrap_or("anything")
    ))
}

struct KWalletD(Child);

impl KWalletD {
    /// Starts kwalletd5 with its Secret Service on, and waits until it holds the bus name.
    fn start() -> Result<Self> {
        let config = PathBuf::from(std::env::var_os("XDG_CONFIG_HOME").unwrap_or_default());
        std::fs::create_dir_all(&config).map_err(|e| e.to_string())?;
        std::fs::write(
            config.join("kwalletrc"),
            format!(
                "[Wallet]\nEnabled=true\nFirst Use=false\nUse One Wallet=true\n\
                 Default Wallet={WALLET}\n\n[org.freedesktop.secrets]\napiEnabled=true\n"
            ),
        )
        .map_err(|e| e.to_string())?;
        let child = Command::new("kwalletd5")
            .env("QT_QPA_PLATFORM", "xcb")
            .env("QT_QPA_PLATFORMTHEME", "generic")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("could not start kwalletd5: {e}"))?;
        let kwalletd = Self(child);
        let started = Instant::now();
        while !secret_service_owned() {
            if started.elapsed() > Duration::from_secs(20) {
                kwalletd.stop();
                return Err("kwallet: kwalletd5 did not offer the Secret Service in 20 s".into());
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        Ok(kwalletd)
    }

    /// Opens the wallet for the first time and answers the dialogs that make it.
    fn create_wallet(&self) -> Result {
        let mut open = Command::new("dbus-send")
            .args(["--session", "--print-reply", "--reply-timeout=60000"])
            .args([
                "--dest=org.kde.kwalletd5",
                "/modules/kwalletd5",
                "org.kde.KWallet.open",
            ])
            .args([
                &format!("string:{WALLET}"),
                "int64:0",
                "string:pypi-recovery xtask",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| e.to_string())?;
        let dialog = wait_for_window(Some(NEW_WALLET_TITLE))?;
        let geometry = Command::new("xdotool")
            .args(["getwindowgeometry", "--shell", &dialog])
            .output()
            .map_err(|e| e.to_string())?;
        let geometry = String::from_utf8_lossy(&geometry.stdout);
        let field = |name: &str| -> i32 {
            geometry
                .lines()
                .find_map(|l| l.strip_prefix(&format!("{name}=")))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0)
        };
        let (x, y) = (field("X"), field("Y"));
        for (dx, dy) in [CLASSIC_RADIO, FINISH_BUTTON] {
            run_quiet(&[
                "mousemove",
                &(x + dx).to_string(),
                &(y + dy).to_string(),
                "click",
                "1",
            ])?;
            std::thread::sleep(Duration::from_millis(500));
        }
        // The password dialog opens with the first field focused.
        std::thread::sleep(Duration::from_millis(1000));
        run_quiet(&["type", "--delay", "10", WALLET_PASSWORD])?;
        run_quiet(&["key", "Tab"])?;
        run_quiet(&["type", "--delay", "10", WALLET_PASSWORD])?;
        run_quiet(&["key", "Return"])?;
        let opened = open.wait().is_ok_and(|s| s.success());
        expect(opened, "kwallet: the new wallet did not open")?;
        eprintln!("  kwallet: wallet made in its dialog and opened");
        Ok(())
    }

    /// Calls `org.kde.KWallet.method` with dbus-send's typed arguments.
    fn call(&self, method: &str, args: &[&str]) -> Result {
        let status = Command::new("dbus-send")
            .args(["--session", "--print-reply", "--dest=org.kde.kwalletd5"])
            .args(["/modules/kwalletd5", &format!("org.kde.KWallet.{method}")])
            .args(args)
            .stdout(Stdio::null())
            .status()
            .map_err(|e| e.to_string())?;
        expect(status.success(), &format!("kwallet: {method} failed"))
    }

    fn stop(mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn secret_service_owned() -> bool {
    Command::new("dbus-send")
        .args([
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.DBus",
            "/",
        ])
        .args([
            "org.freedesktop.DBus.NameHasOwner",
            "string:org.freedesktop.secrets",
        ])
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("boolean true"))
}

fn run_quiet(xdotool_args: &[&str]) -> Result {
    let status = Command::new("xdotool")
        .args(xdotool_args)
        .status()
        .map_err(|e| e.to_string())?;
    expect(
        status.success(),
        &format!("xdotool {} failed", xdotool_args.join(" ")),
    )
}
