//! Measuring, wrapping and fitting text: the largest size at which the copy
//! fits its region in the allowed lines, wrapped at word boundaries into
//! balanced lines, never below the brand's minimum.

use crate::font::Face;
use crate::geom::Rect;

/// Horizontal alignment of lines in their region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Left for left-to-right text.
    Start,
    /// Centred.
    Center,
    /// Right for left-to-right text.
    End,
}

/// Vertical placement of the text block in its region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VAlign {
    /// Against the top.
    Top,
    /// Centred.
    Middle,
    /// Against the bottom.
    Bottom,
}

/// One set line of text.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The characters on the line.
    pub text: String,
    /// Pen start, px from the canvas' left edge.
    pub x: f32,
    /// Baseline, px from the canvas' top edge.
    pub baseline: f32,
    /// Shaped advance width in px.
    pub width: f32,
}

/// What to set and where.
#[derive(Debug, Clone, Copy)]
pub struct TextRequest<'a> {
    /// The face.
    pub face: &'a Face,
    /// The copy.
    pub text: &'a str,
    /// BCP 47 language, for shaping.
    pub lang: Option<&'a str>,
    /// The box the lines must stay inside.
    pub region: Rect,
    /// Most lines allowed.
    pub max_lines: usize,
    /// Smallest size, px per em.
    pub min_size: f32,
    /// Largest size worth trying, px per em.
    pub max_size: f32,
    /// Line spacing as a multiple of the size.
    pub line_height: f32,
    /// Horizontal alignment.
    pub align: Align,
    /// Vertical placement.
    pub valign: VAlign,
    /// Wrap into lines of even length rather than greedily.
    pub balance: bool,
}

/// Text set in its region.
#[derive(Debug, Clone, PartialEq)]
pub struct SetText {
    /// Size in px per em.
    pub size: f32,
    /// Line spacing in px.
    pub line_height: f32,
    /// The lines, top to bottom.
    pub lines: Vec<Line>,
    /// Bounding box of the lines (advance width × ascent..descent).
    pub ink: Rect,
    /// False when the copy did not fit at the minimum size and was truncated.
    pub fits: bool,
    /// Characters the face has no glyph for.
    pub missing: Vec<char>,
}

/// A word and the space after it, in design units.
#[derive(Debug, Clone, Copy)]
struct Word {
    start: usize,
    end: usize,
    width: f32,
    space_after: f32,
}

/// A paragraph shaped once at design units; every size scales it linearly.
struct Measured<'a> {
    text: &'a str,
    words: Vec<Word>,
}

impl<'a> Measured<'a> {
    fn new(face: &Face, text: &'a str, lang: Option<&str>) -> Self {
        let glyphs = face.shape(text, lang);
        let advance_in = |from: usize, to: usize| -> f32 {
            glyphs
                .iter()
                .filter(|g| (from..to).contains(&(g.cluster as usize)))
                .map(|g| g.advance as f32)
                .sum()
        };
        let mut spans = Vec::new();
        let mut start = None;
        for (i, c) in text.char_indices() {
            match (c.is_whitespace(), start) {
                (true, Some(s)) => {
                    spans.push((s, i));
                    start = None;
                }
                (false, None) => start = Some(i),
                _ => {}
            }
        }
        if let Some(s) = start {
            spans.push((s, text.len()));
        }
        let words = spans
            .iter()
            .enumerate()
            .map(|(k, &(s, e))| {
                let next = spans.get(k + 1).map_or(e, |n| n.0);
                Word {
                    start: s,
                    end: e,
                    width: advance_in(s, e),
                    space_after: advance_in(e, next),
                }
            })
            .collect();
        Measured { text, words }
    }

    /// Greedy wrap into lines no wider than `max` units; `None` when a
    /// single word is wider.
    fn wrap(&self, max: f32) -> Option<Vec<(usize, usize)>> {
        let mut lines = Vec::new();
        let mut first = 0;
        let mut width = 0.0;
        for (i, w) in self.words.iter().enumerate() {
            if w.width > max {
                return None;
            }
            if i > first {
                let gap = self.words[i - 1].space_after;
                if width + gap + w.width > max {
                    lines.push((first, i - 1));
                    first = i;
                    width = w.width;
                    continue;
                }
                width += gap + w.width;
            } else {
                width = w.width;
            }
        }
        if !self.words.is_empty() {
            lines.push((first, self.words.len() - 1));
        }
        Some(lines)
    }

    fn line_text(&self, (a, b): (usize, usize)) -> &'a str {
        &self.text[self.words[a].start..self.words[b].end]
    }

    fn total_width(&self) -> f32 {
        self.words.iter().map(|w| w.width + w.space_after).sum()
    }
}

/// Sets `req.text` at the largest size that fits; at the minimum size with
/// the last line truncated (and `fits == false`) when nothing does.
pub fn set_text(req: &TextRequest) -> SetText {
    let face = req.face;
    let measured = Measured::new(face, req.text, req.lang);
    let units = |size: f32| req.region.w as f32 / face.scale(size);
    let fits_at = |size: f32| -> bool {
        match measured.wrap(units(size)) {
            Some(lines) => {
                lines.len() <= req.max_lines
                    && block_height(face, size, req.line_height, lines.len())
                        <= req.region.h as f32 + 0.01
            }
            None => false,
        }
    };

    let max_size = req.max_size.max(req.min_size);
    let (size, fits) = if fits_at(max_size) {
        (max_size, true)
    } else if fits_at(req.min_size) {
        let (mut lo, mut hi) = (req.min_size, max_size);
        for _ in 0..24 {
            let mid = (lo + hi) / 2.0;
            if fits_at(mid) { lo = mid } else { hi = mid }
        }
        // Quarter-pixel sizes keep sidecars readable and outputs stable.
        let quarter = (lo * 4.0).floor() / 4.0;
        (if fits_at(quarter) { quarter } else { lo }, true)
    } else {
        (req.min_size, false)
    };

    let texts: Vec<String> = if fits {
        let max = units(size);
        let mut lines = measured.wrap(max).unwrap_or_default();
        if req.balance && lines.len() > 1 {
            lines = balanced(&measured, max, lines.len());
        }
        lines
            .iter()
            .map(|&l| measured.line_text(l).to_string())
            .collect()
    } else {
        truncated_lines(face, req, size)
    };

    let missing = missing_chars(face, req.text);
    place_lines(face, req, size, texts, fits, missing)
}

/// The narrowest wrap width that keeps `count` lines: even line lengths,
/// no lonely last word when a better break exists.
fn balanced(m: &Measured, max: f32, count: usize) -> Vec<(usize, usize)> {
    let (mut lo, mut hi) = (m.total_width() / count as f32, max);
    for _ in 0..20 {
        let mid = (lo + hi) / 2.0;
        match m.wrap(mid) {
            Some(l) if l.len() <= count => hi = mid,
            _ => lo = mid,
        }
    }
    m.wrap(hi).unwrap_or_default()
}

/// Lines at the minimum size when the copy does not fit: as many as the
/// region holds, the last ending in an ellipsis.
fn truncated_lines(face: &Face, req: &TextRequest, size: f32) -> Vec<String> {
    let fit_lines = (1..=req.max_lines.max(1))
        .take_while(|&n| {
            n == 1 || block_height(face, size, req.line_height, n) <= req.region.h as f32
        })
        .last()
        .unwrap_or(1);
    let width_of = |s: &str| {
        face.shape(s, req.lang)
            .iter()
            .map(|g| g.advance as f32)
            .sum::<f32>()
            * face.scale(size)
    };
    let max_w = req.region.w as f32;
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in req.text.split_whitespace() {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if width_of(&candidate) <= max_w {
            current = candidate;
        } else {
            if !current.is_empty() {
                lines.push(std::mem::take(&mut current));
            }
            current = word.to_string();
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    let overflow = lines.len() > fit_lines || lines.iter().any(|l| width_of(l) > max_w);
    lines.truncate(fit_lines);
    if overflow && let Some(last) = lines.last_mut() {
        let mut chars: Vec<char> = last.chars().collect();
        loop {
            let s: String = chars.iter().collect::<String>().trim_end().to_string() + "…";
            if width_of(&s) <= max_w || chars.is_empty() {
                *last = s;
                break;
            }
            chars.pop();
        }
    }
    lines
}

fn missing_chars(face: &Face, text: &str) -> Vec<char> {
    let mut missing: Vec<char> = text
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control() && !face.has_char(*c))
        .collect();
    let mut seen = Vec::new();
    missing.retain(|c| {
        let new = !seen.contains(c);
        seen.push(*c);
        new
    });
    missing
}

/// Height of `lines` lines: the first line's ascent, the line steps, the
/// last line's descent. Text set in this height never leaves its region.
fn block_height(face: &Face, size: f32, leading: f32, lines: usize) -> f32 {
    let scale = face.scale(size);
    (lines.max(1) - 1) as f32 * size * leading + (face.ascent - face.descent) * scale
}

fn place_lines(
    face: &Face,
    req: &TextRequest,
    size: f32,
    texts: Vec<String>,
    fits: bool,
    missing: Vec<char>,
) -> SetText {
    let scale = face.scale(size);
    let line_height = size * req.line_height;
    let block = block_height(face, size, req.line_height, texts.len());
    let r = req.region;
    let top = match req.valign {
        VAlign::Top => r.y as f32,
        VAlign::Middle => r.y as f32 + (r.h as f32 - block) / 2.0,
        VAlign::Bottom => r.bottom() as f32 - block,
    }
    .max(r.y as f32);
    let ascent = face.ascent * scale;
    let mut ink = Rect::default();
    let lines = texts
        .into_iter()
        .enumerate()
        .map(|(i, text)| {
            let glyphs = face.shape(&text, req.lang);
            let width = glyphs.iter().map(|g| g.advance as f32).sum::<f32>() * scale;
            let x = match req.align {
                Align::Start => r.x as f32,
                Align::Center => r.x as f32 + (r.w as f32 - width) / 2.0,
                Align::End => r.right() as f32 - width,
            }
            .round();
            // Whole-pixel baselines keep stems sharp.
            let baseline = (top + ascent + i as f32 * line_height).floor();
            let line = Line {
                text,
                x,
                baseline,
                width,
            };
            ink = ink.union(ink_box(face, size, &line, &glyphs));
            line
        })
        .collect();
    SetText {
        size,
        line_height,
        lines,
        ink,
        fits,
        missing,
    }
}

/// The pixel box of a line's glyph outlines, as the rasteriser will cover it.
pub fn ink_box(face: &Face, size: f32, line: &Line, glyphs: &[crate::font::ShapedGlyph]) -> Rect {
    face.outlined(glyphs, size, line.x, line.baseline)
        .fold(Rect::default(), |ink, g| {
            let b = g.px_bounds();
            ink.union(Rect::from_edges(
                b.min.x as i32,
                b.min.y as i32,
                b.max.x as i32,
                b.max.y as i32,
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn face() -> Face {
        crate::font::fixture_face("Inter-Bold.otf")
    }

    fn request<'a>(face: &'a Face, text: &'a str, region: Rect) -> TextRequest<'a> {
        TextRequest {
            face,
            text,
            lang: None,
            region,
            max_lines: 3,
            min_size: 12.0,
            max_size: 200.0,
            line_height: 1.2,
            align: Align::Start,
            valign: VAlign::Top,
            balance: true,
        }
    }

    #[test]
    fn largest_size_that_fits() {
        let face = face();
        let set = set_text(&request(
            &face,
            "Spring blend is here",
            Rect::new(0, 0, 400, 200),
        ));
        assert!(set.fits);
        assert!(set.lines.len() <= 3);
        assert!(set.lines.iter().all(|l| l.width <= 400.0));
        // A quarter pixel larger no longer fits.
        let mut bigger = request(&face, "Spring blend is here", Rect::new(0, 0, 400, 200));
        bigger.min_size = set.size + 0.25;
        bigger.max_size = set.size + 0.25;
        assert!(!set_text(&bigger).fits);
    }

    #[test]
    fn size_is_px_per_em() {
        let face = face();
        let set = set_text(&request(&face, "H", Rect::new(0, 0, 1000, 100)));
        let h_advance = face.shape("H", None)[0].advance as f32;
        let expected = h_advance * set.size / face.units_per_em;
        assert!((set.lines[0].width - expected).abs() < 0.01);
    }

    #[test]
    fn balanced_lines_avoid_a_lonely_last_word() {
        let face = face();
        let mut req = request(
            &face,
            "Fresh roasted coffee delivered to your door",
            Rect::new(0, 0, 300, 400),
        );
        req.max_size = 30.0;
        let set = set_text(&req);
        let widths: Vec<f32> = set.lines.iter().map(|l| l.width).collect();
        let (min, max) = widths
            .iter()
            .fold((f32::MAX, 0f32), |(a, b), w| (a.min(*w), b.max(*w)));
        assert!(set.lines.len() >= 2);
        assert!(min > 0.5 * max, "unbalanced: {widths:?}");
    }

    #[test]
    fn never_below_min_size_and_says_so() {
        let face = face();
        let set = set_text(&request(
            &face,
            "A headline far too long for a tiny box anyway",
            Rect::new(0, 0, 60, 16),
        ));
        assert!(!set.fits);
        assert_eq!(set.size, 12.0);
        assert!(set.lines.len() == 1 && set.lines[0].text.ends_with('…'));
        assert!(set.lines[0].width <= 60.0);
    }
}
