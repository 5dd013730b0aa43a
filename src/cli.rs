//! The command line, as clap reads it. This surface is a contract: later versions add to it.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Catch creepy, over-personal marketing copy before it is sent.
#[derive(Debug, Parser)]
#[command(name = "creeplint", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check files or directories for creepy copy.
    Check(CheckArgs),
    /// Explain a rule: why it is creepy, how to rewrite, examples.
    Explain(ExplainArgs),
    /// List the loaded rules, or test packs against their own examples.
    Rules(RulesArgs),
    /// Show the message kind of each file (marketing, transactional, not-a-message) and why.
    Kinds(KindsArgs),
    /// Write a commented starter creeplint.toml in the current directory.
    Init,
    /// Run a language server on standard input and output, for editors (see docs/editors.md).
    Server,
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the JSON Schema of creeplint.toml or of a rule pack (for editors such as Taplo).
    Schema {
        /// Which file's schema.
        #[arg(value_enum)]
        kind: SchemaArg,
    },
}

/// `schema` argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaArg {
    /// creeplint.toml.
    Config,
    /// A rule pack (rules/*.toml, --pack files).
    Pack,
}

/// Where rules and settings come from; shared by every subcommand.
#[derive(Debug, Args, Clone, Default)]
pub struct SourceArgs {
    /// Load an extra rule pack (repeatable).
    #[arg(long = "pack", value_name = "FILE", global = true)]
    pub packs: Vec<PathBuf>,
    /// Use this config file instead of searching for creeplint.toml.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config", global = true)]
    pub config: Option<PathBuf>,
    /// Ignore any creeplint.toml.
    #[arg(long, global = true)]
    pub no_config: bool,
    /// Do not load the built-in packs.
    #[arg(long, global = true)]
    pub no_builtin: bool,
}

/// `kinds` options.
#[derive(Debug, Args)]
pub struct KindsArgs {
    /// Files or directories.
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Rule and config sources.
    #[command(flatten)]
    pub sources: SourceArgs,
}

/// `check` options.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories to check; `-` reads standard input.
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Human)]
    pub format: FormatArg,
    /// When to use colour.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
    /// The lowest severity that makes the run exit 1.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOnArg>,
    /// Only run these rules (ids, pack names or globs such as `body.*`); replaces config `select`.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Option<Vec<String>>,
    /// Do not run these rules (ids, pack names or globs); added to config `ignore`.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Vec<String>,
    /// The file name to report for standard input, which also decides its format.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<PathBuf>,
    /// Skip files larger than this many bytes (default 10 MiB).
    #[arg(long, value_name = "BYTES")]
    pub max_file_size: Option<u64>,
    /// Apply exclude globs to files named on the command line too (for pre-commit).
    #[arg(long)]
    pub force_exclude: bool,
    /// Print only findings and the notes that matter (skipped, unreadable or missing files): no
    /// summary line, no informational notes.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Print how many findings each rule produced instead of the findings.
    #[arg(long)]
    pub statistics: bool,
    /// Hide the findings recorded in this baseline file (overrides `baseline` in creeplint.toml).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the current findings in this baseline file (written atomically) and exit 0.
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,
    /// Report inline `creeplint-disable` directives that suppress nothing (as infos).
    #[arg(long)]
    pub report_unused_directives: bool,
    /// Follow symbolic links in directories (with loop detection); without it each link a walk
    /// meets is skipped with a note.
    #[arg(long, short = 'L')]
    pub follow: bool,
    /// Exit 0 when no file was checked (every path missing, skipped or excluded); by default such
    /// a run exits 2.
    #[arg(long)]
    pub allow_empty: bool,
    /// Print the time spent in each phase (load, walk, read, extract, match, report) to stderr.
    #[arg(long)]
    pub timings: bool,
    /// Rule and config sources.
    #[command(flatten)]
    pub sources: SourceArgs,
}

/// `explain` options.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A rule id (`spend.quoted-total`) or a pack name (`spend`).
    pub rule: String,
    /// Rule and config sources.
    #[command(flatten)]
    pub sources: SourceArgs,
}

/// `rules` options.
#[derive(Debug, Args)]
pub struct RulesArgs {
    /// `list` (the default), `test` or `eval`.
    #[command(subcommand)]
    pub action: Option<RulesAction>,
    /// Rule and config sources.
    #[command(flatten)]
    pub sources: SourceArgs,
}

/// `rules` subcommands.
#[derive(Debug, Subcommand)]
pub enum RulesAction {
    /// List every loaded rule: id, severity, message.
    List,
    /// Run every rule's examples; exit 1 on any failure.
    Test {
        /// Pack names, or pack files to load and test (default: every loaded pack).
        #[arg(id = "pack_names", value_name = "PACK")]
        packs: Vec<String>,
    },
    /// Measure the loaded rules on a labelled corpus (TSV: id, label, category, text).
    ///
    /// Each row is checked as its own message. A row that holds HTML (a tag of a known element
    /// such as `<b>` or `</p>`, or a character reference such as `&#36;`) is read as an HTML
    /// file is; any other row as plain text. Merge tags work in both.
    Eval {
        /// The corpus file.
        #[arg(value_name = "CORPUS")]
        corpus: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = EvalFormatArg::Human)]
        format: EvalFormatArg,
    },
    /// Train a model on labelled corpora (the files `rules eval` reads) and write it to a file,
    /// for a pack rule's `model = "FILE.model"`.
    ///
    /// Each row is read as `rules eval` reads it, with the loaded packs' field kinds; training is
    /// deterministic, so the same corpora give the same file.
    Train {
        /// The corpus files.
        #[arg(value_name = "CORPUS", required = true)]
        corpora: Vec<PathBuf>,
        /// Where to write the model (a `.model` file).
        #[arg(long, short, value_name = "FILE")]
        out: PathBuf,
    },
    /// Print the regex of every selected rule's patterns as the engine runs it, one per line
    /// (for `rg -f` in the benchmark).
    #[command(hide = true)]
    ExportPatterns {
        /// Instead, one line per pattern with its rule, how many literals every match starts
        /// with (`-` when unknown: the pattern scans whole segments) and its literal sets.
        #[arg(long)]
        starts: bool,
    },
}

/// `rules eval --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EvalFormatArg {
    /// Tables and the rows it got wrong, for people.
    Human,
    /// The same figures as a JSON document.
    Json,
}

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Snippets with underlines, for people.
    Human,
    /// One line per finding.
    Concise,
    /// A JSON document.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// GitHub Actions annotations (workflow commands).
    Github,
    /// GitLab Code Quality report (JSON).
    Gitlab,
    /// JUnit XML, one test case per finding (Jenkins and other CI servers).
    Junit,
    /// One self-contained HTML page: summary, and each file's copy with its findings highlighted.
    Html,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    /// Colour on a terminal, unless NO_COLOR is set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// `--fail-on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOnArg {
    /// Errors only.
    Error,
    /// Warnings and errors.
    Warning,
    /// Any finding.
    Info,
    /// Never exit 1 because of findings.
    Never,
}

impl From<FailOnArg> for creeplint::FailOn {
    fn from(v: FailOnArg) -> Self {
        match v {
            FailOnArg::Error => creeplint::FailOn::Error,
            FailOnArg::Warning => creeplint::FailOn::Warning,
            FailOnArg::Info => creeplint::FailOn::Info,
            FailOnArg::Never => creeplint::FailOn::Never,
        }
    }
}
