//! A single-channel float image and its pyramid, for template matching.

use image::RgbImage;

/// Brightness in 0..1, row-major.
#[derive(Debug, Clone)]
pub struct Plane {
    /// Width.
    pub w: usize,
    /// Height.
    pub h: usize,
    /// Values.
    pub data: Vec<f32>,
}

impl Plane {
    /// Rec. 601 luma of an sRGB image (code values, not linear light).
    pub fn luma(img: &RgbImage) -> Plane {
        let mut data = vec![0f32; img.width() as usize * img.height() as usize];
        for (d, p) in data.iter_mut().zip(img.as_raw().chunks_exact(3)) {
            *d = (0.299 / 255.0) * p[0] as f32
                + (0.587 / 255.0) * p[1] as f32
                + (0.114 / 255.0) * p[2] as f32;
        }
        Plane {
            w: img.width() as usize,
            h: img.height() as usize,
            data,
        }
    }

    /// Half the size, 2x2 box filter.
    pub fn half(&self) -> Plane {
        let (w, h) = (self.w / 2, self.h / 2);
        let mut data = Vec::with_capacity(w * h);
        for y in 0..h {
            let (r0, r1) = (
                &self.data[2 * y * self.w..],
                &self.data[(2 * y + 1) * self.w..],
            );
            for x in 0..w {
                data.push((r0[2 * x] + r0[2 * x + 1] + r1[2 * x] + r1[2 * x + 1]) * 0.25);
            }
        }
        Plane { w, h, data }
    }

    /// The pyramid: level k is 2^k times smaller, down to about `min_side` px.
    pub fn pyramid(self, min_side: usize) -> Vec<Plane> {
        let mut levels = vec![self];
        while let Some(last) = levels.last() {
            if last.w.min(last.h) / 2 < min_side {
                break;
            }
            let next = last.half();
            levels.push(next);
        }
        levels
    }
}
