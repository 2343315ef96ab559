//! Finding the brand logo in any banner: mean-subtracted, alpha-masked
//! normalised cross-correlation over an image pyramid. Candidates come from
//! an exhaustive search at a coarse level (template 16–32 px wide), then
//! are refined level by level (±2 px, finer scales) to ±1 px at full size.
//! The brand's corner is searched first at the sizes its rules predict; the
//! whole frame only when that fails, to tell "wrong corner" from "missing".

use std::sync::Arc;

use super::plane::Plane;
use crate::geom::Rect;
use crate::logo::Logo;
use crate::raster::logo::logo_pixels;

/// Where the logo was found.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LogoMatch {
    /// Its box in image pixels.
    pub rect: Rect,
    /// Normalised cross-correlation, 0..1.
    pub score: f32,
    /// Best score of a candidate elsewhere in the frame (for the peak ratio).
    pub runner_up: f32,
    /// Width over height of the best non-uniform fit (`rect` is the uniform one).
    pub stretched_aspect: f32,
    /// Score of that non-uniform fit.
    pub stretched_score: f32,
}

/// Templates by size, rendered once per process and shared by every image
/// and thread: a batch of banners of the same formats reuses them all.
#[derive(Default)]
struct Templates(std::sync::RwLock<TemplateMap>);

type TemplateMap = std::collections::HashMap<(usize, usize), Option<Arc<Template>>>;

impl Templates {
    fn get(&self, model: &LogoModel, w: usize, h: usize) -> Option<Arc<Template>> {
        if let Some(t) = self
            .0
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(&(w, h))
        {
            return t.clone();
        }
        let t = model.template(w, h).map(Arc::new);
        self.0
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert((w, h), t.clone());
        t
    }
}

/// Match scores at least this (plus a chance allowance for small boxes)
/// mean "the logo is here". Calibrated on the labelled set's calibration half.
pub const PRESENT: f32 = 0.6;

impl LogoMatch {
    /// The score a match of this size needs: small boxes correlate with
    /// texture by chance, about 2.5 standard errors' worth is added.
    pub fn needed(&self) -> f32 {
        PRESENT + 2.5 / ((self.rect.w * self.rect.h).max(1) as f32).sqrt()
    }

    /// True when the match is good enough to say the logo is there.
    pub fn is_present(&self) -> bool {
        self.score >= self.needed()
    }
}

/// A logo prepared for matching.
pub struct LogoModel<'a> {
    logo: &'a Logo,
    /// Width over height of the artwork.
    pub aspect: f32,
    /// A one-colour logo has no brightness structure inside its shape: it is
    /// matched by its alpha shape against brightness, either polarity.
    single_colour: bool,
    templates: Templates,
}

/// Where to look first.
#[derive(Debug, Clone, Copy)]
pub struct SearchHint {
    /// The corner area the brand asks for.
    pub area: Rect,
    /// The logo width its rules predict.
    pub expected_w: f32,
}

/// A template: its runs of masked pixels with zero-mean values.
struct Template {
    w: usize,
    h: usize,
    runs: Vec<(usize, usize, Vec<f32>)>,
    /// Column step inside runs (2 for decimated large templates).
    step: usize,
    n: f32,
    var: f32,
    either_polarity: bool,
}

impl<'a> LogoModel<'a> {
    /// Prepares a logo.
    pub fn new(logo: &'a Logo) -> LogoModel<'a> {
        let aspect = logo.aspect();
        // Judge colour structure on a mid-size rendering.
        let h = 64u32;
        let w = ((h as f32 * aspect).round() as u32).max(1);
        let px = logo_pixels(logo, w, h);
        let lumas: Vec<f32> = px
            .chunks_exact(4)
            .filter(|p| p[3] >= 230)
            .map(straight_luma)
            .collect();
        let mean = lumas.iter().sum::<f32>() / lumas.len().max(1) as f32;
        let std = (lumas.iter().map(|l| (l - mean).powi(2)).sum::<f32>()
            / lumas.len().max(1) as f32)
            .sqrt();
        LogoModel {
            logo,
            aspect,
            single_colour: std < 0.06,
            templates: Templates::default(),
        }
    }

    fn template(&self, w: usize, h: usize) -> Option<Template> {
        if w < 3 || h < 2 {
            return None;
        }
        let px = logo_pixels(self.logo, w as u32, h as u32);
        let mut values = Vec::with_capacity(w * h);
        for p in px.chunks_exact(4) {
            values.push(if self.single_colour {
                Some(p[3] as f32 / 255.0)
            } else if p[3] >= 230 {
                Some(straight_luma(p))
            } else {
                None
            });
        }
        // Large templates keep every other row and column: the correlation is
        // the same to a hair and four times cheaper; positions stay exact.
        let step = if w * h > 4096 { 2 } else { 1 };
        for (i, v) in values.iter_mut().enumerate() {
            if !(i / w).is_multiple_of(step) || !(i % w).is_multiple_of(step) {
                *v = None;
            }
        }
        let used: Vec<f32> = values.iter().flatten().copied().collect();
        let n = used.len() as f32;
        let mean = used.iter().sum::<f32>() / n.max(1.0);
        let var: f32 = used.iter().map(|v| (v - mean).powi(2)).sum();
        if n < 6.0 || var < 1e-4 {
            return None;
        }
        let mut runs = Vec::new();
        for y in 0..h {
            let mut x = 0;
            while x < w {
                if values[y * w + x].is_none() {
                    x += 1;
                    continue;
                }
                let start = x;
                let mut run = Vec::new();
                while x < w
                    && let Some(v) = values[y * w + x]
                {
                    run.push(v - mean);
                    x += step;
                }
                runs.push((y, start, run));
                x += 1;
            }
        }
        Some(Template {
            w,
            h,
            runs,
            step,
            n,
            var,
            either_polarity: self.single_colour,
        })
    }
}

fn straight_luma(p: &[u8]) -> f32 {
    let a = (p[3] as f32).max(1.0);
    (0.299 * p[0] as f32 + 0.587 * p[1] as f32 + 0.114 * p[2] as f32) / a
}

impl Template {
    /// NCC of the template with its top-left at (x, y); the caller keeps it inside.
    fn score(&self, img: &Plane, x: usize, y: usize) -> f32 {
        // Eight independent lanes let the compiler vectorise the sums.
        let (mut sti, mut si, mut sii) = ([0f32; 8], [0f32; 8], [0f32; 8]);
        let mut tail = (0f32, 0f32, 0f32);
        for (dy, dx, vals) in &self.runs {
            let start = (y + dy) * img.w + x + dx;
            if self.step == 1 {
                let row = &img.data[start..start + vals.len()];
                let (tv, tr) = (vals.chunks_exact(8), row.chunks_exact(8));
                let (rest_t, rest_i) = (tv.remainder(), tr.remainder());
                for (t8, i8) in tv.zip(tr) {
                    for k in 0..8 {
                        sti[k] += t8[k] * i8[k];
                        si[k] += i8[k];
                        sii[k] += i8[k] * i8[k];
                    }
                }
                for (t, i) in rest_t.iter().zip(rest_i) {
                    tail = (tail.0 + t * i, tail.1 + i, tail.2 + i * i);
                }
            } else {
                // Strided: the same eight lanes, loads gathered by the step.
                let step = self.step;
                let row = &img.data[start..start + (vals.len() - 1) * step + 1];
                let (tv, tr) = (vals.chunks_exact(8), row.chunks(8 * step));
                let rest_t = tv.remainder();
                for (t8, i8) in tv.zip(tr) {
                    for k in 0..8 {
                        let i = i8[k * step];
                        sti[k] += t8[k] * i;
                        si[k] += i;
                        sii[k] += i * i;
                    }
                }
                let done = vals.len() - rest_t.len();
                for (t, i) in rest_t
                    .iter()
                    .zip(row.iter().skip(done * step).step_by(step))
                {
                    tail = (tail.0 + t * i, tail.1 + i, tail.2 + i * i);
                }
            }
        }
        let sti = sti.iter().sum::<f32>() + tail.0;
        let si = si.iter().sum::<f32>() + tail.1;
        let sii = sii.iter().sum::<f32>() + tail.2;
        // A window flatter than about 1.5 code values of standard deviation
        // cannot hold a logo (and its variance is all rounding error).
        let var_i = sii - si * si / self.n;
        if var_i <= self.n * MIN_WINDOW_VAR {
            return 0.0;
        }
        let r = (sti / (self.var * var_i).sqrt()).clamp(-1.0, 1.0);
        if self.either_polarity { r.abs() } else { r }
    }
}

const MIN_WINDOW_VAR: f32 = (1.5 / 255.0) * (1.5 / 255.0);

/// A candidate at some pyramid level, in that level's pixels.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    /// Width over height of the template that matched.
    aspect: f32,
    level: usize,
    x: usize,
    y: usize,
    w: usize,
    h: usize,
    score: f32,
}

impl Candidate {
    fn rect0(&self) -> Rect {
        let s = 1i32 << self.level;
        Rect::new(
            self.x as i32 * s,
            self.y as i32 * s,
            self.w as i32 * s,
            self.h as i32 * s,
        )
    }
}

/// Scores at least this count as a plausible candidate at the coarse stage.
const CANDIDATE_FLOOR: f32 = 0.25;
/// Candidates kept from the coarse stage.
const KEEP: usize = 12;

/// Finds the logo in `pyramid` (level 0 is the image). Returns the best
/// refined match, if any candidate was plausible.
pub fn find(pyramid: &[Plane], model: &LogoModel, hint: Option<SearchHint>) -> Option<LogoMatch> {
    let search = Search { pyramid, model };
    let full = &pyramid[0];
    let short = full.w.min(full.h) as f32;
    let max_w = (short * model.aspect).min(full.w as f32).max(16.0);
    let frame = Rect::new(0, 0, full.w as i32, full.h as i32);

    // 1. The brand's corner, at the sizes its rules predict: close to the
    //    expected width first (most banners), then from 0.4x to 2.5x.
    let mut corner_best = None;
    if let Some(hint) = hint {
        let area = hint.area.intersect(frame);
        let widths = |lo: f32, hi: f32| {
            geometric(
                (hint.expected_w * lo).max(16.0),
                (hint.expected_w * hi).min(max_w),
                1.08,
            )
        };
        let better = |a: Option<LogoMatch>, b: Option<LogoMatch>| match (a, b) {
            (Some(a), Some(b)) if b.score > a.score => Some(b),
            (None, b) => b,
            (a, _) => a,
        };
        for (lo, hi) in [(0.8, 1.25), (0.4, 2.5)] {
            let cands = search.coarse(area, &widths(lo, hi), model.aspect, 0, 1);
            corner_best = better(corner_best, search.refine_best(&cands));
            if corner_best.is_some_and(|m| m.score >= CORNER_ACCEPT) {
                return corner_best;
            }
        }
        // A stretched or squeezed logo matches its own proportions only.
        for k in [0.8f32, 0.9, 1.12, 1.25] {
            let cands = search.coarse(area, &widths(0.4, 2.5), model.aspect * k, 0, 1);
            corner_best = better(corner_best, search.refine_best(&cands));
        }
        if corner_best.is_some_and(|m| m.score >= CORNER_ACCEPT) {
            return corner_best;
        }
    }
    // 2. The whole frame, every size from 32 px (templates of 16–40 px at
    //    half size or smaller); then 16–32 px at full size, every other
    //    position, only if nothing was found.
    let widths = geometric(32.0, max_w, 1.1);
    let cands = search.coarse(frame, &widths, model.aspect, 1, 1);
    let mut frame_best = search.refine_best(&cands);
    if frame_best.is_none_or(|m| !m.is_present()) {
        let small = search.refine_best(&search.coarse(
            frame,
            &geometric(16.0, 32.0, 1.1),
            model.aspect,
            0,
            2,
        ));
        if small.is_some_and(|s| frame_best.is_none_or(|f| s.score > f.score)) {
            frame_best = small;
        }
    }
    match (corner_best, frame_best) {
        (Some(c), Some(f)) if f.score < c.score + 0.05 => Some(c),
        (c, None) => c,
        (_, f) => f,
    }
}

/// Coarse templates are this to twice this wide: enough to tell a logo
/// from texture, small enough to search every position.
const COARSE_WIDTH: f32 = 14.0;

/// The narrowest logo searched for (SPEC: from 16 px).
pub const MIN_WIDTH: usize = 16;

/// A corner match at least this good ends the search early.
pub const CORNER_ACCEPT: f32 = 0.8;

fn geometric(from: f32, to: f32, ratio: f32) -> Vec<f32> {
    let mut v = Vec::new();
    let mut w = from;
    while w <= to * 1.0001 {
        v.push(w);
        w *= ratio;
    }
    if v.is_empty() {
        v.push(to.max(16.0));
    }
    v
}

/// Keeps the `keep` best candidates; a weaker one at the same place and
/// scale is dropped (different scales at one place both stay: a badge-shaped
/// logo matches smaller copies of itself inside its own box at coarse levels).
fn insert(list: &mut Vec<Candidate>, c: Candidate, keep: usize) {
    let r = c.rect0();
    let same = |o: &Candidate| {
        let ratio = o.w.max(c.w) as f32 / o.w.min(c.w).max(1) as f32 * (1 << o.level) as f32
            / (1 << c.level) as f32;
        let ratio = if ratio < 1.0 { 1.0 / ratio } else { ratio };
        overlap_ratio(o.rect0(), r) > 0.5 && ratio < 1.15
    };
    if let Some(i) = list.iter().position(same) {
        if list[i].score >= c.score {
            return;
        }
        list.remove(i);
    }
    let pos = list
        .iter()
        .position(|o| o.score < c.score)
        .unwrap_or(list.len());
    list.insert(pos, c);
    list.truncate(keep);
}

fn overlap_ratio(a: Rect, b: Rect) -> f32 {
    let i = a.intersect(b).area() as f32;
    i / (a.area().min(b.area()).max(1) as f32)
}

/// One search over one image.
struct Search<'a> {
    pyramid: &'a [Plane],
    model: &'a LogoModel<'a>,
}

/// Candidates refined to full size.
const REFINE: usize = 6;

impl Search<'_> {
    /// Exhaustive search of `area` at a coarse level per width (template
    /// `COARSE_WIDTH` to twice that wide, of the given proportions); the best few candidates.
    fn coarse(
        &self,
        area: Rect,
        widths: &[f32],
        aspect: f32,
        min_level: usize,
        stride: usize,
    ) -> Vec<Candidate> {
        let mut found: Vec<Candidate> = Vec::new();
        for &w0 in widths {
            let level = ((w0 / COARSE_WIDTH).log2().floor().max(0.0) as usize)
                .max(min_level)
                .min(self.pyramid.len() - 1);
            let img = &self.pyramid[level];
            let s = (1usize << level) as f32;
            let tw = (w0 / s).round() as usize;
            let th = (w0 / aspect / s).round() as usize;
            let Some(t) = self.model.templates.get(self.model, tw, th) else {
                continue;
            };
            if t.w > img.w || t.h > img.h {
                continue;
            }
            // Top-left positions whose box overlaps the area (in level pixels).
            let x0 = ((area.x as f32 / s).floor() as i64 - t.w as i64 + 1).max(0) as usize;
            let y0 = ((area.y as f32 / s).floor() as i64 - t.h as i64 + 1).max(0) as usize;
            let x1 = ((area.right() as f32 / s).ceil() as usize).min(img.w - t.w);
            let y1 = ((area.bottom() as f32 / s).ceil() as usize).min(img.h - t.h);
            let mut best_here: Vec<Candidate> = Vec::new();
            // Small templates correlate well with noise by chance; rank by a
            // score discounted for that (about one standard error).
            let chance = 1.5 / t.n.sqrt();
            for y in (y0..=y1).step_by(stride) {
                for x in (x0..=x1).step_by(stride) {
                    let raw = t.score(img, x, y);
                    let score = raw - chance;
                    if raw >= CANDIDATE_FLOOR
                        && best_here
                            .last()
                            .is_none_or(|l| score > l.score || best_here.len() < 3)
                    {
                        insert(
                            &mut best_here,
                            Candidate {
                                aspect,
                                level,
                                x,
                                y,
                                w: t.w,
                                h: t.h,
                                score,
                            },
                            3,
                        );
                    }
                }
            }
            for c in best_here {
                insert(&mut found, c, KEEP);
            }
        }
        found
    }

    /// Refines the best candidates down to full size and returns the best,
    /// with the best score elsewhere as its runner-up.
    fn refine_best(&self, cands: &[Candidate]) -> Option<LogoMatch> {
        let mut refined: Vec<Candidate> = Vec::new();
        for c in cands.iter().take(REFINE) {
            let r = self.refine(*c);
            refined.push(r);
            // A near-perfect match cannot be beaten by enough to matter.
            if r.score >= 0.97 {
                break;
            }
        }
        let best = refined
            .iter()
            .copied()
            .reduce(|b, c| if c.score > b.score { c } else { b })?;
        let rect = best.rect0();
        let runner_up = refined
            .iter()
            .filter(|c| !c.rect0().overlaps(rect))
            .map(|c| c.score)
            .fold(0.0f32, f32::max);
        let (stretched_aspect, stretched_score) = self.fit_aspect(best);
        Some(LogoMatch {
            rect,
            score: best.score,
            runner_up,
            stretched_aspect,
            stretched_score,
        })
    }

    /// Best score in a neighbourhood of position and size at one level.
    fn local_search(
        &self,
        level: usize,
        cx: f32,
        cy: f32,
        sizes: &[(usize, usize)],
        radius: i64,
    ) -> Option<Candidate> {
        let img = &self.pyramid[level];
        let mut best: Option<Candidate> = None;
        for &(w, h) in sizes {
            let Some(t) = self.model.templates.get(self.model, w, h) else {
                continue;
            };
            if t.w > img.w || t.h > img.h {
                continue;
            }
            let bx = (cx - w as f32 / 2.0).round() as i64;
            let by = (cy - h as f32 / 2.0).round() as i64;
            for dy in -radius..=radius {
                for dx in -radius..=radius {
                    let (x, y) = (bx + dx, by + dy);
                    if x < 0 || y < 0 || x as usize + t.w > img.w || y as usize + t.h > img.h {
                        continue;
                    }
                    let score = t.score(img, x as usize, y as usize);
                    if best.is_none_or(|b| score > b.score) {
                        best = Some(Candidate {
                            aspect: w as f32 / h as f32,
                            level,
                            x: x as usize,
                            y: y as usize,
                            w: t.w,
                            h: t.h,
                            score,
                        });
                    }
                }
            }
        }
        best
    }

    /// Coarse candidate to full size: ±2 px and a scale search at each
    /// level (wide at first, then narrower), every width within ±3 px at the end.
    fn refine(&self, c: Candidate) -> Candidate {
        let aspect = c.aspect;
        let mut cur = c;
        for (i, level) in (0..c.level).rev().enumerate() {
            let (cx, cy) = (
                (cur.x as f32 + cur.w as f32 / 2.0) * 2.0,
                (cur.y as f32 + cur.h as f32 / 2.0) * 2.0,
            );
            let w0 = cur.w as f32 * 2.0;
            // The first step down corrects coarse scale errors of up to 25 %
            // (and the position shift they cause); later steps only polish.
            let (steps, radius): (&[f32], i64) = if i == 0 {
                (
                    &[0.75, 0.8, 0.85, 0.9, 0.95, 1.0, 1.05, 1.1, 1.15, 1.2, 1.25],
                    4,
                )
            } else {
                (&[0.96, 0.98, 1.0, 1.02, 1.04], 2)
            };
            let sizes: Vec<(usize, usize)> = steps
                .iter()
                .map(|k| {
                    let w = (w0 * k).round() as usize;
                    (w, (w as f32 / aspect).round() as usize)
                })
                .collect();
            if let Some(b) = self.local_search(level, cx, cy, &sizes, radius) {
                cur = b;
            }
        }
        let (cx, cy) = (
            cur.x as f32 + cur.w as f32 / 2.0,
            cur.y as f32 + cur.h as f32 / 2.0,
        );
        let sizes: Vec<(usize, usize)> = (-3i64..=3)
            .filter_map(|d| {
                let w = cur.w as i64 + d;
                (w >= MIN_WIDTH as i64).then(|| (w as usize, (w as f32 / aspect).round() as usize))
            })
            .collect();
        self.local_search(0, cx, cy, &sizes, 1)
            .map_or(cur, |b| if b.score >= cur.score { b } else { cur })
    }

    /// The best non-uniform fit around a match: the width with the height
    /// held, and the height with the width held, each from −25 % to +25 %
    /// in 5 % steps (at half size when both sides are 64 px or more, so
    /// the steps are still 1.6 px or more there), then ±1–2 px each way
    /// around the best at full size. Returns (w/h, score).
    fn fit_aspect(&self, m: Candidate) -> (f32, f32) {
        let uniform = (m.w as f32 / m.h as f32, m.score);
        let centre = |c: &Candidate| (c.x as f32 + c.w as f32 / 2.0, c.y as f32 + c.h as f32 / 2.0);
        let level = usize::from(m.w.min(m.h) >= 64 && self.pyramid.len() > 1);
        let scale = (1 << level) as f32;
        let (cx, cy) = centre(&m);
        let (mw, mh) = (m.w as f32 / scale, m.h as f32 / scale);
        let mut sizes = Vec::new();
        for k in -5i32..=5 {
            let f = 1.0 + k as f32 * 0.05;
            sizes.push(((mw * f).round() as usize, mh.round() as usize));
            sizes.push((mw.round() as usize, (mh * f).round() as usize));
        }
        sizes.sort_unstable();
        sizes.dedup();
        let Some(b) = self.local_search(level, cx / scale, cy / scale, &sizes, 1) else {
            return uniform;
        };
        let (bx, by) = centre(&b);
        let (bw, bh) = (
            (b.w as f32 * scale).round() as i64,
            (b.h as f32 * scale).round() as i64,
        );
        let fine: Vec<(usize, usize)> = [
            (-1i64, 0i64),
            (1, 0),
            (0, -1),
            (0, 1),
            (0, 0),
            (-2, 0),
            (2, 0),
            (0, -2),
            (0, 2),
        ]
        .iter()
        .map(|(dw, dh)| ((bw + dw).max(1) as usize, (bh + dh).max(1) as usize))
        .collect();
        let Some(f) = self.local_search(0, bx * scale, by * scale, &fine, 1) else {
            return uniform;
        };
        if f.score > m.score {
            (f.w as f32 / f.h as f32, f.score)
        } else {
            uniform
        }
    }
}
