//! The JSON report, exactly as SPEC §7 shows it.

use std::io::{self, Write};

use serde::Serialize;

use super::Summary;
use crate::check::{Finding, FoundLogo, ImageResult};

/// Schema id.
pub const SCHEMA: &str = "brandfit.report/v1";

#[derive(Serialize)]
struct Report<'a> {
    schema: &'static str,
    brand: &'a str,
    summary: Summary,
    images: Vec<Image<'a>>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Image<'a> {
    Checked {
        path: String,
        format: Option<&'a str>,
        width: u32,
        height: u32,
        bytes: u64,
        passed: bool,
        logo: Option<FoundLogo>,
        checks: &'a [Finding],
    },
    Unreadable {
        path: String,
        passed: bool,
        error: &'a str,
    },
}

/// Writes the report.
pub fn write(out: &mut dyn Write, brand: &str, results: &[ImageResult]) -> io::Result<()> {
    let images = results
        .iter()
        .map(|r| match &r.error {
            Some(error) => Image::Unreadable {
                path: r.path.display().to_string(),
                passed: false,
                error,
            },
            None => Image::Checked {
                path: r.path.display().to_string(),
                format: r.format.as_deref(),
                width: r.width,
                height: r.height,
                bytes: r.bytes,
                passed: r.passed(),
                logo: r.logo,
                checks: &r.checks,
            },
        })
        .collect();
    let report = Report {
        schema: SCHEMA,
        brand,
        summary: Summary::of(results),
        images,
    };
    serde_json::to_writer_pretty(&mut *out, &report)?;
    writeln!(out)
}
