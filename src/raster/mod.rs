//! Raster: draws a finished [`Layout`] into pixels. The only module that
//! writes pixels; it decides nothing (where things go, their colours and
//! the scrim panels are all the layout's).

pub mod background;
pub mod blend;
pub mod logo;
pub mod scrim;
pub mod text;

use image::RgbImage;

pub use background::Master;

use crate::color::Rgb;
use crate::kit::BrandKit;
use crate::layout::behind::MISSING_PHOTO;
use crate::layout::{Button, Layout, TextBlock};
use crate::spec::creative::BackgroundFill;
use blend::Mask;

/// Draws `layout`: the background (the master's crop, or the flat fill),
/// the creative's tint, the planned panels, the text in its resolved
/// colours, the button and the logo. `master` is the decoded background
/// photo when the layout's background is an image.
pub fn render(layout: &Layout, kit: &BrandKit, master: Option<&Master>) -> RgbImage {
    let mut canvas = RgbImage::new(layout.format.width, layout.format.height);
    match (&layout.background.fill, master, layout.photo) {
        (BackgroundFill::Image(_), Some(m), Some(photo)) => {
            background::draw_crop(m, photo.crop, &mut canvas)
        }
        (BackgroundFill::Color(c), _, _) => fill(&mut canvas, *c),
        (BackgroundFill::Image(_), _, _) => fill(&mut canvas, MISSING_PHOTO),
    }
    if let Some(s) = layout.background.scrim {
        blend::tint(&mut canvas, s.color, s.opacity);
    }
    for panel in &layout.panels {
        scrim::paint(&mut canvas, panel);
    }
    for block in &layout.texts {
        blend::paint(&mut canvas, &block_mask(block, kit), block.color);
    }
    if let Some(button) = &layout.cta {
        draw_button(&mut canvas, button);
        blend::paint(
            &mut canvas,
            &block_mask(&button.label, kit),
            button.label.color,
        );
    }
    let l = layout.logo;
    let art = logo::logo_pixels(&kit.logo, l.w as u32, l.h as u32);
    blend::composite_premultiplied(&mut canvas, &art, l.w as u32, l.h as u32, (l.x, l.y));
    canvas
}

fn fill(canvas: &mut RgbImage, c: Rgb) {
    for p in canvas.pixels_mut() {
        p.0 = c.0;
    }
}

/// The coverage of a text layer's glyphs.
fn block_mask(block: &TextBlock, kit: &BrandKit) -> Mask {
    text::text_mask(&block.face.stack(kit), block.size, &block.lines, block.ink)
}

/// A rounded rectangle with an anti-aliased edge (signed distance, 1 px ramp).
fn draw_button(canvas: &mut RgbImage, b: &Button) {
    let r = b.rect;
    let radius = b.radius.min(r.w as f32 / 2.0).min(r.h as f32 / 2.0);
    let mut mask = Mask::new(r);
    let (cx, cy) = (r.x as f32 + r.w as f32 / 2.0, r.y as f32 + r.h as f32 / 2.0);
    let (hx, hy) = (r.w as f32 / 2.0 - radius, r.h as f32 / 2.0 - radius);
    for y in r.y..r.bottom() {
        for x in r.x..r.right() {
            let (px, py) = (x as f32 + 0.5 - cx, y as f32 + 0.5 - cy);
            let (qx, qy) = (px.abs() - hx, py.abs() - hy);
            let outside = (qx.max(0.0).powi(2) + qy.max(0.0).powi(2)).sqrt();
            let d = outside + qx.max(qy).min(0.0) - radius;
            mask.add(x, y, (0.5 - d).clamp(0.0, 1.0));
        }
    }
    blend::paint(canvas, &mask, b.fill);
}
