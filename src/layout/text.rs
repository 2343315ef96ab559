//! Measuring, wrapping and fitting text: the largest size at which the copy
//! fits its region in the allowed lines, never below the brand's minimum;
//! where the lines break is [`super::breaks`]' choice.

use std::borrow::Cow;
use std::sync::Arc;

use super::breaks::{self, Piece};
use crate::font::{Face, GlyphBitmap, SUBPIXELS};
use crate::geom::Rect;
use crate::shape::{Glyph, Shaped, break_opportunities, phrase_breaks, shape};
use unicode_segmentation::UnicodeSegmentation;

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
    /// The characters on the line, in logical (reading) order.
    pub text: String,
    /// Its glyphs left to right, positions in ems (font fallback and
    /// bidi reordering applied).
    pub glyphs: Vec<Glyph>,
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
    /// The font stack: the role's face, then the brand's fallbacks. Line
    /// metrics come from the first.
    pub faces: &'a [&'a Face],
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
    /// Horizontal alignment (`Start` is the right edge for right-to-left copy).
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
    /// Characters no face in the stack has a glyph for.
    pub missing: Vec<char>,
    /// True when the paragraph reads right to left.
    pub rtl: bool,
    /// Indices in the stack of the faces the lines use.
    pub faces_used: Vec<usize>,
    /// The line box above and below each baseline, in px (both positive):
    /// the primary face's ascent and descent, or taller where fallback
    /// glyphs reach further.
    pub line_box: (f32, f32),
}

/// A word and the space after it, in design units.
#[derive(Debug, Clone, Copy)]
struct Word {
    start: usize,
    end: usize,
    width: f32,
    space_after: f32,
}

/// A paragraph shaped once in ems; every size scales it linearly. Its
/// "words" run from one line-break opportunity to the next (UAX #14: spaces
/// in Latin, between ideographs in CJK, between words in Thai); in Japanese
/// and Chinese its "phrases" run between the opportunities that end a
/// phrase (`shape::phrase_breaks`), and lines break between phrases (see
/// [`Measured::units`]).
struct Measured<'a> {
    text: &'a str,
    shaped: Shaped,
    words: Vec<Word>,
    phrases: Option<Vec<Word>>,
}

/// A line: from the start of its first unit (word or phrase) to the end of
/// its last, as byte offsets.
type LineSpan = (usize, usize);

impl<'a> Measured<'a> {
    fn new(faces: &[&Face], text: &'a str, lang: Option<&str>) -> Self {
        let shaped = shape(text, faces, lang);
        let units = |breaks: Vec<usize>| {
            let mut words: Vec<Word> = Vec::new();
            let mut start = 0;
            for end in breaks {
                let segment = &text[start..end];
                let body = segment.trim_end().len();
                if body > 0 {
                    words.push(Word {
                        start,
                        end: start + body,
                        width: shaped.width_of(start..start + body),
                        space_after: shaped.width_of(start + body..end),
                    });
                } else if let Some(last) = words.last_mut() {
                    last.space_after += shaped.width_of(start..end);
                }
                start = end;
            }
            words
        };
        let opportunities = break_opportunities(text, lang);
        let phrases = phrase_breaks(text, lang, &opportunities).map(&units);
        let words = units(opportunities);
        Measured {
            text,
            shaped,
            words,
            phrases,
        }
    }

    /// The units lines are made of at `max` ems: phrases where the language
    /// has them; with `split`, a phrase wider than `max` gives way to its
    /// words, and only that phrase (as a browser's `auto-phrase` does).
    fn units(&self, max: f32, split: bool) -> Cow<'_, [Word]> {
        match &self.phrases {
            Some(phrases) if !split => Cow::Borrowed(phrases),
            Some(phrases) => Cow::Owned(
                phrases
                    .iter()
                    .flat_map(|p| {
                        let inside = |w: &&Word| w.start >= p.start && w.end <= p.end;
                        if p.width <= max {
                            vec![*p]
                        } else {
                            self.words.iter().filter(inside).copied().collect()
                        }
                    })
                    .collect(),
            ),
            None => Cow::Borrowed(&self.words),
        }
    }

    /// Greedy wrap into lines no wider than `max` ems; `None` when a
    /// single unit is wider.
    fn wrap(&self, max: f32, split: bool) -> Option<Vec<LineSpan>> {
        let units = self.units(max, split);
        units
            .iter()
            .all(|w| w.width <= max)
            .then(|| greedy(&units, max))
    }

    fn line_text(&self, (start, end): LineSpan) -> &'a str {
        &self.text[start..end]
    }
}

/// Greedy wrap of `units` into lines of at most `max` ems, except that a
/// unit wider than that sits on a line of its own.
fn greedy(units: &[Word], max: f32) -> Vec<LineSpan> {
    let mut lines: Vec<LineSpan> = Vec::new();
    let mut width = 0.0;
    for (i, w) in units.iter().enumerate() {
        match lines.last_mut() {
            Some(line) if width + units[i - 1].space_after + w.width <= max => {
                line.1 = w.end;
                width += units[i - 1].space_after + w.width;
            }
            _ => {
                lines.push((w.start, w.end));
                width = w.width;
            }
        }
    }
    lines
}

/// Sets `req.text` at the largest size that fits; at the minimum size with
/// the last line truncated (and `fits == false`) when nothing does.
pub fn set_text(req: &TextRequest) -> SetText {
    let measured = Measured::new(req.faces, req.text, req.lang);
    let v = VMetrics::of(req.faces[0], &measured.shaped);
    let units = |size: f32| req.region.w as f32 / size;
    let fits_at = |size: f32, split: bool| -> bool {
        match measured.wrap(units(size), split) {
            Some(lines) => {
                lines.len() <= req.max_lines
                    && v.block_height(size, req.line_height, lines.len())
                        <= req.region.h as f32 + 0.01
            }
            None => false,
        }
    };
    // The largest size that fits, breaking only where `split` allows.
    let largest = |split: bool| -> Option<f32> {
        let max_size = req.max_size.max(req.min_size);
        if fits_at(max_size, split) {
            return Some(max_size);
        }
        if !fits_at(req.min_size, split) {
            return None;
        }
        let (mut lo, mut hi) = (req.min_size, max_size);
        for _ in 0..24 {
            let mid = (lo + hi) / 2.0;
            if fits_at(mid, split) {
                lo = mid
            } else {
                hi = mid
            }
        }
        // Quarter-pixel sizes keep sidecars readable and outputs stable.
        let quarter = (lo * 4.0).floor() / 4.0;
        Some(if fits_at(quarter, split) { quarter } else { lo })
    };

    // Whole phrases at a smaller size beat a phrase split at a larger one,
    // as a Japanese or Chinese typesetter would choose; split only when
    // even the minimum size needs it.
    let fitted = largest(false).map(|size| (size, false)).or_else(|| {
        measured.phrases.as_ref()?;
        largest(true).map(|size| (size, true))
    });
    let (size, fits, texts) = match fitted {
        Some((size, split)) => {
            let (size, lines) = typeset(&measured, req, size, split);
            let texts = lines.iter().map(|&l| measured.line_text(l).to_string());
            (size, true, texts.collect())
        }
        None => {
            let size = req.min_size;
            (size, false, truncated_lines(&measured, req, size, v))
        }
    };
    let missing = measured.shaped.missing.clone();
    place_lines(req, size, v, texts, fits, missing, measured.shaped.rtl)
}

/// How much smaller than the largest size that fits a paragraph may be set
/// for better breaks on the same number of lines, and what each step costs
/// (on [`breaks::choose`]'s scale: 12 % smaller costs 0.24, less than a
/// lone last word or a line ending in "the").
const SIZE_STEPS: [f32; 4] = [1.0, 0.96, 0.92, 0.88];
const SIZE_COST: f32 = 2.0;

/// The lines of a paragraph that fits at `largest`: greedy when the request
/// does not balance, else the best breaks ([`breaks::choose`]) at that size
/// or a step smaller where the breaks are better by more than the step
/// costs, on as many lines.
fn typeset(m: &Measured, req: &TextRequest, largest: f32, split: bool) -> (f32, Vec<LineSpan>) {
    let measure = |size: f32| req.region.w as f32 / size;
    let greedy_lines = m.wrap(measure(largest), split).unwrap_or_default();
    let count = greedy_lines.len();
    if !req.balance || count < 2 {
        return (largest, greedy_lines);
    }
    let mut best: Option<(f32, f32, Vec<LineSpan>)> = None;
    for step in SIZE_STEPS {
        let size = if step == 1.0 {
            largest
        } else {
            (largest * step * 4.0).floor() / 4.0
        };
        if size < req.min_size {
            break;
        }
        let max = measure(size);
        let units = m.units(max, split);
        let pieces: Vec<Piece> = units
            .iter()
            .map(|w| Piece {
                text: &m.text[w.start..w.end],
                width: w.width,
                space_after: w.space_after,
            })
            .collect();
        let Some((starts, cost)) = breaks::choose(&pieces, req.lang, max, count) else {
            continue;
        };
        let cost = cost + SIZE_COST * (1.0 - step);
        if best.as_ref().is_none_or(|(c, ..)| cost < *c) {
            let ends = starts
                .iter()
                .skip(1)
                .map(|&i| i - 1)
                .chain([units.len() - 1]);
            let lines = starts
                .iter()
                .zip(ends)
                .map(|(&i, j)| (units[i].start, units[j].end));
            best = Some((cost, size, lines.collect()));
        }
    }
    best.map_or((largest, greedy_lines), |(_, size, lines)| (size, lines))
}

/// Lines at the minimum size when the copy does not fit: as many as the
/// region holds, the last ending in an ellipsis.
fn truncated_lines(m: &Measured, req: &TextRequest, size: f32, v: VMetrics) -> Vec<String> {
    let fit_lines = (1..=req.max_lines.max(1))
        .take_while(|&n| n == 1 || v.block_height(size, req.line_height, n) <= req.region.h as f32)
        .last()
        .unwrap_or(1);
    let width_of = |s: &str| shape(s, req.faces, req.lang).width() * size;
    let max = req.region.w as f32 / size;
    let lines = greedy(&m.words, max);
    let mut texts: Vec<String> = lines.iter().map(|&l| m.line_text(l).to_string()).collect();
    let max_w = req.region.w as f32;
    let overflow = texts.len() > fit_lines || texts.iter().any(|l| width_of(l) > max_w);
    texts.truncate(fit_lines);
    if overflow && let Some(last) = texts.last_mut() {
        // Whole grapheme clusters come off the end: never half a syllable.
        let mut clusters: Vec<&str> = last.graphemes(true).collect();
        loop {
            let s = clusters.concat().trim_end().to_string() + "…";
            if width_of(&s) <= max_w || clusters.is_empty() {
                *last = s;
                break;
            }
            clusters.pop();
        }
    }
    texts
}

/// How far a paragraph reaches above and below its baselines, in ems: the
/// primary face's ascent and descent, unless a fallback face's glyphs reach
/// outside them (Arabic descenders, stacked Thai marks). Then the box is as
/// tall as the taller of the two and moved to cover the ink, so set text
/// never leaves its region. Latin copy keeps the primary face's box exactly.
#[derive(Debug, Clone, Copy)]
struct VMetrics {
    ascent: f32,
    descent: f32,
}

impl VMetrics {
    fn of(primary: &Face, shaped: &Shaped) -> VMetrics {
        let em = primary.units_per_em;
        let (ascent, descent) = (primary.ascent / em, primary.descent / em);
        let Some((top, bottom)) = shaped.ink_extent else {
            return VMetrics { ascent, descent };
        };
        if top <= ascent && bottom >= descent {
            return VMetrics { ascent, descent };
        }
        let height = (ascent - descent).max(top - bottom);
        let ascent = ascent.max(top).min(bottom + height);
        VMetrics {
            ascent,
            descent: ascent - height,
        }
    }

    /// Height of `lines` lines: the first line's ascent, the line steps,
    /// the last line's descent. Text set in this height never leaves its
    /// region.
    fn block_height(self, size: f32, leading: f32, lines: usize) -> f32 {
        (lines.max(1) - 1) as f32 * size * leading + (self.ascent - self.descent) * size
    }
}

fn place_lines(
    req: &TextRequest,
    size: f32,
    v: VMetrics,
    texts: Vec<String>,
    fits: bool,
    missing: Vec<char>,
    rtl: bool,
) -> SetText {
    let line_height = size * req.line_height;
    let block = v.block_height(size, req.line_height, texts.len());
    let r = req.region;
    let top = match req.valign {
        VAlign::Top => r.y as f32,
        VAlign::Middle => r.y as f32 + (r.h as f32 - block) / 2.0,
        VAlign::Bottom => r.bottom() as f32 - block,
    }
    .max(r.y as f32);
    // Start and end follow the reading direction.
    let align = match (req.align, rtl) {
        (Align::Start, true) => Align::End,
        (Align::End, true) => Align::Start,
        (a, _) => a,
    };
    let ascent = v.ascent * size;
    let mut ink = Rect::default();
    let mut faces_used = Vec::new();
    let lines = texts
        .into_iter()
        .enumerate()
        .map(|(i, text)| {
            let shaped = shape(&text, req.faces, req.lang);
            faces_used.extend(shaped.faces_used());
            let width = shaped.width() * size;
            let x = match align {
                Align::Start => r.x as f32,
                Align::Center => r.x as f32 + (r.w as f32 - width) / 2.0,
                Align::End => r.right() as f32 - width,
            }
            .round();
            // Whole-pixel baselines keep stems sharp.
            let baseline = (top + ascent + i as f32 * line_height).floor();
            let line = Line {
                text,
                glyphs: shaped.glyphs,
                x,
                baseline,
                width,
            };
            ink = ink.union(ink_box(req.faces, size, &line));
            line
        })
        .collect();
    faces_used.sort_unstable();
    faces_used.dedup();
    SetText {
        size,
        line_height,
        lines,
        ink,
        fits,
        missing,
        rtl,
        faces_used,
        line_box: (v.ascent * size, -v.descent * size),
    }
}

/// One glyph of a line, drawn: its bitmap (from the face's cache) and the
/// canvas pixel of the bitmap's top-left corner.
pub struct DrawnGlyph {
    /// Canvas column of the bitmap's left edge.
    pub x: i32,
    /// Canvas row of the bitmap's top edge.
    pub y: i32,
    /// Coverage, shared with every other use of this glyph at this size and phase.
    pub bitmap: Arc<GlyphBitmap>,
}

/// Where a line's glyphs fall at `size` px per em: each inked glyph's
/// face, id, the canvas pixel its origin rounds down to and the quarter-
/// pixel phase within it ([`SUBPIXELS`]). Glyph 0 (a character no font
/// has) is never drawn: no tofu boxes.
fn placed<'a>(
    size: f32,
    line: &'a Line,
) -> impl Iterator<Item = (usize, u16, i32, i32, (u8, u8))> + 'a {
    let quantise = |v: f32| {
        let q = (v * SUBPIXELS as f32).round() as i32;
        (q.div_euclid(SUBPIXELS), q.rem_euclid(SUBPIXELS) as u8)
    };
    let mut pen = line.x;
    line.glyphs.iter().filter_map(move |g| {
        let (x, phase_x) = quantise(pen + g.dx * size);
        let (y, phase_y) = quantise(line.baseline - g.dy * size);
        pen += g.advance * size;
        (g.id != 0).then_some((g.face, g.id, x, y, (phase_x, phase_y)))
    })
}

/// A line's glyphs at `size` px per em, each in its own face, as the
/// rasteriser covers them (see [`placed`]).
pub fn rasterised<'a>(
    faces: &'a [&'a Face],
    size: f32,
    line: &'a Line,
) -> impl Iterator<Item = DrawnGlyph> + 'a {
    placed(size, line).filter_map(move |(face, id, x, y, phase)| {
        let bitmap = faces[face].glyph(id, size, phase)?;
        Some(DrawnGlyph {
            x: x + bitmap.left,
            y: y + bitmap.top,
            bitmap,
        })
    })
}

/// The pixel box of a line's glyphs, as the rasteriser will cover it, from
/// the outlines' bounds (nothing is rasterised to measure it).
pub fn ink_box(faces: &[&Face], size: f32, line: &Line) -> Rect {
    placed(size, line).fold(Rect::default(), |ink, (face, id, x, y, phase)| {
        faces[face]
            .ink_bounds(id, size, phase)
            .map_or(ink, |b| ink.union(Rect::new(x + b.x, y + b.y, b.w, b.h)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn face() -> Face {
        crate::font::fixture_face("Inter-Bold.otf")
    }

    fn request<'a>(faces: &'a [&'a Face], text: &'a str, region: Rect) -> TextRequest<'a> {
        TextRequest {
            faces,
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
    fn ink_from_outlines_is_the_box_the_rasteriser_covers() {
        let face = face();
        let faces = &[&face][..];
        for (text, size) in [
            ("Spring blend", 31.3),
            ("gjpqy ÅÉ!", 12.0),
            ("Order now", 57.75),
        ] {
            let set = set_text(&request(faces, text, Rect::new(3, 5, 900, 400)));
            for line in &set.lines {
                let covered = rasterised(faces, size, line).fold(Rect::default(), |ink, g| {
                    ink.union(Rect::new(
                        g.x,
                        g.y,
                        g.bitmap.width as i32,
                        g.bitmap.height as i32,
                    ))
                });
                assert_eq!(ink_box(faces, size, line), covered, "{text} at {size}");
            }
        }
    }

    #[test]
    fn largest_size_that_fits() {
        let face = face();
        let face = &[&face][..];
        let set = set_text(&request(
            face,
            "Spring blend is here",
            Rect::new(0, 0, 400, 200),
        ));
        assert!(set.fits);
        assert!(set.lines.len() <= 3);
        assert!(set.lines.iter().all(|l| l.width <= 400.0));
        // A quarter pixel larger no longer fits.
        let mut bigger = request(face, "Spring blend is here", Rect::new(0, 0, 400, 200));
        bigger.min_size = set.size + 0.25;
        bigger.max_size = set.size + 0.25;
        assert!(!set_text(&bigger).fits);
    }

    #[test]
    fn size_is_px_per_em() {
        let face = face();
        let face = &[&face][..];
        let set = set_text(&request(face, "H", Rect::new(0, 0, 1000, 100)));
        let h_advance = face[0].shape("H", None)[0].advance as f32;
        let expected = h_advance * set.size / face[0].units_per_em;
        assert!((set.lines[0].width - expected).abs() < 0.01);
    }

    #[test]
    fn balanced_lines_avoid_a_lonely_last_word() {
        let face = face();
        let face = &[&face][..];
        let mut req = request(
            face,
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
    fn japanese_lines_break_between_phrases() {
        let cjk = Face::load(&crate::spec::FontRef {
            file: std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("fixtures/fonts/NotoSansCJK-Regular-subset.ttc"),
            index: 0,
            written: "cjk".into(),
        })
        .unwrap();
        let faces = &[&cjk][..];
        let text = "手作りの花束を、正午までに街中へお届けします。";
        let phrase_ends =
            crate::shape::phrase_breaks(text, Some("ja"), &break_opportunities(text, Some("ja")))
                .unwrap();
        for width in [300, 420, 520, 640] {
            let mut req = request(faces, text, Rect::new(0, 0, width, 400));
            req.lang = Some("ja");
            req.max_size = 40.0;
            let set = set_text(&req);
            assert!(set.fits && set.lines.len() > 1, "{width}: {:?}", set.lines);
            let mut end = 0;
            for line in &set.lines[..set.lines.len() - 1] {
                end += line.text.len();
                assert!(
                    phrase_ends.contains(&end),
                    "{width}: broke inside a phrase after {:?}",
                    line.text
                );
            }
        }
        // A phrase wider than the line at the minimum size is split rather
        // than truncated.
        let mut req = request(faces, text, Rect::new(0, 0, 70, 400));
        req.lang = Some("ja");
        req.max_lines = 8;
        let set = set_text(&req);
        assert!(set.fits, "{:?}", set.lines);
    }

    #[test]
    fn never_below_min_size_and_says_so() {
        let face = face();
        let face = &[&face][..];
        let set = set_text(&request(
            face,
            "A headline far too long for a tiny box anyway",
            Rect::new(0, 0, 60, 16),
        ));
        assert!(!set.fits);
        assert_eq!(set.size, 12.0);
        assert!(set.lines.len() == 1 && set.lines[0].text.ends_with('…'));
        assert!(set.lines[0].width <= 60.0);
    }
}
