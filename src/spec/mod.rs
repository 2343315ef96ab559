//! The input files: brand guides, master creatives and the formats table
//! (SPEC §2–4). Parsing is serde + toml; everything a user can get wrong is
//! reported with `file:line:col`, what is wrong and how to fix it.

pub mod brand;
pub mod creative;
pub mod formats;

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use toml::Spanned;

use crate::error::{Error, InputKind, Location, Result};

pub use brand::{Brand, FontRef};
pub use creative::{Creative, TextColor};
pub use formats::{Format, FormatCatalog};

/// A TOML file's text, kept to turn byte spans into line:column.
#[derive(Debug, Clone)]
pub struct Source {
    /// The file as named.
    pub path: PathBuf,
    /// Its contents.
    pub text: String,
}

impl Source {
    /// Reads a TOML file.
    pub fn read(path: &Path) -> Result<Source> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::read(path, e))?;
        Ok(Source {
            path: path.to_path_buf(),
            text,
        })
    }

    /// The location of a span's start.
    pub fn at<T>(&self, value: &Spanned<T>) -> Location {
        Location::at(&self.path, &self.text, value.span().start)
    }

    /// An error about a spanned value.
    pub fn error<T>(&self, value: &Spanned<T>, message: impl Into<String>) -> Error {
        Error::invalid(self.at(value), InputKind::Toml, message)
    }

    /// An error about a spanned value, with advice.
    pub fn error_hint<T>(
        &self,
        value: &Spanned<T>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Error {
        Error::invalid_with_hint(self.at(value), InputKind::Toml, message, hint)
    }

    /// Deserialises the whole file, turning serde's messages into ones with
    /// a position and a "did you mean" for misspelt keys.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T> {
        toml::from_str(&self.text).map_err(|e| {
            let at = match e.span() {
                Some(span) => Location::at(&self.path, &self.text, span.start),
                None => Location::file(&self.path),
            };
            let message = e.message().trim().to_string();
            let hint = unknown_field_hint(&message);
            Error::Invalid {
                at,
                kind: InputKind::Toml,
                message,
                hint,
            }
        })
    }

    /// Resolves a path written in this file, which must name an existing
    /// file; `what` says what it is ("font", "logo file") for the message.
    pub fn existing_file(&self, written: &Spanned<String>, what: &str) -> Result<PathBuf> {
        let path = self.resolve(written.get_ref());
        if path.is_file() {
            return Ok(path);
        }
        Err(self.error_hint(
            written,
            format!(
                "{what} `{}` not found (looked for {})",
                written.get_ref(),
                path.display()
            ),
            format!(
                "paths are relative to the folder of {}",
                self.path.display()
            ),
        ))
    }

    /// Resolves a path written in this file: relative to the file's folder.
    pub fn resolve(&self, written: &str) -> PathBuf {
        let p = Path::new(written);
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.path.parent().unwrap_or(Path::new("")).join(p)
        }
    }
}

/// From serde's "unknown field `colr`, expected one of `text`, `color`",
/// suggests the closest expected name.
fn unknown_field_hint(message: &str) -> Option<String> {
    let rest = message
        .strip_prefix("unknown field `")
        .or_else(|| message.strip_prefix("unknown variant `"))?;
    let (unknown, expected) = rest.split_once('`')?;
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    match closest(unknown, &candidates) {
        Some(best) => Some(format!("did you mean `{best}`?")),
        None if candidates.is_empty() => Some("remove this key".to_string()),
        None => Some(format!(
            "the keys allowed here are {}",
            candidates.join(", ")
        )),
    }
}

/// The candidate within a small edit distance of `word`, if any.
pub fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).clamp(2, 3);
    candidates
        .iter()
        .map(|c| (edit_distance(&word.to_lowercase(), &c.to_lowercase()), *c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_nearest_key() {
        let hint = unknown_field_hint("unknown field `colr`, expected `text` or `color`");
        assert_eq!(hint.as_deref(), Some("did you mean `color`?"));
        let hint =
            unknown_field_hint("unknown field `zzz`, expected one of `file`, `corner`, `margin`");
        assert_eq!(
            hint.as_deref(),
            Some("the keys allowed here are file, corner, margin")
        );
    }

    #[test]
    fn edit_distance_basics() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(closest("mragin", &["margin", "corner"]), Some("margin"));
        assert_eq!(closest("banana", &["margin", "corner"]), None);
    }
}
