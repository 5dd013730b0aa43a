//! `creeplint check`.

use super::{packs, print_error, set_color, settings_for, Exit};
use crate::cli::{CheckArgs, FormatArg};
use colored::Colorize;
use creeplint::baseline::{self, Baseline};
use creeplint::config::{absolute, Overrides};
use creeplint::links::LinkIndex;
use creeplint::lint::Linter;
use creeplint::outcome::{FileReport, FileTimings, Note, NoteLevel, PlacedNote};
use creeplint::report::human::Human;
use creeplint::report::statistics::Statistics;
use creeplint::report::{OutputFormat, Run};
use creeplint::walk::{display_path, walk, Entry, WalkOptions};
use rayon::prelude::*;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub fn run(args: CheckArgs) -> Exit {
    let started = Instant::now();
    set_color(args.color);
    let overrides = Overrides {
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        fail_on: args.fail_on.map(Into::into),
        max_file_size: args.max_file_size,
        baseline: args.baseline.clone(),
        report_unused_directives: args.report_unused_directives,
        allow_empty: args.allow_empty,
        follow: args.follow,
        ..Overrides::default()
    };
    let checked = match args.paths.first() {
        Some(p) if p.as_os_str() == "-" => args.stdin_filename.as_deref(),
        other => other.map(PathBuf::as_path),
    };
    let settings = match settings_for(&args.sources, overrides, checked) {
        Ok(s) => s,
        Err(code) => return code,
    };
    // The packs and the linter live until the process exits: freeing hundreds of compiled
    // patterns one by one costs more than a pre-commit run's scan (docs/speed.md, fourth round).
    let packs = std::mem::ManuallyDrop::new(match packs(&settings) {
        Ok(p) => p,
        Err(code) => return code,
    });
    let fail_on = settings.fail_on;
    let loaded = Instant::now();
    let mut linter = Linter::new(&packs, settings);
    // Only the human format shows each finding's source line (and the HTML page, for a file it
    // cannot read again).
    if args.statistics || !matches!(args.format, FormatArg::Human | FormatArg::Html) {
        linter = linter.without_source_lines();
    }
    let mut linter = std::mem::ManuallyDrop::new(linter);
    let built = Instant::now();
    let mut walked_at = built;

    let files: Vec<FileReport> = if args.paths.iter().any(|p| p == Path::new("-")) {
        if args.paths.len() > 1 {
            print_error(&"`-` (standard input) cannot be combined with other paths");
            return Exit::Error;
        }
        let links = LinkIndex::new(&[], &linter.settings().root);
        linter.set_links(Arc::new(links));
        vec![check_stdin(&linter, args.stdin_filename.as_deref())]
    } else {
        let options = WalkOptions {
            force_exclude: args.force_exclude,
            follow: linter.settings().follow,
        };
        let mut walked = walk(&args.paths, linter.settings(), options);
        walked_at = Instant::now();
        // A baseline holds creepy phrases itself: never check it.
        let baselines: Vec<PathBuf> = [
            linter.settings().baseline.as_deref(),
            args.write_baseline.as_deref(),
        ]
        .into_iter()
        .flatten()
        .map(absolute)
        .collect();
        walked.retain(|e| !matches!(e, Entry::File(p) if baselines.contains(&absolute(p))));
        // A message's layout and partials are looked for among the files being checked.
        let files: Vec<PathBuf> = walked
            .iter()
            .filter_map(|e| match e {
                Entry::File(p) => Some(p.clone()),
                Entry::NotChecked(_) => None,
            })
            .collect();
        let links = LinkIndex::new(&files, &linter.settings().root);
        linter.set_links(Arc::new(links));
        // Each path is dropped once its file is checked: a large run holds its reports, not also
        // its walk.
        walked
            .into_par_iter()
            .map(|e| match e {
                Entry::File(p) => linter.check_file(&p),
                Entry::NotChecked(report) => report,
            })
            .collect()
    };

    let scanned = Instant::now();
    let root = linter.settings().root.clone();
    let mut run = Run {
        files,
        notes: Vec::new(),
        root,
    };
    if let Some(path) = &args.write_baseline {
        print_notes(&run, args.quiet);
        let failed = run.has_error_notes();
        return write_baseline(path, &run, failed, args.quiet);
    }
    if let Some(path) = &linter.settings().baseline {
        match Baseline::load(path) {
            Ok(b) => {
                let before = run.findings().count();
                let hidden = b.apply(&mut run.files);
                let shown = display_path(path);
                if hidden > 0 {
                    run.notes.push(Note::BaselineHid {
                        baseline: shown,
                        hidden,
                    });
                } else if before > 0 {
                    run.notes.push(Note::BaselineMatchedNothing {
                        baseline: shown,
                        entries: b.len(),
                    });
                }
            }
            Err(e) => {
                print_error(&e);
                return Exit::Error;
            }
        }
    }
    if !run.files.iter().any(FileReport::checked) {
        run.notes.push(Note::NoFilesChecked {
            allowed: linter.settings().allow_empty,
        });
    }
    print_notes(&run, args.quiet);
    let format = match args.format {
        FormatArg::Human => OutputFormat::Human,
        FormatArg::Concise => OutputFormat::Concise,
        FormatArg::Json => OutputFormat::Json,
        FormatArg::Sarif => OutputFormat::Sarif,
        FormatArg::Github => OutputFormat::Github,
        FormatArg::Gitlab => OutputFormat::Gitlab,
        FormatArg::Junit => OutputFormat::Junit,
        FormatArg::Html => OutputFormat::Html,
    };
    let emitter: Box<dyn creeplint::report::Emitter> = if args.statistics {
        Box::new(Statistics {
            json: matches!(format, OutputFormat::Json | OutputFormat::Sarif),
        })
    } else if format == OutputFormat::Human && args.quiet {
        Box::new(Human { summary: false })
    } else {
        format.emitter()
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let written = emitter.emit(&run, &mut out).and_then(|_| out.flush());
    if let Err(e) = written {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            print_error(&format!("writing output: {e}"));
            return Exit::Error;
        }
    }
    if args.timings {
        let mut per_file = FileTimings::default();
        for f in &run.files {
            per_file += f.timings;
        }
        print_timings(
            &[
                ("config + pack load", loaded - started),
                ("engine build", built - loaded),
                ("walk", walked_at - built),
                ("read + extract + match", scanned - walked_at),
                ("report", scanned.elapsed()),
            ],
            per_file,
            started.elapsed(),
        );
        let large = linter.engine().large_run_bytes();
        if large > 0 {
            eprintln!(
                "engine mode: large-run sets searched {} of copy",
                creeplint::outcome::human_size(large as u64)
            );
        } else {
            eprintln!("engine mode: small-run literals only");
        }
    }
    if run.has_error_notes() {
        Exit::Error
    } else if run.findings().any(|f| fail_on.fails(f.severity)) {
        Exit::Findings
    } else {
        Exit::Clean
    }
}

/// `--write-baseline`: records every current finding, then exits 0 (2 if some file failed).
fn write_baseline(path: &Path, run: &Run, failed: bool, quiet: bool) -> Exit {
    let entries = baseline::entries(&run.files, &run.root);
    let n = entries.len();
    if let Err(e) = baseline::write(path, entries) {
        print_error(&e);
        return Exit::Error;
    }
    if !quiet {
        eprintln!(
            "{} wrote {n} finding(s) to the baseline {}",
            "note:".cyan().bold(),
            path.display()
        );
    }
    if failed {
        Exit::Error
    } else {
        Exit::Clean
    }
}

/// `--timings`: wall time per phase, then the scan's time by phase, summed over worker threads
/// (each thread's time inside a phase, so it exceeds the wall time of a parallel scan).
fn print_timings(phases: &[(&str, Duration)], per_file: FileTimings, total: Duration) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    eprintln!("timings (wall clock):");
    for (name, d) in phases {
        eprintln!("  {name:<24} {:>9.1} ms", ms(*d));
    }
    eprintln!("  {:<24} {:>9.1} ms", "total", ms(total));
    eprintln!(
        "scan phases, time summed over {} worker threads:",
        rayon::current_num_threads()
    );
    for (name, d) in [
        ("read", per_file.read),
        ("decode + extract", per_file.extract),
        ("match + findings", per_file.matching),
    ] {
        eprintln!("  {name:<24} {:>9.1} ms", ms(d));
    }
}

/// Prints every note of the run to standard error, whatever the format (machine formats carry
/// them too): warnings and errors even with `--quiet`, which hides only informational notes.
fn print_notes(run: &Run, quiet: bool) {
    for PlacedNote { path, note } in run.all_notes() {
        let level = note.level();
        if quiet && level == NoteLevel::Info {
            continue;
        }
        let head = match level {
            NoteLevel::Info => "note:".cyan().bold(),
            NoteLevel::Warning => "warning:".yellow().bold(),
            NoteLevel::Error => "error:".red().bold(),
        };
        match path {
            Some(path) => eprintln!("{head} {path}: {note}"),
            None => eprintln!("{head} {note}"),
        }
    }
}

fn check_stdin(linter: &Linter, name: Option<&Path>) -> FileReport {
    let mut bytes = Vec::new();
    let name: PathBuf = name.map_or_else(|| PathBuf::from("-"), Path::to_path_buf);
    // Never hold more than the size limit (plus the one byte that shows it was passed) in memory.
    let limit = linter.settings().max_file_size.saturating_add(1);
    if let Err(e) = std::io::stdin().lock().take(limit).read_to_end(&mut bytes) {
        let mut report = linter.check_bytes(display_path(&name), b"", &name);
        report.error = Some(Box::new(creeplint::Error::io("<stdin>", e)));
        return report;
    }
    linter.check_bytes(display_path(&name), &bytes, &name)
}
