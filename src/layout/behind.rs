//! What lies behind the copy before any of it is drawn: the photo as the
//! layout frames it (or the flat fill), under the creative's own tint. The
//! layout judges `auto` text colours and scrim panels over it, from the
//! master's tones (a copy at 1280 px, made once per master with its
//! saliency map), so raster paints a finished plan and decides nothing.

use image::RgbImage;

use crate::color::{Rgb, contrast_ratio, mix};
use crate::crop::Crop;
use crate::geom::{Rect, Size};
use crate::spec::TextColor;
use crate::spec::creative::Scrim;

/// A master photo at a size fine enough to judge the tones behind any
/// format's copy (long side [`Tones::SIDE`]), made once per master.
#[derive(Debug, Clone)]
pub struct Tones {
    /// The pixels.
    pub image: RgbImage,
    /// Tone pixels per master pixel.
    pub scale: f64,
}

impl Tones {
    /// Long side in pixels: about a story's or a billboard's own scale, so
    /// the highlights a panel must answer for are not averaged away.
    pub const SIDE: u32 = 1280;
}

/// What is drawn where a photo background is not at hand (layout judges
/// colours over it, raster paints it).
pub const MISSING_PHOTO: Rgb = Rgb::WHITE;

/// The background of one banner, as far as its tones go.
#[derive(Debug, Clone, Copy)]
pub struct Behind<'a> {
    fill: Fill<'a>,
    /// The canvas, in output pixels.
    output: Size,
    /// The creative's uniform tint over the background.
    tint: Option<Scrim>,
}

#[derive(Debug, Clone, Copy)]
enum Fill<'a> {
    Flat(Rgb),
    /// The master's tones and the crop window in master pixels.
    Photo {
        tones: &'a Tones,
        crop: Crop,
    },
}

impl<'a> Behind<'a> {
    /// A flat colour under an optional tint.
    pub fn flat(color: Rgb, output: Size, tint: Option<Scrim>) -> Behind<'a> {
        Behind {
            fill: Fill::Flat(color),
            output,
            tint,
        }
    }

    /// The photo whose `tones` are framed by `crop` on an `output`-sized
    /// canvas.
    pub fn photo(tones: &'a Tones, crop: Crop, output: Size, tint: Option<Scrim>) -> Behind<'a> {
        Behind {
            fill: Fill::Photo { tones, crop },
            output,
            tint,
        }
    }

    /// The canvas size.
    pub fn output(&self) -> Size {
        self.output
    }

    /// The background's pixels under `area` (output pixels, clipped to the
    /// canvas): the tone pixels the area touches, every one where a tone
    /// pixel spans two output pixels or more, else about one per two output
    /// pixels each way (a photo is smooth at that scale, and a small
    /// format's area would otherwise hold tens of thousands); a flat fill
    /// gives one. Empty for an area off the canvas.
    pub fn samples(&self, area: Rect) -> Vec<[u8; 3]> {
        let canvas = Rect::new(0, 0, self.output.w as i32, self.output.h as i32);
        let area = area.intersect(canvas);
        if area.is_empty() {
            return Vec::new();
        }
        let raw = match self.fill {
            Fill::Flat(c) => vec![c.0],
            Fill::Photo { tones, crop } => {
                let (image, scale) = (&tones.image, tones.scale);
                let (tw, th) = image.dimensions();
                if tw == 0 || th == 0 {
                    return Vec::new();
                }
                // Output pixels to tone pixels, through the crop.
                let along = |v: i32, origin: f64, extent: f64, out: u32| {
                    (origin + v as f64 * extent / out as f64) * scale
                };
                let span = |lo: f64, hi: f64, len: u32| {
                    let first = (lo.floor().max(0.0) as u32).min(len - 1);
                    let last = (hi.ceil() as u32).clamp(first + 1, len);
                    first..last
                };
                let xs = span(
                    along(area.x, crop.x, crop.w, self.output.w),
                    along(area.right(), crop.x, crop.w, self.output.w),
                    tw,
                );
                let ys = span(
                    along(area.y, crop.y, crop.h, self.output.h),
                    along(area.bottom(), crop.y, crop.h, self.output.h),
                    th,
                );
                // Tone pixels per two output pixels, each way.
                let stride = |extent: f64, out: u32| {
                    ((2.0 * extent * scale / out as f64).floor() as usize).max(1)
                };
                let xs = xs.step_by(stride(crop.w, self.output.w));
                ys.step_by(stride(crop.h, self.output.h))
                    .flat_map(|y| xs.clone().map(move |x| image.get_pixel(x, y).0))
                    .collect()
            }
        };
        match self.tint {
            Some(t) => raw
                .into_iter()
                .map(|p| mix(p, t.color.0, t.opacity))
                .collect(),
            None => raw,
        }
    }

    /// Mean WCAG relative luminance under `area` (0 off the canvas).
    pub fn mean_luminance(&self, area: Rect) -> f32 {
        let samples = self.samples(area);
        if samples.is_empty() {
            return 0.0;
        }
        samples.iter().map(|&p| Rgb(p).luminance()).sum::<f32>() / samples.len() as f32
    }

    /// A text layer's colour over `area`: a fixed colour as it is, `auto`
    /// as the allowed colour with the best contrast there.
    pub fn text_color(
        &self,
        color: TextColor,
        area: Rect,
        allowed: impl Iterator<Item = Rgb>,
    ) -> Rgb {
        match color {
            TextColor::Fixed(c) => c,
            TextColor::Auto => best_on(self.mean_luminance(area), allowed),
        }
    }
}

/// The colour of `allowed` with the best WCAG contrast against a
/// background of `luminance` (black when there is none).
fn best_on(luminance: f32, allowed: impl Iterator<Item = Rgb>) -> Rgb {
    allowed
        .map(|c| (contrast_ratio(c.luminance(), luminance), c))
        .fold(
            (0.0, Rgb::BLACK),
            |best, cand| {
                if cand.0 > best.0 { cand } else { best }
            },
        )
        .1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_follow_the_crop_and_the_tint() {
        // Left half black, right half white, tones at half a 200x100 master's size.
        let tones = Tones {
            image: RgbImage::from_fn(100, 50, |x, _| {
                image::Rgb(if x < 50 { [0; 3] } else { [255; 3] })
            }),
            scale: 0.5,
        };
        let crop = Crop {
            x: 100.0,
            y: 0.0,
            w: 100.0,
            h: 100.0,
        };
        let behind = Behind::photo(&tones, crop, Size::new(50, 50), None);
        // The crop shows the master's right half: all white.
        assert!(
            behind
                .samples(Rect::new(0, 0, 50, 50))
                .iter()
                .all(|p| *p == [255; 3])
        );
        // One tone pixel per output pixel: every other one, each way.
        assert_eq!(behind.samples(Rect::new(0, 0, 50, 50)).len(), 25 * 25);
        assert!(behind.samples(Rect::new(60, 0, 10, 10)).is_empty());
        // Tones coarser than the canvas, a fractional crop, an area running
        // off the canvas's corner: every tone pixel it touches, none past
        // the edge.
        let fine = Crop {
            x: 0.5,
            y: 0.0,
            w: 199.5,
            h: 100.0,
        };
        let coarse = Behind::photo(&tones, fine, Size::new(400, 200), None);
        assert_eq!(coarse.samples(Rect::new(390, 190, 20, 20)).len(), 3 * 3);
        let tint = Scrim {
            color: Rgb::BLACK,
            opacity: 0.5,
        };
        let tinted = Behind::photo(&tones, crop, Size::new(50, 50), Some(tint));
        assert_eq!(tinted.samples(Rect::new(0, 0, 1, 1)), vec![[128; 3]]);
        let palette = [Rgb::WHITE, Rgb::BLACK];
        assert_eq!(
            behind.text_color(
                TextColor::Auto,
                Rect::new(0, 0, 50, 50),
                palette.into_iter()
            ),
            Rgb::BLACK
        );
    }
}
