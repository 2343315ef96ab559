//! The report for people: grouped by image, failing images and failing
//! rules first, coloured on a terminal unless `NO_COLOR` is set.

use std::io::{self, Write};

use super::Summary;
use crate::check::{ImageResult, Status};

/// Writes the report; `color` adds ANSI colours.
pub fn write(
    out: &mut dyn Write,
    brand: &str,
    results: &[ImageResult],
    color: bool,
) -> io::Result<()> {
    let paint = |code: &str, s: &str| {
        if color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    let mut order: Vec<&ImageResult> = results.iter().collect();
    order.sort_by_key(|r| (r.error.is_none() && r.passed(), r.path.clone()));
    for r in order {
        if let Some(e) = &r.error {
            writeln!(out, "{} {}: {e}", paint("1;31", "ERROR"), r.path.display())?;
            continue;
        }
        let head = if r.passed() {
            paint("1;32", "PASS ")
        } else {
            paint("1;31", "FAIL ")
        };
        let format = r.format.as_deref().unwrap_or("no matching format");
        writeln!(
            out,
            "{head} {} ({format}, {}x{}, {:.1} KB)",
            r.path.display(),
            r.width,
            r.height,
            r.bytes as f64 / 1024.0
        )?;
        let mut checks: Vec<_> = r.checks.iter().collect();
        checks.sort_by_key(|c| match c.status {
            Status::Fail => 0,
            Status::Warn => 1,
            Status::Pass => 2,
            Status::Skip => 3,
        });
        for c in checks {
            let tag = match c.status {
                Status::Fail => paint("31", "fail"),
                Status::Warn => paint("33", "warn"),
                Status::Pass => paint("32", "pass"),
                Status::Skip => paint("2", "skip"),
            };
            writeln!(out, "  {tag} {:<16} {}", c.rule, c.message)?;
        }
    }
    let s = Summary::of(results);
    writeln!(
        out,
        "\n{brand}: {} images, {} passed, {} failed, {} unreadable",
        s.images, s.passed, s.failed, s.errors
    )
}
