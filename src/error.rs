//! Errors for a planner: which file, where, what is wrong, and how to fix it.

use thiserror::Error;

/// One problem in a scenario: the key path where it is and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// Key path, e.g. `queues.phone.handle_time.mean`, or `(top level)`.
    pub path: String,
    /// What is wrong, and how to fix it.
    pub message: String,
}

impl Issue {
    /// An issue at `path`.
    /// Control characters (a raw newline in a key) are escaped, so an issue is one line.
    pub fn new(path: impl Into<String>, message: impl std::fmt::Display) -> Self {
        Issue {
            path: one_line(&path.into()),
            message: one_line(&message.to_string()),
        }
    }
}

/// `text` with its control characters escaped (`\n` for a newline).
pub(crate) fn one_line(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    text.chars()
        .map(|c| match c.is_control() {
            true => c.escape_default().to_string(),
            false => c.to_string(),
        })
        .collect()
}

impl std::fmt::Display for Issue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Bad input: the run cannot start. The CLI exits with code 2.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum InputError {
    /// The file could not be read.
    #[error("{file}: cannot read the file: {reason}")]
    Unreadable {
        /// File path.
        file: String,
        /// Why.
        reason: String,
    },
    /// The file is not valid JSON.
    #[error("{file}:{line}:{column}: JSON syntax error: {message}")]
    Syntax {
        /// File path.
        file: String,
        /// Line, from 1.
        line: usize,
        /// Column, from 1.
        column: usize,
        /// What the parser expected.
        message: String,
    },
    /// A key has the wrong type or is unknown.
    #[error("{file}: {path}: {message} (line {line}, column {column})")]
    Type {
        /// File path.
        file: String,
        /// Key path, e.g. `queues.phone.handle_time.mean`.
        path: String,
        /// What is wrong.
        message: String,
        /// Line, from 1.
        line: usize,
        /// Column, from 1.
        column: usize,
    },
    /// Values break the scenario's rules; one line per problem.
    #[error("{}", issues.iter().map(|i| format!("{file}: {i}")).collect::<Vec<_>>().join("\n"))]
    Invalid {
        /// File path.
        file: String,
        /// Each problem.
        issues: Vec<Issue>,
    },
    /// A command-line value is wrong.
    #[error("{0}")]
    Usage(String),
    /// The simulation was cancelled ([`crate::api::Cancel`]) before it ended.
    #[error("the simulation was cancelled")]
    Cancelled,
    /// An output file or directory cannot be written.
    #[error("{path}: cannot write: {reason}")]
    Output {
        /// Path.
        path: String,
        /// Why.
        reason: String,
    },
}

impl InputError {
    /// The key path of the scenario the error is about (the first, when several are wrong),
    /// where it has one: `queues.phone.handle_time.mean`.
    pub fn key_path(&self) -> Option<&str> {
        match self {
            InputError::Type { path, .. } => Some(path),
            InputError::Invalid { issues, .. } => issues.first().map(|i| i.path.as_str()),
            _ => None,
        }
    }
}
