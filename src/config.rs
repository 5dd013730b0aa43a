//! `creeplint.toml`: discovery upward from the working directory, parsing with file:line errors,
//! and merging with the command line (defaults < file < flags).

use crate::error::{Error, Location};
use crate::select::{parse_selectors, KnownRules, RuleFilter, Selector};
use crate::severity::{FailOn, Severity};
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

/// Names a config file may have, in order of preference within one directory.
pub const CONFIG_NAMES: &[&str] = &["creeplint.toml", ".creeplint.toml"];

/// The commented starter config `creeplint init` writes. It must load cleanly (a test checks).
pub const STARTER_CONFIG: &str = include_str!("starter.toml");

/// Files over this size are skipped with a note unless the limit is raised.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// Files a directory walk never checks unless `include` names them: manifests and lock files are
/// JSON and YAML, but not copy.
pub const DEFAULT_EXCLUDE: &[&str] = &[
    "**/package.json",
    "**/package-lock.json",
    "**/npm-shrinkwrap.json",
    "**/pnpm-lock.yaml",
    "**/yarn.lock",
    "**/composer.json",
    "**/composer.lock",
    "**/tsconfig*.json",
    "**/jsconfig*.json",
    "**/*.lock",
    "**/*.min.js",
    "**/*.map",
];

/// The `creeplint.toml` schema.
#[derive(Debug, Deserialize, Default, Clone, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConfigFile {
    /// Extra pack files, relative to the config file.
    #[serde(default)]
    pub packs: Vec<String>,
    /// Load the built-in packs (default true).
    pub builtin: Option<bool>,
    /// Rules to run (ids, pack names, globs); empty means all.
    #[serde(default)]
    pub select: Vec<String>,
    /// Rules not to run.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Severity overrides by rule id, pack name or glob.
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
    /// The lowest severity that fails the run.
    pub fail_on: Option<FailOn>,
    /// Globs (relative to the config file) of files to check in a directory walk, in addition to the
    /// known copy extensions.
    #[serde(default)]
    pub include: Vec<String>,
    /// Globs of files and directories never to check in a walk.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Files larger than this many bytes are skipped with a note.
    pub max_file_size: Option<u64>,
    /// A baseline file (relative to the config file) whose findings are hidden.
    pub baseline: Option<String>,
    /// Report inline directives that suppress nothing (as `creeplint.unused-directive` infos).
    pub report_unused_directives: Option<bool>,
    /// Accept a run that checks no file (by default it exits 2).
    pub allow_empty: Option<bool>,
    /// Follow symbolic links in a directory walk (by default each is skipped with a note).
    pub follow: Option<bool>,
    /// Settings for some paths only (`transactional/**` may quote order totals).
    #[serde(default)]
    pub overrides: Vec<OverrideFile>,
    /// Message kinds by path (`receipts/** = transactional`), before front matter and guessing.
    #[serde(default)]
    pub kinds: Vec<KindsFile>,
}

/// One `[[kinds]]` table: the files its `paths` globs match are of `kind`.
#[derive(Debug, Deserialize, Clone, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct KindsFile {
    /// Globs relative to the config file, with the same conventions as `exclude`.
    pub paths: Vec<String>,
    /// `marketing`, `transactional`, `not-a-message` or `docs`.
    pub kind: crate::kinds::Kind,
}

/// One `[[overrides]]` table: settings that apply to the files its `paths` globs match.
#[derive(Debug, Deserialize, Default, Clone, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct OverrideFile {
    /// Globs relative to the config file, with the same conventions as `exclude`.
    pub paths: Vec<String>,
    /// Replaces `select` for these files.
    pub select: Option<Vec<String>>,
    /// Added to `ignore` for these files.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Severity overrides for these files, applied after the top-level ones.
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
}

/// A compiled `[[overrides]]` table.
#[derive(Debug, Clone)]
pub struct PathOverride {
    /// Which files it applies to (relative to the settings root).
    pub paths: GlobSet,
    /// Replaces the top-level `select` when set.
    pub select: Option<Vec<Selector>>,
    /// Added to the top-level `ignore`.
    pub ignore: Vec<Selector>,
    /// Severity overrides, after the top-level ones.
    pub severity: Vec<(Selector, Severity)>,
}

/// The selectors of a config file with their byte spans, read only to point an error at the
/// line and column of a selector; every other setting is ignored here.
#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
struct SelectorSpans {
    #[serde(default)]
    select: Vec<toml::Spanned<String>>,
    #[serde(default)]
    ignore: Vec<toml::Spanned<String>>,
    #[serde(default)]
    severity: BTreeMap<toml::Spanned<String>, toml::Value>,
    #[serde(default)]
    overrides: Vec<SelectorSpans>,
}

impl SelectorSpans {
    /// The byte offset of the first selector spelled `value`, in file order.
    fn offset_of(&self, value: &str) -> Option<usize> {
        let own = self
            .select
            .iter()
            .chain(&self.ignore)
            .chain(self.severity.keys())
            .filter(|s| s.get_ref() == value)
            .map(|s| s.span().start);
        let nested = self.overrides.iter().filter_map(|o| o.offset_of(value));
        own.chain(nested).min()
    }
}

/// The rules and severities in force for one file, after `[[overrides]]`.
#[derive(Debug, Clone)]
pub struct PathSettings {
    /// Which rules report findings in this file.
    pub filter: RuleFilter,
    /// Severity overrides, later entries winning.
    pub severity: Vec<(Selector, Severity)>,
}

impl PathSettings {
    /// The severity of a rule in this file.
    pub fn severity_of(&self, rule: &crate::pack::RuleInfo) -> Severity {
        severity_in(&self.severity, rule)
    }
}

/// A rule's severity under a list of overrides (the last matching entry wins), else its default.
fn severity_in(overrides: &[(Selector, Severity)], rule: &crate::pack::RuleInfo) -> Severity {
    overrides
        .iter()
        .rev()
        .find(|(s, _)| s.matches(rule))
        .map_or(rule.severity, |(_, sev)| *sev)
}

/// A loaded config file and the directory its relative paths are resolved against.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file, if one was found.
    pub path: Option<PathBuf>,
    /// The project root, which globs, pack paths, baseline entries and SARIF URIs are relative to:
    /// the config file's directory, else the git work tree, else the working directory.
    pub root: PathBuf,
    /// The parsed settings.
    pub file: ConfigFile,
    /// The file's text, to point errors about its values at a line.
    pub text: String,
}

impl Config {
    /// Finds a config file in `start` or the nearest ancestor that has one.
    pub fn discover(start: &Path) -> Option<PathBuf> {
        let start = absolute(start);
        start.ancestors().find_map(|dir| {
            CONFIG_NAMES
                .iter()
                .map(|name| dir.join(name))
                .find(|p| p.is_file())
        })
    }

    /// Loads a config file.
    pub fn load(path: &Path) -> Result<Config, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let file: ConfigFile = toml::from_str(&text).map_err(|e| {
            let location = match e.span() {
                Some(span) => Location::at_offset(path, &text, span.start),
                None => Location::file(path),
            };
            Error::config(location, e.message().trim().to_string())
        })?;
        let path = absolute(path);
        let root = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Ok(Config {
            path: Some(path),
            root,
            file,
            text,
        })
    }

    /// No config file: defaults, with paths relative to `root` (the git work tree, else the
    /// working directory).
    pub fn empty(root: &Path) -> Config {
        Config {
            path: None,
            root: absolute(root),
            file: ConfigFile::default(),
            text: String::new(),
        }
    }

    /// Where `value` is written in the file: the first selector (in `select`, `ignore`, a
    /// `[severity]` key or an `[[overrides]]` table) spelled `value`, found through the TOML
    /// parser's spans so a comment or another setting holding the same text is never taken for
    /// it; else the file without a line (else the command line when there is no file).
    fn locate(&self, value: &str) -> Location {
        let Some(path) = &self.path else {
            return Location::file("<command line>");
        };
        let found = toml::from_str::<SelectorSpans>(&self.text)
            .ok()
            .and_then(|spans| spans.offset_of(value));
        match found {
            Some(offset) => Location::at_offset(path.clone(), &self.text, offset),
            None => Location::file(path.clone()),
        }
    }

    fn error(&self, message: String) -> Error {
        Error::config(
            Location::file(
                self.path
                    .clone()
                    .unwrap_or_else(|| PathBuf::from("<command line>")),
            ),
            message,
        )
    }
}

/// What the command line says about settings the config file also holds; `None` and empty lists
/// leave the file's value in force.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// Extra pack files (added to the config's).
    pub packs: Vec<PathBuf>,
    /// Replaces the config's `select`.
    pub select: Option<Vec<String>>,
    /// Added to the config's `ignore`.
    pub ignore: Vec<String>,
    /// Replaces `fail-on`.
    pub fail_on: Option<FailOn>,
    /// Replaces `max-file-size`.
    pub max_file_size: Option<u64>,
    /// Turns the built-in packs off.
    pub no_builtin: bool,
    /// Replaces `baseline`.
    pub baseline: Option<PathBuf>,
    /// Turns on reporting of unused directives.
    pub report_unused_directives: bool,
    /// `--allow-empty`.
    pub allow_empty: bool,
    /// `--follow`.
    pub follow: bool,
}

/// Settings in force for a run: config file merged with the command line.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Directory that include/exclude globs are relative to.
    pub root: PathBuf,
    /// Pack files to load besides the built-in ones.
    pub packs: Vec<PathBuf>,
    /// Load the built-in packs.
    pub builtin: bool,
    /// Which rules run.
    pub filter: RuleFilter,
    /// Severity overrides, later entries winning.
    pub severity: Vec<(Selector, Severity)>,
    /// Exit-code threshold.
    pub fail_on: FailOn,
    /// Extra files a walk checks.
    pub include: GlobSet,
    /// Files a walk skips.
    pub exclude: GlobSet,
    /// Size limit in bytes.
    pub max_file_size: u64,
    /// Baseline file whose findings are hidden.
    pub baseline: Option<PathBuf>,
    /// Report directives that suppress nothing.
    pub report_unused_directives: bool,
    /// A run that checks no file passes (else it exits 2).
    pub allow_empty: bool,
    /// Follow symbolic links in a directory walk.
    pub follow: bool,
    /// Per-path settings, in file order.
    pub overrides: Vec<PathOverride>,
    /// Every selector the settings hold, with where it was written: a selector that names no
    /// loaded rule is an error (see [`Settings::unknown_selectors`]).
    pub selectors: Vec<NamedSelector>,
    /// Message kinds by path, in file order (the last match wins).
    pub kinds: Vec<crate::kinds::KindRule>,
}

/// A selector and where it was written.
#[derive(Debug, Clone)]
pub struct NamedSelector {
    /// The selector.
    pub selector: Selector,
    /// The setting: `select`, `--ignore`, `severity`, `overrides[0].select`...
    pub setting: String,
    /// The config file and line, or `None` for the command line.
    pub location: Option<Location>,
}

impl Settings {
    /// Merges a config and command-line overrides.
    pub fn resolve(config: &Config, cli: &Overrides) -> Result<Settings, Error> {
        let file = &config.file;
        let mut packs: Vec<PathBuf> = file.packs.iter().map(|p| config.root.join(p)).collect();
        packs.extend(cli.packs.iter().cloned());
        let select_src = cli.select.clone().unwrap_or_else(|| file.select.clone());
        let mut ignore_src = file.ignore.clone();
        ignore_src.extend(cli.ignore.iter().cloned());
        let filter = RuleFilter {
            select: parse_selectors(&select_src).map_err(|m| config.error(m))?,
            ignore: parse_selectors(&ignore_src).map_err(|m| config.error(m))?,
        };
        let severity = file
            .severity
            .iter()
            .map(|(k, v)| Selector::new(k).map(|s| (s, *v)))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|m| config.error(m))?;
        let include = glob_set(&file.include).map_err(|m| config.error(m))?;
        let mut exclude_src: Vec<String> = DEFAULT_EXCLUDE.iter().map(|s| s.to_string()).collect();
        exclude_src.extend(file.exclude.iter().cloned());
        let exclude = glob_set(&exclude_src).map_err(|m| config.error(m))?;
        let overrides = file
            .overrides
            .iter()
            .enumerate()
            .map(|(i, o)| {
                compile_override(o).map_err(|m| config.error(format!("overrides[{i}]: {m}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut selectors = Vec::new();
        let mut name = |items: &[String], setting: &str, from_cli: bool| -> Result<(), Error> {
            for item in items {
                let selector = Selector::new(item).map_err(|m| config.error(m))?;
                selectors.push(NamedSelector {
                    selector,
                    setting: setting.to_string(),
                    location: (!from_cli).then(|| config.locate(item)),
                });
            }
            Ok(())
        };
        match &cli.select {
            Some(select) => name(select, "--select", true)?,
            None => name(&file.select, "select", false)?,
        }
        name(&file.ignore, "ignore", false)?;
        name(&cli.ignore, "--ignore", true)?;
        let keys: Vec<String> = file.severity.keys().cloned().collect();
        name(&keys, "severity", false)?;
        for (i, o) in file.overrides.iter().enumerate() {
            if let Some(select) = &o.select {
                name(select, &format!("overrides[{i}].select"), false)?;
            }
            name(&o.ignore, &format!("overrides[{i}].ignore"), false)?;
            let keys: Vec<String> = o.severity.keys().cloned().collect();
            name(&keys, &format!("overrides[{i}].severity"), false)?;
        }
        let kinds =
            file.kinds
                .iter()
                .enumerate()
                .map(|(i, k)| {
                    if k.paths.is_empty() {
                        return Err(config
                            .error(format!("kinds[{i}]: `paths` must name at least one glob")));
                    }
                    Ok(crate::kinds::KindRule {
                        globs: k.paths.clone(),
                        paths: glob_set(&k.paths)
                            .map_err(|m| config.error(format!("kinds[{i}]: {m}")))?,
                        kind: k.kind,
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
        Ok(Settings {
            kinds,
            root: config.root.clone(),
            packs,
            builtin: file.builtin.unwrap_or(true) && !cli.no_builtin,
            filter,
            severity,
            fail_on: cli.fail_on.or(file.fail_on).unwrap_or_default(),
            include,
            exclude,
            max_file_size: cli
                .max_file_size
                .or(file.max_file_size)
                .unwrap_or(DEFAULT_MAX_FILE_SIZE),
            baseline: cli
                .baseline
                .clone()
                .or_else(|| file.baseline.as_ref().map(|b| config.root.join(b))),
            report_unused_directives: cli.report_unused_directives
                || file.report_unused_directives.unwrap_or(false),
            allow_empty: cli.allow_empty || file.allow_empty.unwrap_or(false),
            follow: cli.follow || file.follow.unwrap_or(false),
            overrides,
            selectors,
        })
    }

    /// The rules and severities in force for a file (`rel_path` relative to the settings root), or
    /// `None` when no `[[overrides]]` table applies and the top-level settings hold as they are.
    pub fn for_path(&self, rel_path: &str) -> Option<PathSettings> {
        let mut matching = self
            .overrides
            .iter()
            .filter(|o| o.paths.is_match(rel_path))
            .peekable();
        matching.peek()?;
        let mut filter = self.filter.clone();
        let mut severity = self.severity.clone();
        for o in matching {
            if let Some(select) = &o.select {
                filter.select = select.clone();
            }
            filter.ignore.extend(o.ignore.iter().cloned());
            severity.extend(o.severity.iter().cloned());
        }
        Some(PathSettings { filter, severity })
    }

    /// True when a rule may report findings in some file: selected at the top level or by an
    /// override. Rules that can never report are not compiled into the engine.
    pub fn rule_may_run(&self, rule: &crate::pack::RuleInfo) -> bool {
        self.filter.allows(rule)
            || self.overrides.iter().any(|o| {
                let mut f = self.filter.clone();
                if let Some(select) = &o.select {
                    f.select = select.clone();
                }
                f.ignore.extend(o.ignore.iter().cloned());
                f.allows(rule)
            })
    }

    /// An error for every selector that names no rule or pack in `known`, with the file and line
    /// it was written on and the closest name.
    pub fn unknown_selectors(&self, known: &KnownRules) -> Vec<Error> {
        self.selectors
            .iter()
            .filter(|n| !known.knows(&n.selector))
            .map(|n| {
                let message = format!(
                    "{}: {}",
                    n.setting,
                    known.unknown_message(n.selector.as_str())
                );
                match &n.location {
                    Some(location) => Error::config(location.clone(), message),
                    None => Error::Usage(message),
                }
            })
            .collect()
    }

    /// The severity of a rule after overrides.
    pub fn severity_of(&self, rule: &crate::pack::RuleInfo) -> Severity {
        severity_in(&self.severity, rule)
    }
}

fn compile_override(o: &OverrideFile) -> Result<PathOverride, String> {
    if o.paths.is_empty() {
        return Err("`paths` must name at least one glob".into());
    }
    Ok(PathOverride {
        paths: glob_set(&o.paths)?,
        select: o.select.as_deref().map(parse_selectors).transpose()?,
        ignore: parse_selectors(&o.ignore)?,
        severity: o
            .severity
            .iter()
            .map(|(k, v)| Selector::new(k).map(|s| (s, *v)))
            .collect::<Result<Vec<_>, _>>()?,
    })
}

/// Compiles path globs. A glob without a `/` matches at any depth (`*.json`), like `.gitignore`;
/// a directory glob `drafts/` or `drafts` matches everything under it.
pub fn glob_set(globs: &[String]) -> Result<GlobSet, String> {
    let mut b = GlobSetBuilder::new();
    for g in globs {
        let trimmed = g.trim_end_matches('/');
        let base = if trimmed.contains('/') {
            trimmed.trim_start_matches("./").to_string()
        } else {
            format!("**/{trimmed}")
        };
        for pattern in [base.clone(), format!("{base}/**")] {
            let glob = GlobBuilder::new(&pattern)
                .literal_separator(true)
                .build()
                .map_err(|e| format!("invalid glob `{g}`: {e}"))?;
            b.add(glob);
        }
    }
    b.build().map_err(|e| e.to_string())
}

/// `path` made absolute against the working directory, with `.` and `..` resolved lexically
/// (no file-system access, so it works for paths that do not exist).
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starter_config_loads_and_resolves() {
        let file: ConfigFile = toml::from_str(STARTER_CONFIG).expect("starter parses");
        let config = Config {
            path: None,
            root: PathBuf::from("/repo"),
            file,
            text: String::new(),
        };
        let settings = Settings::resolve(&config, &Overrides::default()).expect("starter resolves");
        assert_eq!(settings.fail_on, FailOn::Warning);
        // Uncommenting the documented override must also load.
        let uncommented = STARTER_CONFIG
            .lines()
            .skip_while(|l| !l.starts_with("# [[overrides]]"))
            .map(|l| l.trim_start_matches("# "))
            .collect::<Vec<_>>()
            .join("\n");
        let file: ConfigFile = toml::from_str(&uncommented).expect("override example parses");
        let config = Config {
            path: None,
            root: PathBuf::from("/repo"),
            file,
            text: String::new(),
        };
        let settings = Settings::resolve(&config, &Overrides::default()).unwrap();
        assert_eq!(settings.overrides.len(), 1);
        // So must the documented `[[kinds]]` table.
        let kinds = STARTER_CONFIG
            .lines()
            .skip_while(|l| !l.starts_with("# [[kinds]]"))
            .take_while(|l| !l.is_empty())
            .map(|l| l.trim_start_matches("# "))
            .collect::<Vec<_>>()
            .join("\n");
        let file: ConfigFile = toml::from_str(&kinds).expect("kinds example parses");
        let config = Config {
            path: None,
            root: PathBuf::from("/repo"),
            file,
            text: kinds.clone(),
        };
        let settings = Settings::resolve(&config, &Overrides::default()).unwrap();
        assert_eq!(settings.kinds.len(), 1);
        assert_eq!(settings.kinds[0].kind, crate::kinds::Kind::Transactional);
    }

    #[test]
    fn globs_follow_gitignore_conventions() {
        let set =
            glob_set(&["*.json".into(), "transactional/**".into(), "drafts/".into()]).unwrap();
        assert!(set.is_match("a/b/c.json"));
        assert!(set.is_match("transactional/receipt.html"));
        assert!(set.is_match("drafts/x/y.md"));
        assert!(!set.is_match("emails/receipt.html"));
    }
}
