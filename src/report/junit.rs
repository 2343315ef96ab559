//! JUnit XML: one test suite per image, one test case per rule, so CI
//! systems show every rule of every banner natively.

use std::io::{self, Write};

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use crate::check::{ImageResult, Status};

/// Writes the report.
pub fn write(out: &mut dyn Write, brand: &str, results: &[ImageResult]) -> io::Result<()> {
    let mut report = Report::new(format!("brandfit: {brand}"));
    for r in results {
        let name = r.path.display().to_string();
        let mut suite = TestSuite::new(name.clone());
        if let Some(e) = &r.error {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
            status.set_message(e.clone());
            suite.add_test_case(TestCase::new("read", status));
        }
        for c in &r.checks {
            let status = match c.status {
                Status::Pass | Status::Warn => TestCaseStatus::success(),
                Status::Skip => {
                    let mut s = TestCaseStatus::skipped();
                    s.set_message(c.message.clone());
                    s
                }
                Status::Fail => {
                    let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    s.set_message(c.message.clone());
                    s.set_type(c.rule);
                    s
                }
            };
            let mut case = TestCase::new(c.rule, status);
            case.set_classname(name.clone());
            suite.add_test_case(case);
        }
        report.add_test_suite(suite);
    }
    let xml = report.to_string().map_err(io::Error::other)?;
    out.write_all(xml.as_bytes())
}
