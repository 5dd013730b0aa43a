//! `creeplint kinds`: the message kind of each file and the reason for it, so a wrong guess is
//! seen and fixed with one `[[kinds]]` line in creeplint.toml.

use super::{packs, print_error, settings_for, Exit};
use crate::cli::KindsArgs;
use creeplint::config::Overrides;
use creeplint::lint::Linter;
use creeplint::walk::{display_path, walk};
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
    let walked = walk(&args.paths, linter.settings(), false);
    let mut failed = false;
    for e in &walked.errors {
        print_error(e);
        failed = true;
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for path in &walked.files {
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
