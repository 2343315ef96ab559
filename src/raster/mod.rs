//! Raster: draws a finished [`Layout`] into pixels. The only module that
//! writes pixels; it never decides where anything goes.

pub mod background;
pub mod blend;
pub mod logo;
pub mod scrim;
pub mod text;

use image::RgbImage;

pub use background::Master;

use crate::color::{Rgb, contrast_ratio};
use crate::geom::{Rect, Size};
use crate::kit::BrandKit;
use crate::layout::arrange::HEADLINE_LEADING;
use crate::layout::{Button, Layout, Role, TextBlock};
use crate::spec::TextColor;
use crate::spec::creative::BackgroundFill;
use blend::Mask;
use scrim::Reader;

/// A drawn banner.
#[derive(Debug)]
pub struct Rendered {
    /// The pixels.
    pub image: RgbImage,
    /// The colour each text layer was drawn in (resolving `auto`).
    pub colors: Vec<(Role, Rgb)>,
    /// Scrim panels added behind text for legibility, per layer under
    /// one: layer, colour, opacity.
    pub scrims: Vec<(Role, Rgb, f32)>,
}

/// Draws `layout`. `master` is the decoded background photo when the
/// layout's background is an image.
pub fn render(layout: &Layout, kit: &BrandKit, master: Option<&Master>) -> Rendered {
    let size = Size::new(layout.format.width, layout.format.height);
    let mut canvas = RgbImage::new(size.w, size.h);
    match (&layout.background.fill, master, layout.photo) {
        (BackgroundFill::Image(_), Some(m), Some(photo)) => {
            background::draw_crop(m, photo.crop, &mut canvas)
        }
        (BackgroundFill::Color(c), _, _) => fill(&mut canvas, *c),
        (BackgroundFill::Image(_), _, _) => fill(&mut canvas, Rgb::WHITE),
    }
    if let Some(s) = layout.background.scrim {
        blend::tint(&mut canvas, s.color, s.opacity);
    }

    // Colours first (`auto` judged over each layer's region), then one
    // panel per group of copy, measured on the photo before any text.
    let colors: Vec<Rgb> = layout
        .texts
        .iter()
        .map(|b| resolve_color(b.color, &canvas, b.region, kit))
        .collect();
    let readers: Vec<Reader> = layout
        .texts
        .iter()
        .zip(&colors)
        .map(|(b, &color)| Reader {
            region: b.region,
            color,
            // The contrast the layer needs at a size its region sets, not
            // its words (a revision of the words must not change the
            // panel): the brand's minimum, or for a headline two lines of
            // ten characters filling its region (a headline set smaller
            // than that, by very long copy, may fall short, and the check
            // says so).
            need: kit
                .brand
                .text
                .required(need_size(b, kit), b.face.face(kit).weight)
                + CONTRAST_HEADROOM,
        })
        .collect();
    let (short, long) = (size.w.min(size.h) as f32, size.w.max(size.h) as f32);
    let (gap, feather) = (
        (short * GROUP_GAP).round() as i32,
        // Strips fade along the row, where there is room to.
        (short * PANEL_FEATHER)
            .max(long * PANEL_FEATHER_LONG)
            .round()
            .max(2.0) as i32,
    );
    let scrim_color = layout.background.scrim.map(|s| s.color);
    let mut scrims = Vec::new();
    let button = layout.cta.as_ref().map(|b| b.region);
    for group in scrim::groups(&readers, button, gap) {
        let members: Vec<Reader> = group.iter().map(|&i| readers[i]).collect();
        if let Some(panel) = scrim::plan(
            &canvas,
            &members,
            button,
            scrim_color,
            kit.brand.allowed_colors(),
            feather,
        ) {
            scrim::paint(&mut canvas, &panel);
            let opacity = (panel.opacity * 100.0).round() / 100.0;
            scrims.extend(
                group
                    .iter()
                    .map(|&i| (layout.texts[i].role, panel.color, opacity)),
            );
        }
    }
    let mut colors: Vec<(Role, Rgb)> = layout
        .texts
        .iter()
        .zip(colors)
        .map(|(block, color)| {
            blend::paint(&mut canvas, &block_mask(block, kit), color);
            (block.role, color)
        })
        .collect();
    if let Some(button) = &layout.cta {
        draw_button(&mut canvas, button);
        let color = resolve_color(button.label.color, &canvas, button.label.ink, kit);
        blend::paint(&mut canvas, &block_mask(&button.label, kit), color);
        colors.push((Role::Cta, color));
    }
    let l = layout.logo;
    let art = logo::logo_pixels(&kit.logo, l.w as u32, l.h as u32);
    blend::composite_premultiplied(&mut canvas, &art, l.w as u32, l.h as u32, (l.x, l.y));
    Rendered {
        image: canvas,
        colors,
        scrims,
    }
}

/// Contrast aimed for above the brand's minimum, so the checker's
/// measurement (around the drawn glyphs) lands safely above it.
const CONTRAST_HEADROOM: f32 = 0.3;
/// Text regions closer than this share of the short side stand together
/// under one panel.
const GROUP_GAP: f32 = 0.04;
/// A panel fades out over this share of the short side.
const PANEL_FEATHER: f32 = 0.1;
/// ...and over at least this share of the long side.
const PANEL_FEATHER_LONG: f32 = 0.03;

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

/// The size a layer's contrast need is judged at (see `render`).
fn need_size(block: &TextBlock, kit: &BrandKit) -> f32 {
    let least = kit.brand.fonts.min_size;
    match block.role {
        // Two lines of about ten characters (ten take some six ems).
        Role::Headline => (block.region.h as f32 / (2.0 * HEADLINE_LEADING))
            .min(block.region.w as f32 / 6.0)
            .max(least),
        _ => least,
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
