//! `creeplint init`: writes a commented starter `creeplint.toml` in the current directory, and
//! refuses to replace an existing config file.

use super::{print_error, Exit};
use colored::Colorize;
use creeplint::config::{CONFIG_NAMES, STARTER_CONFIG};
use std::io::Write;

pub fn run() -> Exit {
    if let Some(existing) = CONFIG_NAMES
        .iter()
        .find(|name| std::path::Path::new(name).exists())
    {
        print_error(&format!(
            "{existing} already exists here; creeplint init does not overwrite it"
        ));
        return Exit::Error;
    }
    let path = CONFIG_NAMES[0];
    // `create_new` fails if the file appeared meanwhile: never clobber a config.
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .and_then(|mut f| f.write_all(STARTER_CONFIG.as_bytes()));
    match written {
        Ok(()) => {
            eprintln!("{} wrote {path}", "created:".green().bold());
            Exit::Clean
        }
        Err(e) => {
            print_error(&format!("{path}: {e}"));
            Exit::Error
        }
    }
}
