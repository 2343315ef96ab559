//! Paints the legibility panels the layout planned ([`crate::layout::scrim`]).

use image::RgbImage;

use crate::color::mix;
use crate::geom::Rect;
use crate::layout::scrim::Panel;

/// Paints a panel: full strength over its core, fading smoothly (a
/// smoothstep of the distance, scaled by its fade across and down) to
/// nothing beyond its fade.
pub fn paint(canvas: &mut RgbImage, panel: &Panel) {
    let bounds = Rect::new(0, 0, canvas.width() as i32, canvas.height() as i32);
    let c = panel.core;
    let (fx, fy) = panel.fade;
    let reach =
        Rect::from_edges(c.x - fx, c.y - fy, c.right() + fx, c.bottom() + fy).intersect(bounds);
    let (fx, fy) = (fx.max(1) as f32, fy.max(1) as f32);
    for y in reach.y..reach.bottom() {
        let dy = (c.y - y).max(y - (c.bottom() - 1)).max(0) as f32 / fy;
        for x in reach.x..reach.right() {
            let dx = (c.x - x).max(x - (c.right() - 1)).max(0) as f32 / fx;
            let d = (dx * dx + dy * dy).sqrt();
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
    use crate::color::Rgb;

    #[test]
    fn a_panel_is_full_over_its_core_and_fades_out_beyond() {
        let light = RgbImage::from_pixel(200, 100, image::Rgb([220, 200, 120]));
        let panel = Panel {
            core: Rect::new(20, 20, 120, 40),
            fade: (12, 12),
            color: Rgb::BLACK,
            opacity: 0.5,
            roles: Vec::new(),
        };
        let mut painted = light.clone();
        paint(&mut painted, &panel);
        assert_eq!(
            painted.get_pixel(60, 40).0,
            mix([220, 200, 120], [0; 3], 0.5)
        );
        // Lighter just outside the core, untouched beyond the feather.
        assert!(painted.get_pixel(15, 40).0[0] > painted.get_pixel(60, 40).0[0]);
        assert!(painted.get_pixel(15, 40).0[0] < 220);
        assert_eq!(painted.get_pixel(160, 40), light.get_pixel(160, 40));
    }
}
