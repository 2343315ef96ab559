//! The background: a decoded master photo (shared by every format) cropped
//! and resampled with Lanczos3, or a flat colour.

use std::io::Cursor;
use std::path::Path;

use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
use image::{ImageReader, RgbImage};

use crate::crop::{Backdrop, Crop, SaliencyMap};
use crate::error::{Error, InputKind, Location, Result};
use crate::geom::Size;
use crate::layout::behind::Tones;

/// Largest master accepted by default, in pixels (100 megapixels).
pub const DEFAULT_MAX_PIXELS: u64 = 100_000_000;

/// A master photo, decoded once per process and shared across formats.
#[derive(Debug)]
pub struct Master {
    /// The pixels.
    pub image: RgbImage,
    /// Where its content is, for automatic crops.
    pub saliency: SaliencyMap,
    /// Its tones, which the layout judges text colours and scrims over.
    pub tones: Tones,
}

impl Master {
    /// Decodes a photo, refusing images over `max_pixels`.
    pub fn load(path: &Path, max_pixels: u64) -> Result<Master> {
        let bad = |message: String, hint: &str| {
            Error::invalid_with_hint(Location::file(path), InputKind::Image, message, hint)
        };
        let data = std::fs::read(path).map_err(|e| Error::read(path, e))?;
        let reader = || {
            ImageReader::new(Cursor::new(&data[..]))
                .with_guessed_format()
                .expect("in-memory reads cannot fail")
        };
        let (w, h) = reader().into_dimensions().map_err(|e| {
            bad(
                format!("not a readable image: {e}"),
                "use a PNG or JPEG photo",
            )
        })?;
        let pixels = w as u64 * h as u64;
        if pixels > max_pixels {
            return Err(bad(
                format!(
                    "the image is {w}x{h} ({:.1} megapixels), over the {:.0} megapixel limit",
                    pixels as f64 / 1e6,
                    max_pixels as f64 / 1e6
                ),
                "downscale it, or raise the limit with --max-megapixels",
            ));
        }
        if reader().format() == Some(image::ImageFormat::Jpeg) && !jpeg_is_complete(&data) {
            return Err(bad(
                "the JPEG is truncated (it has no end-of-image marker)".to_string(),
                "the file was cut short in a copy or download; export or copy it again",
            ));
        }
        let mut reader = reader();
        reader.no_limits();
        let image = reader
            .decode()
            .map_err(|e| {
                bad(
                    format!("the image cannot be decoded: {e}"),
                    "the file may be truncated or corrupt; export it again",
                )
            })?
            .into_rgb8();
        Ok(Master::from_image(image))
    }

    /// Wraps pixels already in memory: its tones at [`Tones::SIDE`], and
    /// the saliency map from those (one pass over the full master).
    pub fn from_image(image: RgbImage) -> Master {
        let size = Size::new(image.width(), image.height());
        let shrink = |from: &RgbImage, (to, _): (Size, f64)| {
            let mut out = RgbImage::new(to.w, to.h);
            resample(
                from,
                None,
                &mut out,
                ResizeAlg::Convolution(FilterType::Bilinear),
            );
            out
        };
        let tones = size.shrunk_to(Tones::SIDE);
        let tones = Tones {
            image: shrink(&image, tones),
            scale: tones.1,
        };
        let map = SaliencyMap::thumbnail_size(size);
        let thumb = shrink(&tones.image, map);
        Master {
            saliency: SaliencyMap::from_tones(&tones.image, &thumb, map.1),
            tones,
            image,
        }
    }

    /// The master's size.
    pub fn size(&self) -> Size {
        Size::new(self.image.width(), self.image.height())
    }

    /// What the layout needs to know of it.
    pub fn backdrop(&self) -> Backdrop<'_> {
        Backdrop {
            size: self.size(),
            saliency: &self.saliency,
            tones: &self.tones,
        }
    }
}

/// A complete JPEG ends with the EOI marker (FF D9), possibly followed by
/// padding; zune-jpeg decodes a cut-off file without complaint, grey below the cut.
pub fn jpeg_is_complete(data: &[u8]) -> bool {
    let tail = &data[data.len().saturating_sub(4096)..];
    tail.windows(2).any(|w| w == [0xFF, 0xD9])
}

/// Draws `crop` of the master into the whole of `out` with Lanczos3.
pub fn draw_crop(master: &Master, crop: Crop, out: &mut RgbImage) {
    resample(
        &master.image,
        Some(crop),
        out,
        ResizeAlg::Convolution(FilterType::Lanczos3),
    );
}

fn resample(src: &RgbImage, crop: Option<Crop>, out: &mut RgbImage, alg: ResizeAlg) {
    let mut options = ResizeOptions::new().resize_alg(alg);
    if let Some(c) = crop {
        options = options.crop(c.x, c.y, c.w, c.h);
    }
    // Both images are RGB8 of non-zero size, so resizing cannot fail.
    Resizer::new()
        .resize(src, out, &options)
        .expect("RGB8 to RGB8 resize");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_times_reduction_does_not_alias() {
        // One-pixel stripes average to mid grey; a naive or nearest-neighbour
        // shrink turns them into bold bands (moire).
        let stripes = RgbImage::from_fn(2000, 1000, |x, _| {
            if x % 2 == 0 {
                image::Rgb([0; 3])
            } else {
                image::Rgb([255; 3])
            }
        });
        let master = Master::from_image(stripes);
        let mut out = RgbImage::new(200, 100);
        draw_crop(
            &master,
            Crop {
                x: 0.0,
                y: 0.0,
                w: 2000.0,
                h: 1000.0,
            },
            &mut out,
        );
        let (min, max) = out
            .pixels()
            .fold((255u8, 0u8), |(lo, hi), p| (lo.min(p[0]), hi.max(p[0])));
        assert!(min >= 118 && max <= 137, "range {min}..{max}");
    }
}
