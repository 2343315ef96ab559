//! Pixel blending. Anti-aliased edges (glyphs, the button) blend in linear
//! light so coverage means what it says; scrims and logos composite in sRGB
//! as browsers and design tools do, so opacity looks the way the designer set it.

use image::RgbImage;

use crate::color::{Rgb, to_linear, to_srgb};
use crate::font::GlyphBitmap;
use crate::geom::Rect;

/// Coverage of a shape over a rectangle of the canvas, 0..1 per pixel.
pub struct Mask {
    /// Where the mask sits on the canvas.
    pub area: Rect,
    /// Row-major coverage.
    pub coverage: Vec<f32>,
}

impl Mask {
    /// An empty mask over `area`.
    pub fn new(area: Rect) -> Mask {
        Mask {
            area,
            coverage: vec![0.0; area.area().max(0) as usize],
        }
    }

    /// Adds coverage at canvas pixel (x, y), saturating at 1.
    pub fn add(&mut self, x: i32, y: i32, c: f32) {
        let a = self.area;
        if x >= a.x && y >= a.y && x < a.right() && y < a.bottom() {
            let i = ((y - a.y) * a.w + (x - a.x)) as usize;
            self.coverage[i] = (self.coverage[i] + c).min(1.0);
        }
    }

    /// Adds a glyph's coverage with its top-left pixel at canvas (x, y),
    /// clipped to the mask, saturating at 1.
    pub fn add_bitmap(&mut self, x: i32, y: i32, glyph: &GlyphBitmap) {
        let a = self.area;
        let clip = a.intersect(Rect::new(x, y, glyph.width as i32, glyph.height as i32));
        for row in clip.y..clip.bottom() {
            let src = (row - y) as usize * glyph.width + (clip.x - x) as usize;
            let dst = ((row - a.y) * a.w + (clip.x - a.x)) as usize;
            let n = clip.w as usize;
            for (d, s) in self.coverage[dst..dst + n]
                .iter_mut()
                .zip(&glyph.coverage[src..src + n])
            {
                *d = (*d + s).min(1.0);
            }
        }
    }
}

/// Paints `color` through `mask`, blending in linear light.
pub fn paint(canvas: &mut RgbImage, mask: &Mask, color: Rgb) {
    let src = color.0.map(to_linear);
    let area = mask.area.intersect(Rect::new(
        0,
        0,
        canvas.width() as i32,
        canvas.height() as i32,
    ));
    for y in area.y..area.bottom() {
        for x in area.x..area.right() {
            let c = mask.coverage[((y - mask.area.y) * mask.area.w + (x - mask.area.x)) as usize];
            if c <= 0.0 {
                continue;
            }
            let p = canvas.get_pixel_mut(x as u32, y as u32);
            if c >= 1.0 {
                p.0 = color.0;
                continue;
            }
            for (dst, s) in p.0.iter_mut().zip(src) {
                *dst = to_srgb(to_linear(*dst) * (1.0 - c) + s * c);
            }
        }
    }
}

/// Tints the whole canvas with `color` at `opacity` (sRGB "normal" blending).
pub fn tint(canvas: &mut RgbImage, color: Rgb, opacity: f32) {
    let a = (opacity.clamp(0.0, 1.0) * 255.0).round() as u32;
    let src = color.0.map(|c| c as u32 * a);
    for p in canvas.pixels_mut() {
        for (dst, s) in p.0.iter_mut().zip(src) {
            *dst = ((*dst as u32 * (255 - a) + s + 127) / 255) as u8;
        }
    }
}

/// Composites premultiplied RGBA `art` (`w` × `h`) with its top-left at `at`.
pub fn composite_premultiplied(canvas: &mut RgbImage, art: &[u8], w: u32, h: u32, at: (i32, i32)) {
    for y in 0..h as i32 {
        let cy = at.1 + y;
        if cy < 0 || cy >= canvas.height() as i32 {
            continue;
        }
        for x in 0..w as i32 {
            let cx = at.0 + x;
            if cx < 0 || cx >= canvas.width() as i32 {
                continue;
            }
            let i = ((y as u32 * w + x as u32) * 4) as usize;
            let a = art[i + 3] as u32;
            if a == 0 {
                continue;
            }
            let p = canvas.get_pixel_mut(cx as u32, cy as u32);
            for k in 0..3 {
                p.0[k] =
                    (art[i + k] as u32 + (p.0[k] as u32 * (255 - a) + 127) / 255).min(255) as u8;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_coverage_is_half_light_not_half_code_value() {
        let mut canvas = RgbImage::from_pixel(1, 1, image::Rgb([0, 0, 0]));
        let mut mask = Mask::new(Rect::new(0, 0, 1, 1));
        mask.add(0, 0, 0.5);
        paint(&mut canvas, &mask, Rgb::WHITE);
        // 50 % linear light is sRGB 188, not 128.
        assert_eq!(canvas.get_pixel(0, 0).0, [188, 188, 188]);
    }

    #[test]
    fn tint_is_srgb_normal_blend() {
        let mut canvas = RgbImage::from_pixel(1, 1, image::Rgb([255, 255, 255]));
        tint(&mut canvas, Rgb::BLACK, 0.5);
        assert_eq!(canvas.get_pixel(0, 0).0, [127, 127, 127]);
    }
}
