//! The brand logo, loaded once: an SVG tree (drawn crisp at any size by
//! resvg) or a PNG, with fully transparent borders trimmed either way.

use std::path::{Path, PathBuf};

use image::RgbaImage;

use crate::error::{Error, InputKind, Location, Result};

/// A loaded logo.
pub struct Logo {
    /// Its file.
    pub path: PathBuf,
    /// The artwork.
    pub art: LogoArt,
}

/// The artwork of a logo, already trimmed to its visible pixels.
pub enum LogoArt {
    /// An SVG, with the box of its visible content in user units.
    Svg {
        /// The parsed tree (no text, no system fonts: output never depends on the machine).
        tree: Box<resvg::usvg::Tree>,
        /// Left, top, width, height of the visible content.
        bounds: [f32; 4],
    },
    /// A raster logo cropped to its non-transparent pixels.
    Raster(RgbaImage),
}

impl std::fmt::Debug for Logo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Logo")
            .field("path", &self.path)
            .field("aspect", &self.aspect())
            .finish()
    }
}

impl Logo {
    /// Loads an SVG or PNG logo.
    pub fn load(path: &Path) -> Result<Logo> {
        let data = std::fs::read(path).map_err(|e| Error::read(path, e))?;
        let is_svg = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("svg"))
            || data.trim_ascii_start().starts_with(b"<");
        let art = if is_svg {
            load_svg(path, &data)?
        } else {
            load_raster(path, &data)?
        };
        Ok(Logo {
            path: path.to_path_buf(),
            art,
        })
    }

    /// Width over height of the visible artwork.
    pub fn aspect(&self) -> f32 {
        match &self.art {
            LogoArt::Svg { bounds, .. } => bounds[2] / bounds[3],
            LogoArt::Raster(img) => img.width() as f32 / img.height() as f32,
        }
    }
}

fn load_svg(path: &Path, data: &[u8]) -> Result<LogoArt> {
    let opt = resvg::usvg::Options {
        resources_dir: path.parent().map(Path::to_path_buf),
        ..Default::default()
    };
    let tree = resvg::usvg::Tree::from_data(data, &opt).map_err(|e| {
        Error::invalid_with_hint(
            Location::file(path),
            InputKind::Svg,
            format!("the SVG logo does not parse: {e}"),
            "open it in a browser or re-export it from your design tool as plain SVG",
        )
    })?;
    let b = tree.root().abs_stroke_bounding_box();
    if !(b.width() > 0.0 && b.height() > 0.0) {
        return Err(Error::invalid_with_hint(
            Location::file(path),
            InputKind::Svg,
            "the SVG logo draws nothing visible",
            "text in SVG logos must be converted to outlines (paths)",
        ));
    }
    Ok(LogoArt::Svg {
        tree: Box::new(tree),
        bounds: [b.x(), b.y(), b.width(), b.height()],
    })
}

fn load_raster(path: &Path, data: &[u8]) -> Result<LogoArt> {
    let img = image::load_from_memory(data)
        .map_err(|e| {
            Error::invalid(
                Location::file(path),
                InputKind::Image,
                format!("the logo image cannot be decoded: {e}"),
            )
        })?
        .into_rgba8();
    let (mut x0, mut y0, mut x1, mut y1) = (u32::MAX, u32::MAX, 0, 0);
    for (x, y, p) in img.enumerate_pixels() {
        if p[3] > 0 {
            (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x + 1), y1.max(y + 1));
        }
    }
    if x0 >= x1 {
        return Err(Error::invalid(
            Location::file(path),
            InputKind::Image,
            "the logo image is fully transparent",
        ));
    }
    Ok(LogoArt::Raster(
        image::imageops::crop_imm(&img, x0, y0, x1 - x0, y1 - y0).to_image(),
    ))
}
