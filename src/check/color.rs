//! Flat colour areas and the palette. A flat area is a connected region of
//! near-constant colour; gradients, texture and noise (skies, studio
//! backdrops, photos) are not, however smooth. Each flat area's colour,
//! sampled inside it away from anti-aliased and JPEG-blurred edges, is
//! compared with the palette and neutrals in CIEDE2000.

use image::RgbImage;

use crate::color::{Lab, Rgb, delta_e_2000};
use crate::geom::Rect;

/// A flat area found in an image.
#[derive(Debug, Clone, PartialEq)]
pub struct FlatArea {
    /// Bounding box in image pixels.
    pub rect: Rect,
    /// Its colour (mean of the interior samples).
    pub color: Rgb,
    /// Area as a fraction of the canvas.
    pub share: f32,
    /// The nearest allowed colour and its distance in ΔE00.
    pub nearest: (Rgb, f64),
}

/// Neighbouring pixels of one area differ by at most this (per channel).
const STEP: i32 = 4;
/// And no pixel strays further than this from the area's first pixel.
const DRIFT: i32 = 7;
/// A flat fill's interior: standard deviation at most this (code values)...
const MAX_STD: f32 = 0.7;
/// ...a 2nd–98th percentile luma range at most this...
const MAX_RANGE: u8 = 2;
/// ...and at least this share of it exactly one colour (designed fills are
/// one colour, JPEG blocks included; a flat-looking photo shadow is not).
const MIN_MODE_SHARE: f64 = 0.6;

/// The flat areas of at least `min_share` of the canvas outside `exclude`,
/// each with its nearest colour among `allowed`.
pub fn flat_areas(
    img: &RgbImage,
    exclude: Option<Rect>,
    min_share: f32,
    allowed: &[Rgb],
) -> Vec<FlatArea> {
    // Half resolution: a quarter of the work, and JPEG noise averages down.
    let small = half(img);
    let (w, h) = (small.width() as usize, small.height() as usize);
    if w < 3 || h < 3 {
        return Vec::new();
    }
    let px: Vec<[i32; 3]> = small.pixels().map(|p| p.0.map(i32::from)).collect();
    let excluded = |x: usize, y: usize| {
        exclude.is_some_and(|r| {
            let (fx, fy) = (2 * x as i32, 2 * y as i32);
            fx + 1 >= r.x && fy + 1 >= r.y && fx < r.right() && fy < r.bottom()
        })
    };
    let close = |a: [i32; 3], b: [i32; 3], t: i32| (0..3).all(|k| (a[k] - b[k]).abs() <= t);
    let neutral: Vec<bool> = (0..w * h).map(|i| excluded(i % w, i / w)).collect();
    let mut flat = vec![false; w * h];
    for y in 0..h {
        for x in 0..w {
            let i = y * w + x;
            if neutral[i] {
                continue;
            }
            let c = px[i];
            let (x0, x1, y0, y1) = (
                x.saturating_sub(1),
                (x + 1).min(w - 1),
                y.saturating_sub(1),
                (y + 1).min(h - 1),
            );
            // Beyond the canvas edge counts as agreeing.
            flat[i] = (y0..=y1).all(|yy| {
                px[yy * w + x0..=yy * w + x1]
                    .iter()
                    .all(|n| close(c, *n, STEP))
            });
        }
    }

    let min_px = (min_share * (w * h) as f32).ceil() as usize;
    let allowed_lab: Vec<(Rgb, Lab)> = allowed.iter().map(|c| (*c, c.to_lab())).collect();
    let mut label = vec![0u32; w * h];
    let mut areas = Vec::new();
    let mut stack = Vec::new();
    let mut members = Vec::new();
    let mut next = 0u32;
    for start in 0..w * h {
        if !flat[start] || label[start] != 0 {
            continue;
        }
        next += 1;
        let seed = px[start];
        members.clear();
        stack.push(start);
        label[start] = next;
        while let Some(i) = stack.pop() {
            members.push(i);
            let (x, y) = (i % w, i / w);
            let neighbours = [
                (x > 0, i.wrapping_sub(1)),
                (x + 1 < w, i + 1),
                (y > 0, i.wrapping_sub(w)),
                (y + 1 < h, i + w),
            ];
            for (ok, j) in neighbours {
                if ok
                    && flat[j]
                    && label[j] == 0
                    && close(px[j], px[i], STEP)
                    && close(px[j], seed, DRIFT)
                {
                    label[j] = next;
                    stack.push(j);
                }
            }
        }
        if members.len() < min_px || !sharp_edged(&members, &label, next, &px, w, h, &neutral) {
            continue;
        }
        // Interior: members whose four neighbours are members too.
        let interior: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&i| {
                let (x, y) = (i % w, i / w);
                [
                    (x > 0, i.wrapping_sub(1)),
                    (x + 1 < w, i + 1),
                    (y > 0, i.wrapping_sub(w)),
                    (y + 1 < h, i + w),
                ]
                .iter()
                .all(|&(inside, j)| !inside || label[j] == next)
            })
            .collect();
        if interior.len() < min_px {
            continue;
        }
        if !designed_shape(&members, w, h, &neutral) {
            continue;
        }
        if let Some(area) = judge(&interior, &px, w, h, &allowed_lab) {
            areas.push(area);
        }
    }
    areas
}

/// Designed fills end at edges: most of an area's border (inside the
/// canvas) is a clear step in colour. Out-of-focus petals and skies fade out instead:
/// the region ends where drift or texture begins, beside similar colours.
fn sharp_edged(
    members: &[usize],
    label: &[u32],
    id: u32,
    px: &[[i32; 3]],
    w: usize,
    h: usize,
    neutral: &[bool],
) -> bool {
    let seed = px[members[0]];
    let differs = |j: usize| (0..3).any(|k| (px[j][k] - seed[k]).abs() >= EDGE_STEP);
    let (mut border, mut sharp) = (0usize, 0usize);
    for &i in members {
        let (x, y) = ((i % w) as i64, (i / w) as i64);
        for (dx, dy) in [(-1i64, 0i64), (1, 0), (0, -1), (0, 1)] {
            let at = |k: i64| {
                let (nx, ny) = (x + k * dx, y + k * dy);
                (nx >= 0 && ny >= 0 && nx < w as i64 && ny < h as i64)
                    .then(|| ny as usize * w + nx as usize)
            };
            // The canvas edge and the logo say nothing either way.
            let Some(j) = at(1) else { continue };
            if label[j] == id || neutral[j] {
                continue;
            }
            // A pinhole (a few noisy pixels inside the area) is no border.
            if (2..=4).any(|k| at(k).is_some_and(|m| label[m] == id)) {
                continue;
            }
            border += 1;
            // The step may sit a few pixels out: next to an edge, pixels are
            // not flat (their neighbourhood crosses it), and JPEG ringing
            // spreads that up to a block (4 px at half size).
            if differs(j) || (2..=4).any(|k| at(k).is_some_and(differs)) {
                sharp += 1;
            }
        }
    }
    border == 0 || sharp * 2 >= border
}

/// Designed fills (panels, bands, buttons, backgrounds) are rectangles; a dark shadow or a bright highlight in a photo that happens to be
/// flat is an irregular blob (a clipped black sky, a shadow). An area
/// passes if it is at least `MIN_SIDE` in both directions and
/// close to half its outline runs along its bounding box (holes, such as a
/// button's label, do not count). A designed circle is the price: it is
/// not judged.
fn designed_shape(members: &[usize], w: usize, h: usize, neutral: &[bool]) -> bool {
    let (mut x0, mut y0, mut x1, mut y1) = (usize::MAX, usize::MAX, 0, 0);
    for &i in members {
        let (x, y) = (i % w, i / w);
        (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
    }
    let (bw, bh) = (x1 - x0 + 1, y1 - y0 + 1);
    if bw < MIN_SIDE || bh < MIN_SIDE {
        return false;
    }
    // The outline: each row's first and last member, each column's.
    let (mut row_min, mut row_max) = (vec![usize::MAX; bh], vec![0; bh]);
    let (mut col_min, mut col_max) = (vec![usize::MAX; bw], vec![0; bw]);
    for &i in members {
        let (x, y) = (i % w - x0, i / w - y0);
        (row_min[y], row_max[y]) = (row_min[y].min(x), row_max[y].max(x));
        (col_min[x], col_max[x]) = (col_min[x].min(y), col_max[x].max(y));
    }
    // An outline point counts when it lies within 3 px of the box (rounded
    // corners, anti-aliasing and JPEG ringing stay that close). Points whose
    // outer neighbour is off the canvas or inside the logo say nothing: a
    // clipped sky is straight there too.
    let beyond = |x: i64, y: i64| {
        x < 0 || y < 0 || x >= w as i64 || y >= h as i64 || neutral[y as usize * w + x as usize]
    };
    let (mut on_box, mut total) = (0usize, 0usize);
    let mut count = |outer_x: i64, outer_y: i64, near: bool| {
        if !beyond(outer_x, outer_y) {
            total += 1;
            on_box += usize::from(near);
        }
    };
    for (y, (&lo, &hi)) in row_min.iter().zip(&row_max).enumerate() {
        let ay = (y0 + y) as i64;
        count((x0 + lo) as i64 - 1, ay, lo <= 3);
        count((x0 + hi) as i64 + 1, ay, hi + 4 >= bw);
    }
    for (x, (&lo, &hi)) in col_min.iter().zip(&col_max).enumerate() {
        let ax = (x0 + x) as i64;
        count(ax, (y0 + lo) as i64 - 1, lo <= 3);
        count(ax, (y0 + hi) as i64 + 1, hi + 4 >= bh);
    }
    total == 0 || on_box * 20 >= total * 9
}

/// Both sides of a designed fill are at least this (24 px at full size):
/// anything thinner is a line or a sliver of photo, not a fill.
const MIN_SIDE: usize = 12;

/// A colour step at least this big (one channel) counts as an edge.
const EDGE_STEP: i32 = 10;

/// A flat fill's colour and nearest allowed colour; `None` for a gradient or texture.
fn judge(
    interior: &[usize],
    px: &[[i32; 3]],
    w: usize,
    h: usize,
    allowed: &[(Rgb, Lab)],
) -> Option<FlatArea> {
    let n = interior.len() as f64;
    let mut sum = [0f64; 3];
    let mut sq = [0f64; 3];
    let mut hist = [0u32; 256];
    let (mut x0, mut y0, mut x1, mut y1) = (usize::MAX, usize::MAX, 0, 0);
    for &i in interior {
        let c = px[i];
        for k in 0..3 {
            sum[k] += c[k] as f64;
            sq[k] += (c[k] * c[k]) as f64;
        }
        let luma = (299 * c[0] + 587 * c[1] + 114 * c[2]) / 1000;
        hist[luma.clamp(0, 255) as usize] += 1;
        let (x, y) = (i % w, i / w);
        (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x + 1), y1.max(y + 1));
    }
    let mean = sum.map(|s| s / n);
    let std = (0..3)
        .map(|k| (sq[k] / n - mean[k] * mean[k]).max(0.0).sqrt())
        .sum::<f64>()
        / 3.0;
    let range = percentile(&hist, 0.98).saturating_sub(percentile(&hist, 0.02));
    let mut counts = std::collections::HashMap::new();
    for &i in interior {
        *counts.entry(px[i]).or_insert(0usize) += 1;
    }
    let mode_share = *counts.values().max().unwrap_or(&0) as f64 / n;
    if std as f32 > MAX_STD || range > MAX_RANGE || mode_share < MIN_MODE_SHARE {
        return None;
    }
    let color = Rgb(mean.map(|m| m.round().clamp(0.0, 255.0) as u8));
    let lab = color.to_lab();
    let nearest = allowed
        .iter()
        .map(|(c, l)| (*c, delta_e_2000(lab, *l)))
        .fold((Rgb::BLACK, f64::INFINITY), |best, cand| {
            if cand.1 < best.1 { cand } else { best }
        });
    Some(FlatArea {
        rect: Rect::from_edges(
            2 * x0 as i32 - 2,
            2 * y0 as i32 - 2,
            2 * x1 as i32 + 2,
            2 * y1 as i32 + 2,
        ),
        color,
        // The interior misses a one-pixel rim at half size; the share is of the whole area.
        share: interior.len() as f32 / (w * h) as f32,
        nearest,
    })
}

fn percentile(hist: &[u32; 256], q: f64) -> u8 {
    let total: u32 = hist.iter().sum();
    let target = (total as f64 * q).ceil() as u32;
    let mut acc = 0;
    for (v, &c) in hist.iter().enumerate() {
        acc += c;
        if acc >= target.max(1) {
            return v as u8;
        }
    }
    255
}

fn half(img: &RgbImage) -> RgbImage {
    let (sw, sh) = (img.width() as usize, img.height() as usize);
    let (w, h) = ((sw / 2).max(1), (sh / 2).max(1));
    let src = img.as_raw();
    let mut out = Vec::with_capacity(w * h * 3);
    for y in 0..h {
        let (r0, r1) = (
            (2 * y).min(sh - 1) * sw * 3,
            (2 * y + 1).min(sh - 1) * sw * 3,
        );
        for x in 0..w {
            let (c0, c1) = ((2 * x).min(sw - 1) * 3, (2 * x + 1).min(sw - 1) * 3);
            for k in 0..3 {
                let sum = src[r0 + c0 + k] as u32
                    + src[r0 + c1 + k] as u32
                    + src[r1 + c0 + k] as u32
                    + src[r1 + c1 + k] as u32;
                out.push(((sum + 2) / 4) as u8);
            }
        }
    }
    RgbImage::from_raw(w as u32, h as u32, out).expect("buffer sized to the image")
}

/// `color.palette` over the flat areas found.
pub fn palette_rule(areas: &[FlatArea], brand: &crate::spec::Brand) -> super::Finding {
    use super::Finding;
    let tolerance = brand.colors.tolerance as f64;
    let name_of = |c: Rgb| {
        brand
            .colors
            .palette
            .iter()
            .find(|(_, p)| *p == c)
            .map_or_else(|| format!("neutral {c}"), |(n, _)| format!("{n} {c}"))
    };
    let worst = areas
        .iter()
        .max_by(|a, b| a.nearest.1.total_cmp(&b.nearest.1));
    match worst {
        None => Finding::pass("color.palette", "no flat colour areas outside the photo and logo").values(0.0, tolerance),
        Some(a) if a.nearest.1 <= tolerance => Finding::pass(
            "color.palette",
            format!("{} flat colour areas, all within ΔE00 {tolerance} of the palette (worst {:.2})", areas.len(), a.nearest.1),
        )
        .values((a.nearest.1 * 100.0).round() / 100.0, tolerance),
        Some(a) => Finding::fail(
            "color.palette",
            format!(
                "a flat area of {} covers {:.1} % of the banner; the nearest brand colour, {}, is ΔE00 {:.1} away (tolerance {tolerance})",
                a.color,
                a.share * 100.0,
                name_of(a.nearest.0),
                a.nearest.1
            ),
        )
        .values((a.nearest.1 * 100.0).round() / 100.0, tolerance)
        .at(a.rect),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PALETTE: [Rgb; 2] = [Rgb([0x3B, 0x2A, 0x20]), Rgb([0xF5, 0xE6, 0xD3])];

    fn canvas_with_panel(panel: Rgb) -> RgbImage {
        RgbImage::from_fn(300, 250, |x, y| {
            if (40..200).contains(&x) && (60..180).contains(&y) {
                image::Rgb(panel.0)
            } else {
                image::Rgb(PALETTE[1].0)
            }
        })
    }

    #[test]
    fn finds_a_flat_panel_and_measures_its_distance() {
        let off = Rgb([0xE4, 0x57, 0x2E]);
        let areas = flat_areas(&canvas_with_panel(off), None, 0.002, &PALETTE);
        let panel = areas.iter().find(|a| a.color == off).expect("panel found");
        assert!(panel.nearest.1 > 20.0);
        assert!(
            panel.rect.x <= 42 && panel.rect.right() >= 198,
            "{:?}",
            panel.rect
        );
        let cream = areas
            .iter()
            .find(|a| a.color == PALETTE[1])
            .expect("background found");
        assert!(cream.nearest.1 < 0.01);
    }

    #[test]
    fn gradients_and_noise_are_not_flat() {
        let sky = RgbImage::from_fn(400, 300, |_, y| {
            image::Rgb([90 + (y / 6) as u8, 150 + (y / 8) as u8, 230])
        });
        assert!(flat_areas(&sky, None, 0.002, &PALETTE).is_empty());
        let noisy = RgbImage::from_fn(400, 300, |x, y| {
            let n = ((x * 2654435761u32.wrapping_mul(y + 1)) >> 28) as u8;
            image::Rgb([120 + n, 120 + n, 120 + n])
        });
        assert!(flat_areas(&noisy, None, 0.002, &PALETTE).is_empty());
    }

    #[test]
    fn the_logo_box_is_excluded() {
        let off = Rgb([0xE4, 0x57, 0x2E]);
        let areas = flat_areas(
            &canvas_with_panel(off),
            Some(Rect::new(30, 50, 180, 140)),
            0.002,
            &PALETTE,
        );
        assert!(areas.iter().all(|a| a.color != off));
    }
}
