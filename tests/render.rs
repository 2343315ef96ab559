//! End-to-end rendering: byte-identical output at any thread count,
//! revisions that touch only what they name, and reference images.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use brandfit::geom::Rect;
use brandfit::sidecar::Sidecar;
use image::RgbImage;

const SEED: &str = "facebook-feed,instagram-story,medium-rectangle,leaderboard";

fn brandfit(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_brandfit"))
        .args(args)
        .output()
        .unwrap()
}

fn render(creative: &Path, out: &Path, jobs: &str) {
    let o = brandfit(&[
        "render",
        creative.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--formats",
        SEED,
        "--type",
        "png",
        "-j",
        jobs,
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            out.extend(files(&p))
        } else {
            out.push(p)
        }
    }
    out.sort();
    out
}

fn photo_creative(dir: &Path, headline: &str, cta_fill: &str) -> PathBuf {
    let photo = common::root().join("examples/spring-blend/coffee.jpg");
    common::write_creative(
        dir,
        "acme",
        &format!(
            "[background]\nimage = {:?}\nscrim = {{ color = \"espresso\", opacity = 0.3 }}\n\
             [headline]\ntext = {headline:?}\ncolor = \"cream\"\n\
             [body]\ntext = \"Bright, floral, roasted this week.\"\ncolor = \"cream\"\n\
             [cta]\ntext = \"Order now\"\nfill = {cta_fill:?}\ncolor = \"cream\"\n",
            photo.display().to_string()
        ),
    )
}

/// Pixels that differ between two images, as a list of coordinates.
fn diff(a: &RgbImage, b: &RgbImage) -> Vec<(i32, i32)> {
    assert_eq!(a.dimensions(), b.dimensions());
    a.enumerate_pixels()
        .filter(|(x, y, p)| b.get_pixel(*x, *y) != *p)
        .map(|(x, y, _)| (x as i32, y as i32))
        .collect()
}

/// Renders two versions of the photo creative (headline, CTA fill) into
/// sibling folders; returns the temporary root and both output folders.
fn render_pair(a: (&str, &str), b: (&str, &str)) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let mut outs = Vec::new();
    for (name, (headline, fill)) in [("a", a), ("b", b)] {
        let d = dir.path().join(name);
        std::fs::create_dir_all(&d).unwrap();
        render(&photo_creative(&d, headline, fill), &d.join("out"), "2");
        outs.push(d.join("out/t"));
    }
    let d2 = outs.pop().unwrap();
    (dir, outs.pop().unwrap(), d2)
}

fn load_pair(d1: &Path, d2: &Path, format: &str) -> (RgbImage, RgbImage) {
    let load = |d: &Path| {
        image::open(d.join(format!("{format}.png")))
            .unwrap()
            .into_rgb8()
    };
    (load(d1), load(d2))
}

fn inside(r: Rect, (x, y): (i32, i32)) -> bool {
    x >= r.x && y >= r.y && x < r.right() && y < r.bottom()
}

fn sidecar(path: &Path) -> Sidecar {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Renders `creative` with one worker and with four; asserts the two
/// output trees hold `count` files, byte for byte the same.
fn assert_identical_at_1_and_4_threads(creative: &Path, count: usize) {
    let dir = tempfile::tempdir().unwrap();
    let (one, four) = (dir.path().join("j1"), dir.path().join("j4"));
    render(creative, &one, "1");
    render(creative, &four, "4");
    let (a, b) = (files(&one), files(&four));
    assert_eq!(a.len(), count, "{}", creative.display());
    for (fa, fb) in a.iter().zip(&b) {
        assert_eq!(
            fa.strip_prefix(&one).unwrap(),
            fb.strip_prefix(&four).unwrap()
        );
        assert!(
            std::fs::read(fa).unwrap() == std::fs::read(fb).unwrap(),
            "{} differs",
            fa.display()
        );
    }
}

#[test]
fn output_is_byte_identical_at_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let creative = photo_creative(dir.path(), "Spring blend is here", "accent");
    assert_identical_at_1_and_4_threads(&creative, 8); // 4 images + 4 sidecars
    // Six scripts through shared shape and glyph caches: still identical.
    let world = common::root().join("examples/bloom-world/creative.toml");
    assert_identical_at_1_and_4_threads(&world, 6 * 8);
}

#[test]
fn new_headline_copy_changes_only_the_headline_region() {
    let (_dir, d1, d2) = render_pair(
        ("Spring blend is here", "accent"),
        ("A brighter cup for spring mornings", "accent"),
    );
    for format in SEED.split(',') {
        let (a, b) = load_pair(&d1, &d2, format);
        let region = sidecar(&d1.join(format!("{format}.layout.json")))
            .layers
            .iter()
            .find(|l| l.role == "headline")
            .and_then(|l| l.region)
            .unwrap();
        // Glyphs may overhang their region by a few pixels (accents, descenders).
        let text_region = region.inset(-4);
        let changed = diff(&a, &b);
        assert!(
            !changed.is_empty(),
            "{format}: the revision changed nothing"
        );
        let outside: Vec<_> = changed
            .iter()
            .filter(|p| !inside(text_region, **p))
            .collect();
        assert!(
            outside.is_empty(),
            "{format}: {} pixels changed outside the headline region, e.g. {:?}",
            outside.len(),
            outside[0]
        );
    }
}

#[test]
fn new_cta_fill_changes_only_pixels_inside_the_button() {
    let (_dir, d1, d2) = render_pair(
        ("Spring blend is here", "accent"),
        ("Spring blend is here", "espresso"),
    );
    for format in SEED.split(',') {
        let (a, b) = load_pair(&d1, &d2, format);
        let button = sidecar(&d1.join(format!("{format}.layout.json")))
            .layers
            .iter()
            .find(|l| l.role == "cta")
            .unwrap()
            .bbox;
        let changed = diff(&a, &b);
        assert!(
            !changed.is_empty(),
            "{format}: the revision changed nothing"
        );
        assert!(
            changed.iter().all(|p| inside(button, *p)),
            "{format}: pixels changed outside the button {button:?}"
        );
    }
}

/// Halves an image with a 2x2 box filter: large formats keep their
/// reference images small this way and still catch any layout change.
fn half(img: &RgbImage) -> RgbImage {
    RgbImage::from_fn(img.width() / 2, img.height() / 2, |x, y| {
        let mut acc = [0u32; 3];
        for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
            let p = img.get_pixel(2 * x + dx, 2 * y + dy);
            for k in 0..3 {
                acc[k] += p[k] as u32;
            }
        }
        image::Rgb(acc.map(|v| ((v + 2) / 4) as u8))
    })
}

fn save_small_png(img: &RgbImage, path: &Path) {
    use image::ImageEncoder;
    use image::codecs::png::{CompressionType, FilterType, PngEncoder};
    let file = std::fs::File::create(path).unwrap();
    PngEncoder::new_with_quality(file, CompressionType::Best, FilterType::Adaptive)
        .write_image(
            img.as_raw(),
            img.width(),
            img.height(),
            image::ExtendedColorType::Rgb8,
        )
        .unwrap();
}

/// Reference images of the seed formats on a flat background: full size
/// for the display formats, halved for the large ones (so each stays small).
/// `REGENERATE=1 cargo test --test render` rewrites them.
#[test]
fn seed_formats_match_reference_images() {
    let dir = tempfile::tempdir().unwrap();
    let creative = common::write_creative(
        dir.path(),
        "acme",
        "[background]\ncolor = \"cream\"\n\
         [headline]\ntext = \"Spring blend is here\"\ncolor = \"espresso\"\n\
         [body]\ntext = \"Bright, floral, roasted this week.\"\ncolor = \"espresso\"\n\
         [cta]\ntext = \"Order now\"\nfill = \"accent\"\ncolor = \"#FFFFFF\"\n\
         [legal]\ntext = \"While stocks last.\"\ncolor = \"espresso\"\n",
    );
    let out = dir.path().join("out");
    render(&creative, &out, "2");
    let golden_dir = common::root().join("tests/golden");
    let regenerate = std::env::var_os("REGENERATE").is_some();
    let mut failures = Vec::new();
    for format in SEED.split(',') {
        let full = image::open(out.join(format!("t/{format}.png")))
            .unwrap()
            .into_rgb8();
        let got = if full.width() * full.height() > 300_000 {
            half(&full)
        } else {
            full
        };
        let golden = golden_dir.join(format!("{format}.png"));
        if regenerate {
            std::fs::create_dir_all(&golden_dir).unwrap();
            save_small_png(&got, &golden);
            continue;
        }
        let want = image::open(&golden)
            .unwrap_or_else(|_| panic!("missing {}; run with REGENERATE=1", golden.display()))
            .into_rgb8();
        assert_eq!(got.dimensions(), want.dimensions(), "{format}");
        // Tolerance: a channel may differ by 2 (rounding in another SIMD path).
        let bad = got
            .pixels()
            .zip(want.pixels())
            .filter(|(a, b)| a.0.iter().zip(b.0).any(|(x, y)| x.abs_diff(y) > 2))
            .count();
        if bad > 0 {
            let got_path = dir.path().join(format!("{format}-got.png"));
            got.save(&got_path).unwrap();
            failures.push(format!(
                "{format}: {bad} pixels differ (got: {})",
                got_path.display()
            ));
        }
    }
    if !failures.is_empty() {
        let keep = dir.keep();
        panic!(
            "reference images differ (kept in {}):\n{}",
            keep.display(),
            failures.join("\n")
        );
    }
}

#[test]
fn sidecar_matches_the_spec_schema() {
    let dir = tempfile::tempdir().unwrap();
    let creative = photo_creative(dir.path(), "Spring blend is here", "accent");
    let out = dir.path().join("out");
    render(&creative, &out, "2");
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("t/leaderboard.layout.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(json["schema"], "brandfit.layout/v1");
    assert_eq!(json["format"], "leaderboard");
    assert_eq!(
        (json["width"].as_u64(), json["height"].as_u64()),
        (Some(728), Some(90))
    );
    assert_eq!(
        json["safe_area"],
        serde_json::json!({ "x": 0, "y": 0, "w": 728, "h": 90 })
    );
    let headline = &json["layers"][0];
    assert_eq!(headline["role"], "headline");
    assert_eq!(
        headline["fonts"],
        serde_json::json!(["../fixtures/fonts/Inter-Bold.otf"])
    );
    assert_eq!(headline["color"], "#F5E6D3");
    assert!(headline["size"].as_f64().unwrap() >= 12.0);
    assert_eq!(headline["missing_glyphs"], serde_json::json!([]));
    assert!(
        json["layers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["role"] == "logo")
    );
    assert!(json["hidden"].is_array());
    // v1.1: the photo's crop in master pixels, inside the master, with the
    // leaderboard's proportions; the subject's whole box, reaching past the
    // canvas where the crop cuts it, with part of it in frame.
    let bg = &json["background"];
    let (mw, mh) = (
        bg["master"]["w"].as_i64().unwrap(),
        bg["master"]["h"].as_i64().unwrap(),
    );
    let c = |k: &str| bg["crop"][k].as_i64().unwrap();
    assert!(
        c("x") >= 0 && c("y") >= 0 && c("x") + c("w") <= mw && c("y") + c("h") <= mh,
        "{bg}"
    );
    let aspect = c("w") as f64 / c("h") as f64;
    assert!((aspect - 728.0 / 90.0).abs() < 0.5, "crop {bg} for 728x90");
    let s = |k: &str| json["subject"][k].as_i64().unwrap();
    assert!(s("w") > 0 && s("h") > 0, "{}", json["subject"]);
    assert!(
        s("x") < 728 && s("y") < 90 && s("x") + s("w") > 0 && s("y") + s("h") > 0,
        "{}",
        json["subject"]
    );
}

#[test]
fn weight_limits_are_met_by_jpeg_in_auto_mode() {
    let dir = tempfile::tempdir().unwrap();
    let creative = photo_creative(dir.path(), "Spring blend is here", "accent");
    let out = dir.path().join("out");
    let o = brandfit(&[
        "render",
        creative.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--formats",
        "medium-rectangle,half-page",
    ]);
    assert!(o.status.success());
    for f in files(&out)
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "jpg" || e == "png"))
    {
        let bytes = std::fs::metadata(f).unwrap().len();
        assert!(bytes <= 150 * 1024, "{} is {bytes} bytes", f.display());
        // What was written decodes (zune-image #419 garbles some encoder settings silently).
        let img = image::open(f).unwrap().into_rgb8();
        let mean: f64 =
            img.as_raw().iter().map(|v| *v as f64).sum::<f64>() / img.as_raw().len() as f64;
        assert!(
            mean > 20.0 && mean < 235.0,
            "{} decodes to a flat image",
            f.display()
        );
    }
}
