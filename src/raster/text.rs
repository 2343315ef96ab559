//! Glyphs: shaped by HarfRust with font fallback and bidi (`crate::shape`),
//! outlines rasterised by ab_glyph into one coverage mask per layer,
//! painted in linear light.

use super::blend::Mask;
use crate::font::Face;
use crate::geom::Rect;
use crate::layout::Line;
use crate::layout::text::outlined;

/// Coverage of `lines` set in the font stack `faces` at `size` px per em.
pub fn text_mask(faces: &[&Face], size: f32, lines: &[Line], ink: Rect) -> Mask {
    // One pixel of slack around the measured ink for rounding.
    let mut mask = Mask::new(ink.inset(-1));
    for line in lines {
        for glyph in outlined(faces, size, line) {
            let b = glyph.px_bounds();
            let (x0, y0) = (b.min.x as i32, b.min.y as i32);
            glyph.draw(|x, y, c| mask.add(x0 + x as i32, y0 + y as i32, c));
        }
    }
    mask
}
