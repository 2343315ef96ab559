//! Reports over check results: text for people, JSON (SPEC §7) and JUnit
//! XML for machines. Each writer takes any `io::Write`.

pub mod json;
pub mod junit;
pub mod text;

use crate::check::ImageResult;

/// Totals of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// Images looked at (readable or not).
    pub images: usize,
    /// Readable images where every error-severity rule passed.
    pub passed: usize,
    /// Readable images where some error-severity rule failed.
    pub failed: usize,
    /// Inputs that could not be read.
    pub errors: usize,
}

impl Summary {
    /// Counts results.
    pub fn of(results: &[ImageResult]) -> Summary {
        let errors = results.iter().filter(|r| r.error.is_some()).count();
        let passed = results.iter().filter(|r| r.passed()).count();
        Summary {
            images: results.len(),
            passed,
            failed: results.len() - passed - errors,
            errors,
        }
    }
}

/// The report kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Human-readable, grouped by image, failures first.
    Text,
    /// SPEC §7.
    Json,
    /// One test case per image × rule.
    Junit,
}
