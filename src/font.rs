//! Brand fonts: loading, shaping with HarfRust (kerning, ligatures), the
//! metrics layout needs, and rasterised glyphs cached per (font, size). Runs
//! are put together in `crate::shape`; lines are placed for drawing in
//! `layout::text::rasterised`.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use ab_glyph::{Font as _, FontArc, FontVec, ScaleFont as _};

use crate::error::{Error, InputKind, Location, Result};
use crate::geom::Rect;
use crate::spec::FontRef;

/// One loaded font face.
pub struct Face {
    /// The brand guide's reference to it.
    pub source: FontRef,
    shaping: harfrust::Font,
    outlines: FontArc,
    /// Design units per em.
    pub units_per_em: f32,
    /// Ascender in design units (positive, above the baseline).
    pub ascent: f32,
    /// Descender in design units (negative, below the baseline).
    pub descent: f32,
    /// OS/2 weight class (400 regular, 700 bold).
    pub weight: u16,
    /// Family name (typographic family when the font has one), to group the
    /// weights of one family in a fallback chain.
    pub family: String,
    glyphs: Mutex<GlyphCache>,
    uid: u64,
}

/// Glyph origins are rounded to this fraction of a pixel before drawing, as
/// browsers do (Skia positions glyphs at quarter pixels), so that a glyph is
/// rasterised once per phase and reused wherever it falls at that phase.
pub const SUBPIXELS: i32 = 4;

/// A glyph's anti-aliased coverage at one size and sub-pixel phase.
#[derive(Debug, PartialEq)]
pub struct GlyphBitmap {
    /// Column of the leftmost pixel, relative to the origin's whole pixel.
    pub left: i32,
    /// Row of the top pixel, relative to the origin's whole pixel.
    pub top: i32,
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels.
    pub height: usize,
    /// Row-major coverage in 0..=1.
    pub coverage: Vec<f32>,
}

/// Rasterised glyphs by (id, size, phase). Outlines without ink (spaces) are
/// remembered as `None`. Cleared when it outgrows `GLYPH_CACHE_BYTES`; the
/// bitmaps depend only on the key, so what the cache holds never changes output.
#[derive(Default)]
struct GlyphCache {
    bitmaps: HashMap<GlyphKey, Option<Arc<GlyphBitmap>>>,
    /// Outline bounds in design units by glyph id, for measuring ink.
    bounds: HashMap<u16, Option<ab_glyph::Rect>>,
    bytes: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct GlyphKey {
    id: u16,
    size_bits: u32,
    phase: (u8, u8),
}

/// The next [`Face::uid`].
static NEXT_UID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Coverage kept per face before the cache starts over (f32 per pixel).
const GLYPH_CACHE_BYTES: usize = 16 << 20;

impl std::fmt::Debug for Face {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Face")
            .field("file", &self.source.file)
            .field("index", &self.source.index)
            .finish()
    }
}

/// A glyph after shaping, in design units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShapedGlyph {
    /// Glyph id in the face (0 is .notdef: the character is missing).
    pub id: u16,
    /// Byte offset in the shaped text of the character it came from.
    pub cluster: u32,
    /// Pen advance.
    pub advance: i32,
    /// Horizontal offset from the pen.
    pub dx: i32,
    /// Vertical offset from the pen (up is positive).
    pub dy: i32,
}

impl Face {
    /// Loads a face from a font file (a `.ttc` by its face index).
    pub fn load(source: &FontRef) -> Result<Face> {
        let data = std::fs::read(&source.file).map_err(|e| Error::read(&source.file, e))?;
        Face::from_data(source.clone(), data)
    }

    /// A face from font bytes already in memory.
    pub fn from_data(source: FontRef, data: Vec<u8>) -> Result<Face> {
        let bad = |why: &str| {
            Error::invalid_with_hint(
                Location::file(&source.file),
                InputKind::Font,
                format!("cannot load font (face {}): {why}", source.index),
                "use an OpenType .otf/.ttf, or a .ttc with a valid `index`",
            )
        };
        let outlines = FontVec::try_from_vec_and_index(data.clone(), source.index)
            .map_err(|_| bad("not a valid OpenType font"))?;
        let shaping =
            harfrust::Font::new(data, source.index).ok_or_else(|| bad("no font at that index"))?;
        let units_per_em = outlines
            .units_per_em()
            .ok_or_else(|| bad("missing units per em"))?;
        let (weight, family) = {
            let parsed = ttf_parser::Face::parse(outlines.font_data(), source.index)
                .map_err(|_| bad("not a valid OpenType font"))?;
            (parsed.weight().to_number(), family_name(&parsed))
        };
        Ok(Face {
            source,
            units_per_em,
            ascent: outlines.ascent_unscaled(),
            descent: outlines.descent_unscaled(),
            outlines: FontArc::new(outlines),
            shaping,
            weight,
            family,
            glyphs: Mutex::default(),
            uid: NEXT_UID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        })
    }

    /// An id no other face loaded in this process has: a cache key that
    /// cannot outlive the face's fonts (never written to any output).
    pub fn uid(&self) -> u64 {
        self.uid
    }

    /// The file it was loaded from.
    pub fn path(&self) -> &Path {
        &self.source.file
    }

    /// Shapes one run of text (one font, one direction, script and language
    /// guessed from the text), in design units.
    pub fn shape(&self, text: &str, lang: Option<&str>) -> Vec<ShapedGlyph> {
        self.shape_buffer(text, |buffer| {
            buffer.set_language(lang.and_then(crate::shape::harfrust_language));
            buffer.guess_segment_properties();
        })
    }

    /// Shapes one run of one script in one direction, in design units;
    /// right-to-left glyphs come in visual order, as HarfBuzz gives them.
    pub fn shape_run(
        &self,
        text: &str,
        lang: Option<&str>,
        rtl: bool,
        script: Option<unicode_script::Script>,
    ) -> Vec<ShapedGlyph> {
        self.shape_buffer(text, |buffer| {
            buffer.set_direction(if rtl {
                harfrust::Direction::RightToLeft
            } else {
                harfrust::Direction::LeftToRight
            });
            buffer.set_script(script.and_then(crate::shape::harfrust_script));
            buffer.set_language(lang.and_then(crate::shape::harfrust_language));
            buffer.guess_segment_properties();
        })
    }

    fn shape_buffer(
        &self,
        text: &str,
        setup: impl FnOnce(&mut harfrust::Buffer),
    ) -> Vec<ShapedGlyph> {
        let font = harfrust::ShaperFont::new(&self.shaping);
        let mut buffer = harfrust::Buffer::new();
        buffer.push_str(text);
        setup(&mut buffer);
        if harfrust::shape(&font, &mut buffer, harfrust::ShapeOptions::new()).is_err() {
            // A malformed font table: fall back to nominal glyphs and advances
            // so the text still measures and draws, as HarfBuzz's fallback does.
            return text
                .char_indices()
                .map(|(i, c)| {
                    let id = self.outlines.glyph_id(c);
                    ShapedGlyph {
                        id: id.0,
                        cluster: i as u32,
                        advance: self.outlines.h_advance_unscaled(id).round() as i32,
                        dx: 0,
                        dy: 0,
                    }
                })
                .collect();
        }
        buffer
            .glyph_infos()
            .iter()
            .zip(buffer.glyph_positions())
            .map(|(info, pos)| ShapedGlyph {
                id: u16::try_from(info.glyph_id).unwrap_or(0),
                cluster: info.cluster,
                advance: pos.x_advance,
                dx: pos.x_offset,
                dy: pos.y_offset,
            })
            .collect()
    }

    /// Pixels per design unit at `size` px per em.
    pub fn scale(&self, size: f32) -> f32 {
        size / self.units_per_em
    }

    /// ab_glyph's scale for `size` px per em (its `PxScale` is ascent−descent height).
    pub fn px_scale(&self, size: f32) -> ab_glyph::PxScale {
        ab_glyph::PxScale::from(size * (self.ascent - self.descent) / self.units_per_em)
    }

    /// The outline font, for drawing glyphs by id.
    pub fn outlines(&self) -> &FontArc {
        &self.outlines
    }

    /// Glyph `id` at `size` px per em with its origin at `phase` quarter
    /// pixels right of and below a pixel corner; `None` when it has no ink.
    /// Rasterised once per (font, size, phase) and shared between threads.
    pub fn glyph(&self, id: u16, size: f32, phase: (u8, u8)) -> Option<Arc<GlyphBitmap>> {
        let key = GlyphKey {
            id,
            size_bits: size.to_bits(),
            phase,
        };
        let lock = || self.glyphs.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(hit) = lock().bitmaps.get(&key) {
            return hit.clone();
        }
        // Drawn outside the lock: two threads may both draw a glyph, and
        // both draw the same pixels.
        let bitmap = self.rasterise(key).map(Arc::new);
        let bytes = bitmap.as_ref().map_or(0, |b| 4 * b.coverage.len());
        let mut cache = lock();
        if cache.bytes + bytes > GLYPH_CACHE_BYTES {
            *cache = GlyphCache::default();
        }
        cache.bytes += bytes;
        cache.bitmaps.insert(key, bitmap.clone());
        bitmap
    }

    fn rasterise(&self, key: GlyphKey) -> Option<GlyphBitmap> {
        let step = 1.0 / SUBPIXELS as f32;
        let outlined = self.outlines.outline_glyph(ab_glyph::Glyph {
            id: ab_glyph::GlyphId(key.id),
            scale: self.px_scale(f32::from_bits(key.size_bits)),
            position: ab_glyph::point(key.phase.0 as f32 * step, key.phase.1 as f32 * step),
        })?;
        let bounds = outlined.px_bounds();
        let (width, height) = (bounds.width() as usize, bounds.height() as usize);
        let mut coverage = vec![0.0; width * height];
        outlined.draw(|x, y, c| coverage[y as usize * width + x as usize] = c);
        Some(GlyphBitmap {
            left: bounds.min.x as i32,
            top: bounds.min.y as i32,
            width,
            height,
            coverage,
        })
    }

    /// The pixel box glyph `id` covers at `size` px per em with its origin
    /// at `phase` quarter pixels right of and below a pixel corner, relative
    /// to that corner: from the outline's bounds, without rasterising (the
    /// very box [`Face::glyph`]'s bitmap fills). `None` when it has no outline.
    pub fn ink_bounds(&self, id: u16, size: f32, phase: (u8, u8)) -> Option<Rect> {
        let step = 1.0 / SUBPIXELS as f32;
        // The bounds are read from the outline once per glyph: the layout
        // measures the same glyphs at many sizes.
        let lock = || self.glyphs.lock().unwrap_or_else(PoisonError::into_inner);
        let cached = lock().bounds.get(&id).copied();
        let bounds = cached.unwrap_or_else(|| {
            let bounds = self
                .outlines
                .outline(ab_glyph::GlyphId(id))
                .map(|o| o.bounds);
            lock().bounds.insert(id, bounds);
            bounds
        })?;
        let outline = ab_glyph::Outline {
            bounds,
            curves: Vec::new(),
        };
        let scale = self.outlines.as_scaled(self.px_scale(size)).scale_factor();
        let b = outline.px_bounds(
            scale,
            ab_glyph::point(phase.0 as f32 * step, phase.1 as f32 * step),
        );
        Some(Rect::from_edges(
            b.min.x as i32,
            b.min.y as i32,
            b.max.x as i32,
            b.max.y as i32,
        ))
    }

    /// The top and bottom of glyph `id`'s outline in design units above the
    /// baseline; `None` for a glyph without an outline.
    pub fn ink_extent(&self, id: u16) -> Option<(f32, f32)> {
        // ab_glyph keeps unscaled bounds ready for its y-down pixels: `min.y`
        // holds the outline's top (yMax), `max.y` its bottom (yMin).
        let bounds = self.outlines.outline(ab_glyph::GlyphId(id))?.bounds;
        Some((bounds.min.y, bounds.max.y))
    }

    /// True when the face maps `c` to a real glyph.
    pub fn has_char(&self, c: char) -> bool {
        self.outlines.glyph_id(c).0 != 0
    }
}

/// The typographic family name (name id 16), else the legacy family (id 1),
/// else empty: a face whose family is unknown is a family of its own.
fn family_name(face: &ttf_parser::Face) -> String {
    use ttf_parser::name_id::{FAMILY, TYPOGRAPHIC_FAMILY};
    [TYPOGRAPHIC_FAMILY, FAMILY]
        .into_iter()
        .find_map(|id| {
            face.names()
                .into_iter()
                .filter(|n| n.name_id == id)
                .find_map(|n| n.to_string())
        })
        .unwrap_or_default()
}

/// A vendored fixture font, for unit tests.
#[cfg(test)]
pub(crate) fn fixture_face(name: &str) -> Face {
    let file = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/fonts")
        .join(name);
    Face::load(&FontRef {
        file,
        index: 0,
        written: name.into(),
    })
    .unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inter_bold() -> Face {
        fixture_face("Inter-Bold.otf")
    }

    #[test]
    fn gpos_kerning_applies() {
        // Inter kerns "AV" in GPOS only; shaped advances must be tighter
        // than the sum of nominal advances.
        let face = inter_bold();
        let kerned: i32 = face.shape("AV", None).iter().map(|g| g.advance).sum();
        let a: i32 = face.shape("A", None)[0].advance;
        let v: i32 = face.shape("V", None)[0].advance;
        assert!(kerned < a + v, "AV {kerned} vs A+V {}", a + v);
    }

    #[test]
    fn cached_glyphs_are_the_glyphs_drawn_fresh() {
        let face = inter_bold();
        let id = face.shape("g", None)[0].id;
        let first = face.glyph(id, 37.5, (3, 0)).unwrap();
        let again = face.glyph(id, 37.5, (3, 0)).unwrap();
        assert!(Arc::ptr_eq(&first, &again), "second lookup should hit");
        let fresh = face
            .rasterise(GlyphKey {
                id,
                size_bits: 37.5f32.to_bits(),
                phase: (3, 0),
            })
            .unwrap();
        assert_eq!(*first, fresh);
        // A descender reaches below the baseline; another phase is another bitmap.
        assert!(first.top + first.height as i32 > 0);
        assert_ne!(*face.glyph(id, 37.5, (0, 0)).unwrap(), fresh);
        let space = face.shape(" ", None)[0].id;
        assert!(face.glyph(space, 37.5, (0, 0)).is_none());
    }

    #[test]
    fn ink_extent_is_top_and_bottom_above_the_baseline() {
        let face = inter_bold();
        let id = |c: &str| face.shape(c, None)[0].id;
        let (top, bottom) = face.ink_extent(id("d")).unwrap();
        assert!(
            top > 0.6 * face.units_per_em && bottom.abs() < 0.02 * face.units_per_em,
            "d: {top} {bottom}"
        );
        let (top, bottom) = face.ink_extent(id("g")).unwrap();
        assert!(
            top > 0.0 && bottom < -0.1 * face.units_per_em,
            "g: {top} {bottom}"
        );
        assert!(face.ink_extent(id(" ")).is_none());
    }

    #[test]
    fn reads_the_weight_class_and_family() {
        assert_eq!(inter_bold().weight, 700);
        assert_eq!(fixture_face("Inter-Regular.otf").weight, 400);
        assert_eq!(inter_bold().family, "Inter");
        assert_eq!(
            fixture_face("NotoSansArabic-Regular.ttf").family,
            "Noto Sans Arabic"
        );
    }

    #[test]
    fn missing_characters_shape_to_notdef() {
        let face = inter_bold();
        let glyphs = face.shape("a\u{0E01}", None);
        assert!(glyphs.iter().any(|g| g.id == 0));
        assert!(!face.has_char('\u{0E01}'));
    }

    #[test]
    fn not_a_font_is_a_clear_error() {
        let err = Face::from_data(
            FontRef {
                file: "x.otf".into(),
                index: 0,
                written: "x.otf".into(),
            },
            b"not a font".to_vec(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("x.otf: cannot load font"), "{err}");
    }
}
