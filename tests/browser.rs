//! brandfit's lines against a browser's: every line of copy in the bundled
//! multilingual example (the English base, Korean, Japanese, Arabic, Hindi,
//! Hebrew and Thai), set with the brand's font stack, both by brandfit and
//! by Chromium from an HTML page with the same fonts in the same order. This
//! checks the whole chain a browser runs — font fallback per cluster, bidi,
//! shaping — not one run in one font as `tests/harfbuzz.rs` does; and the
//! Japanese line breaks against Chromium's `word-break: auto-phrase`.
//! `.ci/run` installs Chromium; without it these tests say so and skip.

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
/// The least agreement, in any em of a line, with Chromium's ink.
const AGREE: f32 = 0.95;
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

/// The bundled multilingual example and its brand's kit.
fn example() -> (Creative, BrandKit) {
    let creative =
        Creative::load(&common::root().join("examples/bloom-world/creative.toml")).unwrap();
    let kit = BrandKit::load(creative.brand.clone()).unwrap();
    (creative, kit)
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
    let (creative, kit) = example();
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
    let mut caught = 0;
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
        // The measure must see a mistake: the same line with its two middle
        // glyphs swapped should fall below the bar.
        let mut swapped = line.clone();
        let middle = swapped.glyphs.len() / 2;
        swapped.glyphs.swap(middle - 1, middle);
        let wrong = common::line_ink(&case.faces, SIZE, &swapped);
        if common::agreement(&wrong, &theirs, SIZE as i32).1 < AGREE {
            caught += 1;
        }
        let (a, b) = (common::bbox(&ours), common::bbox(&theirs));
        eprintln!(
            "{:<14} ink {}x{} vs Chromium {}x{}, agree {agree:.3}, worst em {worst:.3}",
            case.label, a.w, a.h, b.w, b.h
        );
        let width_error = (a.w - b.w).abs() as f32 / b.w as f32;
        if width_error > 0.01 || worst < AGREE {
            let name = case.label.replace(' ', "-");
            save_overlay(&ours, &theirs, &dir.path().join(format!("{name}.png")));
            failures.push(format!(
                "{}: ink width {} vs {}, agreement {agree:.3}, worst em {worst:.3}",
                case.label, a.w, b.w
            ));
        }
    }
    eprintln!(
        "a swap of two glyphs fails {caught} of {} lines",
        cases.len()
    );
    assert!(
        caught * 10 >= cases.len() * 9,
        "the comparison is too lenient: it caught {caught} of {} swapped lines",
        cases.len()
    );
    if !failures.is_empty() {
        let keep = dir.keep();
        panic!(
            "lines differ from Chromium (page and screenshot in {}):\n{}",
            keep.display(),
            failures.join("\n")
        );
    }
}

/// Where Chromium's `word-break: auto-phrase` (its BudouX phrase model)
/// breaks Japanese lines, measured in the page itself: for each text and
/// width, the character offsets at which a new line starts.
fn chromium_phrase_breaks(
    browser: &str,
    font: &Face,
    texts: &[String],
    widths: &[u32],
) -> Option<Vec<Vec<usize>>> {
    let list = serde_json::to_string(texts).unwrap();
    let html = format!(
        "<!doctype html><html lang=\"ja\"><head><meta charset=\"utf-8\"><style>\
         @font-face {{ font-family: cjk; src: url('file://{}'); }}\
         div {{ font: 20px cjk; word-break: auto-phrase; }}</style></head><body>\
         <pre id=\"out\"></pre><script>\
         document.fonts.load('20px cjk').then(() => {{\
         const out = [];\
         for (const t of {list}) for (const w of {widths:?}) {{\
           const d = document.createElement('div'); d.lang = 'ja'; d.style.width = w + 'px';\
           d.textContent = t; document.body.appendChild(d);\
           const chars = Array.from(t); let at = 0, last = null; const starts = [];\
           for (let i = 0; i < chars.length; i++) {{\
             const r = document.createRange(); r.setStart(d.firstChild, at); r.setEnd(d.firstChild, at + chars[i].length);\
             const top = r.getClientRects()[0].top;\
             if (last !== null && top !== last) starts.push(i);\
             last = top; at += chars[i].length;\
           }}\
           out.push(starts.join(',')); d.remove();\
         }}\
         document.getElementById('out').textContent = out.join(';');\
         }});</script></body></html>",
        font.path().display()
    );
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("phrases.html");
    std::fs::write(&page, html).unwrap();
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
        ])
        .args(["--virtual-time-budget=5000", "--dump-dom"])
        .arg(format!("file://{}", page.display()))
        .output()
        .ok()?;
    let dom = String::from_utf8_lossy(&out.stdout);
    let start = dom.find("<pre id=\"out\">")? + "<pre id=\"out\">".len();
    let body = &dom[start..start + dom[start..].find("</pre>")?];
    let mut rows = body.split(';').map(|row| {
        row.split(',')
            .filter(|s| !s.is_empty())
            .map(|s| s.parse().unwrap())
            .collect()
    });
    Some(
        (0..texts.len() * widths.len())
            .filter_map(|_| rows.next())
            .collect(),
    )
}

#[test]
fn japanese_phrases_match_chromium_auto_phrase() {
    let Some(browser) = chromium() else {
        return;
    };
    let (creative, kit) = example();
    let cases = cases(&creative, &kit);
    let texts: Vec<String> = cases
        .into_iter()
        .filter(|c| c.lang.as_deref() == Some("ja"))
        .map(|c| c.text)
        .collect();
    // Wide enough for the longest phrase (7 characters at 20 px), so that
    // Chromium never has to break inside one.
    let widths = [150, 200, 260];
    let cjk = kit
        .fallback
        .iter()
        .find(|f| f.family == "Noto Sans CJK JP" && f.weight == 400)
        .unwrap();
    let Some(theirs) = chromium_phrase_breaks(browser, cjk, &texts, &widths) else {
        eprintln!("skipped: {browser} gave no result");
        return;
    };
    assert_eq!(theirs.len(), texts.len() * widths.len());
    let faces = [cjk];
    let (mut compared, mut same) = (0, 0);
    for (t, text) in texts.iter().enumerate() {
        // Both ways of breaking, as character counts (Chromium's unit).
        let chars = |bytes: Vec<usize>| -> Vec<usize> {
            bytes
                .into_iter()
                .map(|b| text[..b].chars().count())
                .collect()
        };
        let opportunities = brandfit::shape::break_opportunities(text, Some("ja"));
        let phrases = brandfit::shape::phrase_breaks(text, Some("ja"), &opportunities).unwrap();
        let (phrases, opportunities) = (chars(phrases), chars(opportunities));
        for (w, &width) in widths.iter().enumerate() {
            let theirs = &theirs[t * widths.len() + w];
            // Every break Chromium makes between phrases is one of ours,
            // unless UAX #14 as ICU4X reads it allows no break there.
            for c in theirs {
                compared += 1;
                assert!(
                    phrases.contains(c) || !opportunities.contains(c),
                    "{width} px: Chromium breaks {text} before character {c}; our phrases end at {phrases:?}"
                );
            }
            // And the other way: wherever brandfit keeps whole phrases, its
            // own wrap (greedy, not balanced, as the browser's) breaks the
            // same lines as Chromium.
            let set = brandfit::layout::text::set_text(&brandfit::layout::text::TextRequest {
                faces: &faces,
                text,
                lang: Some("ja"),
                region: Rect::new(0, 0, width as i32, 1000),
                max_lines: 20,
                min_size: 20.0,
                max_size: 20.0,
                line_height: 1.2,
                align: brandfit::layout::Align::Start,
                valign: brandfit::layout::VAlign::Top,
                balance: false,
            });
            let ours: Vec<usize> = set
                .lines
                .iter()
                .scan(0, |end, line| {
                    *end += line.text.chars().count();
                    Some(*end)
                })
                .collect();
            let ours = &ours[..ours.len() - 1];
            if ours.iter().all(|b| phrases.contains(b)) {
                assert_eq!(ours, &theirs[..], "{width} px: {text}");
                same += 1;
            } else {
                // A phrase wider than the line was split; where is a matter
                // of UAX #14 versions (ICU4X keeps "、€" together, Chromium's
                // ICU does not), so only report it.
                eprintln!(
                    "{width} px: a phrase was split: ours {:?}, Chromium breaks before characters {theirs:?}",
                    set.lines.iter().map(|l| &l.text).collect::<Vec<_>>()
                );
            }
        }
    }
    eprintln!("{compared} Chromium auto-phrase breaks, all at our phrase boundaries");
    eprintln!(
        "{same} of {} wraps kept whole phrases, and all of them equal Chromium's",
        texts.len() * widths.len()
    );
    assert!(compared > 0 && same > 0, "nothing compared");
}
