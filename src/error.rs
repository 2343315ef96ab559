//! The library's one error type: every variant names the file it is about
//! and, where it helps, says how to fix it.

use std::fmt;
use std::path::{Path, PathBuf};

/// Where in an input a problem was found: a file, and for TOML a line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file, as the user named it (or as resolved from another file).
    pub path: PathBuf,
    /// 1-based line and column, when the problem is inside a text file.
    pub line_col: Option<(usize, usize)>,
}

impl Location {
    /// A whole file, no position.
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            line_col: None,
        }
    }

    /// A byte offset inside `source`, the text of `path`, as line:column.
    pub fn at(path: impl Into<PathBuf>, source: &str, offset: usize) -> Self {
        Self {
            path: path.into(),
            line_col: Some(line_col(source, offset)),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some((line, col)) = self.line_col {
            write!(f, ":{line}:{col}")?;
        }
        Ok(())
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = &source[..source.floor_char_boundary(offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// What kind of input could not be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// A brand guide or creative TOML file.
    Toml,
    /// A photo or raster logo.
    Image,
    /// A font file.
    Font,
    /// An SVG logo.
    Svg,
    /// A file to be written.
    Output,
}

impl fmt::Display for InputKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            InputKind::Toml => "settings",
            InputKind::Image => "image",
            InputKind::Font => "font",
            InputKind::Svg => "SVG",
            InputKind::Output => "output",
        })
    }
}

/// Everything that stops brandfit from using an input. A brand-rule violation
/// is never an `Error`: it is a finding in the report.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read or written at all.
    #[error("{path}: cannot {action}: {source}", path = .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// "read", "write", "create the folder for" ...
        action: &'static str,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// An input was read but is not usable; `hint` says what to do.
    #[error("{at}: {message}{}", hint_suffix(.hint))]
    Invalid {
        /// The file, with line:column for TOML.
        at: Location,
        /// What kind of file it is.
        kind: InputKind,
        /// What is wrong, in the user's terms.
        message: String,
        /// How to fix it, when we can tell.
        hint: Option<String>,
    },
    /// A format is too small to hold what the brand's rules demand.
    #[error("format {format} ({width}x{height}) is too small for rule {rule}: {message}")]
    FormatTooSmall {
        /// Format id.
        format: String,
        /// Canvas width.
        width: u32,
        /// Canvas height.
        height: u32,
        /// The rule id that cannot be met.
        rule: &'static str,
        /// Why.
        message: String,
    },
}

fn hint_suffix(hint: &Option<String>) -> String {
    hint.as_ref()
        .map(|h| format!("\n  hint: {h}"))
        .unwrap_or_default()
}

impl Error {
    /// An unusable input, without a hint.
    pub fn invalid(at: Location, kind: InputKind, message: impl Into<String>) -> Self {
        Error::Invalid {
            at,
            kind,
            message: message.into(),
            hint: None,
        }
    }

    /// An unusable input, with advice.
    pub fn invalid_with_hint(
        at: Location,
        kind: InputKind,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Error::Invalid {
            at,
            kind,
            message: message.into(),
            hint: Some(hint.into()),
        }
    }

    /// A read failure of `path`.
    pub fn read(path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            action: "read",
            source,
        }
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one_in_characters() {
        let text = "a = 1\nbé = \"x\"\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 6), (2, 1));
        assert_eq!(line_col(text, text.find('=').unwrap()), (1, 3));
        let second_eq = text.rfind('=').unwrap();
        assert_eq!(line_col(text, second_eq), (2, 4));
    }
}
