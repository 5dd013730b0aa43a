//! The library's error type. Every error names where it happened: a file, and a line and column
//! where one is known.

use std::fmt;
use std::path::PathBuf;

/// A location in a file that an error points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file.
    pub path: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
}

impl Location {
    /// A location with no line.
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            line: None,
            column: None,
        }
    }

    /// A location at a byte offset of `text`, the contents of `path`.
    pub fn at_offset(path: impl Into<PathBuf>, text: &str, offset: usize) -> Self {
        let idx = crate::position::LineIndex::new(text);
        let pos = idx.position(text, offset);
        Self {
            path: path.into(),
            line: Some(pos.line),
            column: Some(pos.column),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        Ok(())
    }
}

/// What went wrong, and where.
#[derive(Debug)]
pub enum Error {
    /// A rule pack is malformed or invalid.
    Pack {
        /// Where in the pack file.
        location: Location,
        /// The rule involved, when there is one.
        rule: Option<String>,
        /// What is wrong.
        message: String,
    },
    /// A configuration file is malformed or invalid.
    Config {
        /// Where in the config file.
        location: Location,
        /// What is wrong.
        message: String,
    },
    /// Reading or writing a file failed.
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The command line asks for something impossible.
    Usage(String),
}

impl Error {
    /// A pack error.
    pub fn pack(location: Location, rule: Option<&str>, message: impl Into<String>) -> Self {
        Error::Pack {
            location,
            rule: rule.map(str::to_string),
            message: message.into(),
        }
    }

    /// A config error.
    pub fn config(location: Location, message: impl Into<String>) -> Self {
        Error::Config {
            location,
            message: message.into(),
        }
    }

    /// An I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Pack {
                location,
                rule,
                message,
            } => {
                write!(f, "{location}: invalid rule pack: ")?;
                if let Some(rule) = rule {
                    write!(f, "rule `{rule}`: ")?;
                }
                f.write_str(message)
            }
            Error::Config { location, message } => {
                write!(f, "{location}: invalid configuration: {message}")
            }
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::Usage(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Result with the library's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
