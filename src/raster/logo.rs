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
