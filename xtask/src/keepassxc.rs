//! The keychain round trip against KeePassXC's Secret Service (FdoSecrets), which many Linux
//! users run instead of gnome-keyring: a database made with `keepassxc-cli`, unlocked in a
//! real KeePassXC under Xvfb, in a private D-Bus session with no other provider.
//!
//! Then KeePassXC's default, which asks the user before another program reads an entry: an
//! access request nobody answers, one declined and one allowed, each said in words.

use super::round_trip::{self, expect, Native, Runner};
use super::{build_cli, Result};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const DB_PASSWORD: &str = "provider test database";
/// KeePassXC titles its window after the database's name once it is unlocked.
const UNLOCKED_TITLE: &str = "^Provider test - KeePassXC$";
const ACCESS_REQUEST_TITLE: &str = "Access Request";

/// The database: its root group is the one exposed over D-Bus (a database exposes nothing
/// until its settings name a group, and keepassxc-cli has no command for that).
const DATABASE_XML: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<KeePassFile>
  <Meta>
    <Generator>pypi-recovery xtask</Generator>
    <DatabaseName>Provider test</DatabaseName>
    <CustomData>
      <Item>
        <Key>FDO_SECRETS_EXPOSED_GROUP</Key>
        <Value>{6f1a2b3c-4d5e-4f60-8a9b-0c1d2e3f4a5b}</Value>
      </Item>
    </CustomData>
  </Meta>
  <Root>
    <Group>
      <UUID>bxorPE1eT2CKmwwdLj9KWw==</UUID>
      <Name>Root</Name>
    </Group>
  </Root>
</KeePassFile>
"#;

pub fn gate() -> Result {
    round_trip::in_display("keepassxc", &build_cli(false)?, make_database)
}

/// The database, made by keepassxc-cli from its XML form.
fn make_database(work: &Path) -> Result {
    std::fs::write(work.join("database.xml"), DATABASE_XML).map_err(|e| e.to_string())?;
    let mut import = Command::new("keepassxc-cli")
        .args(["import", "--quiet", "--set-password"])
        .arg(work.join("database.xml"))
        .arg(work.join("fresh.kdbx"))
        .stdin(Stdio::piped())
        .spawn()
        .map_err(|e| format!("keepassxc-cli: {e}"))?;
    if let Some(mut stdin) = import.stdin.take() {
        writeln!(stdin, "{DB_PASSWORD}\n{DB_PASSWORD}").map_err(|e| e.to_string())?;
    }
    expect(
        import.wait().is_ok_and(|s| s.success()),
        "keepassxc-cli could not make the database",
    )?;

    Ok(())
}

/// Inside the display and the session: the round trip with confirmation off, then the
/// access requests with it on.
pub fn inside(work: &Path, bin: &Path) -> Result {
    let cli = Native {
        name: "keepassxc",
        bin: bin.to_owned(),
        work: work.to_owned(),
    };
    let keepassxc = KeePassXc::start(work, false)?;
    let result = round_trip::run(&cli, "Secret Service", &mut |_| {
        stored_in_the_database(work)?;
        round_trip::no_secret_in_any_file(&cli)
    });
    keepassxc.stop();
    result?;

    let keepassxc = KeePassXc::start(work, true)?;
    let result = access_requests(&cli);
    keepassxc.stop();
    result
}

fn access_requests(cli: &Native) -> Result {
    cli.ok(&["doctor"])?;
    cli.ok(&["codes", "import", "--account", "mira", "codes.txt"])?;

    // Nobody answers: the CLI gives up in seconds and says what is waiting.
    let unanswered = cli.cli(&["codes", "list"], None)?;
    said(&unanswered, "unanswered", "allow access, answer it")?;

    let declined = answering("Escape", || cli.cli(&["codes", "list"], None))?;
    said(&declined, "declined", "it was declined")?;

    // "Allow Selected" is the default button; the index and the codes are two requests.
    let allowed = answering("Return", || cli.cli(&["codes", "list"], None))?;
    expect(
        allowed.status.success() && String::from_utf8_lossy(&allowed.stdout).contains("mira"),
        &format!("keepassxc: allowed access, yet {}", describe(&allowed)),
    )?;
    eprintln!("  keepassxc: access request allowed: ok");
    Ok(())
}

/// A failure whose message contains `words`.
fn said(out: &Output, case: &str, words: &str) -> Result {
    expect(
        !out.status.success() && String::from_utf8_lossy(&out.stderr).contains(words),
        &format!("keepassxc: an access request {case}: {}", describe(out)),
    )?;
    eprintln!("  keepassxc: access request {case}: said so");
    Ok(())
}

fn describe(out: &Output) -> String {
    format!(
        "exit {}, {}{}",
        out.status,
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    )
}

/// Runs `action` while pressing `key` in every access request KeePassXC shows.
fn answering(key: &'static str, action: impl FnOnce() -> Result<Output>) -> Result<Output> {
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let answerer = {
        let done = done.clone();
        std::thread::spawn(move || {
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                let found = Command::new("xdotool")
                    .args(["search", "--name", ACCESS_REQUEST_TITLE])
                    .output()
                    .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
                    .unwrap_or_default();
                for window in found.split_whitespace() {
                    // Without a window manager, keys go to the focused window.
                    let _ = Command::new("xdotool")
                        .args(["windowfocus", "--sync", window, "key", key])
                        .status();
                }
                std::thread::sleep(Duration::from_millis(300));
            }
        })
    };
    let out = action();
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let _ = answerer.join();
    out
}

/// Our entries are in KeePassXC's own database file, as keepassxc-cli reads it.
fn stored_in_the_database(work: &Path) -> Result {
    let mut ls = Command::new("keepassxc-cli")
        .args(["ls", "--quiet", "--recursive"])
        .arg(work.join("db.kdbx"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("keepassxc-cli: {e}"))?;
    if let Some(mut stdin) = ls.stdin.take() {
        writeln!(stdin, "{DB_PASSWORD}").map_err(|e| e.to_string())?;
    }
    let out = ls.wait_with_output().map_err(|e| e.to_string())?;
    let listing = String::from_utf8_lossy(&out.stdout);
    for service in ["recovery-codes", "totp"] {
        expect(
            listing.contains(&format!("mira (pypi-recovery-assistant:{service})")),
            &format!("keepassxc: no {service} entry in the database file: {listing}"),
        )?;
    }
    eprintln!("  keepassxc: the entries are in the database file");
    Ok(())
}

struct KeePassXc(Child);

impl KeePassXc {
    /// Starts KeePassXC on a fresh copy of the database, with its Secret Service on, and
    /// waits until it is unlocked. `confirm_access` is its "Confirm before revealing an item".
    fn start(work: &Path, confirm_access: bool) -> Result<Self> {
        let config = PathBuf::from(std::env::var_os("XDG_CONFIG_HOME").unwrap_or_default())
            .join("keepassxc");
        std::fs::create_dir_all(&config).map_err(|e| e.to_string())?;
        std::fs::write(
            config.join("keepassxc.ini"),
            format!(
                "[General]\nConfigVersion=2\n\n[FdoSecrets]\nEnabled=true\nShowNotification=false\n\
                 ConfirmDeleteItem=false\nConfirmAccessItem={confirm_access}\n\n[GUI]\nShowTrayIcon=false\n"
            ),
        )
        .map_err(|e| e.to_string())?;
        std::fs::copy(work.join("fresh.kdbx"), work.join("db.kdbx")).map_err(|e| e.to_string())?;
        let log =
            std::fs::File::create(work.join(format!("keepassxc-confirm-{confirm_access}.log")))
                .map_err(|e| e.to_string())?;
        let mut child = Command::new("keepassxc")
            .arg("--pw-stdin")
            .arg(work.join("db.kdbx"))
            .env("QT_QPA_PLATFORM", "xcb")
            // No desktop portal: there is no desktop, and its helpers only print that.
            .env("QT_QPA_PLATFORMTHEME", "generic")
            .stdin(Stdio::piped())
            .stdout(log.try_clone().map_err(|e| e.to_string())?)
            .stderr(log)
            .spawn()
            .map_err(|e| format!("could not start KeePassXC: {e}"))?;
        if let Some(mut stdin) = child.stdin.take() {
            writeln!(stdin, "{DB_PASSWORD}").map_err(|e| e.to_string())?;
        }
        let keepassxc = Self(child);
        let started = Instant::now();
        let unlocked = Command::new("timeout")
            .args([
                "60",
                "xdotool",
                "search",
                "--sync",
                "--name",
                UNLOCKED_TITLE,
            ])
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !unlocked {
            keepassxc.stop();
            return Err("keepassxc: the database did not unlock within 60 s".into());
        }
        eprintln!(
            "  keepassxc: unlocked in {:.1} s (confirm access: {confirm_access})",
            started.elapsed().as_secs_f64()
        );
        Ok(keepassxc)
    }

    fn stop(mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
