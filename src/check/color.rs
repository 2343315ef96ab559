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

/// The label of a pixel that is not flat (or is in the logo's box).
const NOT_FLAT: u32 = u32::MAX;

/// Neighbouring pixels of one area differ by at most this (per channel).
const STEP: u8 = 4;
/// And no pixel strays further than this from the area's first pixel.
const DRIFT: u8 = 7;
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
    Smoothness::new(img).flat_areas(exclude, min_share, allowed)
}

/// The image at half size and which of its pixels are flat: the part of
/// the analysis that does not depend on where the logo is, so the checker
/// can run it while the logo is searched.
pub struct Smoothness {
    w: usize,
    h: usize,
    px: Vec<[u8; 3]>,
    rough: Vec<bool>,
}

impl Smoothness {
    /// Half resolution: a quarter of the work, and JPEG noise averages down.
    pub fn new(img: &RgbImage) -> Smoothness {
        let (w, h, px) = half(img);
        let rough = if w < 3 || h < 3 {
            Vec::new()
        } else {
            rough_pixels(&px, w, h)
        };
        Smoothness { w, h, px, rough }
    }

    /// The flat areas of at least `min_share` of the canvas outside
    /// `exclude`, each with its nearest colour among `allowed`.
    pub fn flat_areas(
        &self,
        exclude: Option<Rect>,
        min_share: f32,
        allowed: &[Rgb],
    ) -> Vec<FlatArea> {
        let (w, h, px) = (self.w, self.h, &self.px[..]);
        if w < 3 || h < 3 {
            return Vec::new();
        }
        // The logo's box (in half-size pixels) is neither judged nor a border.
        let mut neutral = vec![false; w * h];
        if let Some(r) = exclude {
            let x0 = ((r.x - 1).max(0) as usize).div_ceil(2);
            let y0 = ((r.y - 1).max(0) as usize).div_ceil(2);
            let x1 = ((r.right().max(0) as usize).div_ceil(2)).min(w);
            let y1 = ((r.bottom().max(0) as usize).div_ceil(2)).min(h);
            for y in y0.min(h)..y1 {
                neutral[y * w + x0.min(x1)..y * w + x1].fill(true);
            }
        }
        // Region labels from 1; 0 is a flat pixel not yet in a region.
        let mut label: Vec<u32> = self
            .rough
            .iter()
            .zip(&neutral)
            .map(|(&rough, &n)| if rough || n { NOT_FLAT } else { 0 })
            .collect();

        let min_px = (min_share * (w * h) as f32).ceil() as usize;
        let allowed_lab: Vec<(Rgb, Lab)> = allowed.iter().map(|c| (*c, c.to_lab())).collect();
        let mut areas = Vec::new();
        let mut stack = Vec::new();
        let mut members = Vec::new();
        let mut next = 0u32;
        for start in 0..w * h {
            if label[start] != 0 {
                continue;
            }
            next += 1;
            let seed = px[start];
            // Scanline fill of the 4-connected pixels that are flat, unlabelled
            // and within DRIFT of the seed (a flat pixel is within STEP of every
            // neighbour already).
            let admit = |label: &[u32], j: usize| label[j] == 0 && close(px[j], seed, DRIFT);
            members.clear();
            stack.push(xy(start, w));
            while let Some((x, y)) = stack.pop() {
                let row = y * w;
                if label[row + x] != 0 {
                    continue;
                }
                let (mut l, mut r) = (x, x);
                while l > 0 && admit(&label, row + l - 1) {
                    l -= 1;
                }
                while r + 1 < w && admit(&label, row + r + 1) {
                    r += 1;
                }
                label[row + l..=row + r].fill(next);
                members.extend(row + l..=row + r);
                for ny in [y.wrapping_sub(1), y + 1] {
                    if ny >= h {
                        continue;
                    }
                    let mut k = l;
                    while k <= r {
                        if admit(&label, ny * w + k) {
                            stack.push((k, ny));
                            while k <= r && admit(&label, ny * w + k) {
                                k += 1;
                            }
                        }
                        k += 1;
                    }
                }
            }
            // The tests, cheapest first (all must hold). A fill from edge
            // to edge of the canvas is its background, designed whatever
            // is set on it: its only borders are text, buttons and the
            // logo, and nothing in a photo is flat from edge to edge.
            if members.len() < min_px {
                continue;
            }
            let bounds = bounds(&members, w);
            let background = bounds == (0, 0, w - 1, h - 1);
            if !(background
                || designed_shape(&members, bounds, w, h, &neutral)
                    && sharp_edged(&members, seed, &label, next, px, w, h, &neutral))
            {
                continue;
            }
            // Interior: members whose four neighbours are members too.
            let interior: Vec<usize> = members
                .iter()
                .copied()
                .filter(|&i| {
                    let (x, y) = xy(i, w);
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
            if let Some(area) = judge(&interior, px, w, h, &allowed_lab) {
                areas.push(area);
            }
        }
        areas
    }
}

/// The bounding box of `members` (pixels of a `w`-wide grid): first and
/// last column, first and last row.
fn bounds(members: &[usize], w: usize) -> (usize, usize, usize, usize) {
    let (mut x0, mut y0, mut x1, mut y1) = (usize::MAX, usize::MAX, 0, 0);
    for &i in members {
        let (x, y) = xy(i, w);
        (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
    }
    (x0, y0, x1, y1)
}

/// Designed fills end at edges: most of an area's border (inside the
/// canvas) is a clear step in colour. Out-of-focus petals and skies fade out instead:
/// the region ends where drift or texture begins, beside similar colours.
#[allow(clippy::too_many_arguments)]
fn sharp_edged(
    members: &[usize],
    seed: [u8; 3],
    label: &[u32],
    id: u32,
    px: &[[u8; 3]],
    w: usize,
    h: usize,
    neutral: &[bool],
) -> bool {
    let differs = |j: usize| !close(px[j], seed, EDGE_STEP - 1);
    let (mut border, mut sharp) = (0usize, 0usize);
    for &i in members {
        let (x, y) = xy(i, w);
        let (x, y) = (x as i64, y as i64);
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

/// Designed fills (panels, bands, buttons, backgrounds) are rectangles; a
/// dark shadow or a bright highlight in a photo that happens to be flat is
/// an irregular blob (a clipped black sky, a shadow). An area passes if its
/// bounding box `bounds` is at least `MIN_SIDE` in both directions and
/// close to half its outline runs along that box (holes, such as a
/// button's label, do not count). A designed circle is the price: it is
/// not judged.
fn designed_shape(
    members: &[usize],
    (x0, y0, x1, y1): (usize, usize, usize, usize),
    w: usize,
    h: usize,
    neutral: &[bool],
) -> bool {
    let (bw, bh) = (x1 - x0 + 1, y1 - y0 + 1);
    if bw < MIN_SIDE || bh < MIN_SIDE {
        return false;
    }
    // The outline: each row's first and last member, each column's.
    let (mut row_min, mut row_max) = (vec![usize::MAX; bh], vec![0; bh]);
    let (mut col_min, mut col_max) = (vec![usize::MAX; bw], vec![0; bw]);
    for &i in members {
        let (x, y) = xy(i, w);
        let (x, y) = (x - x0, y - y0);
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
const EDGE_STEP: u8 = 10;

/// A flat fill's colour and nearest allowed colour; `None` for a gradient or texture.
fn judge(
    interior: &[usize],
    px: &[[u8; 3]],
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
        let c = px[i].map(i32::from);
        for k in 0..3 {
            sum[k] += c[k] as f64;
            sq[k] += (c[k] * c[k]) as f64;
        }
        let luma = (299 * c[0] + 587 * c[1] + 114 * c[2]) / 1000;
        hist[luma.clamp(0, 255) as usize] += 1;
        let (x, y) = xy(i, w);
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

/// The image at half size (2x2 box filter, rounded), row-major.
fn half(img: &RgbImage) -> (usize, usize, Vec<[u8; 3]>) {
    let sw = img.width() as usize;
    let (w, h) = (sw / 2, img.height() as usize / 2);
    let mut out = Vec::with_capacity(w * h);
    let mut pair = vec![0u16; sw * 3];
    for rows in img.as_raw().chunks_exact(sw * 3 * 2).take(h) {
        // Rows summed first (vectorises), then neighbouring pixels.
        let (r0, r1) = rows.split_at(sw * 3);
        for ((p, a), b) in pair.iter_mut().zip(r0).zip(r1) {
            *p = *a as u16 + *b as u16;
        }
        out.extend(pair.chunks_exact(6).take(w).map(|s| {
            [
                ((s[0] + s[3] + 2) >> 2) as u8,
                ((s[1] + s[4] + 2) >> 2) as u8,
                ((s[2] + s[5] + 2) >> 2) as u8,
            ]
        }));
    }
    (w, h, out)
}

/// Pixels with a neighbour (of eight) more than STEP away in some channel;
/// beyond the canvas counts as agreeing. Each neighbour relation is
/// symmetric: every pair is compared once, on channel planes so the
/// comparisons vectorise, and both ends are marked.
fn rough_pixels(px: &[[u8; 3]], w: usize, h: usize) -> Vec<bool> {
    let planes: [Vec<u8>; 3] = std::array::from_fn(|c| px.iter().map(|p| p[c]).collect());
    let row = |y: usize| -> [&[u8]; 3] { std::array::from_fn(|c| &planes[c][y * w..(y + 1) * w]) };
    let mut rough = vec![0u8; w * h];
    let mut step = vec![0u8; w];
    for y in 0..h {
        let here = row(y);
        steps(here, shift(here), &mut step[..w - 1]);
        let r = &mut rough[y * w..(y + 1) * w];
        or_into(r, &step[..w - 1]);
        or_into(&mut r[1..], &step[..w - 1]);
        if y + 1 == h {
            break;
        }
        let below = row(y + 1);
        let (top, bottom) = rough[y * w..(y + 2) * w].split_at_mut(w);
        // South, south-east and south-west neighbours.
        steps(here, below, &mut step);
        or_into(top, &step);
        or_into(bottom, &step);
        steps(here, shift(below), &mut step[..w - 1]);
        or_into(top, &step[..w - 1]);
        or_into(&mut bottom[1..], &step[..w - 1]);
        steps(shift(here), below, &mut step[..w - 1]);
        or_into(&mut top[1..], &step[..w - 1]);
        or_into(bottom, &step[..w - 1]);
    }
    rough.into_iter().map(|r| r != 0).collect()
}

/// The planes from their second pixel on.
fn shift(r: [&[u8]; 3]) -> [&[u8]; 3] {
    r.map(|p| &p[1..])
}

/// `out[x]` = 1 where pixel x of `a` and of `b` differ by more than STEP.
fn steps(a: [&[u8]; 3], b: [&[u8]; 3], out: &mut [u8]) {
    let n = out.len();
    let (a0, a1, a2) = (&a[0][..n], &a[1][..n], &a[2][..n]);
    let (b0, b1, b2) = (&b[0][..n], &b[1][..n], &b[2][..n]);
    for x in 0..n {
        let d = a0[x]
            .abs_diff(b0[x])
            .max(a1[x].abs_diff(b1[x]))
            .max(a2[x].abs_diff(b2[x]));
        out[x] = u8::from(d > STEP);
    }
}

fn or_into(dst: &mut [u8], src: &[u8]) {
    for (d, s) in dst.iter_mut().zip(src) {
        *d |= s;
    }
}

/// Column and row of index `i` in rows of `w` (32-bit division: several
/// times faster than 64-bit, and the analysis runs it for every pixel).
fn xy(i: usize, w: usize) -> (usize, usize) {
    let (i, w) = (i as u32, w as u32);
    ((i % w) as usize, (i / w) as usize)
}

/// Every channel within `t` code values.
fn close(a: [u8; 3], b: [u8; 3], t: u8) -> bool {
    a[0].abs_diff(b[0])
        .max(a[1].abs_diff(b[1]))
        .max(a[2].abs_diff(b[2]))
        <= t
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

    #[test]
    fn an_off_palette_background_is_judged_whatever_is_set_on_it() {
        // A round mark in the corner, cut by the canvas and found a little
        // smaller than drawn: its rim outside the excluded box is the only
        // border the background has inside the canvas, and it is nowhere
        // near the background's bounding box.
        let blue = Rgb([0x42, 0x68, 0xD0]);
        let img = RgbImage::from_fn(336, 280, |x, y| {
            let (dx, dy) = (x as i32 - 300, y as i32 - 40);
            if dx * dx + dy * dy <= 60 * 60 {
                image::Rgb([0x00, 0x70, 0x4A])
            } else {
                image::Rgb(blue.0)
            }
        });
        let areas = flat_areas(&img, Some(Rect::new(256, 0, 80, 84)), 0.002, &PALETTE);
        let background = areas
            .iter()
            .find(|a| a.color == blue)
            .expect("background found");
        assert!(background.nearest.1 > 20.0);
    }
}
