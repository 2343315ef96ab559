//! Glyphs: shaped by HarfRust (via `Face::shape`), outlines rasterised by
//! ab_glyph into one coverage mask per layer, painted in linear light.

use ab_glyph::{Font as _, Glyph, GlyphId, point};

use super::blend::Mask;
use crate::font::Face;
use crate::geom::Rect;
use crate::layout::Line;

/// Coverage of `lines` set in `face` at `size` px per em.
pub fn text_mask(face: &Face, size: f32, lines: &[Line], lang: Option<&str>, ink: Rect) -> Mask {
    // Glyph outlines may overhang their advance box (italics, accents).
    let pad = (size * 0.5).ceil() as i32;
    let mut mask = Mask::new(ink.inset(-pad));
    let scale = face.scale(size);
    let px_scale = face.px_scale(size);
    for line in lines {
        let mut pen = line.x;
        for g in face.shape(&line.text, lang) {
            let position = point(
                pen + g.dx as f32 * scale,
                line.baseline - g.dy as f32 * scale,
            );
            pen += g.advance as f32 * scale;
            let glyph = Glyph {
                id: GlyphId(g.id),
                scale: px_scale,
                position,
            };
            if let Some(outlined) = face.outlines().outline_glyph(glyph) {
                let b = outlined.px_bounds();
                let (x0, y0) = (b.min.x as i32, b.min.y as i32);
                outlined.draw(|x, y, c| mask.add(x0 + x as i32, y0 + y as i32, c));
            }
        }
    }
    mask
}
