//! The `creeplint` binary: parses the command line, runs a command, maps the outcome to an exit code
//! (0 clean, 1 findings at or above `--fail-on`, 2 usage, config, pack or I/O error).

mod cli;
mod commands;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    ExitCode::from(commands::run(cli) as u8)
}
