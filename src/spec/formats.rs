//! The ad formats of SPEC §4: the built-in table, custom `WxH` sizes and
//! formats a brand defines.

use serde::Serialize;

use crate::geom::{Insets, Rect, Size};

/// One output format: a canvas size, where the platform's interface covers
/// it, and how heavy the file may be.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Format {
    /// Stable id, e.g. `medium-rectangle`, or `WxH` for a custom size.
    pub id: String,
    /// Canvas width in pixels.
    pub width: u32,
    /// Canvas height in pixels.
    pub height: u32,
    /// Who shows it, e.g. "Google Display / IAB".
    pub platform: String,
    /// Largest allowed file, in KiB (1 KB = 1,024 bytes, as ad networks count).
    pub max_kb: Option<u64>,
    /// Parts of the canvas covered by the platform's interface.
    #[serde(rename = "unsafe")]
    pub insets: Insets,
}

impl Format {
    /// The canvas size.
    pub fn size(&self) -> Size {
        Size::new(self.width, self.height)
    }

    /// The canvas minus the unsafe insets.
    pub fn safe_area(&self) -> Rect {
        self.insets.safe_area(self.size())
    }

    /// The weight limit in bytes.
    pub fn max_bytes(&self) -> Option<u64> {
        self.max_kb.map(|kb| kb * 1024)
    }

    /// A custom `WxH` size: no weight limit, no insets.
    pub fn custom(width: u32, height: u32) -> Format {
        Format {
            id: format!("{width}x{height}"),
            width,
            height,
            platform: "Custom size".to_string(),
            max_kb: None,
            insets: Insets::default(),
        }
    }
}

const MB: u64 = 1024;

/// (id, width, height, platform, max KiB, top, bottom, left, right)
type Row = (
    &'static str,
    u32,
    u32,
    &'static str,
    u64,
    f32,
    f32,
    f32,
    f32,
);

const BUILT_IN: &[Row] = &[
    (
        "facebook-feed",
        1200,
        628,
        "Meta feed",
        30 * MB,
        0.0,
        0.0,
        0.0,
        0.0,
    ),
    (
        "instagram-story",
        1080,
        1920,
        "Meta Stories",
        30 * MB,
        0.14,
        0.20,
        0.0,
        0.0,
    ),
    (
        "medium-rectangle",
        300,
        250,
        "Google Display / IAB",
        150,
        0.0,
        0.0,
        0.0,
        0.0,
    ),
    (
        "leaderboard",
        728,
        90,
        "Google Display / IAB",
        150,
        0.0,
        0.0,
        0.0,
        0.0,
    ),
    (
        "instagram-square",
        1080,
        1080,
        "Meta feed",
        30 * MB,
        0.0,
        0.0,
        0.0,
        0.0,
    ),
    (
        "instagram-portrait",
        1080,
        1350,
        "Meta feed",
        30 * MB,
        0.0,
        0.0,
        0.0,
        0.0,
    ),
    (
        "reels",
        1080,
        1920,
        "Meta Reels",
        30 * MB,
        0.14,
        0.35,
        0.06,
        0.06,
    ),
    (
        "linkedin-single",
        1200,
        628,
        "LinkedIn",
        5 * MB,
        0.0,
        0.0,
        0.0,
        0.0,
    ),
    (
        "pinterest-pin",
        1000,
        1500,
        "Pinterest",
        20 * MB,
        0.0,
        0.0,
        0.0,
        0.0,
    ),
    (
        "half-page",
        300,
        600,
        "Google Display / IAB",
        150,
        0.0,
        0.0,
        0.0,
        0.0,
    ),
    (
        "wide-skyscraper",
        160,
        600,
        "Google Display / IAB",
        150,
        0.0,
        0.0,
        0.0,
        0.0,
    ),
    (
        "billboard",
        970,
        250,
        "Google Display / IAB",
        150,
        0.0,
        0.0,
        0.0,
        0.0,
    ),
    (
        "large-rectangle",
        336,
        280,
        "Google Display",
        150,
        0.0,
        0.0,
        0.0,
        0.0,
    ),
    (
        "mobile-banner",
        320,
        50,
        "Google Display / IAB",
        150,
        0.0,
        0.0,
        0.0,
        0.0,
    ),
    (
        "youtube-companion",
        300,
        60,
        "YouTube",
        150,
        0.0,
        0.0,
        0.0,
        0.0,
    ),
];

/// The built-in formats, in table order.
pub fn built_in() -> Vec<Format> {
    BUILT_IN
        .iter()
        .map(
            |&(id, width, height, platform, max_kb, top, bottom, left, right)| Format {
                id: id.to_string(),
                width,
                height,
                platform: platform.to_string(),
                max_kb: Some(max_kb),
                insets: Insets {
                    top,
                    bottom,
                    left,
                    right,
                },
            },
        )
        .collect()
}

/// The formats one brand can target: the built-ins plus its own.
#[derive(Debug, Clone)]
pub struct FormatCatalog {
    formats: Vec<Format>,
}

impl Default for FormatCatalog {
    fn default() -> Self {
        Self {
            formats: built_in(),
        }
    }
}

/// Largest canvas side accepted for a custom `WxH` format.
pub const MAX_SIDE: u32 = 16_384;

impl FormatCatalog {
    /// The built-ins followed by brand formats (a brand format may not reuse a built-in id).
    pub fn with(extra: Vec<Format>) -> Self {
        let mut formats = built_in();
        formats.extend(extra);
        Self { formats }
    }

    /// Every named format, built-ins first.
    pub fn all(&self) -> &[Format] {
        &self.formats
    }

    /// Looks up an id or parses a custom `WxH`.
    pub fn get(&self, id: &str) -> Option<Format> {
        if let Some(f) = self.formats.iter().find(|f| f.id == id) {
            return Some(f.clone());
        }
        let (w, h) = id.split_once('x')?;
        let (w, h) = (w.parse::<u32>().ok()?, h.parse::<u32>().ok()?);
        (w > 0 && h > 0 && w <= MAX_SIDE && h <= MAX_SIDE).then(|| Format::custom(w, h))
    }

    /// What to tell a user who wrote the unknown format id `id`.
    pub fn unknown_hint(&self, id: &str) -> String {
        match self.suggest(id) {
            Some(s) => format!("did you mean `{s}`? (`brandfit formats` lists them all)"),
            None => "use a format id from `brandfit formats`, or a size such as 640x360".into(),
        }
    }

    /// Named ids close to `id`, for a "did you mean".
    pub fn suggest(&self, id: &str) -> Option<&str> {
        let ids: Vec<&str> = self.formats.iter().map(|f| f.id.as_str()).collect();
        super::closest(id, &ids)
    }

    /// The format an image of `size` is checked against (SPEC §5): among
    /// `preferred` first, then all, first in table order.
    pub fn by_size(&self, size: Size, preferred: &[Format]) -> Option<Format> {
        preferred
            .iter()
            .chain(self.formats.iter())
            .find(|f| f.size() == size)
            .cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_matches_spec() {
        let all = built_in();
        assert_eq!(all.len(), 15);
        let story = &all[1];
        assert_eq!(
            (story.id.as_str(), story.width, story.height),
            ("instagram-story", 1080, 1920)
        );
        assert_eq!(story.max_bytes(), Some(30 * 1024 * 1024));
        let mrec = FormatCatalog::default().get("medium-rectangle").unwrap();
        assert_eq!(mrec.max_bytes(), Some(150 * 1024));
    }

    #[test]
    fn custom_sizes_parse() {
        let cat = FormatCatalog::default();
        let f = cat.get("640x360").unwrap();
        assert_eq!((f.width, f.height, f.max_kb), (640, 360, None));
        assert!(cat.get("0x360").is_none());
        assert!(cat.get("640x").is_none());
        assert!(cat.get("99999x10").is_none());
        assert_eq!(cat.suggest("leaderbord"), Some("leaderboard"));
    }

    #[test]
    fn by_size_prefers_the_brand_list_then_table_order() {
        let cat = FormatCatalog::default();
        let f = cat.by_size(Size::new(1200, 628), &[]).unwrap();
        assert_eq!(f.id, "facebook-feed");
        let linkedin = cat.get("linkedin-single").unwrap();
        let f = cat.by_size(Size::new(1200, 628), &[linkedin]).unwrap();
        assert_eq!(f.id, "linkedin-single");
    }
}
