//! Raster: draws a finished [`Layout`] into pixels. The only module that
//! writes pixels; it never decides where anything goes.

pub mod background;
pub mod blend;
pub mod logo;
pub mod text;

use image::RgbImage;

pub use background::Master;

use crate::color::{Rgb, contrast_ratio};
use crate::crop::{self, Crop};
use crate::geom::{Rect, Size};
use crate::kit::BrandKit;
use crate::layout::{Button, Layout, Role, TextBlock};
use crate::spec::TextColor;
use crate::spec::creative::BackgroundFill;
use blend::Mask;

/// A drawn banner.
#[derive(Debug)]
pub struct Rendered {
    /// The pixels.
    pub image: RgbImage,
    /// The colour each text layer was drawn in (resolving `auto`).
    pub colors: Vec<(Role, Rgb)>,
    /// The crop of the master used, if any.
    pub crop: Option<Crop>,
}

/// Draws `layout`. `master` is the decoded background photo when the
/// layout's background is an image.
pub fn render(layout: &Layout, kit: &BrandKit, master: Option<&Master>) -> Rendered {
    let size = Size::new(layout.format.width, layout.format.height);
    let mut canvas = RgbImage::new(size.w, size.h);
    let mut crop_used = None;
    match (&layout.background.fill, master) {
        (BackgroundFill::Image(_), Some(m)) => {
            let c = crop::choose(
                m.size(),
                size,
                layout.background.focus,
                Some(&m.saliency),
                &layout.keep_clear,
            );
            background::draw_crop(m, c, &mut canvas);
            crop_used = Some(c);
        }
        (BackgroundFill::Color(c), _) => fill(&mut canvas, *c),
        (BackgroundFill::Image(_), None) => fill(&mut canvas, Rgb::WHITE),
    }
    if let Some(s) = layout.background.scrim {
        blend::tint(&mut canvas, s.color, s.opacity);
    }

    let mut colors = Vec::new();
    for block in &layout.texts {
        let color = resolve_color(block.color, &canvas, block.ink, kit);
        draw_text(&mut canvas, block, color, kit);
        colors.push((block.role, color));
    }
    if let Some(button) = &layout.cta {
        draw_button(&mut canvas, button);
        let color = resolve_color(button.label.color, &canvas, button.label.ink, kit);
        draw_text(&mut canvas, &button.label, color, kit);
        colors.push((Role::Cta, color));
    }
    let l = layout.logo;
    let art = logo::logo_pixels(&kit.logo, l.w as u32, l.h as u32);
    blend::composite_premultiplied(&mut canvas, &art, l.w as u32, l.h as u32, (l.x, l.y));
    Rendered {
        image: canvas,
        colors,
        crop: crop_used,
    }
}

fn fill(canvas: &mut RgbImage, c: Rgb) {
    for p in canvas.pixels_mut() {
        p.0 = c.0;
    }
}

/// A fixed colour, or for `auto` the allowed colour with the best WCAG
/// contrast against the mean luminance behind the text.
fn resolve_color(color: TextColor, canvas: &RgbImage, behind: Rect, kit: &BrandKit) -> Rgb {
    match color {
        TextColor::Fixed(c) => c,
        TextColor::Auto => {
            let bg = blend::mean_luminance(canvas, behind);
            kit.brand
                .allowed_colors()
                .map(|c| (contrast_ratio(c.luminance(), bg), c))
                .fold(
                    (0.0, Rgb::BLACK),
                    |best, cand| if cand.0 > best.0 { cand } else { best },
                )
                .1
        }
    }
}

fn draw_text(canvas: &mut RgbImage, block: &TextBlock, color: Rgb, kit: &BrandKit) {
    let face = block.face.face(kit);
    let mask = text::text_mask(
        face,
        block.size,
        &block.lines,
        block.lang.as_deref(),
        block.ink,
    );
    blend::paint(canvas, &mask, color);
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
