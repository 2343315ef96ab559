//! How legible text is, measured on pixels: the WCAG contrast of the glyphs
//! against what lies just around them. The checker judges banners with it,
//! and the renderer uses the same measure to decide how much scrim a text
//! layer needs, so what it draws passes what it checks.

use image::RgbImage;

use crate::color::{Rgb, contrast_ratio};
use crate::geom::Rect;

/// The 10th-percentile contrast of `color`'s glyph pixels in `bbox` against
/// the pixels 4–6 px around them inside the text's box (grown by 2 px):
/// what is behind the text, not the next layer. `None` when fewer than
/// four glyph pixels are found.
pub fn measure_contrast(img: &RgbImage, bbox: Rect, color: Rgb) -> Option<f32> {
    let canvas = Rect::new(0, 0, img.width() as i32, img.height() as i32);
    let area = bbox.inset(-2).intersect(canvas);
    if area.is_empty() {
        return None;
    }
    let (w, h) = (area.w as usize, area.h as usize);
    let stride = img.width() as usize * 3;
    let pixel_row = |y: usize| {
        let start = (area.y as usize + y) * stride + area.x as usize * 3;
        &img.as_raw()[start..start + w * 3]
    };
    let distance = |p: &[u8]| (0..3).map(|k| p[k].abs_diff(color.0[k])).max().unwrap_or(0);
    // The text's own box, in area coordinates.
    let inner = bbox.intersect(area);
    let (ix0, ix1) = (
        (inner.x - area.x) as usize,
        (inner.right() - area.x) as usize,
    );
    let (iy0, iy1) = (
        (inner.y - area.y) as usize,
        (inner.bottom() - area.y) as usize,
    );
    // Glyph pixels: within 48 code values of the colour, or — where the
    // text stands far from what is behind it — at least half-way from the
    // background to the colour (thin strokes of small text, blurred by
    // anti-aliasing and JPEG, rarely come closer). The background's
    // distance is the box's median: glyphs cover well under half a text box.
    let mut distances = Vec::with_capacity(inner.area().max(0) as usize);
    for y in iy0..iy1 {
        let row = pixel_row(y);
        distances.extend((ix0..ix1).map(|x| distance(&row[x * 3..x * 3 + 3])));
    }
    if distances.is_empty() {
        return None;
    }
    let middle = distances.len() / 2;
    let background = *distances.select_nth_unstable(middle).1;
    let reach = (background / 2).max(48);
    let mut glyph = vec![false; w * h];
    let mut core = Vec::new();
    for y in iy0..iy1 {
        let row = pixel_row(y);
        for x in ix0..ix1 {
            let p = &row[x * 3..x * 3 + 3];
            let d = distance(p);
            if d <= reach {
                glyph[y * w + x] = true;
                if d <= 16 {
                    core.push(Rgb([p[0], p[1], p[2]]).luminance());
                }
            }
        }
    }
    if glyph.iter().filter(|&&g| g).count() < 4 {
        return None;
    }
    // The ink's own luminance where its strokes are solid; small text in a
    // JPEG may have none (thin strokes blurred by the DCT and their chroma
    // averaged over 2x2 pixels never reach the colour they were set in),
    // and then the colour set stands for them. Their positions are still
    // found, so what is behind them is still measured.
    let text_lum = if core.len() >= 4 {
        let middle = core.len() / 2;
        *core.select_nth_unstable_by(middle, f32::total_cmp).1
    } else {
        color.luminance()
    };
    // Pixels 4–6 px from the glyphs: beyond their anti-aliased fringe, which
    // is a mix of text and background and would understate the contrast.
    let distance = glyph_distance(&glyph, w, h);
    let mut ratios = Vec::new();
    for y in 0..h {
        let row = pixel_row(y);
        for x in 0..w {
            if (4..=6).contains(&distance[y * w + x]) {
                let p = &row[x * 3..x * 3 + 3];
                ratios.push(contrast_ratio(
                    text_lum,
                    Rgb([p[0], p[1], p[2]]).luminance(),
                ));
            }
        }
    }
    if ratios.is_empty() {
        return None;
    }
    let tenth = ratios.len() / 10;
    Some(*ratios.select_nth_unstable_by(tenth, f32::total_cmp).1)
}

/// Chebyshev distance of every pixel to the nearest set pixel of `mask`,
/// capped at `FAR`: the square dilation by r is `distance <= r`. Separable:
/// two scans along each row, then the nearest row within reach per column
/// (row-major, so it vectorises).
fn glyph_distance(mask: &[bool], w: usize, h: usize) -> Vec<u8> {
    let mut across = vec![FAR; w * h];
    for (src, dst) in mask.chunks_exact(w).zip(across.chunks_exact_mut(w)) {
        let mut d = FAR;
        for (m, o) in src.iter().zip(dst.iter_mut()) {
            d = if *m { 0 } else { (d + 1).min(FAR) };
            *o = d;
        }
        let mut d = FAR;
        for (m, o) in src.iter().zip(dst.iter_mut()).rev() {
            d = if *m { 0 } else { (d + 1).min(FAR) };
            *o = (*o).min(d);
        }
    }
    let mut out = vec![FAR; w * h];
    for y in 0..h {
        let dst = &mut out[y * w..(y + 1) * w];
        let reach = FAR as usize;
        for yy in y.saturating_sub(reach)..(y + reach + 1).min(h) {
            let dy = y.abs_diff(yy) as u8;
            for (o, &a) in dst.iter_mut().zip(&across[yy * w..(yy + 1) * w]) {
                *o = (*o).min(a.max(dy));
            }
        }
    }
    out
}

/// Distances are exact up to this (one more than the ring's outer edge).
const FAR: u8 = 7;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_matches_the_definition() {
        let (w, h) = (23, 17);
        // A fixed scatter of set pixels, including the edges.
        let mask: Vec<bool> = (0..w * h)
            .map(|i| (i * 7919) % 37 == 0 || i == w * h - 1)
            .collect();
        let distance = glyph_distance(&mask, w, h);
        for r in [0, 1, 3, 6] {
            let got: Vec<bool> = distance.iter().map(|&d| d as usize <= r).collect();
            for y in 0..h {
                for x in 0..w {
                    let want = (y.saturating_sub(r)..=(y + r).min(h - 1)).any(|yy| {
                        (x.saturating_sub(r)..=(x + r).min(w - 1)).any(|xx| mask[yy * w + xx])
                    });
                    assert_eq!(got[y * w + x], want, "r={r} at ({x},{y})");
                }
            }
        }
    }

    /// Small black text on cream, as a JPEG at quality 75 with 4:2:0
    /// chroma: no stroke pixel comes within 48 code values of black, yet
    /// the glyphs are found and the contrast measured near black-on-cream's.
    #[test]
    fn small_dark_text_is_found_through_jpeg() {
        let cream = image::Rgb([0xF5, 0xE6, 0xD3]);
        let mut img = RgbImage::from_pixel(120, 30, cream);
        // One-pixel stems straddling two pixels, 4 px apart, as a 12 px
        // regular weight sets them: each pixel half covered.
        for y in 10..20 {
            for x in (12..108).step_by(4) {
                img.put_pixel(x, y, image::Rgb([0x7A, 0x73, 0x6A]));
                img.put_pixel(x + 1, y, image::Rgb([0x7A, 0x73, 0x6A]));
            }
        }
        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 75)
            .encode_image(&img)
            .unwrap();
        let decoded = image::load_from_memory(&jpeg).unwrap().to_rgb8();
        let darkest = decoded.pixels().map(|p| *p.0.iter().max().unwrap()).min();
        assert!(
            darkest.unwrap() > 48,
            "the test needs strokes that never reach black"
        );
        let ratio = measure_contrast(&decoded, Rect::new(10, 8, 100, 14), Rgb([0, 0, 0])).unwrap();
        assert!(ratio > 10.0, "{ratio}");
    }

    #[test]
    fn white_text_on_black_measures_the_full_ratio() {
        let mut img = RgbImage::from_pixel(60, 30, image::Rgb([0, 0, 0]));
        for y in 10..20 {
            for x in 10..50 {
                if x % 6 < 2 {
                    img.put_pixel(x, y, image::Rgb([255, 255, 255]));
                }
            }
        }
        let ratio = measure_contrast(&img, Rect::new(8, 8, 44, 14), Rgb([255, 255, 255])).unwrap();
        assert!((ratio - 21.0).abs() < 0.01, "{ratio}");
        // No glyph pixels of a colour that is not there.
        assert_eq!(
            measure_contrast(&img, Rect::new(8, 8, 44, 14), Rgb([200, 0, 0])),
            None
        );
    }
}
