//! What every command-line tool is expected to have: `--version`, the exit-code contract in
//! `--help`, shell completions that complete, man pages that render, and no colour under
//! `NO_COLOR`.

mod support;

use std::process::Command;
use support::cli;

fn stdout_of(args: &[&str]) -> String {
    let out = cli().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn version_names_the_tool_and_the_crate_version() {
    assert_eq!(
        stdout_of(&["--version"]),
        format!("pypi-recovery {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn help_states_the_exit_code_contract_and_the_codes_hold() {
    let help = stdout_of(&["--help"]);
    let contract = help.split_once("Exit status:").expect(&help).1;
    for code in [
        "0  success",
        "1  a refused or failed action",
        "2  a usage error",
    ] {
        assert!(contract.contains(code), "{code:?} missing from {contract}");
    }
    assert_eq!(
        cli()
            .arg("--no-such-option")
            .output()
            .unwrap()
            .status
            .code(),
        Some(2)
    );
    let refused = cli()
        .args(["request", "check", "/nonexistent/request.json"])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(1));
}

/// Runs bash's completion function the way bash does on Tab, and returns the candidates.
fn bash_complete(script: &str, words: &[&str]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pypi-recovery.bash");
    std::fs::write(&file, script).unwrap();
    let line = words.join(" ");
    let array: Vec<String> = words.iter().map(|w| format!("{w:?}")).collect();
    let program = format!(
        "source {file:?}; COMP_WORDS=({array}); COMP_CWORD={cword}; COMP_LINE={line:?}; \
         COMP_POINT=${{#COMP_LINE}}; _pypi__recovery pypi-recovery {last:?} {prev:?}; \
         printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        array = array.join(" "),
        cword = words.len() - 1,
        last = words[words.len() - 1],
        prev = words[words.len() - 2],
    );
    let out = Command::new("bash")
        .args(["--norc", "-c", &program])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn bash_completion_completes_commands_and_subcommands() {
    let script = stdout_of(&["completions", "bash"]);
    let top = bash_complete(&script, &["pypi-recovery", "co"]);
    assert_eq!(top, ["codes", "completions"]);
    let codes = bash_complete(&script, &["pypi-recovery", "codes", ""]);
    for sub in ["import", "list", "next", "use", "remove", "find"] {
        assert!(
            codes.iter().any(|c| c == sub),
            "{sub} not offered: {codes:?}"
        );
    }
    assert!(
        !top.iter().any(|c| c == "manpages"),
        "hidden command offered"
    );
}

#[test]
fn zsh_and_fish_scripts_name_every_command() {
    let zsh = stdout_of(&["completions", "zsh"]);
    assert!(zsh.starts_with("#compdef pypi-recovery"), "{zsh:.80}");
    let fish = stdout_of(&["completions", "fish"]);
    for command in [
        "doctor", "codes", "totp", "backup", "strength", "pwned", "path", "request",
    ] {
        assert!(zsh.contains(&format!("'{command}:")), "zsh lacks {command}");
        assert!(
            fish.contains(&format!("-a \"{command}\"")),
            "fish lacks {command}"
        );
    }
    let refused = cli().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(refused.status.code(), Some(2));
}

#[test]
fn man_pages_render_without_warnings_and_carry_the_exit_status() {
    let dir = tempfile::tempdir().unwrap();
    let out = cli().arg("manpages").arg(dir.path()).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut pages: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    pages.sort();
    for expected in [
        "pypi-recovery.1",
        "pypi-recovery-codes-import.1",
        "pypi-recovery-totp-code.1",
    ] {
        assert!(
            pages.iter().any(|p| p == expected),
            "{expected} not in {pages:?}"
        );
    }
    for page in &pages {
        // groff's warnings go to stderr; -z renders without output.
        let out = Command::new("groff")
            .args(["-k", "-man", "-Tutf8", "-ww", "-z"])
            .arg(dir.path().join(page))
            .output()
            .unwrap();
        assert!(
            out.status.success() && out.stderr.is_empty(),
            "{page}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let rendered = Command::new("groff")
        .args(["-k", "-man", "-Tutf8", "-P-cbou"])
        .arg(dir.path().join("pypi-recovery.1"))
        .output()
        .unwrap();
    let text = String::from_utf8(rendered.stdout).unwrap();
    let status = text.split_once("EXIT STATUS").expect(&text).1;
    assert!(status.contains("a refused or failed action"), "{status}");
    assert!(
        !text.contains("manpages"),
        "the hidden command is documented"
    );
}

/// clap colours its errors on a terminal; `script` gives the CLI one.
fn error_on_a_terminal(no_color: bool) -> String {
    let bin = env!("CARGO_BIN_EXE_pypi-recovery");
    let mut command = Command::new("script");
    command
        .args(["-qec", &format!("{bin} --no-such-option"), "/dev/null"])
        .env("TERM", "xterm-256color")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE");
    if no_color {
        command.env("NO_COLOR", "1");
    }
    let out = command.output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn no_color_turns_off_colour_on_a_terminal() {
    let coloured = error_on_a_terminal(false);
    assert!(
        coloured.contains("\x1b["),
        "clap no longer colours: {coloured:?}"
    );
    let plain = error_on_a_terminal(true);
    assert!(plain.contains("unexpected argument"), "{plain:?}");
    assert!(
        !plain.contains('\x1b'),
        "colour despite NO_COLOR: {plain:?}"
    );
}
