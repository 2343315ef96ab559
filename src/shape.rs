//! Text as a browser sets it: each grapheme cluster drawn by the first brand
//! font that has all its glyphs (SPEC §2 `fonts.fallback`), right-to-left
//! runs ordered by the Unicode bidirectional algorithm (UAX #9), one script
//! per shaping run (UAX #24), shaped by HarfRust, and line-break
//! opportunities by UAX #14 with dictionary segmentation for Thai, narrowed
//! to phrase boundaries in Japanese and Chinese.
//!
//! Widths are in ems, so one shaping serves every size the fitter tries.

use std::ops::Range;
use std::str::FromStr;

use icu_segmenter::options::{LineBreakOptions, LineBreakWordOption, WordBreakInvariantOptions};
use icu_segmenter::{LineSegmenter, WordSegmenter};
use unicode_bidi::{BidiInfo, Level};
use unicode_script::{Script, UnicodeScript};
use unicode_segmentation::UnicodeSegmentation;

use crate::font::Face;

/// One glyph of a shaped line, in visual order, positions in ems.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Glyph {
    /// Index of its face in the font stack.
    pub face: usize,
    /// Glyph id in that face (0 only for a character no font has).
    pub id: u16,
    /// Byte offset in the text of the cluster it belongs to.
    pub cluster: u32,
    /// Pen advance.
    pub advance: f32,
    /// Offset from the pen, right.
    pub dx: f32,
    /// Offset from the pen, up.
    pub dy: f32,
}

/// A shaped run of text: glyphs left to right.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Shaped {
    /// Glyphs in visual order.
    pub glyphs: Vec<Glyph>,
    /// True when the paragraph reads right to left.
    pub rtl: bool,
    /// Characters no font in the stack can draw, in order of appearance.
    pub missing: Vec<char>,
    /// The highest and lowest ink of the glyphs, in ems above the baseline
    /// (the lowest is negative, below it), from their outlines and offsets;
    /// `None` when nothing has ink. Scripts drawn by a fallback face (Arabic,
    /// Thai marks) can reach past the primary face's ascent and descent.
    pub ink_extent: Option<(f32, f32)>,
}

impl Shaped {
    /// Total advance in ems.
    pub fn width(&self) -> f32 {
        self.glyphs.iter().map(|g| g.advance).sum()
    }

    /// Advance of the glyphs whose cluster starts in `range`, in ems.
    pub fn width_of(&self, range: Range<usize>) -> f32 {
        self.glyphs
            .iter()
            .filter(|g| range.contains(&(g.cluster as usize)))
            .map(|g| g.advance)
            .sum()
    }

    /// The faces the glyphs use, in stack order.
    pub fn faces_used(&self) -> Vec<usize> {
        let mut used: Vec<usize> = self.glyphs.iter().map(|g| g.face).collect();
        used.sort_unstable();
        used.dedup();
        used
    }
}

/// True for languages written right to left (BCP 47 primary subtag).
pub fn is_rtl_language(lang: &str) -> bool {
    matches!(
        primary_subtag(lang).as_str(),
        "ar" | "he" | "iw" | "fa" | "ur" | "yi" | "ps" | "sd" | "ug" | "dv" | "ckb"
    )
}

/// The language a text's script tells, for copy without a `lang`: the
/// script most of its letters are in, where one language is by far the
/// likeliest (Hangul: Korean; kana among Han: Japanese; Thai; Arabic;
/// Hebrew; Devanagari: Hindi; …). `None` for Latin, Cyrillic, Greek or
/// Han alone, which many languages share (UAX #14's defaults serve them).
pub fn language_of_script(text: &str) -> Option<&'static str> {
    let mut counts: Vec<(Script, usize)> = Vec::new();
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        let script = c.script();
        match counts.iter_mut().find(|(s, _)| *s == script) {
            Some((_, n)) => *n += 1,
            None => counts.push((script, 1)),
        }
    }
    let count = |s: Script| counts.iter().find(|(x, _)| *x == s).map_or(0, |(_, n)| *n);
    let kana = count(Script::Hiragana) + count(Script::Katakana);
    let letters: usize = counts.iter().map(|(_, n)| n).sum();
    if kana > 0 && 2 * (kana + count(Script::Han)) > letters {
        return Some("ja");
    }
    // The first script with the most letters (ties by first seen, so the
    // answer does not depend on anything but the text).
    let (script, n) = counts
        .iter()
        .fold(None::<(Script, usize)>, |best, &(s, n)| match best {
            Some((_, m)) if m >= n => best,
            _ => Some((s, n)),
        })?;
    if 2 * n <= letters {
        return None;
    }
    Some(match script {
        Script::Hangul => "ko",
        Script::Thai => "th",
        Script::Lao => "lo",
        Script::Khmer => "km",
        Script::Myanmar => "my",
        Script::Arabic => "ar",
        Script::Hebrew => "he",
        Script::Devanagari => "hi",
        Script::Bengali => "bn",
        Script::Tamil => "ta",
        Script::Telugu => "te",
        Script::Gujarati => "gu",
        Script::Gurmukhi => "pa",
        Script::Kannada => "kn",
        Script::Malayalam => "ml",
        Script::Sinhala => "si",
        Script::Georgian => "ka",
        Script::Armenian => "hy",
        Script::Ethiopic => "am",
        _ => return None,
    })
}

/// The language subtag of a BCP 47 tag, lower case.
fn primary_subtag(lang: &str) -> String {
    lang.split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// Shapes `text` with the font stack `faces` (primary first). The paragraph
/// direction comes from `lang` when it names a right-to-left language, else
/// from the first strong character (UAX #9 P2–P3).
pub fn shape(text: &str, faces: &[&Face], lang: Option<&str>) -> Shaped {
    // Every format of a creative sets the same copy, and fitting measures
    // the same lines again: shaped runs are cached per thread, keyed by the
    // text, the loaded faces (each load has its own id) and the language.
    type Key = (String, Vec<u64>, Option<String>);
    thread_local! {
        static CACHE: std::cell::RefCell<std::collections::HashMap<Key, Shaped>> =
            Default::default();
    }
    let key: Key = (
        text.to_string(),
        faces.iter().map(|f| f.uid()).collect(),
        lang.map(str::to_string),
    );
    if let Some(hit) = CACHE.with(|c| c.borrow().get(&key).cloned()) {
        return hit;
    }
    let shaped = shape_uncached(text, faces, lang);
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        // A bound on memory for long batches: start afresh when it is full.
        if c.len() >= 4096 {
            c.clear();
        }
        c.insert(key, shaped.clone());
    });
    shaped
}

fn shape_uncached(text: &str, faces: &[&Face], lang: Option<&str>) -> Shaped {
    let (face_of, missing) = choose_faces(text, faces);
    let base = lang.filter(|l| is_rtl_language(l)).map(|_| Level::rtl());
    let bidi = BidiInfo::new(text, base);
    let mut glyphs = Vec::new();
    let mut rtl = false;
    for (i, para) in bidi.paragraphs.iter().enumerate() {
        if i == 0 {
            rtl = para.level.is_rtl();
        }
        let (levels, runs) = bidi.visual_runs(para, para.range.clone());
        for run in runs {
            let level = levels[run.start];
            let mut pieces = split_run(text, run, &face_of);
            if level.is_rtl() {
                pieces.reverse();
            }
            for (range, face, script) in pieces {
                let f = faces[face];
                let em = 1.0 / f.units_per_em;
                let shaped = f.shape_run(&text[range.clone()], lang, level.is_rtl(), script);
                glyphs.extend(shaped.into_iter().map(|g| Glyph {
                    face,
                    id: g.id,
                    cluster: g.cluster + range.start as u32,
                    advance: g.advance as f32 * em,
                    dx: g.dx as f32 * em,
                    dy: g.dy as f32 * em,
                }));
            }
        }
    }
    let ink_extent = glyphs
        .iter()
        .filter(|g| g.id != 0)
        .filter_map(|g| {
            let face = faces[g.face];
            let (top, bottom) = face.ink_extent(g.id)?;
            let em = face.units_per_em;
            Some((top / em + g.dy, bottom / em + g.dy))
        })
        .reduce(|a, b| (a.0.max(b.0), a.1.min(b.1)));
    Shaped {
        glyphs,
        rtl,
        missing,
        ink_extent,
    }
}

/// Where lines may break: byte offsets after which a line can end (UAX #14,
/// Thai and other scripts without spaces by dictionary), excluding 0 and
/// including `text.len()`. Korean keeps its words whole and breaks at
/// spaces (CSS `word-break: keep-all`), as Korean typesetting does.
pub fn break_opportunities(text: &str, lang: Option<&str>) -> Vec<usize> {
    let mut options = LineBreakOptions::default();
    if lang.is_some_and(|l| primary_subtag(l) == "ko") {
        options.word_option = Some(LineBreakWordOption::KeepAll);
    }
    LineSegmenter::new_dictionary(options)
        .segment_str(text)
        .filter(|&b| b > 0)
        .collect()
}

/// For Japanese and Chinese, the line-break opportunities that also end a
/// phrase, so that a line breaks between phrases, not inside a word:
/// "正午までに|街中へ", never "正午ま|でに". Words come from ICU's
/// dictionary segmenter; in Japanese, particles and endings written in
/// hiragana stay with the word before them (the bunsetsu), as do runs of
/// kanji and digits ("8月31日", "送料無料"); in both, punctuation stays with
/// what precedes it and a currency sign or opening bracket with what
/// follows. Only breaks in `opportunities` (from [`break_opportunities`])
/// are kept. `None` for other languages. Layout splits a phrase wider than
/// the line at its own opportunities.
pub fn phrase_breaks(
    text: &str,
    lang: Option<&str>,
    opportunities: &[usize],
) -> Option<Vec<usize>> {
    let primary = primary_subtag(lang?);
    let japanese = match primary.as_str() {
        "ja" => true,
        "zh" => false,
        _ => return None,
    };
    let bounds: Vec<usize> = WordSegmenter::new_auto(WordBreakInvariantOptions::default())
        .segment_str(text)
        .collect();
    let only = |seg: &str, f: fn(char) -> bool| !seg.is_empty() && seg.chars().all(f);
    let han_or_digit = |c: char| c.is_numeric() || c.script() == Script::Han;
    let mut breaks: Vec<usize> = bounds
        .windows(3)
        .filter(|w| {
            let (prev, seg) = (&text[w[0]..w[1]], &text[w[1]..w[2]]);
            let attaches = only(seg, |c| trailing_punctuation(c) || c.is_whitespace())
                || prev.chars().last().is_some_and(leading_punctuation)
                || (japanese && only(seg, is_kana_ending))
                || (only(prev, han_or_digit)
                    && only(seg, han_or_digit)
                    && (japanese || only(prev, char::is_numeric) || only(seg, char::is_numeric)));
            !attaches && opportunities.binary_search(&w[1]).is_ok()
        })
        .map(|w| w[1])
        .collect();
    breaks.push(text.len());
    Some(breaks)
}

/// Hiragana and the marks that continue a word: particles, endings, okurigana.
fn is_kana_ending(c: char) -> bool {
    matches!(c, '\u{3041}'..='\u{309F}' | 'ー' | '〜' | '～')
}

/// Punctuation that stays with the text before it (closing brackets,
/// commas, stops, and their full-width forms).
fn trailing_punctuation(c: char) -> bool {
    !leading_punctuation(c)
        && (c.is_ascii_punctuation()
            || matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF01}'..='\u{FF0F}' | '\u{FF1A}'..='\u{FF20}'
                | '\u{FF3B}'..='\u{FF40}' | '\u{FF5B}'..='\u{FF65}' | '\u{2010}'..='\u{2027}'))
}

/// Opening brackets, opening quotes and currency signs: they stay with the
/// text after them.
fn leading_punctuation(c: char) -> bool {
    matches!(
        c,
        '(' | '['
            | '{'
            | '\u{2018}'
            | '\u{201C}'
            | '「'
            | '『'
            | '（'
            | '【'
            | '〈'
            | '《'
            | '〔'
            | '［'
            | '｛'
            | '〖'
            | '〘'
            | '$'
            | '€'
            | '£'
            | '¥'
            | '₩'
            | '＄'
            | '￥'
            | '￡'
    )
}

/// Characters that need no glyph of their own (joiners, variation
/// selectors, bidi controls): they never decide the font.
fn ignorable(c: char) -> bool {
    matches!(c as u32,
        0x00AD | 0x034F | 0x061C | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2069
        | 0xFE00..=0xFE0F | 0xFEFF | 0xE0100..=0xE01EF)
}

/// The face for each byte (by grapheme cluster) and the characters none
/// can draw. A cluster is drawn by the first face of the stack that has all
/// its characters, as browsers choose (digits and spaces inside Arabic or
/// Devanagari come from the role's own face when it has them); a cluster
/// with nothing to draw (a lone joiner or bidi control) stays with the
/// previous cluster's face.
fn choose_faces(text: &str, faces: &[&Face]) -> (Vec<usize>, Vec<char>) {
    let mut face_of = vec![0usize; text.len()];
    let mut missing: Vec<char> = Vec::new();
    let mut previous: Option<usize> = None;
    for (start, cluster) in text.grapheme_indices(true) {
        let needed: Vec<char> = cluster
            .chars()
            .filter(|&c| !ignorable(c) && !c.is_control())
            .collect();
        let covers = |f: usize| needed.iter().all(|&c| faces[f].has_char(c));
        let face = match previous.filter(|_| needed.is_empty()) {
            Some(p) => p,
            None => match (0..faces.len()).find(|&f| covers(f)) {
                Some(f) => f,
                None => {
                    for &c in &needed {
                        if !faces.iter().any(|f| f.has_char(c)) && !missing.contains(&c) {
                            missing.push(c);
                        }
                    }
                    // Draw what can be drawn with the face that has most of it.
                    (0..faces.len())
                        .max_by_key(|&f| {
                            (
                                needed.iter().filter(|&&c| faces[f].has_char(c)).count(),
                                usize::MAX - f,
                            )
                        })
                        .unwrap_or(0)
                }
            },
        };
        face_of[start..start + cluster.len()].fill(face);
        previous = Some(face);
    }
    (face_of, missing)
}

/// A bidi run split where the face or the script changes, in logical order.
fn split_run(
    text: &str,
    run: Range<usize>,
    face_of: &[usize],
) -> Vec<(Range<usize>, usize, Option<Script>)> {
    let mut pieces: Vec<(Range<usize>, usize, Option<Script>)> = Vec::new();
    for (i, c) in text[run.clone()].char_indices() {
        let at = run.start + i;
        let face = face_of[at];
        let script = Some(c.script()).filter(|s| !matches!(s, Script::Common | Script::Inherited));
        match pieces.last_mut() {
            Some((range, f, s))
                if *f == face && (script.is_none() || s.is_none() || *s == script) =>
            {
                range.end = at + c.len_utf8();
                if s.is_none() {
                    *s = script;
                }
            }
            _ => pieces.push((at..at + c.len_utf8(), face, script)),
        }
    }
    pieces
}

/// HarfRust's script for a Unicode script (by its ISO 15924 code).
pub fn harfrust_script(script: Script) -> Option<harfrust::Script> {
    let code = script.short_name();
    let bytes: [u8; 4] = code.as_bytes().try_into().ok()?;
    harfrust::Script::from_iso15924_tag(harfrust::Tag::new(&bytes))
}

/// HarfRust's language for a BCP 47 tag.
pub fn harfrust_language(lang: &str) -> Option<harfrust::Language> {
    harfrust::Language::from_str(lang).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_tells_the_language_where_one_language_is_likeliest() {
        assert_eq!(language_of_script("春のブレンド新発売"), Some("ja"));
        assert_eq!(language_of_script("원두를 지금 주문"), Some("ko"));
        assert_eq!(language_of_script("ฤดูร้อนนี้ดอกไม้บาน"), Some("th"));
        assert_eq!(language_of_script("الصيف في أوج ازدهاره"), Some("ar"));
        assert_eq!(language_of_script("गर्मियों में खिला हर फूल €40"), Some("hi"));
        // A brand name in another script does not decide.
        assert_eq!(language_of_script("Acme 커피 is here today"), None);
        assert_eq!(language_of_script("Spring blend is here"), None);
        assert_eq!(language_of_script("春季新品上市"), None);
        assert_eq!(language_of_script("€40 !"), None);
    }
    use crate::font::fixture_face;

    #[test]
    fn rtl_languages() {
        assert!(is_rtl_language("ar"));
        assert!(is_rtl_language("he-IL"));
        assert!(!is_rtl_language("en"));
        assert!(!is_rtl_language("hi"));
    }

    #[test]
    fn latin_words_break_at_spaces_and_cjk_between_ideographs() {
        assert_eq!(break_opportunities("Spring blend", None), vec![7, 12]);
        // 春のブレンド。: a break after each ideograph or kana, but the
        // full stop stays with the character before it.
        let ja = "春のブレンド。";
        let breaks = break_opportunities(ja, Some("ja"));
        assert_eq!(*breaks.last().unwrap(), ja.len());
        assert!(!breaks.contains(&ja.rfind('。').unwrap()));
        assert!(breaks.len() >= 4, "{breaks:?}");
        // Korean breaks between words only.
        assert_eq!(break_opportunities("꽃다발 보기", Some("ko")), vec![10, 16]);
        // Thai has no spaces: the dictionary finds the words.
        let th = "สวัสดีชาวโลก";
        let breaks = break_opportunities(th, Some("th"));
        assert!(
            breaks.len() >= 2 && *breaks.last().unwrap() == th.len(),
            "{breaks:?}"
        );
    }

    #[test]
    fn a_character_no_font_has_is_reported() {
        let face = fixture_face("Inter-Bold.otf");
        let shaped = shape("Hi 日", &[&face], None);
        assert_eq!(shaped.missing, vec!['日']);
    }

    #[test]
    fn each_cluster_takes_the_first_face_that_has_it() {
        let latin = fixture_face("NotoSans-Regular.ttf");
        let arabic = fixture_face("NotoSansArabic-Regular.ttf");
        let faces = [&latin, &arabic];
        // "40 يورو": the digits and the space are in the role's face, as a
        // browser draws them; the Arabic word needs the fallback.
        let text = "40 \u{064A}\u{0648}\u{0631}\u{0648}";
        let (face_of, missing) = choose_faces(text, &faces);
        assert!(missing.is_empty());
        assert_eq!(&face_of[..3], [0, 0, 0]);
        assert!(face_of[3..].iter().all(|&f| f == 1));
        // Shaped, the word's letters join: no isolated forms, glyphs from face 1.
        let shaped = shape(text, &faces, Some("ar"));
        assert_eq!(shaped.faces_used(), vec![0, 1]);
        let isolated = arabic.shape("\u{064A}", None)[0].id;
        assert!(
            shaped
                .glyphs
                .iter()
                .all(|g| g.face == 0 || g.id != isolated)
        );
    }

    #[test]
    fn japanese_breaks_between_phrases_not_inside_words() {
        let pieces = |text: &str, lang| {
            let breaks =
                phrase_breaks(text, Some(lang), &break_opportunities(text, Some(lang))).unwrap();
            let mut start = 0;
            breaks
                .into_iter()
                .map(|end| {
                    let piece = text[start..end].to_string();
                    start = end;
                    piece
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(
            pieces("手作りの花束を、正午までに街中へお届けします。", "ja"),
            [
                "手作りの",
                "花束を、",
                "正午までに",
                "街中へ",
                "お届けします。"
            ]
        );
        assert_eq!(
            pieces("8月31日まで、€40以上のご注文で送料無料。", "ja"),
            // No break between "、" and "€" (UAX #14 does not allow one).
            ["8月31日まで、€40以上の", "ご注文で", "送料無料。"]
        );
        assert_eq!(
            pieces("春季混合咖啡上市，欢迎品尝！", "zh"),
            ["春季", "混合", "咖啡", "上市，", "欢迎", "品尝！"]
        );
        assert!(phrase_breaks("Spring blend", Some("en"), &[7, 12]).is_none());
    }
}
