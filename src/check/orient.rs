//! Edge orientation fields and shape templates: how the logo is searched.
//!
//! At every pixel the colour structure tensor (Di Zenzo's: the gradients
//! of the three channels, summed as outer products over a 3x3
//! neighbourhood) gives the direction in which colour changes most and
//! how clearly. It is kept as a doubled angle, `(cos 2θ, sin 2θ)`, scaled
//! by how coherent and how strong the change is: a border between two
//! colours has the same doubled angle whichever side is lighter, so a
//! mark darker than its surroundings on one side and lighter on the other
//! still has one outline; two colours of one brightness still have a
//! border between them; and the noise of a flat fill or the tangle of a
//! busy texture has little coherent direction to agree with.
//!
//! A template is the mark's own field, sampled at the points of its
//! outline (and the borders between its colours), plus points inside its
//! solid parts where it has no edge at all. A placement scores the mean
//! agreement of directions along the outline, less the mean edge energy
//! where the mark is solid: near 1 for the mark on any background, near 0
//! or below for anything else. The 3x3 neighbourhood makes a placement one
//! pixel off score nearly as well, so the exhaustive stage can try every
//! third position.

use super::plane::ColorPlanes;
use crate::color::{Rgb, delta_e_2000};

/// Per pixel: the doubled-angle vector scaled by coherence and strength
/// (`c`, `s`, length at most 1) and the edge energy `e` in 0..1. The
/// energy is of brightness alone, and on a coarser scale than the vector:
/// a JPEG's colour is stored at half resolution and rings for many pixels
/// around a colour border, and its noise, incoherent, hardly moves the
/// vector but would fill the energy.
pub struct Field {
    /// Width.
    pub w: usize,
    /// Height.
    pub h: usize,
    /// `(c, s, e)` interleaved, row-major.
    pub data: Vec<[f32; 3]>,
}

/// Contrast (0..1 code values over two pixels) at which an edge's vector
/// is half its full length: a faint mark a person can still see has a
/// direction.
pub const HALF_CONTRAST: f32 = 0.04;
/// Contrast at which energy is one half: JPEG noise and a photo's grain
/// inside a solid mark stay well under it, texture crossing it does not.
pub const HALF_ENERGY: f32 = 0.1;

/// The field of `channels` (each `w * h`, values 0..1), with the energy
/// taken from `brightness`.
///
/// Rows stream through: each row's per-pixel tensors, summed across its
/// neighbourhood, are kept only while the output rows that need them are
/// made (a ring of `2r + 1` rows), so the only full-size buffer is the
/// field itself. Every sum is taken in the order a direct loop over the
/// neighbourhood takes it.
pub fn field(channels: &[&[f32]], brightness: &[f32], w: usize, h: usize, r: usize) -> Field {
    let span = 2 * r + 1;
    let area = (span * span) as f32;
    let mut ring: Vec<TensorRow> = (0..span.min(h.max(1))).map(|_| TensorRow::new(w)).collect();
    let mut scratch = TensorRow::new(w);
    let half = HALF_CONTRAST * HALF_CONTRAST;
    let half_energy = HALF_ENERGY * HALF_ENERGY;
    let mut data = vec![[0f32; 3]; w * h];
    let mut sums = TensorRow::new(w);
    // Rows up to `made` are in the ring (row y at y % span).
    let mut made = 0;
    for (y, out) in data.chunks_exact_mut(w.max(1)).enumerate() {
        let (first, last) = (y.saturating_sub(r), (y + r + 1).min(h));
        while made < last {
            scratch.tensors(channels, brightness, w, h, made);
            let slot = made % ring.len();
            ring[slot].box_across(&scratch, r);
            made += 1;
        }
        sums.clear();
        for yy in first..last {
            sums.add(&ring[yy % ring.len()]);
        }
        for (x, o) in out.iter_mut().enumerate() {
            let (jxx, jxy, jyy, luma) = (
                sums.xx[x] / area,
                sums.xy[x] / area,
                sums.yy[x] / area,
                sums.e[x] / area,
            );
            let norm = jxx + jyy + half;
            *o = [
                (jxx - jyy) / norm,
                2.0 * jxy / norm,
                luma / (luma + half_energy),
            ];
        }
    }
    Field { w, h, data }
}

/// One row of structure tensors, one plane per component (so the loops
/// over a row vectorise): the colour tensor's `xx`, `xy`, `yy` and the
/// brightness gradient's squared length `e`.
struct TensorRow {
    xx: Vec<f32>,
    xy: Vec<f32>,
    yy: Vec<f32>,
    e: Vec<f32>,
}

impl TensorRow {
    fn new(w: usize) -> TensorRow {
        TensorRow {
            xx: vec![0.0; w],
            xy: vec![0.0; w],
            yy: vec![0.0; w],
            e: vec![0.0; w],
        }
    }

    fn clear(&mut self) {
        for plane in [&mut self.xx, &mut self.xy, &mut self.yy, &mut self.e] {
            plane.fill(0.0);
        }
    }

    /// Adds `other`, component by component.
    fn add(&mut self, other: &TensorRow) {
        for (to, from) in [
            (&mut self.xx, &other.xx),
            (&mut self.xy, &other.xy),
            (&mut self.yy, &other.yy),
            (&mut self.e, &other.e),
        ] {
            for (t, f) in to.iter_mut().zip(from) {
                *t += *f;
            }
        }
    }

    /// Row `y`'s per-pixel tensors from central differences: the colour
    /// one summed over channels in order, and the brightness one's trace.
    /// Border pixels, which have no central difference, are zero.
    fn tensors(&mut self, channels: &[&[f32]], brightness: &[f32], w: usize, h: usize, y: usize) {
        self.clear();
        if w < 3 || h < 3 || y == 0 || y == h - 1 {
            return;
        }
        // Above, left of, right of and below each inner pixel of the row.
        fn row(ch: &[f32], w: usize, y: usize) -> [&[f32]; 4] {
            [
                &ch[(y - 1) * w + 1..y * w - 1],
                &ch[y * w..y * w + w - 2],
                &ch[y * w + 2..(y + 1) * w],
                &ch[(y + 1) * w + 1..(y + 2) * w - 1],
            ]
        }
        let n = w - 2;
        let (xx, xy, yy) = (
            &mut self.xx[1..=n],
            &mut self.xy[1..=n],
            &mut self.yy[1..=n],
        );
        for ch in channels {
            let [up, left, right, down] = row(ch, w, y);
            for x in 0..n {
                let gx = right[x] - left[x];
                let gy = down[x] - up[x];
                xx[x] += gx * gx;
                xy[x] += gx * gy;
                yy[x] += gy * gy;
            }
        }
        let [up, left, right, down] = row(brightness, w, y);
        for (x, e) in self.e[1..=n].iter_mut().enumerate() {
            let gx = right[x] - left[x];
            let gy = down[x] - up[x];
            *e += gx * gx + gy * gy;
        }
    }

    /// `self` = `src` summed over `2r + 1` pixels across (fewer at the
    /// row's ends).
    fn box_across(&mut self, src: &TensorRow, r: usize) {
        for (to, from) in [
            (&mut self.xx, &src.xx),
            (&mut self.xy, &src.xy),
            (&mut self.yy, &src.yy),
            (&mut self.e, &src.e),
        ] {
            let w = from.len();
            if r == 0 {
                to.copy_from_slice(from);
                continue;
            }
            if r == 1 && w >= 3 {
                // The common case, vectorised: (left + here) + right.
                to[0] = from[0] + from[1];
                to[w - 1] = from[w - 2] + from[w - 1];
                let (left, here, right) = (&from[..w - 2], &from[1..w - 1], &from[2..]);
                for (((t, l), c), r) in to[1..w - 1].iter_mut().zip(left).zip(here).zip(right) {
                    *t = *l + *c + *r;
                }
                continue;
            }
            for (x, t) in to.iter_mut().enumerate() {
                let mut acc = 0f32;
                for v in &from[x.saturating_sub(r)..(x + r + 1).min(w)] {
                    acc += *v;
                }
                *t = acc;
            }
        }
    }
}

/// Rec. 601 brightness of three planes.
fn luma(r: &[f32], g: &[f32], b: &[f32]) -> Vec<f32> {
    r.iter()
        .zip(g)
        .zip(b)
        .map(|((r, g), b)| 0.299 * r + 0.587 * g + 0.114 * b)
        .collect()
}

impl Field {
    /// The field of an RGB image, over 3x3 neighbourhoods (`smooth`) or
    /// single pixels.
    pub fn of(img: &ColorPlanes, smooth: bool) -> Field {
        let [r, g, b] = &img.0;
        let y = luma(&r.data, &g.data, &b.data);
        field(
            &[&r.data, &g.data, &b.data],
            &y,
            r.w,
            r.h,
            usize::from(smooth),
        )
    }

    /// Writes the field of `img` over `region` (inside the image) into
    /// `out` (the image's size), over 3x3 neighbourhoods (`smooth`) or
    /// single pixels: the field of a crop a few pixels larger on every
    /// side the image has, which over the region is the whole image's
    /// field exactly (a pixel's value reads the tensors of its
    /// neighbourhood, each tensor its four neighbours, in the same order;
    /// and the image's own border pixels are zero in both).
    pub fn of_region(img: &ColorPlanes, region: crate::geom::Rect, smooth: bool, out: &mut Field) {
        let (w, h) = (img.0[0].w, img.0[0].h);
        let (x0, y0) = (region.x.max(0) as usize, region.y.max(0) as usize);
        let (x1, y1) = (
            (region.right().max(0) as usize).min(w),
            (region.bottom().max(0) as usize).min(h),
        );
        if x1 <= x0 || y1 <= y0 {
            return;
        }
        let r = usize::from(smooth);
        let margin = r + 2;
        let (cx0, cy0) = (x0.saturating_sub(margin), y0.saturating_sub(margin));
        let (cx1, cy1) = ((x1 + margin).min(w), (y1 + margin).min(h));
        let cw = cx1 - cx0;
        let crop: Vec<Vec<f32>> = img
            .0
            .iter()
            .map(|p| {
                (cy0..cy1)
                    .flat_map(|y| &p.data[y * w + cx0..y * w + cx1])
                    .copied()
                    .collect()
            })
            .collect();
        let y = luma(&crop[0], &crop[1], &crop[2]);
        // Crop pixels on the crop's border, which are not the image's,
        // have no central difference here, and neighbourhood sums near it
        // are cut short: neither reaches the region.
        let f = field(&[&crop[0], &crop[1], &crop[2]], &y, cw, cy1 - cy0, r);
        for yy in y0..y1 {
            let from = (yy - cy0) * cw + (x0 - cx0);
            out.data[yy * w + x0..yy * w + x1].copy_from_slice(&f.data[from..from + (x1 - x0)]);
        }
    }

    /// The length of the vectors: how clearly each pixel has an edge (in
    /// colour, so a navy mark on black has one), for prefix sums.
    pub fn edge_presence(&self) -> Vec<f32> {
        self.data.iter().map(presence).collect()
    }
}

/// A field's components, each split by column into `stride` phases
/// (column `x` is element `x / stride` of phase `x % stride`): the
/// exhaustive stage's placements every `stride` px along a row then read
/// each template point's values from consecutive memory, a row of
/// placements at a time, which the compiler vectorises.
pub struct Strided {
    stride: usize,
    h: usize,
    /// Per phase: its columns, and `c`, `s` and `e` planes of `cols * h`.
    phases: Vec<(usize, [Vec<f32>; 3])>,
}

impl Strided {
    /// `field` split into `stride` phases.
    pub fn of(field: &Field, stride: usize) -> Strided {
        let stride = stride.max(1);
        let (w, h) = (field.w, field.h);
        let phases = (0..stride)
            .map(|p| {
                let cols = w.saturating_sub(p).div_ceil(stride);
                let mut planes: [Vec<f32>; 3] =
                    std::array::from_fn(|_| Vec::with_capacity(cols * h));
                for row in field.data.chunks_exact(w.max(1)) {
                    for v in row.iter().skip(p).step_by(stride) {
                        for (plane, value) in planes.iter_mut().zip(v) {
                            plane.push(*value);
                        }
                    }
                }
                (cols, planes)
            })
            .collect();
        Strided { stride, h, phases }
    }

    /// Component `k` of `n` pixels of row `y`, `stride` px apart from
    /// column `x`.
    fn run(&self, k: usize, x: usize, y: usize, n: usize) -> &[f32] {
        let (cols, planes) = &self.phases[x % self.stride];
        debug_assert!(y < self.h);
        let at = y * cols + x / self.stride;
        &planes[k][at..at + n]
    }
}

/// The length of one pixel's vector: how clearly it has an edge.
fn presence(v: &[f32; 3]) -> f32 {
    (v[0] * v[0] + v[1] * v[1]).sqrt()
}

/// A template: outline points with the unit doubled angle the mark has
/// there, and solid points where it has no edge. Coordinates are relative
/// to the logo box's top-left and may reach `PAD` px outside it.
pub struct Shape {
    /// (dx, dy, cos 2θ, sin 2θ), spread along the outline.
    pub outline: Vec<(i32, i32, f32, f32)>,
    /// (dx, dy) inside the mark's solid parts.
    pub solid: Vec<(i32, i32)>,
    /// Mean edge presence (vector length) of the template's own field
    /// over its padded box.
    pub mean_presence: f32,
    n_cells: usize,
    /// Indices of the outline's points, cell by cell of the box (a grid
    /// of about eight, see [`cell_grid`]; in outline order within a
    /// cell), and where each cell's run ends: a reading sums a cell at a
    /// time in registers, in the order the outline has.
    by_cell: Vec<u32>,
    cell_end: Vec<u32>,
    /// Opaque points of the mark and their colour (sRGB code values),
    /// single-pixel templates only: what a part that does not show is
    /// checked against (see [`Shape::robust`]).
    ink: Vec<(i32, i32, [u8; 3])>,
    /// The cell of each ink point.
    ink_cells: Vec<u8>,
    /// The mean colour of the ink in each cell (0..1), where it has any.
    ink_mean: Vec<Option<[f32; 3]>>,
    /// The box it was made for.
    w: usize,
    h: usize,
}

/// Cells of points (`dx`, `dy`) of a `w` × `h` template.
fn cells_of(points: impl Iterator<Item = (i32, i32)>, w: usize, h: usize) -> (Vec<u8>, usize) {
    let (cols, rows) = cell_grid(w, h);
    let cells = points
        .map(|(dx, dy)| {
            let cx = (dx.clamp(0, w as i32 - 1) as usize * cols / w).min(cols - 1);
            let cy = (dy.clamp(0, h as i32 - 1) as usize * rows / h).min(rows - 1);
            (cy * cols + cx) as u8
        })
        .collect();
    (cells, cols * rows)
}

/// What a placement shows, cell by cell: see [`Shape::robust`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Robust {
    /// Mean outline agreement over the cells where the banner has edges.
    pub agree: f32,
    /// The share of outline points in those cells.
    pub coverage: f32,
    /// The share of outline points in cells without edges where the
    /// banner is the mark's own colour there: a part drawn in the colour
    /// of what is behind it, which cannot show.
    pub unseen: f32,
    /// Mean energy at the solid points.
    pub solid: f32,
}

/// An outline cell counts as showing the mark when the banner's edge
/// vectors there average at least this long: an outline of the mark's own
/// colour against a background of that colour has none.
const VISIBLE: f32 = 0.3;

/// A cell without edges is the mark's own colour against itself when the
/// banner under its ink is within this ΔE00 of the ink's mean colour
/// there (JPEG shifts a dark flat colour by 2-4).
const UNSEEN_DE: f64 = 8.0;

/// Opaque points a single-pixel template keeps to compare colours at.
const MAX_INK: usize = 256;

/// Columns and rows of the cell grid of a `w` × `h` box: about eight
/// cells (never more than [`MAX_CELLS`]), as square as the box allows.
fn cell_grid(w: usize, h: usize) -> (usize, usize) {
    let aspect = w as f32 / h.max(1) as f32;
    let cols = ((8.0 * aspect).sqrt().round() as usize).clamp(1, 8);
    let rows = (8 / cols).clamp(1, 4);
    (cols, rows)
}

/// The most cells a template has: per-cell sums fit in arrays.
const MAX_CELLS: usize = 8;

/// How a template's outline points are chosen among the mark's edge pixels.
#[derive(Debug, Clone, Copy)]
pub enum Pick {
    /// The strongest first, no two closer than `spacing` px (Chebyshev):
    /// the silhouette, where alpha and colour change at once, which
    /// survives the coarse levels where inner detail blurs away.
    Strongest {
        /// Least distance between two points, in px.
        spacing: usize,
    },
    /// Evenly over every edge, the spacing as small as lets them fit: the
    /// inner detail counts as much as the silhouette, so a plate mark (a
    /// wordmark on a rounded box) does not match every button.
    Even,
}

/// The pixels of `candidates` (indices into a `w` × `h` grid, in order of
/// preference) taken in turn, skipping any closer than `spacing` px
/// (Chebyshev) to one already taken.
fn spread(candidates: &[usize], w: usize, h: usize, spacing: usize) -> Vec<usize> {
    let mut taken = vec![false; w * h];
    let mut chosen = Vec::new();
    let reach = spacing - 1;
    for &i in candidates {
        if taken[i] {
            continue;
        }
        chosen.push(i);
        let (x, y) = (i % w, i / w);
        for ty in y.saturating_sub(reach)..(y + reach + 1).min(h) {
            for tx in x.saturating_sub(reach)..(x + reach + 1).min(w) {
                taken[ty * w + tx] = true;
            }
        }
    }
    chosen
}

/// Where `alpha` (`w` × `h`) is opaque (250 or more) in the whole square
/// of `r` px around the pixel (pixels off the grid are not).
fn eroded(alpha: &[u8], w: usize, h: usize, r: usize) -> Vec<bool> {
    // Opaque pixels counted in a summed-area table, one row and column of
    // zeros ahead.
    let mut sum = vec![0u32; (w + 1) * (h + 1)];
    for y in 0..h {
        let mut row = 0;
        for x in 0..w {
            row += u32::from(alpha[y * w + x] >= 250);
            sum[(y + 1) * (w + 1) + x + 1] = sum[y * (w + 1) + x + 1] + row;
        }
    }
    let full = ((2 * r + 1) * (2 * r + 1)) as u32;
    (0..w * h)
        .map(|i| {
            let (x, y) = (i % w, i / w);
            if x < r || y < r || x + r >= w || y + r >= h {
                return false;
            }
            let (x0, y0, x1, y1) = (x - r, y - r, x + r + 1, y + r + 1);
            let n = sum[y1 * (w + 1) + x1] + sum[y0 * (w + 1) + x0]
                - sum[y0 * (w + 1) + x1]
                - sum[y1 * (w + 1) + x0];
            n == full
        })
        .collect()
}

/// Pixels around the mark that its outline reaches.
pub const PAD: i32 = 2;

impl Shape {
    /// Bytes held on the heap.
    pub fn heap_bytes(&self) -> usize {
        use std::mem::size_of_val;
        size_of_val(self.outline.as_slice())
            + size_of_val(self.solid.as_slice())
            + size_of_val(self.by_cell.as_slice())
            + size_of_val(self.cell_end.as_slice())
            + size_of_val(self.ink.as_slice())
            + self.ink_cells.len()
            + size_of_val(self.ink_mean.as_slice())
    }

    /// The template of premultiplied RGBA pixels `w` × `h`, with at most
    /// `max_outline` outline points chosen as `pick` says, and at most
    /// `max_solid` solid points.
    pub fn new(
        px: &[u8],
        w: usize,
        h: usize,
        max_outline: usize,
        pick: Pick,
        max_solid: usize,
        smooth: bool,
    ) -> Shape {
        let p = PAD as usize;
        let (pw, ph) = (w + 2 * p, h + 2 * p);
        let mut ch: [Vec<f32>; 4] = std::array::from_fn(|_| vec![0f32; pw * ph]);
        let mut alpha = vec![0u8; pw * ph];
        // Alpha first, then red, green and blue.
        for (y, row) in px.chunks_exact(4 * w.max(1)).enumerate() {
            let at = (y + p) * pw + p;
            let [a, r, g, b] = &mut ch;
            let planes = [&mut r[at..at + w], &mut g[at..at + w], &mut b[at..at + w]];
            let [r, g, b] = planes;
            for ((((q, r), g), b), (a, opaque)) in row
                .chunks_exact(4)
                .zip(r)
                .zip(g)
                .zip(b)
                .zip(a[at..at + w].iter_mut().zip(&mut alpha[at..at + w]))
            {
                *r = q[0] as f32 / 255.0;
                *g = q[1] as f32 / 255.0;
                *b = q[2] as f32 / 255.0;
                *a = q[3] as f32 / 255.0;
                *opaque = q[3];
            }
        }
        let refs: Vec<&[f32]> = ch.iter().map(Vec::as_slice).collect();
        // Solid parts are where the mark has no edge of its own: neither
        // of its outline (alpha) nor of its colours.
        let bright: Vec<f32> = luma(&ch[1], &ch[2], &ch[3])
            .iter()
            .zip(&ch[0])
            .map(|(l, a)| l + a)
            .collect();
        let f = field(&refs, &bright, pw, ph, usize::from(smooth));

        // Outline: strong, clearly oriented pixels, chosen as `pick` says.
        let mut strong: Vec<usize> = (0..pw * ph)
            .filter(|&i| {
                let [c, s, e] = f.data[i];
                e >= 0.5 && (c * c + s * s).sqrt() >= 0.6 * e
            })
            .collect();
        // Strongest first, then in raster order: one u64 key each (energy
        // is never negative, so its bits order as it does).
        strong.sort_unstable_by_key(|&i| (u64::from(!f.data[i][2].to_bits()) << 32) | i as u64);
        let chosen = match pick {
            Pick::Strongest { spacing } => {
                let mut chosen = spread(&strong, pw, ph, spacing.max(1));
                chosen.truncate(max_outline);
                chosen
            }
            Pick::Even => {
                // Edges are lines about two pixels wide: start near the
                // spacing that fits, from below.
                let mut spacing = (strong.len() / (4 * max_outline.max(1))).max(1);
                loop {
                    let chosen = spread(&strong, pw, ph, spacing);
                    if chosen.len() <= max_outline {
                        break chosen;
                    }
                    spacing += 1;
                }
            }
        };
        let outline: Vec<(i32, i32, f32, f32)> = chosen
            .into_iter()
            .map(|i| {
                let [c, s, _] = f.data[i];
                let n = (c * c + s * s).sqrt();
                ((i % pw) as i32 - PAD, (i / pw) as i32 - PAD, c / n, s / n)
            })
            .collect();
        // Solid: opaque pixels without an edge, 3+ px inside the mark (a
        // resampled or JPEG-blurred outline still has energy two pixels in).
        let inside = eroded(&alpha, pw, ph, 3);
        let solid_all: Vec<(i32, i32)> = (0..pw * ph)
            .filter(|&i| {
                let [c, s, e] = f.data[i];
                e < 0.1 && c * c + s * s < 0.01 && inside[i]
            })
            .map(|i| ((i % pw) as i32 - PAD, (i / pw) as i32 - PAD))
            .collect();
        let stride = solid_all.len().div_ceil(max_solid.max(1)).max(1);
        let solid = solid_all.into_iter().step_by(stride).collect();
        let mean_presence = f.data.iter().map(presence).sum::<f32>() / (pw * ph) as f32;
        let ink = if smooth {
            Vec::new()
        } else {
            let opaque: Vec<(i32, i32, [u8; 3])> = px
                .chunks_exact(4)
                .enumerate()
                .filter(|(_, q)| q[3] >= 250)
                .map(|(i, q)| ((i % w) as i32, (i / w) as i32, [q[0], q[1], q[2]]))
                .collect();
            let stride = opaque.len().div_ceil(MAX_INK).max(1);
            opaque.into_iter().step_by(stride).collect()
        };
        Shape::with_points(outline, solid, ink, mean_presence, w, h)
    }

    /// A template of these points, its cells worked out.
    fn with_points(
        outline: Vec<(i32, i32, f32, f32)>,
        solid: Vec<(i32, i32)>,
        ink: Vec<(i32, i32, [u8; 3])>,
        mean_presence: f32,
        w: usize,
        h: usize,
    ) -> Shape {
        let (cells, n_cells) = cells_of(outline.iter().map(|p| (p.0, p.1)), w, h);
        let mut by_cell: Vec<u32> = (0..outline.len() as u32).collect();
        by_cell.sort_by_key(|&i| cells[i as usize]);
        let mut cell_end = vec![0u32; n_cells];
        for &c in &cells {
            cell_end[c as usize] += 1;
        }
        for k in 1..n_cells {
            cell_end[k] += cell_end[k - 1];
        }
        let (ink_cells, _) = cells_of(ink.iter().map(|p| (p.0, p.1)), w, h);
        let mut sums = vec![[0f32; 4]; n_cells];
        for (&(_, _, rgb), &cell) in ink.iter().zip(&ink_cells) {
            let sum = &mut sums[cell as usize];
            for c in 0..3 {
                sum[c] += rgb[c] as f32 / 255.0;
            }
            sum[3] += 1.0;
        }
        let ink_mean = sums
            .iter()
            .map(|s| (s[3] > 0.0).then(|| [s[0] / s[3], s[1] / s[3], s[2] / s[3]]))
            .collect();
        Shape {
            outline,
            solid,
            mean_presence,
            n_cells,
            by_cell,
            cell_end,
            ink,
            ink_cells,
            ink_mean,
            w,
            h,
        }
    }

    /// This template resized to `w` × `h` by moving its points, as a shape
    /// matcher transforms its model instead of making it again: positions
    /// scale about the box's top-left (pixel centres to pixel centres),
    /// and directions turn as a stretch turns the normals of an outline.
    /// Close to the template rendered at that size when the change is
    /// small and (so no detail is invented) a reduction.
    pub fn resized(&self, w: usize, h: usize) -> Shape {
        let (sx, sy) = (
            w as f32 / self.w.max(1) as f32,
            h as f32 / self.h.max(1) as f32,
        );
        let at = |d: i32, k: f32, n: usize| {
            (((d as f32 + 0.5) * k - 0.5).round() as i32).clamp(-PAD, n as i32 - 1 + PAD)
        };
        let outline: Vec<(i32, i32, f32, f32)> = self
            .outline
            .iter()
            .map(|&(dx, dy, c, s)| {
                // The unit normal from its doubled angle, scaled by the
                // inverse of the stretch, back to a doubled angle.
                let theta = s.atan2(c) / 2.0;
                let (nx, ny) = (theta.cos() / sx, theta.sin() / sy);
                let n2 = (nx * nx + ny * ny).max(f32::MIN_POSITIVE);
                (
                    at(dx, sx, w),
                    at(dy, sy, h),
                    (nx * nx - ny * ny) / n2,
                    2.0 * nx * ny / n2,
                )
            })
            .collect();
        let solid = self
            .solid
            .iter()
            .map(|&(dx, dy)| (at(dx, sx, w), at(dy, sy, h)))
            .collect();
        let ink = self
            .ink
            .iter()
            .map(|&(dx, dy, rgb)| (at(dx, sx, w), at(dy, sy, h), rgb))
            .collect();
        Shape::with_points(outline, solid, ink, self.mean_presence, w, h)
    }

    /// The score with the logo box's top-left at (x, y) in `field`: mean
    /// outline agreement less mean solid energy. Points off the field
    /// count as no edge.
    pub fn score(&self, field: &Field, x: i32, y: i32) -> f32 {
        // Every point where the field has a gradient: no bounds to check,
        // and the same sums in the same order.
        let (w, h) = (self.w as i32, self.h as i32);
        if !self.outline.is_empty()
            && x - PAD >= 1
            && y - PAD >= 1
            && x + w + PAD < field.w as i32
            && y + h + PAD < field.h as i32
        {
            return self.score_inside(field, x as usize, y as usize);
        }
        let (a, s) = self.parts(field, x, y);
        a - s
    }

    /// The score allowing for parts of the mark that do not show: cells of
    /// the outline where the banner has no edges (the mark in its own
    /// colour against a background of that colour, a dark emblem where a
    /// photo runs to black) are left out, and the share of the outline
    /// left in is reported, and of that left out, the share where the
    /// banner under the mark's ink (`colours`, the image's planes) is the
    /// ink's own colour (when `colours`, the image's planes, are given;
    /// none otherwise). Cells with edges in other directions still count
    /// against.
    pub fn robust(&self, field: &Field, colours: Option<&ColorPlanes>, x: i32, y: i32) -> Robust {
        let (w, h) = (field.w as i32, field.h as i32);
        let mut agree = [0f32; MAX_CELLS];
        let mut length = [0f32; MAX_CELLS];
        let mut count = [0f32; MAX_CELLS];
        let mut start = 0;
        for (k, &end) in self.cell_end.iter().enumerate() {
            let run = &self.by_cell[start as usize..end as usize];
            start = end;
            let (mut a, mut l) = (0f32, 0f32);
            for &i in run {
                let (dx, dy, c, s) = self.outline[i as usize];
                let (px, py) = (x + dx, y + dy);
                if px >= 0 && py >= 0 && px < w && py < h {
                    let v = field.data[(py * w + px) as usize];
                    a += c * v[0] + s * v[1];
                    l += (v[0] * v[0] + v[1] * v[1]).sqrt();
                }
            }
            (agree[k], length[k], count[k]) = (a, l, run.len() as f32);
        }
        let mut visible = [false; MAX_CELLS];
        for k in 0..self.n_cells {
            visible[k] = count[k] > 0.0 && length[k] / count[k] >= VISIBLE;
        }
        let (mut a, mut n_visible) = (0f32, 0f32);
        for k in (0..self.n_cells).filter(|&k| visible[k]) {
            a += agree[k];
            n_visible += count[k];
        }
        let unseen: f32 = match colours {
            Some(colours) if n_visible < self.outline.len() as f32 => self
                .unseen_cells(colours, x, y, &visible)
                .map(|k| count[k])
                .sum(),
            _ => 0.0,
        };
        let solid = self.solid_energy(field, x, y);
        let n = self.outline.len().max(1) as f32;
        Robust {
            agree: a / n_visible.max(1.0),
            coverage: n_visible / n,
            unseen: unseen / n,
            solid,
        }
    }

    /// The cells not `visible` where the image under the mark's ink, at
    /// the box's top-left (x, y), is the ink's own colour.
    fn unseen_cells<'s>(
        &'s self,
        colours: &ColorPlanes,
        x: i32,
        y: i32,
        visible: &'s [bool],
    ) -> impl Iterator<Item = usize> + 's {
        let [r, g, b] = &colours.0;
        let (w, h) = (r.w as i32, r.h as i32);
        let mut sums = [[0f32; 4]; MAX_CELLS];
        for (&(dx, dy, _), &cell) in self.ink.iter().zip(&self.ink_cells) {
            let (px, py) = (x + dx, y + dy);
            if visible[cell as usize] || px < 0 || py < 0 || px >= w || py >= h {
                continue;
            }
            let i = (py * w + px) as usize;
            let sum = &mut sums[cell as usize];
            sum[0] += r.data[i];
            sum[1] += g.data[i];
            sum[2] += b.data[i];
            sum[3] += 1.0;
        }
        (0..self.n_cells).filter(move |&k| {
            let s = sums[k];
            match self.ink_mean[k] {
                Some(ink) if !visible[k] && s[3] > 0.0 => {
                    let lab = |c: [f32; 3]| {
                        Rgb(c.map(|v| (v * 255.0).round().clamp(0.0, 255.0) as u8)).to_lab()
                    };
                    let banner = [s[0] / s[3], s[1] / s[3], s[2] / s[3]];
                    delta_e_2000(lab(ink), lab(banner)) <= UNSEEN_DE
                }
                _ => false,
            }
        })
    }

    /// Mean outline agreement and mean solid energy.
    pub fn parts(&self, field: &Field, x: i32, y: i32) -> (f32, f32) {
        if self.outline.is_empty() {
            return (0.0, 0.0);
        }
        let (w, h) = (field.w as i32, field.h as i32);
        let at = |dx: i32, dy: i32| {
            let (px, py) = (x + dx, y + dy);
            (px >= 0 && py >= 0 && px < w && py < h).then(|| field.data[(py * w + px) as usize])
        };
        let mut agree = 0f32;
        let mut judged = 0usize;
        for &(dx, dy, c, s) in &self.outline {
            if let Some(v) = at(dx, dy) {
                agree += c * v[0] + s * v[1];
            }
            let (px, py) = (x + dx, y + dy);
            judged += usize::from(px >= 1 && py >= 1 && px < w - 1 && py < h - 1);
        }
        // A mark flush with the frame has no edge there to show: the mean
        // is over the outline inside the frame (and its edge row, where
        // the field has no gradient), but never over less than half of it.
        (
            agree / judged.max(self.outline.len().div_ceil(2)) as f32,
            self.solid_energy(field, x, y),
        )
    }

    /// Mean edge energy at the solid points, with the box's top-left at
    /// (x, y); points off the field count as none.
    fn solid_energy(&self, field: &Field, x: i32, y: i32) -> f32 {
        let (w, h) = (field.w as i32, field.h as i32);
        let mut solid = 0f32;
        for &(dx, dy) in &self.solid {
            let (px, py) = (x + dx, y + dy);
            if px >= 0 && py >= 0 && px < w && py < h {
                solid += field.data[(py * w + px) as usize][2];
            }
        }
        solid / self.solid.len().max(1) as f32
    }

    /// [`Shape::score_inside`] of `n` placements `stride` px apart on one
    /// row, from (x, y), into `scores`: the same sums in the same order,
    /// so the same values. The caller keeps every placement's points
    /// inside the field.
    pub fn score_run(&self, field: &Strided, x: usize, y: usize, n: usize, scores: &mut Vec<f32>) {
        scores.clear();
        scores.resize(n, 0.0);
        let at = |dx: i32, dy: i32| {
            (
                (x as isize + dx as isize) as usize,
                (y as isize + dy as isize) as usize,
            )
        };
        for &(dx, dy, c, s) in &self.outline {
            let (px, py) = at(dx, dy);
            let (cs, ss) = (field.run(0, px, py, n), field.run(1, px, py, n));
            for ((a, fc), fs) in scores.iter_mut().zip(cs).zip(ss) {
                *a += c * *fc + s * *fs;
            }
        }
        let mut solid = vec![0f32; n];
        for &(dx, dy) in &self.solid {
            let (px, py) = at(dx, dy);
            for (t, e) in solid.iter_mut().zip(field.run(2, px, py, n)) {
                *t += *e;
            }
        }
        let (n_outline, n_solid) = (
            self.outline.len().max(1) as f32,
            self.solid.len().max(1) as f32,
        );
        for (a, t) in scores.iter_mut().zip(&solid) {
            *a = *a / n_outline - *t / n_solid;
        }
    }

    /// As [`Shape::score`] for a placement the caller keeps entirely
    /// inside the field (no bounds checks).
    pub fn score_inside(&self, field: &Field, x: usize, y: usize) -> f32 {
        let w = field.w;
        let base = (y * w + x) as isize;
        let at =
            |dx: i32, dy: i32| field.data[(base + dy as isize * w as isize + dx as isize) as usize];
        let mut agree = 0f32;
        for &(dx, dy, c, s) in &self.outline {
            let v = at(dx, dy);
            agree += c * v[0] + s * v[1];
        }
        let mut solid = 0f32;
        for &(dx, dy) in &self.solid {
            solid += at(dx, dy)[2];
        }
        agree / self.outline.len().max(1) as f32 - solid / self.solid.len().max(1) as f32
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::plane::Plane;

    fn square_mark(w: usize) -> Vec<u8> {
        ring_mark(w, w)
    }

    fn ring_mark(w: usize, h: usize) -> Vec<u8> {
        // A dark ring: solid border of 3 px, transparent inside.
        let mut px = vec![0u8; w * h * 4];
        for y in 0..h {
            for x in 0..w {
                if x < 3 || y < 3 || x >= w - 3 || y >= h - 3 {
                    px[(y * w + x) * 4..(y * w + x) * 4 + 4].copy_from_slice(&[20, 20, 60, 255]);
                }
            }
        }
        px
    }

    /// The field as a direct loop over every pixel's neighbourhood
    /// computes it: the definition the streaming one must match.
    fn direct_field(
        channels: &[&[f32]],
        brightness: &[f32],
        w: usize,
        h: usize,
        r: usize,
    ) -> Field {
        let mut t = vec![[0f32; 4]; w * h];
        for y in 1..h.saturating_sub(1) {
            for x in 1..w.saturating_sub(1) {
                let i = y * w + x;
                for ch in channels.iter().chain([&brightness]) {
                    let gx = ch[i + 1] - ch[i - 1];
                    let gy = ch[i + w] - ch[i - w];
                    if std::ptr::eq(*ch, brightness) {
                        t[i][3] += gx * gx + gy * gy;
                    } else {
                        t[i][0] += gx * gx;
                        t[i][1] += gx * gy;
                        t[i][2] += gy * gy;
                    }
                }
            }
        }
        let area = ((2 * r + 1) * (2 * r + 1)) as f32;
        let mut data = vec![[0f32; 3]; w * h];
        for y in 0..h {
            for x in 0..w {
                let mut j = [0f32; 4];
                for yy in y.saturating_sub(r)..(y + r + 1).min(h) {
                    let mut across = [0f32; 4];
                    for xx in x.saturating_sub(r)..(x + r + 1).min(w) {
                        for k in 0..4 {
                            across[k] += t[yy * w + xx][k];
                        }
                    }
                    for k in 0..4 {
                        j[k] += across[k];
                    }
                }
                let [jxx, jxy, jyy, luma] = j.map(|v| v / area);
                let norm = jxx + jyy + HALF_CONTRAST * HALF_CONTRAST;
                data[y * w + x] = [
                    (jxx - jyy) / norm,
                    2.0 * jxy / norm,
                    luma / (luma + HALF_ENERGY * HALF_ENERGY),
                ];
            }
        }
        Field { w, h, data }
    }

    #[test]
    fn the_streamed_field_is_the_direct_one_exactly() {
        let mut lcg = 7u32;
        for (w, h) in [(1, 1), (2, 5), (3, 3), (17, 9), (64, 41)] {
            let planes: Vec<Vec<f32>> = (0..4)
                .map(|_| {
                    (0..w * h)
                        .map(|_| {
                            lcg = lcg.wrapping_mul(1103515245).wrapping_add(12345);
                            ((lcg >> 16) % 256) as f32 / 255.0
                        })
                        .collect()
                })
                .collect();
            let channels = [&planes[0][..], &planes[1][..], &planes[2][..]];
            for r in [0, 1, 2] {
                let streamed = field(&channels, &planes[3], w, h, r);
                let direct = direct_field(&channels, &planes[3], w, h, r);
                assert_eq!(streamed.data, direct.data, "{w}x{h}, r {r}");
            }
        }
    }

    #[test]
    fn a_mark_matches_itself_on_either_polarity_and_not_noise() {
        let w = 24;
        let mark = square_mark(w);
        let shape = Shape::new(&mark, w, w, 200, Pick::Even, 50, true);
        assert!(!shape.outline.is_empty());
        // The mark composited on a background that is black on the left
        // and white on the right: its outline is lighter than the
        // background on one side, darker on the other.
        let (iw, ih) = (60, 40);
        let mut planes: [Vec<f32>; 3] = std::array::from_fn(|_| vec![0f32; iw * ih]);
        let mut lcg = 12345u32;
        for y in 0..ih {
            for x in 0..iw {
                let mut v = if x < iw / 2 { 0.02 } else { 0.98 };
                let (mx, my) = (x as i64 - 18, y as i64 - 8);
                if (0..w as i64).contains(&mx) && (0..w as i64).contains(&my) {
                    let i = (my as usize * w + mx as usize) * 4;
                    if mark[i + 3] > 0 {
                        v = mark[i + 2] as f32 / 255.0;
                    }
                }
                lcg = lcg.wrapping_mul(1103515245).wrapping_add(12345);
                let noise = ((lcg >> 16) % 5) as f32 / 255.0;
                for p in &mut planes {
                    p[y * iw + x] = v + noise;
                }
            }
        }
        let f = field(&[&planes[0], &planes[1], &planes[2]], &planes[0], iw, ih, 1);
        let here = shape.score(&f, 18, 8);
        assert!(here > 0.6, "{here}");
        let elsewhere = shape.score(&f, 30, 12);
        assert!(elsewhere < here - 0.3, "{elsewhere} vs {here}");
    }

    /// A two-colour mark 40x12: a red square and a dark bar beside it.
    /// A noisy image with a ring in it, and its field.
    fn ring_field(iw: usize, ih: usize) -> Field {
        let mark = ring_mark(20, 14);
        let mut planes: [Vec<f32>; 3] = std::array::from_fn(|_| vec![0f32; iw * ih]);
        let mut lcg = 7u32;
        for (i, p) in planes.iter_mut().enumerate() {
            for (j, v) in p.iter_mut().enumerate() {
                let (x, y) = (j % iw, j / iw);
                lcg = lcg.wrapping_mul(1103515245).wrapping_add(12345);
                *v = ((lcg >> 16) % 256) as f32 / 255.0 * 0.3 + 0.1 * i as f32;
                let (mx, my) = (x as i64 - 11, y as i64 - 9);
                if (0..20).contains(&mx) && (0..14).contains(&my) {
                    let k = (my as usize * 20 + mx as usize) * 4;
                    if mark[k + 3] > 0 {
                        *v = 0.9;
                    }
                }
            }
        }
        let y = luma(&planes[0], &planes[1], &planes[2]);
        field(&[&planes[0], &planes[1], &planes[2]], &y, iw, ih, 1)
    }

    #[test]
    fn a_region_of_either_field_is_the_whole_one_exactly() {
        let (w, h) = (37, 23);
        let mut lcg = 99u32;
        let planes: [Plane; 3] = std::array::from_fn(|_| Plane {
            w,
            h,
            data: (0..w * h)
                .map(|_| {
                    lcg = lcg.wrapping_mul(1103515245).wrapping_add(12345);
                    ((lcg >> 16) % 256) as f32 / 255.0
                })
                .collect(),
        });
        let img = ColorPlanes(planes);
        for smooth in [false, true] {
            let whole = Field::of(&img, smooth);
            for (x, y, rw, rh) in [
                (0, 0, 37, 23),
                (0, 0, 5, 4),
                (3, 2, 10, 9),
                (30, 18, 7, 5),
                (1, 1, 35, 21),
            ] {
                let mut out = Field {
                    w,
                    h,
                    data: vec![[0.0; 3]; w * h],
                };
                Field::of_region(&img, crate::geom::Rect::new(x, y, rw, rh), smooth, &mut out);
                for yy in y as usize..(y + rh) as usize {
                    for xx in x as usize..(x + rw) as usize {
                        let (a, b) = (whole.data[yy * w + xx], out.data[yy * w + xx]);
                        assert_eq!(
                            a.map(f32::to_bits),
                            b.map(f32::to_bits),
                            "({xx}, {yy}, {smooth})"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn a_run_of_placements_scores_exactly_as_each_alone() {
        let (iw, ih) = (47, 31);
        let f = ring_field(iw, ih);
        let shape = Shape::new(
            &ring_mark(20, 14),
            20,
            14,
            64,
            Pick::Strongest { spacing: 2 },
            32,
            true,
        );
        let strided = Strided::of(&f, 3);
        let mut run = Vec::new();
        for y in PAD as usize..ih - 14 - PAD as usize {
            for x0 in PAD as usize..PAD as usize + 3 {
                let n = (iw - 20 - PAD as usize - x0) / 3 + 1;
                shape.score_run(&strided, x0, y, n, &mut run);
                for (k, score) in run.iter().enumerate() {
                    let alone = shape.score_inside(&f, x0 + 3 * k, y);
                    assert_eq!(score.to_bits(), alone.to_bits(), "({}, {y})", x0 + 3 * k);
                }
            }
        }
        // And the bounds-free score is the bounds-checked one where every
        // point has a gradient.
        for (x, y) in [(3, 3), (11, 9), (20, 12)] {
            let (a, s) = shape.parts(&f, x, y);
            assert_eq!(shape.score(&f, x, y).to_bits(), (a - s).to_bits());
        }
    }

    fn badge_and_bar() -> Vec<u8> {
        let (w, h) = (40, 12);
        let mut px = vec![0u8; w * h * 4];
        for y in 0..h {
            for x in 0..w {
                let ink: Option<[u8; 4]> = if x < 12 {
                    Some([224, 48, 32, 255])
                } else if x >= 16 && (2..10).contains(&y) {
                    Some([32, 32, 32, 255])
                } else {
                    None
                };
                if let Some(ink) = ink {
                    px[(y * w + x) * 4..(y * w + x) * 4 + 4].copy_from_slice(&ink);
                }
            }
        }
        px
    }

    /// `mark` (`w` wide) drawn at (20, 14) on an 80x40 background of
    /// `bg`, leaving out its pixels of colour `skip`.
    fn on_background(mark: &[u8], w: usize, bg: [u8; 3], skip: Option<[u8; 3]>) -> ColorPlanes {
        let (iw, ih) = (80, 40);
        let planes: [Plane; 3] = std::array::from_fn(|c| {
            let mut data = vec![bg[c] as f32 / 255.0; iw * ih];
            for (i, q) in mark.chunks_exact(4).enumerate() {
                if q[3] == 255 && skip != Some([q[0], q[1], q[2]]) {
                    data[(14 + i / w) * iw + 20 + i % w] = q[c] as f32 / 255.0;
                }
            }
            Plane { w: iw, h: ih, data }
        });
        ColorPlanes(planes)
    }

    #[test]
    fn a_part_in_the_colour_behind_it_is_unseen_and_a_missing_part_is_not() {
        let mark = badge_and_bar();
        let shape = Shape::new(&mark, 40, 12, 400, Pick::Even, 128, false);
        let read = |img: &ColorPlanes| shape.robust(&Field::of(img, false), Some(img), 20, 14);
        // On grey, all of it shows.
        let grey = read(&on_background(&mark, 40, [128, 128, 128], None));
        assert!(grey.coverage > 0.95 && grey.unseen == 0.0, "{grey:?}");
        // On the bar's own colour, the bar does not show, and is unseen.
        let own = read(&on_background(&mark, 40, [32, 32, 32], None));
        assert!(own.coverage < 0.7, "{own:?}");
        assert!(own.coverage + own.unseen > 0.95, "{own:?}");
        // On green with the bar left out, the bar is missing, not unseen.
        let missing = read(&on_background(&mark, 40, [32, 96, 32], Some([32, 32, 32])));
        assert!(
            missing.coverage < 0.7 && missing.unseen == 0.0,
            "{missing:?}"
        );
    }

    #[test]
    fn a_resized_template_scores_like_one_made_at_that_size() {
        // A 40x32 ring's template moved to 36x26 (reduced 10 % across and
        // 19 % down), against the ring drawn 36x26 on a light ground.
        let (w, h) = (36, 26);
        let big = Shape::new(&ring_mark(40, 32), 40, 32, 300, Pick::Even, 80, true);
        let exact = Shape::new(&ring_mark(w, h), w, h, 300, Pick::Even, 80, true);
        let resized = big.resized(w, h);
        assert_eq!(resized.outline.len(), big.outline.len());
        let (iw, ih) = (70, 50);
        let mut plane = vec![0.9f32; iw * ih];
        let mark = ring_mark(w, h);
        for y in 0..h {
            for x in 0..w {
                if mark[(y * w + x) * 4 + 3] > 0 {
                    plane[(y + 10) * iw + x + 15] = 60.0 / 255.0;
                }
            }
        }
        let f = field(&[&plane, &plane, &plane], &plane, iw, ih, 1);
        let (exact, resized, unresized) = (
            exact.score(&f, 15, 10),
            resized.score(&f, 15, 10),
            big.score(&f, 15, 10),
        );
        assert!(resized > exact - 0.1, "resized {resized}, exact {exact}");
        assert!(
            resized > unresized + 0.2,
            "resized {resized}, unresized {unresized}"
        );
        // Resized to its own size, a template is itself.
        let same = big.resized(40, 32);
        for (a, b) in same.outline.iter().zip(&big.outline) {
            assert_eq!((a.0, a.1), (b.0, b.1));
            assert!((a.2 - b.2).abs() < 1e-5 && (a.3 - b.3).abs() < 1e-5);
        }
        assert_eq!(same.solid, big.solid);
    }
}
