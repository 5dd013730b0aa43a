//! `creeplint completions SHELL`: prints a completion script generated from the clap definitions.

use super::Exit;
use clap::CommandFactory;

pub fn run(shell: clap_complete::Shell) -> Exit {
    let mut cmd = crate::cli::Cli::command();
    clap_complete::generate(shell, &mut cmd, "creeplint", &mut std::io::stdout());
    Exit::Clean
}
