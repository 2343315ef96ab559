//! brandfit's lines against a browser's: every line of copy in the bundled
//! multilingual example (Korean, Japanese, Arabic, Hindi, and the English
//! base), set with the brand's font stack, both by brandfit and by Chromium
//! from an HTML page with the same fonts in the same order. This checks the
//! whole chain a browser runs — font fallback per cluster, bidi, shaping —
//! not one run in one font as `tests/harfbuzz.rs` does. Chromium is large
//! and not installed by `.ci/run`; without it this test says so and skips.

mod common;

use std::fmt::Write as _;
use std::process::Command;

use brandfit::font::Face;
use brandfit::geom::Rect;
use brandfit::kit::BrandKit;
use brandfit::layout::FaceRole;
use brandfit::layout::Line;
use brandfit::shape::{is_rtl_language, shape};
use brandfit::spec::Creative;

const SIZE: f32 = 40.0;
/// Vertical pitch of the lines on the test page.
const PITCH: i32 = 100;
const LEFT: i32 = 40;

fn chromium() -> Option<&'static str> {
    let found = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| Command::new(c).arg("--version").output().is_ok());
    if found.is_none() {
        eprintln!("skipped: no Chromium (apt-get install chromium)");
    }
    found
}

/// One line of copy and the font stack of its layer.
struct Case<'k> {
    label: String,
    lang: Option<String>,
    text: String,
    faces: Vec<&'k Face>,
}

fn cases<'k>(creative: &Creative, kit: &'k BrandKit) -> Vec<Case<'k>> {
    let format = creative.brand.format("facebook-feed").unwrap();
    let variants = std::iter::once(None).chain(creative.variants.iter().map(Some));
    let mut cases = Vec::new();
    for variant in variants {
        let copy = creative.copy_for(variant, &format);
        let id = variant.map_or("base", |v| v.id.as_str());
        let layers = [
            (
                "headline",
                Some(copy.headline.text.clone()),
                FaceRole::Headline,
            ),
            ("body", copy.body.map(|b| b.text), FaceRole::Body),
            ("cta", copy.cta.map(|c| c.text), FaceRole::Headline),
            ("legal", copy.legal.map(|l| l.text), FaceRole::Body),
        ];
        for (role, text, face) in layers {
            if let Some(text) = text {
                cases.push(Case {
                    label: format!("{id} {role}"),
                    lang: copy.lang.clone(),
                    text,
                    faces: face.stack(kit),
                });
            }
        }
    }
    cases
}

/// The page: one absolutely placed line per case, each with its own stack
/// of @font-face families in brandfit's order.
fn page(cases: &[Case]) -> String {
    let mut css = String::from(
        "body { margin: 0; background: #fff; }\n\
         div { position: absolute; white-space: pre; color: #000; \
         font-size: 40px; line-height: normal; font-synthesis: none; }\n",
    );
    let mut body = String::new();
    for (i, case) in cases.iter().enumerate() {
        let families: Vec<String> = case
            .faces
            .iter()
            .enumerate()
            .map(|(k, face)| {
                let name = format!("c{i}f{k}");
                writeln!(
                    css,
                    "@font-face {{ font-family: {name}; src: url('file://{}'); }}",
                    face.path().display()
                )
                .unwrap();
                name
            })
            .collect();
        let lang = case.lang.as_deref().unwrap_or("en");
        let dir = if is_rtl_language(lang) { "rtl" } else { "ltr" };
        writeln!(
            body,
            "<div lang=\"{lang}\" dir=\"{dir}\" style=\"left: {LEFT}px; top: {}px; \
             font-family: {}\">{}</div>",
            i as i32 * PITCH + PITCH / 4,
            families.join(", "),
            case.text
        )
        .unwrap();
    }
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><style>\n{css}</style></head><body>\n{body}</body></html>\n"
    )
}

/// Both inks on one picture, top-left aligned: brandfit's in red,
/// Chromium's in blue, shared pixels black.
fn save_overlay(ours: &[(i32, i32)], theirs: &[(i32, i32)], path: &std::path::Path) {
    let (a, b) = (common::bbox(ours), common::bbox(theirs));
    let (w, h) = (a.w.max(b.w) as u32 + 2, a.h.max(b.h) as u32 + 2);
    let mut img = image::RgbImage::from_pixel(w, h, image::Rgb([255, 255, 255]));
    for &(x, y) in ours {
        img.put_pixel(
            (x - a.x + 1) as u32,
            (y - a.y + 1) as u32,
            image::Rgb([255, 0, 0]),
        );
    }
    for &(x, y) in theirs {
        let p = img.get_pixel_mut((x - b.x + 1) as u32, (y - b.y + 1) as u32);
        p.0 = if p.0 == [255, 0, 0] {
            [0, 0, 0]
        } else {
            [0, 0, 255]
        };
    }
    img.save(path).unwrap();
}

#[test]
fn example_copy_matches_chromium() {
    let Some(browser) = chromium() else {
        return;
    };
    let creative =
        Creative::load(&common::root().join("examples/bloom-world/creative.toml")).unwrap();
    let kit = BrandKit::load(creative.brand.clone()).unwrap();
    let cases = cases(&creative, &kit);
    // Chromium loads a collection's first face only; the example's copy
    // must not need another.
    for case in &cases {
        let shaped = shape(&case.text, &case.faces, case.lang.as_deref());
        for f in shaped.faces_used() {
            assert_eq!(case.faces[f].source.index, 0, "{}", case.label);
        }
    }

    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("lines.html");
    std::fs::write(&html, page(&cases)).unwrap();
    let png = dir.path().join("lines.png");
    let height = cases.len() as i32 * PITCH;
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
            "--font-render-hinting=none",
            "--virtual-time-budget=5000",
            &format!("--window-size=1800,{height}"),
            &format!("--screenshot={}", png.display()),
        ])
        .arg(format!("file://{}", html.display()))
        .output()
        .unwrap();
    if !png.exists() {
        // A browser that cannot start here (no display stack, a sandbox it
        // cannot set up) says nothing about brandfit: skip, loudly.
        eprintln!(
            "skipped: {browser} took no screenshot: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        return;
    }
    let picture = image::open(&png).unwrap().to_luma8();

    let mut failures = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let shaped = shape(&case.text, &case.faces, case.lang.as_deref());
        assert!(
            shaped.missing.is_empty(),
            "{}: {:?}",
            case.label,
            shaped.missing
        );
        let band = Rect::new(0, i as i32 * PITCH, i32::MAX, PITCH);
        let theirs = common::dark_pixels(&picture, band);
        let line = Line {
            text: case.text.clone(),
            glyphs: shaped.glyphs,
            x: LEFT as f32,
            baseline: 200.0,
            width: 0.0,
        };
        let ours = common::line_ink(&case.faces, SIZE, &line);
        // Chromium rounds glyph positions its own way: agreement allows
        // each pixel a one-pixel miss, and is judged per em so that one
        // wrong glyph fails the line.
        let (agree, worst) = common::agreement(&ours, &theirs, SIZE as i32);
        let (a, b) = (common::bbox(&ours), common::bbox(&theirs));
        eprintln!(
            "{:<14} ink {}x{} vs Chromium {}x{}, agree {agree:.3}, worst em {worst:.3}",
            case.label, a.w, a.h, b.w, b.h
        );
        let width_error = (a.w - b.w).abs() as f32 / b.w as f32;
        if width_error > 0.01 || worst < 0.95 {
            let name = case.label.replace(' ', "-");
            save_overlay(&ours, &theirs, &dir.path().join(format!("{name}.png")));
            failures.push(format!(
                "{}: ink width {} vs {}, agreement {agree:.3}, worst em {worst:.3}",
                case.label, a.w, b.w
            ));
        }
    }
    if !failures.is_empty() {
        let keep = dir.keep();
        panic!(
            "lines differ from Chromium (page and screenshot in {}):\n{}",
            keep.display(),
            failures.join("\n")
        );
    }
}
