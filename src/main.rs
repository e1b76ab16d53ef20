//! `pypi-recovery`: the command-line front-end over the same core as the desktop app.

#![forbid(unsafe_code)]

mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}
