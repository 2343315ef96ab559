//! Float image planes for the logo search: colour planes and their
//! pyramid, and prefix sums.

use image::RgbImage;

/// Values in 0..1, row-major.
#[derive(Debug, Clone)]
pub struct Plane {
    /// Width.
    pub w: usize,
    /// Height.
    pub h: usize,
    /// Values.
    pub data: Vec<f32>,
}

/// An RGB image as three planes of code values in 0..1.
#[derive(Debug, Clone)]
pub struct ColorPlanes(pub [Plane; 3]);

impl ColorPlanes {
    /// The planes of an sRGB image (code values, not linear light).
    pub fn of(img: &RgbImage) -> ColorPlanes {
        let (w, h) = (img.width() as usize, img.height() as usize);
        // A plane at a time, collected from an iterator of known length
        // (no zeroing first).
        let plane = |c: usize| Plane {
            w,
            h,
            data: img
                .as_raw()
                .chunks_exact(3)
                .map(|p| p[c] as f32 * (1.0 / 255.0))
                .collect(),
        };
        ColorPlanes([plane(0), plane(1), plane(2)])
    }

    /// Half the size, 2x2 box filter (a rasteriser's coverage at half size).
    pub fn half(&self) -> ColorPlanes {
        ColorPlanes(std::array::from_fn(|c| self.0[c].half()))
    }
}

impl Plane {
    /// Half the size, 2x2 box filter.
    pub fn half(&self) -> Plane {
        let (w, h) = (self.w / 2, self.h / 2);
        let mut data = Vec::with_capacity(w * h);
        for y in 0..h {
            let r0 = &self.data[2 * y * self.w..][..2 * w];
            let r1 = &self.data[(2 * y + 1) * self.w..][..2 * w];
            data.extend(
                r0.chunks_exact(2)
                    .zip(r1.chunks_exact(2))
                    .map(|(a, b)| (a[0] + a[1] + b[0] + b[1]) * 0.25),
            );
        }
        Plane { w, h, data }
    }
}

/// Sums over any rectangle of a plane in constant time.
pub struct Integral {
    w: usize,
    h: usize,
    /// (w + 1) x (h + 1) prefix sums, the first row and column zero.
    sums: Vec<f32>,
}

impl Integral {
    /// The prefix sums of `p`.
    pub fn of(p: &Plane) -> Integral {
        let (w, h) = (p.w, p.h);
        let mut sums = vec![0f32; (w + 1) * (h + 1)];
        for y in 0..h {
            let mut row = 0f32;
            for x in 0..w {
                row += p.data[y * w + x];
                sums[(y + 1) * (w + 1) + x + 1] = sums[y * (w + 1) + x + 1] + row;
            }
        }
        Integral { w, h, sums }
    }

    /// Mean over the rectangle (clipped to the plane; 0 when empty).
    pub fn mean(&self, x: i64, y: i64, w: i64, h: i64) -> f32 {
        let x0 = x.clamp(0, self.w as i64) as usize;
        let y0 = y.clamp(0, self.h as i64) as usize;
        let x1 = (x + w).clamp(0, self.w as i64) as usize;
        let y1 = (y + h).clamp(0, self.h as i64) as usize;
        if x1 <= x0 || y1 <= y0 {
            return 0.0;
        }
        let s = |x: usize, y: usize| self.sums[y * (self.w + 1) + x];
        (s(x1, y1) - s(x0, y1) - s(x1, y0) + s(x0, y0)) / ((x1 - x0) * (y1 - y0)) as f32
    }
}
