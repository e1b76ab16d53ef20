//! `pypi-recovery`: the command-line front-end over the same core as the desktop app.

#![deny(clippy::string_slice)]
// Everything printed goes through `out!`/`err!`, which strip terminal controls.
#![deny(clippy::print_stdout, clippy::print_stderr)]

mod cli;

fn main() -> std::process::ExitCode {
    pypi_recovery::quiet_panics();
    pypi_recovery::protect_memory();
    cli::run()
}
