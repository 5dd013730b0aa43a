//! `creeplint check`.

use super::{packs, print_error, set_color, settings_for, Exit};
use crate::cli::{CheckArgs, FormatArg};
use colored::Colorize;
use creeplint::baseline::{self, Baseline};
use creeplint::config::{absolute, Overrides};
use creeplint::links::LinkIndex;
use creeplint::lint::{FileReport, FileTimings, Linter, Note};
use creeplint::report::human::Human;
use creeplint::report::statistics::Statistics;
use creeplint::report::{OutputFormat, Run};
use creeplint::walk::{display_path, walk};
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
    let packs = match packs(&settings) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let fail_on = settings.fail_on;
    let loaded = Instant::now();
    let mut linter = Linter::new(&packs, settings);
    // Only the human format shows each finding's source line.
    if args.statistics || !matches!(args.format, FormatArg::Human) {
        linter = linter.without_source_lines();
    }
    let built = Instant::now();
    let mut walked_at = built;

    let mut failed = false;
    let files: Vec<FileReport> = if args.paths.iter().any(|p| p == Path::new("-")) {
        if args.paths.len() > 1 {
            print_error(&"`-` (standard input) cannot be combined with other paths");
            return Exit::Error;
        }
        let links = LinkIndex::new(&[], &linter.settings().root);
        let linter = linter.clone().with_links(Arc::new(links));
        vec![check_stdin(&linter, args.stdin_filename.as_deref())]
    } else {
        let mut walked = walk(&args.paths, linter.settings(), args.force_exclude);
        walked_at = Instant::now();
        for e in &walked.errors {
            print_error(e);
            failed = true;
        }
        // A baseline holds creepy phrases itself: never check it.
        let baselines: Vec<PathBuf> = [
            linter.settings().baseline.as_deref(),
            args.write_baseline.as_deref(),
        ]
        .into_iter()
        .flatten()
        .map(absolute)
        .collect();
        walked.files.retain(|p| !baselines.contains(&absolute(p)));
        // A message's layout and partials are looked for among the files being checked.
        let links = LinkIndex::new(&walked.files, &linter.settings().root);
        let linter = linter.clone().with_links(Arc::new(links));
        // Each path is dropped once its file is checked: a large run holds its reports, not also
        // its walk.
        walked
            .files
            .into_par_iter()
            .map(|p| linter.check_file(&p))
            .collect()
    };

    let scanned = Instant::now();
    for f in &files {
        for note in f.notes.iter().filter(|_| !args.quiet) {
            match note {
                Note::Skipped(m) => eprintln!("{} {}: {m}", "note:".cyan().bold(), f.path),
                Note::Warning(m) => eprintln!("{} {}: {m}", "warning:".yellow().bold(), f.path),
            }
        }
        if let Some(e) = &f.error {
            print_error(e);
            failed = true;
        }
    }
    let root = linter.settings().root.clone();
    let mut run = Run { files, root };
    if let Some(path) = &args.write_baseline {
        return write_baseline(path, &run, failed, args.quiet);
    }
    if let Some(path) = &linter.settings().baseline {
        match Baseline::load(path) {
            Ok(b) => {
                let hidden = b.apply(&mut run.files);
                if hidden > 0 && !args.quiet {
                    eprintln!(
                        "{} {hidden} finding(s) hidden by the baseline {}",
                        "note:".cyan().bold(),
                        path.display()
                    );
                }
            }
            Err(e) => {
                print_error(&e);
                return Exit::Error;
            }
        }
    }
    let format = match args.format {
        FormatArg::Human => OutputFormat::Human,
        FormatArg::Concise => OutputFormat::Concise,
        FormatArg::Json => OutputFormat::Json,
        FormatArg::Sarif => OutputFormat::Sarif,
        FormatArg::Github => OutputFormat::Github,
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
    }
    if failed {
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
