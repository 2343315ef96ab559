//! Where each layer goes, by the shape of the safe area: a row for strips
//! (728x90, 320x50), a text column beside the photo for landscapes
//! (1200x628), a vertical stack for squares, portraits, stories and
//! skyscrapers, each placed beside, above or below the photo's subject.
//! Regions depend only on the format, the brand, which layers are present
//! and where the subject falls — never on the copy — so a revision of the
//! words never moves the crop, the logo or another layer.

use crate::error::{Error, Result};
use crate::geom::{Corner, Rect};
use crate::spec::Format;
use crate::spec::brand::LogoRules;

/// A layer of the banner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// The headline.
    Headline,
    /// The body copy.
    Body,
    /// The call-to-action button.
    Cta,
    /// Small print.
    Legal,
    /// The brand logo.
    Logo,
}

impl Role {
    /// The name used in sidecars and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Headline => "headline",
            Role::Body => "body",
            Role::Cta => "cta",
            Role::Legal => "legal",
            Role::Logo => "logo",
        }
    }
}

/// The family of arrangement chosen for a format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arrangement {
    /// One row: text, button, logo (aspect >= 3).
    Strip,
    /// Text column on one side, photo on the other (1.45 <= aspect < 3).
    Landscape,
    /// Headline on top, button and logo at the bottom (aspect < 1.45).
    Stack,
}

impl Arrangement {
    /// The family for a safe area, by its aspect ratio.
    pub fn for_area(safe: Rect) -> Arrangement {
        match safe.w as f32 / safe.h.max(1) as f32 {
            a if a >= 3.0 => Arrangement::Strip,
            a if a >= 1.45 => Arrangement::Landscape,
            _ => Arrangement::Stack,
        }
    }
}

/// Which optional layers the copy has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Present {
    /// Body copy.
    pub body: bool,
    /// Button.
    pub cta: bool,
    /// Small print.
    pub legal: bool,
}

/// The tallest format treated as a strip: 728x90, 320x50, 300x60.
pub const STRIP_MAX_HEIGHT: i32 = 100;

/// Line spacing of headline and CTA label, as a multiple of the size.
pub const HEADLINE_LEADING: f32 = 1.18;
/// Line spacing of body and legal.
pub const BODY_LEADING: f32 = 1.35;

/// The regions of one format.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The family.
    pub arrangement: Arrangement,
    /// The logo box, exact.
    pub logo: Rect,
    /// Region of each text layer and the button.
    pub regions: Vec<(Role, Rect)>,
    /// Layers dropped for lack of room, least important first.
    pub hidden: Vec<Role>,
}

impl Plan {
    /// The plan seen in a mirror about the middle of `safe`: for
    /// right-to-left copy when the brand mirrors its layout
    /// (`logo.mirror_rtl`), so the logo, the text column and the button all
    /// change sides, and every margin stays the same.
    pub fn mirrored(mut self, safe: Rect) -> Plan {
        self.logo = self.logo.mirrored_in(safe);
        for (_, region) in &mut self.regions {
            *region = region.mirrored_in(safe);
        }
        self
    }

    /// The region of a role, if it has one.
    pub fn region(&self, role: Role) -> Option<Rect> {
        self.regions
            .iter()
            .find(|(r, _)| *r == role)
            .map(|(_, b)| *b)
    }
}

/// Inputs of the arrangement that come from the brand.
#[derive(Debug, Clone, Copy)]
pub struct BrandGeometry<'a> {
    /// Logo rules.
    pub logo: &'a LogoRules,
    /// Visible width over height of the logo artwork.
    pub logo_aspect: f32,
    /// The corner actually used (mirrored for right-to-left copy).
    pub corner: Corner,
    /// The brand's minimum text size.
    pub min_size: f32,
}

/// Arranges one format. `subject` is where the photo's subject falls on
/// the canvas (output pixels), when there is one: the copy is arranged
/// beside it, above it or below it rather than over it.
pub fn plan(
    format: &Format,
    brand: BrandGeometry,
    present: Present,
    subject: Option<Rect>,
) -> Result<Plan> {
    let safe = format.safe_area();
    let arrangement = Arrangement::for_area(safe);
    let logo = logo_box(format, brand)?;
    // The copy keeps a designer's distance from the edges, and at least
    // the logo's (a brand's `max_margin` holds the logo closer).
    let margin = logo_margin(safe, logo, brand.corner).max(scaled_margin(safe));
    let content = safe.inset(margin);
    let gap = (margin / 2).max(4);
    let line = |leading: f32| (brand.min_size * leading).ceil() as i32;
    let mins = Mins {
        headline: (line(HEADLINE_LEADING) as f32 * 1.6).ceil() as i32,
        body: (line(BODY_LEADING) as f32 * 1.2).ceil() as i32,
        legal: line(BODY_LEADING),
        cta: line(HEADLINE_LEADING) + 2 * (brand.min_size * 0.55).ceil() as i32,
    };
    let ctx = Ctx {
        safe,
        content,
        logo,
        corner: brand.corner,
        gap,
        mins,
        present,
        min_size: brand.min_size,
        subject: subject.map(|s| s.intersect(safe)).filter(|s| s.area() > 0),
    };
    let (regions, hidden) = match arrangement {
        Arrangement::Strip => ctx.strip(),
        Arrangement::Landscape => ctx.landscape(),
        Arrangement::Stack => ctx.stack(),
    };
    // The headline is never dropped: when even its smallest region does
    // not fit beside the logo, the format is too small for this brand.
    if let Some((_, r)) = regions.iter().find(|(role, _)| *role == Role::Headline)
        && (!safe.contains(*r) || r.h < line(HEADLINE_LEADING))
    {
        return Err(Error::FormatTooSmall {
            format: format.id.clone(),
            width: format.width,
            height: format.height,
            rule: "text.fit",
            message: format!(
                "no room for a headline at the brand's {} px minimum size beside a {}x{} logo in a {}x{} safe area",
                brand.min_size, logo.w, logo.h, safe.w, safe.h
            ),
        });
    }
    Ok(Plan {
        arrangement,
        logo,
        regions,
        hidden,
    })
}

/// Minimum region heights for a layer to be worth showing.
#[derive(Debug, Clone, Copy)]
struct Mins {
    headline: i32,
    body: i32,
    legal: i32,
    cta: i32,
}

struct Ctx {
    safe: Rect,
    content: Rect,
    logo: Rect,
    corner: Corner,
    gap: i32,
    mins: Mins,
    present: Present,
    min_size: f32,
    /// The part of the photo's subject inside the safe area.
    subject: Option<Rect>,
}

/// Regions of the layers placed, and the layers dropped.
type Arranged = (Vec<(Role, Rect)>, Vec<Role>);

/// One slot of a vertical stack: a role (or a spacer), its share of the
/// spare height, and the least height it needs.
type Slot = (Option<Role>, f32, i32);

impl Ctx {
    /// A strip (at most [`STRIP_MAX_HEIGHT`] tall) holds the logo, a
    /// headline of a line or two and the button, as display networks'
    /// leaderboards and mobile banners are designed: body and legal have no
    /// room a reader could use there, and a clickable format never loses
    /// its button. A taller wide format (a billboard) stacks body and legal
    /// under the headline, dropping them when they do not fit.
    fn strip(&self) -> (Vec<(Role, Rect)>, Vec<Role>) {
        // Text and button may come closer to the top and bottom edges than
        // the logo margin: in a 50 px strip that margin would leave no room.
        let inset = ((self.safe.h as f32 * 0.12).round() as i32)
            .clamp(4, (self.content.y - self.safe.y).max(4));
        let c = Rect::from_edges(
            self.content.x,
            self.safe.y + inset,
            self.content.right(),
            self.safe.bottom() - inset,
        );
        let (l, g) = (self.logo, self.gap);
        let mut avail = if self.corner.is_left() {
            Rect::from_edges(l.right() + 2 * g, c.y, c.right(), c.bottom())
        } else {
            Rect::from_edges(c.x, c.y, l.x - 2 * g, c.bottom())
        };
        let mut regions = Vec::new();
        if self.present.cta {
            // A third of the row or so (more in the smallest strips, where
            // a one-word label at the brand's minimum size needs it), and
            // room for a short label; the headline keeps the larger part.
            let share = if avail.w < 320 { 0.42 } else { 0.3 };
            let w = ((avail.w as f32 * share) as i32)
                .max((self.min_size * 6.5) as i32)
                .min(avail.w * 45 / 100);
            let h =
                c.h.min(((self.mins.cta as f32) * 1.8) as i32)
                    .max(self.mins.cta.min(c.h));
            let y = c.y + (c.h - h) / 2;
            // Text reads first, then the button at the end of the row.
            regions.push((Role::Cta, Rect::new(avail.right() - w, y, w, h)));
            avail = Rect::from_edges(avail.x, c.y, avail.right() - w - 2 * g, c.bottom());
        }
        if self.safe.h > STRIP_MAX_HEIGHT {
            let row = self.billboard_row(avail, regions);
            // Where the row still runs over the subject, the copy moves
            // into a column beside it when the room there holds one.
            let over_subject = self
                .subject
                .is_some_and(|s| row.0.iter().any(|(_, r)| r.overlaps(s)));
            let room = self.subject.map_or(0, |s| {
                (s.x - self.gap - self.content.x).max(self.content.right() - s.right() - self.gap)
            });
            if over_subject && room as f32 >= BILLBOARD_COLUMN_MIN * self.content.w as f32 {
                return self.column(BILLBOARD_COLUMN, BILLBOARD_COLUMN_MIN);
            }
            return row;
        }
        regions.insert(0, (Role::Headline, avail));
        let hidden = [
            (self.present.legal, Role::Legal),
            (self.present.body, Role::Body),
        ]
        .into_iter()
        .filter_map(|(present, role)| present.then_some(role))
        .collect();
        (regions, hidden)
    }

    /// A billboard is wide, but tall enough for supporting copy: headline,
    /// body and legal stacked in the row before the button. Copy and button
    /// end before the photo's subject where that leaves them most of the
    /// row.
    fn billboard_row(&self, mut avail: Rect, mut regions: Vec<(Role, Rect)>) -> Arranged {
        let g = self.gap;
        if let Some(end) = self
            .subject
            .map(|s| if self.corner.is_left() { s.x } else { s.x.min(avail.right()) } - 2 * g)
            .filter(|end| (end - avail.x) as f32 >= 0.6 * avail.w as f32 && *end < avail.right())
        {
            let shift = avail.right() - end;
            avail = Rect::from_edges(avail.x, avail.y, avail.right() - shift, avail.bottom());
            if let Some((_, cta)) = regions.iter_mut().find(|(r, _)| *r == Role::Cta) {
                cta.x -= shift;
            }
        }
        let slots = [
            (Some(Role::Headline), 3.0, self.mins.headline),
            (Some(Role::Body), 2.0, self.mins.body),
            (Some(Role::Legal), 1.0, self.mins.legal),
        ];
        let (stacked, hidden) = self.stack_slots(avail, &slots);
        regions.splice(0..0, stacked);
        (regions, hidden)
    }

    fn landscape(&self) -> (Vec<(Role, Rect)>, Vec<Role>) {
        self.column(LANDSCAPE_COLUMN, LANDSCAPE_COLUMN_MIN)
    }

    /// Headline, body, button and legal in one column of `full` of the
    /// content width beside the subject: on the left where a full column
    /// fits there, else narrowed to the room on the left down to `least`,
    /// else on the right (see the comment below).
    fn column(&self, full: f32, least: f32) -> Arranged {
        let c = self.content;
        let (l, g) = (self.logo, self.gap);
        let full = (c.w as f32 * full).round() as i32;
        let least = (c.w as f32 * least).round() as i32;
        // The text column reads from the left, beside the photo's subject:
        // where the subject leaves less than a full column on the left, the
        // column narrows to the room there, or moves to the right when the
        // right has more.
        let (start, col_w) = match self.subject {
            None => (true, full),
            Some(s) => {
                let left = s.x - g - c.x;
                let right = c.right() - s.right() - g;
                if left >= full || left >= right {
                    (true, left.clamp(least, full))
                } else {
                    (false, right.clamp(least, full))
                }
            }
        };
        let col_x = if start { c.x } else { c.right() - col_w };
        // A logo in a corner on the column's side shortens it from the top
        // or bottom. A logo in the other corner wide enough to reach into
        // the column (tiny canvases) either narrows it or shortens it,
        // whichever leaves the larger column.
        let mut col = Rect::new(col_x, c.y, col_w, c.h);
        if col.overlaps(l.inset(-g)) {
            let shortened = if self.corner.is_top() {
                Rect::from_edges(col.x, l.bottom() + 2 * g, col.right(), col.bottom())
            } else {
                Rect::from_edges(col.x, col.y, col.right(), l.y - 2 * g)
            };
            let narrowed = if start {
                Rect::from_edges(col.x, col.y, col.right().min(l.x - 2 * g), col.bottom())
            } else {
                Rect::from_edges(
                    col.x.max(l.right() + 2 * g),
                    col.y,
                    col.right(),
                    col.bottom(),
                )
            };
            let logo_opposite = self.corner.is_left() != start;
            col = if logo_opposite && narrowed.area() > shortened.area() {
                narrowed
            } else {
                shortened
            };
        }
        let slots = [
            (Some(Role::Headline), 3.2, self.mins.headline),
            (Some(Role::Body), 1.6, self.mins.body),
            (None, 0.5, 0),
            (Some(Role::Cta), 1.0, self.mins.cta),
            (Some(Role::Legal), 0.5, self.mins.legal),
        ];
        self.stack_slots(col, &slots)
    }

    fn stack(&self) -> (Vec<(Role, Rect)>, Vec<Role>) {
        let c = self.content;
        let (l, g) = (self.logo, self.gap);
        let mut regions = Vec::new();
        let mut present = self.present;
        let area = if self.corner.is_top() {
            Rect::from_edges(c.x, l.bottom() + 2 * g, c.right(), c.bottom())
        } else {
            let beside = c.w - l.w - 2 * g;
            // Legal reads after the button, directly under it: with legal,
            // the button stays in the copy and the logo has its row alone.
            if present.cta && !present.legal && beside as f32 >= 0.45 * c.w as f32 {
                // Button and logo share the bottom row.
                let h = self
                    .mins
                    .cta
                    .max(l.h)
                    .max((self.mins.cta as f32 * 1.5) as i32)
                    .min(c.h / 4);
                let h = h.max(self.mins.cta);
                let x = if self.corner.is_left() {
                    l.right() + 2 * g
                } else {
                    c.x
                };
                let cta = Rect::new(x, c.bottom() - h, beside, h);
                regions.push((Role::Cta, cta));
                present.cta = false;
                Rect::from_edges(c.x, c.y, c.right(), cta.y.min(l.y) - 2 * g)
            } else {
                Rect::from_edges(c.x, c.y, c.right(), l.y - 2 * g)
            }
        };
        // The copy is one group: above or below the photo's subject,
        // whichever side has more room, else at the bottom of its area with
        // the photo showing above it — never split by a band of photo.
        let copy = [
            (Some(Role::Headline), 4.0, self.mins.headline),
            (Some(Role::Body), 1.4, self.mins.body),
            (
                Some(Role::Cta),
                if present.cta { 0.9 } else { 0.0 },
                // A button a thumb can find on a large canvas.
                self.mins
                    .cta
                    .max((self.safe.w.min(self.safe.h) as f32 * STACK_BUTTON) as i32),
            ),
            (Some(Role::Legal), 0.45, self.mins.legal),
        ];
        let ctx = Ctx { present, ..*self };
        if let Some(split) = ctx.split_around_subject(area) {
            regions.extend(split.0);
            return (regions, split.1);
        }
        let (stacked, hidden) = match self.copy_band(area) {
            Some(band) => ctx.stack_slots(band, &copy),
            None => {
                let mut slots = vec![(None, 2.4, 0)];
                slots.extend(copy);
                ctx.stack_slots(area, &slots)
            }
        };
        regions.extend(stacked);
        (regions, hidden)
    }

    /// A format under half as wide as tall (a skyscraper) whose subject
    /// fills the middle: headline and body above the subject, button and
    /// legal below it, as skyscrapers are designed; the band between them
    /// is the subject's. `None` when the format is wider, or has no subject
    /// there, or the subject starts too high for the headline above it.
    fn split_around_subject(&self, area: Rect) -> Option<Arranged> {
        if self.safe.w * 2 >= self.safe.h || !(self.present.cta || self.present.legal) {
            return None;
        }
        let s = self.subject?.intersect(area);
        if s.area() <= 0 {
            return None;
        }
        let g = self.gap;
        // The button a little over its least height, legal two lines.
        let (cta_h, legal_h) = (
            (self.mins.cta as f32 * 1.6).round() as i32,
            self.mins.legal * 2 + 2,
        );
        let foot_h = [(self.present.cta, cta_h), (self.present.legal, legal_h)]
            .iter()
            .filter(|(present, _)| *present)
            .map(|(_, h)| h + g)
            .sum::<i32>()
            - g;
        let foot = Rect::from_edges(area.x, area.bottom() - foot_h, area.right(), area.bottom());
        let least = (area.h as f32 * 0.3).round() as i32;
        let most = (area.h as f32 * 0.5).round() as i32;
        // A subject at the top leaves no room above it: the copy goes
        // below it as one group instead.
        if s.y - g - area.y < least {
            return None;
        }
        let head_h = (s.y - g - area.y).min(most);
        let head = Rect::from_edges(area.x, area.y, area.right(), area.y + head_h);
        if head.bottom() + 2 * g > foot.y {
            return None;
        }
        let top = [
            (Some(Role::Headline), 3.0, self.mins.headline),
            (Some(Role::Body), 1.5, self.mins.body),
        ];
        // Weights that hand each slot exactly its extra height.
        let bottom = [
            (
                Some(Role::Cta),
                (cta_h - self.mins.cta) as f32,
                self.mins.cta,
            ),
            (
                Some(Role::Legal),
                (legal_h - self.mins.legal) as f32,
                self.mins.legal,
            ),
        ];
        let (mut regions, mut hidden) = self.stack_slots(head, &top);
        let (more, more_hidden) = self.stack_slots(foot, &bottom);
        regions.extend(more);
        hidden.extend(more_hidden);
        Some((regions, hidden))
    }

    /// The band of a stack's copy `area` that the copy group takes so the
    /// subject shows: the rows below the subject, or above it when there is
    /// more room there, between [`STACK_BAND_MIN`] and [`STACK_BAND_MAX`]
    /// of the area (a subject filling the frame leaves the least band, at
    /// the bottom). `None` without a subject.
    fn copy_band(&self, area: Rect) -> Option<Rect> {
        let s = self.subject?.intersect(area);
        if s.area() <= 0 {
            return None;
        }
        let g = self.gap;
        let (above, below) = (s.y - g - area.y, area.bottom() - s.bottom() - g);
        // Narrow columns (skyscrapers) wrap their copy into many lines.
        let least_share = if self.safe.w * 2 < self.safe.h {
            STACK_BAND_MIN_NARROW
        } else {
            STACK_BAND_MIN
        };
        let least = (area.h as f32 * least_share).round() as i32;
        let most = (area.h as f32 * STACK_BAND_MAX).round() as i32;
        let top = above > below && above >= least;
        let h = above.max(below).clamp(least, most).min(area.h);
        Some(if top {
            Rect::from_edges(area.x, area.y, area.right(), area.y + h)
        } else {
            Rect::from_edges(area.x, area.bottom() - h, area.right(), area.bottom())
        })
    }

    /// Splits `area` top to bottom among the slots whose layers are
    /// present, dropping legal and then body (then the button) until the
    /// minimum heights fit. The headline is never dropped.
    fn stack_slots(&self, area: Rect, slots: &[Slot]) -> (Vec<(Role, Rect)>, Vec<Role>) {
        let mut kept: Vec<Slot> = slots
            .iter()
            .copied()
            .filter(|(role, _, _)| match role {
                Some(Role::Body) => self.present.body,
                Some(Role::Cta) => self.present.cta,
                Some(Role::Legal) => self.present.legal,
                _ => true,
            })
            .collect();
        let mut hidden = Vec::new();
        let needed = |kept: &[Slot]| -> i32 {
            let n = kept.iter().filter(|s| s.0.is_some()).count() as i32;
            kept.iter().map(|s| s.2).sum::<i32>() + self.gap * (n - 1).max(0)
        };
        for drop in [Role::Legal, Role::Body, Role::Cta] {
            if needed(&kept) <= area.h {
                break;
            }
            if let Some(i) = kept.iter().position(|s| s.0 == Some(drop)) {
                kept.remove(i);
                hidden.push(drop);
            }
        }
        let n_roles = kept.iter().filter(|s| s.0.is_some()).count() as i32;
        let spare = (area.h - needed(&kept)).max(0) as f32;
        let total_weight: f32 = kept.iter().map(|s| s.1).sum::<f32>().max(f32::EPSILON);
        let mut y = area.y as f32;
        let mut out = Vec::new();
        let mut roles_seen = 0;
        for (role, weight, min) in kept {
            let h = min as f32 + spare * weight / total_weight;
            let top = y.round() as i32;
            y += h;
            let bottom = (y.round() as i32).min(area.bottom());
            if let Some(role) = role {
                roles_seen += 1;
                out.push((
                    role,
                    Rect::from_edges(area.x, top, area.right(), bottom.max(top + min.min(area.h))),
                ));
                if roles_seen < n_roles {
                    y += self.gap as f32;
                }
            }
        }
        // The headline never goes, even when the area is smaller than its minimum.
        let has_headline = slots.iter().any(|s| s.0 == Some(Role::Headline));
        if has_headline && out.iter().all(|(r, _)| *r != Role::Headline) {
            out.insert(0, (Role::Headline, area));
        }
        (out, hidden)
    }
}

/// A landscape's text column, as a share of the content width.
const LANDSCAPE_COLUMN: f32 = 0.56;
/// The narrowest a landscape's column gets to stay beside the subject.
const LANDSCAPE_COLUMN_MIN: f32 = 0.42;
/// A billboard's column beside its subject, when its row would run over it.
const BILLBOARD_COLUMN: f32 = 0.4;
/// The narrowest it gets (a quarter of 970 px holds a two-line headline
/// and a button).
const BILLBOARD_COLUMN_MIN: f32 = 0.25;
/// The least share of a stack's copy area its copy group takes beside the
/// subject (the group needs room for a headline worth reading).
const STACK_BAND_MIN: f32 = 0.36;
/// The same in formats under half as wide as tall.
const STACK_BAND_MIN_NARROW: f32 = 0.52;
/// The most it takes: beyond it, the group would spread thin.
const STACK_BAND_MAX: f32 = 0.62;

/// A stack's button is at least this share of the short side tall.
const STACK_BUTTON: f32 = 0.075;

/// A designer's margin, as a share of the safe area's short side.
pub const DESIGN_MARGIN: f32 = 0.05;

/// The margin a designer would keep in `safe`: [`DESIGN_MARGIN`] of its
/// short side, never under the brand's `margin` (a minimum, not the
/// design) nor over its `max_margin`. A 1080 px square gets 54 px where a
/// brand asks for 16; a strip's short side is so small that the brand's
/// margin holds.
pub fn design_margin(safe: Rect, rules: &LogoRules) -> i32 {
    let m = scaled_margin(safe).max(rules.margin as i32);
    rules.max_margin.map_or(m, |max| m.min(max as i32))
}

/// [`DESIGN_MARGIN`] of the safe area's short side.
fn scaled_margin(safe: Rect) -> i32 {
    (safe.w.min(safe.h) as f32 * DESIGN_MARGIN).round() as i32
}

/// The distance of a logo placed in `corner` from the safe area's edges.
fn logo_margin(safe: Rect, logo: Rect, corner: Corner) -> i32 {
    if corner.is_left() {
        logo.x - safe.x
    } else {
        safe.right() - logo.right()
    }
}

/// Height over width from which a format is a skyscraper, whose logo may
/// run most of its narrow width.
const SKYSCRAPER_ASPECT: f32 = 2.5;

/// The logo's exact box at the [`design_margin`] (at the brand's own
/// margin where that does not fit): the brand's height rule, clamped so
/// `min_width` and the margins hold and the logo never takes more than
/// 35 % of the safe width (20 % in strips of at most 100 px and 30 % in
/// taller ones such as the billboard, 70 % in skyscrapers).
pub fn logo_box(format: &Format, brand: BrandGeometry) -> Result<Rect> {
    let design = design_margin(format.safe_area(), brand.logo);
    logo_box_at(format, brand, design)
        .or_else(|_| logo_box_at(format, brand, brand.logo.margin as i32))
}

fn logo_box_at(format: &Format, brand: BrandGeometry, margin: i32) -> Result<Rect> {
    let safe = format.safe_area();
    let arrangement = Arrangement::for_area(safe);
    let rules = brand.logo;
    let aspect = brand.logo_aspect.max(0.01);
    let short = safe.w.min(safe.h) as f32;
    // Without the brand's own `height`: a third of a strip's row (about
    // the button's height), a fifth of a skyscraper's width (its short
    // side), 12 % of the short side elsewhere.
    let skyscraper = safe.h as f32 >= SKYSCRAPER_ASPECT * safe.w as f32;
    let (default_height, max_w_share) = match arrangement {
        // A strip's row is shared with the headline and the button.
        Arrangement::Strip if safe.h <= STRIP_MAX_HEIGHT => (0.33, 0.2),
        Arrangement::Strip => (0.12, 0.30),
        _ if skyscraper => (0.2, 0.7),
        _ => (0.12, 0.35),
    };
    let mut h = short * rules.height.unwrap_or(default_height);
    let max_h = (safe.h - 2 * margin) as f32;
    let max_w = ((safe.w - 2 * margin) as f32).min(safe.w as f32 * max_w_share);
    h = h.min(max_h).min(max_w / aspect);
    let min_w = rules.min_width.unwrap_or(1).max(1) as f32;
    let too_small = |rule: &'static str, message: String| Error::FormatTooSmall {
        format: format.id.clone(),
        width: format.width,
        height: format.height,
        rule,
        message,
    };
    if h * aspect < min_w {
        h = min_w / aspect;
        if h > max_h + 0.5 || min_w > (safe.w - 2 * margin) as f32 {
            return Err(too_small(
                "logo.min-size",
                format!(
                    "a logo {min_w:.0} px wide (min_width) is {h:.0} px tall, which does not fit with a {margin} px margin in a {}x{} safe area",
                    safe.w, safe.h
                ),
            ));
        }
    }
    let mut w = (h * aspect).round().max(min_w) as i32;
    let mut hi = (w as f32 / aspect).round() as i32;
    if hi > safe.h - 2 * margin {
        hi = safe.h - 2 * margin;
        w = ((hi as f32 * aspect).round() as i32).max(min_w as i32);
    }
    if hi < 1 || w + 2 * margin > safe.w || hi + 2 * margin > safe.h {
        return Err(too_small(
            "logo.margin",
            format!(
                "no room for the logo with a {margin} px margin in a {}x{} safe area",
                safe.w, safe.h
            ),
        ));
    }
    Ok(brand.corner.place(safe, w, hi, margin))
}
