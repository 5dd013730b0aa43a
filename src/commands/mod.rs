//! The subcommands. Each returns an [`Exit`]; this module owns printing errors.

mod check;
mod completions;
mod explain;
mod init;
mod kinds;
mod rules;
mod schema;
mod server;

use crate::cli::{Cli, ColorArg, Command, SourceArgs};
use colored::Colorize;
use creeplint::config::{Config, Overrides, Settings};
use creeplint::pack::PackSet;
use creeplint::Error;
use std::path::Path;

/// Exit codes: a stable contract for CI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Nothing at or above the fail-on threshold.
    Clean = 0,
    /// Findings (or failed examples).
    Findings = 1,
    /// Usage, config, pack or I/O error.
    Error = 2,
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Exit {
    match cli.command {
        Command::Check(args) => check::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Rules(args) => rules::run(args),
        Command::Kinds(args) => kinds::run(args),
        Command::Init => init::run(),
        Command::Server => server::run(),
        Command::Completions { shell } => completions::run(shell),
        Command::Schema { kind } => schema::run(kind),
    }
}

/// `--color`: `auto` colours a terminal unless NO_COLOR is set; `always` and `never` decide.
pub fn set_color(choice: ColorArg) {
    let on = match choice {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            std::io::IsTerminal::is_terminal(&std::io::stdout())
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    colored::control::set_override(on);
}

/// `println!` for a command's output. When whoever reads standard output has gone
/// (`creeplint rules | head -1`), the command stops quietly with exit 0 instead of panicking, as
/// `check` does; any other write error is reported and exits 2.
macro_rules! outln {
    () => {
        $crate::commands::write_out(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::commands::write_out(format_args!("{}\n", format_args!($($arg)*)))
    };
}
pub(crate) use outln;

/// Writes a command's output; see [`outln`].
pub fn write_out(args: std::fmt::Arguments) {
    use std::io::Write;
    if let Err(e) = std::io::stdout().write_fmt(args) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        print_error(&format!("writing output: {e}"));
        std::process::exit(Exit::Error as i32);
    }
}

/// Prints an error to standard error.
pub fn print_error(e: &dyn std::fmt::Display) {
    eprintln!("{} {e}", "error:".red().bold());
}

/// Loads the config (explicit, discovered or none) and merges the command line into settings.
pub fn settings(sources: &SourceArgs, overrides: Overrides) -> Result<Settings, Exit> {
    settings_for(sources, overrides, None)
}

/// Like [`settings`], but the config search starts at `checked` (the first path given to `check`):
/// `creeplint check examples/` from a repository root finds `examples/creeplint.toml`. With no config
/// on that path's way up, the search starts again at the working directory.
pub fn settings_for(
    sources: &SourceArgs,
    mut overrides: Overrides,
    checked: Option<&Path>,
) -> Result<Settings, Exit> {
    let cwd = std::env::current_dir().unwrap_or_default();
    let start = checked.map(|p| {
        if p.is_dir() {
            p
        } else {
            p.parent().unwrap_or(Path::new("."))
        }
    });
    let discovered = start
        .and_then(|dir| {
            Config::discover(if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            })
        })
        .or_else(|| Config::discover(&cwd));
    // Without a config file, the project root (which baselines and SARIF paths are relative to)
    // is the git work tree of the checked path or the working directory, else the working
    // directory: `cd emails && creeplint check --baseline ../b.json .` matches entries written at
    // the repository root.
    let project = start
        .and_then(creeplint::paths::git_root)
        .or_else(|| creeplint::paths::git_root(&cwd))
        .unwrap_or_else(|| cwd.clone());
    let config = if sources.no_config {
        Ok(Config::empty(&project))
    } else if let Some(path) = &sources.config {
        Config::load(path)
    } else {
        match discovered {
            Some(path) => Config::load(&path),
            None => Ok(Config::empty(&project)),
        }
    };
    overrides.packs.extend(sources.packs.iter().cloned());
    overrides.no_builtin |= sources.no_builtin;
    config
        .and_then(|c| Settings::resolve(&c, &overrides))
        .map_err(|e| {
            print_error(&e);
            Exit::Error
        })
}

/// Settings and the packs they name: what every command but `check` starts with.
pub fn settings_and_packs(
    sources: &SourceArgs,
    overrides: Overrides,
) -> Result<(Settings, PackSet), Exit> {
    let settings = settings(sources, overrides)?;
    let packs = packs(&settings)?;
    Ok((settings, packs))
}

/// Loads the packs the settings name, printing every error. A selector in the settings that names
/// no loaded rule (a typo in `--select` or the config) is an error for every command, so
/// `rules`, `explain` and `kinds` never run silently on a config `check` would refuse.
pub fn packs(settings: &Settings) -> Result<PackSet, Exit> {
    packs_with(settings, creeplint::lint::load_packs)
}

/// [`packs`] with `load` doing the loading (`lint::load_packs_listing` for `rules`).
pub fn packs_with(
    settings: &Settings,
    load: fn(&Settings) -> Result<PackSet, Vec<Error>>,
) -> Result<PackSet, Exit> {
    let packs = load(settings).map_err(|errors: Vec<Error>| {
        for e in &errors {
            print_error(e);
        }
        Exit::Error
    })?;
    let unknown = settings.unknown_selectors(&creeplint::lint::known_rules(&packs));
    if !unknown.is_empty() {
        for e in &unknown {
            print_error(e);
        }
        return Err(Exit::Error);
    }
    Ok(packs)
}
