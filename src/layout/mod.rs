//! Layout: a pure function `(copy, brand kit, format) -> Layout` of boxes,
//! font sizes, wrapped lines, the crop, colours and legibility panels. It
//! reads the master's saliency map and tones (made once per master) but
//! writes no pixels and does no I/O.

pub mod arrange;
pub mod behind;
pub mod breaks;
pub mod scrim;
pub mod text;

pub use arrange::{Arrangement, Role};
pub use text::{Align, Line, VAlign};

use crate::color::Rgb;
use crate::composition::MIN_HIERARCHY;
use crate::crop::{self, Backdrop, Crop};
use crate::error::Result;
use crate::font::Face;
use crate::geom::{Rect, Size};
use crate::kit::BrandKit;
use crate::spec::creative::{Background, BackgroundFill, Copy};
use crate::spec::{Format, TextColor};
use arrange::{BODY_LEADING, BrandGeometry, HEADLINE_LEADING, Present};
use behind::{Behind, MISSING_PHOTO};
use text::{TextRequest, set_text};

/// Which of the brand's faces a text layer uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaceRole {
    /// `fonts.headline` (also the CTA label).
    Headline,
    /// `fonts.body` (also legal).
    Body,
}

impl FaceRole {
    /// The face in a kit.
    pub fn face(self, kit: &BrandKit) -> &Face {
        match self {
            FaceRole::Headline => &kit.headline,
            FaceRole::Body => &kit.body,
        }
    }

    /// The font stack: this face, then the brand's fallbacks in order, each
    /// family's weights nearest this face's first (`kit::fallback_order`).
    pub fn stack(self, kit: &BrandKit) -> Vec<&Face> {
        let order = match self {
            FaceRole::Headline => &kit.headline_fallback,
            FaceRole::Body => &kit.body_fallback,
        };
        std::iter::once(self.face(kit))
            .chain(order.iter().map(|&i| &kit.fallback[i]))
            .collect()
    }
}

/// A text layer, set.
#[derive(Debug, Clone, PartialEq)]
pub struct TextBlock {
    /// Which layer.
    pub role: Role,
    /// Which face.
    pub face: FaceRole,
    /// The region it was fitted into.
    pub region: Rect,
    /// Size in px per em.
    pub size: f32,
    /// The lines.
    pub lines: Vec<Line>,
    /// Box of the set lines.
    pub ink: Rect,
    /// Colour (`auto` resolved over what is behind its region, or for the
    /// button's label over the button's fill).
    pub color: Rgb,
    /// False when the copy did not fit at the minimum size and was truncated.
    pub fits: bool,
    /// Characters no brand font could draw.
    pub missing: Vec<char>,
    /// The copy's language.
    pub lang: Option<String>,
    /// True when the copy reads right to left.
    pub rtl: bool,
    /// Indices in the font stack (`face`, then fallbacks) of the faces drawn.
    pub faces_used: Vec<usize>,
    /// The line box above and below each baseline, in px (both positive).
    pub line_box: (f32, f32),
}

/// The call-to-action button.
#[derive(Debug, Clone, PartialEq)]
pub struct Button {
    /// The region it was fitted into.
    pub region: Rect,
    /// The button's shape box.
    pub rect: Rect,
    /// Corner radius in px.
    pub radius: f32,
    /// Fill colour.
    pub fill: Rgb,
    /// The label, centred in `rect`.
    pub label: TextBlock,
}

/// Everything raster needs to draw one banner, and the sidecar records.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// The target format.
    pub format: Format,
    /// Canvas minus the platform's unsafe insets.
    pub safe_area: Rect,
    /// The arrangement family used.
    pub arrangement: Arrangement,
    /// What goes behind everything.
    pub background: Background,
    /// The logo box, exact.
    pub logo: Rect,
    /// Headline, body and legal, in drawing order.
    pub texts: Vec<TextBlock>,
    /// The button, if any.
    pub cta: Option<Button>,
    /// Layers dropped for lack of room.
    pub hidden: Vec<Role>,
    /// The photo behind the banner, when it has one: the master's size
    /// and the crop window chosen in it.
    pub photo: Option<Photo>,
    /// The photo's subject in output pixels, whole (it may reach past the
    /// canvas where the crop cuts it).
    pub subject: Option<Rect>,
    /// Legibility panels behind groups of copy, painted over the
    /// background before any text.
    pub panels: Vec<scrim::Panel>,
}

/// How the master photo is framed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Photo {
    /// The master's size.
    pub master: Size,
    /// The crop window, in master pixels.
    pub crop: Crop,
}

/// Lays out one banner. `backdrop` describes the master photo when the
/// copy's background is one: the crop, and where the copy goes, are chosen
/// so the photo's subject stays in frame and out from under the copy.
pub fn layout(
    copy: &Copy,
    kit: &BrandKit,
    format: &Format,
    backdrop: Option<Backdrop>,
) -> Result<Layout> {
    let mut copy = copy.clone();
    let mut left_out = Vec::new();
    loop {
        let mut laid = compose(&copy, kit, format, backdrop)?;
        // Legal or body copy that does not fit at the brand's minimum size
        // is left out rather than cut off mid-sentence, as a designer drops
        // them from a small banner, and so is a body beside a headline
        // region too short for two lines at 1.5 times the body's least
        // size (the region, not the words, so a headline revision never
        // drops the body); the rest is arranged again without it.
        let text = |role: Role| laid.texts.iter().find(|t| t.role == role);
        let crowded = text(Role::Headline).is_some_and(|h| {
            let least = MIN_HIERARCHY * kit.brand.fonts.min_size * HEADLINE_LEADING;
            (h.region.h as f32) < 2.0 * least
        });
        let drop = match (text(Role::Legal), text(Role::Body)) {
            (Some(legal), _) if !legal.fits => Some(Role::Legal),
            (_, Some(body)) if !body.fits || crowded => Some(Role::Body),
            _ => None,
        };
        match drop {
            Some(Role::Legal) => copy.legal = None,
            Some(_) => copy.body = None,
            None => {
                // The plan hides only layers that are present, so a layer
                // left out here is never listed twice.
                laid.hidden.extend(left_out);
                laid.hidden.sort();
                return Ok(laid);
            }
        }
        left_out.extend(drop);
    }
}

/// [`layout`] with every layer of `copy` that the format has room for.
fn compose(
    copy: &Copy,
    kit: &BrandKit,
    format: &Format,
    backdrop: Option<Backdrop>,
) -> Result<Layout> {
    let brand = &kit.brand;
    // Right-to-left copy in a brand that mirrors (`logo.mirror_rtl`) is
    // arranged as the left-to-right layout seen in a mirror: the logo in
    // the mirrored corner, the text column and the button on the other side.
    let corner = brand.logo_corner(copy.lang.as_deref());
    let mirror = corner != brand.logo.corner;
    let geometry = BrandGeometry {
        logo: &brand.logo,
        logo_aspect: kit.logo.aspect(),
        corner: brand.logo.corner,
        min_size: brand.fonts.min_size,
    };
    let present = Present {
        body: copy.body.is_some(),
        cta: copy.cta.is_some(),
        legal: copy.legal.is_some(),
    };
    let output = Size::new(format.width, format.height);
    let backdrop = backdrop.filter(|_| matches!(copy.background.fill, BackgroundFill::Image(_)));
    let focus = copy.background.focus;
    let frame = |keep_clear: &[Rect]| {
        backdrop.map(|b| Photo {
            master: b.size,
            crop: crop::choose(b.size, output, focus, Some(b.saliency), keep_clear),
        })
    };
    let subject_in = |photo: Option<Photo>| {
        let subject = backdrop.and_then(|b| crop::subject(b.size, focus, b.saliency))?;
        Some(photo?.crop.to_output(subject, output))
    };
    // Where the subject falls when the photo is framed for it alone: the
    // copy is arranged around it (in the mirror's frame for mirrored copy).
    let safe = format.safe_area();
    let seen = subject_in(frame(&[])).map(|s| if mirror { s.mirrored_in(safe) } else { s });
    let plan = arrange::plan(format, geometry, present, seen)?;
    let plan = if mirror { plan.mirrored(safe) } else { plan };
    // Then the crop is chosen again with the copy in place, keeping the
    // subject in frame and as little of it as may be under the copy.
    let keep_clear: Vec<Rect> = plan
        .regions
        .iter()
        .map(|(_, r)| *r)
        .chain([plan.logo])
        .collect();
    let photo = frame(&keep_clear);
    let subject = subject_in(photo);
    let tint = copy.background.scrim;
    let behind = match (backdrop, photo, &copy.background.fill) {
        (Some(b), Some(p), _) => Behind::photo(b.tones, p.crop, output, tint),
        (_, _, BackgroundFill::Color(c)) => Behind::flat(*c, output, tint),
        _ => Behind::flat(MISSING_PHOTO, output, tint),
    };
    let color_over =
        |color: TextColor, region: Rect| behind.text_color(color, region, brand.allowed_colors());

    let canvas_scale = ((format.width * format.height) as f32).sqrt();
    // A banner at most a strip's height: one row of headline and button.
    let strip =
        plan.arrangement == Arrangement::Strip && format.safe_area().h <= arrange::STRIP_MAX_HEIGHT;
    let min_size = brand.fonts.min_size;
    let lang = copy.lang.as_deref();
    let set = |role: Role,
               face: FaceRole,
               text: &str,
               color: Rgb,
               region: Rect,
               max_lines: usize,
               cap: f32,
               leading: f32| {
        let stack = face.stack(kit);
        let set = set_text(&TextRequest {
            faces: &stack,
            text,
            lang,
            region,
            max_lines,
            min_size,
            max_size: cap.max(min_size),
            line_height: leading,
            align: Align::Start,
            valign: match plan.arrangement {
                // A strip's copy is centred on the row, as its button is.
                Arrangement::Strip if strip => VAlign::Middle,
                // The headline sits on the copy under it.
                Arrangement::Landscape | Arrangement::Stack if role == Role::Headline => {
                    VAlign::Bottom
                }
                _ => VAlign::Top,
            },
            balance: true,
        });
        TextBlock {
            role,
            face,
            region,
            size: set.size,
            lines: set.lines,
            ink: set.ink,
            color,
            fits: set.fits,
            missing: set.missing,
            lang: copy.lang.clone(),
            rtl: set.rtl,
            faces_used: set.faces_used,
            line_box: set.line_box,
        }
    };

    let mut texts = Vec::new();
    if let Some(region) = plan.region(Role::Headline) {
        let h = &copy.headline;
        texts.push(set(
            Role::Headline,
            FaceRole::Headline,
            &h.text,
            color_over(h.color, region),
            region,
            // A strip's headline is one line, two at most.
            if strip { 2 } else { 3 },
            canvas_scale * 0.11,
            HEADLINE_LEADING,
        ));
    }
    if let (Some(region), Some(b)) = (plan.region(Role::Body), &copy.body) {
        texts.push(set(
            Role::Body,
            FaceRole::Body,
            &b.text,
            color_over(b.color, region),
            region,
            4,
            canvas_scale * 0.042,
            BODY_LEADING,
        ));
    }
    if let (Some(region), Some(l)) = (plan.region(Role::Legal), &copy.legal) {
        let t = set(
            Role::Legal,
            FaceRole::Body,
            &l.text,
            color_over(l.color, region),
            region,
            2,
            canvas_scale * 0.022,
            BODY_LEADING,
        );
        texts.push(t);
    }

    let cta = match (plan.region(Role::Cta), &copy.cta) {
        (Some(region), Some(c)) => {
            // Padding scales with the region; the label is one line.
            let pad_y = ((region.h as f32) * 0.2)
                .max(min_size * 0.5)
                .min(region.h as f32 * 0.3)
                .round() as i32;
            let pad_x = (pad_y as f32 * 1.6)
                .min(region.w as f32 * 0.07)
                .max(min_size * 0.5)
                .round() as i32;
            let inner = Rect::from_edges(
                region.x + pad_x,
                region.y + pad_y,
                region.right() - pad_x,
                region.bottom() - pad_y,
            );
            let cap = (canvas_scale * 0.04).min(inner.h as f32 / HEADLINE_LEADING);
            // The label stands on the button's flat fill, not the photo.
            let color = Behind::flat(c.fill, output, None).text_color(
                c.color,
                inner,
                brand.allowed_colors(),
            );
            let label_in = |lines: usize| {
                set(
                    Role::Cta,
                    FaceRole::Headline,
                    &c.text,
                    color,
                    inner,
                    lines,
                    cap,
                    HEADLINE_LEADING,
                )
            };
            // One line; a label that does not fit on one line at the
            // brand's minimum size wraps to two before it is ever cut.
            let mut label = label_in(1);
            if !label.fits {
                let two = label_in(2);
                if two.fits {
                    label = two;
                }
            }
            let label_w = label
                .lines
                .iter()
                .map(|l| l.width)
                .fold(0.0f32, f32::max)
                .ceil() as i32;
            let w = (label_w + 2 * pad_x).min(region.w);
            let lines = label.lines.len().max(1) as f32;
            let h =
                ((label.size * HEADLINE_LEADING * lines).ceil() as i32 + 2 * pad_y).min(region.h);
            let y = region.y + (region.h - h) / 2;
            // The button sits at the start of its region (the right for
            // right-to-left copy); in a strip, at the end of the row, after
            // the headline it answers.
            let x = if label.rtl != strip {
                region.right() - w
            } else {
                region.x
            };
            let rect = Rect::new(x, y, w, h);
            let label_region = Rect::from_edges(
                rect.x + pad_x,
                rect.y + pad_y,
                rect.right() - pad_x,
                rect.bottom() - pad_y,
            );
            recentre(&mut label, label_region, kit);
            Some(Button {
                region,
                rect,
                radius: (h as f32 * 0.22).round(),
                fill: c.fill,
                label,
            })
        }
        _ => None,
    };

    let panels = scrim::panels(&texts, cta.as_ref(), &behind, tint.map(|t| t.color), kit);
    let mut hidden = plan.hidden.clone();
    hidden.sort();
    Ok(Layout {
        format: format.clone(),
        safe_area: format.safe_area(),
        arrangement: plan.arrangement,
        background: copy.background.clone(),
        logo: plan.logo,
        texts,
        cta,
        hidden,
        photo,
        subject,
        panels,
    })
}

/// Moves a label (one line or two) to the centre of `area` (the button's
/// inside), each line centred across it.
fn recentre(label: &mut TextBlock, area: Rect, kit: &BrandKit) {
    let stack = label.face.stack(kit);
    // The same line box the label was set in: Arabic labels centre their
    // deeper descenders too. The lines keep their spacing.
    let (ascent, descent) = label.line_box;
    let first = label.lines.first().map_or(0.0, |l| l.baseline);
    let spread = label.lines.last().map_or(0.0, |l| l.baseline) - first;
    let mut ink = Rect::default();
    for line in &mut label.lines {
        line.x = (area.x as f32 + (area.w as f32 - line.width) / 2.0).round();
        // The ascent..descent box of the block centred in the button.
        let offset = line.baseline - first;
        line.baseline =
            (area.y as f32 + (area.h as f32 + ascent - descent - spread) / 2.0 + offset).floor();
        ink = ink.union(text::ink_box(&stack, label.size, line));
    }
    label.region = area;
    label.ink = ink;
}
