//! `cargo xtask package`: the `.deb` and the `.rpm`, with the desktop app and the CLI.
//!
//! Tauri compiles the app (with the UI inside); xtask lays out the package tree itself and
//! packs it with Debian's own `dpkg-deb` and `rpmbuild`, because Tauri's bundler names the
//! package, the desktop entry and the icons after the product name (`py-pi-recovery-assistant`,
//! `PyPI Recovery Assistant.desktop`), ships only the app, and cannot be told otherwise.
//! The desktop entry and the icons carry the app id, which is also the GTK application id, so
//! a desktop shell matches the running window to its entry; AppStream reads the metainfo.

use super::{build_cli, root, run, Result, Sandbox, XVFB_SERVER_ARGS};
use std::ffi::OsStr;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The package's name, for `apt install` and `apt remove`.
pub const NAME: &str = "pypi-recovery-assistant";
/// The app id: the desktop entry, the icons and the metainfo are named after it.
const ID: &str = "org.pypirecovery.assistant";
const SUMMARY: &str = "Recover a PyPI account and keep its 2FA backups safe";
const DESCRIPTION: &str = "A desktop app and a command-line tool (pypi-recovery) for people \
locked out of their PyPI account: which way back in is theirs, and a recovery request that \
leaks nothing, previewed before it is sent. It also keeps PyPI recovery codes and an \
authenticator (TOTP) backup in the system keychain, makes encrypted backups, and checks \
passwords offline.";
const HOMEPAGE: &str = "https://github.com/pypi-recovery/pypi-recovery-assistant";
const MAINTAINER: &str = "PyPI Recovery Assistant maintainers <maintainers@pypirecovery.org>";

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// For the install test: quick to build, never published.
    Debug,
    Release,
}

impl Profile {
    fn dir(self) -> &'static str {
        match self {
            Profile::Debug => "debug",
            Profile::Release => "release",
        }
    }
}

pub struct Packages {
    pub deb: PathBuf,
    pub rpm: PathBuf,
    pub app: PathBuf,
    pub cli: PathBuf,
}

/// Builds the app and the CLI, then both packages from one tree.
pub fn build(profile: Profile) -> Result<Packages> {
    let mut tauri = Command::new(root().join("ui/node_modules/.bin/tauri"));
    tauri.args(["build", "--no-bundle"]).current_dir(root());
    if profile == Profile::Debug {
        tauri.arg("--debug");
    }
    // The UI (beforeBuildCommand) and the app with its assets inside.
    run(&mut tauri)?;
    let cli = build_cli(profile == Profile::Release)?;
    let target = root().join("target").join(profile.dir());
    let app = target.join("pypi-recovery-desktop");

    let out = target.join("package");
    let tree = out.join("tree");
    let _ = std::fs::remove_dir_all(&out);
    let version = version(&cli)?;
    lay_out(&tree, &app, &cli)?;
    changelog(&tree, &version)?;
    directories_readable(&tree)?;
    let deb = deb(&tree, &out, &version, &[&app, &cli], profile)?;
    let rpm = rpm(&tree, &out, &version, profile)?;
    Ok(Packages { deb, rpm, app, cli })
}

/// The version the CLI reports, so the packages cannot disagree with `--version`.
fn version(cli: &Path) -> Result<String> {
    let out = Command::new(cli)
        .arg("--version")
        .output()
        .map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.trim()
        .strip_prefix("pypi-recovery ")
        .map(str::to_owned)
        .ok_or_else(|| format!("unexpected --version output: {text:?}"))
}

/// Every file the packages install, as (path under `/`, mode).
fn lay_out(tree: &Path, app: &Path, cli: &Path) -> Result {
    let linux = root().join("packaging/linux");
    let icons = root().join("icons");
    let mut files: Vec<(String, PathBuf, u32)> = vec![
        ("usr/bin/pypi-recovery-desktop".into(), app.into(), 0o755),
        ("usr/bin/pypi-recovery".into(), cli.into(), 0o755),
        (
            format!("usr/share/applications/{ID}.desktop"),
            linux.join(format!("{ID}.desktop")),
            0o644,
        ),
        (
            format!("usr/share/metainfo/{ID}.metainfo.xml"),
            linux.join(format!("{ID}.metainfo.xml")),
            0o644,
        ),
        (
            format!("usr/share/icons/hicolor/scalable/apps/{ID}.svg"),
            icons.join("source.svg"),
            0o644,
        ),
        (
            format!("usr/share/doc/{NAME}/copyright"),
            linux.join("copyright"),
            0o644,
        ),
    ];
    for (size, file) in [
        ("32x32", "32x32.png"),
        ("64x64", "64x64.png"),
        ("128x128", "128x128.png"),
        ("256x256", "128x128@2x.png"),
        ("512x512", "icon.png"),
    ] {
        files.push((
            format!("usr/share/icons/hicolor/{size}/apps/{ID}.png"),
            icons.join(file),
            0o644,
        ));
    }
    for (dest, src, mode) in &files {
        install(src, &tree.join(dest), *mode)?;
    }

    // Generated by the CLI itself, so they always match the binary in the package.
    let generated = tree.parent().unwrap().join("generated");
    let man = generated.join("man");
    run(Command::new(cli).arg("manpages").arg(&man))?;
    // The app's own page is written by hand: it takes no options.
    std::fs::copy(
        linux.join("pypi-recovery-desktop.1"),
        man.join("pypi-recovery-desktop.1"),
    )
    .map_err(|e| e.to_string())?;
    for page in std::fs::read_dir(&man).map_err(|e| e.to_string())? {
        let page = page.map_err(|e| e.to_string())?.path();
        run(Command::new("gzip").args(["-9n"]).arg(&page))?;
        let name = page.file_name().unwrap().to_string_lossy().into_owned();
        install(
            &man.join(format!("{name}.gz")),
            &tree.join(format!("usr/share/man/man1/{name}.gz")),
            0o644,
        )?;
    }
    for (shell, dest) in [
        (
            "bash",
            "usr/share/bash-completion/completions/pypi-recovery",
        ),
        ("zsh", "usr/share/zsh/vendor-completions/_pypi-recovery"),
        (
            "fish",
            "usr/share/fish/vendor_completions.d/pypi-recovery.fish",
        ),
    ] {
        let out = Command::new(cli)
            .args(["completions", shell])
            .output()
            .map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(format!("pypi-recovery completions {shell} failed"));
        }
        let file = generated.join(shell);
        std::fs::write(&file, &out.stdout).map_err(|e| e.to_string())?;
        install(&file, &tree.join(dest), 0o644)?;
    }
    Ok(())
}

/// Debian wants a changelog in every package (`changelog.gz` for a package with no Debian
/// revision); this one points at the release notes.
fn changelog(tree: &Path, version: &str) -> Result {
    let date = output(Command::new("date").arg("-R"))?;
    let text = format!(
        "{NAME} ({version}) unstable; urgency=medium\n\n  * Release {version}; the notes are at\n    \
         {HOMEPAGE}/releases\n\n -- {MAINTAINER}  {}\n",
        date.trim()
    );
    let file = tree.join(format!("usr/share/doc/{NAME}/changelog"));
    std::fs::write(&file, text).map_err(|e| e.to_string())?;
    run(Command::new("gzip").arg("-9n").arg(&file))?;
    set_mode(&file.with_extension("gz"), 0o644).map_err(|e| e.to_string())
}

/// Every folder 0755, whatever the umask.
fn directories_readable(dir: &Path) -> Result {
    set_mode(dir, 0o755).map_err(|e| e.to_string())?;
    for entry in std::fs::read_dir(dir).map_err(|e| e.to_string())?.flatten() {
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            directories_readable(&entry.path())?;
        }
    }
    Ok(())
}

fn install(src: &Path, dest: &Path, mode: u32) -> Result {
    let error = |e: std::io::Error| format!("{} -> {}: {e}", src.display(), dest.display());
    std::fs::create_dir_all(dest.parent().unwrap()).map_err(error)?;
    std::fs::copy(src, dest).map_err(error)?;
    set_mode(dest, mode).map_err(error)
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

/// Packages are built on Linux; elsewhere xtask only needs to compile.
#[cfg(not(unix))]
fn set_mode(_: &Path, _: u32) -> std::io::Result<()> {
    Ok(())
}

fn output(cmd: &mut Command) -> Result<String> {
    let out = cmd
        .output()
        .map_err(|e| format!("{:?}: {e}", cmd.get_program()))?;
    if !out.status.success() {
        return Err(format!(
            "{:?} failed: {}",
            cmd.get_program(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn deb(
    tree: &Path,
    out: &Path,
    version: &str,
    binaries: &[&Path],
    profile: Profile,
) -> Result<PathBuf> {
    let arch = output(Command::new("dpkg").arg("--print-architecture"))?;
    let arch = arch.trim();
    let control = tree.join("DEBIAN/control");
    std::fs::create_dir_all(control.parent().unwrap()).map_err(|e| e.to_string())?;
    let installed_kib = output(
        Command::new("du")
            .args(["-sk", "--exclude=DEBIAN"])
            .arg(tree),
    )?;
    let installed_kib = installed_kib.split_whitespace().next().unwrap_or("0");
    let mut text = format!(
        "Package: {NAME}\nVersion: {version}\nArchitecture: {arch}\nMaintainer: {MAINTAINER}\n\
         Installed-Size: {installed_kib}\nDepends: {}\nSection: utils\nPriority: optional\n\
         Homepage: {HOMEPAGE}\nDescription: {SUMMARY}\n",
        shared_library_depends(binaries)?
    );
    for line in wrap(DESCRIPTION, 72) {
        let _ = writeln!(text, " {line}");
    }
    std::fs::write(&control, text).map_err(|e| e.to_string())?;
    let mut files = Vec::new();
    walk(tree, tree, &mut files)?;
    files.retain(|f| !f.starts_with("DEBIAN/"));
    let sums = output(Command::new("md5sum").args(&files).current_dir(tree))?;
    std::fs::write(tree.join("DEBIAN/md5sums"), sums).map_err(|e| e.to_string())?;
    let deb = out.join(format!("{NAME}_{version}_{arch}.deb"));
    // xz at its best for what users download; the install test's unstripped debug build
    // (600 MB) only needs to be quick.
    let compression = match profile {
        Profile::Release => ["-Zxz", "-z9"],
        Profile::Debug => ["-Zgzip", "-z1"],
    };
    run(Command::new("dpkg-deb")
        .arg("--root-owner-group")
        .args(compression)
        .arg("--build")
        .arg(tree)
        .arg(&deb))?;
    std::fs::remove_dir_all(tree.join("DEBIAN")).map_err(|e| e.to_string())?;
    Ok(deb)
}

/// What Debian itself would write in `Depends`: the packages of the shared libraries the
/// binaries link, at the versions their symbols need (dpkg-shlibdeps, as debhelper runs it).
fn shared_library_depends(binaries: &[&Path]) -> Result<String> {
    let scratch = tempdir("shlibdeps")?;
    std::fs::create_dir_all(scratch.join("debian")).map_err(|e| e.to_string())?;
    std::fs::write(
        scratch.join("debian/control"),
        format!("Source: {NAME}\n\nPackage: {NAME}\nArchitecture: any\n"),
    )
    .map_err(|e| e.to_string())?;
    let depends = output(
        Command::new("dpkg-shlibdeps")
            .arg("-O")
            .args(binaries.iter().map(|b| format!("-e{}", b.display())))
            .current_dir(&scratch),
    );
    let _ = std::fs::remove_dir_all(&scratch);
    depends?
        .lines()
        .find_map(|line| line.strip_prefix("shlibs:Depends="))
        .map(str::to_owned)
        .ok_or_else(|| "dpkg-shlibdeps printed no Depends".into())
}

fn rpm(tree: &Path, out: &Path, version: &str, profile: Profile) -> Result<PathBuf> {
    let top = out.join("rpmbuild");
    let mut files = Vec::new();
    walk(tree, tree, &mut files)?;
    let spec = format!(
        "Name: {NAME}\nVersion: {version}\nRelease: 1\nSummary: {SUMMARY}\n\
         License: MIT OR Apache-2.0\nURL: {HOMEPAGE}\nPackager: {MAINTAINER}\n\n\
         %description\n{}\n\n%install\ncp -a {}/. %{{buildroot}}/\n\n\
         %files\n%dir /usr/share/doc/{NAME}\n{}\n",
        wrap(DESCRIPTION, 72).join("\n"),
        tree.display(),
        files
            .iter()
            .map(|f| format!("/{f}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    std::fs::create_dir_all(&top).map_err(|e| e.to_string())?;
    let spec_file = top.join(format!("{NAME}.spec"));
    std::fs::write(&spec_file, spec).map_err(|e| e.to_string())?;
    run(Command::new("rpmbuild")
        .arg("-bb")
        .arg("--quiet")
        .arg("--define")
        .arg(format!("_topdir {}", top.display()))
        .arg("--define")
        .arg(format!("_rpmdir {}", out.display()))
        .arg("--define")
        .arg("_build_name_fmt %%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm")
        // The binaries are already built as they should ship; rpm's post-install scripts
        // would strip and rewrite them again.
        .args(["--define", "__os_install_post %{nil}"])
        .args(["--define", "debug_package %{nil}"])
        // Fedora's /usr/lib/.build-id links: the .deb has none, and both hold the same files.
        .args(["--define", "_build_id_links none"])
        .arg("--define")
        .arg(match profile {
            Profile::Release => "_binary_payload w9.xzdio",
            Profile::Debug => "_binary_payload w1.gzdio",
        })
        .arg(&spec_file))?;
    let arch = output(Command::new("rpm").args(["--eval", "%{_arch}"]))?;
    Ok(out.join(format!("{NAME}-{version}-1.{}.rpm", arch.trim())))
}

/// The files under `dir`, relative to `base`, sorted.
fn walk(base: &Path, dir: &Path, files: &mut Vec<String>) -> Result {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            walk(base, &path, files)?;
        } else {
            files.push(
                path.strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
            );
        }
    }
    Ok(())
}

fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split_whitespace() {
        let line = lines.last_mut().unwrap();
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            lines.push(word.to_owned());
        } else {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    lines
}

fn tempdir(name: &str) -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("pypi-recovery-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    Ok(dir)
}

/// The install test: debug packages are checked by the validators, the `.deb` is installed
/// with apt on this machine, started in a virtual display, and removed again.
pub fn test() -> Result {
    let packages = build(Profile::Debug)?;
    let tree = packages.deb.parent().unwrap().join("tree");
    run(Command::new("desktop-file-validate")
        .arg(tree.join(format!("usr/share/applications/{ID}.desktop"))))?;
    run(Command::new("appstreamcli")
        .args(["validate", "--no-net", "--explain"])
        .arg(tree.join(format!("usr/share/metainfo/{ID}.metainfo.xml"))))?;

    // Both packages hold the same files.
    let in_deb = listed_files(&packages.deb)?;
    // Regular files only, as for the .deb: the .rpm also owns its doc folder.
    let in_rpm: Vec<String> = output(
        Command::new("rpm")
            .args([
                "-qp",
                "--nosignature",
                "--qf",
                "[%{FILEMODES:perms} %{FILENAMES}\n]",
            ])
            .arg(&packages.rpm),
    )?
    .lines()
    .filter_map(|line| line.strip_prefix("-").and_then(|l| l.split_once(' ')))
    .map(|(_, path)| path.to_owned())
    .collect();
    if in_deb != in_rpm {
        return Err(format!(
            "the .deb and the .rpm differ:\n  deb {in_deb:?}\n  rpm {in_rpm:?}"
        ));
    }
    let rpm_name = output(
        Command::new("rpm")
            .args(["-qp", "--nosignature", "--qf", "%{NAME}"])
            .arg(&packages.rpm),
    )?;
    let requires = output(
        Command::new("rpm")
            .args(["-qp", "--nosignature", "--requires"])
            .arg(&packages.rpm),
    )?;
    if rpm_name != NAME || !requires.contains("libwebkit2gtk-4.1.so.0") {
        return Err(format!("the .rpm is {rpm_name:?} and requires {requires}"));
    }

    apt(
        &["install", "-y", "-qq", "--reinstall"],
        Some(&packages.deb),
    )?;
    let installed = check_installed(&in_deb);
    apt(&["remove", "-y", "-qq", NAME], None)?;
    installed?;
    let doc = format!("/usr/share/doc/{NAME}");
    let left: Vec<&String> = in_deb
        .iter()
        .chain([&doc])
        .filter(|f| Path::new(f).exists())
        .collect();
    if !left.is_empty() {
        return Err(format!("removing {NAME} left {left:?}"));
    }
    let status = Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", NAME])
        .output()
        .map_err(|e| e.to_string())?;
    if status.status.success() && !String::from_utf8_lossy(&status.stdout).contains("not-installed")
    {
        return Err(format!(
            "dpkg still knows {NAME}: {}",
            String::from_utf8_lossy(&status.stdout)
        ));
    }
    eprintln!(
        "packages: {} ({} files), {}; installed, started and removed cleanly",
        packages.deb.display(),
        in_deb.len(),
        packages.rpm.display()
    );
    Ok(())
}

/// The absolute paths of the regular files a `.deb` holds, sorted.
fn listed_files(deb: &Path) -> Result<Vec<String>> {
    let listing = output(Command::new("dpkg-deb").arg("--contents").arg(deb))?;
    let mut files: Vec<String> = listing
        .lines()
        .filter(|line| line.starts_with('-'))
        .filter_map(|line| line.split_whitespace().last())
        .map(|path| path.trim_start_matches('.').to_owned())
        .collect();
    files.sort();
    Ok(files)
}

/// apt-get as root, or through sudo.
fn apt(args: &[&str], deb: Option<&Path>) -> Result {
    let root = output(Command::new("id").arg("-u")).is_ok_and(|uid| uid.trim() == "0");
    let mut cmd = Command::new(if root { "apt-get" } else { "sudo" });
    if !root {
        cmd.arg("apt-get");
    }
    cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
    if let Some(deb) = deb {
        // apt takes a local package only as a path with a slash in it.
        cmd.arg(deb.canonicalize().map_err(|e| e.to_string())?);
    }
    run(&mut cmd)
}

/// What a user relies on after `apt install`: both commands on PATH, the entry and its icon
/// where the desktop looks, the man page, and a window whose class is the one the entry names.
fn check_installed(files: &[String]) -> Result {
    let missing: Vec<&String> = files.iter().filter(|f| !Path::new(f).is_file()).collect();
    if !missing.is_empty() {
        return Err(format!("not installed: {missing:?}"));
    }
    for expected in [
        "/usr/bin/pypi-recovery".to_owned(),
        "/usr/bin/pypi-recovery-desktop".to_owned(),
        format!("/usr/share/applications/{ID}.desktop"),
        format!("/usr/share/icons/hicolor/128x128/apps/{ID}.png"),
        format!("/usr/share/metainfo/{ID}.metainfo.xml"),
        "/usr/share/man/man1/pypi-recovery.1.gz".to_owned(),
        "/usr/share/bash-completion/completions/pypi-recovery".to_owned(),
    ] {
        if !files.contains(&expected) {
            return Err(format!("the package lacks {expected}"));
        }
    }
    let version = output(Command::new("/usr/bin/pypi-recovery").arg("--version"))?;
    let man = output(Command::new("man").args(["-w", "pypi-recovery"]))?;
    if man.trim() != "/usr/share/man/man1/pypi-recovery.1.gz" {
        return Err(format!("man finds {man:?}"));
    }
    let entry = std::fs::read_to_string(format!("/usr/share/applications/{ID}.desktop"))
        .map_err(|e| e.to_string())?;
    let wm_class = entry
        .lines()
        .find_map(|l| l.strip_prefix("StartupWMClass="))
        .ok_or("the desktop entry names no StartupWMClass")?;

    // Start the installed app as a user would, from PATH, and read its window's class.
    let sandbox = Sandbox::new("package")?;
    let script = "pypi-recovery-desktop & app=$!; \
        window=$(timeout 60 xdotool search --sync --onlyvisible --name '^PyPI Recovery Assistant$' | head -n1); \
        xprop -id \"$window\" WM_CLASS; status=$?; kill $app; wait $app 2>/dev/null; exit $status";
    let out = sandbox
        .command(
            OsStr::new("xvfb-run"),
            &["-a", "-s", XVFB_SERVER_ARGS, "sh", "-c", script].map(OsStr::new),
        )
        .output()
        .map_err(|e| e.to_string())?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let class = stdout
        .lines()
        .find(|l| l.starts_with("WM_CLASS"))
        .unwrap_or("");
    if !out.status.success() || !class.contains(&format!("\"{wm_class}\"")) {
        return Err(format!(
            "the installed app did not show a window of class {wm_class}: {stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    eprintln!(
        "installed: {}, window class {}",
        version.trim(),
        class.trim()
    );
    Ok(())
}
