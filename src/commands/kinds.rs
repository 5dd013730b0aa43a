//! `creeplint kinds`: the message kind of each file and the reason for it, so a wrong guess is
//! seen and fixed with one `[[kinds]]` line in creeplint.toml.

use super::{packs, print_error, settings_for, Exit};
use crate::cli::KindsArgs;
use creeplint::config::Overrides;
use creeplint::lint::Linter;
use creeplint::outcome::NoteLevel;
use creeplint::walk::{display_path, walk, Entry, WalkOptions};
use std::io::Write;

pub fn run(args: KindsArgs) -> Exit {
    let settings = match settings_for(
        &args.sources,
        Overrides::default(),
        args.paths.first().map(|p| p.as_path()),
    ) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let packs = match packs(&settings) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let linter = Linter::new(&packs, settings);
    let options = WalkOptions {
        force_exclude: false,
        follow: linter.settings().follow,
    };
    let walked = walk(&args.paths, linter.settings(), options);
    let mut failed = false;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for entry in &walked {
        let path = match entry {
            Entry::File(path) => path,
            // A path that is not checked has no kind: say why, as `check` does.
            Entry::NotChecked(report) => {
                if let Some(e) = &report.error {
                    print_error(e);
                    failed = true;
                }
                for note in &report.notes {
                    eprintln!("{}: {}: {note}", note.level().as_str(), report.path);
                    failed |= note.level() == NoteLevel::Error;
                }
                continue;
            }
        };
        match linter.kind_of_file(path) {
            Ok(k) => {
                let line = format!("{}: {} ({})", display_path(path), k.kind, k.reason);
                if writeln!(out, "{line}").is_err() {
                    return Exit::Error;
                }
            }
            Err(e) => {
                print_error(&e);
                failed = true;
            }
        }
    }
    if out.flush().is_err() || failed {
        Exit::Error
    } else {
        Exit::Clean
    }
}
