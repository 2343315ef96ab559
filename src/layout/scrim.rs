//! Legibility scrims as a designer draws them: one soft panel behind each
//! group of copy (headline, body and legal that stand together), just dark
//! or light enough that every text layer in it reaches its contrast over the
//! photo — never a box per line, never a different strength per line.
//!
//! The panel covers the group's *regions*, not its ink, and its strength is
//! measured on the photo under those regions before any text is drawn (the
//! master's tones seen through the crop, [`Behind`]), so a revision of
//! the words never changes it (SPEC §3: new copy changes only the pixels of
//! its own region). Planned here, painted by `raster::scrim`.

use super::behind::Behind;
use super::{Button, Role, TextBlock, arrange::HEADLINE_LEADING};
use crate::color::{Rgb, contrast_ratio, mix};
use crate::geom::{Rect, Size};
use crate::kit::BrandKit;

/// Share of the photo's pixels under a layer's region that may stay short
/// of its contrast after the scrim: the checker measures the 10th
/// percentile around the glyphs, so a few stray bright pixels in a whole
/// region do no harm.
const ALLOWED_SHORT: f32 = 0.02;
/// Opacity steps tried, 0.05 apart.
const STEPS: u32 = 19;
/// Contrast aimed for above the brand's minimum, so the checker's
/// measurement (around the drawn glyphs) lands safely above it.
const CONTRAST_HEADROOM: f32 = 0.3;
/// Text regions closer than this share of the short side stand together
/// under one panel.
const GROUP_GAP: f32 = 0.08;
/// A panel fades out over this share of the short side.
const PANEL_FEATHER: f32 = 0.1;
/// ...and over at least this share of the long side.
const PANEL_FEATHER_LONG: f32 = 0.03;
/// A panel that runs the canvas's whole height (or width) is a gradient
/// from its side: it fades across over this share of its own extent.
const GRADIENT_FADE: f32 = 0.6;

/// One text layer as the scrim sees it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Reader {
    /// The layer's region.
    pub region: Rect,
    /// Its colour.
    pub color: Rgb,
    /// The contrast it needs.
    pub need: f32,
}

/// A planned panel.
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    /// Full strength inside this box.
    pub core: Rect,
    /// Fades to nothing over this many pixels outside it, across and down.
    pub fade: (i32, i32),
    /// Its colour.
    pub color: Rgb,
    /// Its opacity inside the core (a multiple of 0.05).
    pub opacity: f32,
    /// The text layers it stands behind.
    pub roles: Vec<Role>,
}

/// The panels a banner's copy needs over `behind`: one per group of text
/// layers that stand together (bridged by the button), in the creative's
/// scrim colour when it sets one.
pub fn panels(
    texts: &[TextBlock],
    cta: Option<&Button>,
    behind: &Behind,
    scrim: Option<Rgb>,
    kit: &BrandKit,
) -> Vec<Panel> {
    let readers: Vec<Reader> = texts
        .iter()
        .map(|b| Reader {
            region: b.region,
            color: b.color,
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
    let size = behind.output();
    let (short, long) = (size.w.min(size.h) as f32, size.w.max(size.h) as f32);
    let (gap, feather) = (
        (short * GROUP_GAP).round() as i32,
        // Strips fade along the row, where there is room to.
        (short * PANEL_FEATHER)
            .max(long * PANEL_FEATHER_LONG)
            .round()
            .max(2.0) as i32,
    );
    let button = cta.map(|b| b.region);
    groups(&readers, button, gap)
        .into_iter()
        .filter_map(|group| {
            let members: Vec<Reader> = group.iter().map(|&i| readers[i]).collect();
            let mut panel = plan(
                behind,
                &members,
                button,
                scrim,
                kit.brand.allowed_colors(),
                feather,
            )?;
            panel.roles = group.iter().map(|&i| texts[i].role).collect();
            Some(panel)
        })
        .collect()
}

/// The size a layer's contrast need is judged at (see [`panels`]).
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

/// The layers that stand together: regions closer than `gap` (vertically
/// or across), directly or through a `bridge` (the button between body and
/// legal), join one group. Returns groups of indices into `readers`.
pub(crate) fn groups(readers: &[Reader], bridge: Option<Rect>, gap: i32) -> Vec<Vec<usize>> {
    let mut group_of: Vec<usize> = (0..readers.len()).collect();
    let near = |a: Rect, b: Rect| a.inset(-gap).overlaps(b);
    let joined = |a: Rect, b: Rect| near(a, b) || bridge.is_some_and(|c| near(a, c) && near(b, c));
    // Union-find by relabelling: the layers are few.
    for i in 0..readers.len() {
        for j in 0..i {
            if joined(readers[i].region, readers[j].region) {
                let (from, to) = (group_of[i], group_of[j]);
                for g in &mut group_of {
                    if *g == from {
                        *g = to;
                    }
                }
            }
        }
    }
    let mut labels: Vec<usize> = group_of.clone();
    labels.sort_unstable();
    labels.dedup();
    labels
        .into_iter()
        .map(|l| (0..readers.len()).filter(|&i| group_of[i] == l).collect())
        .collect()
}

/// The panel a group needs over `behind` (the photo, before any text), or
/// `None` when every layer already reads. `color` is the creative's scrim
/// colour when it sets one; otherwise `choices` (the brand's allowed
/// colours) give the one farthest in luminance from the first layer's text.
/// The panel covers the group's regions and `bridge` (the button, when it
/// stands among them), and runs out to every canvas edge it comes within
/// `feather` of. A panel standing on one side that runs at least half the
/// way along it runs all the way; a panel across the canvas's whole height
/// (or width) fades out across it over [`GRADIENT_FADE`] of its own width
/// (or height): a column's panel becomes a gradient from the side, a
/// stack's from the bottom, a strip's a soft band, as a designer would draw
/// them, never a box with a visible edge. Its `roles` are left for the
/// caller.
pub(crate) fn plan(
    behind: &Behind,
    group: &[Reader],
    bridge: Option<Rect>,
    color: Option<Rgb>,
    choices: impl Iterator<Item = Rgb>,
    feather: i32,
) -> Option<Panel> {
    let first = group.first()?;
    let t = first.color.luminance();
    let color = color.unwrap_or_else(|| {
        choices
            .max_by(|a, b| {
                contrast_ratio(t, a.luminance()).total_cmp(&contrast_ratio(t, b.luminance()))
            })
            .unwrap_or(Rgb::BLACK)
    });
    let step = group
        .iter()
        .map(|r| needed_step(behind, r, color))
        .max()
        .unwrap_or(0);
    if step == 0 {
        return None;
    }
    let size: Size = behind.output();
    let bounds = Rect::new(0, 0, size.w as i32, size.h as i32);
    let regions = group.iter().map(|r| r.region).reduce(Rect::union)?;
    let core = match bridge {
        Some(b) if b.inset(-feather).overlaps(regions) => regions.union(b),
        _ => regions,
    }
    .intersect(bounds);
    let core = Rect::from_edges(
        if core.x <= feather { 0 } else { core.x },
        if core.y <= feather { 0 } else { core.y },
        if bounds.right() - core.right() <= feather {
            bounds.right()
        } else {
            core.right()
        },
        if bounds.bottom() - core.bottom() <= feather {
            bounds.bottom()
        } else {
            core.bottom()
        },
    );
    let (core, fade) = as_gradient(core, bounds, feather);
    Some(Panel {
        core,
        fade,
        color,
        opacity: step as f32 * 0.05,
        roles: Vec::new(),
    })
}

/// A panel's core, run out along the canvas edge it stands on, and its fade
/// across and down (see [`plan`]).
fn as_gradient(mut core: Rect, bounds: Rect, feather: i32) -> (Rect, (i32, i32)) {
    // Standing on one side (a column), or on one end (a stack): a panel
    // already across the whole canvas stands on neither.
    let at_side = (core.x == 0) != (core.right() == bounds.right());
    let at_end = (core.y == 0) != (core.bottom() == bounds.bottom());
    if at_side && 2 * core.h >= bounds.h {
        core = Rect::new(core.x, 0, core.w, bounds.h);
    } else if at_end && 2 * core.w >= bounds.w {
        core = Rect::new(0, core.y, bounds.w, core.h);
    }
    let long = |extent: i32| ((extent as f32 * GRADIENT_FADE).round() as i32).max(feather);
    let fade = (
        if core.h == bounds.h {
            long(core.w)
        } else {
            feather
        },
        if core.w == bounds.w {
            long(core.h)
        } else {
            feather
        },
    );
    (core, fade)
}

/// The least opacity step (of 0.05) at which at most [`ALLOWED_SHORT`] of
/// the photo's pixels under the reader's region stay short of its contrast.
fn needed_step(behind: &Behind, reader: &Reader, scrim: Rgb) -> u32 {
    let samples = behind.samples(reader.region);
    if samples.is_empty() {
        return 0;
    }
    let text = reader.color.luminance();
    let reads = |p: [u8; 3], step: u32| {
        let q = Rgb(mix(p, scrim.0, step as f32 * 0.05));
        contrast_ratio(text, q.luminance()) >= reader.need
    };
    // Each pixel's own least step, found by bisection: a pixel that does
    // not read bare but does at the strongest step reads at every step from
    // its least one up (mixing moves it steadily towards the scrim, away
    // from the text's luminance once past it). Then the least step that
    // leaves few enough short.
    let mut pixels_needing = [0usize; STEPS as usize + 2];
    for &p in &samples {
        let least = if reads(p, 0) {
            0
        } else if !reads(p, STEPS) {
            STEPS + 1
        } else {
            let (mut lo, mut hi) = (0, STEPS);
            while hi - lo > 1 {
                let mid = (lo + hi) / 2;
                if reads(p, mid) { hi = mid } else { lo = mid }
            }
            hi
        };
        pixels_needing[least as usize] += 1;
    }
    let allowed = (samples.len() as f32 * ALLOWED_SHORT) as usize;
    let mut short = samples.len();
    for step in 0..=STEPS {
        short -= pixels_needing[step as usize];
        if short <= allowed {
            return step;
        }
    }
    STEPS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reader(region: Rect) -> Reader {
        Reader {
            region,
            color: Rgb::WHITE,
            need: 4.8,
        }
    }

    #[test]
    fn layers_that_stand_together_form_one_group() {
        let rs = [
            reader(Rect::new(10, 10, 100, 40)),
            reader(Rect::new(10, 56, 100, 20)),
            reader(Rect::new(10, 300, 100, 20)),
        ];
        assert_eq!(groups(&rs, None, 8), vec![vec![0, 1], vec![2]]);
        // A button between the second and third joins them.
        let button = Rect::new(10, 80, 80, 215);
        assert_eq!(groups(&rs, Some(button), 8), vec![vec![0, 1, 2]]);
    }

    #[test]
    fn a_light_photo_gets_just_enough_panel_and_a_dark_one_none() {
        let size = Size::new(200, 100);
        let light = Rgb([220, 200, 120]);
        let group = [reader(Rect::new(20, 20, 120, 40))];
        let plan_over = |fill: Rgb| {
            plan(
                &Behind::flat(fill, size, None),
                &group,
                None,
                Some(Rgb::BLACK),
                std::iter::empty(),
                12,
            )
        };
        let panel = plan_over(light).unwrap();
        let under = Rgb(mix(light.0, [0, 0, 0], panel.opacity)).luminance();
        assert!(contrast_ratio(1.0, under) >= 4.8);
        // One step less would not do.
        let weaker = mix(light.0, [0, 0, 0], panel.opacity - 0.05);
        assert!(contrast_ratio(1.0, Rgb(weaker).luminance()) < 4.8);
        // The core is the region, short of the canvas edges by more than the feather.
        assert_eq!(panel.core, Rect::new(20, 20, 120, 40));
        assert_eq!(panel.fade, (12, 12));
        assert_eq!(plan_over(Rgb([30, 40, 30])), None);
    }

    #[test]
    fn side_and_bottom_panels_become_gradients_and_nothing_covers_the_canvas() {
        let canvas = Rect::new(0, 0, 300, 250);
        // A column on the left, most of the height: full height, fading across.
        let (core, fade) = as_gradient(Rect::new(0, 40, 120, 210), canvas, 25);
        assert_eq!((core, fade), (Rect::new(0, 0, 120, 250), (72, 25)));
        // A stack across the width, over half the height: stays a bottom
        // band fading up, not a panel over the whole photo.
        let (core, fade) = as_gradient(Rect::new(0, 110, 300, 140), canvas, 25);
        assert_eq!((core, fade), (Rect::new(0, 110, 300, 140), (25, 84)));
        // A box in the middle keeps the short fade.
        let (core, fade) = as_gradient(Rect::new(60, 60, 100, 50), canvas, 25);
        assert_eq!((core, fade), (Rect::new(60, 60, 100, 50), (25, 25)));
    }
}
