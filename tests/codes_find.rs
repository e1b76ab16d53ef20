//! "Find my recovery codes" on a temporary HOME: PyPI's downloads and pasted notes are found,
//! look-alikes are not, hostile folders neither stall nor crash it, and no code is ever shown.

mod support;

use pypi_recovery::codes::find::{find_code_files, CodesSite, MAX_DEPTH};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

/// Codes made the way PyPI makes them (`secrets.token_hex(8)`), from a fixed seed.
fn codes(seed: u64) -> Vec<String> {
    let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    (0..8)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            format!("{state:016x}")
        })
        .collect()
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn find(dirs: &[PathBuf]) -> Vec<(PathBuf, Option<String>, Option<CodesSite>, u32)> {
    let mut found: Vec<_> = find_code_files(dirs, |_| ControlFlow::Continue(()))
        .sets
        .into_iter()
        .map(|s| (s.path, s.account, s.site, s.codes))
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

/// A HOME with the three folders and every shape the issue names.
struct Planted {
    home: tempfile::TempDir,
    codes: Vec<String>,
}

fn plant() -> Planted {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let (a, b, c, d) = (codes(1), codes(2), codes(3), codes(4));
    write(
        &h.join("Downloads/PyPI-Recovery-Codes-mirafoss-2025-06-01T09:30:00.txt"),
        &(a.join("\n") + "\n"),
    );
    write(
        &h.join("Documents/notes/pypi.txt"),
        &format!("PyPI recovery codes\n{}\n", b[..5].join("\n")),
    );
    write(
        &h.join("Desktop/TestPyPI-Recovery-Codes-mira_test-2025-07-02T10_00_00.txt"),
        &(c.join("\r\n") + "\r\n"),
    );
    // Three levels deep is searched; four is not.
    write(&h.join("Documents/a/b/c/deep.txt"), &d[..4].join("\n"));
    write(
        &h.join("Documents/a/b/c/d/too-deep.txt"),
        &d[4..].join("\n"),
    );
    // Look-alikes.
    let commits: Vec<String> = (0..8)
        .map(|i| format!("{}{:08x}", codes(10 + i)[0], i))
        .collect();
    write(&h.join("Documents/commits.txt"), &commits.join("\n"));
    let seventeen: Vec<String> = codes(5).iter().map(|c| format!("{c}0")).collect();
    write(&h.join("Documents/seventeen.txt"), &seventeen.join("\n"));
    let mut nine = codes(6);
    nine.push(codes(7)[0].clone());
    write(&h.join("Downloads/nine.txt"), &nine.join("\n"));
    write(
        &h.join("Downloads/card-numbers.txt"),
        "4111111111111111\n5500000000000004\n",
    );
    write(&h.join("Downloads/one-hex-id.txt"), &codes(8)[0]);
    let planted = [a, b, c, d].concat();
    Planted {
        home,
        codes: planted,
    }
}

fn folders(home: &Path) -> Vec<PathBuf> {
    ["Downloads", "Documents", "Desktop"]
        .iter()
        .map(|d| home.join(d))
        .collect()
}

#[test]
fn sets_are_found_with_their_account_and_look_alikes_are_not() {
    let planted = plant();
    let home = planted.home.path().canonicalize().unwrap();
    let found = find(&folders(&home));
    assert_eq!(
        found,
        vec![
            (
                home.join("Desktop/TestPyPI-Recovery-Codes-mira_test-2025-07-02T10_00_00.txt"),
                Some("mira_test".into()),
                Some(CodesSite::Testpypi),
                8
            ),
            (home.join("Documents/a/b/c/deep.txt"), None, None, 4),
            (home.join("Documents/notes/pypi.txt"), None, None, 5),
            (
                home.join("Downloads/PyPI-Recovery-Codes-mirafoss-2025-06-01T09:30:00.txt"),
                Some("mirafoss".into()),
                Some(CodesSite::Pypi),
                8
            ),
        ]
    );
    assert_eq!(MAX_DEPTH, 3);
}

#[test]
fn huge_files_links_loops_fifos_and_unreadable_folders_neither_stall_nor_crash() {
    let planted = plant();
    let h = planted.home.path();
    let downloads = h.join("Downloads");
    // 64 MiB of code-shaped lines: too big to read at all.
    let line = format!("{}\n", codes(9)[0]);
    let big = std::fs::File::create(downloads.join("huge.txt")).unwrap();
    big.set_len(64 * 1024 * 1024).unwrap();
    std::fs::write(downloads.join("small-then-huge.txt"), line.repeat(5000)).unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::symlink;
        symlink(&downloads, downloads.join("loop")).unwrap();
        symlink("/etc/passwd", downloads.join("outside")).unwrap();
        // A symlink to a real codes file elsewhere is not followed either.
        write(&elsewhere.path().join("codes.txt"), &codes(11).join("\n"));
        symlink(
            elsewhere.path().join("codes.txt"),
            downloads.join("linked.txt"),
        )
        .unwrap();
        let fifo = downloads.join("pipe.txt");
        assert!(std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success());
    }
    let found = find(&folders(h));
    assert_eq!(found.len(), 4, "{found:?}");
    // The search can be stopped (a deadline or the user), and says so.
    let mut calls = 0;
    let stopped = find_code_files(&folders(h), |_| {
        calls += 1;
        ControlFlow::Break(())
    });
    assert!(stopped.stopped_early);
    assert_eq!(calls, 1);
}

#[cfg(unix)]
#[test]
fn an_unreadable_folder_is_skipped_and_counted() {
    use std::os::unix::fs::PermissionsExt;
    let planted = plant();
    let h = planted.home.path();
    let locked = h.join("Documents/locked");
    write(
        &locked.join("PyPI-Recovery-Codes-x-2025-01-01T00:00:00.txt"),
        &codes(12).join("\n"),
    );
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    for dir in [
        h,
        &h.join("Documents"),
        &h.join("Downloads"),
        &h.join("Desktop"),
    ] {
        let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755));
    }
    // Root reads any folder, so run the search as nobody when the tests run as root.
    let mut command = if is_root() {
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_pypi-recovery"));
        c
    } else {
        support::cli()
    };
    // The temporary HOME must be reachable by that user.
    std::fs::set_permissions(
        h.parent().unwrap().join(h.file_name().unwrap()),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    let out = command
        .args(["codes", "find", "--json", "--dir"])
        .arg(h.join("Documents"))
        .output()
        .unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("1 folder could not be opened"), "{stderr}");
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(found.as_array().unwrap().len(), 2, "{found}");
}

fn is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout == b"0\n")
}

#[test]
fn the_cli_finds_in_the_default_folders_and_never_prints_a_code() {
    let planted = plant();
    let h = planted.home.path();
    let run = |args: &[&str]| {
        support::cli()
            .args(["codes", "find"])
            .args(args)
            .env("HOME", h)
            .env("XDG_CONFIG_HOME", h.join("no-user-dirs"))
            .output()
            .unwrap()
    };
    let json = run(&["--json"]);
    assert_eq!(json.status.code(), Some(0));
    let found: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let found = found.as_array().unwrap();
    assert_eq!(found.len(), 4, "{found:?}");
    let pypi = found
        .iter()
        .find(|f| f["site"] == "PyPI")
        .expect("PyPI's download");
    assert_eq!(pypi["account"], "mirafoss");
    assert_eq!(pypi["codes"], 8);
    let keys: Vec<&String> = pypi.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["account", "codes", "path", "site"]);
    let text = run(&[]);
    let all = [json.stdout, json.stderr, text.stdout.clone(), text.stderr].concat();
    let all = String::from_utf8_lossy(&all);
    for code in &planted.codes {
        assert!(!all.contains(code.as_str()), "a code was printed");
        assert!(!all.contains(&code[..8]), "half a code was printed");
    }
    assert!(String::from_utf8_lossy(&text.stdout).contains("8 codes (PyPI account mirafoss)"));
    // Nothing found is still a success.
    let empty = tempfile::tempdir().unwrap();
    let none = support::cli()
        .args(["codes", "find", "--json", "--dir"])
        .arg(empty.path())
        .output()
        .unwrap();
    assert_eq!(none.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&none.stdout).trim(), "[]");
}

#[test]
fn a_found_set_imports_with_the_normal_all_or_nothing_import() {
    let planted = plant();
    let file = planted
        .home
        .path()
        .join("Downloads/PyPI-Recovery-Codes-mirafoss-2025-06-01T09:30:00.txt");
    let bytes = pypi_recovery::codes::find::read_small_file(&file).unwrap();
    let parsed = pypi_recovery::codes::parse_codes(bytes.expose_secret()).unwrap();
    assert_eq!(parsed.len(), 8);
    assert_eq!(parsed[0].expose_secret(), &planted.codes[0]);
    #[cfg(unix)]
    {
        let fifo = planted.home.path().join("fifo");
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(pypi_recovery::codes::find::read_small_file(&fifo).is_err());
    }
}

#[test]
fn a_folder_listed_twice_is_searched_once_and_code_folders_are_skipped() {
    let planted = plant();
    let h = planted.home.path();
    write(
        &h.join("Downloads/project/.git/PyPI-Recovery-Codes-git-2025-01-01T00:00:00.txt"),
        &codes(13).join("\n"),
    );
    write(
        &h.join("Downloads/project/node_modules/notes.txt"),
        &codes(14).join("\n"),
    );
    let once = find(&[h.join("Downloads")]);
    let twice = find(&[h.join("Downloads"), h.join("Downloads/../Downloads")]);
    assert_eq!(once, twice);
    assert_eq!(once.len(), 1, "{once:?}");
}

#[cfg(target_os = "linux")]
#[test]
fn a_folder_name_that_is_not_utf8_is_shown_not_a_crash() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let latin1 = dir.path().join(std::ffi::OsStr::from_bytes(b"Sch\xf6n"));
    write(
        &latin1.join("PyPI-Recovery-Codes-mira-2025-01-01T00:00:00.txt"),
        &codes(15).join("\n"),
    );
    let out = support::cli()
        .args(["codes", "find", "--json", "--dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(found[0]["path"].as_str().unwrap().contains("Sch\u{fffd}n"));
}
