//! Glyphs: shaped by HarfRust (via `Face::shape`), outlines rasterised by
//! ab_glyph into one coverage mask per layer, painted in linear light.

use super::blend::Mask;
use crate::font::Face;
use crate::geom::Rect;
use crate::layout::Line;

/// Coverage of `lines` set in `face` at `size` px per em.
pub fn text_mask(face: &Face, size: f32, lines: &[Line], lang: Option<&str>, ink: Rect) -> Mask {
    // One pixel of slack around the measured ink for rounding.
    let mut mask = Mask::new(ink.inset(-1));
    for line in lines {
        let glyphs = face.shape(&line.text, lang);
        for outlined in face.outlined(&glyphs, size, line.x, line.baseline) {
            let b = outlined.px_bounds();
            let (x0, y0) = (b.min.x as i32, b.min.y as i32);
            outlined.draw(|x, y, c| mask.add(x0 + x as i32, y0 + y as i32, c));
        }
    }
    mask
}
