//! What a run produced, as data: one [`FileReport`] per file, typed [`Note`]s about files that were
//! skipped, read with a caveat or not read at all, and notes about the run itself. The linter, the
//! walk and the baseline produce these types; the report emitters and the binary consume them. No
//! module here depends on the linter.

use crate::error::Error;
use crate::kinds::KindOf;
use crate::severity::Severity;
use crate::Finding;
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// How much a note matters: in every output format it is shown at this level, and an
/// [`NoteLevel::Error`] makes the run exit 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NoteLevel {
    /// For information: the run did its job.
    Info,
    /// Something was not checked, or was checked with a caveat.
    Warning,
    /// The run could not do what it was asked.
    Error,
}

impl NoteLevel {
    /// `info`, `warning` or `error`.
    pub fn as_str(self) -> &'static str {
        match self {
            NoteLevel::Info => "info",
            NoteLevel::Warning => "warning",
            NoteLevel::Error => "error",
        }
    }
}

/// Something worth telling the user that is not a finding. Each kind has a stable
/// [`code`](Note::code), shown in JSON (`notes[].kind`) and SARIF (`descriptor.id`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// Not checked: larger than the size limit.
    TooLarge {
        /// The file's size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// Not checked: a binary file (it holds NUL bytes).
    Binary,
    /// Checked, but it is not valid UTF-8: invalid bytes were read as U+FFFD.
    Lossy,
    /// Checked, but part of it could not be read as its format (malformed JSON, YAML...).
    Malformed {
        /// The 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
        /// The format it was read as.
        format: &'static str,
    },
    /// Not checked: a symbolic link met in a directory walk without `--follow`.
    Symlink,
    /// Not checked: a report creeplint wrote (`--format html`, `json`, `sarif` or `gitlab`), which
    /// quotes the copy it flags; the field names the format.
    OwnReport(&'static str),
    /// Not checked: the path does not exist.
    Missing,
    /// Not checked: the file or directory could not be read.
    Unreadable(String),
    /// A suppression directive names no loaded rule or pack (a typo): it suppresses nothing.
    UnknownRule {
        /// The directive's 1-based line.
        line: usize,
        /// What is wrong, with a did-you-mean.
        message: String,
    },
    /// The run checked no file at all.
    NoFilesChecked {
        /// True when `--allow-empty` (or `allow-empty` in the config) makes that acceptable.
        allowed: bool,
    },
    /// A baseline was given, the run has findings, and the baseline accepted none of them: most
    /// likely it was written from another project root or for other files.
    BaselineMatchedNothing {
        /// The baseline file.
        baseline: String,
        /// How many entries it holds.
        entries: usize,
    },
    /// A baseline hid this many findings.
    BaselineHid {
        /// The baseline file.
        baseline: String,
        /// How many findings it hid.
        hidden: usize,
    },
}

impl Note {
    /// A stable identifier of the kind of note: `skipped-too-large`, `lossy-utf8`...
    pub fn code(&self) -> &'static str {
        match self {
            Note::TooLarge { .. } => "skipped-too-large",
            Note::Binary => "skipped-binary",
            Note::Lossy => "lossy-utf8",
            Note::Malformed { .. } => "malformed",
            Note::Symlink => "skipped-symlink",
            Note::OwnReport(_) => "skipped-own-report",
            Note::Missing => "missing-path",
            Note::Unreadable(_) => "unreadable",
            Note::UnknownRule { .. } => "unknown-rule-in-directive",
            Note::NoFilesChecked { .. } => "no-files-checked",
            Note::BaselineMatchedNothing { .. } => "baseline-matched-nothing",
            Note::BaselineHid { .. } => "baseline-hid-findings",
        }
    }

    /// How much it matters.
    pub fn level(&self) -> NoteLevel {
        match self {
            Note::Missing | Note::Unreadable(_) | Note::UnknownRule { .. } => NoteLevel::Error,
            Note::NoFilesChecked { allowed: false } => NoteLevel::Error,
            Note::BaselineHid { .. } | Note::OwnReport(_) => NoteLevel::Info,
            _ => NoteLevel::Warning,
        }
    }

    /// True when the file it is about was not checked.
    pub fn skips_file(&self) -> bool {
        matches!(
            self,
            Note::TooLarge { .. }
                | Note::Binary
                | Note::Symlink
                | Note::OwnReport(_)
                | Note::Missing
                | Note::Unreadable(_)
        )
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Note::TooLarge { size, limit } => write!(
                f,
                "skipped: {} is larger than the {} limit (raise it with --max-file-size or `max-file-size` in creeplint.toml)",
                human_size(*size),
                human_size(*limit)
            ),
            Note::Binary => f.write_str("skipped: binary file (it contains NUL bytes)"),
            Note::Lossy => f.write_str(
                "not valid UTF-8: invalid bytes were read as U+FFFD and the rest was checked",
            ),
            Note::Malformed {
                line,
                message,
                format,
            } => write!(f, "line {line}: {message} (read as {format})"),
            Note::Symlink => f.write_str(
                "skipped: symbolic link (a directory walk does not follow links; pass --follow, or name the file)",
            ),
            Note::OwnReport(format) => write!(
                f,
                "skipped: a creeplint {format} report (it quotes the copy it flags; creeplint never checks its own output)"
            ),
            Note::Missing => f.write_str("No such file or directory: not checked"),
            Note::Unreadable(why) => f.write_str(why),
            Note::UnknownRule { line, message } => {
                write!(f, "line {line}: creeplint directive: {message}")
            }
            Note::NoFilesChecked { allowed } => {
                f.write_str("no file was checked: every path was missing, skipped or excluded")?;
                if !*allowed {
                    f.write_str(
                        " (this fails the run; pass --allow-empty or set `allow-empty = true` to accept it)",
                    )?;
                }
                Ok(())
            }
            Note::BaselineMatchedNothing { baseline, entries } => write!(
                f,
                "the baseline {baseline} ({entries} entries) matched none of this run's findings: was it written from another folder or project root?"
            ),
            Note::BaselineHid { baseline, hidden } => {
                write!(f, "{hidden} finding(s) hidden by the baseline {baseline}")
            }
        }
    }
}

/// The line in the `<head>` of every `--format html` page by which the linter knows its own
/// reports and skips them ([`Note::OwnReport`]): a report written into the checked folder
/// quotes every creepy phrase it found.
pub const HTML_REPORT_MARK: &str = "<meta name=\"generator\" content=\"creeplint\">";

/// The format of the creeplint report `text` is, if it is one, so it is never checked as copy.
/// An HTML report carries [`HTML_REPORT_MARK`] in its first kilobyte; the JSON formats are known
/// by how each begins (`{"version": 1, "findings": [`, SARIF's `$schema` with creeplint as its
/// driver, GitLab Code Quality's `[{"type": "issue", "check_name":`), whitespace aside.
pub fn own_report_format(text: &str) -> Option<&'static str> {
    let head = &text.as_bytes()[..text.len().min(1024)];
    if memchr::memmem::find(head, HTML_REPORT_MARK.as_bytes()).is_some() {
        return Some("HTML");
    }
    let first = text.trim_start().as_bytes().first();
    if !matches!(first, Some(b'{' | b'[')) {
        return None;
    }
    // The first 200 bytes without whitespace hold every opening checked below.
    let compact: String = text
        .chars()
        .take(200)
        .filter(|c| !c.is_whitespace())
        .collect();
    if compact.starts_with("{\"version\":1,\"findings\":[") {
        return Some("JSON");
    }
    if compact.starts_with("[{\"type\":\"issue\",\"check_name\":") {
        return Some("GitLab Code Quality");
    }
    let sarif =
        compact.starts_with("{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\"");
    if sarif && memchr::memmem::find(text.as_bytes(), b"\"name\": \"creeplint\"").is_some() {
        return Some("SARIF");
    }
    None
}

/// A note with the file it is about, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacedNote<'a> {
    /// The file, as shown in output; `None` for a note about the whole run.
    pub path: Option<&'a str>,
    /// The note.
    pub note: &'a Note,
}

/// The outcome of checking one file.
#[derive(Debug)]
pub struct FileReport {
    /// The file as shown in output.
    pub path: String,
    /// Its findings, sorted by position.
    pub findings: Vec<Finding>,
    /// Notes about it.
    pub notes: Vec<Note>,
    /// The error that stopped it from being checked, if any (boxed: most files have none, and a
    /// large run holds tens of thousands of reports until it prints them).
    pub error: Option<Box<Error>>,
    /// Time spent on it, by phase.
    pub timings: FileTimings,
    /// What kind of message it is, and why; `None` when it was not read.
    pub kind: Option<KindOf>,
}

impl FileReport {
    /// An empty report on `path`.
    pub fn new(path: String) -> Self {
        Self {
            path,
            findings: Vec::new(),
            notes: Vec::new(),
            error: None,
            timings: FileTimings::default(),
            kind: None,
        }
    }

    /// A report on a file that could not be checked because of `error`. A missing file gets a
    /// [`Note::Missing`], any other error a [`Note::Unreadable`].
    pub fn failed(path: String, error: Error) -> Self {
        let mut report = Self::new(path);
        let note = match &error {
            Error::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
                Note::Missing
            }
            Error::Io { source, .. } => Note::Unreadable(source.to_string()),
            other => Note::Unreadable(other.to_string()),
        };
        report.notes.push(note);
        report.error = Some(Box::new(error));
        report
    }

    /// A report on a file skipped with `note`.
    pub fn skipped(path: String, note: Note) -> Self {
        let mut report = Self::new(path);
        report.notes.push(note);
        report
    }

    /// True when the file was read and scanned.
    pub fn checked(&self) -> bool {
        self.error.is_none() && !self.notes.iter().any(Note::skips_file)
    }
}

/// Time spent on one file, by phase; summed over files, it shows where a slow run goes
/// (`check --timings`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FileTimings {
    /// Reading the file from disk.
    pub read: Duration,
    /// Decoding it and extracting its copy into segments.
    pub extract: Duration,
    /// Running the rules and turning matches into findings.
    pub matching: Duration,
}

impl std::ops::AddAssign for FileTimings {
    fn add_assign(&mut self, other: FileTimings) {
        self.read += other.read;
        self.extract += other.extract;
        self.matching += other.matching;
    }
}

/// Counts for the summary line and the JSON `summary` object.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// Files read and scanned.
    pub files_checked: usize,
    /// Files not checked, with a note (binary, too large, symbolic link).
    pub files_skipped: usize,
    /// Paths that could not be read (missing, unreadable).
    pub files_failed: usize,
    /// All findings.
    pub findings: usize,
    /// Findings of severity error.
    pub errors: usize,
    /// Findings of severity warning.
    pub warnings: usize,
    /// Findings of severity info.
    pub infos: usize,
    /// Notes about files or the run, of any level.
    pub notes: usize,
}

/// Everything a run produced, in output order.
#[derive(Debug)]
pub struct Run {
    /// One report per file, in the order files were named or walked.
    pub files: Vec<FileReport>,
    /// Notes about the run as a whole (no file checked, a baseline that matched nothing).
    pub notes: Vec<Note>,
    /// The project root (the config file's directory, else the git root, else the working
    /// directory): machine formats give paths relative to it.
    pub root: PathBuf,
}

impl Run {
    /// Every finding, file by file.
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.files.iter().flat_map(|f| f.findings.iter())
    }

    /// Every note: the files' notes in file order, then the run's own.
    pub fn all_notes(&self) -> impl Iterator<Item = PlacedNote<'_>> {
        self.files
            .iter()
            .flat_map(|f| {
                f.notes.iter().map(|note| PlacedNote {
                    path: Some(f.path.as_str()),
                    note,
                })
            })
            .chain(
                self.notes
                    .iter()
                    .map(|note| PlacedNote { path: None, note }),
            )
    }

    /// True when some note is an error: the run did not do all it was asked.
    pub fn has_error_notes(&self) -> bool {
        self.all_notes().any(|n| n.note.level() == NoteLevel::Error)
    }

    /// The counts.
    pub fn summary(&self) -> Summary {
        let mut s = Summary::default();
        for f in &self.files {
            if f.error.is_some() {
                s.files_failed += 1;
            } else if f.notes.iter().any(Note::skips_file) {
                s.files_skipped += 1;
            } else {
                s.files_checked += 1;
            }
            for finding in &f.findings {
                s.findings += 1;
                match finding.severity {
                    Severity::Error => s.errors += 1,
                    Severity::Warning => s.warnings += 1,
                    Severity::Info => s.infos += 1,
                }
            }
        }
        s.notes = self.all_notes().count();
        s
    }
}

/// A byte count for people: `10 MiB`, `1.5 KiB`, `12 bytes`.
pub fn human_size(bytes: u64) -> String {
    const UNITS: &[(&str, u64)] = &[("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];
    for (unit, size) in UNITS {
        if bytes >= *size {
            let v = bytes as f64 / *size as f64;
            return if v.fract() == 0.0 {
                format!("{v:.0} {unit}")
            } else {
                format!("{v:.1} {unit}")
            };
        }
    }
    format!("{bytes} bytes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_path_is_a_failed_file_with_an_error_note() {
        let missing = FileReport::failed(
            "gone.txt".into(),
            Error::io("gone.txt", std::io::ErrorKind::NotFound.into()),
        );
        assert_eq!(missing.notes, [Note::Missing]);
        assert!(!missing.checked());
        let skipped = FileReport::skipped("a.bin".into(), Note::Binary);
        let run = Run {
            files: vec![missing, skipped, FileReport::new("ok.txt".into())],
            notes: vec![],
            root: PathBuf::from("/"),
        };
        let s = run.summary();
        assert_eq!(
            (s.files_checked, s.files_skipped, s.files_failed, s.notes),
            (1, 1, 1, 2)
        );
        assert!(run.has_error_notes(), "a missing path is an error");
    }

    #[test]
    fn levels_decide_what_fails_the_run() {
        assert_eq!(Note::Binary.level(), NoteLevel::Warning);
        assert_eq!(Note::Lossy.level(), NoteLevel::Warning);
        assert_eq!(
            Note::NoFilesChecked { allowed: false }.level(),
            NoteLevel::Error
        );
        assert_eq!(
            Note::NoFilesChecked { allowed: true }.level(),
            NoteLevel::Warning
        );
    }
}
