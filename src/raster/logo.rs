//! The logo at its exact box: SVGs rendered by resvg at the target size (so
//! they are crisp at every size), PNGs resampled with premultiplied alpha.

use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
use image::RgbaImage;
use resvg::tiny_skia;

use crate::logo::{Logo, LogoArt};

/// The logo as premultiplied RGBA, `w` × `h`, its visible artwork filling the box.
pub fn logo_pixels(logo: &Logo, w: u32, h: u32) -> Vec<u8> {
    match &logo.art {
        LogoArt::Svg {
            tree,
            bounds: [bx, by, bw, bh],
        } => {
            let Some(mut pixmap) = tiny_skia::Pixmap::new(w, h) else {
                return vec![0; (w * h * 4) as usize];
            };
            let transform =
                tiny_skia::Transform::from_row(w as f32 / bw, 0.0, 0.0, h as f32 / bh, 0.0, 0.0)
                    .pre_translate(-bx, -by);
            resvg::render(tree, transform, &mut pixmap.as_mut());
            pixmap.take()
        }
        LogoArt::Raster(img) => {
            let mut out = RgbaImage::new(w, h);
            let options =
                ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
            // fast_image_resize premultiplies alpha while filtering, so edges
            // do not darken (image-rs #1655).
            Resizer::new()
                .resize(img, &mut out, &options)
                .expect("RGBA8 to RGBA8 resize");
            let mut data = out.into_raw();
            for px in data.chunks_exact_mut(4) {
                let a = px[3] as u32;
                for c in &mut px[..3] {
                    *c = ((*c as u32 * a + 127) / 255) as u8;
                }
            }
            data
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn alpha_box(px: &[u8], w: u32, h: u32) -> (u32, u32, u32, u32) {
        let (mut x0, mut y0, mut x1, mut y1) = (w, h, 0, 0);
        for y in 0..h {
            for x in 0..w {
                if px[((y * w + x) * 4 + 3) as usize] > 0 {
                    (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x + 1), y1.max(y + 1));
                }
            }
        }
        (x0, y0, x1, y1)
    }

    #[test]
    fn svg_logo_fills_its_box_exactly_at_every_size() {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        for name in ["acme", "bloom"] {
            let logo = Logo::load(&root.join(format!("brand-guides/{name}/logo.svg"))).unwrap();
            for h in [13u32, 24, 61, 140] {
                let w = (h as f32 * logo.aspect()).round() as u32;
                let px = logo_pixels(&logo, w, h);
                assert_eq!(alpha_box(&px, w, h), (0, 0, w, h), "{name} at {w}x{h}");
            }
        }
    }

    #[test]
    fn png_logo_borders_are_trimmed_and_edges_stay_bright() {
        let dir = tempfile::tempdir().unwrap();
        let mut img = RgbaImage::new(100, 60);
        for y in 20..40 {
            for x in 10..90 {
                img.put_pixel(x, y, image::Rgba([255, 255, 255, 255]));
            }
        }
        let path = dir.path().join("logo.png");
        img.save(&path).unwrap();
        let logo = Logo::load(&path).unwrap();
        assert_eq!(logo.aspect(), 4.0);
        let px = logo_pixels(&logo, 40, 10);
        // Premultiplied white: colour equals alpha wherever alpha > 0, so no dark fringe.
        for p in px.chunks_exact(4) {
            assert!(p[0].abs_diff(p[3]) <= 1, "{p:?}");
        }
    }
}
