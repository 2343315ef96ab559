//! Raster: draws a finished [`Layout`] into pixels. The only module that
//! writes pixels; it never decides where anything goes.

pub mod background;
pub mod blend;
pub mod logo;
pub mod text;

use image::RgbImage;

pub use background::Master;

use crate::color::{Rgb, contrast_ratio};
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
    /// Local scrims added behind text for legibility: layer, colour, opacity.
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

    let mut colors = Vec::new();
    let mut scrims = Vec::new();
    for block in &layout.texts {
        let color = resolve_color(block.color, &canvas, block.ink, kit);
        let face = block.face.face(kit);
        let need = kit.brand.text.required(block.size, face.weight) + CONTRAST_HEADROOM;
        let mask = block_mask(block, kit);
        let scrim_color = layout.background.scrim.map(|s| s.color);
        if let Some(scrim) =
            legibility_scrim(&mut canvas, block, &mask, color, need, scrim_color, kit)
        {
            scrims.push((block.role, scrim.0, scrim.1));
        }
        blend::paint(&mut canvas, &mask, color);
        colors.push((block.role, color));
    }
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

/// When the text would not reach `need` contrast (as the checker measures
/// it, around the drawn glyphs), darkens or lightens what is behind it with a
/// soft-edged scrim inside the layer's region, just strong enough; returns
/// its colour and opacity. The scrim is the creative's scrim colour, else
/// the allowed colour farthest in luminance from the text.
fn legibility_scrim(
    canvas: &mut RgbImage,
    block: &TextBlock,
    mask: &Mask,
    text: Rgb,
    need: f32,
    scrim: Option<Rgb>,
    kit: &BrandKit,
) -> Option<(Rgb, f32)> {
    let bounds = Rect::new(0, 0, canvas.width() as i32, canvas.height() as i32);
    let pad = (block.size * 0.45).round() as i32;
    // Full strength over the text and the few pixels around it that the
    // legibility measure looks at; feathered out beyond, inside the region
    // (but never short of the core: glyphs may overhang the region's edge
    // by their side bearings or marks).
    let core = block.ink.inset(-3);
    let area = block
        .ink
        .inset(-pad)
        .intersect(block.region.inset(-2))
        .union(core)
        .intersect(bounds);
    let feather = (block.size * 0.35).max(2.0);
    let weight = |x: i32, y: i32| {
        if core.contains(Rect::new(x, y, 1, 1)) {
            return 1.0;
        }
        let d = (x - area.x)
            .min(area.right() - 1 - x)
            .min(y - area.y)
            .min(area.bottom() - 1 - y) as f32;
        ((d + 1.0) / feather).clamp(0.0, 1.0)
    };
    let apply = |img: &mut RgbImage, origin: (i32, i32), color: Rgb, opacity: f32| {
        for y in area.y..area.bottom() {
            for x in area.x..area.right() {
                let (lx, ly) = (x - origin.0, y - origin.1);
                if lx < 0 || ly < 0 || lx >= img.width() as i32 || ly >= img.height() as i32 {
                    continue;
                }
                let a = weight(x, y) * opacity;
                let p = img.get_pixel_mut(lx as u32, ly as u32);
                p.0 = [0, 1, 2]
                    .map(|k| (p.0[k] as f32 * (1.0 - a) + color.0[k] as f32 * a).round() as u8);
            }
        }
    };
    // Trials run on a copy of the neighbourhood only.
    let probe = block.ink.inset(-8).intersect(bounds);
    let local_mask = Mask {
        area: Rect::new(
            mask.area.x - probe.x,
            mask.area.y - probe.y,
            mask.area.w,
            mask.area.h,
        ),
        coverage: mask.coverage.clone(),
    };
    let local_ink = Rect::new(
        block.ink.x - probe.x,
        block.ink.y - probe.y,
        block.ink.w,
        block.ink.h,
    );
    let trial = |color: Rgb, opacity: f32| {
        let mut sub = image::imageops::crop_imm(
            canvas,
            probe.x as u32,
            probe.y as u32,
            probe.w as u32,
            probe.h as u32,
        )
        .to_image();
        apply(&mut sub, (probe.x, probe.y), color, opacity);
        blend::paint(&mut sub, &local_mask, text);
        crate::legibility::measure_contrast(&sub, local_ink, text).unwrap_or(21.0)
    };
    if trial(text, 0.0) >= need {
        return None;
    }
    let color = scrim.unwrap_or_else(|| {
        let t = text.luminance();
        kit.brand
            .allowed_colors()
            .max_by(|a, b| {
                contrast_ratio(t, a.luminance()).total_cmp(&contrast_ratio(t, b.luminance()))
            })
            .unwrap_or(Rgb::BLACK)
    });
    // Contrast grows with opacity (the scrim colour is the one farthest from
    // the text), so the weakest sufficient step is found by bisection.
    let (mut lo, mut hi) = (0u32, 19u32);
    while hi - lo > 1 {
        let mid = (lo + hi) / 2;
        if trial(color, mid as f32 * 0.05) >= need {
            hi = mid
        } else {
            lo = mid
        }
    }
    let opacity = hi as f32 * 0.05;
    apply(canvas, (0, 0), color, opacity);
    Some((color, (opacity * 100.0).round() / 100.0))
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
