//! `cargo xtask`: the developer entry point. It sets up what the project needs on this
//! machine (system packages, npm dependencies, tauri-driver) and then runs the app or every test.

use std::env;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

mod bench_app;
mod fuzz;
mod keepassxc;
mod kwallet;
mod macos;
mod package;
mod round_trip;
mod setup;
mod windows;

type Result<T = ()> = std::result::Result<T, String>;

const USAGE: &str = "usage: cargo xtask <command>

  run         build the UI and launch the desktop app
  test        run every check: format, lint, core and shell tests, UI tests, bindings, end-to-end
  e2e         [FILE…]: run only the end-to-end tests (or these files) against a fresh debug build
  a11y        the accessibility tests in the real window: axe-core in every state (a table), keyboard-only flows, AT-SPI names
  windows     the Windows gate: clippy and build for x86_64-pc-windows-gnu, keychain round trip under Wine
  macos       the macOS gate: clippy of the offline core and CLI for aarch64-apple-darwin
  keepassxc   the keychain round trip and access requests against KeePassXC's Secret Service
  kwallet     the keychain round trip and a declined unlock against KWallet's Secret Service
  round-trip  the keychain round trip against this computer's own keychain (CI on Windows, macOS)
  fuzz        [TARGET] [--seconds N] [--asan]: libFuzzer over every parser of outside input (60 s each)
  bench       benchmarks: password check (criterion, and whole `pypi-recovery strength` processes), QR and TOTP
  bench --app [--rounds N] [--cpu-seconds N] [--switching] [--soak] [--no-build]: the release app against KeePassXC (start, memory, idle CPU, sizes)
  package     build the release .deb and .rpm (the app, the CLI, man pages, completions, AppStream metainfo)
  package --test: debug packages through the validators, apt install, start and remove
  bindings    regenerate ui/src/lib/bindings.ts from the Rust commands
  setup       install system packages, npm dependencies and tauri-driver";

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let inside = args.get(1).map(String::as_str) == Some(round_trip::INSIDE);
    let result = match args.first().map(String::as_str) {
        Some("run") => run_app(),
        Some("test") => test_all(),
        Some("e2e") => setup::all(setup::Purpose::Test)
            .and_then(|_| build_ui())
            .and_then(|_| e2e(&args[1..])),
        Some("a11y") => setup::all(setup::Purpose::Test)
            .and_then(|_| build_ui())
            .and_then(|_| a11y()),
        Some("bindings") => bindings(),
        Some("package") if args.iter().any(|a| a == "--test") => {
            setup::all(setup::Purpose::Test).and_then(|_| package::test())
        }
        Some("package") => setup::all(setup::Purpose::Test)
            .and_then(|_| package::build(package::Profile::Release))
            .map(|p| eprintln!("\n{}\n{}", p.deb.display(), p.rpm.display())),
        Some("windows") => setup::all(setup::Purpose::Test).and_then(|_| windows::gate()),
        Some("macos") => setup::all(setup::Purpose::Test).and_then(|_| macos::gate()),
        Some("keepassxc") if inside => {
            round_trip::inside_paths(&args).and_then(|(work, cli)| keepassxc::inside(&work, &cli))
        }
        Some("kwallet") if inside => {
            round_trip::inside_paths(&args).and_then(|(work, cli)| kwallet::inside(&work, &cli))
        }
        Some("keepassxc") => setup::all(setup::Purpose::Test).and_then(|_| keepassxc::gate()),
        Some("kwallet") => setup::all(setup::Purpose::Test).and_then(|_| kwallet::gate()),
        Some("round-trip") => round_trip::here(),
        Some("bench") if args.iter().any(|a| a == bench_app::INSIDE) => {
            bench_app::inside(&args[1..])
        }
        Some("bench") if args.iter().any(|a| a == "--app") => bench_app::command(&args[1..]),
        Some("bench") => bench(),
        Some("fuzz") => fuzz::command(&args[1..]),
        Some("setup") => setup::all(setup::Purpose::Test),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("\nxtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The repository root (the parent of `xtask/`).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn ui_dir() -> PathBuf {
    root().join("ui")
}

/// Runs a command, echoing it, and fails with its name when it fails.
fn run(cmd: &mut Command) -> Result {
    let shown = format!(
        "{} {}",
        cmd.get_program().to_string_lossy(),
        cmd.get_args()
            .map(OsStr::to_string_lossy)
            .collect::<Vec<_>>()
            .join(" ")
    );
    eprintln!("$ {shown}");
    let status = cmd
        .status()
        .map_err(|e| format!("could not start `{shown}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed ({status})"))
    }
}

fn cargo() -> Command {
    let mut cmd = Command::new(env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.current_dir(root());
    cmd
}

fn npm(args: &[&str]) -> Command {
    let mut cmd = Command::new("npm");
    cmd.args(args).current_dir(ui_dir());
    cmd
}

fn build_ui() -> Result {
    run(npm(&["run", "build"]).arg("--silent"))
}

fn run_app() -> Result {
    setup::all(setup::Purpose::Run)?;
    build_ui()?;
    run(cargo().args(["run", "--package", "pypi-recovery-desktop"]))
}

/// Speed targets of the password check (issue 6): criterion for the function itself, and
/// here the whole CLI process on the worst input against the process on `password`
/// (target: no slower than 3×). Figures are printed, never asserted.
fn bench() -> Result {
    let cli = build_cli(true)?;
    let median_ms = |input: &str| -> Result<f64> {
        let mut times = Vec::new();
        for _ in 0..31 {
            let started = Instant::now();
            let mut child = Command::new(&cli)
                .args(["strength", "--json"])
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::null())
                .spawn()
                .map_err(|e| e.to_string())?;
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(input.as_bytes())
                .map_err(|e| e.to_string())?;
            child.wait().map_err(|e| e.to_string())?;
            times.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        Ok(times[times.len() / 2])
    };
    let typical = median_ms("password\n")?;
    let worst = median_ms(&("@4!1|3$5$7+".repeat(372) + "\n"))?;
    eprintln!(
        "\nwhole process, median of 31: `password` {typical:.1} ms; worst input (4,092 chars of l33t and punctuation) {worst:.1} ms; ratio {:.2}× (target ≤ 3×)\n",
        worst / typical
    );
    run(cargo().args([
        "bench",
        "--package",
        "pypi-recovery",
        "--bench",
        "strength",
        "--bench",
        "totp",
    ]))
}

/// Builds the release CLI and returns its path.
/// clippy with warnings denied, for the libraries and binaries of `scope` built for `target`.
fn cross_clippy(target: &str, scope: &[&str]) -> Result {
    run(cargo()
        .args(["clippy", "--locked", "--target", target])
        .args(scope)
        .args(["--lib", "--bins", "--", "-D", "warnings"]))
}

/// Builds the CLI, in release or debug, and returns its path.
fn build_cli(release: bool) -> Result<PathBuf> {
    let mut cmd = cargo();
    cmd.args([
        "build",
        "--locked",
        "--package",
        "pypi-recovery",
        "--bin",
        "pypi-recovery",
    ]);
    if release {
        cmd.arg("--release");
    }
    run(&mut cmd)?;
    let profile = if release { "release" } else { "debug" };
    Ok(root().join("target").join(profile).join("pypi-recovery"))
}

fn bindings() -> Result {
    run(cargo()
        .args([
            "test",
            "--package",
            "pypi-recovery-desktop",
            "--lib",
            "bindings_have_not_drifted",
        ])
        .env("UPDATE_BINDINGS", "1"))
}

/// A clean environment for tests that touch the keychain or start the app: a temporary HOME
/// and XDG directories, a private D-Bus session, and an unlocked gnome-keyring in it.
/// The virtual display's arguments. `-noreset`: by default Xvfb resets whenever its last
/// client leaves, and an app that connects during the reset fails to open the display (GTK's
/// init fails, Qt aborts), which happens between two apps started one after the other.
const XVFB_SERVER_ARGS: &str = "-screen 0 1280x800x24 -noreset";

struct Sandbox {
    home: PathBuf,
}

impl Sandbox {
    fn new(name: &str) -> Result<Self> {
        let home = env::temp_dir().join(format!("pypi-recovery-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&home);
        for dir in ["config", "data", "cache", "run"] {
            std::fs::create_dir_all(home.join(dir)).map_err(|e| e.to_string())?;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(home.join("run"), std::fs::Permissions::from_mode(0o700))
                .map_err(|e| e.to_string())?;
        }
        Ok(Self { home })
    }

    /// Wraps `program args…` so it runs inside the sandbox's D-Bus session and keyring.
    fn command(&self, program: &OsStr, args: &[&OsStr]) -> Command {
        self.session(Some("printf %s \"$PYPI_RECOVERY_TEST_KEYRING_PASSWORD\" | gnome-keyring-daemon --unlock --components=secrets >/dev/null"), program, args)
    }

    /// The same session with no Secret Service in it, for a test that brings its own.
    fn command_without_keyring(&self, program: &OsStr, args: &[&OsStr]) -> Command {
        self.session(None, program, args)
    }

    fn session(&self, first: Option<&str>, program: &OsStr, args: &[&OsStr]) -> Command {
        let mut cmd = Command::new("dbus-run-session");
        cmd.arg("--")
            .arg("sh")
            .arg("-c")
            .arg(match first {
                Some(first) => format!("{first} && exec \"$@\""),
                None => "exec \"$@\"".to_owned(),
            })
            .arg("sh")
            .arg(program)
            .args(args)
            .current_dir(root());
        // Cargo and rustup find their homes through HOME unless told; keep the real ones.
        let real_home = env::var_os("HOME").map(PathBuf::from).unwrap_or_default();
        let cargo_home = env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .unwrap_or(real_home.join(".cargo"));
        let rustup_home = env::var_os("RUSTUP_HOME")
            .map(PathBuf::from)
            .unwrap_or(real_home.join(".rustup"));
        let path = env::join_paths(
            std::iter::once(cargo_home.join("bin"))
                .chain(env::split_paths(&env::var_os("PATH").unwrap_or_default())),
        )
        .unwrap_or_default();
        cmd.env("CARGO_HOME", cargo_home)
            .env("RUSTUP_HOME", rustup_home)
            .env("PATH", path)
            .env("HOME", &self.home)
            .env("XDG_CONFIG_HOME", self.home.join("config"))
            .env("XDG_DATA_HOME", self.home.join("data"))
            .env("XDG_CACHE_HOME", self.home.join("cache"))
            .env("XDG_RUNTIME_DIR", self.home.join("run"))
            .env("NO_AT_BRIDGE", "1")
            .env("PYPI_RECOVERY_TEST_KEYRING_PASSWORD", "sandbox")
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY");
        cmd
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.home);
    }
}

/// Runs the end-to-end tests that check accessibility (those that use tests/e2e/a11y.mjs:
/// axe in each state, the keyboard-only flows, the AT-SPI tree), then prints axe's findings.
fn a11y() -> Result {
    let dir = root().join("tests/e2e");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.to_string_lossy().ends_with(".test.mjs"))
        .filter(|path| {
            std::fs::read_to_string(path).is_ok_and(|text| text.contains("\"./a11y.mjs\""))
        })
        .filter_map(|path| {
            path.strip_prefix(root())
                .ok()
                .map(|p| p.to_string_lossy().into_owned())
        })
        .collect();
    files.sort();
    e2e(&files)
}

fn print_a11y_table(table: &Path) -> Result {
    let text = std::fs::read_to_string(table)
        .map_err(|e| format!("no axe results in {}: {e}", table.display()))?;
    eprintln!(
        "\n{:<58} {:>10} {:>6} {:>10}",
        "state", "violations", "passes", "incomplete"
    );
    let (mut states, mut violations) = (0, 0);
    for line in text.lines() {
        let row: serde_json::Value =
            serde_json::from_str(line).map_err(|e| format!("{}: {e}", table.display()))?;
        let count = row["violations"].as_array().map_or(0, Vec::len);
        states += 1;
        violations += count;
        eprintln!(
            "{:<58} {:>10} {:>6} {:>10}",
            row["state"].as_str().unwrap_or("?"),
            count,
            row["passes"],
            row["incomplete"].as_array().map_or(0, Vec::len),
        );
    }
    eprintln!("{states} states, {violations} violations");
    Ok(())
}

fn e2e(files: &[String]) -> Result {
    let files: Vec<&str> = files.iter().map(String::as_str).collect();
    e2e_with(if files.is_empty() {
        &["tests/e2e/"]
    } else {
        &files
    })
}

/// The end-to-end tests in `files` (or folders), in the real window. axe's results, one JSON
/// object per state analysed, are collected in artifacts/a11y.jsonl and printed as a table.
fn e2e_with(files: &[&str]) -> Result {
    // With the test double for native dialogs, which WebDriver cannot reach (see prompts.rs).
    run(cargo().args([
        "build",
        "--package",
        "pypi-recovery-desktop",
        "--features",
        "scripted-prompts",
    ]))?;
    let app = root().join("target/debug/pypi-recovery-desktop");
    let artifacts = root().join("artifacts/e2e");
    let sandbox = Sandbox::new("e2e")?;
    let prompts = sandbox.home.join("run/prompts");
    let mut cmd = sandbox.command(
        OsStr::new("xvfb-run"),
        &[
            "-a",
            "-s",
            XVFB_SERVER_ARGS,
            "node",
            "--test",
            "--test-concurrency=1",
        ]
        .into_iter()
        .chain(files.iter().copied())
        .map(OsStr::new)
        .collect::<Vec<_>>(),
    );
    let table = root().join("artifacts/a11y.jsonl");
    let _ = std::fs::remove_file(&table);
    cmd.env("E2E_A11Y_TABLE", &table);
    cmd.env("E2E_APP", app)
        .env("E2E_ARTIFACTS", &artifacts)
        .env("PYPI_RECOVERY_CLIPBOARD_SECONDS", "4")
        .env("PYPI_RECOVERY_SCRIPTED_PROMPTS", prompts);
    let outcome = run(&mut cmd);
    if table.exists() {
        print_a11y_table(&table)?;
    }
    eprintln!("screenshots: {}", artifacts.display());
    outcome
}

fn test_all() -> Result {
    let started = Instant::now();
    let mut timings: Vec<(&str, f64)> = Vec::new();
    let mut step = |name: &'static str, f: &mut dyn FnMut() -> Result| -> Result {
        eprintln!("\n== {name}");
        let t = Instant::now();
        f()?;
        timings.push((name, t.elapsed().as_secs_f64()));
        Ok(())
    };

    step("setup", &mut || {
        setup::all(setup::Purpose::Test)?;
        run(&mut npm(&["ci", "--no-audit", "--no-fund"]))
    })?;
    step("format", &mut || {
        run(cargo().args(["fmt", "--all", "--", "--check"]))?;
        run(&mut npm(&["run", "--silent", "format:check"]))
    })?;
    step("workflow lint (actionlint, shellcheck)", &mut || {
        run(Command::new(setup::actionlint_path())
            .arg(".github/workflows/ci.yml")
            .current_dir(root()))
    })?;
    step("ui build", &mut build_ui)?;
    step("clippy", &mut || {
        run(cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--locked",
            "--",
            "-D",
            "warnings",
        ]))
    })?;
    step(
        "rust tests (core, CLI, shell commands, bindings drift)",
        &mut || {
            let sandbox = Sandbox::new("tests")?;
            let cargo_bin = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
            run(&mut sandbox.command(
                &cargo_bin,
                &["test", "--workspace", "--locked"].map(OsStr::new),
            ))
        },
    )?;
    step("ui checks (svelte-check, vitest)", &mut || {
        run(&mut npm(&["run", "--silent", "check"]))?;
        run(&mut npm(&["run", "--silent", "test"]))
    })?;
    step(
        "fuzz smoke (each target a few seconds, from its corpus)",
        &mut || fuzz::fuzz(fuzz::TARGETS, fuzz::SMOKE_SECONDS, false),
    )?;
    step("end-to-end (accessibility included)", &mut || e2e(&[]))?;
    step(
        "packages (.deb and .rpm: validators, apt install, start, remove)",
        &mut package::test,
    )?;
    step(
        "keepassxc (keychain round trip and access requests, its Secret Service)",
        &mut keepassxc::gate,
    )?;
    step(
        "kwallet (keychain round trip and a declined unlock, its Secret Service)",
        &mut kwallet::gate,
    )?;
    step(
        "windows (clippy, build, keychain round trip under Wine)",
        &mut windows::gate,
    )?;
    step(
        "macos (clippy of the offline core and CLI)",
        &mut macos::gate,
    )?;

    eprintln!(
        "\nAll checks passed in {:.0} s:",
        started.elapsed().as_secs_f64()
    );
    for (name, secs) in timings {
        eprintln!("  {secs:>6.1} s  {name}");
    }
    Ok(())
}
