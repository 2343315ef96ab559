//! Checking banners against the brand's rules (SPEC §5), from their pixels
//! — and for text, which pixels cannot tell, from the layout sidecar when
//! there is one. It works on any PNG or JPEG, rendered by brandfit or made
//! by hand. A rule violation is a [`Finding`], never an `Err`.

pub mod color;
pub mod format;
pub mod logo;
pub mod orient;
pub mod placement;
pub mod plane;
pub mod text;

use std::path::{Path, PathBuf};

use image::RgbImage;
use serde::Serialize;

use crate::geom::{Corner, Rect};
use crate::kit::BrandKit;
use crate::layout::arrange::{BrandGeometry, logo_box};
use crate::sidecar::Sidecar;
use crate::spec::Format;
use logo::{LogoMatch, LogoModel, SearchHint};

/// How a rule came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The rule holds.
    Pass,
    /// The rule is broken.
    Fail,
    /// Broken, but only a warning.
    Warn,
    /// Not evaluated (e.g. a sidecar rule without a sidecar).
    Skip,
}

/// Whether a failure fails the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Fails the run (exit 1).
    Error,
    /// Reported only.
    Warning,
}

/// One rule's outcome on one image.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Stable rule id, e.g. `logo.margin`.
    pub rule: &'static str,
    /// Outcome.
    pub status: Status,
    /// Severity of a failure.
    pub severity: Severity,
    /// What a designer needs to know.
    pub message: String,
    /// What was measured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub measured: Option<serde_json::Value>,
    /// What the brand expects.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<serde_json::Value>,
    /// Where, in image pixels.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<Rect>,
}

impl Finding {
    fn new(rule: &'static str, status: Status, message: impl Into<String>) -> Finding {
        Finding {
            rule,
            status,
            severity: Severity::Error,
            message: message.into(),
            measured: None,
            expected: None,
            region: None,
        }
    }
    /// A passing rule.
    pub fn pass(rule: &'static str, message: impl Into<String>) -> Finding {
        Finding::new(rule, Status::Pass, message)
    }
    /// A failing rule.
    pub fn fail(rule: &'static str, message: impl Into<String>) -> Finding {
        Finding::new(rule, Status::Fail, message)
    }
    /// A rule that could not be evaluated.
    pub fn skip(rule: &'static str, message: impl Into<String>) -> Finding {
        Finding::new(rule, Status::Skip, message)
    }
    /// Pass or fail by `ok`.
    pub fn judge(rule: &'static str, ok: bool, message: impl Into<String>) -> Finding {
        Finding::new(rule, if ok { Status::Pass } else { Status::Fail }, message)
    }
    /// With measured and expected values.
    pub fn values(
        mut self,
        measured: impl Into<serde_json::Value>,
        expected: impl Into<serde_json::Value>,
    ) -> Finding {
        self.measured = Some(measured.into());
        self.expected = Some(expected.into());
        self
    }
    /// With a region.
    pub fn at(mut self, region: Rect) -> Finding {
        self.region = Some(region);
        self
    }
    /// True when it fails the run.
    pub fn is_error(&self) -> bool {
        self.status == Status::Fail && self.severity == Severity::Error
    }
}

/// The logo as found, for the report.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FoundLogo {
    /// Left.
    pub x: i32,
    /// Top.
    pub y: i32,
    /// Width.
    pub w: i32,
    /// Height.
    pub h: i32,
    /// Match score, 0..1.
    pub score: f32,
}

/// Everything checked about one image.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageResult {
    /// The file.
    pub path: PathBuf,
    /// Format it was checked against, if any matched.
    pub format: Option<String>,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// File size.
    pub bytes: u64,
    /// Where the logo was found.
    pub logo: Option<FoundLogo>,
    /// Every rule evaluated, in rule order.
    pub checks: Vec<Finding>,
    /// Set when the file could not be read at all.
    pub error: Option<String>,
}

impl ImageResult {
    /// A file that could not be read or decoded.
    pub fn unreadable(path: &Path, message: impl Into<String>) -> ImageResult {
        ImageResult {
            path: path.to_path_buf(),
            format: None,
            width: 0,
            height: 0,
            bytes: 0,
            logo: None,
            checks: Vec::new(),
            error: Some(message.into()),
        }
    }

    /// True when no error-severity rule failed and the file was readable.
    pub fn passed(&self) -> bool {
        self.error.is_none() && !self.checks.iter().any(Finding::is_error)
    }
}

/// Options of a check run.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Check every image against these formats (by size when several).
    pub formats: Vec<Format>,
    /// Largest image accepted, in pixels. Default (0): 100 megapixels.
    pub max_pixels: u64,
}

/// A brand's rules, ready to judge images.
pub struct Checker<'a> {
    kit: &'a BrandKit,
    model: LogoModel<'a>,
    options: CheckOptions,
}

impl<'a> Checker<'a> {
    /// Prepares the brand's logo for matching.
    pub fn new(kit: &'a BrandKit, options: CheckOptions) -> Checker<'a> {
        Checker {
            kit,
            model: LogoModel::new(&kit.logo),
            options,
        }
    }

    /// Reads, decodes and checks one file; a file that cannot be read gives
    /// a result with `error` set.
    pub fn check_file(&self, path: &Path) -> ImageResult {
        let unreadable = |message: String| ImageResult::unreadable(path, message);
        let data = match std::fs::read(path) {
            Ok(d) => d,
            Err(e) => return unreadable(format!("cannot read: {e}")),
        };
        let decoded = match format::decode(&data, self.max_pixels()) {
            Ok(d) => d,
            Err(message) => return unreadable(message),
        };
        let sidecar = read_sidecar(path);
        self.check_decoded(path, &data, decoded, sidecar)
    }

    fn max_pixels(&self) -> u64 {
        if self.options.max_pixels == 0 {
            crate::raster::background::DEFAULT_MAX_PIXELS
        } else {
            self.options.max_pixels
        }
    }

    /// Checks an image already decoded.
    pub fn check_decoded(
        &self,
        path: &Path,
        data: &[u8],
        decoded: format::Decoded,
        sidecar: Option<Result<Sidecar, String>>,
    ) -> ImageResult {
        let brand = &self.kit.brand;
        let img = &decoded.image;
        let size = crate::geom::Size::new(img.width(), img.height());
        let sidecar_format = sidecar
            .as_ref()
            .and_then(|s| s.as_ref().ok())
            .and_then(|s| brand.format(&s.format));
        let format = if !self.options.formats.is_empty() {
            self.options
                .formats
                .iter()
                .find(|f| f.size() == size)
                .or(self.options.formats.first())
                .cloned()
        } else {
            sidecar_format
                .filter(|f| f.size() == size)
                .or_else(|| brand.catalog.by_size(size, &brand.formats))
        };

        let mut checks = format::rules(format.as_ref(), size, data, &decoded);
        // Rules run against the format, or the image's own bounds when none matched.
        let target = format
            .clone()
            .unwrap_or_else(|| Format::custom(size.w.max(1), size.h.max(1)));
        let safe = target.safe_area();

        let mut sidecar_note = None;
        let sidecar = match sidecar {
            Some(Ok(s)) if (s.width, s.height) == (size.w, size.h) => Some(s),
            Some(Ok(s)) => {
                sidecar_note = Some(Finding::skip(
                    "sidecar",
                    format!(
                        "the sidecar describes a {}x{} image; ignored",
                        s.width, s.height
                    ),
                ));
                None
            }
            Some(Err(e)) => {
                sidecar_note = Some(Finding::skip("sidecar", e));
                None
            }
            None => None,
        };

        // The logo search, the logo-independent half of the colour analysis
        // and the text rules need nothing from each other: one image is
        // checked on as many threads as are idle (rayon steals the work).
        let corner = brand.logo_corner(sidecar.as_ref().and_then(|s| s.lang.as_deref()));
        let ((found, smoothness), text_checks) = rayon::join(
            || {
                rayon::join(
                    || self.find_logo(img, &target, corner),
                    || color::Smoothness::new(img),
                )
            },
            || text::rules(img, sidecar.as_ref(), self.kit),
        );
        checks.extend(placement::logo_rules(
            found.as_ref(),
            brand,
            corner,
            &self.model,
            safe,
        ));

        let exclude = found.as_ref().filter(|m| m.is_present()).map(|m| m.rect);
        let allowed: Vec<_> = brand.allowed_colors().collect();
        let areas = smoothness.flat_areas(exclude, 0.002, &allowed);
        checks.push(color::palette_rule(&areas, brand));
        checks.extend(sidecar_note);
        checks.push(placement::safe_zone(
            found.as_ref().filter(|m| m.is_present()),
            sidecar.as_ref(),
            &target,
        ));
        checks.extend(text_checks);

        ImageResult {
            path: path.to_path_buf(),
            format: format.map(|f| f.id),
            width: size.w,
            height: size.h,
            bytes: data.len() as u64,
            logo: found.filter(|m| m.is_present()).map(|m| FoundLogo {
                x: m.rect.x,
                y: m.rect.y,
                w: m.rect.w,
                h: m.rect.h,
                score: (m.score * 100.0).round() / 100.0,
            }),
            checks,
            error: None,
        }
    }

    fn find_logo(&self, img: &RgbImage, target: &Format, corner: Corner) -> Option<LogoMatch> {
        let pyramid = logo::Pyramid::new(img);
        let rules = &self.kit.brand.logo;
        let safe = target.safe_area();
        let geometry = BrandGeometry {
            logo: rules,
            logo_aspect: self.model.aspect,
            corner,
            min_size: self.kit.brand.fonts.min_size,
        };
        let expected_w = logo_box(target, geometry).map_or(safe.w as f32 * 0.2, |r| r.w as f32);
        let frame = crate::geom::Rect::new(0, 0, img.width() as i32, img.height() as i32);
        let area = placement::corner_search_area(frame, safe, corner);
        logo::find(&pyramid, &self.model, Some(SearchHint { area, expected_w }))
    }
}

/// The sidecar next to an image (`x.png` → `x.layout.json`), if any.
pub fn read_sidecar(image: &Path) -> Option<Result<Sidecar, String>> {
    let path = image.with_extension("layout.json");
    let text = std::fs::read_to_string(&path).ok()?;
    Some(
        serde_json::from_str(&text)
            .map_err(|e| format!("{}: not a brandfit layout sidecar: {e}", path.display())),
    )
}
