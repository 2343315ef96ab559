//! Glyphs: shaped by HarfRust with font fallback and bidi (`crate::shape`),
//! rasterised by ab_glyph once per (font, size, quarter-pixel phase)
//! (`Face::glyph`), gathered into one coverage mask per layer and painted in
//! linear light.

use super::blend::Mask;
use crate::font::Face;
use crate::geom::Rect;
use crate::layout::Line;
use crate::layout::text::rasterised;

/// Coverage of `lines` set in the font stack `faces` at `size` px per em.
pub fn text_mask(faces: &[&Face], size: f32, lines: &[Line], ink: Rect) -> Mask {
    // One pixel of slack around the measured ink for rounding.
    let mut mask = Mask::new(ink.inset(-1));
    for line in lines {
        for glyph in rasterised(faces, size, line) {
            mask.add_bitmap(glyph.x, glyph.y, &glyph.bitmap);
        }
    }
    mask
}
