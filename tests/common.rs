//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use brandfit::font::Face;
use brandfit::geom::Rect;
use brandfit::kit::BrandKit;
use brandfit::layout::Line;
use brandfit::layout::text::{ink_box, rasterised};
use brandfit::spec::Brand;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A bundled brand guide with its assets, by file stem.
pub fn kit(name: &str) -> BrandKit {
    let brand = Brand::load(&root().join(format!("brand-guides/{name}.toml"))).unwrap();
    BrandKit::load(brand).unwrap()
}

/// Writes a creative for the named bundled brand into `dir` and returns its path.
pub fn write_creative(dir: &Path, brand: &str, body: &str) -> PathBuf {
    let guide = root().join(format!("brand-guides/{brand}.toml"));
    let text = format!(
        "brand = {:?}\nname = \"t\"\n{body}",
        guide.display().to_string()
    );
    let path = dir.join("creative.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// True when `tool` runs; otherwise says how to get it, for tests that
/// compare with an outside renderer and skip without it.
pub fn have_tool(tool: &str, install: &str) -> bool {
    let found = std::process::Command::new(tool)
        .arg("--version")
        .output()
        .is_ok();
    if !found {
        eprintln!("skipped: `{tool}` is not installed ({install})");
    }
    found
}

/// brandfit's ink for one set line: the pixels its glyphs cover at least
/// half, in canvas coordinates.
pub fn line_ink(faces: &[&Face], size: f32, line: &Line) -> Vec<(i32, i32)> {
    let ink = ink_box(faces, size, line);
    let mut cover = vec![0f32; (ink.w * ink.h) as usize];
    for g in rasterised(faces, size, line) {
        let b = &g.bitmap;
        for (i, c) in b.coverage.iter().enumerate() {
            let (px, py) = (
                g.x + (i % b.width) as i32 - ink.x,
                g.y + (i / b.width) as i32 - ink.y,
            );
            cover[(py * ink.w + px) as usize] += c;
        }
    }
    (0..ink.h)
        .flat_map(|y| (0..ink.w).map(move |x| (x, y)))
        .filter(|&(x, y)| cover[(y * ink.w + x) as usize] >= 0.5)
        .map(|(x, y)| (x + ink.x, y + ink.y))
        .collect()
}

/// Dark pixels (below mid-grey) of a picture of black text on white,
/// within `area`.
pub fn dark_pixels(img: &image::GrayImage, area: Rect) -> Vec<(i32, i32)> {
    img.enumerate_pixels()
        .filter(|&(x, y, p)| p.0[0] < 128 && area.contains(Rect::new(x as i32, y as i32, 1, 1)))
        .map(|(x, y, _)| (x as i32, y as i32))
        .collect()
}

/// The bounding box of a set of pixels.
pub fn bbox(pts: &[(i32, i32)]) -> Rect {
    let (x0, y0) = pts
        .iter()
        .fold((i32::MAX, i32::MAX), |a, p| (a.0.min(p.0), a.1.min(p.1)));
    let (x1, y1) = pts
        .iter()
        .fold((i32::MIN, i32::MIN), |a, p| (a.0.max(p.0), a.1.max(p.1)));
    Rect::from_edges(x0, y0, x1 + 1, y1 + 1)
}

/// Intersection over union of two inks with their boxes' top-left corners
/// aligned, best within a pixel either way: renderers differ in where they
/// put a fractional baseline, and thin strokes are one or two pixels wide.
pub fn overlap(ours: &[(i32, i32)], theirs: &[(i32, i32)]) -> f32 {
    let (a, b) = (bbox(ours), bbox(theirs));
    let set: std::collections::HashSet<(i32, i32)> =
        theirs.iter().map(|&(x, y)| (x - b.x, y - b.y)).collect();
    (-1..=1)
        .flat_map(|dx| (-1..=1).map(move |dy| (dx, dy)))
        .map(|(dx, dy)| {
            let both = ours
                .iter()
                .filter(|&&(x, y)| set.contains(&(x - a.x + dx, y - a.y + dy)))
                .count();
            both as f32 / (ours.len() + set.len() - both) as f32
        })
        .fold(0.0, f32::max)
}

/// How closely two inks agree, allowing each pixel a one-pixel miss (so
/// that renderers rounding glyph positions differently still agree): the
/// share of each ink lying within one pixel of the other, the smaller of the
/// two, for the whole line and for the worst band of `band` columns, at the
/// top-left alignment (give or take a pixel) best for the whole line. A
/// wrong, missing or misplaced glyph shows in its band even when the line
/// as a whole agrees.
pub fn agreement(ours: &[(i32, i32)], theirs: &[(i32, i32)], band: i32) -> (f32, f32) {
    use std::collections::HashSet;
    let (a, b) = (bbox(ours), bbox(theirs));
    let theirs: HashSet<(i32, i32)> = theirs.iter().map(|&(x, y)| (x - b.x, y - b.y)).collect();
    let near = |set: &HashSet<(i32, i32)>, (x, y): (i32, i32)| {
        (-1..=1).any(|dx| (-1..=1).any(|dy| set.contains(&(x + dx, y + dy))))
    };
    let bands = (a.w.max(b.w) / band + 1) as usize;
    let band_of = |x: i32| (x.max(0) / band) as usize % bands;
    (-1..=1)
        .flat_map(|dx| (-1..=1).map(move |dy| (dx, dy)))
        .map(|(dx, dy)| {
            let ours: HashSet<(i32, i32)> = ours
                .iter()
                .map(|&(x, y)| (x - a.x + dx, y - a.y + dy))
                .collect();
            // Per band: (ours near theirs, ours, theirs near ours, theirs).
            let mut counts = vec![[0usize; 4]; bands];
            for &p in &ours {
                let c = &mut counts[band_of(p.0)];
                c[0] += near(&theirs, p) as usize;
                c[1] += 1;
            }
            for &p in &theirs {
                let c = &mut counts[band_of(p.0)];
                c[2] += near(&ours, p) as usize;
                c[3] += 1;
            }
            let score = |c: [usize; 4]| {
                let share = |hit: usize, all: usize| {
                    if all == 0 {
                        1.0
                    } else {
                        hit as f32 / all as f32
                    }
                };
                share(c[0], c[1]).min(share(c[2], c[3]))
            };
            let total = counts.iter().fold([0; 4], |t, c| {
                [t[0] + c[0], t[1] + c[1], t[2] + c[2], t[3] + c[3]]
            });
            let worst = counts.iter().map(|&c| score(c)).fold(1.0f32, f32::min);
            (score(total), worst)
        })
        .max_by(|p, q| p.0.total_cmp(&q.0).then(p.1.total_cmp(&q.1)))
        .unwrap_or((0.0, 0.0))
}

/// The most of the subject's box the copy, button and logo cover in any
/// example banner today (the goal, and the composition unit's floor, is
/// 15 %).
pub const COVERED_TODAY: f32 = 0.25;

/// Measures the composition of every sidecar under `out` (brandfit's
/// [`composition`](brandfit::composition) floors), prints a table by format
/// family, and returns every floor a banner misses, naming the banner.
pub fn composition_shortfalls(out: &Path) -> Vec<String> {
    use brandfit::composition::Measures;
    let mut sidecars: Vec<PathBuf> = walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(|e| e.ok())
        .map(|e| e.into_path())
        .filter(|p| p.to_string_lossy().ends_with(".layout.json"))
        .collect();
    sidecars.sort();
    let family = |w: u32, h: u32| match w as f32 / h as f32 {
        _ if h <= 100 => "strips",
        a if a >= 1.45 => "landscape",
        a if a >= 0.75 => "rectangles",
        _ => "tall",
    };
    let mut rows: std::collections::BTreeMap<&str, Vec<Measures>> = Default::default();
    let mut misses = Vec::new();
    for path in &sidecars {
        let text = std::fs::read_to_string(path).unwrap();
        let sidecar: brandfit::sidecar::Sidecar = serde_json::from_str(&text).unwrap();
        let m = Measures::of(&sidecar);
        let name = path.strip_prefix(out).unwrap().display().to_string();
        // Every floor holds, but one: the copy may still cover up to
        // COVERED_TODAY of a subject wider than the room beside it (the
        // billboards and the coffee feed); the 15 % floor is the goal, and
        // the banners short of it are printed.
        let held = m.shortfalls_within(COVERED_TODAY);
        for s in m.shortfalls().into_iter().filter(|s| !held.contains(s)) {
            eprintln!("short of the goal: {name}: {s}");
        }
        misses.extend(held.into_iter().map(|s| format!("{name}: {s}")));
        rows.entry(family(sidecar.width, sidecar.height))
            .or_default()
            .push(m);
    }
    eprintln!(
        "family      banners  short  band(max)  edge(min)  hier(min)  lines(max)  in-frame(min)  covered(max)"
    );
    for (name, ms) in &rows {
        let max = |f: &dyn Fn(&Measures) -> Option<f32>| {
            ms.iter()
                .filter_map(f)
                .fold(None, |a: Option<f32>, v| Some(a.map_or(v, |a| a.max(v))))
        };
        let min = |f: &dyn Fn(&Measures) -> Option<f32>| {
            ms.iter()
                .filter_map(f)
                .fold(None, |a: Option<f32>, v| Some(a.map_or(v, |a| a.min(v))))
        };
        let show = |v: Option<f32>| v.map_or("-".to_string(), |v| format!("{v:.2}"));
        eprintln!(
            "{name:<11} {:>7}  {:>5}  {:>9}  {:>9}  {:>9}  {:>10}  {:>13}  {:>12}",
            ms.len(),
            ms.iter().filter(|m| !m.shortfalls().is_empty()).count(),
            show(max(&|m| Some(m.largest_band))),
            show(min(&|m| Some(m.edge))),
            show(min(&|m| m.hierarchy)),
            show(max(&|m| Some(m.lines as f32))),
            show(min(&|m| m.subject_in_frame)),
            show(max(&|m| m.subject_covered)),
        );
    }
    misses
}
