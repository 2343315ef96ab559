//! brandfit's text against HarfBuzz itself: `hb-shape` for glyph ids,
//! clusters, advances and offsets of one line in each script (identical),
//! `hb-view` for the rendered ink of that line (same width within 1 %,
//! high overlap). The tools come from Debian's `libharfbuzz-bin`, which
//! `.ci/run` installs; without them these tests say so and skip.

mod common;

use std::path::PathBuf;
use std::process::Command;

use brandfit::font::Face;
use brandfit::geom::Rect;
use brandfit::layout::Line;
use brandfit::shape::shape;
use brandfit::spec::FontRef;

/// (font file, face index, BCP 47 language, one line of copy).
const LINES: &[(&str, u32, &str, &str)] = &[
    (
        "Inter-Bold.otf",
        0,
        "en",
        "Spring blend is here, AVATAR office",
    ),
    ("Inter-Bold.otf", 0, "de", "Frühlingsmischung für Größe"),
    (
        "NotoSerif-Bold.ttf",
        0,
        "fr",
        "L’été est en pleine floraison",
    ),
    (
        "NotoSansCJK-Bold-subset.ttc",
        1,
        "ko",
        "여름이 활짝 피었어요",
    ),
    ("NotoSansCJK-Bold-subset.ttc", 0, "ja", "夏の花が満開です。"),
    (
        "NotoSansCJK-Bold-subset.ttc",
        0,
        "zh",
        "春季混合咖啡上市，欢迎品尝！",
    ),
    ("NotoSansArabic-Bold.ttf", 0, "ar", "الصيف في أوج ازدهاره"),
    ("NotoSansHebrew-Bold.ttf", 0, "he", "שָׁלוֹם עוֹלָם"),
    (
        "NotoSansDevanagari-Bold.ttf",
        0,
        "hi",
        "गर्मियों में खिला हर फूल क्षत्रिय",
    ),
    ("NotoSansThai-Bold.ttf", 0, "th", "สวัสดีชาวโลก น้ำ"),
];

fn font_path(file: &str) -> PathBuf {
    common::root().join("fixtures/fonts").join(file)
}

fn face(file: &str, index: u32) -> Face {
    Face::load(&FontRef {
        file: font_path(file),
        index,
        written: file.to_string(),
    })
    .unwrap()
}

fn have(tool: &str) -> bool {
    common::have_tool(tool, "apt-get install libharfbuzz-bin")
}

/// Runs a HarfBuzz tool on one line of `text` in face `index` of `file`,
/// with `args` before the font; its standard output.
fn hb(tool: &str, file: &str, index: u32, lang: &str, args: &[&str], text: &str) -> Vec<u8> {
    let out = Command::new(tool)
        .arg(format!("--face-index={index}"))
        .arg(format!("--language={lang}"))
        .args(args)
        .arg(font_path(file))
        .arg(text)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{tool}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// hb-shape's glyphs: (id, cluster, x advance, x offset, y offset), in font units.
fn hb_shape(file: &str, index: u32, lang: &str, text: &str) -> Vec<(u16, u32, i32, i32, i32)> {
    let args = [
        "--output-format=json",
        "--no-glyph-names",
        "--utf8-clusters",
    ];
    let stdout = hb("hb-shape", file, index, lang, &args, text);
    let json: serde_json::Value = serde_json::from_slice(&stdout).unwrap();
    json.as_array()
        .unwrap()
        .iter()
        .map(|g| {
            let n = |k: &str| g[k].as_i64().unwrap();
            (
                n("g") as u16,
                n("cl") as u32,
                n("ax") as i32,
                n("dx") as i32,
                n("dy") as i32,
            )
        })
        .collect()
}

#[test]
fn shaping_matches_hb_shape_in_every_script() {
    if !have("hb-shape") {
        return;
    }
    for &(file, index, lang, text) in LINES {
        let f = face(file, index);
        let ours = shape(text, &[&f], Some(lang));
        assert!(
            ours.missing.is_empty(),
            "{lang}: missing {:?}",
            ours.missing
        );
        let upem = f.units_per_em;
        let ours: Vec<_> = ours
            .glyphs
            .iter()
            .map(|g| {
                let u = |v: f32| (v * upem).round() as i32;
                (g.id, g.cluster, u(g.advance), u(g.dx), u(g.dy))
            })
            .collect();
        let theirs = hb_shape(file, index, lang, text);
        assert_eq!(ours, theirs, "{lang} ({file}): {text}");
    }
}

#[test]
fn right_to_left_copy_keeps_numbers_and_latin_in_reading_order() {
    let f = face("NotoSansArabic-Bold.ttf", 0);
    let text = "خصم 40 بالمئة SALE";
    let shaped = shape(text, &[&f], Some("ar"));
    assert!(shaped.rtl);
    // Visual order, left to right: clusters of "SALE" ascend, then "40"
    // ascends too (numbers read left to right inside Arabic), and the
    // Arabic words come in descending order.
    let cluster_of = |s: &str| text.find(s).unwrap() as u32;
    let order: Vec<u32> = shaped.glyphs.iter().map(|g| g.cluster).collect();
    let pos = |c: u32| order.iter().position(|&o| o == c).unwrap();
    let (s, a, four, zero) = (
        pos(cluster_of("S")),
        pos(cluster_of("A")),
        pos(cluster_of("4")),
        pos(cluster_of("0")),
    );
    assert!(s < a, "SALE reads left to right");
    assert!(four < zero, "40 reads left to right");
    assert!(a < four, "SALE, the last words, is leftmost");
    assert!(pos(0) > zero, "the first Arabic word is rightmost");
}

#[test]
fn rendered_ink_matches_hb_view() {
    if !have("hb-view") {
        return;
    }
    let size = 64.0;
    let dir = tempfile::tempdir().unwrap();
    for &(file, index, lang, text) in LINES {
        let f = face(file, index);
        let faces = [&f];
        let shaped = shape(text, &faces, Some(lang));
        let line = Line {
            text: text.to_string(),
            glyphs: shaped.glyphs,
            x: 100.0,
            baseline: 200.0,
            width: 0.0,
        };
        let ours = common::line_ink(&faces, size, &line);
        let png = dir.path().join(format!("{lang}.png"));
        let font_size = format!("--font-size={size}");
        let args = [
            font_size.as_str(),
            "--margin=16",
            "--output-format=png",
            "-o",
            png.to_str().unwrap(),
        ];
        hb("hb-view", file, index, lang, &args, text);
        let picture = image::open(&png).unwrap().to_luma8();
        let everywhere = Rect::new(0, 0, i32::MAX, i32::MAX);
        let theirs = common::dark_pixels(&picture, everywhere);
        let (ours_box, theirs_box) = (common::bbox(&ours), common::bbox(&theirs));
        let width_error = (ours_box.w - theirs_box.w).abs() as f32 / theirs_box.w as f32;
        assert!(
            width_error <= 0.01,
            "{lang}: ink width {} vs hb-view {}",
            ours_box.w,
            theirs_box.w
        );
        let iou = common::overlap(&ours, &theirs);
        eprintln!(
            "{lang}: ink width {} vs hb-view {}, overlap {iou:.3}",
            ours_box.w, theirs_box.w
        );
        assert!(
            iou >= 0.9,
            "{lang}: ink overlap with hb-view {iou:.3} (ours {ours_box:?}, hb-view {theirs_box:?})"
        );
    }
}
