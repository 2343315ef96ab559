//! Legibility scrims as a designer draws them: one soft panel behind each
//! group of copy (headline, body and legal that stand together), just dark
//! or light enough that every text layer in it reaches its contrast over the
//! photo — never a box per line, never a different strength per line.
//!
//! The panel covers the group's *regions*, not its ink, and its strength is
//! measured on the photo under those regions before any text is drawn, so a
//! revision of the words never changes it (SPEC §3: new copy changes only
//! the pixels of its own region).

use image::RgbImage;

use super::blend::mix;
use crate::color::{Rgb, contrast_ratio};
use crate::geom::Rect;

/// Share of the photo's pixels under a layer's region that may stay short
/// of its contrast after the scrim: the checker measures the 10th
/// percentile around the glyphs, so a few stray bright pixels in a whole
/// region do no harm.
const ALLOWED_SHORT: f32 = 0.02;
/// Opacity steps tried, 0.05 apart.
const STEPS: u32 = 19;

/// One text layer as the scrim sees it.
#[derive(Debug, Clone, Copy)]
pub struct Reader {
    /// The layer's region.
    pub region: Rect,
    /// Its colour.
    pub color: Rgb,
    /// The contrast it needs.
    pub need: f32,
}

/// A planned panel.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Panel {
    /// Full strength inside this box.
    pub core: Rect,
    /// Fades to nothing over this many pixels outside it.
    pub feather: i32,
    /// Its colour.
    pub color: Rgb,
    /// Its opacity inside the core.
    pub opacity: f32,
}

/// The layers that stand together: regions closer than `gap` (vertically
/// or across), directly or through a `bridge` (the button between body and
/// legal), join one group. Returns groups of indices into `readers`.
pub fn groups(readers: &[Reader], bridge: Option<Rect>, gap: i32) -> Vec<Vec<usize>> {
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

/// The panel a group needs over `canvas` (the photo, before any text), or
/// `None` when every layer already reads. `color` is the creative's scrim
/// colour when it sets one; otherwise `choices` (the brand's allowed
/// colours) give the one farthest in luminance from the first layer's text.
/// The panel covers the group's regions and `bridge` (the button, when it
/// stands among them), and runs out to every canvas edge it comes within
/// `feather` of: a column's panel becomes a gradient from the side, a
/// stack's from the bottom, as a designer would draw them.
pub fn plan(
    canvas: &RgbImage,
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
        .map(|r| needed_step(canvas, r, color))
        .max()
        .unwrap_or(0);
    if step == 0 {
        return None;
    }
    let bounds = Rect::new(0, 0, canvas.width() as i32, canvas.height() as i32);
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
    Some(Panel {
        core,
        feather,
        color,
        opacity: step as f32 * 0.05,
    })
}

/// The least opacity step (of 0.05) at which at most [`ALLOWED_SHORT`] of
/// the photo's pixels under the reader's region stay short of its contrast.
fn needed_step(canvas: &RgbImage, reader: &Reader, scrim: Rgb) -> u32 {
    let bounds = Rect::new(0, 0, canvas.width() as i32, canvas.height() as i32);
    let area = reader.region.intersect(bounds);
    let text = reader.color.luminance();
    // Every other pixel each way: the photo under a region is smooth at
    // that scale, and it is a quarter of the work.
    let samples: Vec<[u8; 3]> = (area.y..area.bottom())
        .step_by(2)
        .flat_map(|y| (area.x..area.right()).step_by(2).map(move |x| (x, y)))
        .map(|(x, y)| canvas.get_pixel(x as u32, y as u32).0)
        .collect();
    if samples.is_empty() {
        return 0;
    }
    let allowed = (samples.len() as f32 * ALLOWED_SHORT) as usize;
    let short_at = |opacity: f32| {
        samples
            .iter()
            .filter(|p| {
                let q = Rgb(mix(**p, scrim.0, opacity));
                contrast_ratio(text, q.luminance()) < reader.need
            })
            .count()
    };
    (0..=STEPS)
        .find(|&s| short_at(s as f32 * 0.05) <= allowed)
        .unwrap_or(STEPS)
}

/// Paints a panel: full strength over its core, fading smoothly (a
/// smoothstep of the distance) to nothing `feather` pixels outside it.
pub fn paint(canvas: &mut RgbImage, panel: &Panel) {
    let bounds = Rect::new(0, 0, canvas.width() as i32, canvas.height() as i32);
    let c = panel.core;
    let reach = c.inset(-panel.feather).intersect(bounds);
    let f = panel.feather.max(1) as f32;
    for y in reach.y..reach.bottom() {
        let dy = (c.y - y).max(y - (c.bottom() - 1)).max(0) as f32;
        for x in reach.x..reach.right() {
            let dx = (c.x - x).max(x - (c.right() - 1)).max(0) as f32;
            let d = (dx * dx + dy * dy).sqrt() / f;
            if d >= 1.0 {
                continue;
            }
            let fade = 1.0 - d * d * (3.0 - 2.0 * d);
            let p = canvas.get_pixel_mut(x as u32, y as u32);
            p.0 = mix(p.0, panel.color.0, panel.opacity * fade);
        }
    }
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
        let light = RgbImage::from_pixel(200, 100, image::Rgb([220, 200, 120]));
        let group = [reader(Rect::new(20, 20, 120, 40))];
        let panel = plan(
            &light,
            &group,
            None,
            Some(Rgb::BLACK),
            std::iter::empty(),
            12,
        )
        .unwrap();
        let mut painted = light.clone();
        paint(&mut painted, &panel);
        let under = Rgb(painted.get_pixel(60, 40).0).luminance();
        assert!(contrast_ratio(1.0, under) >= 4.8);
        // One step less would not do.
        let weaker = mix(light.get_pixel(60, 40).0, [0, 0, 0], panel.opacity - 0.05);
        assert!(contrast_ratio(1.0, Rgb(weaker).luminance()) < 4.8);
        // The fade: lighter just outside the core, untouched beyond the feather.
        assert!(painted.get_pixel(15, 40).0[0] > painted.get_pixel(60, 40).0[0]);
        assert_eq!(painted.get_pixel(160, 40), light.get_pixel(160, 40));
        let dark = RgbImage::from_pixel(200, 100, image::Rgb([30, 40, 30]));
        assert_eq!(
            plan(
                &dark,
                &group,
                None,
                Some(Rgb::BLACK),
                std::iter::empty(),
                12
            ),
            None
        );
    }
}
