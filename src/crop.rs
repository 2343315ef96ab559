//! Choosing the background crop. A saliency map (what is in focus, what
//! near it stands out in colour, skin tones) is computed once per master at
//! a few hundred pixels; each format then scores cover-crop windows along its free
//! axis, rewarding salient content in frame and penalising salient content
//! under the text, button and logo regions. The regions come from the
//! layout's arrangement, never from the copy, so a copy change never moves
//! the crop.

use image::RgbImage;

use crate::color::Rgb;
use crate::geom::{Rect, Size};
use crate::layout::behind::Tones;

/// Long side of the saliency map, in map pixels.
const MAP_SIDE: u32 = 320;
/// Weight of colour distinctness (0..1) against sharpness (0..1).
const DISTINCT_WEIGHT: f32 = 0.8;
/// Weight of a skin tone, wherever it is.
const SKIN_WEIGHT: f32 = 0.6;
/// How far (map pixels) from what is sharp colour still counts: a flower's
/// smooth petals are within this of its sharp edges and stamens.
const NEAR_FOCUS: i32 = 8;
/// The share of values over which a map is normalised: the top 1 % saturate,
/// so one specular highlight does not set the scale.
const NORMAL_QUANTILE: f64 = 0.99;
/// Weight of salient content hidden under a keep-clear region.
const OCCLUSION_PENALTY: f64 = 1.6;

/// Where the interesting content of a master image is, at low resolution.
#[derive(Debug, Clone, PartialEq)]
pub struct SaliencyMap {
    /// Map width.
    pub width: u32,
    /// Map height.
    pub height: u32,
    /// Map pixels per master pixel.
    pub scale: f64,
    /// Saliency per map pixel, row-major.
    pub values: Vec<f32>,
    /// The subject, found once when the map is made (see [`SaliencyMap::subject`]).
    subject: Option<Crop>,
}

/// A crop window in master pixels (fractional edges are fine for resampling).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Crop {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

impl Crop {
    /// A box in master pixels (`b`) seen through this crop on an
    /// `output`-sized canvas; it may reach past the canvas.
    pub fn to_output(self, b: Crop, output: Size) -> Rect {
        let (sx, sy) = (output.w as f64 / self.w, output.h as f64 / self.h);
        Rect::from_edges(
            ((b.x - self.x) * sx).round() as i32,
            ((b.y - self.y) * sy).round() as i32,
            ((b.x + b.w - self.x) * sx).round() as i32,
            ((b.y + b.h - self.y) * sy).round() as i32,
        )
    }

    /// The share of `subject` inside this window, of as much of it as a
    /// window of this size could hold (along each axis, the smaller of the
    /// two extents).
    pub fn holds(self, subject: Crop) -> f64 {
        let overlap = |a0: f64, a1: f64, b0: f64, b1: f64| (a1.min(b1) - a0.max(b0)).max(0.0);
        let shown = overlap(self.x, self.x + self.w, subject.x, subject.x + subject.w)
            * overlap(self.y, self.y + self.h, subject.y, subject.y + subject.h);
        let most = subject.w.min(self.w) * subject.h.min(self.h);
        if most <= 0.0 { 1.0 } else { shown / most }
    }
}

/// What the layout knows of a master photo, computed once per master:
/// its size, where its interesting content is, and its tones.
#[derive(Debug, Clone, Copy)]
pub struct Backdrop<'a> {
    /// The master's size in pixels.
    pub size: Size,
    /// Its saliency map.
    pub saliency: &'a SaliencyMap,
    /// Its tones, for judging what is behind the copy.
    pub tones: &'a Tones,
}

/// Share of the subject (of as much as a window can hold) every crop keeps
/// in frame; the composition's floor is 90 %, this leaves room for rounding.
pub const KEEP_SUBJECT: f64 = 0.95;

impl SaliencyMap {
    /// Where the subject is, in master pixels: the middle 60 % of the
    /// saliency mass across and down (its 20th to 80th percentiles), which
    /// a scattered texture spreads wide and one object holds tight. `None`
    /// for a map with no salient content.
    pub fn subject(&self) -> Option<Crop> {
        self.subject
    }

    fn find_subject(&self) -> Option<Crop> {
        let (w, h) = (self.width as usize, self.height as usize);
        let mut cols = vec![0f64; w];
        let mut rows = vec![0f64; h];
        for (i, v) in self.values.iter().enumerate() {
            cols[i % w] += f64::from(*v);
            rows[i / w] += f64::from(*v);
        }
        let span = |mass: &[f64]| -> Option<(f64, f64)> {
            let total: f64 = mass.iter().sum();
            if total <= 0.0 {
                return None;
            }
            let (mut acc, mut lo, mut hi) = (0.0, None, None);
            for (i, m) in mass.iter().enumerate() {
                acc += m;
                if lo.is_none() && acc >= 0.2 * total {
                    lo = Some(i);
                }
                if hi.is_none() && acc >= 0.8 * total {
                    hi = Some(i + 1);
                }
            }
            Some((lo? as f64, hi? as f64))
        };
        let ((x0, x1), (y0, y1)) = (span(&cols)?, span(&rows)?);
        let k = self.scale.max(f64::MIN_POSITIVE);
        Some(Crop {
            x: x0 / k,
            y: y0 / k,
            w: (x1 - x0) / k,
            h: (y1 - y0) / k,
        })
    }

    /// Computes the map from the master's `tones` and a `thumb`nail of them
    /// (long side about `MAP_SIDE`), where `scale` maps master pixels to
    /// thumbnail pixels. Salient is what is in focus — sharpness measured
    /// on the tones, where a background out of focus is visibly soft (at
    /// map size a bokeh is as crisp as the flower in front of it) — and,
    /// within reach of it, what stands out in colour from the picture as a
    /// whole (the frequency-tuned saliency of Achanta et al. 2009: a yellow
    /// flower among green leaves, whose smooth petals are not sharp
    /// themselves); skin tones count everywhere.
    pub fn from_tones(tones: &RgbImage, thumb: &RgbImage, scale: f64) -> SaliencyMap {
        let (w, h) = thumb.dimensions();
        let sharp = normalised(box_blur(&sharpness(tones, w, h), w, h, 2));
        let near_sharp = normalised(box_blur(&sharp, w, h, NEAR_FOCUS));
        let distinct = normalised(distinctness(thumb));
        let values: Vec<f32> = thumb
            .pixels()
            .enumerate()
            .map(|(i, p)| {
                sharp[i]
                    + DISTINCT_WEIGHT * distinct[i] * near_sharp[i]
                    + SKIN_WEIGHT * skin_likelihood(p.0.map(f32::from))
            })
            .collect();
        let values = box_blur(&box_blur(&values, w, h, 2), w, h, 2);
        let mut map = SaliencyMap {
            width: w,
            height: h,
            scale,
            values,
            subject: None,
        };
        map.subject = map.find_subject();
        map
    }

    /// The thumbnail size to compute the map from, for a master of `size`.
    pub fn thumbnail_size(size: Size) -> (Size, f64) {
        size.shrunk_to(MAP_SIDE)
    }

    fn integral(&self) -> Vec<f64> {
        let (w, h) = (self.width as usize, self.height as usize);
        let mut sum = vec![0f64; (w + 1) * (h + 1)];
        for y in 0..h {
            let mut row = 0f64;
            for x in 0..w {
                row += self.values[y * w + x] as f64;
                sum[(y + 1) * (w + 1) + x + 1] = sum[y * (w + 1) + x + 1] + row;
            }
        }
        sum
    }
}

/// Sum of an integral image over map pixels [x0, x1) × [y0, y1), with
/// fractional edges clamped to the map.
fn area_sum(sum: &[f64], w: usize, h: usize, x0: f64, y0: f64, x1: f64, y1: f64) -> f64 {
    let cx = |v: f64| (v.round().max(0.0) as usize).min(w);
    let cy = |v: f64| (v.round().max(0.0) as usize).min(h);
    let (x0, x1, y0, y1) = (cx(x0), cx(x1), cy(y0), cy(y1));
    if x1 <= x0 || y1 <= y0 {
        return 0.0;
    }
    let at = |x: usize, y: usize| sum[y * (w + 1) + x];
    at(x1, y1) - at(x0, y1) - at(x1, y0) + at(x0, y0)
}

/// Sharpness per map pixel of a `w`x`h` map: the mean |Laplacian| of the
/// tones' luma (smoothed over 3x3 against sensor noise) over the tones
/// pixels each map pixel covers.
fn sharpness(tones: &RgbImage, w: u32, h: u32) -> Vec<f32> {
    let (tw, th) = tones.dimensions();
    let luma: Vec<f32> = tones
        .pixels()
        .map(|p| 0.299 * p[0] as f32 + 0.587 * p[1] as f32 + 0.114 * p[2] as f32)
        .collect();
    let luma = box_blur(&luma, tw, th, 1);
    let at = |x: i64, y: i64| {
        let x = x.clamp(0, i64::from(tw) - 1) as usize;
        let y = y.clamp(0, i64::from(th) - 1) as usize;
        luma[y * tw as usize + x]
    };
    let mut sum = vec![0f32; (w * h) as usize];
    let mut count = vec![0u32; (w * h) as usize];
    for y in 0..i64::from(th) {
        let my = (y as u64 * u64::from(h) / u64::from(th)) as usize;
        for x in 0..i64::from(tw) {
            let mx = (x as u64 * u64::from(w) / u64::from(tw)) as usize;
            let laplacian =
                4.0 * at(x, y) - at(x - 1, y) - at(x + 1, y) - at(x, y - 1) - at(x, y + 1);
            sum[my * w as usize + mx] += laplacian.abs();
            count[my * w as usize + mx] += 1;
        }
    }
    sum.iter()
        .zip(&count)
        .map(|(s, &n)| s / n.max(1) as f32)
        .collect()
}

/// How far each pixel's colour (over 5x5) is from the picture's mean
/// colour, in CIELAB units.
fn distinctness(thumb: &RgbImage) -> Vec<f32> {
    let (w, h) = thumb.dimensions();
    let lab: Vec<[f32; 3]> = thumb
        .pixels()
        .map(|p| {
            let c = Rgb(p.0).to_lab();
            [c.l as f32, c.a as f32, c.b as f32]
        })
        .collect();
    let channel = |k: usize| box_blur(&lab.iter().map(|c| c[k]).collect::<Vec<_>>(), w, h, 2);
    let (l, a, b) = (channel(0), channel(1), channel(2));
    let n = lab.len().max(1) as f32;
    let mean = |v: &[f32]| v.iter().sum::<f32>() / n;
    let (ml, ma, mb) = (mean(&l), mean(&a), mean(&b));
    (0..lab.len())
        .map(|i| ((l[i] - ml).powi(2) + (a[i] - ma).powi(2) + (b[i] - mb).powi(2)).sqrt())
        .collect()
}

/// `v` over its [`NORMAL_QUANTILE`] value, capped at 1 (all zero when that
/// value is zero: a flat picture has nothing salient).
fn normalised(mut v: Vec<f32>) -> Vec<f32> {
    if v.is_empty() {
        return v;
    }
    let mut sorted = v.clone();
    let k = ((sorted.len() - 1) as f64 * NORMAL_QUANTILE).round() as usize;
    let (_, top, _) = sorted.select_nth_unstable_by(k, f32::total_cmp);
    let top = *top;
    for x in &mut v {
        *x = if top > 0.0 { (*x / top).min(1.0) } else { 0.0 };
    }
    v
}

fn skin_likelihood([r, g, b]: [f32; 3]) -> f32 {
    let cb = 128.0 - 0.168736 * r - 0.331264 * g + 0.5 * b;
    let cr = 128.0 + 0.5 * r - 0.418688 * g - 0.081312 * b;
    let y = 0.299 * r + 0.587 * g + 0.114 * b;
    if (80.0..=250.0).contains(&y) && (77.0..=127.0).contains(&cb) && (137.0..=170.0).contains(&cr)
    {
        1.0
    } else {
        0.0
    }
}

fn box_blur(v: &[f32], w: u32, h: u32, r: i32) -> Vec<f32> {
    let (w, h) = (w as i32, h as i32);
    let pass = |src: &[f32], horizontal: bool| -> Vec<f32> {
        let mut out = vec![0f32; src.len()];
        for y in 0..h {
            for x in 0..w {
                let mut acc = 0f32;
                for d in -r..=r {
                    let (xx, yy) = if horizontal {
                        ((x + d).clamp(0, w - 1), y)
                    } else {
                        (x, (y + d).clamp(0, h - 1))
                    };
                    acc += src[(yy * w + xx) as usize];
                }
                out[(y * w + x) as usize] = acc / (2 * r + 1) as f32;
            }
        }
        out
    };
    pass(&pass(v, true), false)
}

/// The subject of a `master`-sized picture, in master pixels: the saliency
/// map's, or, where the creative gives a `focus`, a box of the same size
/// (a third of the picture each way when the map found none) centred on
/// that point and kept inside the picture: the designer says where the
/// subject is, the picture says how much room it takes.
pub fn subject(master: Size, focus: Option<[f32; 2]>, map: &SaliencyMap) -> Option<Crop> {
    let found = map.subject();
    let Some([fx, fy]) = focus else {
        return found;
    };
    let (mw, mh) = (master.w as f64, master.h as f64);
    let (w, h) = found.map_or((mw / 3.0, mh / 3.0), |s| (s.w.min(mw), s.h.min(mh)));
    Some(Crop {
        x: (f64::from(fx) * mw - w / 2.0).clamp(0.0, mw - w),
        y: (f64::from(fy) * mh - h / 2.0).clamp(0.0, mh - h),
        w,
        h,
    })
}

/// The cover crop of a `master`-sized image for an `output`-sized canvas:
/// centred on `focus` when given, else the best-scoring window of `map`
/// with `keep_clear` (output pixels) penalised, among the windows that keep
/// [`KEEP_SUBJECT`] of the map's subject in frame (a subject is never
/// cropped out to keep it from under the text: the layout moves the text).
pub fn choose(
    master: Size,
    output: Size,
    focus: Option<[f32; 2]>,
    map: Option<&SaliencyMap>,
    keep_clear: &[Rect],
) -> Crop {
    let s = (output.w as f64 / master.w as f64).max(output.h as f64 / master.h as f64);
    let (cw, ch) = (
        (output.w as f64 / s).min(master.w as f64),
        (output.h as f64 / s).min(master.h as f64),
    );
    let (free_x, free_y) = (master.w as f64 - cw, master.h as f64 - ch);
    let centred = |fx: f64, fy: f64| Crop {
        x: (fx * master.w as f64 - cw / 2.0).clamp(0.0, free_x),
        y: (fy * master.h as f64 - ch / 2.0).clamp(0.0, free_y),
        w: cw,
        h: ch,
    };
    if let Some([fx, fy]) = focus {
        return centred(fx as f64, fy as f64);
    }
    let Some(map) = map else {
        return centred(0.5, 0.5);
    };
    if free_x < 1.0 && free_y < 1.0 {
        return centred(0.5, 0.5);
    }

    let sum = map.integral();
    let (mw, mh) = (map.width as usize, map.height as usize);
    let k = map.scale; // master px -> map px
    let total = area_sum(&sum, mw, mh, 0.0, 0.0, mw as f64, mh as f64).max(1e-9);
    let subject = map.subject();
    let steps = 64;
    let windows = (0..=steps).map(|i| {
        let t = i as f64 / steps as f64;
        let crop = Crop {
            x: free_x * t,
            y: free_y * t,
            w: cw,
            h: ch,
        };
        (t, crop)
    });
    let keeps = |c: &Crop| subject.is_none_or(|s| c.holds(s) >= KEEP_SUBJECT);
    // Every window keeps the subject, unless none can (a subject wider
    // than the frame in both axes cannot be cut to fit either way).
    let any_keeps = windows.clone().any(|(_, c)| keeps(&c));
    let mut best = (f64::MIN, centred(0.5, 0.5));
    for (t, crop) in windows.filter(|(_, c)| !any_keeps || keeps(c)) {
        let inside = area_sum(
            &sum,
            mw,
            mh,
            crop.x * k,
            crop.y * k,
            (crop.x + cw) * k,
            (crop.y + ch) * k,
        );
        let hidden: f64 = keep_clear
            .iter()
            .map(|r| {
                let x0 = (crop.x + r.x as f64 / s) * k;
                let y0 = (crop.y + r.y as f64 / s) * k;
                area_sum(
                    &sum,
                    mw,
                    mh,
                    x0,
                    y0,
                    x0 + r.w as f64 / s * k,
                    y0 + r.h as f64 / s * k,
                )
            })
            .sum();
        // A slight pull to the centre breaks ties on flat images.
        let centre_bias = -0.02 * (t - 0.5).abs();
        let score = (inside - OCCLUSION_PENALTY * hidden) / total + centre_bias;
        if score > best.0 {
            best = (score, crop);
        }
    }
    best.1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map_with_subject_at(x: u32) -> SaliencyMap {
        let mut img = RgbImage::from_pixel(300, 100, image::Rgb([128, 128, 128]));
        for yy in 40..60 {
            for xx in x..x + 20 {
                img.put_pixel(xx, yy, image::Rgb([230, 40, 40]));
            }
        }
        SaliencyMap::from_tones(&img, &img, 1.0)
    }

    #[test]
    fn frames_the_subject() {
        let map = map_with_subject_at(240);
        let crop = choose(
            Size::new(300, 100),
            Size::new(100, 100),
            None,
            Some(&map),
            &[],
        );
        assert!(crop.x <= 240.0 && crop.x + crop.w >= 260.0, "{crop:?}");
    }

    #[test]
    fn keeps_the_subject_out_from_under_text() {
        let map = map_with_subject_at(140);
        // Text covers the left half of a 200x100 output.
        let text = Rect::new(0, 0, 100, 100);
        let crop = choose(
            Size::new(300, 100),
            Size::new(200, 100),
            None,
            Some(&map),
            &[text],
        );
        let subject_in_output = 140.0 - crop.x;
        assert!(subject_in_output >= 100.0, "subject under text: {crop:?}");
    }

    #[test]
    fn focus_moves_the_subject_and_keeps_its_size() {
        let map = map_with_subject_at(240);
        let found = map.subject().expect("a red square is salient");
        let given = subject(Size::new(300, 100), Some([0.0, 0.5]), &map).unwrap();
        assert_eq!((given.w, given.h), (found.w, found.h));
        assert_eq!(given.x, 0.0, "clamped into the picture: {given:?}");
        assert!((given.y + given.h / 2.0 - 50.0).abs() < 1e-9, "{given:?}");
        assert_eq!(subject(Size::new(300, 100), None, &map), Some(found));
    }

    #[test]
    fn focus_wins_and_clamps() {
        let crop = choose(
            Size::new(400, 100),
            Size::new(100, 100),
            Some([1.0, 0.5]),
            None,
            &[],
        );
        assert_eq!((crop.x, crop.w), (300.0, 100.0));
    }
}
