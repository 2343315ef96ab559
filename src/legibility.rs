//! How legible text is, measured on pixels: the WCAG contrast of the glyphs
//! against what lies just around them. The checker judges banners with it,
//! and the renderer uses the same measure to decide how much scrim a text
//! layer needs, so what it draws passes what it checks.

use image::RgbImage;

use crate::color::{Rgb, contrast_ratio};
use crate::geom::Rect;

/// The 10th-percentile contrast of `color`'s glyph pixels in `bbox` against
/// the pixels 4–6 px around them inside the text's box (grown by 2 px):
/// what is behind the text, not the next layer. `None` when no glyph pixel is found.
pub fn measure_contrast(img: &RgbImage, bbox: Rect, color: Rgb) -> Option<f32> {
    let canvas = Rect::new(0, 0, img.width() as i32, img.height() as i32);
    let area = bbox.inset(-2).intersect(canvas);
    if area.is_empty() {
        return None;
    }
    let (w, h) = (area.w as usize, area.h as usize);
    let near =
        |p: &image::Rgb<u8>, t: i32| (0..3).all(|k| (p[k] as i32 - color.0[k] as i32).abs() <= t);
    let mut glyph = vec![false; w * h];
    let mut core = Vec::new();
    for y in 0..h {
        for x in 0..w {
            let p = img.get_pixel(area.x as u32 + x as u32, area.y as u32 + y as u32);
            let inside = bbox.contains(Rect::new(area.x + x as i32, area.y + y as i32, 1, 1));
            if inside && near(p, 48) {
                glyph[y * w + x] = true;
                if near(p, 16) {
                    core.push(Rgb(p.0).luminance());
                }
            }
        }
    }
    if core.len() < 4 {
        return None;
    }
    core.sort_by(f32::total_cmp);
    let text_lum = core[core.len() / 2];
    // Pixels 4–6 px from the glyphs: beyond their anti-aliased fringe, which
    // is a mix of text and background and would understate the contrast.
    let near2 = dilate(&glyph, w, h, 3);
    let near5 = dilate(&glyph, w, h, 6);
    let mut ratios: Vec<f32> = (0..w * h)
        .filter(|&i| near5[i] && !near2[i])
        .map(|i| {
            let p = img.get_pixel(
                area.x as u32 + (i % w) as u32,
                area.y as u32 + (i / w) as u32,
            );
            contrast_ratio(text_lum, Rgb(p.0).luminance())
        })
        .collect();
    if ratios.is_empty() {
        return None;
    }
    let tenth = ratios.len() / 10;
    Some(*ratios.select_nth_unstable_by(tenth, f32::total_cmp).1)
}

/// Square dilation by `r` pixels: separable, each pass a sliding count
/// (prefix sums), so the cost does not grow with `r`.
fn dilate(mask: &[bool], w: usize, h: usize, r: usize) -> Vec<bool> {
    let pass = |get: &dyn Fn(usize, usize) -> bool,
                len: usize,
                lines: usize,
                out: &mut dyn FnMut(usize, usize, bool)| {
        let mut prefix = vec![0u32; len + 1];
        for line in 0..lines {
            for i in 0..len {
                prefix[i + 1] = prefix[i] + u32::from(get(line, i));
            }
            for i in 0..len {
                let (a, b) = (i.saturating_sub(r), (i + r).min(len - 1));
                out(line, i, prefix[b + 1] > prefix[a]);
            }
        }
    };
    let mut rows = vec![false; w * h];
    pass(&|y, x| mask[y * w + x], w, h, &mut |y, x, v| {
        rows[y * w + x] = v
    });
    let mut out = vec![false; w * h];
    pass(&|x, y| rows[y * w + x], h, w, &mut |x, y, v| {
        out[y * w + x] = v
    });
    out
}
